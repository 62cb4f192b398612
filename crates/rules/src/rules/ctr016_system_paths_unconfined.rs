//! CTR016: masked /proc and /sys paths unmasked.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR016",
        name: "system-paths-unconfined",
        title: "Do not unmask /proc and /sys paths",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--security-opt systempaths=unconfined`, and live containers whose masked paths list is empty \
                   although they are not privileged.",
            why: "Docker masks `/proc/kcore`, `/proc/keys`, `/proc/timer_list`, `/sys/firmware` and others, and mounts \
                  `/proc/sys`, `/proc/sysrq-trigger` and `/proc/irq` read-only. Unmasked, a container can read kernel \
                  memory layout and keys and, as root, write kernel parameters and trigger SysRq on the host.",
            example: "docker run -d --security-opt systempaths=unconfined app:1.0",
            fix: "Remove `systempaths=unconfined`.",
            references: &["https://docs.docker.com/reference/cli/docker/container/run/#security-opt"],
            peer_notes: "docker-bench-security has no check for this option.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    if spec.is_privileged() {
        return;
    }
    if let Some(option) = spec.system_paths() {
        if matches!(&option.value, SecurityOpt::SystemPaths { value } if value == "unconfined") {
            out.report_value(option, "unmasks /proc and /sys paths Docker hides (systempaths=unconfined)")
                .set_evidence("systempaths=unconfined");
            return;
        }
    }
    if let Some(masked) = spec.masked_paths.as_ref().filter(|m| m.value.is_empty()) {
        out.report_value(masked, "no /proc or /sys path is masked").set_evidence("MaskedPaths: []");
    }
}
