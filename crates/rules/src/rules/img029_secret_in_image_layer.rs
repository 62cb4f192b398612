//! IMG029: a secret in a file of the image, including files a later layer deleted.

use crate::prelude::*;

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
            what: "Reports secrets (cloud keys, tokens, private keys, passwords in URLs, ...) that the shared secret scanner finds in the files of every layer, not only the final file system: a file added by one layer and deleted by a later one is reported with both layers. Values are redacted.",
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
        let message = match secret.hidden_in {
            Some(hidden_in) => format!(
                "{} holds {} in layer {}; layer {hidden_in} deleted or replaced the file, but the layer still ships it",
                secret.path, secret.description, secret.layer
            ),
            None => format!("{} holds {} (layer {})", secret.path, secret.description, secret.layer),
        };
        out.report_image_file(&image.object, &secret.path, message)
            .set_evidence(format!("{}:{}: {} ({})", secret.path, secret.line, secret.redacted, secret.kind));
    }
}
