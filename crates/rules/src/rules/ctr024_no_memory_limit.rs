//! CTR024: no memory limit.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR024",
        name: "no-memory-limit",
        title: "Set a memory limit",
        severity: Severity::Medium,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.11"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers without a memory limit (`--memory` / `-m`, compose `mem_limit` or \
                   `deploy.resources.limits.memory`), or with a limit of 0 (unlimited).",
            why: "Without a limit one container can take all of the host's memory, through a leak or a request flood, and \
                  the kernel's OOM killer then picks victims across the host, other containers and the daemon included.",
            example: "docker run -d app:1.0",
            fix: "Set a limit sized to the service: `--memory 512m` (compose: `mem_limit: 512m` or \
                  `deploy.resources.limits.memory: 512M`), with `--memory-swap` equal to it to keep it from swapping.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.11",
                "https://docs.docker.com/engine/containers/resource_constraints/",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let resources = &cx.spec.resources;
    if resources.has_memory_limit() {
        return;
    }
    match &resources.memory {
        Some(memory) => out.report_value(memory, "memory limit is 0: unlimited"),
        None => out.report_container("no memory limit: the container can use all of the host's memory"),
    };
}
