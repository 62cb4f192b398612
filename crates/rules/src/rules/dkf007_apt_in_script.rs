//! DKF007: `apt` used in a script instead of `apt-get`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF007",
        name: "apt-in-script",
        title: "Use apt-get or apt-cache, not apt, in RUN",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3027"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN instructions that call `apt` (one finding per RUN).",
            why: "`apt` is the interactive front end: its output and behaviour may change between releases (it \
                  prints \"apt does not have a stable CLI interface. Use with caution in scripts\"), and it shows \
                  progress bars meant for a terminal. `apt-get` and `apt-cache` keep a stable interface for scripts.",
            example: "FROM debian:12\nRUN apt update && apt install -y curl",
            fix: "Use `apt-get` (install, update, remove, ...) and `apt-cache` (search, policy, show) instead.",
            references: &[
                "https://manpages.debian.org/bookworm/apt/apt.8.en.html#SCRIPT_USAGE_AND_DIFFERENCES_FROM_OTHER_APT_TOOLS",
                "https://github.com/hadolint/hadolint/wiki/DL3027",
            ],
            peer_notes: "Same check as DL3027; `apt` is matched as the command run (also through `sudo`, `env` and \
                         in `sh -c` strings), so `apt-get`, `apt-cache`, `apt-key` or an argument `apt` are not.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        let calls: Vec<_> = helpers::invocations(script, &["apt"]).collect();
        let Some((_, first)) = calls.first() else { continue };
        let message = if calls.len() == 1 {
            "`apt` in RUN: its interface is not stable for scripts; use apt-get or apt-cache".to_string()
        } else {
            format!("`apt` used {} times in this RUN: its interface is not stable for scripts; use apt-get or apt-cache", calls.len())
        };
        out.report(first.span, message);
    }
}
