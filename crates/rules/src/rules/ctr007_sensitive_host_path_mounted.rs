//! CTR007: sensitive host directories mounted.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR007",
        name: "sensitive-host-path-mounted",
        title: "Do not mount sensitive host directories",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.6"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags bind mounts of `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr` (CIS 5.6) and of `/bin`, \
                   `/sbin`, `/root`, the engine's state (`/var/lib/docker`, `/var/lib/containerd`, `/var/lib/kubelet`) and \
                   sensitive files such as `/etc/shadow`, `/etc/docker` or `/lib/modules`. Common harmless files like \
                   `/etc/localtime` are not flagged.",
            why: "Writable, these let a container change how the host boots, authenticates and runs; even read-only they \
                  hand over password hashes, keys and other containers' data.",
            example: "docker run -d --mount type=bind,source=/etc,target=/host-etc app:1.0",
            fix: "Mount the single file or narrow directory the workload needs, read-only (`-v /etc/ssl/certs:/certs:ro`), \
                  or copy the data into a volume.",
            references: &["CIS Docker Benchmark v1.6.0, 5.6", "https://docs.docker.com/engine/storage/bind-mounts/"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for (mount, path) in cx.spec.host_mounts() {
        if let Some(sensitive) = container::sensitive_host_path(&path) {
            let mode = if mount.read_only { "read-only" } else { "writable" };
            let what = if sensitive == path { format!("host path {path}") } else { format!("{path} (in {sensitive})") };
            out.report_value(mount, format!("mounts sensitive {what} ({mode}) at {}", mount.target))
                .set_evidence(format!("{path} -> {}", mount.target));
        }
    }
}
