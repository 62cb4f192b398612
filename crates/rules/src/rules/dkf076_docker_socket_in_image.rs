//! DKF076: the image is built to use the host's Docker socket.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF076",
        name: "docker-socket-in-image",
        title: "Do not build images that expect the Docker socket",
        severity: Severity::High,
        category: Category::Daemon,
        checklist: &[2],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `VOLUME /var/run/docker.sock` (or `/run/docker.sock`), `ENV DOCKER_HOST=unix:///var/run/docker.sock`, \
                   and RUN commands that prepare the socket (`chmod 666 /var/run/docker.sock`, `chown`, `ln -s`, \
                   `touch`): signs that the container is meant to run with the host's Docker socket mounted.",
            why: "Access to the Docker socket is root on the host: a process that can talk to it can start a privileged \
                  container with the host's file system mounted. Any compromise of the application (or of a \
                  dependency) then becomes a compromise of the host and of every other container on it. A VOLUME for \
                  the socket also invites users to mount it, and `chmod 666` on it gives that power to every user of \
                  the container.",
            example: "FROM alpine:3.20\nVOLUME /var/run/docker.sock",
            fix: "Design the container not to need the daemon. If it must (CI runners, monitoring), use a filtering \
                  proxy that allows only the API calls it needs (read-only endpoints), a rootless daemon, or a \
                  dedicated remote builder, and document the exception with `# rampart ignore=DKF076 reason=...`.",
            references: &[
                "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
                "https://docs.docker.com/engine/security/protect-access/",
            ],
            peer_notes: "No peer checks this in Dockerfiles (checkov and trivy check socket mounts in compose and Kubernetes \
                         files; rampart's container rules do too).",
        },
    },
    check: Check::Dockerfile(check),
};

/// True for the Docker socket's usual paths, with or without a `unix://` scheme.
fn is_docker_socket(path: &str) -> bool {
    let path = path.trim().strip_prefix("unix://").unwrap_or(path.trim());
    matches!(path.trim_end_matches('/'), "/var/run/docker.sock" | "/run/docker.sock")
}

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for ins in &df.instructions {
        match &ins.kind {
            Kind::Volume(paths) => {
                for path in paths.iter().filter(|p| is_docker_socket(&p.value)) {
                    out.report(
                        path.span,
                        format!("VOLUME {}: the container is meant to get the host's Docker socket", path.value),
                    );
                }
            }
            Kind::Env(pairs) => {
                for pair in pairs.iter().filter(|kv| kv.key.value == "DOCKER_HOST" && is_docker_socket(&kv.value.value))
                {
                    let span = Span { start: pair.key.span.start, end: pair.value.span.end };
                    out.report(
                        span,
                        "DOCKER_HOST points at the Docker socket: the container is meant to get the host's daemon",
                    );
                }
            }
            _ => {}
        }
    }
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if !matches!(command.name(), "chmod" | "chown" | "chgrp" | "ln" | "touch" | "setfacl") {
                continue;
            }
            if let Some(socket) = command.args.iter().find(|a| is_docker_socket(&a.value)) {
                out.report(
                    command.span,
                    format!("`{}` prepares {} for use inside the container", command.name(), socket.value),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
    }
}
