//! DKF031: several CMD instructions in one stage.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF031",
        name: "multiple-cmd",
        title: "Only one CMD per stage takes effect",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4003", "AVD-DS-0016"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags every CMD after the first in the same stage (ONBUILD CMD excluded).",
            why: "Only the last CMD of a stage takes effect; the others are dead text that misleads readers about \
                  what the container runs, and usually point at a merge or copy-paste mistake.",
            example: "FROM python:3.12-slim\nCMD [\"python\", \"manage.py\", \"migrate\"]\nCMD [\"gunicorn\", \"app:app\"]",
            fix: "Keep a single CMD. To run several steps at start, use an entrypoint script that runs them and then \
                  `exec`s the main process.",
            references: &["https://docs.docker.com/reference/dockerfile/#cmd", "https://github.com/hadolint/hadolint/wiki/DL4003"],
            peer_notes: "Same check as DL4003 and AVD-DS-0016: the repeated CMD is flagged, per stage.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (first, repeat) in helpers::repeats_in_stages(df, |kind| matches!(kind, Kind::Cmd(_))) {
        let earlier = df.instructions[first].line;
        out.report(df.instructions[repeat].keyword_span, format!("another CMD in this stage: it overrides the CMD on line {earlier}"));
    }
}
