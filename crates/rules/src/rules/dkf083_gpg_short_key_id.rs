//! DKF083: a signing key fetched by its 32-bit short key id.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF083",
        name: "gpg-short-key-id",
        title: "Fetch signing keys by full fingerprint, not a short key id",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `gpg --recv-keys`/`--recv-key`/`--receive-keys` and `apt-key adv --recv-keys` given an 8-hex-digit \
                   short key id (`0x7FCC7D46`, `7FCC7D46`).",
            why: "Short key ids are 32 bits: colliding keys can be generated in seconds, and keyservers have been seeded \
                  with fake keys for real projects' short ids. The key fetched may be an attacker's, and every \
                  signature check that follows then trusts the attacker's packages or downloads.",
            example: "FROM debian:12\nRUN gpg --keyserver hkps://keys.openpgp.org --recv-keys 7FCC7D46",
            fix: "Use the full 40-hex-digit fingerprint published by the project: \
                  `gpg --keyserver hkps://keys.openpgp.org --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4`.",
            references: &["https://evil32.com/", "https://www.gnupg.org/documentation/manuals/gnupg/Specify-a-User-ID.html"],
            peer_notes: "No peer has this check. 16-digit long ids are not flagged: colliding them is far harder, though a \
                         full fingerprint is still better.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if !matches!(command.name(), "gpg" | "gpg2" | "apt-key") {
                continue;
            }
            let Some(start) = command
                .args
                .iter()
                .position(|a| matches!(a.value.as_str(), "--recv-keys" | "--recv-key" | "--receive-keys" | "--recv"))
            else {
                continue;
            };
            let key_ids = command.args[start + 1..].iter().take_while(|a| !a.value.starts_with('-'));
            if let Some(short) = key_ids.into_iter().find(|a| is_short_key_id(&a.value)) {
                out.report(
                    command.span,
                    format!("key {} is fetched by its 32-bit short id, which can be forged", short.value),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
    }
}

/// `7FCC7D46` or `0x7FCC7D46`: eight hex digits.
fn is_short_key_id(value: &str) -> bool {
    let hex = value.strip_prefix("0x").or_else(|| value.strip_prefix("0X")).unwrap_or(value);
    hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}
