//! The `docker run` front end: command lines (`docker run`, `docker create`, `docker container
//! run`, `podman run`, ...) parsed into a [`ContainerSpec`] the way the Docker CLI reads them,
//! and a finder that pulls such command lines out of shell scripts, Makefiles and Markdown.
//!
//! Parsing follows the CLI's flag library (spf13/pflag): `--flag=value` and `--flag value`,
//! short flags with attached (`-p80:80`, `-e=A=1`) or separate values, bundles of short flags
//! (`-itd`, `-dp 80:80`), booleans that take a value only with `=` (`--privileged=false`), `--`,
//! and flags only before the image (everything after it is the container's command). Unknown
//! flags and missing values are errors, as they are for the CLI.
//!
//! No I/O: `--env-file` and `--label-file` are recorded, not read; a seccomp profile path is
//! kept as a path.

mod flags;
mod lexer;
mod mount;
mod parse;
pub mod script;

use rampart_model::Origin;

pub use parse::{parse_args, parse_command_line, RunCommand, Subcommand, Tool};
pub use script::{find_run_commands, SourceKind};

/// One word of a command line, after the shell has removed quotes and escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgWord {
    /// The word as the program receives it; unexpanded `$VAR` and `$(...)` are kept as written.
    pub value: String,
    /// True when the word contains a shell expansion (`$VAR`, `${VAR}`, `$(...)`, backticks):
    /// its real value is only known when the script runs.
    pub has_expansion: bool,
    /// Where the word is written.
    pub origin: Option<Origin>,
}

impl ArgWord {
    /// A literal word with no position (tests, argv handed to `check-run` before positions).
    pub fn literal(value: impl Into<String>) -> ArgWord {
        ArgWord { value: value.into(), has_expansion: false, origin: None }
    }
}

/// Why a command line could not be parsed (or a script could not be read), with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RunArgsError {
    pub message: String,
    pub origin: Option<Origin>,
}

impl RunArgsError {
    pub(crate) fn new(message: impl Into<String>, origin: Option<&Origin>) -> RunArgsError {
        RunArgsError { message: message.into(), origin: origin.cloned() }
    }
}

/// Words for an argv handed over directly (`rampart check-run -- docker run ...`), laid out on
/// one line as a shell would show them, so findings can point at a column of that line.
/// Returns the line and the words with their origins in `path` (a display name such as
/// `<command line>`).
pub fn words_from_argv(argv: &[String], path: &str) -> (String, Vec<ArgWord>) {
    let mut line = String::new();
    let mut words = Vec::with_capacity(argv.len());
    for arg in argv {
        if !line.is_empty() {
            line.push(' ');
        }
        let start = line.chars().count() as u32 + 1;
        line.push_str(&shell_quote(arg));
        let end = line.chars().count() as u32 + 1;
        words.push(ArgWord {
            value: arg.clone(),
            has_expansion: false,
            origin: Some(Origin::at(path, 1, start).with_end(1, end)),
        });
    }
    (line, words)
}

/// `arg` quoted for a POSIX shell when it needs quoting.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@%+".contains(&b));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Parses one command line given as a single string (`docker run -p 80:80 nginx`), with the
/// shell's quoting rules. Positions are on line 1 of `path`.
pub fn parse_shell_line(line: &str, path: &str) -> Result<RunCommand, RunArgsError> {
    let found = find_run_commands(line, path, SourceKind::Shell);
    if let Some(error) = found.errors.into_iter().next() {
        return Err(error);
    }
    let mut commands = found.commands.into_iter();
    match (commands.next(), commands.next()) {
        (Some(command), None) => Ok(command),
        (None, _) => Err(RunArgsError::new(
            "no `docker run`, `docker create` or `podman run` command found in the command line",
            None,
        )),
        (Some(_), Some(_)) => Err(RunArgsError::new("more than one container command in the command line; give one", None)),
    }
}
