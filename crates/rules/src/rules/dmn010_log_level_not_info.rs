//! DMN010: the daemon logs at `info`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN010",
        name: "log-level-not-info",
        title: "Run the daemon at log level info",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[10],
        aliases: &["CIS-2.3"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon whose log level (`--log-level`, daemon.json `log-level`, or `--debug`, which `/info` \
                   shows as Debug) is not `info`.",
            why: "Below info (`warn`, `error`, `fatal`) the daemon drops the events an investigation needs: containers \
                  started, images pulled, API errors. `debug` logs request bodies and far more than is useful, which \
                  fills disks and can record sensitive values.",
            example: "{ \"log-level\": \"error\" }",
            fix: "Remove `--log-level`/`--debug` and daemon.json's `log-level` and `debug`, or set `\"log-level\": \"info\"`.",
            references: &["CIS Docker Benchmark v1.6.0, 2.3", "https://docs.docker.com/reference/cli/dockerd/"],
            peer_notes: "docker-bench-security (2.3) reads the flag and daemon.json, not `/info` Debug.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let level = &cx.snapshot.daemon_config.log_level;
    if let Some(value) = level.value.as_deref().filter(|v| !v.eq_ignore_ascii_case("info")) {
        out.report_object("daemon", format!("the daemon logs at level {value}, not info")).set_evidence(level.evidence.clone());
    }
}
