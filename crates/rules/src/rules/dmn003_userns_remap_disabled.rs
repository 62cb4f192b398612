//! DMN003: enable user namespace remapping.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN003",
        name: "userns-remap-disabled",
        title: "Enable user namespace remapping",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["CIS-2.9"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon without `userns-remap`, as `/info` SecurityOptions show it.",
            why: "Without remapping, root in a container is uid 0 on the host: any escape, or a writable host mount, is host root. With it, container root maps to an unprivileged host uid.",
            example: "{ \"userns-remap\": \"\" }",
            fix: "Set `\"userns-remap\": \"default\"` in daemon.json (Docker creates the `dockremap` user) and restart the daemon; containers that need host namespaces can opt out with `--userns host`.",
            references: &["CIS Docker Benchmark v1.6.0, 2.9", "https://docs.docker.com/engine/security/userns-remap/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let userns = &cx.snapshot.daemon_config.userns_remap;
    if userns.value == Some(false) {
        out.report_object("daemon", "user namespace remapping is off: root in a container is root on the host")
            .set_evidence(userns.evidence.clone());
    }
}
