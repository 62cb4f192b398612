//! NET002: ports published on every interface.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET002",
        name: "port-on-all-interfaces",
        title: "Bind published ports to a specific interface",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-5.14"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags published ports without a host address (`-p 8080:80`) or bound to `0.0.0.0` or `::`.",
            why: "Docker publishes such ports on every interface of the host, public ones included, and inserts its own \
                  iptables rules ahead of host firewalls such as ufw: a port meant for the local proxy is reachable from \
                  the internet.",
            example: "docker run -d -p 8080:80 app:1.0",
            fix: "Name the interface: `-p 127.0.0.1:8080:80` for a local reverse proxy, or the private address the \
                  service must be reachable on. Compose: `ports: [\"127.0.0.1:8080:80\"]`.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.14",
                "https://docs.docker.com/engine/network/packet-filtering-firewalls/",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for port in cx.spec.ports.iter().filter(|p| p.binds_all_interfaces()) {
        let host = port.host_port.map_or("a random port".to_string(), |p| format!("port {p}"));
        out.report_value(port, format!("publishes container port {}/{} on {host} of every host interface", port.container_port, port.protocol.as_str()))
            .set_evidence(port.value.to_string());
    }
}
