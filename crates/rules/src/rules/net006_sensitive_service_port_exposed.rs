//! NET006: administrative and database ports on every interface.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET006",
        name: "sensitive-service-port-exposed",
        title: "Do not expose administrative or database ports on every interface",
        severity: Severity::High,
        category: Category::Network,
        checklist: &[9, 1],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags container ports of engine and orchestrator APIs (Docker 2375/2376, etcd, Kubernetes, kubelet), \
                   remote shells (SSH, telnet, RDP, VNC) and databases and caches (MySQL, PostgreSQL, Redis, MongoDB, \
                   Elasticsearch, memcached, ...) published on every host interface, directly or through `-P`.",
            why: "These services are what scanners look for first; many have no authentication by default (Redis, \
                  memcached, Elasticsearch, a Docker API on 2375), and the rest invite password guessing. Published on all \
                  interfaces, they face every network the host is on.",
            example: "docker run -d -p 6379:6379 redis:7",
            fix: "Do not publish the port: containers on the same user-defined network reach it by name. If the host must \
                  reach it, bind to loopback: `-p 127.0.0.1:6379:6379`.",
            references: &["https://docs.docker.com/engine/network/packet-filtering-firewalls/"],
            peer_notes: "docker-bench-security does not look at which service a port belongs to.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    for port in spec.ports.iter().filter(|p| p.binds_all_interfaces()) {
        let sensitive = (port.container_port.start..=port.container_port.end).find_map(|p| container::sensitive_service(p).map(|s| (p, s)));
        if let Some((number, service)) = sensitive {
            out.report_value(port, format!("publishes {service} (container port {number}) on every host interface"))
                .set_evidence(port.value.to_string());
        }
    }
    if let Some(all) = spec.publish_all.as_ref().filter(|p| p.value) {
        for exposed in &spec.exposed_ports {
            if let Some(service) = container::sensitive_service(exposed.port.start) {
                out.report_value(all, format!("publishes {service} (exposed port {}) on every host interface through --publish-all", exposed.port))
                    .set_evidence(format!("publish-all, expose {}", exposed.port));
            }
        }
    }
}
