//! CTR021: memory, port or disk devices of the host in a container.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR021",
        name: "sensitive-device-exposed",
        title: "Do not expose host memory or disk devices",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.18"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--device` / `devices:` entries for `/dev/mem`, `/dev/kmem`, `/dev/port` and whole disks or \
                   partitions (`/dev/sda`, `/dev/vda1`, `/dev/nvme0n1`, `/dev/mapper/*`, ...).",
            why: "Physical memory and I/O ports are the kernel's own; a disk device gives the container the host's file \
                  systems underneath any mount, so it can read /etc/shadow or plant a backdoor offline.",
            example: "docker run -d --device /dev/sda app:1.0",
            fix: "Remove the device. Give the container a volume or a bind mount of the one directory it needs instead \
                  of the disk.",
            references: &["CIS Docker Benchmark v1.6.0, 5.18", "https://docs.docker.com/reference/cli/docker/container/run/#device"],
            peer_notes: "docker-bench-security marks 5.18 as manual and lists every device; rampart flags these kinds as \
                         high and other devices as low (CTR022).",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for device in &cx.spec.devices {
        if let Some(what) = container::sensitive_device(&device.host_path) {
            out.report_value(device, format!("exposes host device {}: {what}", device.host_path))
                .set_evidence(format!("{}:{}:{}", device.host_path, device.container_path, device.permissions));
        }
    }
}
