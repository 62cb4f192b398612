//! DKF051: curl with TLS certificate verification turned off.

use crate::prelude::*;
use rampart_dockerfile::ShellWord;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF051",
        name: "curl-insecure",
        title: "Do not turn off curl's certificate verification",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_2"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `curl -k`, `curl --insecure` and `curl --proxy-insecure` in RUN (also in short-option bundles such \
                   as `-fsSLk`, behind `sudo`/`env`, in `sh -c` strings and heredocs), and `insecure` written into a \
                   `.curlrc`.",
            why: "Without certificate verification anyone on the network path of the build (a proxy, a compromised \
                  router, a hostile Wi-Fi, DNS spoofing) can answer in the server's place, and what they send is built \
                  into the image: binaries, scripts, keys.",
            example: "FROM debian:12\nRUN curl -fsSLk https://downloads.example.invalid/tool.tar.gz | tar xz",
            fix: "Remove `-k`/`--insecure`. If the server uses a private CA, install that CA and point curl at it \
                  (`--cacert /usr/local/share/ca-certificates/corp.crt`) instead of turning verification off; if the \
                  image lacks CA certificates, install `ca-certificates` first.",
            references: &[
                "https://curl.se/docs/manpage.html#-k",
                "https://www.checkov.io/5.Policy%20Index/dockerfile.html",
            ],
            peer_notes: "Measured against checkov's CKV2_DOCKER_2 on this rule's fixtures: checkov's regex over the RUN text also \
                         flags `echo \"do not use curl -k\"` and `curl -o -k URL` (where `-k` is the output file name), and misses \
                         `--proxy-insecure` and `.curlrc`; rampart reads curl's own options.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if command.name() != "curl" {
                continue;
            }
            if let Some(flag) = insecure_flag(&command.args) {
                out.report(command.span, format!("`curl {}` accepts any certificate", flag.value))
                    .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let is_curlrc = matches!(helpers::file_name(&write.path), ".curlrc" | "curlrc" | "_curlrc");
            let lines = write.lines();
            if is_curlrc
                && lines
                    .iter()
                    .flat_map(|l| l.split_whitespace())
                    .any(|w| matches!(w, "insecure" | "-k" | "--insecure"))
            {
                out.report(
                    write.command.span,
                    format!("`insecure` written to {}: every curl call skips certificate checks", write.path),
                );
            }
        }
    }
}

/// curl's `-k`, `--insecure` or `--proxy-insecure`, also inside a bundle of short options
/// (`-fsSLk`); a `k` that is the value of another option (`-o k`, `-ok`) does not count.
fn insecure_flag(args: &[ShellWord]) -> Option<&ShellWord> {
    let value_options = helpers::downloader_value_options("curl");
    let mut value_follows = false;
    for arg in args {
        if std::mem::take(&mut value_follows) {
            continue;
        }
        let text = arg.value.as_str();
        if text == "--" {
            break;
        }
        if text == "--insecure" || text == "--proxy-insecure" {
            return Some(arg);
        }
        if text.starts_with("--") {
            value_follows = value_options.contains(&text);
            continue;
        }
        let Some(letters) = text.strip_prefix('-').filter(|l| !l.is_empty()) else { continue };
        // Letters up to the first option that takes a value; the rest of the bundle (or the
        // next argument) is that value.
        match letters.char_indices().find(|(_, c)| value_options.contains(&format!("-{c}").as_str())) {
            Some((at, _)) => {
                if letters[..at].contains('k') {
                    return Some(arg);
                }
                value_follows = at + 1 == letters.len();
            }
            None if letters.contains('k') => return Some(arg),
            None => {}
        }
    }
    None
}
