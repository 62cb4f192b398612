//! HST002: keep the engine socket owned by root:docker.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST002",
        name: "engine-socket-ownership",
        title: "Keep the engine socket owned by root:docker",
        severity: Severity::Medium,
        category: Category::Daemon,
        checklist: &[2],
        aliases: &["CIS-3.15"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags an engine socket not owned by `root`, or whose group is neither `docker` nor `root`.",
            why: "The socket's owner and group may control the daemon: an unexpected owner or group hands root on the host to whoever holds it.",
            example: "chown alice:staff /var/run/docker.sock",
            fix: "`chown root:docker /var/run/docker.sock` (systemd: `SocketUser=root`, `SocketGroup=docker` in docker.socket).",
            references: &["CIS Docker Benchmark v1.6.0, 3.15"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(socket) = &cx.snapshot.host.socket else { return };
    if socket.owner != "root" || !matches!(socket.group.as_str(), "docker" | "root") {
        let message = format!("the engine socket belongs to {}:{}, not root:docker", socket.owner, socket.group);
        out.report_object(&format!("host:{}", socket.path), message)
            .set_evidence(format!("{} {:o} {}:{}", socket.path, socket.mode, socket.owner, socket.group));
    }
}
