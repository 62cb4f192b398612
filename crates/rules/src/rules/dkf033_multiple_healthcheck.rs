//! DKF033: several HEALTHCHECK instructions in one stage.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF033",
        name: "multiple-healthcheck",
        title: "Only one HEALTHCHECK per stage takes effect",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &["DL3012", "AVD-DS-0023"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags every HEALTHCHECK (including `HEALTHCHECK NONE`) after the first in the same stage.",
            why: "Only the last HEALTHCHECK of a stage takes effect, so the earlier probe never runs: the container is \
                  monitored by a check other than the one a reader sees first, or not at all if the last is NONE.",
            example: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE",
            fix: "Keep a single HEALTHCHECK per stage.",
            references: &["https://docs.docker.com/reference/dockerfile/#healthcheck", "https://github.com/hadolint/hadolint/wiki/DL3012"],
            peer_notes: "Same check as DL3012 and AVD-DS-0023: the repeated HEALTHCHECK is flagged, per stage.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (first, repeat) in helpers::repeats_in_stages(df, |kind| matches!(kind, Kind::Healthcheck(_))) {
        let earlier = df.instructions[first].line;
        out.report(
            df.instructions[repeat].keyword_span,
            format!("another HEALTHCHECK in this stage: it replaces the one on line {earlier}"),
        );
    }
}
