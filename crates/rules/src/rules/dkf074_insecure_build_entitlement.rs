//! DKF074: `RUN --security=insecure`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF074",
        name: "insecure-build-entitlement",
        title: "Do not run build steps with --security=insecure",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `RUN --security=insecure`.",
            why: "The step runs without the build sandbox, like `docker run --privileged`: all capabilities, no seccomp or \
                  AppArmor profile, access to host devices. Whatever that step runs (including every package install \
                  script and download it triggers) can take over the build host, and with it the credentials and \
                  other builds there. It also needs the `security.insecure` entitlement on the builder, which then \
                  trusts every Dockerfile it builds with it.",
            example: "# syntax=docker/dockerfile:1-labs\nFROM debian:12\nRUN --security=insecure mount -t tmpfs none /mnt",
            fix: "Remove the flag and find a way that needs no privileges (a `--mount=type=tmpfs`, a cache mount, doing the \
                  privileged step outside the build). If it is truly needed, build on a dedicated, disposable builder.",
            references: &["https://docs.docker.com/reference/dockerfile/#run---security"],
            peer_notes: "No peer has this check.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (ins, run) in helpers::runs(cx.dockerfile) {
        if run.security.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("insecure")) {
            let span = ins.flags.iter().find(|f| f.name == "security").map_or(ins.span, |f| f.span);
            out.report(span, "RUN --security=insecure runs the step unsandboxed, as a privileged container");
        }
    }
}
