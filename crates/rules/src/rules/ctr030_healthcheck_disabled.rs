//! CTR030: healthcheck disabled (or, for live containers, absent).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR030",
        name: "healthcheck-disabled",
        title: "Do not disable healthchecks",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &["CIS-5.27"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--no-healthcheck` (compose `healthcheck: {disable: true}`, `test: [\"NONE\"]`), and live containers \
                   with no healthcheck at all. For command lines and compose services without one, the image's HEALTHCHECK \
                   applies: the Dockerfile and image rules check that.",
            why: "Without a healthcheck the engine only knows whether the process exists, not whether it works: a hung or \
                  hijacked service keeps receiving traffic and nobody is told.",
            example: "docker run -d --no-healthcheck app:1.0",
            fix: "Remove `--no-healthcheck`, or define one: `--health-cmd 'wget -qO- http://localhost:8080/health || exit 1'`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.27", "https://docs.docker.com/reference/dockerfile/#healthcheck"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    match &spec.healthcheck {
        Some(check) if check.is_disabled() => {
            out.report_value(check, "the healthcheck is disabled").set_evidence("healthcheck: NONE");
        }
        None if spec.source.image_defaults_merged() => {
            out.report_container("no healthcheck: neither the container nor its image defines one");
        }
        _ => {}
    }
}
