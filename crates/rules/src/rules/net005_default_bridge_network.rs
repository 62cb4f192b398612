//! NET005: the default bridge network.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET005",
        name: "default-bridge-network",
        title: "Do not use the default bridge network",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-5.30"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers on Docker's default `bridge` network (docker0): `docker run` without `--network`, or \
                   with `--network bridge`. Compose services get their project's own network and are only flagged with \
                   `network_mode: bridge`.",
            why: "Every container on the default bridge can reach every other one (inter-container communication is on \
                  by default), so one compromised container can probe and attack all the others; there is no name \
                  resolution, which pushes people to `--link` and hard-coded addresses.",
            example: "docker run -d app:1.0",
            fix: "Create a network per application (`docker network create app-net`) and attach only the containers that \
                  must talk to each other: `--network app-net`. Back ends can use `docker network create --internal`.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.30",
                "https://docs.docker.com/engine/network/drivers/bridge/#differences-between-user-defined-bridges-and-the-default-bridge",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    match container::on_default_bridge(cx.spec) {
        Some(Some(mode)) => {
            out.report_value(mode, "uses the default bridge network, shared with every other container on it");
        }
        Some(None) => {
            out.report_container("runs on the default bridge network, shared with every other container on it");
        }
        None => {}
    }
}
