//! IMG005: do not add setuid or setgid binaries to images.

use crate::prelude::*;
use crate::image::{adds_setuid, image_object};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG005",
        name: "image-setuid-added",
        title: "Do not add setuid or setgid binaries to images",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[5, 6],
        aliases: &["CIS-4.8"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags images whose history runs `chmod` with a setuid or setgid mode (`u+s`, `g+s`, `+s`, `4755`, `2755`, ...).",
            why: "A setuid binary lets any process in the container become its owner, usually root, which defeats a non-root USER.",
            example: "RUN chmod 4755 /usr/local/bin/helper",
            fix: "Remove the setuid bit (`chmod u-s`), grant the one capability the program needs with `setcap`, or drop privileges at run time with `--security-opt no-new-privileges`.",
            references: &["CIS Docker Benchmark v1.6.0, 4.8"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for image in &cx.snapshot.images {
        if let Some(step) = image.history.iter().find(|step| adds_setuid(step)) {
            out.report_object(&image_object(image), "a build step adds a setuid or setgid bit").set_evidence(step.trim().to_string());
        }
    }
}
