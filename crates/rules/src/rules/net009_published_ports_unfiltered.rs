//! NET009: filter published ports in the DOCKER-USER chain.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET009",
        name: "published-ports-unfiltered",
        title: "Filter published ports in the DOCKER-USER chain",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &[],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a host where running containers publish ports on every interface while the iptables `DOCKER-USER` chain has no rule of its own (only Docker's `-j RETURN`).",
            why: "Docker's NAT rules send traffic to published ports before the INPUT chain, so host firewalls such as ufw or firewalld rules on INPUT do not apply: without DOCKER-USER rules every published port is open to every network the host is on.",
            example: "iptables -S DOCKER-USER\n-N DOCKER-USER\n-A DOCKER-USER -j RETURN",
            fix: "Allow only the networks that need the ports, for example `iptables -I DOCKER-USER -i eth0 ! -s 10.0.0.0/8 -j DROP`, and persist the rule; or publish on a specific address (`-p 127.0.0.1:8080:80`).",
            references: &["https://docs.docker.com/engine/network/packet-filtering-firewalls/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(chain) = &cx.snapshot.host.docker_user_chain else { return };
    let own_rules = chain.iter().filter(|rule| !rule.starts_with("-N ") && rule.trim() != "-A DOCKER-USER -j RETURN").count();
    if own_rules > 0 {
        return;
    }
    let exposed: Vec<String> = cx
        .snapshot
        .containers
        .iter()
        .filter(|c| c.state == "running")
        .flat_map(|c| c.spec.ports.iter().filter(|p| p.binds_all_interfaces()).map(move |p| format!("{} {}", c.name, p.value)))
        .collect();
    if exposed.is_empty() {
        return;
    }
    let message = format!("{} port(s) published on every interface and no DOCKER-USER rule filters them", exposed.len());
    out.report_object("host:iptables DOCKER-USER", message).set_evidence(exposed.join(", "));
}
