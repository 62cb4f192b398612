//! DKF072: `EXPOSE 2375`/`2376` (the Docker Engine API).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF072",
        name: "docker-api-port-exposed",
        title: "Do not expose the Docker Engine API port",
        severity: Severity::High,
        category: Category::Daemon,
        checklist: &[1],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags EXPOSE of 2375 (the Docker API over plain TCP) or 2376 (over TLS), alone or in a range.",
            why: "These ports mean the image runs, or fronts, a Docker daemon. Whoever reaches the API controls that \
                  daemon: they can start privileged containers and mount its host's file system, which is root on the \
                  machine. On 2375 there is no authentication or encryption at all; 2376 is only as safe as the \
                  client-certificate setup, which images rarely get right.",
            example: "FROM docker:27-dind\nEXPOSE 2375",
            fix: "Do not publish a Docker API from a container. If a build or CI job needs Docker, give it a rootless \
                  daemon or a remote builder reached over SSH (`DOCKER_HOST=ssh://...`); if TLS is unavoidable, expose \
                  only 2376 with `--tlsverify` and client certificates, on an internal network.",
            references: &[
                "https://docs.docker.com/engine/security/protect-access/",
                "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
            ],
            peer_notes: "No peer has this check.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let Kind::Expose(ports) = &ins.kind else { continue };
        for port in ports {
            let exposes = |number| helpers::expose_covers(&port.value, number);
            if exposes(2375) {
                out.report(port.span, format!("EXPOSE {}: the Docker API without TLS or authentication", port.value));
            } else if exposes(2376) {
                out.report(port.span, format!("EXPOSE {}: the Docker API (TLS)", port.value));
            }
        }
    }
}
