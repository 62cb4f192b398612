//! DKF080: a downloaded file executed in the same RUN without a checksum or signature check.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF080",
        name: "download-executed-unverified",
        title: "Verify downloaded scripts and binaries before running them",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that downloads a file with curl or wget (`curl -o f URL`, `curl -O URL`, `wget URL`, \
                   `wget -O f URL`, `curl URL > f`) and later runs it (`sh f`, `bash /tmp/f`, `python3 get-pip.py`, \
                   `./f`, `/usr/local/bin/f`) when nothing in that RUN checks it: no `sha256sum -c` (or another \
                   checksum tool in check mode, or a checksum compared in a substitution), no `gpg --verify`/`gpgv`, \
                   `cosign verify-blob` or `minisign -V`.",
            why: "Saving to a file first is better than `curl | sh` (DKF050) only if the file is checked: otherwise \
                  whatever the server returns at build time, including a compromised release, runs as root in the \
                  build and ships in the image.",
            example: "FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://get.example.invalid/install.sh && sh /tmp/install.sh",
            fix: "Pin the expected digest and check it in the same RUN before running the file (`echo \"<sha256>  /tmp/install.sh\" | sha256sum -c -`), or verify the vendor's signature.\n\n\
                  ```dockerfile\nRUN curl -fsSLo /tmp/install.sh https://get.example.invalid/install.sh \\\n \
                  && echo \"<sha256>  /tmp/install.sh\" | sha256sum -c - \\\n && sh /tmp/install.sh\n```",
            references: &["https://docs.docker.com/build/building/best-practices/#run"],
            peer_notes: "No peer has this check. Files are matched by name within one RUN; a file downloaded in one RUN and \
                         run in another, or extracted from an archive first, is not followed.",
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
        let commands: Vec<_> = helpers::commands_run(script).collect();
        for (position, (_, download)) in commands.iter().enumerate() {
            if !helpers::is_downloader(download.name()) {
                continue;
            }
            let Some(target) = helpers::download_target(download) else { continue };
            let saved = helpers::file_name(&target).to_string();
            if saved.is_empty() {
                continue;
            }
            let runner = commands[position + 1..].iter().map(|(_, c)| c).find(|c| runs_file(c, &saved));
            if let Some(runner) = runner {
                let span = Span {
                    start: download.span.start.min(runner.span.start),
                    end: download.span.end.max(runner.span.end),
                };
                out.report(span, format!("`{saved}` is downloaded and run without a checksum or signature check"))
                    .set_evidence(helpers::evidence_snippet(df, span, 160));
                break;
            }
        }
    }
}

/// True when `command` runs the file named `saved`: as the program (`./install.sh`,
/// `/tmp/install.sh`), or as an interpreter's program operand (`sh install.sh`,
/// `python3 /tmp/get-pip.py`).
fn runs_file(command: &Command, saved: &str) -> bool {
    let program = command.program.value.as_str();
    if program.contains('/') && helpers::file_name(program) == saved {
        return true;
    }
    if !helpers::is_interpreter(command.name()) || command.has_flag(&["-c", "-m", "-e"]) {
        return false;
    }
    // `sh -n file` only checks the syntax.
    if helpers::is_posix_shell(command.name()) && command.has_flag(&["-n"]) {
        return false;
    }
    let value_options: &[&str] = &["-o", "-O", "--rcfile", "--init-file", "-W", "-X"];
    helpers::operands(&command.args, value_options)
        .first()
        .is_some_and(|script| helpers::file_name(&script.value) == saved)
}
