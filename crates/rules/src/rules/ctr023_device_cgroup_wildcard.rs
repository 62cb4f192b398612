//! CTR023: device cgroup rules that allow whole classes of devices.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR023",
        name: "device-cgroup-wildcard",
        title: "Do not allow every device through device cgroup rules",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--device-cgroup-rule` / `device_cgroup_rules:` entries of type `a` (all devices) or with a `*` \
                   major number (`b *:* rwm`: every block device).",
            why: "The device cgroup is what stops a container from opening host devices it creates with mknod or finds in a \
                  mounted /dev. `b *:* rwm` lets it open every disk of the host; `a *:* rwm` every device, which is most of \
                  what `--privileged` does.",
            example: "docker run -d --device-cgroup-rule 'b *:* rwm' app:1.0",
            fix: "Allow only the device numbers needed, with the least access: `--device-cgroup-rule 'c 188:* rw'` for USB \
                  serial adapters, for example; or pass single devices with `--device`.",
            references: &["https://docs.docker.com/reference/cli/docker/container/run/#device-cgroup-rule"],
            peer_notes: "docker-bench-security has no check for device cgroup rules.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for rule in cx.spec.device_cgroup_rules.iter().filter(|r| r.is_wildcard()) {
        let what = match rule.kind {
            'b' => "every block device (disk) of the host",
            'c' => "every character device of the host",
            _ => "every device of the host",
        };
        out.report_value(rule, format!("device cgroup rule `{}` allows {what}", rule.value)).set_evidence(rule.value.to_string());
    }
}
