//! DKF002: `cd` in RUN instead of WORKDIR.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF002",
        name: "cd-in-run",
        title: "Use WORKDIR instead of cd in RUN",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3003", "AVD-DS-0013"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN instructions whose script changes directory with `cd`, anywhere in it: after `&&`, in a \
                   `sh -c` string, in a heredoc. One finding per RUN.",
            why: "A `cd` lasts only until the end of its RUN, so a later RUN, COPY or CMD silently runs somewhere else; \
                  a RUN that ends with `cd` changes nothing at all. WORKDIR states the directory once, for every later \
                  instruction and for the container at run time, and creates it if needed.",
            example: "FROM debian:12\nRUN cd /usr/src/app && make install",
            fix: "Set the directory with `WORKDIR /usr/src/app` and drop the `cd` from the RUN.\n\n\
                  A `cd` into a temporary directory that the same RUN deletes is the one case WORKDIR cannot replace; \
                  suppress the finding there with a reason.",
            references: &[
                "https://docs.docker.com/reference/dockerfile/#workdir",
                "https://github.com/hadolint/hadolint/wiki/DL3003",
            ],
            peer_notes: "Like DL3003, every `cd` counts, including inside subshells; `cd` is found as a command (also \
                         through `sudo`/`env` and inside `sh -c` strings and heredocs), never as text, so `echo cd` or a \
                         directory named `cd` is not flagged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        let cds: Vec<_> = helpers::invocations(script, &["cd"]).collect();
        let Some((first_index, first)) = cds.first() else { continue };
        let only_last = cds.len() == 1 && *first_index + 1 == script.commands.len() && first.depth == 0;
        let message = if only_last {
            "`cd` is the last command of this RUN: it changes nothing for later instructions; use WORKDIR".to_string()
        } else {
            "`cd` in RUN: its directory is lost when the RUN ends; set it with WORKDIR".to_string()
        };
        out.report(first.span, message);
    }
}
