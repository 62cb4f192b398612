//! DKF035: `COPY --from` a stage that does not exist, or its own stage.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF035",
        name: "copy-from-unknown-stage",
        title: "COPY --from must name another stage or an image",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3022", "DL3023", "AVD-DS-0006"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `COPY --from=X` where X is the instruction's own stage (by name or index), a stage index \
                   that does not exist, or a bare name that is no stage of the file. A value that is an image \
                   reference (it has a registry, namespace, tag or digest: `nginx:1.27`, `ghcr.io/org/tool`) is an \
                   external image and passes, as does a value holding a variable.",
            why: "A stage cannot copy from itself, and BuildKit resolves a `--from` that matches no stage as an image \
                  on Docker Hub: a typo in a stage name (`--from=buidler`) pulls and trusts whatever image carries \
                  that name, instead of failing.",
            example: "FROM golang:1.22 AS builder\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=buidler /out/app /app",
            fix: "Name the stage exactly as its `FROM ... AS name`. To copy from an image on purpose, write the full \
                  reference with a tag or digest (`COPY --from=docker.io/library/busybox:1.36 ...`).",
            references: &[
                "https://docs.docker.com/reference/dockerfile/#copy---from",
                "https://github.com/hadolint/hadolint/wiki/DL3022",
                "https://github.com/hadolint/hadolint/wiki/DL3023",
            ],
            peer_notes: "Not flagged, where DL3022 flags: `--from` an external image with a registry or namespace but \
                         no tag (`--from=ghcr.io/org/tool`), a `--from` holding a variable, and a stage named later in \
                         the file (BuildKit resolves stage names across the whole file). Stage names are compared \
                         case-insensitively, as BuildKit does. A bare name such as `--from=alpine` is flagged like \
                         DL3022 does, since it is indistinguishable from a misspelt stage; write the image with its tag.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for ins in &df.instructions {
        let (Kind::Copy(copy), Some(own)) = (&ins.kind, ins.stage) else { continue };
        let Some(from) = &copy.from else { continue };
        let value = from.value.as_str();
        if helpers::has_expansion(value) {
            continue;
        }
        let message = match df.stage_by_ref(value) {
            Some(stage) if stage.index == own => format!("`--from={value}` is this COPY's own stage: a stage cannot copy from itself"),
            Some(_) => continue,
            None if value.parse::<usize>().is_ok() => {
                format!("`--from={value}`: there is no stage {value} (the file has {} stages)", df.stages.len())
            }
            None if helpers::looks_like_image_reference(value) => continue,
            None => format!("`--from={value}` names no stage of this file: BuildKit would pull the image `{value}` instead"),
        };
        let span = ins.flags.iter().find(|f| f.name.eq_ignore_ascii_case("from")).map_or(ins.keyword_span, |f| f.span);
        out.report(span, message);
    }
}
