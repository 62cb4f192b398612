//! Shell analysis of RUN: the simple commands a script runs, with their arguments and how they
//! are joined, so that rules reason about commands rather than substrings.
//!
//! Built from tree-sitter-bash's tree (error tolerant: a fragment it cannot parse becomes an
//! ERROR node and the rest still yields commands). Commands inside subshells, `$( )`,
//! `sh -c '...'` / `bash -c "..."` strings (also behind `sudo`/`env`/`su -c`), `if`/`for`/`while`
//! bodies, functions and `find -exec` are all listed, each with how deeply it is nested and the
//! [`Scope`] it runs in. Variable assignments that are statements of their own (`PKGS="a b" &&
//! apt-get install $PKGS`) are listed in [`ShellScript::assignments`].

use crate::ast::Span;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The base name of a program, lower-cased and without `.exe`: `/usr/bin/bash` -> `bash`,
/// `C:\\Windows\\System32\\cmd.EXE` -> `cmd`. The parser and the rules both name programs this way.
pub fn program_base_name(program: &str) -> String {
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program).to_ascii_lowercase();
    base.strip_suffix(".exe").map(str::to_string).unwrap_or(base)
}

/// POSIX-like shells (by base name) whose scripts tree-sitter-bash reads correctly, so a
/// `SHELL`, `sh -c` or `bash -c` script of theirs is analysed.
pub fn is_posix_shell_name(base_name: &str) -> bool {
    matches!(base_name, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "ksh93" | "mksh")
}

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
    /// Index of the scope it runs in, in [`ShellScript::scopes`] (0: the script itself).
    pub scope: usize,
}

impl Command {
    /// A command with no assignments or redirections, first in its list, in the script's own
    /// scope; the builder fills in the rest as it learns it.
    pub(crate) fn plain(program: ShellWord, args: Vec<ShellWord>, span: Span, depth: u32) -> Self {
        Command { env: Vec::new(), program, args, span, joiner: Joiner::Start, pipeline: 0, depth, redirects: Vec::new(), scope: 0 }
    }

    /// The program's base name: `/usr/bin/apt-get` -> `apt-get`.
    pub fn name(&self) -> &str {
        let program = self.program.value.as_str();
        // A plain backwards loop: program names are short, and rules ask for them very often.
        match program.bytes().rposition(|b| b == b'/') {
            Some(slash) => &program[slash + 1..],
            None => program,
        }
    }

    /// The command as it runs, through wrappers: `sudo -u app apt-get install x`, `env
    /// DEBIAN_FRONTEND=noninteractive apt-get ...`, `xargs chmod 644`, `timeout 30 make` and
    /// `nice -n 5 make` are the wrapped commands (with the wrapper's span, and `env`'s
    /// assignments moved to [`Command::env`]). Anything else, including `command -v apt-get` (a
    /// lookup, not a run) and a wrapper with no command after it, is the command itself.
    pub fn unwrapped(&self) -> Cow<'_, Command> {
        crate::wrappers::unwrap(self)
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

/// What a nested part of a script is, which decides what it shares with the rest: a `{ }` or
/// `if` body runs in the same shell (a `cd` or an assignment there lasts), the others run in a
/// child process (what they change is gone when they end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScopeKind {
    /// The script itself: the RUN's text, its heredoc body, or an exec form's command.
    Script,
    /// `{ ...; }`, `if`/`elif`/`else`, `for`/`while`/`until` and `case` bodies, function bodies.
    Group,
    /// `( ... )`.
    Subshell,
    /// `$( )`, backticks, `<( )` and `>( )`.
    Substitution,
    /// The script a shell runs from its `-c` string (`sh -c '...'`, `sudo bash -c "..."`,
    /// `su app -c '...'`) or reads from a heredoc on its stdin (`bash <<EOF`).
    ShellString,
    /// The command `find` runs for each file it finds (`-exec`, `-execdir`, `-ok`, `-okdir`).
    FindExec,
}

impl ScopeKind {
    /// True when the scope runs in a process of its own, separate from the shell around it.
    pub fn is_child_process(self) -> bool {
        !matches!(self, ScopeKind::Script | ScopeKind::Group)
    }
}

/// One nested part of a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The scope it is nested in; `None` only for scope 0, the script itself.
    pub parent: Option<usize>,
    /// Where it is in the Dockerfile source (for a `-c` string: the string).
    pub span: Span,
}

/// A variable assignment that is a statement of its own: `PKGS="curl git"` in `PKGS="curl git"
/// && apt-get install $PKGS`. (`NAME=value cmd` sets the variable for that command only and is in
/// [`Command::env`]; `export NAME=value` is a command named `export`.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub name: String,
    /// The value as a shell word (quotes removed, variables kept as written).
    pub value: ShellWord,
    /// `NAME+=value` appends to the variable.
    pub append: bool,
    /// The whole assignment in the Dockerfile source.
    pub span: Span,
    /// How many commands of [`ShellScript::commands`] come before it: it is in effect from
    /// `commands[position]` on.
    pub position: usize,
    pub depth: u32,
    /// Index of the scope it is made in, in [`ShellScript::scopes`].
    pub scope: usize,
}

/// A pipeline: commands joined by `|`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    /// Indices into [`ShellScript::commands`], in order.
    pub commands: Vec<usize>,
}

/// What [`ShellScript::command_as_run`] has worked out. It follows from the commands, so it never
/// makes two scripts different.
#[derive(Debug, Clone, Default)]
struct UnwrappedCache(OnceLock<Vec<Option<Command>>>);

impl PartialEq for UnwrappedCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for UnwrappedCache {}

