//! CTR027: OOM killer disabled with no memory limit.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR027",
        name: "oom-kill-disabled-without-memory-limit",
        title: "Do not disable the OOM killer without a memory limit",
        severity: Severity::High,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--oom-kill-disable` (`oom_kill_disable: true`) on a container that has no memory limit.",
            why: "With no limit, the container's memory is the host's memory, and with the OOM killer disabled for it the \
                  kernel kills other processes instead (the daemon, sshd, other containers) or the host hangs.",
            example: "docker run -d --oom-kill-disable app:1.0",
            fix: "Remove `--oom-kill-disable`, or set a memory limit with it (`--memory 512m --oom-kill-disable`), so the \
                  container is paused at its limit rather than the host running out.",
            references: &["https://docs.docker.com/engine/containers/resource_constraints/#--oom-kill-disable"],
            peer_notes: "docker-bench-security has no check for this combination.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let resources = &cx.spec.resources;
    if let Some(disabled) = resources.oom_kill_disable.as_ref().filter(|d| d.value) {
        if !resources.has_memory_limit() {
            out.report_value(disabled, "the OOM killer is disabled and there is no memory limit: the host runs out instead")
                .set_evidence("oom_kill_disable: true, memory: unlimited");
        }
    }
}
