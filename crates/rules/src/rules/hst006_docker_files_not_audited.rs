//! HST006: auditd watches Docker's files.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST006",
        name: "docker-files-not-audited",
        title: "Audit changes to Docker's files and binaries",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[10],
        aliases: &[
            "CIS-1.1.3", "CIS-1.1.4", "CIS-1.1.5", "CIS-1.1.6", "CIS-1.1.7", "CIS-1.1.8", "CIS-1.1.9", "CIS-1.1.10",
            "CIS-1.1.11", "CIS-1.1.12", "CIS-1.1.13", "CIS-1.1.14", "CIS-1.1.15", "CIS-1.1.16", "CIS-1.1.17", "CIS-1.1.18",
        ],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Lists the Docker files and binaries of CIS 1.1.3-1.1.18 that exist on the host (dockerd, \
                   containerd and its shims, runc, the data root, /etc/docker, daemon.json, the systemd units, \
                   /run/containerd and its socket, /etc/default/docker, ...) and that no rule in /etc/audit/audit.rules \
                   or /etc/audit/rules.d/*.rules watches (`-w PATH`, `-F path=`, `-F dir=`, or a watch on a directory \
                   above). Without auditd the answer is unknown, not a finding.",
            why: "The engine runs as root and its files decide what every container may do: a changed daemon.json, \
                  unit file or runc binary is a host compromise. An audit trail records who changed them and when.",
            example: "/etc/audit/rules.d/ with no rule for /usr/bin/runc",
            fix: "Add watches, one per file, in /etc/audit/rules.d/docker.rules (`-w /usr/bin/dockerd -k docker`, \
                  `-w /etc/docker -k docker`, `-w /usr/bin/runc -k docker`, ...) and load them with `augenrules --load`.",
            references: &["CIS Docker Benchmark v1.6.0, 1.1.3-1.1.18", "https://man7.org/linux/man-pages/man7/audit.rules.7.html"],
            peer_notes: "docker-bench-security asks `auditctl -l` (the loaded rules, root only); rampart reads the rule \
                         files, so a rule written but not loaded counts as watched.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(files) = &cx.snapshot.host.docker_file_audit else { return };
    let unwatched: Vec<String> = files.iter().filter(|f| !f.watched).map(|f| format!("{} ({})", f.path, f.cis)).collect();
    if unwatched.is_empty() {
        return;
    }
    out.report_object("host:/etc/audit", format!("{} of Docker's files are not audited", unwatched.len()))
        .set_evidence(format!("no audit rule watches {}", unwatched.join(", ")));
}
