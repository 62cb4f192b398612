//! CTR003: `--cap-add ALL`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR003",
        name: "all-capabilities-added",
        title: "Do not add ALL capabilities",
        severity: Severity::Critical,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.4"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--cap-add ALL` (any case, with or without `CAP_`) and `cap_add: [ALL]`.",
            why: "Every capability, including SYS_ADMIN, SYS_MODULE and SYS_RAWIO: with the usual default seccomp profile \
                  relaxed accordingly, the container is nearly as powerful as a privileged one, yet it does not look \
                  privileged to tools that only check the Privileged flag.",
            example: "docker run -d --cap-add ALL app:1.0",
            fix: "Drop all capabilities with `--cap-drop ALL` and add back only the few the process needs, such as \
                  `--cap-add NET_BIND_SERVICE`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.4", "https://man7.org/linux/man-pages/man7/capabilities.7.html"],
            peer_notes: "docker-bench-security does not recognise `ALL` in CapAdd.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for cap in cx.spec.cap_add.iter().filter(|c| c.is_all()) {
        out.report_value(cap, "adds ALL capabilities: nearly everything `--privileged` grants").set_evidence("cap_add: ALL");
    }
}
