//! DMN008: do not use insecure registries.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN008",
        name: "insecure-registry",
        title: "Do not use insecure registries",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CIS-2.5"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags registries the daemon talks to without TLS verification (`insecure-registries`), from `/info` RegistryConfig; the default `127.0.0.0/8` is not flagged.",
            why: "Images pulled over plain HTTP or unverified TLS can be swapped in transit: whoever sits on the path chooses what your containers run.",
            example: "{ \"insecure-registries\": [\"registry.internal:5000\"] }",
            fix: "Give the registry a certificate (a private CA is fine: put it in `/etc/docker/certs.d/<registry>/ca.crt`) and remove it from `insecure-registries`.",
            references: &["CIS Docker Benchmark v1.6.0, 2.5", "https://docs.docker.com/engine/security/certificates/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let registries = &cx.snapshot.daemon_config.insecure_registries;
    let Some(list) = registries.value.as_ref().filter(|l| !l.is_empty()) else { return };
    out.report_object("daemon", format!("images may be pulled without TLS verification from {}", list.join(", ")))
        .set_evidence(registries.evidence.clone());
}
