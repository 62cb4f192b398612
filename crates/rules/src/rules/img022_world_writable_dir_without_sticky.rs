//! IMG022: world-writable directories without the sticky bit.

use crate::image_content::describe_file;
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG022",
        name: "world-writable-dir-without-sticky",
        title: "Set the sticky bit on world-writable directories",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags directories of the final file system that every user may write to (mode `o+w`) without the sticky bit (`+t`), as `/tmp` has it.",
            why: "Without the sticky bit any user may delete or rename another user's files in the directory: a low-privileged process in the container can replace a file a root process later trusts (a pid file, a socket, a script).",
            example: "RUN mkdir /shared && chmod 777 /shared",
            fix: "Use `chmod 1777` for shared scratch directories, or better, give the directory to the one user that writes it: `chown app /shared && chmod 750 /shared`.",
            references: &["https://man7.org/linux/man-pages/man1/chmod.1.html#RESTRICTED_DELETION_FLAG_OR_STICKY_BIT"],
            peer_notes: "",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for dir in image.files.iter().filter(|f| f.kind == ImageFileKind::Dir && f.mode & 0o002 != 0 && f.mode & 0o1000 == 0) {
        out.report_image_file(&image.object, &dir.path, format!("{} is world-writable without the sticky bit ({:04o})", dir.path, dir.mode))
            .set_evidence(describe_file(image, dir));
    }
}
