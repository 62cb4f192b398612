//! CTR022: other host devices in a container.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR022",
        name: "host-device-exposed",
        title: "Expose host devices only when needed",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.18"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--device` / `devices:` entries other than the memory and disk devices CTR021 covers (sound, GPU, \
                   serial, `/dev/fuse`, `/dev/net/tun`, CDI devices).",
            why: "A device node is a direct line into a kernel driver, usually with far less hardening than the system call \
                  interface. Each one should be a deliberate choice, with the narrowest permissions (`:r`).",
            example: "docker run -d --device /dev/ttyUSB0 app:1.0",
            fix: "Remove devices the workload does not use; for the others grant only the permissions needed \
                  (`--device /dev/ttyUSB0:/dev/ttyUSB0:rw` without `m`).",
            references: &["CIS Docker Benchmark v1.6.0, 5.18"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for device in &cx.spec.devices {
        if container::sensitive_device(&device.host_path).is_none() {
            out.report_value(device, format!("exposes host device {} ({})", device.host_path, device.permissions))
                .set_evidence(format!("{}:{}", device.host_path, device.permissions));
        }
    }
}
