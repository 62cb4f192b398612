//! DKF021: zypper without `-n`/`--non-interactive`.

use crate::prelude::*;

/// zypper actions that ask for confirmation.
const PROMPTING: &[&str] = &[
    "install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF021",
        name: "zypper-missing-non-interactive",
        title: "zypper must run non-interactively (-n)",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3034"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags zypper actions that ask for confirmation (`install`, `remove`, `update`, `patch`, \
                   `dist-upgrade`, `source-install`) without `-n`/`--non-interactive` or `-y`/`--no-confirm`.",
            why: "A build has no terminal: zypper's \"Continue? [y/n/v/...? shows all options] (y)\" reads end-of-file \
                  and the install is aborted, failing the build.",
            example: "FROM opensuse/leap:15.6\nRUN zypper install httpd && zypper clean",
            fix: "Add the global `-n`: `zypper -n install httpd && zypper clean --all`.",
            references: &["https://en.opensuse.org/SDB:Zypper_manual", "https://github.com/hadolint/hadolint/wiki/DL3034"],
            peer_notes: "Not flagged, where DL3034 flags: zypper fed by `yes |`. Also flagged, where DL3034 only reads \
                         install, remove and patch: `update` and `dist-upgrade`.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for call in helpers::package_calls(script, &helpers::ZYPPER) {
            let interactive = !call.command.has_flag(&["-n", "--non-interactive", "-y", "--no-confirm"]);
            if call.is(PROMPTING) && interactive && !helpers::answered_by_pipe(script, call.index) {
                out.report(
                    call.command.span,
                    format!("`zypper {}` without `-n`: the build fails at its prompt", call.subcommand().unwrap_or("install")),
                );
            }
        }
    }
}
