//! NET007: services left on the default network in a project that uses internal networks.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET007",
        name: "default-network-beside-internal",
        title: "Put every service on a deliberate network when some are internal",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &[],
        target: Target::Compose,
        docs: RuleDocs {
            what: "In a compose project that declares at least one `internal: true` network, flags services that are \
                   still on the project's `default` network (no `networks:` key, or `default` listed) when that network \
                   is not internal.",
            why: "Declaring an internal network says some services must not reach, or be reached from, the outside. A \
                  service forgotten on `default` keeps a route out and shares a network with every other service left \
                  there, which is usually not what the author of the internal network meant.",
            example: "services:\n  db:\n    image: postgres:16\n    networks: [backend]\n  worker:\n    image: worker:1\nnetworks:\n  backend:\n    internal: true",
            fix: "Give the service an explicit `networks:` list: the internal network when it only talks to back ends, a \
                  separate front-end network when it must be reachable or reach out.",
            references: &["https://docs.docker.com/reference/compose-file/networks/#internal"],
            peer_notes: "",
        },
    },
    check: Check::Project(check),
};

fn check(cx: &ProjectContext<'_>, out: &mut Sink<'_>) {
    let project = cx.project;
    let Some(internal) = project.networks.iter().find(|n| n.is_internal()) else { return };
    if project.network("default").is_some_and(|n| n.is_internal()) {
        return;
    }
    for service in &project.services {
        if service.spec.network_mode.is_some() {
            continue;
        }
        if let Some(attachment) = service.spec.networks.iter().find(|n| n.name == "default") {
            let origin = attachment.origin.as_ref().or(service.spec.origin.as_ref());
            out.report_at(
                origin,
                format!("service `{}` is on the default network while `{}` is internal", service.name, internal.name),
            );
        }
    }
}
