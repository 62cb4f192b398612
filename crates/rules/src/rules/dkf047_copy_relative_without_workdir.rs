//! DKF047: COPY to a relative destination with no WORKDIR set.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF047",
        name: "copy-relative-without-workdir",
        title: "Set WORKDIR before COPY to a relative destination",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3045"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags COPY with a relative destination (`COPY . .`, `COPY app.jar app/`) when no WORKDIR was set \
                   earlier in the stage or in the stage it is built FROM. Destinations starting with a variable and \
                   Windows paths pass.",
            why: "A relative destination is resolved against the base image's working directory, which the \
                  Dockerfile does not show: with one base image the files land in /, with another in /usr/src/app, \
                  and a base image update can move them.",
            example: "FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"main.py\"]",
            fix: "Set the directory first: `WORKDIR /app` then `COPY . .`, or copy to an absolute path.",
            references: &["https://docs.docker.com/reference/dockerfile/#workdir", "https://github.com/hadolint/hadolint/wiki/DL3045"],
            peer_notes: "Same check as DL3045, following the stage lineage the same way (a WORKDIR in the stage the \
                         current one is built FROM counts).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, ins) in df.instructions.iter().enumerate() {
        let Kind::Copy(copy) = &ins.kind else { continue };
        let dest = copy.dest.value.as_str();
        if helpers::is_absolute_path(dest) || dest.starts_with('$') {
            continue;
        }
        let workdir_set = helpers::inherited_before(df, index).into_iter().any(|i| matches!(df.instructions[i].kind, Kind::Workdir(_)));
        if !workdir_set {
            out.report(copy.dest.span, format!("COPY to relative `{dest}` with no WORKDIR set: it lands in the base image's working directory"));
        }
    }
}
