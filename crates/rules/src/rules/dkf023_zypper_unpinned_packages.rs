//! DKF023: `zypper install` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF023",
        name: "zypper-unpinned-packages",
        title: "Pin versions in zypper install",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3037"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `zypper install` naming packages without a version constraint (`httpd` rather \
                   than `httpd=2.4.58` or `'httpd>=2.4'`). rpm files, paths and patterns (`-t pattern`) \
                   are not judged. A variable is judged by its value: one set earlier in the same RUN \
                   (`PKGS=\"curl git\" && ...`, `export PKGS=...`) or by an ENV or ARG default; one \
                   whose value is unknown or is a command's output (`$(cat pkgs.txt)`) is not judged, \
                   and a word that mixes text and a variable is judged by its text.",
            why: "Without pins, two builds of the same Dockerfile install whatever the repositories serve that day: \
                  an image cannot be rebuilt as it was, and a scan result does not carry over to the next build.",
            example: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd && zypper clean --all",
            fix: "Pin each package: `zypper -n install httpd=2.4.58`.",
            references: &["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3037"],
            peer_notes: "Not flagged, where DL3037 flags: `-t pattern`/`-t product` installs (patterns \
                         have no versions to pin) and a variable whose value is unknown.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::ZYPPER) {
            let kind = helpers::option_value(&call.command.args, "-t", "--type").unwrap_or("package");
            if !call.is(&["install", "in"]) || kind != "package" {
                continue;
            }
            let packages = helpers::expand_package_operands(df, index, script, &call);
            let unpinned: Vec<&str> = packages
                .iter()
                .map(String::as_str)
                .filter(|p| !(p.contains(['=', '<', '>']) || p.ends_with(".rpm") || p.contains('/') || helpers::is_opaque_word(p)))
                .collect();
            if !unpinned.is_empty() {
                out.report(call.command.span, format!("`zypper install` without version pins: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}
