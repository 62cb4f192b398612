//! DKF084: `RUN --network=host`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF084",
        name: "build-step-host-network",
        title: "Do not run build steps on the host network",
        severity: Severity::Low,
        category: Category::Isolation,
        checklist: &[9],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `RUN --network=host`.",
            why: "The step shares the build host's network namespace: it can reach services bound to the host's \
                  loopback (a Docker API on 127.0.0.1:2375, databases, cloud metadata proxies, other builds' \
                  servers) and listen on the host's ports. Everything the step runs, including package install \
                  scripts, gets that reach. It also needs the `network.host` entitlement on the builder.",
            example: "FROM debian:12\nRUN --network=host apt-get update",
            fix:
                "Drop the flag: the default network is enough for downloads. If the step needs a service, run it as a \
                  container on a user-defined network or use `--network=none` for steps that need no network at all.",
            references: &["https://docs.docker.com/reference/dockerfile/#run---network"],
            peer_notes: "No peer has this check.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (ins, run) in helpers::runs(cx.dockerfile) {
        if run.network.as_deref().is_some_and(|n| n.eq_ignore_ascii_case("host")) {
            let span = ins.flags.iter().find(|f| f.name == "network").map_or(ins.span, |f| f.span);
            out.report(span, "RUN --network=host gives the step the build host's network");
        }
    }
}
