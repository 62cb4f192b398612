//! IMG021: setuid or setgid files in the image.

use crate::image_content::describe_file;
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG021",
        name: "setuid-setgid-files",
        title: "Remove setuid and setgid bits the image does not need",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3, 5],
        aliases: &["CIS-4.8", "CIS-DI-0008"],
        target: Target::Image,
        docs: RuleDocs {
            what: "Lists the regular files of the final file system that have the setuid or setgid bit. One finding per image, naming every file and the layer that put it there.",
            why: "A setuid-root binary is a path from any user in the container to root; with a kernel bug or a misconfiguration that is a path to the host. Most containers need none of them (`su`, `passwd`, `mount`, `chsh`).",
            example: "RUN chmod u+s /usr/local/bin/helper",
            fix: "Strip the bits in the last layer that needs them:\n\n```dockerfile\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true\n```\n\nand run containers with `--security-opt no-new-privileges`.",
            references: &["CIS Docker Benchmark v1.6.0, 4.8", "https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0008"],
            peer_notes: "dockle lists them at INFO level; this names the layer of each file.",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    let files: Vec<&ImageFile> =
        image.files.iter().filter(|f| f.kind == ImageFileKind::File && f.mode & 0o6000 != 0).collect();
    if files.is_empty() {
        return;
    }
    let listed: Vec<String> = files
        .iter()
        .take(20)
        .map(|f| format!("{} {:04o}", describe_file(image, f), f.mode))
        .collect();
    let more = files.len().saturating_sub(listed.len());
    let mut evidence = listed.join("\n");
    if more > 0 {
        evidence.push_str(&format!("\n… and {more} more"));
    }
    out.report_object(&image.object, format!("{} setuid/setgid file(s) in the image", files.len())).set_evidence(evidence);
}
