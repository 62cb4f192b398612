//! IMG002: give images a HEALTHCHECK.

use crate::prelude::*;
use crate::image::image_object;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG002",
        name: "image-without-healthcheck",
        title: "Give images a HEALTHCHECK",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[10],
        aliases: &["CIS-4.6"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags images on the host whose config has no `HEALTHCHECK` (or disables it).",
            why: "Without a healthcheck the engine and orchestrators only know whether the process exists, not whether it works; a hung or hijacked service keeps receiving traffic.",
            example: "FROM nginx:1.27",
            fix: "Add a `HEALTHCHECK CMD [\"/app\", \"health\"]` to the image.",
            references: &["CIS Docker Benchmark v1.6.0, 4.6"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for image in &cx.snapshot.images {
        if image.healthcheck.first().is_none_or(|test| test == "NONE") {
            out.report_object(&image_object(image), "the image has no HEALTHCHECK");
        }
    }
}
