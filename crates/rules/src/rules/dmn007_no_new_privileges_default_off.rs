//! DMN007: make no-new-privileges the daemon default.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN007",
        name: "no-new-privileges-default-off",
        title: "Make no-new-privileges the daemon default",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["CIS-2.14"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon that does not set `no-new-privileges` for every container (`--no-new-privileges` / daemon.json), read from the dockerd command line and daemon.json.",
            why: "Setuid binaries in an image let a process gain privileges it did not start with; the daemon-wide default covers containers whose authors forgot `--security-opt no-new-privileges`.",
            example: "{ \"no-new-privileges\": false }",
            fix: "Set `\"no-new-privileges\": true` in daemon.json and restart the daemon.",
            references: &["CIS Docker Benchmark v1.6.0, 2.14"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let setting = &cx.snapshot.daemon_config.no_new_privileges;
    if setting.value == Some(false) {
        out.report_object("daemon", "no-new-privileges is not the default: containers may gain privileges through setuid binaries")
            .set_evidence(setting.evidence.clone());
    }
}
