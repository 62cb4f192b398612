//! IMG003: do not bake secrets into image ENV.

use crate::prelude::*;
use crate::image::image_object;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG003",
        name: "image-secret-in-env",
        title: "Do not bake secrets into image ENV",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &["CIS-4.10"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags image ENV entries whose value looks like a credential, or whose name says secret (`*_PASSWORD`, `*_TOKEN`, `API_KEY`, ...) with a literal value.",
            why: "ENV is stored in the image config: everyone who can pull the image, and `docker inspect` on every host running it, reads the secret.",
            example: "ENV DB_PASSWORD=hunter2",
            fix: "Remove the value from the image and pass it at run time from a secret store (`--secret` in builds, compose or swarm secrets, a mounted file).",
            references: &["CIS Docker Benchmark v1.6.0, 4.10"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for image in &cx.snapshot.images {
        for entry in &image.env {
            let Some((name, value)) = entry.split_once('=') else { continue };
            let credential = !secrets::find_secrets(value).is_empty();
            let named = secrets::is_secret_name(name) && secrets::is_literal_secret_value(value);
            if credential || named {
                out.report_object(&image_object(image), format!("the image's ENV sets {name} to a secret value"))
                    .set_evidence(format!("{name}={}", rampart_model::redact(value)));
            }
        }
    }
}
