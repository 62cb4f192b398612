//! DKF027: FROM an image without a tag or digest.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF027",
        name: "from-untagged",
        title: "Tag the version of base images explicitly",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &["DL3006"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `FROM image` with neither a tag nor a digest, which Docker reads as `image:latest`. `FROM \
                   scratch`, `FROM` another stage of the file and references whose variables have no default are \
                   not flagged; a reference built from ARG defaults is judged by what it resolves to.",
            why: "An untagged base is `latest` in disguise: every build may start from a different image, with \
                  different packages and vulnerabilities, a scan of one build says nothing about the next, and a \
                  release cannot be rebuilt as it was.",
            example: "FROM debian\nRUN apt-get update",
            fix: "Name a tag (`FROM debian:12.6-slim`), ideally with its digest (`FROM debian:12.6-slim@sha256:...`), \
                  and update it deliberately.",
            references: &["https://docs.docker.com/build/building/best-practices/#from", "https://github.com/hadolint/hadolint/wiki/DL3006"],
            peer_notes: "Differences from DL3006: a reference made of ARGs is resolved against their defaults \
                         (`ARG BASE=debian` + `FROM $BASE` is flagged, `ARG BASE=debian:12` + `FROM $BASE` passes, \
                         where DL3006 skips every reference starting with `$`), and a variable without a default is \
                         not judged. Stage names are matched as BuildKit does, case-insensitively.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for stage in &df.stages {
        let BaseRef::Image(image) = &stage.base else { continue };
        let Some(resolved) = &image.resolved else { continue };
        if image.tag.is_some() || image.digest.is_some() || resolved.eq_ignore_ascii_case("scratch") {
            continue;
        }
        let span = helpers::from_image_span(df, stage);
        let message = if &image.raw == resolved {
            format!("`{resolved}` has no tag, so it means `{resolved}:latest`: name a version")
        } else {
            format!("`{}` resolves to `{resolved}` through ARG defaults, with no tag (`latest`): name a version", image.raw)
        };
        out.report(span, message);
    }
}
