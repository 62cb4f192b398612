//! DKF054: `PYTHONHTTPSVERIFY=0`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF054",
        name: "python-https-verify-off",
        title: "Do not turn off Python's certificate verification with PYTHONHTTPSVERIFY=0",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_5"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `PYTHONHTTPSVERIFY` set to `0` by ENV, by an ARG default, or in a RUN (`PYTHONHTTPSVERIFY=0 cmd`, \
                   `export PYTHONHTTPSVERIFY=0`, `env PYTHONHTTPSVERIFY=0 cmd`).",
            why: "On Python builds that honour it (RHEL/CentOS and derived images), the variable turns off certificate \
                  checks for every `urllib`/`http.client` HTTPS connection. Set with ENV it stays in the image, so the \
                  application itself talks TLS without verifying its peers at run time: credentials and data it sends \
                  to APIs can be intercepted. That run-time reach is why this rule is rated higher than the build-only \
                  TLS rules.",
            example: "FROM registry.access.redhat.com/ubi9/python-311\nENV PYTHONHTTPSVERIFY=0",
            fix: "Remove the variable. If a server uses a private CA, add that CA to the image's trust store \
                  (`update-ca-trust`/`update-ca-certificates`) or point the client at it (`SSL_CERT_FILE`, \
                  `REQUESTS_CA_BUNDLE`).",
            references: &["https://peps.python.org/pep-0493/"],
            peer_notes: "Same check as checkov's CKV2_DOCKER_5. Measured on this rule's fixtures: checkov also flags \
                         `ENV PYTHONHTTPSVERIFY_NOTE=\"set PYTHONHTTPSVERIFY=0 only for testing\"`, because its pattern \
                         matches inside another variable's value; rampart compares variable names.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for setting in helpers::variable_settings(cx.dockerfile) {
        if setting.name == "PYTHONHTTPSVERIFY" && setting.value.trim() == "0" {
            let scope = if matches!(setting.instruction.kind, Kind::Env(_)) {
                "in the image's environment"
            } else {
                "for the build"
            };
            out.report(setting.span, format!("PYTHONHTTPSVERIFY=0 turns off Python's certificate checks {scope}"));
        }
    }
}
