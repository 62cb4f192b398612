//! DKF006: `apt-get install` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF006",
        name: "apt-get-unpinned-packages",
        title: "Pin versions in apt-get install",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3008"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get install` and `apt install` naming packages without a version (`curl` \
                   rather than `curl=7.88.1-10+deb12u5`). Local `.deb` files and `pkg/release` \
                   selections are not judged. A variable is judged by its value: one set earlier in the \
                   same RUN (`PKGS=\"curl git\" && ...`, `export PKGS=...`) or by an ENV or ARG default; \
                   one whose value is unknown or is a command's output (`$(cat pkgs.txt)`) is not \
                   judged, and a word that mixes text and a variable is judged by its text.",
            why: "Without pins, two builds of the same Dockerfile install whatever the mirror serves that day: an \
                  image cannot be rebuilt as it was, a scan result does not carry over to the next build, and an \
                  update lands without review.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
            fix: "Pin each package: `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5` (see \
                  `apt-cache policy curl`), and update the pins deliberately.\n\n\
                  Debian and Ubuntu mirrors drop superseded versions, so pins break builds when a security update \
                  lands; teams that prefer rebuilding on a pinned base image digest can disable this rule.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3008"],
            peer_notes: "Not flagged, where DL3008 flags: a variable whose value is unknown (DL3008 \
                         flags every `$VAR` as unpinned, even one whose value pins its packages). Also \
                         flagged, where DL3008 only reads `apt-get`: `apt install`, and installs in `RUN \
                         <<EOF` heredoc scripts and inside `su -c` or `sudo bash -c` strings.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APT_FAMILY) {
            if call.command.name() == "aptitude" || !call.is(&["install"]) {
                continue;
            }
            let packages = helpers::expand_package_operands(df, index, script, &call);
            let unpinned: Vec<&str> = packages.iter().map(String::as_str).filter(|p| !pinned_or_unknown(p)).collect();
            if !unpinned.is_empty() {
                out.report(
                    call.command.span,
                    format!("`{} install` without version pins: {}", call.command.name(), helpers::list_some(&unpinned, 5)),
                );
            }
        }
    }
}

/// `pkg=version`, a release selection `pkg/bookworm-backports`, a `.deb` file, or a word holding a
/// variable that cannot be judged.
fn pinned_or_unknown(package: &str) -> bool {
    package.contains('=') || package.contains('/') || package.ends_with(".deb") || helpers::is_opaque_word(package)
}
