//! IMG027: a build step piped a downloaded script into a shell.

use crate::image_content::{history_shell_text, show_command};
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG027",
        name: "remote-script-in-history",
        title: "The image was built by piping a downloaded script into a shell",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Reads each RUN step of the image's history and flags `curl … | sh`, `wget -O- … | bash` and `sh -c \"$(curl …)\"`: code fetched at build time and run unverified. The same analysis as DKF050, applied to the built image, so it also sees base images' steps.",
            why: "Whatever the server (or anyone between it and the builder) returned that day ran as root in the build and is now in the image; nothing records what it was.",
            example: "RUN curl -fsSL https://example.com/install.sh | sh",
            fix: "Download to a file, check its checksum or signature, then run it; or install from a package repository.",
            references: &["https://docs.docker.com/build/building/best-practices/#using-pipes"],
            peer_notes: "",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let Some(dkf050) = crate::find("DKF050") else { return };
    let settings = crate::Settings::default();
    for (index, step) in cx.image.history.iter().enumerate() {
        let Some(script) = history_shell_text(&step.created_by) else { continue };
        // Parsed as the RUN it was, so the Dockerfile rule's shell analysis applies unchanged.
        let text = format!("FROM scratch\nRUN {}\n", script.replace('\n', " "));
        let Ok(dockerfile) = rampart_dockerfile::parse(text.as_bytes(), &rampart_dockerfile::ParseLimits::default()) else { continue };
        let cx_df = DockerfileContext { dockerfile: &dockerfile, path: "history", settings: &settings };
        if crate::check_dockerfile(&cx_df, [dkf050]).is_empty() {
            continue;
        }
        let layer = step.layer.map_or_else(|| "no layer".to_string(), |l| format!("layer {l}"));
        out.report_object(&cx.image.object, format!("history step {index} ({layer}) pipes a downloaded script into a shell"))
            .set_evidence(show_command(&step.created_by, 200));
    }
}
