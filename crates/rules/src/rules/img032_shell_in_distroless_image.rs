//! IMG032: a shell in an image that says it is distroless.

use crate::image_content::{describe_file, executables};
use crate::prelude::*;
use rampart_model::ImageContent;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG032",
        name: "shell-in-distroless-image",
        title: "An image that claims to be distroless should not ship a shell",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "When the image says it is distroless (its name, a label such as `org.opencontainers.image.base.name`, or `/etc/os-release` mentions `distroless`), flags a shell in the final file system: `sh`, `bash`, `dash`, `ash`, `zsh` or `busybox` in /bin, /usr/bin, /sbin, /usr/sbin or /busybox. Images named as `debug` variants, which ship busybox on purpose, are left alone.",
            why: "Distroless is chosen so that a compromised process finds no shell and no tools to run; a shell copied in (often by a multi-stage build that copied a whole directory, or a base swapped for a `:debug` tag) silently undoes that while the name still promises it.",
            example: "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /bin/busybox /bin/sh",
            fix: "Remove the shell (copy only the application's files from the build stage), or, when a shell is really needed, drop the distroless claim so reviewers know.",
            references: &["https://github.com/GoogleContainerTools/distroless#debug-images"],
            peer_notes: "",
        },
    },
    check: Check::Image(check),
};

const SHELLS: &[&str] = &[
    "/bin/sh", "/bin/bash", "/bin/dash", "/bin/ash", "/bin/zsh", "/bin/busybox",
    "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/dash", "/usr/bin/ash", "/usr/bin/zsh", "/usr/bin/busybox",
    "/sbin/sh", "/usr/sbin/sh", "/busybox/sh", "/busybox/busybox",
];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    let Some(claim) = distroless_claim(image) else { return };
    if image.object.to_ascii_lowercase().contains("debug") {
        return;
    }
    for file in executables(image, SHELLS) {
        out.report_image_file(&image.object, &file.path, format!("{} is a shell in an image that says it is distroless ({claim})", file.path))
            .set_evidence(describe_file(image, file));
    }
}

/// Where the image says it is distroless, if it does.
fn distroless_claim(image: &ImageContent) -> Option<String> {
    let says = |text: &str| text.to_ascii_lowercase().contains("distroless");
    if says(&image.object) {
        return Some("its name".into());
    }
    if let Some((key, _)) = image.labels.iter().find(|(key, value)| says(key) || says(value)) {
        return Some(format!("label {key}"));
    }
    if image.os.as_ref().is_some_and(|os| says(&os.pretty_name) || says(&os.id)) {
        return Some("/etc/os-release".into());
    }
    None
}
