//! CTR013: seccomp turned off.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR013",
        name: "seccomp-unconfined",
        title: "Do not disable the seccomp profile",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.22"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `--security-opt seccomp=unconfined` (or the legacy `seccomp:unconfined`).",
            why: "Docker's default seccomp profile blocks about 50 system calls that containers do not need and that \
                  keep showing up in kernel exploits (`keyctl`, `add_key`, `unshare`, `mount`, `bpf`, `userfaultfd`, ...). \
                  Without it the whole kernel system call surface is reachable.",
            example: "docker run -d --security-opt seccomp=unconfined app:1.0",
            fix: "Remove the option to get the default profile back. If one call is missing, start from Docker's default \
                  profile, allow that call, and pass the file: `--security-opt seccomp=/etc/docker/seccomp-app.json`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.22", "https://docs.docker.com/engine/security/seccomp/"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(option) = cx.spec.seccomp() {
        if matches!(&option.value, SecurityOpt::Seccomp { profile } if profile == "unconfined") {
            out.report_value(option, "runs without a seccomp profile: every system call of the kernel is reachable")
                .set_evidence("seccomp=unconfined");
        }
    }
}
