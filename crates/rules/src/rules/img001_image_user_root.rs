//! IMG001: set a non-root USER in images.

use crate::prelude::*;
use crate::image::image_object;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG001",
        name: "image-user-root",
        title: "Set a non-root USER in images",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[5],
        aliases: &["CIS-4.1"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags images on the host whose config has no `USER` or a root one: their containers run as root unless started with `--user`.",
            why: "A root default means every container from the image is root unless each `docker run` remembers otherwise; CTR018 flags the containers that actually do.",
            example: "FROM debian:12\nCMD [\"app\"]",
            fix: "Create a user in the image and end with `USER 10001:10001`.",
            references: &["CIS Docker Benchmark v1.6.0, 4.1"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    for image in &cx.snapshot.images {
        let user = image.user.trim();
        if user.is_empty() || rampart_model::User::parse(user).is_some_and(|u| u.is_root()) {
            let shown = if user.is_empty() { "no USER".to_string() } else { format!("USER {user}") };
            out.report_object(&image_object(image), format!("the image runs as root by default ({shown})"));
        }
    }
}
