//! DKF036: two stages with the same name.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF036",
        name: "duplicate-stage-name",
        title: "Stage names must be unique",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3024", "AVD-DS-0012"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a `FROM ... AS name` whose name (compared case-insensitively, as BuildKit does) an earlier \
                   stage already uses.",
            why: "BuildKit rejects a Dockerfile with duplicate stage names; older builders silently resolved \
                  `COPY --from=name` and `--target name` to one of them, so what was copied depended on the builder.",
            example: "FROM node:20 AS build\nRUN npm ci\nFROM node:20 AS build\nRUN npm run build",
            fix: "Give each stage its own name (`AS deps`, `AS build`).",
            references: &["https://docs.docker.com/build/building/multi-stage/", "https://github.com/hadolint/hadolint/wiki/DL3024"],
            peer_notes: "Names are compared case-insensitively, as BuildKit does (`AS Build` and `AS build` collide; \
                         DL3024 compares them as written). A file with duplicate names is still parsed and checked \
                         in full, so this finding comes with the file's other findings rather than instead of them.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    let mut seen: Vec<(String, u32)> = Vec::new();
    for stage in &df.stages {
        let Some(name) = &stage.name else { continue };
        let lower = name.value.to_ascii_lowercase();
        let line = df.instructions.get(stage.from).map_or(0, |ins| ins.line);
        match seen.iter().find(|(n, _)| *n == lower) {
            Some((_, first_line)) => {
                let written = df.source.get(name.span.range()).unwrap_or(&name.value);
                out.report(name.span, format!("stage name `{written}` is already used by the stage on line {first_line}"));
            }
            None => seen.push((lower, line)),
        }
    }
}
