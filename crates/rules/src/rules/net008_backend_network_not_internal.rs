//! NET008: a network of back ends only, not internal.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET008",
        name: "backend-network-not-internal",
        title: "Make back-end networks internal",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &[],
        target: Target::Compose,
        docs: RuleDocs {
            what: "Flags networks declared in a compose project whose services all publish no ports (back ends: \
                   databases, caches, workers) and that are not `internal: true`. External networks and the implicit \
                   `default` network are not flagged.",
            why: "A non-internal network gives every container on it a route to the internet. A compromised database or \
                  cache can then download tools and send data out; on an internal network it can only talk to its \
                  neighbours.",
            example: "services:\n  db:\n    image: postgres:16\n    networks: [backend]\nnetworks:\n  backend: {}",
            fix: "Add `internal: true` to the network. Services that need the internet (to call an API, say) should join a \
                  second, non-internal network as well.",
            references: &["https://docs.docker.com/reference/compose-file/networks/#internal"],
            peer_notes: "",
        },
    },
    check: Check::Project(check),
};

fn check(cx: &ProjectContext<'_>, out: &mut Sink<'_>) {
    let project = cx.project;
    for network in &project.networks {
        if network.is_internal() || network.is_external() || network.origin.is_none() {
            continue;
        }
        let members: Vec<&str> = project
            .services
            .iter()
            .filter(|s| s.spec.networks.iter().any(|n| n.name == network.name))
            .map(|s| s.name.as_str())
            .collect();
        let publishes = |name: &str| {
            project.service(name).is_some_and(|s| !s.spec.ports.is_empty() || rampart_model::flag(&s.spec.publish_all))
        };
        if !members.is_empty() && !members.iter().any(|name| publishes(name)) {
            out.report_at(
                network.origin.as_ref(),
                format!("network `{}` only connects back ends ({}) but is not internal", network.name, members.join(", ")),
            );
        }
    }
}
