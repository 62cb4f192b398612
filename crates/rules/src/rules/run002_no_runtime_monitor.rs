//! RUN002: run a runtime security monitor.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "RUN002",
        name: "no-runtime-monitor",
        title: "Run a runtime security monitor",
        severity: Severity::Medium,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &[],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags an audited host where no runtime security monitor process (Falco, Tetragon, Tracee, a Sysdig agent) is running. Unknown (processes not listed) is not flagged.",
            why: "Configuration checks catch what is set up wrong; only a runtime monitor notices a shell spawned in a web container, a write to /etc or a mounted socket being used, while it happens.",
            example: "ps -e | grep -E 'falco|tetragon|tracee|sysdig'  # nothing",
            fix: "Deploy a runtime monitor (for example Falco with its default Docker rules) and send its alerts somewhere a person reads them.",
            references: &["https://falco.org/docs/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    if cx.snapshot.host.runtime_monitors.as_ref().is_some_and(|found| found.is_empty()) {
        out.report_object("host", "no runtime security monitor (Falco, Tetragon, Tracee, Sysdig agent) is running");
    }
}
