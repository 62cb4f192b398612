//! DKF055: `NODE_TLS_REJECT_UNAUTHORIZED=0`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF055",
        name: "node-tls-reject-unauthorized-off",
        title: "Do not turn off Node.js certificate verification with NODE_TLS_REJECT_UNAUTHORIZED=0",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_6"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `NODE_TLS_REJECT_UNAUTHORIZED` set to `0` by ENV, by an ARG default, or in a RUN \
                   (`NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci`, `export ...`, `env ...`).",
            why: "Node.js then accepts any certificate on every TLS connection of the process: npm installing packages \
                  at build time, and, when set with ENV, the application at run time, whose calls to APIs and databases \
                  can then be intercepted. Node prints a warning for this reason.",
            example: "FROM node:20-slim\nENV NODE_TLS_REJECT_UNAUTHORIZED=0",
            fix: "Remove the variable. For a private CA, give Node the CA instead: `ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp.crt`.",
            references: &["https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue"],
            peer_notes: "Same check as checkov's CKV2_DOCKER_6. Measured on this rule's fixtures: checkov's RUN pattern needs a \
                         space after the value, so it misses `RUN export NODE_TLS_REJECT_UNAUTHORIZED=0` at the end of a line; \
                         rampart reads the shell.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for setting in helpers::variable_settings(cx.dockerfile) {
        if setting.name == "NODE_TLS_REJECT_UNAUTHORIZED" && setting.value.trim() == "0" {
            let scope = if matches!(setting.instruction.kind, Kind::Env(_)) {
                "in the image's environment"
            } else {
                "for the build"
            };
            out.report(
                setting.span,
                format!("NODE_TLS_REJECT_UNAUTHORIZED=0 turns off Node.js certificate checks {scope}"),
            );
        }
    }
}
