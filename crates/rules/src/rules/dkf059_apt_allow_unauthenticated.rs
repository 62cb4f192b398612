//! DKF059: apt told to install packages whose signatures it cannot check.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF059",
        name: "apt-allow-unauthenticated",
        title: "Do not let apt install unauthenticated packages",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_8", "CKV2_DOCKER_11"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apt-get`/`apt`/`aptitude` with `--allow-unauthenticated`, `--allow-insecure-repositories`, \
                   `--force-yes`, or `-o` settings to the same effect (`APT::Get::AllowUnauthenticated=true`, \
                   `Acquire::AllowInsecureRepositories=1`, `Acquire::AllowDowngradeToInsecureRepositories`); the same \
                   settings written into an apt.conf file; and repositories added with `[trusted=yes]` or \
                   `[allow-insecure=yes]`.",
            why: "apt's security rests on signed repository metadata: it is what lets packages come over plain HTTP \
                  from any mirror. With these options apt installs whatever a mirror, proxy or network attacker \
                  serves, and package maintainer scripts run as root during the build. `--force-yes` is deprecated \
                  and also allows downgrades to vulnerable versions.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y --allow-unauthenticated vendor-agent",
            fix: "Remove the option and import the repository's signing key instead: download it to \
                  `/etc/apt/keyrings/vendor.asc` (check its fingerprint) and add the repository with \
                  `[signed-by=/etc/apt/keyrings/vendor.asc]`. Use `-y` (or `--allow-downgrades` if you really mean it) \
                  instead of `--force-yes`.",
            references: &[
                "https://manpages.debian.org/bookworm/apt/apt-get.8.en.html",
                "https://wiki.debian.org/SecureApt",
            ],
            peer_notes: "checkov's CKV2_DOCKER_8 (`--allow-unauthenticated`) and CKV2_DOCKER_11 (`--force-yes`) both map here \
                         (measured: they miss `--allow-insecure-repositories`, the `-o` configuration forms, apt.conf files \
                         and `[trusted=yes]` sources). Not flagged: `Acquire::Check-Valid-Until=false` (archive snapshots \
                         need it and signatures are still checked) and `[trusted=yes]` on `file:` repositories, which hold \
                         packages the build made itself (the official postgres images do this).",
        },
    },
    check: Check::Dockerfile(check),
};

const UNSAFE_FLAGS: &[&str] = &["--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"];
const UNSAFE_SETTINGS: &[&str] = &[
    "apt::get::allowunauthenticated",
    "acquire::allowinsecurerepositories",
    "acquire::allowdowngradetoinsecurerepositories",
    "apt::get::force-yes",
];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APT_FAMILY) {
            let command = &call.command;
            let flag = command.args.iter().find(|a| UNSAFE_FLAGS.contains(&a.value.as_str())).map(|a| a.value.clone());
            let setting = apt_options(command).find(|o| is_unsafe_setting(o)).map(str::to_string);
            if let Some(what) = flag.or(setting) {
                out.report(
                    command.span,
                    format!("`{} {what}` installs packages without checking their signatures", command.name()),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let in_apt_config =
                write.path.contains("/etc/apt/apt.conf") || helpers::file_name(&write.path) == "apt.conf";
            let in_sources = write.path.contains("/etc/apt/sources.list")
                || write.path.ends_with(".list")
                || write.path.ends_with(".sources");
            let text = write.text();
            let lower = text.to_ascii_lowercase();
            if in_apt_config && config_text_is_unsafe(&lower) {
                out.report(
                    write.command.span,
                    format!("apt configured in {} to accept unauthenticated packages", write.path),
                );
            } else if in_sources && trusts_remote_repository(&lower) {
                out.report(
                    write.command.span,
                    format!("repository added to {} as trusted: its signatures are not checked", write.path),
                );
            }
        }
    }
}

/// The values of apt's `-o`/`--option` settings (`-o X=Y`, `-oX=Y`, `--option=X=Y`).
fn apt_options<'a>(command: &'a Command) -> impl Iterator<Item = &'a str> + 'a {
    command.args.iter().enumerate().filter_map(move |(i, arg)| {
        let value = arg.value.as_str();
        if value == "-o" || value == "--option" {
            return command.args.get(i + 1).map(|v| v.value.as_str());
        }
        value
            .strip_prefix("--option=")
            .or_else(|| value.strip_prefix("-o").filter(|rest| !rest.is_empty() && !rest.starts_with('-')))
    })
}

/// `APT::Get::AllowUnauthenticated=true` and friends, set to a true value.
fn is_unsafe_setting(setting: &str) -> bool {
    let Some((key, value)) = setting.split_once('=') else { return false };
    UNSAFE_SETTINGS.contains(&key.trim().to_ascii_lowercase().as_str())
        && matches!(value.trim().trim_matches('"').to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
}

/// apt.conf syntax: `APT::Get::AllowUnauthenticated "true";` (lower-cased text).
fn config_text_is_unsafe(lower: &str) -> bool {
    UNSAFE_SETTINGS.iter().any(|key| {
        lower.match_indices(key).any(|(at, _)| {
            let value =
                lower[at + key.len()..].trim_start().trim_start_matches('=').trim_start().trim_start_matches('"');
            ["1", "true", "yes", "on"].iter().any(|v| value.starts_with(v))
        })
    })
}

/// A sources entry marked `[trusted=yes]`/`[allow-insecure=yes]` (or deb822 `Trusted: yes`) for a
/// repository that is not local: `file:`/`copy:` repositories hold packages the build made
/// itself (as the official postgres images do), so there is nothing to authenticate.
fn trusts_remote_repository(lower: &str) -> bool {
    let trusted = ["trusted=yes", "allow-insecure=yes", "trusted: yes"].iter().any(|m| lower.contains(m));
    let local = lower.contains("file:") || lower.contains("copy:");
    trusted && !local
}
