//! DMN012: swarm managers are auto-locked.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN012",
        name: "swarm-autolock-disabled",
        title: "Lock swarm managers at rest",
        severity: Severity::Low,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &["CIS-7.6"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a swarm (seen from a manager) whose managers are not auto-locked (`/swarm` \
                   Spec.EncryptionConfig.AutoLockManagers is false).",
            why: "The manager's Raft log holds every swarm secret and config; it is encrypted, but without autolock the \
                  key sits on the same disk. Whoever copies the disk or a backup reads every secret.",
            example: "docker swarm init",
            fix: "`docker swarm update --autolock=true`, keep the unlock key in a password manager, and unlock \
                  restarted managers with `docker swarm unlock`.",
            references: &["CIS Docker Benchmark v1.6.0, 7.6", "https://docs.docker.com/engine/swarm/swarm_manager_locking/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(swarm) = &cx.snapshot.swarm else { return };
    if swarm.autolock == Some(false) {
        out.report_object("swarm", "swarm managers are not auto-locked: the key to the secrets is on their disks")
            .set_evidence(format!("/swarm AutoLockManagers: false; {} secret(s) in the swarm", swarm.secrets.len()));
    }
}
