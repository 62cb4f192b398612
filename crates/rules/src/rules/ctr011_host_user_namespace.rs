//! CTR011: Do not opt out of user namespace remapping.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR011",
        name: "host-user-namespace",
        title: "Do not opt out of user namespace remapping",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.31"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--userns host` (`userns_mode: host`).",
            why: "When the daemon remaps users (`userns-remap`), root in a container is an unprivileged user on the host. `--userns host` turns that off for this container: its root is the host's root again.",
            example: "docker run -d --userns host app:1.0",
            fix: "Remove `--userns host`, and enable `userns-remap` on the daemon if it is not on.",
            references: &["CIS Docker Benchmark v1.6.0, 5.31", "https://docs.docker.com/engine/security/userns-remap/"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.userns.as_ref().filter(|m| m.is_host()) {
        out.report_value(mode, "opts out of user namespace remapping: root in the container is root on the host").set_evidence("userns: host");
    }
}
