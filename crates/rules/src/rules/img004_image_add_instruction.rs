//! IMG004: prefer COPY to ADD in image history.

use crate::prelude::*;
use crate::image::{history_instruction, image_object};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG004",
        name: "image-add-instruction",
        title: "Prefer COPY to ADD in image history",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CIS-4.9"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags images whose history shows an `ADD` layer (remote URLs and archives are fetched or unpacked implicitly).",
            why: "ADD downloads without verification and unpacks archives silently, so what ends up in the image is not what the Dockerfile appears to copy.",
            example: "ADD https://example.com/tool.tar.gz /opt/",
            fix: "Use `COPY` for local files, and `RUN curl ... && sha256sum -c` for downloads.",
            references: &["CIS Docker Benchmark v1.6.0, 4.9"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for image in &cx.snapshot.images {
        if let Some(layer) = image.history.iter().find(|step| history_instruction(step) == Some("ADD")) {
            out.report_object(&image_object(image), "the image was built with ADD").set_evidence(layer.trim().to_string());
        }
    }
}
