//! `rampart check-run -- docker run ...`: one container command line, checked with the container
//! rules; same formats and exit codes as `scan`.

use crate::exit_code;
use rampart_model::{InputError, Report};
use rampart_rules::{check_container, ContainerContext, Settings, RULES};
use rampart_runargs::{parse_command_line, parse_shell_line, words_from_argv, RunArgsError, RunCommand, Tool};
use rampart_scan::FailOn;

/// How findings name the command line (there is no file).
const SOURCE_NAME: &str = "<command line>";

#[derive(clap::Args)]
pub struct CheckRunArgs {
    /// The command line after `--`: `docker run ...`, `docker create ...`, `podman run ...`, or
    /// just its flags and image (`-p 80:80 nginx`). One quoted argument is read with shell
    /// quoting: `rampart check-run "docker run -e 'A=b c' img"`.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND")]
    command: Vec<String>,
    #[command(flatten)]
    report: crate::ReportArgs,
}

pub fn run(args: CheckRunArgs) -> anyhow::Result<u8> {
    let format = args.report.format()?;
    let ignored = args.report.ignored_codes()?;
    let (line, parsed) = parse(&args.command);
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    match parsed {
        Ok(command) => {
            let settings = Settings::default();
            let cx = ContainerContext { spec: &command.spec, settings: &settings };
            let rules = RULES.iter().copied().filter(|rule| !ignored.contains(&rule.meta.code));
            findings = check_container(&cx, rules);
        }
        Err(error) => errors.push(InputError {
            path: SOURCE_NAME.to_string(),
            line: error.origin.as_ref().map(|o| o.line),
            column: error.origin.as_ref().map(|o| o.column),
            message: error.message,
        }),
    }
    let files = usize::from(errors.is_empty());
    let report = Report::new(findings, errors, Vec::new(), files, 0);
    let source = |path: &str| (path == SOURCE_NAME).then(|| line.clone());
    crate::emit_report(&report, format, args.report.output.as_deref(), &[SOURCE_NAME], &source)?;
    Ok(exit_code(&report, args.report.fail_on.unwrap_or(FailOn::DEFAULT)))
}

/// The command as one displayable line, and the parsed command.
fn parse(command: &[String]) -> (String, Result<RunCommand, RunArgsError>) {
    if let [single] = command {
        if single.contains(char::is_whitespace) {
            let words: Vec<String> = single.split_whitespace().take(1).map(str::to_string).collect();
            let prefix = complete_argv(&words);
            let prefix = prefix[..prefix.len() - words.len()].join(" ");
            let body = single.lines().collect::<Vec<_>>().join(" ");
            let line = if prefix.is_empty() { body } else { format!("{prefix} {body}") };
            return (line.clone(), parse_shell_line(&line, SOURCE_NAME));
        }
    }
    let argv = complete_argv(command);
    let (line, words) = words_from_argv(&argv, SOURCE_NAME);
    (line, parse_command_line(&words))
}

/// `docker run ...` as given; `run ...` / `create ...` get `docker` in front; anything else is
/// taken as the arguments of `docker run`.
fn complete_argv(command: &[String]) -> Vec<String> {
    let first = command.first().map(String::as_str).unwrap_or_default();
    let prefix: &[&str] = if Tool::from_program(first).is_some() {
        &[]
    } else if matches!(first, "run" | "create" | "container") {
        &["docker"]
    } else {
        &["docker", "run"]
    };
    prefix.iter().map(|s| s.to_string()).chain(command.iter().cloned()).collect()
}
