//! DKF049: consecutive short RUN instructions that could be one.

use crate::prelude::*;

/// RUNs with more commands than this are left alone: a RUN that already chains commands was most
/// likely split from its neighbour on purpose (build cache reuse, readability), as hadolint also
/// assumes.
const SHORT: usize = 1;

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
                   `--network`, `--security`) when each runs a single command (commands in a `sh -c` string are \
                   not counted; a substitution's are). A RUN under a PowerShell or cmd SHELL counts as one command, \
                   as DL3059 counts it.",
            why: "Each RUN adds a layer and a build step. Short consecutive RUNs make the image larger (files deleted \
                  in a later layer still ship in the earlier one) and the build slower, for no cache benefit.",
            example: "FROM debian:12\nRUN mkdir -p /app\nRUN chown 1000:1000 /app",
            fix: "Join them with `&&` in one RUN: `RUN mkdir -p /app && chown 1000:1000 /app`.",
            references: &["https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers", "https://github.com/hadolint/hadolint/wiki/DL3059"],
            peer_notes: "Same heuristic as DL3059 in hadolint 2.15, measured on it: same flags, one command each. \
                         A RUN that already chains commands (`RUN a && b` next to `RUN c`) is left alone, since the \
                         split is then most likely deliberate.",
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

/// Commands a RUN runs, as DL3059 counts them: those of the RUN's own script and its
/// substitutions, not those of a `sh -c` string or `find -exec`. An exec form, a lone assignment
/// and a script in a shell rampart does not parse (PowerShell, cmd) count as one.
fn command_count(run: &rampart_dockerfile::Run) -> usize {
    use rampart_dockerfile::ScopeKind;
    run.script.as_ref().map_or(1, |script| {
        let counted = |command: &&rampart_dockerfile::Command| {
            !script.scope_chain(command.scope).any(|(_, scope)| matches!(scope.kind, ScopeKind::ShellString | ScopeKind::FindExec))
        };
        script.commands.iter().filter(counted).count().max(1)
    })
}
