//! HST004: keep the engine's files root-owned and not writable by others.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST004",
        name: "engine-file-permissions",
        title: "Keep the engine's files root-owned and not writable by others",
        severity: Severity::Medium,
        category: Category::Daemon,
        checklist: &[1, 2],
        aliases: &["CIS-3.2", "CIS-3.6", "CIS-3.14", "CIS-3.18"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Checks the engine's files on the audited host: systemd units (docker.service, docker.socket, containerd.service), /etc/docker, daemon.json, /etc/default/docker, TLS certificates and keys the daemon names, registry certificates in /etc/docker/certs.d and the containerd socket. Each must belong to root; units, configuration and directories must not be writable by group or others, certificates not writable at all (444), keys readable by their owner only (400), the containerd socket closed to others (660).",
            why: "Whoever can change the daemon's unit, configuration or TLS material decides how the daemon starts, which clients it trusts and what it exposes: root on the host at the next restart. A readable key lets anyone impersonate the daemon or a trusted client.",
            example: "chmod 666 /etc/docker/daemon.json",
            fix: "`chown root:root FILE`, then `chmod 644` for units and configuration, `755` for /etc/docker, `444` for certificates, `400` for keys, `660` for the containerd socket.",
            references: &["CIS Docker Benchmark v1.6.0, 3.1-3.24 (file ownership and permissions)"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for file in &cx.snapshot.host.files {
        let (allowed, wanted) = match file.kind.as_str() {
            "tls-key" => (0o700, "400"),
            "tls-cert" => (0o5555, "444"),
            "socket" => (0o770, "660"),
            "directory" => (0o7755, "755"),
            _ => (0o7755, "644"),
        };
        let loose = file.mode & !allowed & 0o777 != 0;
        let not_root = file.owner != "root";
        if !loose && !not_root {
            continue;
        }
        let mut problems = Vec::new();
        if loose {
            problems.push(format!("mode {:o} (want {wanted} or tighter)", file.mode));
        }
        if not_root {
            problems.push(format!("owned by {} (want root)", file.owner));
        }
        out.report_object(&format!("host:{}", file.path), format!("{} {}: {}", file.kind, file.path, problems.join(", ")))
            .set_evidence(format!("{} {:o} {}:{}", file.path, file.mode, file.owner, file.group));
    }
}
