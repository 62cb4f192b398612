//! DKF081: code or packages fetched over plain HTTP (or `git://`) without verification.

use crate::prelude::*;
use crate::secrets::redact_secrets_in;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF081",
        name: "plain-http-download",
        title: "Download over HTTPS, or verify what you fetch over HTTP",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN commands that fetch over an unencrypted, unauthenticated transport: `curl`/`wget` of \
                   `http://` or `ftp://` URLs, `git clone`/`fetch`/`submodule add`/`remote add` of `http://` or `git://` \
                   URLs, pip's `--index-url`/`-i`/`--extra-index-url`/`--find-links`/`-f` with an `http://` URL, and \
                   `npm`/`yarn`/`pnpm` `--registry http://...` or `config set registry http://...`. RUNs that check \
                   what they fetch (`sha256sum -c`, `gpg --verify`...) are not flagged, nor local hosts (`localhost`, \
                   `127.0.0.1`, `[::1]`). apt and yum repositories over http are not flagged: their metadata is signed.",
            why: "Over plain HTTP (and the `git://` protocol) anyone on the network path can change what the build \
                  receives: sources, binaries, packages. Without a checksum or signature nothing notices, and the \
                  result ships in the image.",
            example: "FROM debian:12\nRUN curl -fsSLo /usr/local/bin/tool http://downloads.example.invalid/tool && chmod +x /usr/local/bin/tool",
            fix: "Use the `https://` URL (almost every host serves one). Where only HTTP exists, pin and check a digest \
                  in the same RUN (`echo \"<sha256>  file\" | sha256sum -c -`) or verify the vendor's signature.",
            references: &["https://docs.docker.com/build/building/best-practices/#add-or-copy"],
            peer_notes: "No peer has this check (hadolint's DL4001 is about using both curl and wget).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        if helpers::verifies_downloads(script) {
            continue;
        }
        for (_, command) in helpers::commands_run(script) {
            if let Some(url) = insecure_source(&command) {
                out.report(
                    command.span,
                    format!("`{}` fetches {} without TLS", command.name(), redact_secrets_in(&url)),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
    }
}

/// The first URL `command` fetches over an insecure transport.
fn insecure_source(command: &Command) -> Option<String> {
    let name = command.name();
    let urls: Vec<String> = if helpers::is_downloader(name) {
        helpers::download_urls(command).into_iter().map(str::to_string).collect()
    } else if name == "git" {
        let operands: Vec<&str> = helpers::operands(
            &command.args,
            &["-C", "-c", "-b", "--branch", "--depth", "-o", "--origin", "--reference", "-j", "--jobs"],
        )
        .into_iter()
        .map(|w| w.value.as_str())
        .collect();
        match operands.as_slice() {
            ["clone" | "fetch" | "pull", rest @ ..]
            | ["submodule", "add", rest @ ..]
            | ["remote", "add", _, rest @ ..] => rest.iter().map(|s| s.to_string()).collect(),
            _ => Vec::new(),
        }
    } else if let Some(args) = helpers::pip_args(command) {
        let mut urls = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let value = arg.value.as_str();
            for option in ["--index-url", "--extra-index-url", "--find-links", "-i", "-f"] {
                if value == option {
                    urls.extend(args.get(i + 1).map(|v| v.value.clone()));
                } else if let Some(rest) = value.strip_prefix(option).and_then(|r| r.strip_prefix('=')) {
                    urls.push(rest.to_string());
                }
            }
        }
        urls
    } else if matches!(name, "npm" | "yarn" | "pnpm") {
        let mut urls: Vec<String> =
            helpers::option_value(&command.args, "", "--registry").map(str::to_string).into_iter().collect();
        let operands: Vec<&str> =
            helpers::operands(&command.args, &["--registry"]).into_iter().map(|w| w.value.as_str()).collect();
        if let ["config" | "c", "set", "registry", url, ..] | ["set", "registry", url, ..] = operands.as_slice() {
            urls.push(url.to_string());
        }
        urls
    } else {
        Vec::new()
    };
    urls.into_iter().find(|url| is_insecure(url))
}

/// `http://`, `ftp://` and `git://` URLs to hosts other than the local machine.
fn is_insecure(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = ["http://", "ftp://", "git://"].iter().find_map(|scheme| lower.strip_prefix(scheme)) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or(host_port).to_string()
    };
    !(host == "localhost" || host.starts_with("127.") || host == "[::1]" || host.is_empty() || host.contains('$'))
}
