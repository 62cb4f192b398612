//! DKF013: `apk add` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF013",
        name: "apk-unpinned-packages",
        title: "Pin versions in apk add",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3018"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apk add` naming packages without a version constraint (`curl` rather than \
                   `curl=8.5.0-r0` or `curl~8.5`). Local `.apk` files and the `--virtual` name are not \
                   judged. A variable is judged by its value: one set earlier in the same RUN \
                   (`PKGS=\"curl git\" && ...`, `export PKGS=...`) or by an ENV or ARG default; one \
                   whose value is unknown or is a command's output (`$(cat pkgs.txt)`) is not judged, \
                   and a word that mixes text and a variable is judged by its text.",
            why: "Without pins, two builds of the same Dockerfile install whatever the repository serves that day: an \
                  image cannot be rebuilt as it was, and a scan result does not carry over to the next build.",
            example: "FROM alpine:3.20\nRUN apk add --no-cache curl",
            fix: "Pin each package: `apk add --no-cache curl=8.9.1-r0`, or allow patch releases with `curl~8.9`.\n\n\
                  Alpine repositories keep only the current version of a package per branch, so exact pins break \
                  builds after a security update; `~` pins or rebuilding on a pinned base image digest are the \
                  usual compromise, and some teams disable this rule.",
            references: &["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper", "https://github.com/hadolint/hadolint/wiki/DL3018"],
            peer_notes: "Not flagged, where DL3018 flags: a variable whose value is unknown (DL3018 \
                         flags every `$VAR` as unpinned, even one whose value pins its packages).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APK) {
            if !call.is(&["add"]) {
                continue;
            }
            let packages = helpers::expand_package_operands(df, index, script, &call);
            let unpinned: Vec<&str> = packages
                .iter()
                .map(String::as_str)
                .filter(|p| !(p.contains(['=', '~', '<', '>']) || p.ends_with(".apk") || p.contains('/') || helpers::is_opaque_word(p)))
                .collect();
            if !unpinned.is_empty() {
                out.report(call.command.span, format!("`apk add` without version pins: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}
