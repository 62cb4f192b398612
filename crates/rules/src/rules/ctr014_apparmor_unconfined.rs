//! CTR014: AppArmor turned off.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR014",
        name: "apparmor-unconfined",
        title: "Do not disable the AppArmor profile",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.2"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--security-opt apparmor=unconfined` (or `apparmor:unconfined`).",
            why: "On hosts with AppArmor, Docker confines every container with the `docker-default` profile, which denies \
                  writes to /proc and /sys files and mounts. Unconfined, those protections are gone.",
            example: "docker run -d --security-opt apparmor=unconfined app:1.0",
            fix: "Remove the option. If the default profile blocks something the workload needs, write a profile that \
                  allows just that and load it: `--security-opt apparmor=my-app`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.2", "https://docs.docker.com/engine/security/apparmor/"],
            peer_notes: "docker-bench-security also fails containers with no AppArmor profile at all, which happens on every \
                         container of a host without AppArmor; rampart reports that once, for the host, not per container.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(option) = cx.spec.apparmor() {
        if matches!(&option.value, SecurityOpt::AppArmor { profile } if profile == "unconfined") {
            out.report_value(option, "runs without an AppArmor profile").set_evidence("apparmor=unconfined");
        }
    }
}
