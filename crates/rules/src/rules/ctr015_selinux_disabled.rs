//! CTR015: SELinux separation turned off.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR015",
        name: "selinux-disabled",
        title: "Do not disable SELinux labelling",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.3"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--security-opt label=disable` (or `label:disable`) and the unconfined SELinux types `spc_t` and \
                   `unconfined_t`. Privileged containers, which Docker labels this way itself, are left to CTR001.",
            why: "On SELinux hosts each container gets its own MCS label, so a process that breaks out of one container \
                  still cannot touch another container's files or the host's. Disabling labels or running as a super \
                  privileged type removes that wall.",
            example: "docker run -d --security-opt label=disable app:1.0",
            fix: "Remove the option. For volumes that need relabelling, add `:z` (shared) or `:Z` (private) to the mount \
                  instead.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.3",
                "https://docs.docker.com/engine/storage/bind-mounts/#configure-the-selinux-label",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if cx.spec.is_privileged() {
        return;
    }
    for option in cx.spec.labels_selinux() {
        let SecurityOpt::Label { value } = &option.value else { continue };
        let unconfined = value == "disable" || matches!(value.as_str(), "type:spc_t" | "type:unconfined_t");
        if unconfined {
            out.report_value(option, format!("turns off SELinux separation (label={value})")).set_evidence(format!("label={value}"));
        }
    }
}
