//! DKF030: MAINTAINER is deprecated.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF030",
        name: "maintainer-deprecated",
        title: "MAINTAINER is deprecated; use a LABEL",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4000", "AVD-DS-0022", "CKV_DOCKER_6"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags the MAINTAINER instruction.",
            why: "MAINTAINER has been deprecated since Docker 1.13: it sets a legacy image field that tools and \
                  registries no longer read. A label carries the same information where tooling (OCI annotations, \
                  SBOM generators, registries) looks for it.",
            example: "FROM debian:12\nMAINTAINER Jane Doe <jane@example.com>",
            fix: "Replace it with `LABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"`.",
            references: &[
                "https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
                "https://github.com/opencontainers/image-spec/blob/main/annotations.md",
            ],
            peer_notes: "Same check as DL4000, AVD-DS-0022 and CKV_DOCKER_6.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        if let Kind::Maintainer(_) = ins.kind {
            out.report(ins.keyword_span, "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=...`");
        }
    }
}
