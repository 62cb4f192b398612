//! RUN001: `--log-driver none`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RUN001",
        name: "logging-disabled",
        title: "Do not disable container logging",
        severity: Severity::Medium,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--log-driver none` (compose `logging: {driver: none}`).",
            why: "With no log driver nothing the container prints is kept: after an incident there is no record of what \
                  the service did or what was sent to it, and `docker logs` shows nothing.",
            example: "docker run -d --log-driver none app:1.0",
            fix: "Remove `--log-driver none`; use the daemon's default or ship logs to a collector (`--log-driver \
                  fluentd`, `journald`), with rotation (`--log-opt max-size=10m --log-opt max-file=3`) for json-file.",
            references: &["https://docs.docker.com/engine/logging/configure/"],
            peer_notes: "docker-bench-security checks the daemon's log level and driver, not each container's.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(driver) = cx.spec.logging.driver.as_ref().filter(|d| d.value == "none") {
        out.report_value(driver, "logging is disabled (log driver none)").set_evidence("log-driver: none");
    }
}
