//! HST003: keep the docker group to administrators.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST003",
        name: "docker-group-members",
        title: "Keep the docker group to administrators",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[1, 2],
        aliases: &["CIS-1.1.2"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Lists the members of the `docker` group on the audited host, one finding naming them all.",
            why: "Membership of `docker` is root on the host without a password prompt or an audit trail: any member can start a privileged container that mounts `/`.",
            example: "usermod -aG docker ci-runner",
            fix: "Remove users who are not administrators (`gpasswd -d USER docker`); give them `sudo docker` with logging instead, or rootless Docker.",
            references: &["CIS Docker Benchmark v1.6.0, 1.1.2", "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(members) = cx.snapshot.host.docker_group_members.as_ref().filter(|m| !m.is_empty()) else { return };
    let message = format!("{} member(s) of the docker group, each root-equivalent: {}", members.len(), members.join(", "));
    out.report_object("host:/etc/group", message).set_evidence(format!("docker group: {}", members.join(",")));
}
