//! DKF057: Git told not to check certificates (`http.sslVerify false`, `GIT_SSL_NO_VERIFY`).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF057",
        name: "git-ssl-verify-off",
        title: "Do not turn off Git's certificate checks",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_14"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `git config [--global|--system] http.sslVerify false` (also per-URL keys such as \
                   `http.https://host/.sslVerify`), `git -c http.sslVerify=false clone ...`, `sslVerify = false` \
                   written into a gitconfig, and the variable `GIT_SSL_NO_VERIFY` set to any value (ENV, ARG default, \
                   RUN): Git disables verification whenever the variable exists, even as `GIT_SSL_NO_VERIFY=false`.",
            why: "Without verification anyone on the network path can impersonate the Git server and hand the build \
                  different source code, which is then compiled into the image. With `--global`/`--system` or ENV the \
                  setting also stays in the image for later use.",
            example: "FROM alpine/git:2.45.2\nRUN git config --global http.sslVerify false",
            fix: "Remove the setting. For a Git server behind a private CA, trust that CA instead: \
                  `git config --global http.sslCAInfo /usr/local/share/ca-certificates/corp.crt`.",
            references: &[
                "https://git-scm.com/docs/git-config#Documentation/git-config.txt-httpsslVerify",
                "https://git-scm.com/docs/git#Documentation/git.txt-codeGITSSLNOVERIFYcode",
            ],
            peer_notes: "checkov's CKV2_DOCKER_14 covers only the variable (measured: it misses `git config http.sslVerify false`, \
                         `git -c http.sslVerify=false` and gitconfig files, which have the same effect).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if command.name() != "git" {
                continue;
            }
            // `git -c http.sslVerify=false <subcommand>`.
            let inline_off = command.args.windows(2).any(|pair| {
                pair[0].value == "-c"
                    && pair[1]
                        .value
                        .split_once('=')
                        .is_some_and(|(key, value)| is_ssl_verify_key(key) && helpers::is_off(value))
            });
            if inline_off || config_sets_ssl_verify_off(&command) {
                out.report(command.span, "Git is told to accept any certificate (http.sslVerify false)")
                    .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let is_gitconfig = matches!(helpers::file_name(&write.path), ".gitconfig" | "gitconfig")
                || write.path.ends_with(".git/config");
            let off = write.lines().iter().any(|line| {
                helpers::ini_setting(line).is_some_and(|(key, value)| key == "sslverify" && helpers::is_off(&value))
            });
            if is_gitconfig && off {
                out.report(write.command.span, format!("`sslVerify = false` written to {}", write.path));
            }
        }
    }
    for setting in helpers::variable_settings(df) {
        if setting.name == "GIT_SSL_NO_VERIFY" {
            out.report(setting.span, "GIT_SSL_NO_VERIFY is set: Git skips certificate checks whatever its value");
        }
    }
}

/// `http.sslVerify` or `http.<url>.sslVerify`, any case.
fn is_ssl_verify_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("http.") && key.ends_with(".sslverify")
}

/// `git config [--global|--system|--file f] http.sslVerify false` (also `key=false` is not git
/// syntax, so only the two-operand form counts).
fn config_sets_ssl_verify_off(command: &Command) -> bool {
    let operands: Vec<&str> = helpers::operands(&command.args, &["-c", "-C", "--file", "-f", "--blob", "--type"])
        .into_iter()
        .map(|w| w.value.as_str())
        .collect();
    matches!(operands.as_slice(), ["config", key, value, ..] if is_ssl_verify_key(key) && helpers::is_off(value))
}
