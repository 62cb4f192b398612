//! DKF079: package registry tokens written into configuration inside the image.

use crate::prelude::*;
use crate::secrets;
use rampart_dockerfile::ShellScript;
use rampart_model::redact;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF079",
        name: "registry-token-in-config",
        title: "Do not store package registry tokens in the image",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN commands that store a registry credential in a configuration file of the layer: \
                   `npm|pnpm|yarn config set //registry/:_authToken TOKEN` (also `_auth`, `_password`, Yarn 2+'s \
                   `npmAuthToken`), `poetry config pypi-token.<repo> TOKEN` / `http-basic.<repo> USER PASS`, \
                   `composer config github-oauth.<host>|gitlab-token.<host>|bearer.<host> TOKEN` / `http-basic.<host> USER PASS`, \
                   and `echo`/`printf` of `_authToken=`, `_auth=`, `_password=` or `npmAuthToken:` into an \
                   `.npmrc`/`.yarnrc.yml`, or of `password` into a `.netrc`/`.pypirc`. A literal token is always \
                   flagged; a token from a variable or a secret file (`$NPM_TOKEN`, `$(cat /run/secrets/npm)`) is flagged \
                   when the shell expands it into the file and the same RUN does not delete the file again.",
            why: "These commands write the token into `~/.npmrc`, `~/.config/pypoetry/auth.toml`, `~/.composer/auth.json` \
                  and the like, inside the layer: it stays in the image even if a later step deletes the file, so \
                  everyone who can pull the image can publish to (or read from) the registry as you. A literal token \
                  is also in the Dockerfile and `docker history`.",
            example: "FROM node:20-slim\nRUN npm config set //registry.example.invalid/:_authToken npm_0123456789abcdefghijABCDEFGHIJ012345 && npm ci",
            fix: "Mount the configuration as a BuildKit secret for the step that needs it (`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`), so the token never lands in a layer.\n\n\
                  ```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\n\n\
                  Writing the file and deleting it in the same RUN also keeps it out of the layer. An `.npmrc` line that refers to an environment variable in \
                  single quotes (`'//registry/:_authToken=${NPM_TOKEN}'`) is resolved by npm at run time and is fine.",
            references: &[
                "https://docs.docker.com/build/building/secrets/",
                "https://docs.npmjs.com/docker-and-private-modules",
            ],
            peer_notes: "No peer has this check. URLs with passwords given to `pip config set` are DKF078's.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::run_scripts(df) {
        for (index, command) in helpers::commands_run(script) {
            let Some(stored) = stored_credential(&command) else { continue };
            let token = stored.value.as_str();
            let literal = secrets::is_literal_secret_value(token);
            let expanded_reference = secrets::is_reference(token)
                && !stored.single_quoted
                && !cleaned_up_after(script, index, command.name());
            if literal || expanded_reference {
                let how = if literal { "a literal token" } else { "a token from the build environment" };
                let shown = if literal { redact(token) } else { token.to_string() };
                out.report(
                    command.span,
                    format!("`{} config` stores {how} for {} in the layer", command.name(), stored.key),
                )
                .set_evidence(format!("{} {shown}", stored.key));
            }
        }
        for write in helpers::file_writes(script) {
            let file = helpers::file_name(&write.path);
            let keys: &[&str] = match file {
                ".npmrc" | "npmrc" | ".yarnrc" | ".yarnrc.yml" => {
                    &["_authtoken", "_auth", "_password", "npmauthtoken", "npmauthident"]
                }
                ".netrc" | "_netrc" | ".pypirc" => &["password"],
                _ => continue,
            };
            if helpers::path_on_transient_mount(run, &write.path) {
                continue;
            }
            let removed_later = script.commands[write.index + 1..].iter().any(|c| helpers::removes(c, &write.path));
            let single_quoted = write.words.iter().all(|w| w.raw.starts_with('\''));
            for line in write.lines() {
                let Some(value) = credential_value(&line, keys) else { continue };
                let literal = secrets::is_literal_secret_value(&value);
                let expanded = secrets::is_reference(&value) && !single_quoted && !removed_later;
                if literal && !removed_later || expanded {
                    out.report(write.command.span, format!("a registry credential is written to {}", write.path))
                        .set_evidence(if literal { redact(&value) } else { value.clone() });
                    break;
                }
            }
        }
    }
}

