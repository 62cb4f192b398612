//! DKF034: a pipe in RUN under a shell that supports pipefail, without it.

use crate::prelude::*;
use rampart_dockerfile::Run;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF034",
        name: "pipe-without-pipefail",
        title: "Set -o pipefail before pipes under bash",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4006"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN with a pipeline (`curl ... | tar x`) when the shell that runs it is bash, zsh or ksh \
                   and pipefail is not on: not in the SHELL instruction (`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \
                   \"-c\"]`), not in the `bash -o pipefail -c` that runs the string, and not set by `set -o pipefail` \
                   (or `set -euo pipefail`) earlier in the same script. The shell is worked out for each pipeline: \
                   the RUN's SHELL, an exec form's program, the `bash -c` whose string holds the pipe, or a heredoc's \
                   `#!` line. One finding per RUN.",
            why: "A pipeline's exit status is its last command's, so in `curl -fsSL $URL | tar xz` a failed download \
                  still \"succeeds\" when tar exits 0 on empty input, and the build goes on with a missing or \
                  truncated file, or with an unverified one in `curl ... | gpg --import`.",
            example: "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt",
            fix: "Make bash fail on any failing pipeline command: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` \
                  before the RUN, or start the script with `set -o pipefail &&`.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#using-pipes",
                "https://github.com/hadolint/hadolint/wiki/DL4006",
            ],
            peer_notes: "Deliberately narrower than DL4006, which flags every pipe unless SHELL sets pipefail. Not \
                         flagged here: RUN under the default `/bin/sh` or an explicit sh, dash, ash or busybox (Debian's \
                         and Ubuntu's dash has no `pipefail`, so the advice cannot be followed there without first \
                         installing or switching to bash; rampart does not guess the base image's /bin/sh); exec-form \
                         RUN that calls no shell (a `|` there is an argument, not a pipe); PowerShell and cmd shells; \
                         pipes whose only upstream commands are `echo`, `printf`, `yes` or `true`, which cannot fail \
                         in a way pipefail would catch (and `yes` would make pipefail fail the step); and scripts that \
                         run `set -o pipefail` before the pipe (DL4006 only reads SHELL). Flagged, where DL4006 is \
                         silent: a pipe inside an explicit `bash -c '...'` string without pipefail, whatever the SHELL.",
        },
    },
    check: Check::Dockerfile(check),
};

/// Upstream commands whose failure pipefail would not usefully report.
const CANNOT_FAIL: &[&str] = &["echo", "printf", "yes", "true"];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, run, script) in helpers::run_scripts(cx.dockerfile) {
        let outer = outer_shell(run);
        for pipeline in &script.pipelines {
            let (Some(&first), Some(&last)) = (pipeline.commands.first(), pipeline.commands.last()) else { continue };
            if pipeline.commands.len() < 2 {
                continue;
            }
            let upstream = &pipeline.commands[..pipeline.commands.len() - 1];
            if upstream.iter().all(|&i| script.command_as_run(i).is_some_and(|c| CANNOT_FAIL.contains(&c.name()))) {
                continue;
            }
            let shell = shell_running(script, run, first, &outer);
            let Some(program) = shell.first() else { continue };
            if !matches!(helpers::program_base_name(program).as_str(), "bash" | "zsh" | "ksh" | "mksh" | "ksh93") {
                continue;
            }
            if helpers::sets_pipefail(&shell[1..]) || pipefail_set_before(script, first) {
                continue;
            }
            let head = script.command_as_run(first).map_or("", |c| c.name()).to_string();
            let tail = script.commands[last].name().to_string();
            let span = Span { start: script.commands[first].span.start, end: script.commands[last].span.end };
            out.report(
                span,
                format!(
                    "pipe under {} without pipefail: a failing `{head}` is hidden when `{tail}` succeeds",
                    helpers::program_base_name(program)
                ),
            );
            break;
        }
    }
}

/// The shell and its options (up to `-c`) that a RUN's own text is given to: the SHELL in effect
/// for shell form, the program of an exec form that calls a shell.
fn outer_shell(run: &Run) -> Vec<String> {
    match &run.command {
        CommandForm::Exec(words) => words.iter().map(|w| w.value.clone()).take_while(|w| w != "-c").collect(),
        CommandForm::Shell(_) => run.shell.iter().cloned().take_while(|w| w != "-c").collect(),
    }
}

/// The shell (program and options) that runs the pipeline starting at command `first`: the `bash -c`
/// whose string holds it, a heredoc script's `#!` interpreter, or the RUN's own shell.
fn shell_running(script: &ShellScript, run: &Run, first: usize, outer: &[String]) -> Vec<String> {
    if let Some(command) = helpers::enclosing_shell(script, first).and_then(|i| script.command_as_run(i)) {
        let mut argv = vec![command.program.value.clone()];
        argv.extend(command.arg_values().take_while(|a| *a != "-c").map(str::to_string));
        return argv;
    }
    let span = script.commands[first].span;
    let heredoc = run.heredocs.iter().find(|h| h.span.start <= span.start && span.end <= h.span.end);
    if let Some(interpreter) = heredoc.and_then(|h| shebang(&h.body)) {
        return interpreter;
    }
    outer.to_vec()
}

/// The interpreter and options of a `#!` line (`#!/usr/bin/env bash` -> `bash`).
fn shebang(body: &str) -> Option<Vec<String>> {
    let line = body.lines().next()?.strip_prefix("#!")?;
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    if words.first().is_some_and(|w| helpers::program_base_name(w) == "env") {
        words.remove(0);
        if words.first().is_some_and(|w| w == "-S") {
            words.remove(0);
        }
    }
    (!words.is_empty()).then_some(words)
}

/// True when a `set` with pipefail runs before command `first` in the same shell: the same `-c`
/// string (a new shell does not inherit it), and not in a subshell or substitution of its own
/// that ended before the pipe (`(set -o pipefail); a | b`).
fn pipefail_set_before(script: &ShellScript, first: usize) -> bool {
    let shell = helpers::enclosing_shell(script, first);
    let pipe_scope = script.commands[first].scope;
    script.commands[..first].iter().enumerate().any(|(i, c)| {
        c.name() == "set"
            && helpers::sets_pipefail(&c.arg_values().collect::<Vec<_>>())
            && helpers::enclosing_shell(script, i) == shell
            && script.sees_state_of(pipe_scope, c.scope)
    })
}
