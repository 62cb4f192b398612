//! SEC002: a variable named like a secret, with a literal value.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC002",
        name: "secret-variable-with-literal-value",
        title: "Do not write secret values into container environments",
        severity: Severity::Medium,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags environment variables named like secrets (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, ...) \
                   whose value is written out literally, placeholders such as `changeme` included. Not flagged: values \
                   taken from a variable (`$DB_PASSWORD` in a script, `${DB_PASSWORD}` in compose), values passed through \
                   (`-e DB_PASSWORD`), empty values, switches (`true`), and paths such as a `*_FILE` variable pointing at a \
                   mounted secret. Values shaped like a known token are SEC001's.",
            why: "The value is in the file, so in version control and in every copy of it, and in the container's \
                  environment, visible through `docker inspect` and `/proc/*/environ`. A placeholder is no better: the \
                  file is where the real value will be typed, and containers do get deployed with `changeme`.",
            example: "docker run -d -e POSTGRES_PASSWORD=s3cr3t-Pa55 postgres:16",
            fix: "Mount the secret as a file and point the image at it: compose `secrets:` with \
                  `POSTGRES_PASSWORD_FILE: /run/secrets/db_password`; or take it from the caller's environment \
                  (`-e POSTGRES_PASSWORD`, `${POSTGRES_PASSWORD}`).",
            references: &["https://docs.docker.com/compose/how-tos/use-secrets/"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for var in &cx.spec.env {
        let Some(value) = var.value.value.as_deref() else { continue };
        let trimmed = value.trim();
        let not_a_value = trimmed.is_empty()
            || var.from_variable
            || secrets::is_reference(trimmed)
            || secrets::looks_like_path(trimmed)
            || secrets::is_boolean(trimmed);
        if not_a_value || !secrets::is_secret_name(&var.name) || !secrets::find_secrets(value).is_empty() {
            continue;
        }
        let message = if cx.spec.source.image_defaults_merged() {
            format!("{} holds a value in the container's environment", var.name)
        } else if secrets::is_placeholder(trimmed) {
            format!("{} is set to a placeholder value in the file: the real one will be typed here", var.name)
        } else {
            format!("{} is set to a literal value", var.name)
        };
        out.report_value(var, message).set_evidence(format!("{}={}", var.name, rampart_model::redact(value)));
    }
}
