//! NET001: host networking.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET001",
        name: "host-network",
        title: "Do not use the host's network namespace",
        severity: Severity::High,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-5.10"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--network host` / `--net host` (compose `network_mode: host`).",
            why: "The container shares the host's interfaces: every port it opens is open on the host without a published \
                  port or firewall rule in between, it can reach services bound to the host's localhost (including a \
                  Docker API on 127.0.0.1:2375), and with NET_ADMIN it can reconfigure the host's network.",
            example: "docker run -d --network host app:1.0",
            fix: "Use a user-defined bridge network (`docker network create app-net`, `--network app-net`) and publish only \
                  the ports that must be reachable, on the interface they must be reachable on (`-p 127.0.0.1:8080:8080`).",
            references: &["CIS Docker Benchmark v1.6.0, 5.10", "https://docs.docker.com/engine/network/drivers/host/"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.network_mode.as_ref().filter(|m| m.value == NetworkMode::Host) {
        out.report_value(mode, "uses the host's network namespace: its ports are the host's ports")
            .set_evidence("network: host");
    }
}
