//! DKF062: an account password set during the build (`chpasswd`, `passwd --stdin`, `usermod -p`).

use crate::prelude::*;
use rampart_model::redact;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF062",
        name: "password-set-in-image",
        title: "Do not set account passwords in the image",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &["CKV2_DOCKER_17"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN commands that give an account a password or remove it: `chpasswd` in any form, `passwd` \
                   fed through a pipe or given `--stdin`, `passwd -d` (empty password), and `useradd`/`usermod` with \
                   `-p`/`--password` set to anything but a locked value (`*`, `!`, `!!`).",
            why: "The password's hash lands in `/etc/shadow` of a layer that everyone who can pull the image can read \
                  and crack offline, and the clear-text password usually sits in the Dockerfile and in \
                  `docker history`. Every container of the image shares it, so one leak opens all of them (through \
                  `su`, SSH or a console). An empty password (`passwd -d`) is worse.",
            example: "FROM debian:12\nRUN useradd -m app && echo 'app:S3cure!pass' | chpasswd",
            fix: "Create accounts without a password (`useradd --no-create-home --shell /usr/sbin/nologin app`; the \
                  account is locked by default) and give containers their credentials at run time (secrets mounted \
                  as files). Do not run `su`/SSH logins inside containers; use `docker exec`.",
            references: &["https://man7.org/linux/man-pages/man8/chpasswd.8.html"],
            peer_notes: "Same purpose as checkov's CKV2_DOCKER_17, which looks for the word `chpasswd` in the RUN text; rampart \
                         flags the command only, and adds `passwd --stdin`, `passwd` fed by a pipe, `passwd -d`, `useradd -p` \
                         and `usermod -p` (measured: checkov misses all of those).",
        },
    },
    check: Check::Dockerfile(check),
};

/// Password fields that lock an account rather than set a password.
const LOCKED: &[&str] = &["*", "!", "!!", "x", "!*"];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (index, command) in helpers::commands_run(script) {
            let problem = match command.name() {
                "chpasswd" => Some("`chpasswd` sets an account password in the image"),
                "passwd" if command.has_flag(&["-d", "--delete"]) => {
                    Some("`passwd -d` leaves an account without a password")
                }
                "passwd" if command.has_flag(&["--stdin"]) || command.joiner == Joiner::Pipe => {
                    Some("`passwd` fed a password sets it in the image")
                }
                "useradd" | "usermod" | "adduser" => helpers::option_value(&command.args, "-p", "--password")
                    .filter(|value| !LOCKED.contains(value))
                    .map(|_| "an account password is set in the image"),
                _ => None,
            };
            let Some(message) = problem else { continue };
            // The line usually holds the password: the evidence names it only redacted, which
            // also lets the renderer mask it in the source line (or leave the line out).
            let mut passwords: Vec<String> = Vec::new();
            for password in passwords_given(script, index, &command) {
                let shown = redact(&password);
                if !passwords.contains(&shown) {
                    passwords.push(shown);
                }
            }
            let evidence = if passwords.is_empty() {
                command.name().to_string()
            } else {
                format!("{} with password {}", command.name(), passwords.join(", "))
            };
            out.report(command.span, message).set_evidence(evidence);
        }
    }
}

/// The passwords a command is given on its line: `-p VALUE`, or the text piped into it
/// (`echo 'user:pw' | chpasswd`: the part after the colon of each `user:pw`).
fn passwords_given(script: &ShellScript, index: usize, command: &Command) -> Vec<String> {
    if let Some(value) = helpers::option_value(&command.args, "-p", "--password") {
        return vec![value.to_string()];
    }
    let Some(original) = script.commands.get(index) else { return Vec::new() };
    let feeder = index
        .checked_sub(1)
        .and_then(|previous| script.commands.get(previous))
        .filter(|previous| original.joiner == Joiner::Pipe && previous.pipeline == original.pipeline);
    let Some(feeder) = feeder.filter(|f| matches!(f.name(), "echo" | "printf")) else { return Vec::new() };
    let pieces = feeder
        .args
        .iter()
        .filter(|a| !a.value.starts_with('-'))
        .flat_map(|a| a.value.split(['\n', ' ']).flat_map(|line| line.split("\\n")))
        .filter(|piece| !piece.is_empty());
    if command.name() == "chpasswd" {
        pieces.filter_map(|line| line.split_once(':').map(|(_, password)| password.to_string())).collect()
    } else {
        pieces.map(str::to_string).collect()
    }
}
