//! DKF004: `apt-get install` without `--no-install-recommends`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF004",
        name: "apt-get-missing-no-install-recommends",
        title: "Install apt packages with --no-install-recommends",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3015", "AVD-DS-0029"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get install` and `apt install` without `--no-install-recommends` (or `-o \
                   APT::Install-Recommends=false`), unless an earlier instruction turned recommends off in the apt \
                   configuration.",
            why: "By default apt also installs every package the requested ones merely recommend: often dozens of \
                  extra packages and tens of megabytes nobody asked for. Each is more code that scanners must track, \
                  that can carry vulnerabilities, and that an attacker can use inside the container.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
            fix: "Add `--no-install-recommends`: `apt-get install -y --no-install-recommends curl`, and name \
                  explicitly any recommended package the image really needs.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#apt-get",
                "https://github.com/hadolint/hadolint/wiki/DL3015",
            ],
            peer_notes: "Not flagged, where DL3015 flags: after an earlier instruction wrote `APT::Install-Recommends` \
                         into the apt configuration (`echo 'APT::Install-Recommends \"0\";' > \
                         /etc/apt/apt.conf.d/99norecommends`, or a COPY heredoc into apt.conf.d), which turns \
                         recommends off for every later install; `-o APT::Install-Recommends=0` is accepted as well as \
                         `=false`. Also flagged, where DL3015 only reads `apt-get`: `apt install`.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, _, _, script) in helpers::indexed_run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APT_FAMILY) {
            if call.command.name() == "aptitude" || !call.is(&["install"]) || skips_recommends(&call.command) {
                continue;
            }
            if helpers::config_written_before(df, index, "/etc/apt/", "Install-Recommends") {
                continue;
            }
            out.report(
                call.command.span,
                format!("`{} install` without `--no-install-recommends` also installs recommended packages", call.command.name()),
            );
        }
    }
}

fn skips_recommends(command: &Command) -> bool {
    command.has_flag(&["--no-install-recommends"])
        || command.arg_values().any(|a| {
            let lower = a.to_ascii_lowercase();
            lower.strip_prefix("apt::install-recommends=").is_some_and(|v| matches!(v, "false" | "0" | "no" | "off"))
        })
}
