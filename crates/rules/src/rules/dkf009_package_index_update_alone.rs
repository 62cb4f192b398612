//! DKF009: a package index update in a RUN that installs nothing.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF009",
        name: "package-index-update-alone",
        title: "Update the package index in the same RUN as the install",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &["AVD-DS-0017"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get update` (also `apt`/`aptitude update`) and `apk update` in a RUN where no later \
                   command of the same package manager installs or upgrades anything.",
            why: "The build cache keeps a RUN's result as long as its text does not change. An update in its own RUN \
                  is therefore reused for months, while the install in the next RUN is rebuilt whenever its package \
                  list changes: it then installs from an old index, which means outdated packages with known \
                  vulnerabilities, or versions the mirror no longer has.",
            example: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl",
            fix: "Update and install in one RUN: `RUN apt-get update && apt-get install -y --no-install-recommends \
                  curl && rm -rf /var/lib/apt/lists/*`.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#apt-get",
                "https://avd.aquasec.com/misconfig/ds017",
            ],
            peer_notes: "AVD-DS-0017 also flags `yum update`, `dnf update` and `zypper up`, which upgrade the \
                         installed packages (they are not index refreshes), so they are not flagged here. Not flagged \
                         either: an update followed by a script of the RUN's own (`./install-deps.sh`, `bash \
                         setup.sh`) that may do the install.",
        },
    },
    check: Check::Dockerfile(check),
};

/// What a package manager does with a fresh index.
const APT_USES_INDEX: &[&str] = &[
    "install", "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade", "build-dep", "source", "download", "reinstall",
    "satisfy",
];
const APK_USES_INDEX: &[&str] = &["add", "upgrade", "fix", "fetch"];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        if runs_own_script(script) {
            continue;
        }
        for (tool, uses_index) in [(&helpers::APT_FAMILY, APT_USES_INDEX), (&helpers::APK, APK_USES_INDEX)] {
            let calls: Vec<_> = helpers::package_calls(script, tool).collect();
            let Some(update) = calls.iter().find(|c| c.is(&["update"])) else { continue };
            let installs_after = calls.iter().any(|c| c.index > update.index && c.is(uses_index));
            if !installs_after {
                out.report(
                    update.command.span,
                    format!(
                        "`{} update` without an install in the same RUN: the cached index goes stale for later installs",
                        update.command.name()
                    ),
                );
            }
        }
    }
}

/// True when the script runs a script file of its own (`./setup.sh`, `/tmp/install`, `bash
/// deps.sh`), which may install what the update was for.
fn runs_own_script(script: &ShellScript) -> bool {
    helpers::commands_run(script).any(|(_, c)| {
        let program = c.program.value.as_str();
        let local_program = program.contains('/') && !program.starts_with("/usr/") && !program.starts_with("/bin/")
            && !program.starts_with("/sbin/");
        let shell_with_file = helpers::is_posix_shell(c.name())
            && !c.has_flag(&["-c"])
            && helpers::operands(&c.args, &["-o", "-O"]).first().is_some_and(|w| w.value != "-");
        local_program || program.ends_with(".sh") || shell_with_file
    })
}
