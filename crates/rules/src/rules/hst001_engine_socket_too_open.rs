//! HST001: keep the engine socket's permissions at 660 or tighter.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST001",
        name: "engine-socket-too-open",
        title: "Keep the engine socket's permissions at 660 or tighter",
        severity: Severity::Critical,
        category: Category::Daemon,
        checklist: &[2],
        aliases: &["CIS-3.16"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags an engine socket that users other than its owner and group may open (any `o` permission bit), as seen on the audited host.",
            why: "Whoever can open the socket controls the daemon, and so is root on the host: a world-writable socket makes every local user and every compromised service root.",
            example: "chmod 666 /var/run/docker.sock",
            fix: "`chmod 660 /var/run/docker.sock` and `chown root:docker /var/run/docker.sock`; for systemd socket activation set `SocketMode=0660` in docker.socket so it survives restarts.",
            references: &["CIS Docker Benchmark v1.6.0, 3.16", "https://docs.docker.com/engine/security/#docker-daemon-attack-surface"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(socket) = &cx.snapshot.host.socket else { return };
    if socket.mode & 0o007 != 0 {
        let message = format!("the engine socket is mode {:o}: every local user may control the daemon", socket.mode);
        out.report_object(&format!("host:{}", socket.path), message)
            .set_evidence(format!("{} {:o} {}:{}", socket.path, socket.mode, socket.owner, socket.group));
    }
}
