//! IMG020: the image exposes SSH or the Docker API port.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG020",
        name: "admin-port-exposed",
        title: "Do not expose SSH or Docker API ports from an image",
        severity: Severity::High,
        category: Category::Network,
        checklist: &[1, 9],
        aliases: &["AVD-DS-0004", "CKV_DOCKER_1"],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags an image whose config exposes port 22 (SSH), 2375 (the Docker API in plain text) or 2376 (the Docker API over TLS).",
            why: "An exposed port is published by `-P` and by most orchestrators' defaults. SSH in a container is a second way in that bypasses `docker exec` auditing; a Docker API port reachable from outside hands over the host.",
            example: "EXPOSE 22 2375",
            fix: "Remove the `EXPOSE` line; use `docker exec` instead of SSH, and reach the engine over its unix socket or SSH.",
            references: &["https://docs.docker.com/engine/security/protect-access/", "https://docs.docker.com/reference/dockerfile/#expose"],
            peer_notes: "trivy's AVD-DS-0004 and checkov's CKV_DOCKER_1 check port 22 in the Dockerfile only; this reads the built image's config, so a port inherited from a base image counts too.",
        },
    },
    check: Check::Image(check),
};

const ADMIN_PORTS: &[(&str, &str)] = &[("22", "SSH"), ("2375", "the Docker API without TLS"), ("2376", "the Docker API")];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    for exposed in &cx.image.exposed_ports {
        let (port, protocol) = exposed.split_once('/').unwrap_or((exposed.as_str(), "tcp"));
        if protocol != "tcp" {
            continue;
        }
        if let Some((_, what)) = ADMIN_PORTS.iter().find(|(p, _)| *p == port) {
            out.report_object(&cx.image.object, format!("the image exposes port {port} ({what})"))
                .set_evidence(format!("ExposedPorts: {exposed}"));
        }
    }
}
