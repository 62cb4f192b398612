//! DMN006: disable the userland proxy.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN006",
        name: "userland-proxy-enabled",
        title: "Disable the userland proxy",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-2.16"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon that runs `docker-proxy` for published ports (`userland-proxy`, on by default), read from the dockerd command line and daemon.json.",
            why: "The proxy is one more root process per published port, and it hides the client's address from the container; iptables hairpin NAT does the same job in the kernel.",
            example: "{ \"userland-proxy\": true }",
            fix: "Set `\"userland-proxy\": false` in daemon.json (or `--userland-proxy=false`) and restart the daemon.",
            references: &["CIS Docker Benchmark v1.6.0, 2.16"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let proxy = &cx.snapshot.daemon_config.userland_proxy;
    if proxy.value == Some(true) {
        out.report_object("daemon", "the userland proxy is on: a root docker-proxy process per published port")
            .set_evidence(proxy.evidence.clone());
    }
}
