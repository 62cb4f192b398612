//! DMN005: enable live restore.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN005",
        name: "live-restore-disabled",
        title: "Enable live restore",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[12],
        aliases: &["CIS-2.15"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon without `live-restore` (`/info` LiveRestoreEnabled).",
            why: "Without it, restarting or upgrading the daemon stops every container, which makes patching the engine costly and so tends to delay it.",
            example: "{ \"live-restore\": false }",
            fix: "Set `\"live-restore\": true` in daemon.json and reload the daemon (`systemctl reload docker`).",
            references: &["CIS Docker Benchmark v1.6.0, 2.15", "https://docs.docker.com/engine/daemon/live-restore/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let live_restore = &cx.snapshot.daemon_config.live_restore;
    if live_restore.value == Some(false) {
        out.report_object("daemon", "live restore is off: a daemon restart or upgrade stops every container")
            .set_evidence(live_restore.evidence.clone());
    }
}
