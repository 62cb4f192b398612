//! CTR025: no CPU cap.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR025",
        name: "no-cpu-limit",
        title: "Set a CPU limit",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.12"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers without a hard CPU cap (`--cpus`, or `--cpu-quota`; compose `cpus` or \
                   `deploy.resources.limits.cpus`). `--cpu-shares` alone is reported too: it is a relative weight that \
                   only applies under contention, not a limit.",
            why: "A container without a cap can use every core of the host, starving other containers and the daemon; a \
                  cryptominer dropped into a compromised container does exactly that.",
            example: "docker run -d --cpu-shares 512 app:1.0",
            fix: "Set a cap: `--cpus 1.5` (compose: `cpus: 1.5` or `deploy.resources.limits.cpus: \"1.5\"`).",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.12",
                "https://docs.docker.com/engine/containers/resource_constraints/#cpu",
            ],
            peer_notes: "CIS 5.12 and docker-bench-security accept CPU shares; rampart asks for a hard cap.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let resources = &cx.spec.resources;
    if resources.has_cpu_cap() {
        return;
    }
    match resources.cpu_shares.as_ref().filter(|s| s.value > 0) {
        Some(shares) => out.report_value(shares, format!("only CPU shares ({}) are set: a weight under contention, not a cap", shares.value)),
        None => out.report_container("no CPU limit: the container can use every core of the host"),
    };
}
