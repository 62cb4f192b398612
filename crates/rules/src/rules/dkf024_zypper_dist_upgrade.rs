//! DKF024: `zypper dist-upgrade` in a Dockerfile.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF024",
        name: "zypper-dist-upgrade",
        title: "Avoid zypper dist-upgrade in image builds",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &["DL3035"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `zypper dist-upgrade` (`zypper dup`).",
            why: "A distribution upgrade may change vendors, remove packages and pull in new ones, so the image no \
                  longer matches the base image its maintainers tested, and it changes from build to build.",
            example: "FROM opensuse/leap:15.6\nRUN zypper -n dup",
            fix: "Move to a newer base image tag (or digest). For security fixes within the release, use `zypper -n \
                  patch` or `zypper -n update`, which keep the package set.",
            references: &["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3035"],
            peer_notes: "Same check as DL3035; the command is matched as run (also through `sudo`), never as text.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for call in helpers::package_calls(script, &helpers::ZYPPER) {
            if call.is(&["dist-upgrade", "dup"]) {
                out.report(call.command.span, "`zypper dist-upgrade` changes the base image's package set; use a newer base image instead");
            }
        }
    }
}
