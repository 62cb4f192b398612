//! DKF032: several ENTRYPOINT instructions in one stage.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF032",
        name: "multiple-entrypoint",
        title: "Only one ENTRYPOINT per stage takes effect",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4004", "AVD-DS-0007"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags every ENTRYPOINT after the first in the same stage (ONBUILD ENTRYPOINT excluded).",
            why: "Only the last ENTRYPOINT of a stage takes effect; an earlier one (a wrapper that drops privileges, \
                  an init like tini) silently does not run, which is easy to miss in review.",
            example: "FROM debian:12\nENTRYPOINT [\"/usr/bin/tini\", \"--\"]\nENTRYPOINT [\"/app/server\"]",
            fix: "Keep a single ENTRYPOINT; chain what must run first inside it (`ENTRYPOINT [\"/usr/bin/tini\", \
                  \"--\", \"/app/server\"]`).",
            references: &["https://docs.docker.com/reference/dockerfile/#entrypoint", "https://github.com/hadolint/hadolint/wiki/DL4004"],
            peer_notes: "Same check as DL4004 and AVD-DS-0007: the repeated ENTRYPOINT is flagged, per stage.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (first, repeat) in helpers::repeats_in_stages(df, |kind| matches!(kind, Kind::Entrypoint(_))) {
        let earlier = df.instructions[first].line;
        out.report(
            df.instructions[repeat].keyword_span,
            format!("another ENTRYPOINT in this stage: it overrides the ENTRYPOINT on line {earlier}"),
        );
    }
}
