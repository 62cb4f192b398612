//! DKF018: `dnf`/`microdnf install` without `-y`.

use crate::prelude::*;

/// dnf actions that ask for confirmation before changing packages.
const PROMPTING: &[&str] = &[
    "install", "in", "groupinstall", "localinstall", "reinstall", "rei", "upgrade", "up", "update", "upgrade-minimal",
    "up-min", "remove", "rm", "erase", "downgrade", "distro-sync", "autoremove", "swap",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF018",
        name: "dnf-missing-yes",
        title: "dnf and microdnf must not wait for confirmation (-y)",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3038"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `dnf`, `dnf5` and `microdnf` actions that ask before changing packages (`install`, \
                   `upgrade`, `remove`, `group install`, `module install`, ...) without `-y`/`--assumeyes`.",
            why: "A build has no terminal: dnf's \"Is this ok [y/N]\" reads end-of-file and the build fails. microdnf \
                  assumed yes in its first versions, but the dnf5-based microdnf of current RHEL/Fedora images asks \
                  like dnf.",
            example: "FROM fedora:40\nRUN dnf install httpd && dnf clean all",
            fix: "Add `-y`: `dnf install -y httpd && dnf clean all`.",
            references: &["https://dnf.readthedocs.io/en/latest/command_ref.html", "https://github.com/hadolint/hadolint/wiki/DL3038"],
            peer_notes: "Not flagged, where DL3038 flags: dnf fed by `yes |`, `--setopt=assumeyes=1`, and dnf after an \
                         earlier instruction wrote `assumeyes` into its configuration. Also flagged, where DL3038 only \
                         reads install actions: `upgrade`, `remove` and the other prompting actions.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    helpers::report_rpm_prompts(cx, out, &helpers::DNF, prompts);
}

fn prompts(call: &helpers::PackageCall<'_>) -> bool {
    call.is(PROMPTING)
        || (call.is(&["group", "groups", "module"])
            && call.packages().first().is_some_and(|a| matches!(a.value.as_str(), "install" | "remove" | "update" | "upgrade" | "enable" | "switch-to")))
}
