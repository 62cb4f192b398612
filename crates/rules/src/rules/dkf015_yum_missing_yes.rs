//! DKF015: `yum install` without `-y`.

use crate::prelude::*;

/// yum actions that ask for confirmation before changing packages.
const PROMPTING: &[&str] =
    &["install", "groupinstall", "localinstall", "reinstall", "update", "upgrade", "remove", "erase", "downgrade", "autoremove"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF015",
        name: "yum-missing-yes",
        title: "yum must not wait for confirmation (-y)",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3030"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags yum actions that ask before changing packages (`install`, `groupinstall`, `localinstall`, \
                   `reinstall`, `update`, `upgrade`, `remove`, `downgrade`, `group install`, ...) run without `-y` / \
                   `--assumeyes`.",
            why: "A build has no terminal: yum's \"Is this ok [y/N]\" reads end-of-file and the build fails, or, with \
                  some versions, the command exits without installing anything.",
            example: "FROM centos:7\nRUN yum install httpd && yum clean all",
            fix: "Add `-y`: `yum install -y httpd && yum clean all`.",
            references: &["https://man7.org/linux/man-pages/man8/yum.8.html", "https://github.com/hadolint/hadolint/wiki/DL3030"],
            peer_notes: "Not flagged, where DL3030 flags: yum fed by `yes |`, `--setopt=assumeyes=1`, and yum after an \
                         earlier instruction wrote `assumeyes` into its configuration. Also flagged, where DL3030 only \
                         reads install actions: `update`, `remove` and the other prompting actions.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    helpers::report_rpm_prompts(cx, out, &helpers::YUM, prompts);
}

fn prompts(call: &helpers::PackageCall<'_>) -> bool {
    call.is(PROMPTING) || (call.is(&["group", "groups"]) && call.packages().first().is_some_and(|a| matches!(a.value.as_str(), "install" | "remove" | "update" | "upgrade")))
}
