//! DMN011: container logs leave the host.

use crate::prelude::*;

/// Log drivers that keep logs only on the daemon's own disk.
const LOCAL_DRIVERS: &[&str] = &["json-file", "local"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN011",
        name: "logs-not-centralized",
        title: "Send container logs to a central log service",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &["CIS-2.13"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon whose default log driver (`/info` LoggingDriver) keeps logs on the host only: \
                   `json-file` or `local`. (`none` is RUN001's.)",
            why: "Logs on the host are lost with it and can be erased by whoever takes it over, which is exactly when \
                  they are needed; a central service keeps them out of reach and lets them be searched across hosts.",
            example: "{ \"log-driver\": \"json-file\" }",
            fix: "Set daemon.json `log-driver` to a driver that ships logs off the host (`syslog`, `journald` with \
                  forwarding, `fluentd`, `gelf`, `awslogs`, `splunk`, ...), or collect the json-file logs with an agent \
                  and mark this finding as accepted.",
            references: &["CIS Docker Benchmark v1.6.0, 2.13", "https://docs.docker.com/engine/logging/configure/"],
            peer_notes: "docker-bench-security (2.13) warns on `json-file` only; an agent that tails the files is not \
                         visible to either tool.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(daemon) = &cx.snapshot.daemon else { return };
    let driver = daemon.logging_driver.as_str();
    if LOCAL_DRIVERS.contains(&driver) {
        out.report_object("daemon", format!("container logs stay on the host (log driver {driver})"))
            .set_evidence(format!("/info LoggingDriver: {driver}"));
    }
}
