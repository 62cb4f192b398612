//! DKF045: replacing /bin/sh with a symlink instead of using SHELL.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF045",
        name: "ln-bin-sh",
        title: "Use SHELL instead of replacing /bin/sh",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4005"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `ln` whose link created is `/bin/sh` or `/usr/bin/sh` (`ln -sf /bin/bash /bin/sh`).",
            why: "Replacing /bin/sh changes the shell of every script and program in the image, including package \
                  maintainer scripts and the container's own tools that rely on the distribution's sh, not only the \
                  Dockerfile's RUN steps that the change was meant for.",
            example: "FROM debian:12\nRUN ln -sf /bin/bash /bin/sh",
            fix: "Set the shell for the build with `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` and leave \
                  /bin/sh alone.",
            references: &["https://docs.docker.com/reference/dockerfile/#shell", "https://github.com/hadolint/hadolint/wiki/DL4005"],
            peer_notes: "Not flagged, where DL4005 flags: `ln` that merely names /bin/sh as its target (`ln -s /bin/sh \
                         /usr/local/bin/sh`), which leaves /bin/sh unchanged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for (_, ln) in helpers::invocations(script, &["ln"]) {
            let operands = helpers::operands(&ln.args, &["-t", "--target-directory", "-S", "--suffix"]);
            let link = if operands.len() >= 2 { operands.last() } else { None };
            if let Some(link) = link.filter(|l| matches!(l.value.trim_end_matches('/'), "/bin/sh" | "/usr/bin/sh")) {
                out.report(ln.span, format!("`ln` replaces {}: set the build shell with SHELL instead", link.value));
            }
        }
    }
}
