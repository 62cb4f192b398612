//! CTR026: no pids limit.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR026",
        name: "no-pids-limit",
        title: "Set a PIDs limit",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.29"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers without a positive `--pids-limit` (compose `pids_limit` or \
                   `deploy.resources.limits.pids`); `-1` and `0` mean unlimited.",
            why: "A fork bomb, or a service that leaks threads, exhausts the host's process table and takes every other \
                  workload down with it.",
            example: "docker run -d app:1.0",
            fix: "Set a limit well above normal use: `--pids-limit 200` (compose: `pids_limit: 200`).",
            references: &["CIS Docker Benchmark v1.6.0, 5.29"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let resources = &cx.spec.resources;
    if resources.has_pids_limit() {
        return;
    }
    match &resources.pids_limit {
        Some(limit) => out.report_value(limit, format!("pids limit {} means unlimited", limit.value)),
        None => out.report_container("no pids limit: a fork bomb can exhaust the host's process table"),
    };
}
