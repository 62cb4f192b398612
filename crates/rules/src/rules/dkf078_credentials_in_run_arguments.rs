//! DKF078: passwords on RUN command lines (URL user info, `curl -u user:pass`, `-p`).

use crate::prelude::*;
use crate::secrets;
use rampart_model::redact;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF078",
        name: "credentials-in-run-arguments",
        title: "Do not put passwords on RUN command lines",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags literal passwords in RUN commands: URLs with user info (`git clone https://user:token@host/repo`, \
                   `pip install --index-url https://u:p@host/simple`, `git config url.\"https://bot:pw@host/\".insteadOf`), \
                   `curl -u user:password`, `wget --password=`/`--http-password=`/`--ftp-password=`, \
                   `docker|podman|helm login -p`/`--password`, `mysql -pPASSWORD`/`--password=`, and `sshpass -p`. \
                   Values that are variables (`https://x-access-token:${TOKEN}@...`) or placeholders are not flagged \
                   here (a secret build ARG behind the variable is DKF065's).",
            why: "The RUN line is stored verbatim in the image history (`docker history --no-trunc`) and the source \
                  repository; tools like git and pip also write such URLs into configuration files inside the layer \
                  (`.git/config`, `pip.conf`). Everyone who can read the image or the repository gets the credential.",
            example: "FROM alpine/git:2.45.2\nRUN git clone https://deploy:Zq8v2LkP9wX3@git.example.invalid/org/app.git /src",
            fix: "Revoke the credential, then pass it as a BuildKit secret read only by the RUN that needs it (`RUN --mount=type=secret,id=git_token ...`), or use `--mount=type=ssh` for Git over SSH.\n\n\
                  ```dockerfile\nRUN --mount=type=secret,id=git_token \\\n    \
                  git clone \"https://x-access-token:$(cat /run/secrets/git_token)@git.example.invalid/org/app.git\" /src \\\n \
                  && git -C /src remote set-url origin https://git.example.invalid/org/app.git\n```\n\n\
                  For pip and curl, mount a `.netrc` as a secret (`--mount=type=secret,id=netrc,target=/root/.netrc`).",
            references: &["https://docs.docker.com/build/building/secrets/"],
            peer_notes: "No peer has this check for RUN lines. URL passwords equal to the user name (`postgres:postgres@`) and \
                         placeholders (`user:password@`, `<password>`) are treated as examples, not secrets.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (index, command) in helpers::commands_run(script) {
            // URLs with a password, in any argument (the raw command, not the unwrapped one, so
            // that a wrapper's own arguments count too).
            let original = &script.commands[index];
            let with_url =
                original.args.iter().find_map(|w| secrets::url_userinfos(&w.value).into_iter().next().map(|u| (w, u)));
            if let Some((word, info)) = with_url {
                let url = &word.value[info.start..info.end];
                out.report(word.span, format!("a URL with a password is passed to `{}`", command.name()))
                    .set_evidence(secrets::redact_url_password(url));
                continue;
            }
            if let Some((option, password)) = password_option(&command) {
                out.report(
                    command.span,
                    format!("`{} {option}` passes a password on the command line", command.name()),
                )
                .set_evidence(format!("{} {option} {}", command.name(), redact(password)));
            }
        }
    }
}

/// A literal password given to a command by option: the option as written and the password.
fn password_option(command: &Command) -> Option<(&'static str, &str)> {
    let literal = |value: &str| secrets::is_literal_secret_value(value);
    match command.name() {
        "curl" => {
            let credentials = helpers::option_value(&command.args, "-u", "--user")?;
            let (_, password) = credentials.split_once(':')?;
            literal(password).then_some(("-u", password))
        }
        "wget" => ["--password", "--http-password", "--ftp-password", "--proxy-password"].iter().find_map(|&option| {
            helpers::option_value(&command.args, "", option).filter(|p| literal(p)).map(|p| (option, p))
        }),
        "docker" | "podman" | "helm" | "buildah" | "skopeo" | "nerdctl" => {
            let logs_in = command.args.iter().any(|a| a.value == "login");
            let password = helpers::option_value(&command.args, "-p", "--password")?;
            (logs_in && literal(password)).then_some(("--password", password))
        }
        "mysql" | "mysqladmin" | "mysqldump" | "mariadb" | "mariadb-admin" | "mariadb-dump" => {
            // `-pSECRET` (attached; a bare `-p` prompts) or `--password=SECRET`.
            let attached = command
                .args
                .iter()
                .find_map(|a| a.value.strip_prefix("-p").filter(|p| !p.is_empty() && !a.value.starts_with("--")));
            let long = command.args.iter().find_map(|a| a.value.strip_prefix("--password="));
            attached.or(long).filter(|p| literal(p)).map(|p| ("-p", p))
        }
        "sshpass" => helpers::option_value(&command.args, "-p", "").filter(|p| literal(p)).map(|p| ("-p", p)),
        _ => None,
    }
}
