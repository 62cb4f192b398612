//! DKF017: `yum install` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF017",
        name: "yum-unpinned-packages",
        title: "Pin versions in yum install",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3033"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `yum install` naming packages without a version (`httpd` rather than \
                   `httpd-2.4.6-99.el7`). A package counts as pinned when the part after its last `-` \
                   starts with a digit or is a variable (`httpd-${HTTPD_VERSION}`). rpm files, paths, \
                   URLs and `@groups` are not judged. A variable is judged by its value: one set earlier \
                   in the same RUN (`PKGS=\"curl git\" && ...`, `export PKGS=...`) or by an ENV or ARG \
                   default; one whose value is unknown or is a command's output (`$(cat pkgs.txt)`) is \
                   not judged, and a word that mixes text and a variable is judged by its text.",
            why: "Without pins, two builds of the same Dockerfile install whatever the repositories serve that day: \
                  an image cannot be rebuilt as it was, and a scan result does not carry over to the next build.",
            example: "FROM centos:7\nRUN yum install -y httpd && yum clean all",
            fix: "Pin each package as `name-version[-release]`: `yum install -y httpd-2.4.6-99.el7.centos.1`.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3033"],
            peer_notes: "DL3033 accepts any name with a dash followed by version-like parts, so \
                         `java-1.8.0-openjdk` (a package name, not a version) passes there and is \
                         flagged here; the version must be the last part. Not flagged, where DL3033 \
                         flags: a variable whose value is unknown.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::YUM) {
            if !call.is(&["install"]) {
                continue;
            }
            let packages = helpers::expand_package_operands(df, index, script, &call);
            let unpinned = helpers::unpinned_rpm_packages(&packages);
            if !unpinned.is_empty() {
                out.report(call.command.span, format!("`yum install` without version pins: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}