/// A credential a package manager's `config` command stores.
struct StoredCredential {
    /// The setting, as written (`//registry/:_authToken`).
    key: String,
    /// The secret's value as the shell passes it (`npm_...`, `$NPM_TOKEN`).
    value: String,
    /// The word was single-quoted: a `${VAR}` in it reaches the tool unexpanded (npm expands
    /// such references itself when it reads its configuration, so nothing secret is stored).
    single_quoted: bool,
}

/// For a package manager's `config` command that stores a credential: what it stores.
fn stored_credential(command: &Command) -> Option<StoredCredential> {
    let operands = helpers::operands(&command.args, &["--location", "-L", "--userconfig", "--global-config"]);
    let values: Vec<&str> = operands.iter().map(|w| w.value.as_str()).collect();
    let setting_start = match (command.name(), values.as_slice()) {
        ("npm" | "pnpm" | "yarn", ["config" | "c", "set", ..]) => 2,
        ("npm" | "pnpm", ["set", ..]) => 1,
        ("poetry" | "composer", ["config", ..]) => 1,
        _ => return None,
    };
    let key = *values.get(setting_start)?;
    let lower = key.to_ascii_lowercase();
    let secret_at = |offset: usize| {
        operands.get(setting_start + offset).map(|word| StoredCredential {
            key: key.to_string(),
            value: word.value.clone(),
            single_quoted: word.raw.starts_with('\''),
        })
    };
    match command.name() {
        "npm" | "pnpm" | "yarn" => {
            let is_npm_key = |k: &str| {
                let name = k.rsplit(':').next().unwrap_or(k).to_ascii_lowercase();
                matches!(name.as_str(), "_authtoken" | "_auth" | "_password" | "npmauthtoken" | "npmauthident")
            };
            // `npm config set //registry/:_authToken=TOKEN`: key and secret in one word.
            if let Some((k, v)) = key.split_once('=') {
                let word = operands[setting_start];
                return is_npm_key(k).then(|| StoredCredential {
                    key: k.to_string(),
                    value: v.to_string(),
                    single_quoted: word.raw.starts_with('\''),
                });
            }
            if is_npm_key(key) {
                secret_at(1)
            } else {
                None
            }
        }
        "poetry" if lower.starts_with("pypi-token.") => secret_at(1),
        "poetry" | "composer" if lower.starts_with("http-basic.") => secret_at(2),
        "composer"
            if ["github-oauth.", "gitlab-token.", "gitlab-oauth.", "bearer.", "bitbucket-oauth."]
                .iter()
                .any(|p| lower.starts_with(p)) =>
        {
            secret_at(1)
        }
        _ => None,
    }
}

/// The value of a credential line: `//host/:_authToken=VALUE`, `npmAuthToken: VALUE`,
/// `machine host login u password VALUE`, `password = VALUE`.
fn credential_value(line: &str, keys: &[&str]) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    for key in keys {
        let Some(at) = lower.find(key) else { continue };
        let rest = line[at + key.len()..].trim_start();
        let rest = rest.strip_prefix(['=', ':']).unwrap_or(rest).trim();
        let value = rest.split_whitespace().next()?.trim_matches(['"', '\'']);
        if !value.is_empty() {
            return Some(value.to_string());
        }
    }
    None
}

/// True when a later command of the script removes the tool's configuration again
/// (`rm ~/.npmrc`, `npm config delete ...`).
fn cleaned_up_after(script: &ShellScript, index: usize, tool: &str) -> bool {
    helpers::commands_run(script).skip(index + 1).any(|(_, c)| {
        (c.name() == tool && c.args.iter().any(|a| a.value == "delete" || a.value == "unset"))
            || (c.name() == "rm"
                && c.args.iter().any(|a| {
                    let file = helpers::file_name(&a.value);
                    file.starts_with(".npmrc")
                        || file.starts_with(".yarnrc")
                        || file == "auth.json"
                        || file == "auth.toml"
                }))
    })
}
