//! DMN002: restrict inter-container traffic on the default bridge.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN002",
        name: "icc-on-default-bridge",
        title: "Restrict inter-container traffic on the default bridge",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-2.2"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon whose default bridge lets every container talk to every other (`icc` on, the default), as read from the bridge network's `enable_icc` option.",
            why: "On the default bridge any compromised container can reach the ports of all the others, including ones never published to the host.",
            example: "{ \"icc\": true }",
            fix: "Set `\"icc\": false` in daemon.json (or `--icc=false`) and put containers that must talk on user-defined networks.",
            references: &["CIS Docker Benchmark v1.6.0, 2.2", "https://docs.docker.com/engine/network/drivers/bridge/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let icc = &cx.snapshot.daemon_config.icc;
    if icc.value == Some(true) {
        out.report_object("daemon", "containers on the default bridge can all reach each other (icc is on)")
            .set_evidence(icc.evidence.clone());
    }
}
