//! DKF050: a script downloaded and run in one go (`curl ... | sh`).

use crate::prelude::*;
use crate::secrets::redact_secrets_in;
use rampart_dockerfile::ShellWord;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF050",
        name: "remote-script-piped-to-shell",
        title: "Do not pipe a downloaded script into a shell",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN steps that run code straight from the network: `curl URL | sh`, `wget -qO- URL | bash`, \
                   `curl URL | sudo -E bash -s -- --flag`, `curl URL | python3 -`, `sh -c \"$(curl URL)\"`, \
                   `bash <(curl URL)`, `eval \"$(wget -O- URL)\"` and `source <(curl URL)`, at any depth of the script: \
                   inside `sh -c` strings, subshells and `RUN <<EOF` heredocs.",
            why: "Whatever the server returns at build time runs as the build user (usually root), and nothing records \
                  what it was: a compromised or hijacked download host, a changed script or a truncated transfer \
                  (`curl | sh` runs a half-downloaded script) silently becomes part of the image. The build cannot be \
                  reproduced or reviewed, and a pinned image tag no longer says what is inside.",
            example: "FROM debian:12\nRUN curl -fsSL https://get.example.invalid/install.sh | sh",
            fix: "Download the script to a file, check it against a pinned sha256 digest (`sha256sum -c`) or the vendor's signature, and only then run it:\n\n\
                  ```dockerfile\nARG INSTALL_SHA256=<sha256 of the reviewed script>\n\
                  RUN curl -fsSLo /tmp/install.sh https://get.example.invalid/install.sh \\\n \
                  && echo \"${INSTALL_SHA256}  /tmp/install.sh\" | sha256sum -c - \\\n \
                  && sh /tmp/install.sh && rm /tmp/install.sh\n```\n\n\
                  Better still, install a released, signed package or copy the tool from a pinned image \
                  (`COPY --from=vendor/tool:1.2.3@sha256:... /usr/local/bin/tool /usr/local/bin/`).",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#run",
                "https://www.idontplaydarts.com/2016/04/detecting-curl-pipe-bash-server-side/",
            ],
            peer_notes: "hadolint, checkov and trivy have no check for this. rampart reads the shell: a pipe only counts when \
                         the downloader writes to stdout (`curl -o file URL | ...` does not) and the receiving program \
                         reads its program from stdin (`| sh`, `| bash -s`, `| python -`, not `| sh -c 'cmd'`, \
                         `| tar xz` or `| python -m json.tool`); text that merely mentions it (`echo 'curl | sh'`) is \
                         not flagged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        let commands: Vec<_> = helpers::commands_run(script).map(|(_, command)| command).collect();
        // `curl URL | sh`: a downloader writing to stdout, later in the pipeline an interpreter
        // reading its program from stdin.
        for pipeline in &script.pipelines {
            let mut downloader: Option<&Command> = None;
            for &index in &pipeline.commands {
                let Some(command) = commands.get(index) else { continue };
                if let Some(fetch) = downloader {
                    if helpers::runs_program_from_stdin(command) {
                        report(out, df, fetch, command, "a downloaded script is piped into");
                        break;
                    }
                } else if helpers::is_downloader(command.name()) && helpers::downloads_to_stdout(command) {
                    downloader = Some(command);
                }
            }
        }
        // `sh -c "$(curl URL)"`, `bash <(curl URL)`, `eval "$(curl URL)"`: the download is
        // substituted into an argument that the command runs as code.
        for runner in &commands {
            for argument in code_arguments(runner) {
                let substituted =
                    argument.value.contains("$(") || argument.value.contains('`') || argument.raw.starts_with("<(");
                if !substituted {
                    continue;
                }
                let fetched = commands.iter().find(|c| {
                    c.depth > runner.depth
                        && argument.span.start <= c.span.start
                        && c.span.end <= argument.span.end
                        && helpers::is_downloader(c.name())
                        && helpers::downloads_to_stdout(c)
                });
                if let Some(fetch) = fetched {
                    report(out, df, fetch, runner, "a downloaded script is run as code by");
                    break;
                }
            }
        }
    }
}

/// The arguments `command` runs as code: a shell's `-c` string or script operand, `eval`'s
/// words, the file `source`/`.` reads, an interpreter's `-c`/`-e` program.
fn code_arguments(command: &Command) -> Vec<&ShellWord> {
    let name = command.name();
    if helpers::is_posix_shell(name) {
        return helpers::operands(&command.args, &["-o", "-O", "--rcfile", "--init-file"])
            .into_iter()
            .take(1)
            .collect();
    }
    match name {
        "eval" => command.args.iter().collect(),
        "source" | "." => command.args.iter().take(1).collect(),
        _ if helpers::is_interpreter(name) => {
            let inline = ["-c", "-e", "-E", "--eval", "-r"];
            command
                .args
                .windows(2)
                .filter(|pair| inline.contains(&pair[0].value.as_str()))
                .map(|pair| &pair[1])
                .collect()
        }
        _ => Vec::new(),
    }
}

fn report(out: &mut Sink<'_>, df: &Dockerfile, fetch: &Command, runner: &Command, how: &str) {
    let span = Span { start: fetch.span.start.min(runner.span.start), end: fetch.span.end.max(runner.span.end) };
    let url =
        helpers::download_urls(fetch).first().map(|u| redact_secrets_in(u)).unwrap_or_else(|| "a URL".to_string());
    out.report(span, format!("{url}: {how} `{}`, unverified", runner.name()))
        .set_evidence(helpers::evidence_snippet(df, span, 160));
}
