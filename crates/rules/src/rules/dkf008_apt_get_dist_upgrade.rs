//! DKF008: `apt-get dist-upgrade` in a Dockerfile.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF008",
        name: "apt-get-dist-upgrade",
        title: "Avoid apt-get dist-upgrade in image builds",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &["DL3005", "AVD-DS-0024"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get dist-upgrade` and `full-upgrade` (also through `apt` and `aptitude`).",
            why: "A dist-upgrade may remove packages and install new ones to resolve changed dependencies, so what \
                  the base image's maintainers tested is no longer what runs, and the result changes from one build \
                  to the next. The base image's own updates are the safer way to move to new package sets.",
            example: "FROM ubuntu:22.04\nRUN apt-get update && apt-get -y dist-upgrade",
            fix: "Use a newer base image tag (or digest) instead. If the point is security fixes, `apt-get upgrade -y` \
                  (which never removes packages) in the same RUN as `apt-get update` gets them without changing the \
                  package set.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#apt-get",
                "https://avd.aquasec.com/misconfig/ds024",
            ],
            peer_notes: "Plain `apt-get upgrade` is not flagged: it only installs newer versions of what is already \
                         there, which is how an image picks up security fixes between base image releases (checklist \
                         item 12). hadolint removed DL3005 for this reason; the alias keeps old `# hadolint \
                         ignore=DL3005` pragmas working.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for call in helpers::package_calls(script, &helpers::APT_FAMILY) {
            if let Some(action @ ("dist-upgrade" | "full-upgrade")) = call.subcommand() {
                out.report(
                    call.command.span,
                    format!("`{} {action}` changes the base image's package set; use a newer base image instead", call.command.name()),
                );
            }
        }
    }
}
