//! DKF026: FROM an image tagged `latest`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF026",
        name: "from-latest-tag",
        title: "Do not build FROM the latest tag",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &["DL3007", "AVD-DS-0001"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `FROM image:latest` without a digest, including when the reference comes from an ARG default \
                   (`ARG BASE=node:latest`). References whose variables have no default are not judged.",
            why: "`latest` moves: every build may start from a different base, with different packages, users and \
                  vulnerabilities, so a scan of yesterday's image says nothing about today's, a rebuild cannot \
                  reproduce a release, and a compromised push to the tag flows straight into your image.",
            example: "FROM node:latest\nCMD [\"node\", \"server.js\"]",
            fix: "Use a specific tag (`FROM node:20.15-bookworm-slim`), ideally with its digest (`FROM \
                  node:20.15-bookworm-slim@sha256:...`), and update it deliberately (Dependabot or Renovate can).",
            references: &["https://docs.docker.com/build/building/best-practices/#from", "https://github.com/hadolint/hadolint/wiki/DL3007"],
            peer_notes: "Differences from DL3007: a reference built from ARGs is resolved against their defaults, so \
                         `ARG TAG=latest` + `FROM node:${TAG}` is flagged, while a variable without a default is not \
                         judged (DL3007 reads the text as written). `latest` with a digest is pinned by the digest and \
                         passes, as in DL3007.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for stage in &df.stages {
        let BaseRef::Image(image) = &stage.base else { continue };
        let Some(resolved) = &image.resolved else { continue };
        if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
            continue;
        }
        let span = helpers::from_image_span(df, stage);
        let message = if &image.raw == resolved {
            format!("`{resolved}` uses the moving `latest` tag: pin a version (and digest)")
        } else {
            format!("`{}` resolves to `{resolved}` through ARG defaults, the moving `latest` tag: pin a version", image.raw)
        };
        out.report(span, message);
    }
}
