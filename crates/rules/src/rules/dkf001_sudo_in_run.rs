//! DKF001: `sudo` in RUN.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF001",
        name: "sudo-in-run",
        title: "Do not use sudo in RUN",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["DL3004", "AVD-DS-0010"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN commands that call `sudo`, at any depth of the script (pipelines, `sh -c` strings, heredocs).",
            why: "Build steps already run as the stage's USER. `sudo` in an image means the sudo binary and a sudoers \
                  policy ship with it, so a process that gets code execution in the container can become root; its TTY and \
                  signal handling also behave unpredictably in builds.",
            example: "FROM debian:12\nUSER app\nRUN sudo apt-get update",
            fix: "Run the step as root with `USER root` before it and switch back with `USER app` after it, and do not \
                  install sudo in the image.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3004"],
            peer_notes: "",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for command in script.named("sudo") {
            out.report(command.span, "`sudo` in RUN: build steps already run as the stage's USER");
        }
    }
}
