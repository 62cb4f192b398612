//! CTR020: shared mount propagation.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR020",
        name: "shared-mount-propagation",
        title: "Do not use shared mount propagation",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.20"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags bind mounts with `shared` or `rshared` propagation (`-v /a:/b:rshared`, \
                   `--mount ...,bind-propagation=rshared`).",
            why: "With shared propagation, mounts made inside the container appear on the host, so a container that can \
                  mount (CAP_SYS_ADMIN) can place file systems over host paths.",
            example: "docker run -d --mount type=bind,source=/srv/shared,target=/shared,bind-propagation=rshared app:1.0",
            fix: "Use the default `rprivate` propagation, or `rslave` if the container must see host mounts without \
                  sending its own back.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.20",
                "https://docs.docker.com/engine/storage/bind-mounts/#configure-bind-propagation",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for mount in &cx.spec.mounts {
        if let Some(propagation) = mount.propagation.filter(|p| p.is_shared()) {
            out.report_value(mount, format!("mount {} uses {} propagation: mounts made inside reach the host", mount.target, propagation.as_str()))
                .set_evidence(format!("{}:{}", mount.target, propagation.as_str()));
        }
    }
}
