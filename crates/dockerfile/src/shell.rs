//! Shell analysis of RUN: the simple commands a script runs, with their arguments and how they
//! are joined, so that rules reason about commands rather than substrings.
//!
//! Built from tree-sitter-bash's tree (error tolerant: a fragment it cannot parse becomes an
//! ERROR node and the rest still yields commands). Commands inside subshells, `$( )`,
//! `sh -c '...'` / `bash -c "..."` strings, `if`/`for`/`while` bodies and functions are all
//! listed, each with how deeply it is nested.

use crate::ast::Span;
use serde::Serialize;

/// How a command is joined to the one before it in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Joiner {
    /// First command of the script (or of a nested script).
    Start,
    /// `;` or a newline.
    Seq,
    And,
    Or,
    /// `|`: this command reads the previous command's output.
    Pipe,
    /// `&`: the previous command runs in the background.
    Background,
}

/// One argument as written and, when it has no expansions, as the shell would see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellWord {
    /// Raw text as in the script.
    pub raw: String,
    /// Quotes removed, escapes resolved; variables and substitutions kept as written.
    pub value: String,
    /// True when `value` contains no `$`, backtick or glob expansion.
    pub literal: bool,
    /// In the Dockerfile source.
    pub span: Span,
}

/// A simple command: `apt-get install -y curl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// `NAME=value` assignments before the command name.
    pub env: Vec<(String, String)>,
    /// argv[0] as written (`/usr/bin/apt-get`, `apt-get`).
    pub program: ShellWord,
    /// argv[1..].
    pub args: Vec<ShellWord>,
    /// Whole command in the Dockerfile source (for `sh -c` strings: the span of the string).
    pub span: Span,
    pub joiner: Joiner,
    /// Index of the pipeline this command belongs to in [`ShellScript::pipelines`].
    pub pipeline: usize,
    /// 0 at top level; +1 inside each subshell, substitution, compound body or `sh -c` string.
    pub depth: u32,
    /// Redirections of this command as written (`> /dev/null`, `2>&1`).
    pub redirects: Vec<String>,
}

impl Command {
    /// The program's base name: `/usr/bin/apt-get` -> `apt-get`.
    pub fn name(&self) -> &str {
        let program = self.program.value.as_str();
        match program.rfind('/') {
            Some(slash) => &program[slash + 1..],
            None => program,
        }
    }

    /// The argument values.
    pub fn arg_values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|a| a.value.as_str())
    }

    /// True when any argument is one of `flags` (exact: `-y`, `--yes`), or a bundle of short
    /// flags containing the letter of a one-letter short flag in `flags` (`-qy` has `-y`), or a
    /// long flag given with `=value` (`--assume-yes=true`).
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args.iter().any(|arg| {
            let a = arg.value.as_str();
            flags.iter().any(|f| {
                if a == *f {
                    return true;
                }
                if let Some(long) = f.strip_prefix("--") {
                    return a.strip_prefix("--").and_then(|rest| rest.strip_prefix(long)).is_some_and(|r| r.starts_with('='));
                }
                match (f.strip_prefix('-'), a.strip_prefix('-')) {
                    (Some(letter), Some(bundle)) if letter.len() == 1 && !bundle.starts_with('-') => {
                        bundle.chars().all(|c| c.is_ascii_alphabetic()) && bundle.contains(letter)
                    }
                    _ => false,
                }
            })
        })
    }

    /// The arguments that are not flags (do not start with `-`).
    pub fn positional(&self) -> impl Iterator<Item = &ShellWord> {
        self.args.iter().filter(|a| !a.value.starts_with('-'))
    }
}

/// A pipeline: commands joined by `|`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    /// Indices into [`ShellScript::commands`], in order.
    pub commands: Vec<usize>,
}

/// Every simple command of a script, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ShellScript {
    pub commands: Vec<Command>,
    pub pipelines: Vec<Pipeline>,
    /// True when tree-sitter reported an ERROR or MISSING node somewhere; the commands found are
    /// still listed.
    pub has_errors: bool,
}

impl ShellScript {
    /// Commands named `name` (base name), e.g. `script.named("apt-get")`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.name() == name)
    }

    /// The commands of pipeline `pipeline`, in order.
    pub fn pipeline_commands(&self, pipeline: usize) -> impl Iterator<Item = &Command> {
        self.pipelines.get(pipeline).into_iter().flat_map(move |p| p.commands.iter().map(move |&i| &self.commands[i]))
    }
}
