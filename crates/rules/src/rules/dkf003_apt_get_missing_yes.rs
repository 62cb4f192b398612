//! DKF003: `apt-get install` without `-y`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF003",
        name: "apt-get-missing-yes",
        title: "apt-get must not wait for confirmation (-y)",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3014", "AVD-DS-0021"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get install` (and the other apt-get actions that ask before changing packages: \
                   `upgrade`, `dist-upgrade`, `full-upgrade`, `remove`, `purge`, `autoremove`, `build-dep`) run \
                   without `-y`/`--yes`/`--assume-yes`, `-qq` or `-o APT::Get::Assume-Yes=true`.",
            why: "A build has no terminal: when apt-get asks \"Do you want to continue?\" it reads end-of-file and \
                  aborts, so the build fails as soon as a package pulls in a dependency, often only on the day a \
                  dependency changes.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install curl",
            fix: "Add `-y`: `apt-get install -y --no-install-recommends curl`.",
            references: &[
                "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
                "https://github.com/hadolint/hadolint/wiki/DL3014",
            ],
            peer_notes: "Not flagged, where DL3014 flags: an apt-get fed by `yes |` (or `echo y |`), and any apt-get \
                         after an earlier instruction wrote `APT::Get::Assume-Yes` into the apt configuration \
                         (`echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes`). Also flagged, where \
                         DL3014 only looks at `install`: the other prompting actions listed above.",
        },
    },
    check: Check::Dockerfile(check),
};

const PROMPTING: &[&str] =
    &["install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "build-dep"];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APT_GET) {
            if !call.is(PROMPTING) || assumes_yes(&call.command) || helpers::answered_by_pipe(script, call.index) {
                continue;
            }
            if helpers::config_written_before(df, index, "/etc/apt/", "Assume-Yes") {
                continue;
            }
            let action = call.subcommand().unwrap_or("install");
            out.report(call.command.span, format!("`apt-get {action}` without `-y`: the build aborts at its prompt"));
        }
    }
}

fn assumes_yes(command: &Command) -> bool {
    let quiet_twice = command.arg_values().filter(|a| *a == "-q" || *a == "--quiet").count() >= 2;
    let assume_yes_option = command.arg_values().any(|a| {
        let lower = a.to_ascii_lowercase();
        lower.strip_prefix("apt::get::assume-yes=").is_some_and(|v| matches!(v, "true" | "1" | "yes"))
    });
    command.has_flag(&["-y", "--yes", "--assume-yes", "-qq", "--force-yes"])
        || command.arg_values().any(|a| a == "-q=2" || a == "--quiet=2")
        || quiet_twice
        || assume_yes_option
}
