//! CTR031: an SSH server inside the container.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR031",
        name: "sshd-in-container",
        title: "Do not run an SSH server in a container",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[6, 9],
        aliases: &["CIS-5.7"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers whose command or entrypoint runs `sshd` or `dropbear` (also inside `sh -c` strings), and \
                   images named after an SSH server (`*sshd*`, `*openssh-server*`).",
            why: "An SSH daemon adds keys, passwords and a network-facing login service to manage and patch in every \
                  container, and a way in that bypasses the engine's own access control and audit trail.",
            example: "docker run -d -p 2222:22 debian:12 sh -c 'mkdir -p /run/sshd && exec /usr/sbin/sshd -D'",
            fix: "Remove the SSH server; use `docker exec` (or `kubectl exec`) for interactive access, and ship logs and \
                  files out through volumes or a collector.",
            references: &["CIS Docker Benchmark v1.6.0, 5.7"],
            peer_notes: "docker-bench-security runs `docker exec ps` inside each running container; rampart reads the \
                         command, so it also covers stopped containers and command lines that were never run.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    let runs_sshd = |words: &[String]| {
        words.iter().any(|word| {
            word.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
                .any(|part| matches!(part.rsplit('/').next(), Some("sshd" | "dropbear")))
        })
    };
    for part in [&spec.entrypoint, &spec.command].into_iter().flatten() {
        if runs_sshd(&part.value) {
            out.report_value(part, "runs an SSH server in the container").set_evidence(part.value.join(" "));
            return;
        }
    }
    if let Some(image) = &spec.image {
        let repository = image.value.split(['@']).next().unwrap_or_default();
        let name = repository.rsplit('/').next().unwrap_or_default();
        let name = name.split(':').next().unwrap_or_default();
        if name.contains("sshd") || name.contains("openssh-server") {
            out.report_value(image, format!("image `{}` is an SSH server", image.value));
        }
    }
}
