//! CTR002: capabilities beyond Docker's default set.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR002",
        name: "dangerous-capability-added",
        title: "Do not add capabilities beyond Docker's default set",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.4"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--cap-add` / `cap_add:` entries that are not in Docker's default capability set (`SYS_ADMIN`, \
                   `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `DAC_READ_SEARCH`, ...), in any spelling (`cap_sys_admin`). \
                   `ALL` has its own rule (CTR003).",
            why: "Each of these capabilities opens a documented path out of the container or into other processes: \
                  `SYS_ADMIN` allows mounts and most escapes, `SYS_PTRACE` code injection, `SYS_MODULE` kernel modules, \
                  `DAC_READ_SEARCH` reading any host file by handle, `NET_ADMIN` rewriting the network stack.",
            example: "docker run -d --cap-add SYS_ADMIN --cap-add NET_ADMIN app:1.0",
            fix: "Remove the capability, or if the workload truly needs it, isolate that container further (no host \
                  network, a seccomp profile, a dedicated host) and document why.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.4",
                "https://man7.org/linux/man-pages/man7/capabilities.7.html",
                "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities",
            ],
            peer_notes: "docker-bench-security only looks for NET_ADMIN, SYS_ADMIN and SYS_MODULE; rampart flags every \
                         capability outside the default set.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for cap in &cx.spec.cap_add {
        let name = cap.name();
        if cap.is_all() || container::DEFAULT_CAPABILITIES.contains(&name) {
            continue;
        }
        out.report_value(cap, format!("adds capability {name}: {}", container::capability_risk(name)))
            .set_evidence(format!("cap_add: {name}"));
    }
}
