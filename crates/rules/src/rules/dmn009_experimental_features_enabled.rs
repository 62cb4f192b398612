//! DMN009: do not run experimental features in production.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN009",
        name: "experimental-features-enabled",
        title: "Do not run experimental features in production",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[12],
        aliases: &["CIS-2.18"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon with experimental features on (`/info` ExperimentalBuild).",
            why: "Experimental features are not covered by the stability and security guarantees of the release they ship in.",
            example: "{ \"experimental\": true }",
            fix: "Remove `\"experimental\": true` from daemon.json (and `--experimental`) on production hosts.",
            references: &["CIS Docker Benchmark v1.6.0, 2.18"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let experimental = &cx.snapshot.daemon_config.experimental;
    if experimental.value == Some(true) {
        out.report_object("daemon", "experimental features are on").set_evidence(experimental.evidence.clone());
    }
}
