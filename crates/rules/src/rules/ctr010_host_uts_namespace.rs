//! CTR010: Do not share the host's UTS namespace.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR010",
        name: "host-uts-namespace",
        title: "Do not share the host's UTS namespace",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.21"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--uts host` (`uts: host`).",
            why: "With the host's UTS namespace a container with CAP_SYS_ADMIN can change the host's hostname and domain name, which other services (logging, Kerberos, clustering) rely on.",
            example: "docker run -d --uts host app:1.0",
            fix: "Remove `--uts host`; set the container's own name with `--hostname`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.21", "https://docs.docker.com/reference/cli/docker/container/run/#uts"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.uts.as_ref().filter(|m| m.is_host()) {
        out.report_value(mode, "shares the host's UTS namespace (hostname and domain name)").set_evidence("uts: host");
    }
}
