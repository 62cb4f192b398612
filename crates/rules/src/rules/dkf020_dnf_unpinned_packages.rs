//! DKF020: `dnf`/`microdnf install` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF020",
        name: "dnf-unpinned-packages",
        title: "Pin versions in dnf install",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3041"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `dnf install` (also `dnf5`, `microdnf`) naming packages without a version \
                   (`httpd` rather than `httpd-2.4.62`). A package counts as pinned when the part after \
                   its last `-` starts with a digit or is a variable (`httpd-${HTTPD_VERSION}`). rpm \
                   files, paths, URLs and `@groups` are not judged. A variable is judged by its value: \
                   one set earlier in the same RUN (`PKGS=\"curl git\" && ...`, `export PKGS=...`) or by \
                   an ENV or ARG default; one whose value is unknown or is a command's output (`$(cat \
                   pkgs.txt)`) is not judged, and a word that mixes text and a variable is judged by its \
                   text.",
            why: "Without pins, two builds of the same Dockerfile install whatever the repositories serve that day: \
                  an image cannot be rebuilt as it was, and a scan result does not carry over to the next build.",
            example: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all",
            fix: "Pin each package as `name-version[-release]`: `dnf install -y httpd-2.4.62`.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3041"],
            peer_notes: "DL3041 accepts any name with a dash followed by version-like parts, so \
                         `java-17-openjdk` (a package name) passes there and is flagged here; the \
                         version must be the last part. Not flagged, where DL3041 flags: a variable \
                         whose value is unknown.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::DNF) {
            if !call.is(&["install", "in"]) {
                continue;
            }
            let packages = helpers::expand_package_operands(df, index, script, &call);
            let unpinned = helpers::unpinned_rpm_packages(&packages);
            if !unpinned.is_empty() {
                out.report(
                    call.command.span,
                    format!("`{} install` without version pins: {}", call.command.name(), helpers::list_some(&unpinned, 5)),
                );
            }
        }
    }
}
