//! DKF071: `EXPOSE 22`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF071",
        name: "ssh-port-exposed",
        title: "Do not expose the SSH port",
        severity: Severity::Medium,
        category: Category::Network,
        checklist: &[9],
        aliases: &["AVD-DS-0004", "CKV_DOCKER_1"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags EXPOSE of port 22 (`22`, `22/tcp`, `22/udp`, or a range that includes it such as `20-25`) in any \
                   stage.",
            why: "Exposing 22 means the image runs an SSH server: another long-lived, network-facing daemon with its own \
                  vulnerabilities and credentials (often a password or key baked into the image) that bypasses the \
                  access control and audit trail of `docker exec`.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y openssh-server\nEXPOSE 22",
            fix: "Remove `EXPOSE 22` and the SSH server; use `docker exec` (or `kubectl exec`) to get a shell, and a \
                  volume or `docker cp` to move files.",
            references: &["https://docs.docker.com/reference/dockerfile/#expose", "https://avd.aquasec.com/misconfig/ds004"],
            peer_notes: "Same check as trivy's AVD-DS-0004 and checkov's CKV_DOCKER_1, which compare the text with `22`; rampart \
                         also understands port ranges (`20-25`) and reports every EXPOSE of the port (measured: checkov \
                         reports only the first). Ports given through variables (`EXPOSE $SSH_PORT`) are not resolved.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let Kind::Expose(ports) = &ins.kind else { continue };
        for port in ports {
            if helpers::expose_covers(&port.value, 22) {
                out.report(port.span, format!("EXPOSE {}: the image runs an SSH server", port.value));
            }
        }
    }
}
