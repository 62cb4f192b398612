//! SEC003: secrets defined at the top level, environment variables used instead.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC003",
        name: "environment-despite-secrets",
        title: "Use the project's secrets instead of environment variables",
        severity: Severity::Medium,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Compose,
        docs: RuleDocs {
            what: "In a compose project that defines top-level `secrets:`, flags service environment variables named like \
                   secrets (`*_PASSWORD`, `*_TOKEN`, ...) that carry a value, whether written out or interpolated from \
                   `${VAR}`, instead of pointing at a mounted secret (`*_FILE: /run/secrets/...`).",
            why: "The project already has the safer mechanism: secrets are files under /run/secrets, readable only inside \
                  the container, absent from `docker inspect` and from the environment every child process inherits. A \
                  secret passed as a variable next to them leaks through all of those.",
            example: "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\nsecrets:\n  db_password:\n    file: ./db_password.txt",
            fix: "Mount the secret and point the image at the file: `secrets: [db_password]` on the service and \
                  `POSTGRES_PASSWORD_FILE: /run/secrets/db_password` in its environment.",
            references: &["https://docs.docker.com/compose/how-tos/use-secrets/"],
            peer_notes: "",
        },
    },
    check: Check::Project(check),
};

fn check(cx: &ProjectContext<'_>, out: &mut Sink<'_>) {
    let project = cx.project;
    if project.secrets.is_empty() {
        return;
    }
    let defined: Vec<&str> = project.secrets.iter().map(|s| s.name.as_str()).collect();
    for service in &project.services {
        for var in &service.spec.env {
            let Some(value) = var.value.value.as_deref().map(str::trim) else { continue };
            if value.is_empty() || secrets::looks_like_path(value) || secrets::is_boolean(value) || !secrets::is_secret_name(&var.name) {
                continue;
            }
            out.report_value(
                var,
                format!(
                    "service `{}` passes {} in its environment although the project defines secrets ({})",
                    service.name,
                    var.name,
                    defined.join(", ")
                ),
            );
        }
    }
}
