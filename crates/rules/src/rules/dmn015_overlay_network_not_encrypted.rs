//! DMN015: overlay networks encrypt traffic between nodes.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN015",
        name: "overlay-network-not-encrypted",
        title: "Encrypt overlay networks that span several nodes",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-7.4"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags overlay networks without the `encrypted` option in a swarm of more than one node (on a single \
                   node the traffic never leaves the host). The `ingress` network is left out: it carries the routing \
                   mesh and is covered by DMN013.",
            why: "Without it, traffic between containers on different nodes crosses the physical network in clear \
                  VXLAN packets that anyone on the path can read or inject into.",
            example: "docker network create -d overlay backend",
            fix: "Create the network with `--opt encrypted` (IPsec between nodes) and move services to it; overlay \
                  options cannot be changed in place.",
            references: &["CIS Docker Benchmark v1.6.0, 7.4", "https://docs.docker.com/engine/network/drivers/overlay/"],
            peer_notes: "docker-bench-security (7.4) flags every overlay network, whatever the size of the swarm.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(swarm) = &cx.snapshot.swarm else { return };
    if swarm.nodes < 2 {
        return;
    }
    for network in cx.snapshot.networks.iter().filter(|n| n.driver == "overlay" && n.name != "ingress") {
        if !network.options.iter().any(|(key, _)| key == "encrypted") {
            out.report_object(
                &format!("network:{}", network.name),
                format!("overlay network {} carries traffic between {} nodes unencrypted", network.name, swarm.nodes),
            );
        }
    }
}
