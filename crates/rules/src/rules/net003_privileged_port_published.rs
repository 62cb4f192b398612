//! NET003: host ports below 1024.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET003",
        name: "privileged-port-published",
        title: "Do not publish on privileged host ports",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-5.8"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags published ports whose host port is below 1024 (`-p 80:8080`, `-p 443:443`).",
            why: "Ports below 1024 are reserved for the host's own services, which clients trust as run by root. A \
                  container publishing there competes with them, and is usually a service that should sit behind a reverse \
                  proxy rather than face clients directly.",
            example: "docker run -d -p 80:8080 app:1.0",
            fix: "Publish on a high port (`-p 8080:8080`) and put a reverse proxy or load balancer on 80/443, or accept \
                  this finding for the one container that is the proxy.",
            references: &["CIS Docker Benchmark v1.6.0, 5.8"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for port in &cx.spec.ports {
        if let Some(host) = port.host_port.filter(|h| h.start > 0 && h.start < 1024) {
            out.report_value(port, format!("publishes on privileged host port {host}")).set_evidence(port.value.to_string());
        }
    }
}
