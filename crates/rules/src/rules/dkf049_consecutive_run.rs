//! DKF049: consecutive short RUN instructions that could be one.

use crate::prelude::*;

/// RUNs with more commands than this are left alone: splitting long steps is often deliberate
/// (build cache reuse, readability), as hadolint also assumes.
const SHORT: usize = 2;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF049",
        name: "consecutive-run",
        title: "Consider merging consecutive short RUN instructions",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3059"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that directly follows another RUN of the same stage with the same flags (`--mount`, \
                   `--network`, `--security`) when both run at most two commands.",
            why: "Each RUN adds a layer and a build step. Short consecutive RUNs make the image larger (files deleted \
                  in a later layer still ship in the earlier one) and the build slower, for no cache benefit.",
            example: "FROM debian:12\nRUN mkdir -p /app\nRUN chown 1000:1000 /app",
            fix: "Join them with `&&` in one RUN: `RUN mkdir -p /app && chown 1000:1000 /app`.",
            references: &["https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers", "https://github.com/hadolint/hadolint/wiki/DL3059"],
            peer_notes: "Same heuristic as DL3059 (same flags, at most two commands each).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for pair in df.instructions.windows(2) {
        let [previous, current] = pair else { continue };
        let (Kind::Run(before), Kind::Run(now)) = (&previous.kind, &current.kind) else { continue };
        if previous.stage != current.stage || !same_flags(previous, current) {
            continue;
        }
        if command_count(before) <= SHORT && command_count(now) <= SHORT {
            out.report(current.keyword_span, format!("this RUN directly follows the RUN on line {}: merge them into one layer", previous.line));
        }
    }
}

fn same_flags(a: &Instruction, b: &Instruction) -> bool {
    a.flags.len() == b.flags.len() && a.flags.iter().zip(&b.flags).all(|(x, y)| x.name == y.name && x.value == y.value)
}

/// Commands a RUN runs (an exec form or an unanalysed script counts as one).
fn command_count(run: &rampart_dockerfile::Run) -> usize {
    run.script.as_ref().map_or(1, |s| s.commands.len().max(1))
}
