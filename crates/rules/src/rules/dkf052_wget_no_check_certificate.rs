//! DKF052: wget with TLS certificate verification turned off.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF052",
        name: "wget-no-check-certificate",
        title: "Do not turn off wget's certificate verification",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_3"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `wget --no-check-certificate` in RUN (behind wrappers, in `sh -c` strings and heredocs), \
                   `wget -e check_certificate=off`, and `check_certificate = off` written into a `.wgetrc` or \
                   `/etc/wgetrc`.",
            why: "Without certificate verification anyone on the network path of the build can answer in the server's \
                  place, and what they send (binaries, scripts, keys) is built into the image.",
            example: "FROM alpine:3.20\nRUN wget --no-check-certificate -O /usr/local/bin/tool https://downloads.example.invalid/tool",
            fix: "Remove `--no-check-certificate`. For a private CA, install the CA certificate and use \
                  `--ca-certificate=/path/to/ca.crt`; on minimal images install `ca-certificates` first (busybox \
                  wget needs it for https).",
            references: &["https://www.gnu.org/software/wget/manual/wget.html#HTTPS-_0028SSL_002fTLS_0029-Options"],
            peer_notes: "Measured against checkov's CKV2_DOCKER_3 on this rule's fixtures: checkov also flags the option inside an \
                         `echo` string, and misses `-e check_certificate=off` and wgetrc files; rampart reads wget's own \
                         arguments.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            if command.name() != "wget" {
                continue;
            }
            let executes_off = option_values(&command, "-e", "--execute").any(|setting| turns_checks_off(&setting));
            if command.has_flag(&["--no-check-certificate"]) || executes_off {
                out.report(command.span, "wget accepts any certificate").set_evidence(helpers::evidence_snippet(
                    df,
                    command.span,
                    160,
                ));
            }
        }
        for write in helpers::file_writes(script) {
            let is_wgetrc = matches!(helpers::file_name(&write.path), ".wgetrc" | "wgetrc");
            if is_wgetrc && write.lines().iter().any(|line| turns_checks_off(line)) {
                out.report(write.command.span, format!("`check_certificate = off` written to {}", write.path));
            }
        }
    }
}

/// Every value of a repeatable option (`-e a -e b`, `--execute=a`).
fn option_values<'a>(command: &'a Command, short: &'a str, long: &'a str) -> impl Iterator<Item = String> + 'a {
    command.args.iter().enumerate().filter_map(move |(i, arg)| {
        let text = arg.value.as_str();
        if text == short || text == long {
            return command.args.get(i + 1).map(|v| v.value.clone());
        }
        text.strip_prefix(long).and_then(|r| r.strip_prefix('=')).map(str::to_string)
    })
}

/// A wgetrc setting `check_certificate = off` (also `check-certificate=off`, `0`, `no`).
fn turns_checks_off(line: &str) -> bool {
    helpers::ini_setting(line)
        .is_some_and(|(key, value)| key.replace('-', "_") == "check_certificate" && helpers::is_off(&value))
}
