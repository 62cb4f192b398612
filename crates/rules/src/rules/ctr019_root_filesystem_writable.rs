//! CTR019: writable root file system.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR019",
        name: "root-filesystem-writable",
        title: "Mount the container's root file system read-only",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[7],
        aliases: &["CIS-5.13"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers without `--read-only` (`read_only: true`).",
            why: "A writable root file system lets an attacker who gets code execution drop tools, change binaries and \
                  configuration, and persist until the container is recreated. Read-only, the image stays as built.",
            example: "docker run -d app:1.0",
            fix: "Add `--read-only` and give the process the writable places it needs explicitly: `--tmpfs /tmp` and \
                  volumes for data.",
            references: &["CIS Docker Benchmark v1.6.0, 5.13"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    match &cx.spec.read_only {
        Some(read_only) if read_only.value => {}
        Some(read_only) => {
            out.report_value(read_only, "the root file system is writable (read-only turned off)");
        }
        None => {
            out.report_container("the root file system is writable: no --read-only");
        }
    }
}
