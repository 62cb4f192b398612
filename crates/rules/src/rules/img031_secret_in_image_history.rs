//! IMG031: a secret in the image history: a build argument's value, or a secret written into a
//! RUN command, both recorded in the step's `created_by`.

use crate::image::history_instruction;
use crate::image_content::{build_arguments, show_command};
use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG031",
        name: "secret-in-image-history",
        title: "Keep secrets out of the image history (build arguments included)",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Reads each history step's `created_by` and flags a build argument with a secret-named key and a literal value (`|1 DEPLOY_TOKEN=... /bin/sh -c ...`, as the builder records the arguments a RUN step used), or any credential the shared secret scanner finds in the command. ENV and LABEL steps are left to IMG003 and IMG030. Values are redacted.",
            why: "`docker history --no-trunc` shows every step's command to anyone who pulls the image, with the values of the build arguments it used: `ARG TOKEN` plus `--build-arg TOKEN=...` publishes the token even though no file holds it.",
            example: "ARG NPM_TOKEN\nRUN echo \"//registry/:_authToken=$NPM_TOKEN\" > .npmrc && npm ci && rm .npmrc",
            fix: "Revoke the credential. Pass build-time secrets as BuildKit secret mounts (`RUN --mount=type=secret,id=npm_token ...` with `docker build --secret id=npm_token,env=NPM_TOKEN`): they are never recorded in the history or a layer.",
            references: &["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/reference/dockerfile/#arg"],
            peer_notes: "hadolint and trivy's Dockerfile checks flag secret-named ARGs in the Dockerfile (DKF rules here); this reads what the built image actually recorded.",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    // The classic builder records the build arguments on every RUN step after the ARG: each
    // argument is reported once, at the first step that recorded it.
    let mut reported: Vec<(&str, &str)> = Vec::new();
    for (index, step) in image.history.iter().enumerate() {
        let command = step.created_by.as_str();
        if matches!(history_instruction(command), Some("ENV" | "LABEL")) {
            continue;
        }
        let place = match step.layer {
            Some(layer) => format!("history step {} (layer {layer})", index + 1),
            None => format!("history step {}", index + 1),
        };
        let mut what = Vec::new();
        for (name, value) in build_arguments(command) {
            if secrets::is_secret_name(name) && secrets::is_literal_secret_value(value) && !reported.contains(&(name, value)) {
                reported.push((name, value));
                what.push(format!("the build argument {name}"));
            }
        }
        let arguments_only = secrets::find_secrets(command).iter().all(|found| {
            let at = found.start;
            build_arguments(command).any(|(_, value)| command.get(at..at + value.len()) == Some(value))
        });
        if what.is_empty() && !arguments_only {
            if let Some(found) = secrets::find_secrets(command).first() {
                what.push(found.kind.describe().to_string());
            }
        }
        if what.is_empty() {
            continue;
        }
        out.report_object(&image.object, format!("{place} records {}", what.join(" and ")))
            .set_evidence(show_command(command, 200));
    }
}
