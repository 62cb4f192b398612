//! CTR029: custom cgroup parent.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR029",
        name: "cgroup-parent-set",
        title: "Confirm custom cgroup parents",
        severity: Severity::Info,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.25"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Reports containers placed under a custom cgroup parent (`--cgroup-parent`, `cgroup_parent:`).",
            why: "Limits set on the daemon's default parent do not apply under another parent; a parent without limits (or \
                  one shared with host services) lets the container escape the resource controls planned for it.",
            example: "docker run -d --cgroup-parent /custom app:1.0",
            fix: "Remove `--cgroup-parent` unless the parent is managed on purpose, and check that the parent has the \
                  limits you expect.",
            references: &["CIS Docker Benchmark v1.6.0, 5.25"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(parent) = cx.spec.cgroup_parent.as_ref().filter(|p| !p.value.is_empty()) {
        out.report_value(parent, format!("runs under custom cgroup parent `{}`", parent.value));
    }
}
