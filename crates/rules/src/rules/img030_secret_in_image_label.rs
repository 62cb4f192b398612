//! IMG030: a secret in a LABEL of the image's config.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG030",
        name: "secret-in-image-label",
        title: "Do not put secrets in image labels",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Reads the labels of the image's config and flags a value shaped like a credential (the shared secret scanner: cloud keys, tokens, private keys, URLs with a password) or a literal value under a secret-named key (`deploy.token`, `registry-password`). Values are redacted.",
            why: "Labels are metadata anyone who can pull the image reads with `docker inspect`, and registries and scanners index them: a token in a label is published with the image.",
            example: "LABEL org.example.registry-token=\"glpat-...\"",
            fix: "Revoke the credential, remove the LABEL and rebuild. Keep labels to descriptive metadata; pass credentials at run time from a secret store.",
            references: &["https://docs.docker.com/reference/dockerfile/#label", "https://docs.docker.com/build/building/secrets/"],
            peer_notes: "trivy's secret scanner reads files, not the image config's labels.",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    for (key, value) in &image.labels {
        let found = secrets::find_secrets(value);
        let message = match found.first() {
            Some(first) => format!("the image's label {key} holds {}", first.kind.describe()),
            None if secrets::is_secret_name(key) && secrets::is_literal_secret_value(value) => {
                format!("the image's label {key} holds a secret value")
            }
            None => continue,
        };
        let shown = if found.is_empty() { rampart_model::redact(value) } else { secrets::redact_secrets_in(value) };
        out.report_object(&image.object, message).set_evidence(format!("LABEL {key}={shown}"));
    }
}
