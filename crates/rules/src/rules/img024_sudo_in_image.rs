//! IMG024: sudo (or doas) shipped in the image.

use crate::image_content::{describe_file, executables};
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG024",
        name: "sudo-in-image",
        title: "Do not ship sudo in a container image",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 5],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags `sudo` or `doas` in the final file system.",
            why: "A container runs one service as one user; sudo only adds a way for that user to become root (its rules are rarely as tight as intended), plus a setuid binary with its own history of vulnerabilities.",
            example: "RUN apt-get install -y sudo && echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers",
            fix: "Remove the package; do the root-only work at build time before `USER`, or with `gosu`/`su-exec` in an entrypoint that drops privileges once.",
            references: &["https://docs.docker.com/build/building/best-practices/#user"],
            peer_notes: "hadolint DL3004 flags `sudo` in RUN; this flags it being installed at all.",
        },
    },
    check: Check::Image(check),
};

const PATHS: &[&str] = &["/usr/bin/sudo", "/bin/sudo", "/usr/local/bin/sudo", "/usr/bin/doas", "/usr/local/bin/doas"];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for file in executables(image, PATHS) {
        out.report_image_file(&image.object, &file.path, format!("{} is in the image", file.path))
            .set_evidence(describe_file(image, file));
    }
}
