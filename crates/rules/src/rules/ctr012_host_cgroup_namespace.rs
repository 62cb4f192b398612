//! CTR012: Do not share the host's cgroup namespace.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR012",
        name: "host-cgroup-namespace",
        title: "Do not share the host's cgroup namespace",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--cgroupns host` (`cgroup: host`). Live containers on cgroup v1 hosts use the host namespace by default; the engine collector reports it only when it is not the daemon's default.",
            why: "The container sees the host's whole cgroup hierarchy (names of every container and service, their limits) and, where it is writable, a path to release_agent style escapes.",
            example: "docker run -d --cgroupns host app:1.0",
            fix: "Remove `--cgroupns host` (on cgroup v2 hosts the default is a private namespace; set `--cgroupns private` explicitly on cgroup v1).",
            references: &["https://docs.docker.com/reference/cli/docker/container/run/#cgroupns"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(mode) = cx.spec.cgroupns.as_ref().filter(|m| m.is_host()) {
        out.report_value(mode, "shares the host's cgroup namespace: the host's cgroup tree is visible").set_evidence("cgroupns: host");
    }
}
