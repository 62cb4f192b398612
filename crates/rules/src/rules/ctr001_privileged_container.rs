//! CTR001: `--privileged`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR001",
        name: "privileged-container",
        title: "Do not run privileged containers",
        severity: Severity::Critical,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.5"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers run with `--privileged` (`privileged: true` in compose, HostConfig.Privileged on a live container).",
            why: "A privileged container gets every capability, every host device, no seccomp or AppArmor profile and writable \
                  /sys and /proc. Root in it is root on the host: mounting the host's disk or loading a kernel module is one \
                  command away. `docker create --privileged` is as bad as `run`: the container runs whenever it is started.",
            example: "docker run -d --privileged nginx:1.27",
            fix: "Remove `--privileged`. Grant only what the workload needs: a single device with `--device`, a single \
                  capability with `--cap-add` (after `--cap-drop ALL`).",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.5",
                "https://docs.docker.com/reference/cli/docker/container/run/#privileged",
            ],
            peer_notes: "docker-bench-security checks running containers only; rampart also flags created and exited ones, \
                         command lines in scripts and READMEs, and compose services.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(privileged) = cx.spec.privileged.as_ref().filter(|p| p.value) {
        out.report_value(privileged, "runs privileged: every capability and device of the host, no seccomp or AppArmor")
            .set_evidence("privileged: true");
    }
}
