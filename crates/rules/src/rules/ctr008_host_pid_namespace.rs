//! CTR008: Do not share the host's PID namespace.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR008",
        name: "host-pid-namespace",
        title: "Do not share the host's PID namespace",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.16"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--pid host` (`pid: host`).",
            why: "The container sees every process on the host, can read their environment and command lines (secrets included) and, as root or with SYS_PTRACE, signal or trace them.",
            example: "docker run -d --pid host debug-tools:1",
            fix: "Remove `--pid host`. To debug one container, join only its namespace: `--pid container:NAME`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.16", "https://docs.docker.com/reference/cli/docker/container/run/#pid"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.pid.as_ref().filter(|m| m.is_host()) {
        out.report_value(mode, "shares the host's PID namespace: every host process is visible and, as root, can be signalled or traced").set_evidence("pid: host");
    }
}
