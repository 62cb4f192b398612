//! CTR006: the host's `/` mounted into a container.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR006",
        name: "host-root-mounted",
        title: "Do not mount the host's root file system",
        severity: Severity::Critical,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.6"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags bind mounts whose host path is `/`, read-only or not.",
            why: "A writable `/` lets the container rewrite anything on the host (cron, systemd units, /etc/shadow). A \
                  read-only `/` still exposes every secret on the host (SSH keys, TLS keys, other containers' files under \
                  /var/lib/docker) and the engine socket under /run, through which the container can start a writable one.",
            example: "docker run -d -v /:/host:ro monitoring-agent:2",
            fix: "Mount only the directories the container needs, read-only (`-v /var/log/app:/logs:ro`). Agents that \
                  need host-wide visibility belong on the host or in a dedicated, audited deployment.",
            references: &["CIS Docker Benchmark v1.6.0, 5.6", "https://docs.docker.com/engine/storage/bind-mounts/"],
            peer_notes: "docker-bench-security does not flag a read-only `/`.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for (mount, path) in cx.spec.host_mounts() {
        if path == "/" {
            let mode = if mount.read_only { "read-only" } else { "writable" };
            out.report_value(mount, format!("mounts the host's root file system ({mode}) at {}", mount.target))
                .set_evidence(format!("/ -> {}{}", mount.target, if mount.read_only { ":ro" } else { "" }));
        }
    }
}
