//! IMG029: a secret in a file of the image, including files a later layer deleted.

use crate::image_content::{layer_command, show_command};
use crate::prelude::*;
use rampart_model::{ImageContent, ImageSecret};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG029",
        name: "secret-in-image-layer",
        title: "Keep secrets out of image layers, deleted files included",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Reports secrets (cloud keys, tokens, private keys, passwords in URLs, ...) that the shared secret scanner finds in the files of every layer, not only the final file system: a file added by one layer and deleted by a later one is reported with both layers and the history commands that made them. A file a later layer rewrote with the same secret (`chmod`, `chown -R`) is reported once, on its latest copy. Values are redacted; documentation, test data, lock files and binary formats are not scanned.",
            why: "Every layer is shipped to everyone who pulls the image: `RUN rm key.pem` in a later step hides the file from containers but leaves it in the earlier layer, one `docker save` away.",
            example: "COPY id_rsa /root/.ssh/id_rsa\nRUN git clone git@example.com:org/app.git && rm /root/.ssh/id_rsa",
            fix: "Revoke the secret first: it has been published with the image. Then pass build-time secrets with BuildKit secret mounts (`RUN --mount=type=secret,id=key ...`), and runtime ones through the orchestrator's secrets, never through COPY, ADD or files written by RUN.",
            references: &["https://docs.docker.com/build/building/secrets/"],
            peer_notes: "trivy scans the final file system and each layer's added files; this also says which later layer hid the file.",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for secret in &image.secrets {
        // A later layer that rewrote the file with the same secret (`chmod`, `chown -R` copy a
        // file up whole) does not delete it: report the secret once, on its latest copy.
        let same_secret = |other: &&ImageSecret| other.path == secret.path && other.kind == secret.kind && other.redacted == secret.redacted;
        if image.secrets.iter().any(|other| same_secret(&other) && other.layer > secret.layer) {
            continue;
        }
        let mut earlier: Vec<usize> = image.secrets.iter().filter(same_secret).map(|s| s.layer).filter(|&l| l < secret.layer).collect();
        earlier.dedup();
        let message = match secret.hidden_in {
            Some(hidden_in) => format!(
                "{} holds {}: added in layer {} ({}) and deleted in layer {hidden_in} ({}), but the layer still ships it",
                secret.path,
                secret.description,
                secret.layer,
                step(image, secret.layer),
                step(image, hidden_in),
            ),
            None => format!("{} holds {} (layer {}: {})", secret.path, secret.description, secret.layer, step(image, secret.layer)),
        };
        let mut evidence = format!("{}:{}: {} ({})", secret.path, secret.line, secret.redacted, secret.kind);
        if !earlier.is_empty() {
            let layers: Vec<String> = earlier.iter().map(usize::to_string).collect();
            evidence.push_str(&format!("; also in the copy of layer {}", layers.join(", ")));
        }
        out.report_image_file(&image.object, &secret.path, message).set_evidence(evidence);
    }
}

/// The history command that made `layer`, shortened, or "history unknown".
fn step(image: &ImageContent, layer: usize) -> String {
    match layer_command(image, layer) {
        Some(command) => format!("`{}`", show_command(command, 100)),
        None => "history unknown".into(),
    }
}
