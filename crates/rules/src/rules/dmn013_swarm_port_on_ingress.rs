//! DMN013: swarm services publish ports through the routing mesh.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN013",
        name: "swarm-port-on-ingress",
        title: "Bind swarm services' published ports to a chosen interface",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-7.3"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags swarm services that publish a port in ingress mode (the default of `--publish`): the routing \
                   mesh opens it on every interface of every node in the swarm.",
            why: "An ingress port cannot be bound to one address: a service meant for an internal network is reachable \
                  on each node's public interfaces too, including nodes that run none of its tasks.",
            example: "docker service create --publish 8080:80 web:1",
            fix: "Publish in host mode on the nodes that should serve it (`--publish mode=host,target=80,published=8080`) \
                  behind a firewall or load balancer, or reach the service over an overlay network without publishing.",
            references: &["CIS Docker Benchmark v1.6.0, 7.3", "https://docs.docker.com/engine/swarm/ingress/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(swarm) = &cx.snapshot.swarm else { return };
    for service in &swarm.services {
        let ingress: Vec<String> = service
            .ports
            .iter()
            .filter(|p| p.mode == "ingress")
            .filter_map(|p| p.published.map(|published| format!("{published}->{}/{}", p.target, p.protocol)))
            .collect();
        if ingress.is_empty() {
            continue;
        }
        out.report_object(
            &format!("service:{}", service.name),
            format!("service {} publishes {} on every interface of every node (ingress)", service.name, ingress.join(", ")),
        );
    }
}
