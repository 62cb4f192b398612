//! IMG023: package manager caches left in the image.

use crate::image_content::{files_under, layer_command};
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG023",
        name: "package-cache-left",
        title: "Do not ship package manager caches in the image",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3009", "DL3019", "DL3032", "DL3042"],
        target: Target::Image,
        docs: RuleDocs {
            what: "Flags package indexes and download caches left in the final file system: apt lists and archives, the apk cache, yum and dnf caches, pip's cache. One finding per cache, with its size and the layer that filled it.",
            why: "Caches make the image bigger (often tens of MB) and date it: stale package lists tell an attacker what was installable when the image was built, and every extra byte is pulled on every node.",
            example: "RUN apt-get update && apt-get install -y curl",
            fix: "Clean in the same RUN that fills the cache:\n\n```dockerfile\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n```\n\n(`apk add --no-cache`, `dnf clean all`, `pip install --no-cache-dir`), or use a BuildKit cache mount.",
            references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
            peer_notes: "hadolint's DL3009/DL3019/DL3032/DL3042 guess from the Dockerfile; this looks at what the image really contains, whatever built it.",
        },
    },
    check: Check::Image(check),
};

/// (directory, what it is); lock files and empty `partial/` directories do not count.
const CACHES: &[(&str, &str)] = &[
    ("/var/lib/apt/lists", "apt package lists"),
    ("/var/cache/apt/archives", "downloaded .deb files"),
    ("/var/cache/apk", "the apk cache"),
    ("/var/cache/yum", "the yum cache"),
    ("/var/cache/dnf", "the dnf cache"),
    ("/root/.cache/pip", "pip's cache"),
];

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for (dir, what) in CACHES {
        let files: Vec<&ImageFile> = files_under(image, dir).filter(|f| !f.path.ends_with("/lock") && f.size > 0).collect();
        if files.is_empty() {
            continue;
        }
        let bytes: u64 = files.iter().map(|f| f.size).sum();
        let layer = files.iter().map(|f| f.layer).max().unwrap_or_default();
        let mut evidence = format!("{} file(s), {bytes} bytes under {dir}; last written by layer {layer}", files.len());
        if let Some(command) = layer_command(image, layer) {
            evidence.push_str(&format!(": {}", crate::image_content::show_command(command, 120)));
        }
        out.report_image_file(&image.object, dir, format!("{what} left in the image ({} KiB)", bytes.div_ceil(1024)))
            .set_evidence(evidence);
    }
}
