//! CTR004: no `--cap-drop ALL`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR004",
        name: "capabilities-not-dropped",
        title: "Drop all capabilities and add back only what is needed",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.4"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers that do not drop all capabilities (`--cap-drop ALL`, `cap_drop: [ALL]`). Privileged \
                   containers are left to CTR001.",
            why: "Docker's default set still holds 14 capabilities (NET_RAW for spoofed packets, CHOWN, DAC_OVERRIDE, \
                  SETUID, MKNOD, ...) that most services never use; each is attack surface after a compromise.",
            example: "docker run -d -p 8080:8080 app:1.0",
            fix: "Add `--cap-drop ALL` (compose: `cap_drop: [ALL]`) and add back single capabilities the service needs, such as \
                  `--cap-add NET_BIND_SERVICE` to bind a port below 1024.",
            references: &["CIS Docker Benchmark v1.6.0, 5.4", "https://man7.org/linux/man-pages/man7/capabilities.7.html"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    if spec.is_privileged() || spec.drops_all_capabilities() {
        return;
    }
    let message = if spec.cap_drop.is_empty() {
        "keeps Docker's default capabilities: no `--cap-drop ALL`".to_string()
    } else {
        let dropped: Vec<&str> = spec.cap_drop.iter().map(|c| c.name()).collect();
        format!("drops only {}: the rest of Docker's default capabilities stay", dropped.join(", "))
    };
    match spec.cap_drop.first() {
        Some(first) => out.report_value(first, message),
        None => out.report_container(message),
    };
}