/// Every simple command of a script, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ShellScript {
    pub commands: Vec<Command>,
    pub pipelines: Vec<Pipeline>,
    /// The script's scopes; scope 0 is the script itself, every other one has a parent listed
    /// before it.
    pub scopes: Vec<Scope>,
    /// Assignments that are statements of their own, in source order.
    pub assignments: Vec<Assignment>,
    /// For each command, the command it runs through its wrappers when that is another one
    /// (see [`Command::unwrapped`]); worked out once, on first use, since every rule asks.
    #[serde(skip)]
    unwrapped: UnwrappedCache,
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

    /// Command `index` as it runs, through wrappers (see [`Command::unwrapped`]).
    pub fn command_as_run(&self, index: usize) -> Option<&Command> {
        let unwrapped = self.unwrapped.0.get_or_init(|| {
            self.commands
                .iter()
                .map(|command| match command.unwrapped() {
                    Cow::Owned(inner) => Some(inner),
                    Cow::Borrowed(_) => None,
                })
                .collect()
        });
        unwrapped.get(index)?.as_ref().or_else(|| self.commands.get(index))
    }

    /// The kind of scope `scope` (a script with no scopes listed is all [`ScopeKind::Script`]).
    pub fn scope_kind(&self, scope: usize) -> ScopeKind {
        self.scopes.get(scope).map_or(ScopeKind::Script, |s| s.kind)
    }

    /// The scopes from `scope` out to the script, innermost first.
    pub fn scope_chain(&self, scope: usize) -> impl Iterator<Item = (usize, &Scope)> {
        let mut next = self.scopes.get(scope).map(|s| (scope, s));
        // Parents are listed before their children, so the chain always ends; the bound guards
        // against a hand-built script that breaks that.
        let mut left = self.scopes.len();
        std::iter::from_fn(move || {
            let current = next.take()?;
            left = left.checked_sub(1)?;
            next = current.1.parent.and_then(|p| self.scopes.get(p).map(|s| (p, s)));
            Some(current)
        })
    }

    /// True when `scope` or a scope around it runs in a child process (a subshell, a
    /// substitution, a `sh -c` string, a `find -exec` command): a `cd`, `set` or assignment there
    /// does not reach the commands after it.
    pub fn in_child_process(&self, scope: usize) -> bool {
        self.scope_chain(scope).any(|(_, s)| s.kind.is_child_process())
    }

    /// The scope whose shell process runs `scope`: `scope` itself or the nearest scope around it
    /// that is a child process or the script.
    pub fn process_scope(&self, scope: usize) -> usize {
        self.scope_chain(scope).find(|(_, s)| s.kind != ScopeKind::Group).map_or(0, |(i, _)| i)
    }

    /// True when what `inner` runs sees the shell state set in `outer`'s process: `outer`'s
    /// process scope is `inner`'s scope or one around it.
    pub fn sees_state_of(&self, inner: usize, outer: usize) -> bool {
        let process = self.process_scope(outer);
        self.scope_chain(inner).any(|(i, _)| i == process)
    }

    /// The value variable `name` has when command `index` runs, as far as the script itself says:
    /// the latest earlier assignment statement (`NAME=value`), `export`/`declare`/`readonly`/
    /// `local` of it, or assignment before a special built-in (`NAME=value set -x`, which POSIX
    /// shells keep) whose shell state reaches that command. `None` when the script does not set
    /// it (it may still come from ENV or ARG) or unsets it; `+=` appends are followed.
    pub fn variable_before(&self, index: usize, name: &str) -> Option<String> {
        let command_scope = self.commands.get(index).map_or(0, |c| c.scope);
        // (order in the source, value or `None` for unset, appends). An assignment statement
        // before command `p` sorts at `2p`; what command `i` does sorts at `2i + 1`.
        let mut settings: Vec<(usize, Option<&str>, bool)> = Vec::new();
        for assignment in &self.assignments {
            if assignment.position <= index && assignment.name == name && self.sees_state_of(command_scope, assignment.scope) {
                settings.push((2 * assignment.position, Some(assignment.value.value.as_str()), assignment.append));
            }
        }
        for (i, command) in self.commands[..index.min(self.commands.len())].iter().enumerate() {
            if !self.sees_state_of(command_scope, command.scope) {
                continue;
            }
            if is_special_builtin(command.name()) {
                for (key, value) in &command.env {
                    if key == name {
                        settings.push((2 * i + 1, Some(value.as_str()), false));
                    }
                }
            }
            let declares = matches!(command.name(), "export" | "declare" | "typeset" | "readonly" | "local");
            let unsets = command.name() == "unset";
            if !(declares || unsets) {
                continue;
            }
            for arg in &command.args {
                if unsets && arg.value == name {
                    settings.push((2 * i + 1, None, false));
                } else if declares {
                    if let Some((key, value)) = arg.value.split_once('=') {
                        let (key, append) = match key.strip_suffix('+') {
                            Some(key) => (key, true),
                            None => (key, false),
                        };
                        if key == name {
                            settings.push((2 * i + 1, Some(value), append));
                        }
                    }
                }
            }
        }
        settings.sort_by_key(|&(position, _, _)| position);
        let mut value: Option<String> = None;
        for (_, set, append) in settings {
            value = match (set, append) {
                (None, _) => None,
                (Some(v), true) => Some(format!("{}{v}", value.unwrap_or_default())),
                (Some(v), false) => Some(v.to_string()),
            };
        }
        value
    }
}

/// POSIX special built-ins: assignments written before them (`A=1 set -x`) stay set in the shell
/// afterwards, unlike those before other commands.
fn is_special_builtin(name: &str) -> bool {
    matches!(name, "set" | ":" | "." | "eval" | "exec" | "export" | "readonly" | "shift" | "trap" | "unset" | "times" | "return" | "break" | "continue" | "exit")
}
