//! DKF038: relative WORKDIR.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF038",
        name: "relative-workdir",
        title: "Use an absolute WORKDIR",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3000", "AVD-DS-0009"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a relative WORKDIR (`WORKDIR app`) when no earlier WORKDIR of the stage (or of the stage it \
                   is built FROM) says what it is relative to. Paths starting with a variable and Windows paths \
                   (`C:\\app`) pass.",
            why: "A relative WORKDIR is resolved against the base image's working directory, which the Dockerfile \
                  does not show and which can change with a new base image: files then land, and commands run, \
                  somewhere else.",
            example: "FROM node:20-slim\nWORKDIR app\nCOPY . .",
            fix: "Use an absolute path: `WORKDIR /app`.",
            references: &["https://docs.docker.com/reference/dockerfile/#workdir", "https://github.com/hadolint/hadolint/wiki/DL3000"],
            peer_notes: "Not flagged, where DL3000 flags: a relative WORKDIR after an absolute one in the same stage \
                         lineage (`WORKDIR /app` then `WORKDIR src` is plainly /app/src).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, ins) in df.instructions.iter().enumerate() {
        let Kind::Workdir(dir) = &ins.kind else { continue };
        if helpers::is_absolute_path(&dir.value) || dir.value.starts_with('$') {
            continue;
        }
        let anchored = helpers::inherited_before(df, index).into_iter().any(|i| matches!(df.instructions[i].kind, Kind::Workdir(_)));
        if !anchored {
            out.report(dir.span, format!("relative WORKDIR `{}` depends on the base image's working directory", dir.value));
        }
    }
}
