//! CTR032: default ulimits.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR032",
        name: "ulimits-not-set",
        title: "Override default ulimits where needed",
        severity: Severity::Info,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.19"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Reports containers that set no `--ulimit` (compose `ulimits:`), so the daemon's defaults apply.",
            why: "The daemon's default limits (open files, processes per user, core dumps) are sized for the host, not for \
                  one service; setting them per container bounds what a runaway or hostile process can hold.",
            example: "docker run -d app:1.0",
            fix: "Set the limits the service needs: `--ulimit nofile=1024:2048` (compose: `ulimits: {nofile: {soft: 1024, \
                  hard: 2048}}`), or set `default-ulimits` in daemon.json for all containers.",
            references: &["CIS Docker Benchmark v1.6.0, 5.19"],
            peer_notes: "CIS marks this recommendation as manual; rampart reports it at info severity.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if cx.spec.resources.ulimits.is_empty() {
        out.report_container("no ulimit is set: the daemon's defaults apply");
    }
}
