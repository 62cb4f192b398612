//! DKF082: a private key generated at build time, shared by every container of the image.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF082",
        name: "private-key-generated-in-image",
        title: "Do not generate private keys at build time",
        severity: Severity::Medium,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags, in stages that end up in the final image, RUN commands that create a private key: \
                   `ssh-keygen` generating keys (`-t`, `-b`, `-N`, `-A` for host keys, or no options), `openssl genrsa`, \
                   `genpkey`, `gendsa`, `ecparam -genkey`, `openssl req` with `-newkey` or `-keyout`, `dropbearkey`, \
                   `wg genkey` and GnuPG key generation; unless the key is written to a tmpfs/cache mount or deleted in \
                   the same RUN.",
            why: "A key generated during the build is stored in the image: every container started from it has the same \
                  key, and everyone who can pull the image has it too. For TLS that means anyone can impersonate the \
                  service or decrypt recorded traffic; for SSH host keys, anyone can impersonate every container.",
            example: "FROM nginx:1.27\nRUN openssl req -x509 -nodes -newkey rsa:2048 -keyout /etc/nginx/key.pem -out /etc/nginx/cert.pem -subj /CN=localhost",
            fix: "Generate keys when the container starts (in the entrypoint, into a tmpfs), or provide them at run time as \
                  secrets or from a certificate manager. For local development certificates, generate them outside \
                  the image and mount them.",
            references: &["https://docs.docker.com/engine/swarm/secrets/"],
            peer_notes: "No peer has this check. Build stages that do not ship are not checked; a key copied out of one \
                         with `COPY --from` is not followed.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        for (index, command) in helpers::commands_run(script) {
            let Some((tool, key_file)) = generated_key(&command) else { continue };
            if let Some(file) = &key_file {
                let removed_later = script.commands[index + 1..].iter().any(|c| helpers::removes(c, file));
                if removed_later || helpers::path_on_transient_mount(run, file) || file == "/dev/null" {
                    continue;
                }
            }
            let where_to = key_file.map(|f| format!(" ({f})")).unwrap_or_default();
            out.report(
                command.span,
                format!("`{tool}` generates a private key{where_to} that every container of the image shares"),
            )
            .set_evidence(helpers::evidence_snippet(df, command.span, 160));
        }
    }
}

/// For a key-generating command: its name and the key file when known.
fn generated_key(command: &Command) -> Option<(String, Option<String>)> {
    let operands: Vec<&str> = helpers::operands(&command.args, &[]).into_iter().map(|w| w.value.as_str()).collect();
    match command.name() {
        "ssh-keygen" => {
            // Fingerprints, public-key derivation, known_hosts edits and certificate signing do
            // not create keys.
            let inspects =
                command.has_flag(&["-l", "-y", "-R", "-F", "-H", "-r", "-L", "-Q", "-k", "-s", "-e", "-i", "-p", "-c"]);
            let generates = command.args.is_empty() || command.has_flag(&["-t", "-b", "-N", "-A", "-f"]);
            (!inspects && generates).then(|| {
                let file = if command.has_flag(&["-A"]) {
                    Some("/etc/ssh".to_string())
                } else {
                    helpers::option_value(&command.args, "-f", "").map(str::to_string)
                };
                ("ssh-keygen".to_string(), file)
            })
        }
        "openssl" => {
            let subcommand = *operands.first()?;
            let generates = match subcommand {
                "genrsa" | "genpkey" | "gendsa" => true,
                "ecparam" => command.args.iter().any(|a| a.value == "-genkey"),
                "req" => command.args.iter().any(|a| a.value == "-newkey" || a.value == "-keyout"),
                _ => false,
            };
            let file = ["-keyout", "-out"].iter().find_map(|o| {
                command
                    .args
                    .iter()
                    .position(|a| a.value == *o)
                    .and_then(|i| command.args.get(i + 1))
                    .map(|v| v.value.clone())
            });
            generates.then(|| (format!("openssl {subcommand}"), file))
        }
        "dropbearkey" => {
            Some(("dropbearkey".to_string(), helpers::option_value(&command.args, "-f", "").map(str::to_string)))
        }
        "wg" if operands.first() == Some(&"genkey") => Some(("wg genkey".to_string(), None)),
        "gpg" | "gpg2" => command
            .args
            .iter()
            .any(|a| {
                matches!(
                    a.value.as_str(),
                    "--gen-key"
                        | "--generate-key"
                        | "--full-generate-key"
                        | "--full-gen-key"
                        | "--quick-generate-key"
                        | "--quick-gen-key"
                )
            })
            .then(|| ("gpg".to_string(), None)),
        _ => None,
    }
}
