//! IMG025: an SSH server shipped in the image.

use crate::image_content::{describe_file, executables};
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG025",
        name: "ssh-server-in-image",
        title: "Do not ship an SSH server in a container image",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CIS-5.6"],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags an SSH server (`sshd`, `dropbear`) in the final file system.",
            why: "An SSH server is a second entry point with its own keys and passwords to manage, usually baked into the image and shared by every container made from it; `docker exec` already gives audited access.",
            example: "RUN apt-get install -y openssh-server",
            fix: "Remove the server package and use `docker exec` (or `kubectl exec`) for access.",
            references: &["CIS Docker Benchmark v1.6.0, 5.6"],
            peer_notes: "docker-bench-security's 5.6 looks for a running sshd process in live containers (rampart's CTR031); this finds it in the image before it runs.",
        },
    },
    check: Check::Image(check),
};

const PATHS: &[&str] = &["/usr/sbin/sshd", "/usr/bin/sshd", "/usr/local/sbin/sshd", "/usr/sbin/dropbear", "/usr/bin/dropbear"];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for file in executables(image, PATHS) {
        out.report_image_file(&image.object, &file.path, format!("an SSH server is in the image: {}", file.path))
            .set_evidence(describe_file(image, file));
    }
}
