//! CTR009: Do not share the host's IPC namespace.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR009",
        name: "host-ipc-namespace",
        title: "Do not share the host's IPC namespace",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.17"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--ipc host` (`ipc: host`).",
            why: "The container can read and write the host's shared memory segments, semaphores and message queues, which host processes use to exchange data.",
            example: "docker run -d --ipc host app:1.0",
            fix: "Remove `--ipc host`. Containers that must share memory can use `--ipc shareable` on one and `--ipc container:NAME` on the other.",
            references: &["CIS Docker Benchmark v1.6.0, 5.17", "https://docs.docker.com/reference/cli/docker/container/run/#ipc"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.ipc.as_ref().filter(|m| m.is_host()) {
        out.report_value(mode, "shares the host's IPC namespace: host shared memory and message queues are reachable").set_evidence("ipc: host");
    }
}
