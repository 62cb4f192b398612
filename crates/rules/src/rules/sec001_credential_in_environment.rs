//! SEC001: a credential-shaped value in the environment.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "SEC001",
        name: "credential-in-environment",
        title: "Do not pass credentials in environment variables",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags environment variables (`-e`, `environment:`, env files, live container config) whose value has the \
                   shape of a known credential: AWS access keys, GitHub, GitLab, Slack, Stripe, npm, PyPI, Docker Hub, \
                   OpenAI and other tokens, private key blocks, JWTs, URLs with a password.",
            why: "A container's environment is visible to anyone who can run `docker inspect`, ends up in CI logs, crash \
                  reports and `/proc/*/environ`, and is inherited by every child process. Written in a script, README or \
                  compose file, the credential is also in version control.",
            example: "docker run -d -e GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx app:1.0",
            fix: "Revoke the credential, then pass it as a secret: `docker secret` or compose `secrets:` (mounted as a file \
                  under /run/secrets, read through a `*_FILE` variable), or at least from the caller's environment \
                  (`-e GITHUB_TOKEN` with no value, or `${GITHUB_TOKEN}` in compose) so it is not written down.",
            references: &[
                "https://docs.docker.com/compose/how-tos/use-secrets/",
                "https://docs.docker.com/engine/swarm/secrets/",
            ],
            peer_notes: "docker-bench-security does not look at container environments.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for var in &cx.spec.env {
        let Some(value) = var.value.value.as_deref() else { continue };
        if let Some(found) = secrets::find_secrets(value).first() {
            out.report_value(var, format!("{} holds {}", var.name, found.kind.describe()))
                .set_evidence(format!("{}={}", var.name, found.redacted(value)));
        }
    }
}
