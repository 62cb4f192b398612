//! DKF064: a variable whose name says it holds a secret, given a literal value.

use crate::prelude::*;
use crate::secrets;
use rampart_model::redact;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF064",
        name: "secret-named-variable",
        title: "Do not give secret variables a value in the Dockerfile",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &["AVD-DS-0031", "SecretsUsedInArgOrEnv"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags ENV values, ARG defaults and RUN assignments (`export DB_PASSWORD=...`) whose variable name says \
                   it holds a secret and whose value is a literal: names ending in PASSWORD, PASSWD, PASSPHRASE, SECRET, \
                   TOKEN, APIKEY, CREDENTIALS, or in API_KEY, ACCESS_KEY, SECRET_KEY, PRIVATE_KEY, ENCRYPTION_KEY, \
                   MASTER_KEY, APP_KEY, AUTH_KEY, LICENSE_KEY, SSH_KEY, DEPLOY_KEY, SIGNING_KEY (optionally followed by \
                   an encoding word such as `_BASE64`), in upper, lower or camel case; `DB_PASS`/`DB_PWD` with a \
                   qualifier. Values shaped like a known token are left to DKF063.",
            why: "ENV values are stored in the image configuration (`docker inspect` shows them to anyone who can pull \
                  the image, and every process of the container inherits them); ARG defaults and RUN lines are in \
                  `docker history` and the source repository. A literal password there is shared by every deployment \
                  and cannot be rotated without rebuilding.",
            example: "FROM postgres:16\nENV POSTGRES_PASSWORD=Sup3rS3cret",
            fix: "Leave the value out of the Dockerfile. For build steps use a BuildKit secret \
                  (`RUN --mount=type=secret,id=db_password ...`); for the running container pass it at run time as a \
                  file (`POSTGRES_PASSWORD_FILE=/run/secrets/db_password` with a compose/Swarm/Kubernetes secret) or \
                  through the orchestrator's environment.",
            references: &[
                "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
                "https://docs.docker.com/build/building/secrets/",
            ],
            peer_notes: "Deliberate differences from trivy's AVD-DS-0031 and BuildKit's SecretsUsedInArgOrEnv, which flag the \
                         name alone: rampart flags only a literal value, because `ARG GITHUB_TOKEN` without a default holds \
                         nothing until build time (DKF065 covers passing secrets as build args) and `ENV DB_PASSWORD=$DB_PASSWORD` \
                         copies one (DKF065 again). Not flagged: names that are about a secret rather than the secret \
                         (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`), identifiers \
                         (`AWS_ACCESS_KEY_ID`, `CLIENT_ID`), public keys (`PUBLIC_KEY`, `NEXT_PUBLIC_API_KEY`, `GPG_KEY`, which \
                         official images use for key fingerprints), `USERNAME`; and values that are empty, references \
                         (`$VAR`, `${VAR}`), file paths (`/run/secrets/db`), switches (`true`, `0`) or obvious \
                         placeholders (`changeme`, `<token>`, `xxxx`). A default that looks real (`admin`, `password123`) \
                         is flagged: rampart cannot tell it from a real one, and a shipped default password is a risk too.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for setting in helpers::variable_settings(cx.dockerfile) {
        let value = setting.value.trim();
        if !secrets::is_secret_name(&setting.name) || !secrets::is_literal_secret_value(value) {
            continue;
        }
        // A value with a recognisable credential shape is DKF063's, reported there as critical.
        if !secrets::find_secrets(value).is_empty() {
            continue;
        }
        out.report(
            setting.span,
            format!("{} is given a literal value in {}", setting.name, setting.instruction.keyword),
        )
        .set_evidence(format!("{}={}", setting.name, redact(value)));
    }
}
