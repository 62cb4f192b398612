//! DKF063: a value shaped like a real credential (cloud key, API token, private key) in the
//! Dockerfile.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF063",
        name: "secret-value-in-dockerfile",
        title: "Do not write credentials into the Dockerfile",
        severity: Severity::Critical,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags values shaped like real credentials wherever the Dockerfile holds a value: ENV values, ARG \
                   defaults and LABEL values (any kind below), and the words and variable assignments of RUN, CMD, \
                   ENTRYPOINT and HEALTHCHECK commands and heredoc bodies (service tokens). Shapes recognised: AWS access key ids \
                   (`AKIA`/`ASIA`...), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`), GitLab \
                   (`glpat-`), Slack (`xoxb-`...), Stripe live keys (`sk_live_`, `rk_live_`), Google API keys \
                   (`AIza`), npm (`npm_`), PyPI, Docker Hub (`dckr_pat_`), Hugging Face (`hf_`), OpenAI (`sk-proj-`), \
                   Anthropic (`sk-ant-`) tokens, JSON Web Tokens, private key blocks and URLs with a password \
                   (`postgres://app:pw@db`). Placeholders (`AKIA...EXAMPLE`, `ghp_xxxx...`, `<token>`) are skipped.",
            why: "A credential in a Dockerfile is in the source repository, in every build log, and (for ENV, ARG, LABEL \
                  and RUN) in the image's configuration or `docker history`, readable by everyone who can pull the \
                  image, indefinitely. Tokens of these shapes are live credentials for cloud accounts, source code and \
                  package registries; attackers scan public images and repositories for them within minutes.",
            example: "FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID=AKIAZ7Q3RTV5WXYB2C4D",
            fix: "Revoke the credential now: it has been exposed. Then pass credentials to the build as BuildKit \
                  secrets (`RUN --mount=type=secret,id=aws,target=/root/.aws/credentials aws s3 cp ...`, built with \
                  `docker build --secret id=aws,src=$HOME/.aws/credentials .`) and to containers at run time \
                  (secrets mounted as files, or environment from the orchestrator), never in the Dockerfile.",
            references: &[
                "https://docs.docker.com/build/building/secrets/",
                "https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns",
            ],
            peer_notes: "Trivy's AVD-DS-0031 looks at a fixed list of variable names, not values (rampart's DKF064 covers \
                         names); trivy's separate secret scanner finds token shapes in files but not as a Dockerfile \
                         misconfiguration. In RUN commands, private keys and URL passwords are left to DKF077 and \
                         DKF078, which explain those cases better.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for ins in &df.instructions {
        // (text, where it is, whether every kind counts or only service tokens)
        let mut texts: Vec<(&str, Span, bool)> = Vec::new();
        match &ins.kind {
            Kind::Env(pairs) | Kind::Label(pairs) => {
                texts.extend(pairs.iter().map(|kv| (kv.value.value.as_str(), kv.value.span, true)));
            }
            Kind::Arg(decls) => {
                texts.extend(decls.iter().filter_map(|d| d.default.as_ref()).map(|w| (w.value.as_str(), w.span, true)));
            }
            Kind::Run(run) => {
                if let Some(script) = &run.script {
                    for command in &script.commands {
                        let words = std::iter::once(&command.program).chain(&command.args);
                        texts.extend(words.map(|w| (w.value.as_str(), w.span, false)));
                        texts.extend(command.env.iter().map(|(_, value)| (value.as_str(), command.span, false)));
                    }
                    texts.extend(script.assignments.iter().map(|a| (a.value.value.as_str(), a.value.span, false)));
                } else {
                    push_command_form(&mut texts, &run.command);
                }
                texts.extend(run.heredocs.iter().map(|h| (h.body.as_str(), h.span, false)));
            }
            Kind::Copy(copy) | Kind::Add(copy) => {
                texts.extend(copy.heredocs.iter().map(|h| (h.body.as_str(), h.span, false)));
            }
            Kind::Cmd(form) | Kind::Entrypoint(form) | Kind::Healthcheck(Some(form)) => {
                push_command_form(&mut texts, form)
            }
            _ => {}
        }
        let mut reported: Vec<String> = Vec::new();
        for (text, span, every_kind) in texts {
            for found in secrets::find_secrets(text) {
                if !every_kind && !found.kind.is_token() {
                    continue;
                }
                let shown = found.redacted(text);
                if reported.contains(&shown) {
                    continue;
                }
                let message = format!(
                    "{} in {}: exposed to everyone with the Dockerfile or the image",
                    found.kind.describe(),
                    ins.keyword
                );
                let at = helpers::span_within(df, span, text, found.start, found.end);
                out.report(at, message).set_evidence(shown.clone());
                reported.push(shown);
            }
        }
    }
}

fn push_command_form<'a>(texts: &mut Vec<(&'a str, Span, bool)>, form: &'a CommandForm) {
    match form {
        CommandForm::Exec(words) => texts.extend(words.iter().map(|w| (w.value.as_str(), w.span, false))),
        CommandForm::Shell(shell) => texts.push((shell.text.as_str(), shell.span, false)),
    }
}
