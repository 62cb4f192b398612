//! DMN001: do not expose the daemon on TCP without TLS client verification.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN001",
        name: "tcp-without-tls-verify",
        title: "Do not expose the daemon on TCP without TLS client verification",
        severity: Severity::Critical,
        category: Category::Daemon,
        checklist: &[1],
        aliases: &["CIS-2.7"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon that listens on a `tcp://` address (`-H` / `hosts`) without `--tlsverify`. When the command line and daemon.json cannot be read (not root, remote engine) the answer is unknown, not a pass.",
            why: "Anyone who can reach the port controls the daemon, and so the host as root: a plain TCP socket is how cryptominers take over Docker hosts on the internet within minutes.",
            example: "{ \"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2375\"] }",
            fix: "Listen on the unix socket only and reach remote engines over SSH (`DOCKER_HOST=ssh://user@host`), or require client certificates: `--tlsverify --tlscacert ca.pem --tlscert server-cert.pem --tlskey server-key.pem -H tcp://0.0.0.0:2376`.",
            references: &["CIS Docker Benchmark v1.6.0, 2.7", "https://docs.docker.com/engine/security/protect-access/"],
            peer_notes: "docker-bench-security reads only `ps` output for the flags; it misses `hosts` in daemon.json.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let config = &cx.snapshot.daemon_config;
    let Some(hosts) = &config.hosts.value else { return };
    let tcp: Vec<&String> = hosts.iter().filter(|h| h.starts_with("tcp://")).collect();
    if tcp.is_empty() || config.tls_verify.value == Some(true) {
        return;
    }
    let listed = tcp.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ");
    out.report_object("daemon", format!("the daemon listens on {listed} without TLS client verification"))
        .set_evidence(format!("hosts: {listed} ({}); tlsverify: {}", config.hosts.evidence, config.tls_verify.evidence));
}
