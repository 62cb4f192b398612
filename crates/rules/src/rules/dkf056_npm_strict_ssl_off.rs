//! DKF056: npm, pnpm or Yarn told not to check certificates (`strict-ssl false`).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF056",
        name: "npm-strict-ssl-off",
        title: "Do not turn off npm/Yarn certificate checks (strict-ssl false)",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_12", "CKV2_DOCKER_13"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `npm config set strict-ssl false` (also `npm set`, `npm c set`, `strict-ssl=false`, pnpm and \
                   Yarn 1), Yarn 2+'s `yarn config set enableStrictSsl false`, the options `--strict-ssl=false` and \
                   `--no-strict-ssl`, the variables `NPM_CONFIG_STRICT_SSL`/`npm_config_strict_ssl`/`YARN_ENABLE_STRICT_SSL` \
                   set to false (ENV, ARG default, RUN), and `strict-ssl=false` written into `.npmrc`/`.yarnrc`.",
            why: "With strict-ssl off the package manager accepts any certificate from the registry, so anyone on the \
                  network path of the build can serve modified packages, whose install scripts run during the build and \
                  whose code ships in the image.",
            example: "FROM node:20-slim\nRUN npm config set strict-ssl false && npm ci",
            fix: "Remove the setting. For a registry behind a private CA, give npm the CA instead: \
                  `npm config set cafile /usr/local/share/ca-certificates/corp.crt` (or `NODE_EXTRA_CA_CERTS`).",
            references: &["https://docs.npmjs.com/cli/v10/using-npm/config#strict-ssl"],
            peer_notes: "checkov's CKV2_DOCKER_12 (variable) and CKV2_DOCKER_13 (`npm|yarn config set strict-ssl false`) map here. \
                         Measured on this rule's fixtures: checkov also flags the command quoted in an `echo` string, and \
                         misses pnpm, Yarn 2+ (`enableStrictSsl`), the `--strict-ssl=false`/`--no-strict-ssl` options and rc \
                         files.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if !matches!(command.name(), "npm" | "pnpm" | "yarn") {
                continue;
            }
            let option_off = command.args.iter().enumerate().any(|(i, arg)| match arg.value.as_str() {
                "--no-strict-ssl" => true,
                "--strict-ssl" => command.args.get(i + 1).is_some_and(|v| helpers::is_off(&v.value)),
                other => other.strip_prefix("--strict-ssl=").is_some_and(helpers::is_off),
            });
            if option_off || config_sets_strict_ssl_off(&command) {
                out.report(
                    command.span,
                    format!("`{}` is told to accept any certificate (strict-ssl off)", command.name()),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let is_rc = matches!(helpers::file_name(&write.path), ".npmrc" | "npmrc" | ".yarnrc" | ".yarnrc.yml");
            if is_rc && write.lines().iter().any(|line| rc_line_turns_off(line)) {
                out.report(write.command.span, format!("strict-ssl turned off in {}", write.path));
            }
        }
    }
    for setting in helpers::variable_settings(df) {
        let name = setting.name.to_ascii_uppercase();
        if matches!(name.as_str(), "NPM_CONFIG_STRICT_SSL" | "YARN_ENABLE_STRICT_SSL" | "YARN_STRICT_SSL")
            && helpers::is_off(&setting.value)
        {
            out.report(
                setting.span,
                format!("{}={} makes npm/Yarn accept any certificate", setting.name, setting.value),
            );
        }
    }
}

/// True for a strict-ssl setting key: `strict-ssl` (npm, pnpm, Yarn 1) or `enableStrictSsl`
/// (Yarn 2+).
fn is_strict_ssl_key(key: &str) -> bool {
    let key = key.trim_matches(['"', '\'']).to_ascii_lowercase();
    key == "strict-ssl" || key == "enablestrictssl"
}

/// `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set enableStrictSsl false`.
fn config_sets_strict_ssl_off(command: &Command) -> bool {
    let operands: Vec<&str> = helpers::operands(&command.args, &[]).into_iter().map(|w| w.value.as_str()).collect();
    let setting = match operands.as_slice() {
        ["config" | "c", "set", rest @ ..] | ["set", rest @ ..] => rest,
        _ => return false,
    };
    match setting {
        [key, value, ..] if is_strict_ssl_key(key) => helpers::is_off(value),
        [pair, ..] => pair.split_once('=').is_some_and(|(key, value)| is_strict_ssl_key(key) && helpers::is_off(value)),
        [] => false,
    }
}

/// `strict-ssl=false` (.npmrc), `strict-ssl false` (.yarnrc), `enableStrictSsl: false` (.yarnrc.yml).
fn rc_line_turns_off(line: &str) -> bool {
    let (key, value) = match line.split_once(['=', ':']) {
        Some((key, value)) => (key, value),
        None => line.split_once(char::is_whitespace).unwrap_or((line, "")),
    };
    is_strict_ssl_key(key.trim()) && helpers::is_off(value.trim().trim_matches(['"', '\'']))
}
