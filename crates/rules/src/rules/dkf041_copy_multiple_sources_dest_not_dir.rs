//! DKF041: COPY of several sources to a destination that does not end in `/`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF041",
        name: "copy-multiple-sources-dest-not-dir",
        title: "COPY with several sources needs a destination ending in /",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3021", "AVD-DS-0011"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags COPY and ADD with more than one source (heredocs included) whose destination does not end in \
                   `/` and is not `.`. A destination holding a variable is not judged.",
            why: "With several sources the destination must be a directory. The classic builder refuses the build; \
                  BuildKit copies each source onto the same path, so files overwrite one another or the result \
                  depends on whether the directory happened to exist.",
            example: "FROM node:20-slim\nCOPY package.json package-lock.json /app",
            fix: "End the destination with a slash: `COPY package.json package-lock.json /app/`.",
            references: &["https://docs.docker.com/reference/dockerfile/#copy", "https://github.com/hadolint/hadolint/wiki/DL3021"],
            peer_notes: "Not flagged, where DL3021 flags: a destination of `.` (BuildKit treats it as the working \
                         directory, a directory) and destinations holding a variable. Also flagged, where DL3021 only \
                         reads COPY: ADD, and heredoc sources.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let (Kind::Copy(copy) | Kind::Add(copy)) = &ins.kind else { continue };
        let sources = copy.sources.len() + copy.heredocs.len();
        let dest = copy.dest.value.as_str();
        if sources < 2 || dest.ends_with(['/', '\\']) || dest == "." || helpers::has_expansion(dest) {
            continue;
        }
        out.report(copy.dest.span, format!("{} copies {sources} sources to `{dest}`: end the destination with `/`", ins.keyword));
    }
}
