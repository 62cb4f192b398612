//! Builds [`ShellScript`]s with tree-sitter-bash.
//!
//! Every simple command is listed in source order with its assignments, arguments (raw, unquoted
//! value, literal or not), redirections, how it is joined to the previous one, its pipeline and
//! its scope. Commands nested in subshells, `{ }`, `$( )`, `<( )`, if/for/while/case bodies and
//! functions are listed at `depth + 1`; so are the scripts a POSIX shell runs from `sh -c '...'`
//! strings (also `sudo bash -c`, `env X=1 sh -c`, `su app -c`) and from a heredoc on its stdin
//! (`bash <<EOF`), up to `max_shell_depth`, and the commands `find -exec` runs. Assignment
//! statements (`PKGS="a b"`) are listed apart, with the number of commands before them.
//!
//! Scripts are parsed from logical text (continuations removed) with a map from each byte to
//! its offset in the Dockerfile, so every span points into the Dockerfile source.

use crate::ast::{CommandForm, Heredoc, Span, Word};
use crate::shell::{
    is_posix_shell_name, program_base_name, Assignment, Command, Joiner, Pipeline, Scope, ScopeKind, ShellScript, ShellWord,
};
use std::cell::RefCell;
use tree_sitter::{Node, Parser, Tree, TreeCursor};

thread_local! {
    /// One parser per thread, reused for every script: creating one costs more than parsing a
    /// typical RUN.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Deepest syntax-tree nesting walked; deeper parts (pathological input) are skipped and the
/// script marked as having errors.
const MAX_TREE_DEPTH: u32 = 200;

fn parse_tree(text: &str) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut parser = Parser::new();
            parser.set_language(&tree_sitter_bash::LANGUAGE.into()).ok()?;
            *slot = Some(parser);
        }
        slot.as_mut()?.parse(text, None)
    })
}

/// Shells whose syntax tree-sitter-bash reads correctly, by program path or name.
pub(crate) fn is_posix_shell(program: &str) -> bool {
    is_posix_shell_name(&program_base_name(program))
}

/// The script of a RUN, or `None` when its shell is not POSIX-like (PowerShell, cmd) or it is
/// in exec form without a shell.
pub(crate) fn run_script(
    command: &CommandForm,
    heredocs: &[Heredoc],
    shell: &[String],
    source: &str,
    instruction_end: u32,
    max_depth: u32,
) -> Option<ShellScript> {
    let mut builder = Builder { script: ShellScript::default(), max_depth };
    let whole = match command {
        CommandForm::Shell(text) => text.span,
        CommandForm::Exec(words) => match (words.first(), words.last()) {
            (Some(first), Some(last)) => Span { start: first.span.start, end: last.span.end.max(first.span.start) },
            _ => Span::default(),
        },
    };
    builder.script.scopes.push(Scope { kind: ScopeKind::Script, parent: None, span: whole });
    match command {
        CommandForm::Shell(text) => {
            if !shell.first().is_some_and(|s| is_posix_shell(s)) {
                return None;
            }
            match heredocs {
                [] => builder.script_text(&text.text, &text.source_offsets, 0, 0),
                [only] if is_heredoc_marker(text.text.trim()) => {
                    // `RUN <<EOF`: BuildKit runs the body as the script, honouring a shebang.
                    let shebang = only.body.lines().next().and_then(|l| l.strip_prefix("#!"));
                    if let Some(interpreter) = shebang {
                        if !shebang_is_shell(interpreter) {
                            return None;
                        }
                    }
                    let offsets = heredoc_offsets(only, source);
                    builder.script_text(&only.body, &offsets, 0, 0);
                }
                [first, ..] => {
                    // The shell gets the line and the bodies with their terminators.
                    let tail_start = first.span.start as usize;
                    let tail_end = (instruction_end as usize).min(source.len()).max(tail_start);
                    let mut full = String::with_capacity(text.text.len() + 1 + tail_end - tail_start);
                    let mut offsets = text.source_offsets.clone();
                    full.push_str(&text.text);
                    full.push('\n');
                    offsets.push(text.span.end);
                    full.push_str(source.get(tail_start..tail_end).unwrap_or(""));
                    offsets.extend(tail_start as u32..tail_end as u32);
                    if offsets.len() != full.len() {
                        offsets.resize(full.len(), instruction_end);
                    }
                    builder.script_text(&full, &offsets, 0, 0);
                }
            }
        }
        CommandForm::Exec(words) => {
            let program = words.first()?;
            if !is_posix_shell(&program.value) {
                return None;
            }
            builder.exec_command(words, source);
        }
    }
    Some(builder.script)
}

/// Offsets of a heredoc body: the source bytes when the body is verbatim, else (tabs stripped
/// by `<<-`) each line's bytes mapped to the end of that line's tabs.
fn heredoc_offsets(heredoc: &Heredoc, source: &str) -> Vec<u32> {
    let span = heredoc.span;
    let original = source.get(span.range()).unwrap_or("");
    if original.len() == heredoc.body.len() {
        return (span.start..span.start + heredoc.body.len() as u32).collect();
    }
    let mut offsets = Vec::with_capacity(heredoc.body.len());
    let mut position = span.start;
    for line in original.split_inclusive('\n') {
        let tabs = line.len() - line.trim_start_matches('\t').len();
        let kept = (line.len() - tabs) as u32;
        offsets.extend(position + tabs as u32..position + tabs as u32 + kept);
        position += line.len() as u32;
    }
    offsets.resize(heredoc.body.len(), span.end);
    offsets
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`: the whole RUN line is one heredoc marker.
fn is_heredoc_marker(line: &str) -> bool {
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.strip_prefix("<<").is_some_and(|r| {
        let r = r.strip_prefix('-').unwrap_or(r);
        !r.is_empty() && !r.contains(char::is_whitespace) && !r.contains('<')
    })
}

/// `#!/bin/bash -e`, `#!/usr/bin/env sh`: a shell we can read.
fn shebang_is_shell(interpreter: &str) -> bool {
    let mut parts = interpreter.split_whitespace();
    let Some(program) = parts.next() else { return true };
    if program_base_name(program) == "env" {
        return parts.find(|p| !p.starts_with('-')).is_some_and(is_posix_shell);
    }
    is_posix_shell(program)
}

struct Builder {
    script: ShellScript,
    max_depth: u32,
}

impl Builder {
    /// Adds a scope nested in `parent`; returns its index.
    fn new_scope(&mut self, kind: ScopeKind, parent: usize, span: Span) -> usize {
        self.script.scopes.push(Scope { kind, parent: Some(parent), span });
        self.script.scopes.len() - 1
    }

    /// Parses `text` (whose byte `i` is at Dockerfile offset `offsets[i]`) and adds its commands
    /// at `depth` in scope `scope`.
    fn script_text(&mut self, text: &str, offsets: &[u32], depth: u32, scope: usize) {
        let Some(tree) = parse_tree(text) else {
            self.script.has_errors = true;
            return;
        };
        let root = tree.root_node();
        if root.has_error() {
            self.script.has_errors = true;
        }
        let mut walker = Walker {
            text,
            offsets,
            builder: self,
            pending: Joiner::Start,
            pipeline: None,
            scope,
            nesting: 0,
            cursor: root.walk(),
            pool: Vec::new(),
        };
        walker.visit(root, depth);
    }

    /// An exec-form RUN whose program is a shell: the command itself at depth 0, and its `-c`
    /// string's commands below it.
    fn exec_command(&mut self, words: &[Word], source: &str) {
        let word = |w: &Word| ShellWord { raw: w.value.clone(), value: w.value.clone(), literal: is_literal(&w.value), span: w.span };
        let (Some(first), Some(last)) = (words.first(), words.last()) else { return };
        let pipeline = self.script.pipelines.len();
        self.script.pipelines.push(Pipeline { commands: vec![self.script.commands.len()] });
        let span = Span { start: first.span.start, end: last.span.end.max(first.span.start) };
        let command = Command { pipeline, ..Command::plain(word(first), words[1..].iter().map(word).collect(), span, 0) };
        self.script.commands.push(command);
        if let Some(index) = shell_script_argument(words.iter().skip(1).map(|w| w.value.as_str())) {
            let Some(string) = words.get(index + 1) else { return };
            if self.max_depth >= 1 {
                let offsets = json_string_offsets(string, source);
                let scope = self.new_scope(ScopeKind::ShellString, 0, string.span);
                self.script_text(&string.value, &offsets, 1, scope);
            }
        }
    }
}

/// For each byte of a JSON string's decoded value, its offset in the source: exact when the
/// decoding can be followed, else every byte at the string's start.
fn json_string_offsets(word: &Word, source: &str) -> Vec<u32> {
    let raw = source.get(word.span.range()).unwrap_or("");
    if raw == word.value {
        return (word.span.start..word.span.start + word.value.len() as u32).collect();
    }
    let mut offsets = Vec::with_capacity(word.value.len());
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let at = word.span.start + i as u32;
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            let produced = match bytes[i + 1] {
                b'u' => {
                    let hex = raw.get(i + 2..i + 6).and_then(|h| u32::from_str_radix(h, 16).ok());
                    i += 6;
                    hex.and_then(char::from_u32).map_or(3, char::len_utf8)
                }
                _ => {
                    i += 2;
                    1
                }
            };
            offsets.extend(std::iter::repeat_n(at, produced));
            continue;
        }
        offsets.push(at);
        i += 1;
    }
    if offsets.len() != word.value.len() {
        return vec![word.span.start; word.value.len()];
    }
    offsets
}

/// The index (into `args`) of a shell's `-c` script string. `None` when the shell runs a file
/// or reads stdin.
fn shell_script_argument<'a>(args: impl Iterator<Item = &'a str>) -> Option<usize> {
    let mut has_c = false;
    let mut skip_next = false;
    for (i, arg) in args.enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        if arg == "--" {
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            skip_next = matches!(long, "rcfile" | "init-file");
            continue;
        }
        if let Some(bundle) = arg.strip_prefix('-').or_else(|| arg.strip_prefix('+')) {
            if bundle.is_empty() {
                continue;
            }
            if arg.starts_with('-') && bundle.contains('c') {
                has_c = true;
            }
            if bundle.ends_with(['o', 'O']) {
                skip_next = true;
            }
            continue;
        }
        return has_c.then_some(i);
    }
    None
}

/// True when a value has no `$`, backtick or glob character.
fn is_literal(value: &str) -> bool {
    !value.contains(['$', '`', '*', '?', '['])
}

/// A shell word with quotes removed: the value, whether it is free of expansions, and for
/// each value byte the index of the raw byte it came from.
struct Unquoted {
    value: String,
    literal: bool,
    map: Vec<u32>,
}

fn unquote(raw: &str) -> Unquoted {
    unquote_with(raw, true)
}

/// [`unquote`] without the byte map, for plain words: cheaper, and most words have no quotes.
fn unquote_value(raw: &str) -> (String, bool) {
    if !raw.contains(['\'', '"', '\\', '$', '`', '*', '?', '[', '{']) {
        return (raw.to_string(), true);
    }
    let unquoted = unquote_with(raw, false);
    (unquoted.value, unquoted.literal)
}

fn unquote_with(raw: &str, with_map: bool) -> Unquoted {
    let bytes = raw.as_bytes();
    let mut value = Vec::with_capacity(bytes.len());
    let mut map = Vec::with_capacity(if with_map { bytes.len() } else { 0 });
    let mut literal = true;
    let push = |value: &mut Vec<u8>, map: &mut Vec<u32>, b: u8, at: usize| {
        value.push(b);
        if with_map {
            map.push(at as u32);
        }
    };
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
        AnsiC,
    }
    let mut quote = Quote::None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Quote::None => match b {
                b'\'' => quote = Quote::Single,
                b'"' => quote = Quote::Double,
                b'$' if bytes.get(i + 1) == Some(&b'\'') => {
                    quote = Quote::AnsiC;
                    i += 1;
                }
                b'$' if bytes.get(i + 1) == Some(&b'"') => {
                    quote = Quote::Double;
                    i += 1;
                }
                b'\\' => {
                    match bytes.get(i + 1) {
                        Some(b'\n') => {}
                        Some(&next) => push(&mut value, &mut map, next, i + 1),
                        None => {}
                    }
                    i += 1;
                }
                b'$' => {
                    literal &= !starts_expansion(bytes.get(i + 1).copied());
                    push(&mut value, &mut map, b, i);
                }
                b'`' | b'*' | b'?' => {
                    literal = false;
                    push(&mut value, &mut map, b, i);
                }
                b'[' => {
                    literal &= !bytes[i..].contains(&b']');
                    push(&mut value, &mut map, b, i);
                }
                b'{' => {
                    let closes = bytes[i..].iter().position(|&c| c == b'}');
                    if closes.is_some_and(|end| bytes[i..i + end].contains(&b',') || bytes[i..i + end].windows(2).any(|w| w == b"..")) {
                        literal = false; // brace expansion
                    }
                    push(&mut value, &mut map, b, i);
                }
                _ => push(&mut value, &mut map, b, i),
            },
            Quote::Single => {
                if b == b'\'' {
                    quote = Quote::None;
                } else {
                    push(&mut value, &mut map, b, i);
                }
            }
            Quote::Double => match b {
                b'"' => quote = Quote::None,
                b'\\' if matches!(bytes.get(i + 1), Some(b'$' | b'`' | b'"' | b'\\' | b'\n')) => {
                    if bytes[i + 1] != b'\n' {
                        push(&mut value, &mut map, bytes[i + 1], i + 1);
                    }
                    i += 1;
                }
                b'$' => {
                    literal &= !starts_expansion(bytes.get(i + 1).copied());
                    push(&mut value, &mut map, b, i);
                }
                b'`' => {
                    literal = false;
                    push(&mut value, &mut map, b, i);
                }
                _ => push(&mut value, &mut map, b, i),
            },
            Quote::AnsiC => match b {
                b'\'' => quote = Quote::None,
                b'\\' if i + 1 < bytes.len() => {
                    let decoded = match bytes[i + 1] {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        b'a' => 0x07,
                        b'b' => 0x08,
                        b'e' | b'E' => 0x1b,
                        b'f' => 0x0c,
                        b'v' => 0x0b,
                        other if other.is_ascii() => other,
                        _ => b'\\',
                    };
                    if decoded == b'\\' && !bytes[i + 1].is_ascii() {
                        push(&mut value, &mut map, b'\\', i);
                    } else {
                        push(&mut value, &mut map, decoded, i);
                        i += 1;
                    }
                }
                _ => push(&mut value, &mut map, b, i),
            },
        }
        i += 1;
    }
    // Only ASCII bytes were dropped or decoded, so multi-byte characters stay whole.
    let value = String::from_utf8(value).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if with_map && map.len() != value.len() {
        map.resize(value.len(), raw.len().saturating_sub(1) as u32);
    }
    Unquoted { value, literal, map }
}

fn starts_expansion(next: Option<u8>) -> bool {
    next.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'{' | b'(' | b'@' | b'*' | b'#' | b'?' | b'$' | b'!' | b'-'))
}

/// The children of a node with their field names.
type Children<'n> = Vec<(Option<&'n str>, Node<'n>)>;

struct Walker<'t, 'b, 'n> {
    text: &'t str,
    offsets: &'t [u32],
    builder: &'b mut Builder,
    /// How the next command is joined to the previous one.
    pending: Joiner,
    /// The pipeline commands at this level join, inside a `pipeline` node.
    pipeline: Option<usize>,
    /// The scope commands at this level run in.
    scope: usize,
    /// Tree depth of the current node, against runaway recursion.
    nesting: u32,
    /// One cursor and a pool of child lists for the whole walk: allocating them per node cost
    /// more than the walk itself.
    cursor: TreeCursor<'n>,
    pool: Vec<Children<'n>>,
}

fn is_scope(kind: &str) -> bool {
    matches!(
        kind,
        "subshell"
            | "compound_statement"
            | "command_substitution"
            | "process_substitution"
            | "if_statement"
            | "while_statement"
            | "for_statement"
            | "c_style_for_statement"
            | "case_statement"
    )
}

fn is_statement(kind: &str) -> bool {
    is_scope(kind)
        || matches!(
            kind,
            "command"
                | "declaration_command"
                | "unset_command"
                | "test_command"
                | "redirected_statement"
                | "pipeline"
                | "list"
                | "negated_command"
                | "program"
                | "do_group"
                | "elif_clause"
                | "else_clause"
                | "case_item"
                // Its body (`{ }`, `( )`, `if`) is the scope that adds depth.
                | "function_definition"
                | "ERROR"
        )
}

/// The kind of scope a scope node opens (see [`is_scope`]).
fn scope_kind(kind: &str) -> ScopeKind {
    match kind {
        "subshell" => ScopeKind::Subshell,
        "command_substitution" | "process_substitution" => ScopeKind::Substitution,
        _ => ScopeKind::Group,
    }
}

/// The index (into the command's arguments) of the script string a shell runs for `command`:
/// `sh -c STRING`, the same behind a wrapper (`sudo -u app bash -c STRING`, `env X=1 sh -c
/// STRING`, see [`Command::unwrapped`]), or `su [user] -c STRING` (su gives it to the user's
/// shell).
fn shell_string_position(command: &Command) -> Option<usize> {
    let base = program_base_name(&command.program.value);
    if base == "su" || base == "runuser" {
        return command.args.iter().position(|a| a.value == "-c" || a.value == "--command").map(|i| i + 1);
    }
    let run = command.unwrapped();
    if !is_posix_shell(&run.program.value) {
        return None;
    }
    let position = shell_script_argument(run.args.iter().map(|a| a.value.as_str()))?;
    // A wrapped command's arguments are the last ones of its wrapper's.
    Some(command.args.len() - run.args.len() + position)
}

/// The argument ranges of the commands `find` runs: for each `-exec`/`-execdir`/`-ok`/`-okdir`,
/// from the program to before the `;` (or the `+` after `{}`) that ends it.
fn exec_groups(args: &[ShellWord]) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if !matches!(args[i].value.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < args.len() {
            let value = args[end].value.as_str();
            if value == ";" || (value == "+" && end > start && args[end - 1].value == "{}") {
                break;
            }
            end += 1;
        }
        if end > start {
            groups.push(start..end);
        }
        i = end + 1;
    }
    groups
}

fn joiner_of_token(token: &str) -> Option<Joiner> {
    Some(match token {
        "&&" => Joiner::And,
        "||" => Joiner::Or,
        ";" | ";;" | ";&" | ";;&" | "\n" => Joiner::Seq,
        "&" => Joiner::Background,
        "|" | "|&" => Joiner::Pipe,
        _ => return None,
    })
}

impl<'n> Walker<'_, '_, 'n> {
    /// Children of `node` with their field names; hand the list back with [`Self::recycle`].
    fn children(&mut self, node: Node<'n>) -> Children<'n> {
        let mut out = self.pool.pop().unwrap_or_default();
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                out.push((self.cursor.field_name(), self.cursor.node()));
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn recycle(&mut self, mut children: Children<'n>) {
        children.clear();
        self.pool.push(children);
    }

    fn raw(&self, node: Node<'n>) -> &str {
        self.text.get(node.start_byte()..node.end_byte()).unwrap_or("")
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let fallback = self.offsets.last().map_or(0, |&o| o + 1);
        let s = self.offsets.get(start).copied().unwrap_or(fallback);
        let e = if end > start { self.offsets.get(end - 1).map_or(fallback, |&o| o + 1) } else { s };
        Span { start: s, end: e.max(s) }
    }

    fn word(&self, node: Node<'n>) -> ShellWord {
        let raw = self.raw(node);
        let (value, literal) = unquote_value(raw);
        ShellWord {
            raw: raw.to_string(),
            value,
            literal,
            span: self.span(node.start_byte(), node.end_byte()),
        }
    }

    fn visit(&mut self, node: Node<'n>, depth: u32) {
        if self.nesting > MAX_TREE_DEPTH {
            self.builder.script.has_errors = true;
            return;
        }
        self.nesting += 1;
        let kind = node.kind();
        match kind {
            "command" => self.command(node, depth),
            "declaration_command" | "unset_command" => self.builtin(node, depth),
            "test_command" => self.test(node, depth),
            "redirected_statement" => self.redirected(node, depth),
            "pipeline" => self.pipeline(node, depth, None),
            "variable_assignment" => self.assignment(node, depth),
            "variable_assignments" => {
                let children = self.children(node);
                for &(_, child) in &children {
                    if child.kind() == "variable_assignment" {
                        self.assignment(child, depth);
                    }
                }
                self.recycle(children);
            }
            "comment" => {}
            _ if is_scope(kind) => self.scope(node, depth + 1),
            _ if is_statement(kind) => self.sequence(node, depth),
            _ => self.substitutions(node, depth),
        }
        self.nesting -= 1;
    }

    /// Children of a list, sequence or clause: statements and the tokens joining them.
    fn sequence(&mut self, node: Node<'n>, depth: u32) {
        let children = self.children(node);
        for &(_, child) in &children {
            self.child(child, depth);
        }
        self.recycle(children);
    }

    fn child(&mut self, child: Node<'n>, depth: u32) {
        if child.is_named() {
            self.visit(child, depth);
        } else if let Some(joiner) = joiner_of_token(child.kind()) {
            // Tokens before a scope's first command (`for x in a b; do`) join nothing.
            if self.pending != Joiner::Start {
                self.pending = joiner;
            }
        }
    }

    /// A nested body: its commands start their own lists and pipelines, in a scope of their own.
    fn scope(&mut self, node: Node<'n>, depth: u32) {
        let saved = (self.pending, self.pipeline, self.scope);
        let span = self.span(node.start_byte(), node.end_byte());
        self.scope = self.builder.new_scope(scope_kind(node.kind()), self.scope, span);
        self.pending = Joiner::Start;
        self.pipeline = None;
        let children = self.children(node);
        for &(_, child) in &children {
            self.child(child, depth);
        }
        self.recycle(children);
        self.pipeline = saved.1;
        self.scope = saved.2;
        self.pending = Joiner::Seq;
    }

    /// `NAME=value` (or `NAME+=value`) as a statement of its own.
    fn assignment(&mut self, node: Node<'n>, depth: u32) {
        let parts = self.children(node);
        let mut name = None;
        let mut value = None;
        let mut append = false;
        for &(field, child) in &parts {
            match (field, child.kind()) {
                (Some("name"), _) => name = Some(self.raw(child).to_string()),
                (Some("value"), _) => value = Some(self.word(child)),
                (_, "+=") => append = true,
                _ => {}
            }
        }
        self.recycle(parts);
        let span = self.span(node.start_byte(), node.end_byte());
        if let Some(name) = name {
            let value = value.unwrap_or(ShellWord { raw: String::new(), value: String::new(), literal: true, span: Span { start: span.end, end: span.end } });
            let position = self.builder.script.commands.len();
            self.builder.script.assignments.push(Assignment { name, value, append, span, position, depth, scope: self.scope });
        }
        // `A=$(cmd)`: the substitution's commands run.
        self.substitutions(node, depth);
    }

    /// `$( )` and `<( )` anywhere below a non-statement node (arguments, assignments,
    /// redirections, conditions, heredoc bodies).
    fn substitutions(&mut self, node: Node<'n>, depth: u32) {
        // Most words hold no substitution: a text check is much cheaper than walking them.
        let raw = self.raw(node).as_bytes();
        if !raw.contains(&b'`') && !raw.windows(2).any(|w| w[1] == b'(' && matches!(w[0], b'$' | b'<' | b'>')) {
            return;
        }
        if self.nesting > MAX_TREE_DEPTH {
            self.builder.script.has_errors = true;
            return;
        }
        match node.kind() {
            "command_substitution" | "process_substitution" => {
                self.nesting += 1;
                self.scope(node, depth + 1);
                self.nesting -= 1;
            }
            _ if node.named_child_count() > 0 => {
                self.nesting += 1;
                let children = self.children(node);
                for &(_, child) in &children {
                    if child.is_named() {
                        self.substitutions(child, depth);
                    }
                }
                self.recycle(children);
                self.nesting -= 1;
            }
            _ => {}
        }
    }

    fn pipeline(&mut self, node: Node<'n>, depth: u32, continued: Option<usize>) {
        let index = continued.unwrap_or_else(|| {
            self.builder.script.pipelines.push(Pipeline { commands: Vec::new() });
            self.builder.script.pipelines.len() - 1
        });
        let saved = self.pipeline;
        self.pipeline = Some(index);
        let children = self.children(node);
        for &(_, child) in &children {
            if child.kind() == "pipeline" {
                self.pipeline(child, depth, Some(index));
            } else {
                self.child(child, depth);
            }
        }
        self.recycle(children);
        self.pipeline = saved;
    }

    /// Adds a command; returns its index.
    fn push(&mut self, mut command: Command) -> usize {
        let index = self.builder.script.commands.len();
        let pipeline = match self.pipeline {
            Some(p) => p,
            None => {
                self.builder.script.pipelines.push(Pipeline { commands: Vec::new() });
                self.builder.script.pipelines.len() - 1
            }
        };
        if let Some(p) = self.builder.script.pipelines.get_mut(pipeline) {
            p.commands.push(index);
        }
        command.pipeline = pipeline;
        command.scope = self.scope;
        command.joiner = self.pending;
        self.pending = Joiner::Seq;
        self.builder.script.commands.push(command);
        index
    }

    fn command(&mut self, node: Node<'n>, depth: u32) {
        let parts = self.children(node);
        let Some(name) = parts.iter().find(|(field, _)| *field == Some("name")).map(|&(_, n)| n) else {
            self.recycle(parts);
            self.substitutions(node, depth);
            return;
        };
        let mut env = Vec::new();
        let mut args = Vec::new();
        let mut redirects = Vec::new();
        for &(field, child) in &parts {
            match (field, child.kind()) {
                (Some("name"), _) => {}
                (Some("argument"), _) => args.push(self.word(child)),
                (Some("redirect"), _) => redirects.push(self.raw(child).to_string()),
                (_, "variable_assignment") => {
                    let name = child.child_by_field_name("name").map_or("", |n| self.raw(n)).to_string();
                    let value = child.child_by_field_name("value").map(|v| unquote_value(self.raw(v)).0).unwrap_or_default();
                    env.push((name, value));
                }
                _ => {}
            }
        }
        let program = self.word(name);
        let span = self.span(node.start_byte(), node.end_byte());
        let index = self.push(Command { env, redirects, ..Command::plain(program, args, span, depth) });
        for &(field, child) in &parts {
            if field != Some("name") || child.named_child_count() > 0 {
                self.substitutions(child, depth);
            }
        }
        let arguments: Vec<Node<'n>> = parts.iter().filter(|(f, _)| *f == Some("argument")).map(|&(_, n)| n).collect();
        self.recycle(parts);
        self.shell_string(index, &arguments, depth);
        self.find_exec(index, &arguments, depth);
    }

    /// `sh -c '...'` (also behind a wrapper, or `su app -c '...'`): parses the string as a script
    /// at `depth + 1`. `arguments` are the argument nodes of command `index`, in order.
    fn shell_string(&mut self, index: usize, arguments: &[Node<'n>], depth: u32) {
        let Some(command) = self.builder.script.commands.get(index) else { return };
        if depth + 1 > self.builder.max_depth {
            return;
        }
        let Some(position) = shell_string_position(command) else { return };
        let Some(&string) = arguments.get(position) else { return };
        let unquoted = unquote(self.raw(string));
        let start = string.start_byte();
        let fallback = self.span(start, start).start;
        let offsets: Vec<u32> =
            unquoted.map.iter().map(|&i| self.offsets.get(start + i as usize).copied().unwrap_or(fallback)).collect();
        let span = self.span(start, string.end_byte());
        let scope = self.builder.new_scope(ScopeKind::ShellString, self.scope, span);
        self.builder.script_text(&unquoted.value, &offsets, depth + 1, scope);
    }

    /// `find ... -exec CMD ARGS {} \;` (or `{} +`, `-execdir`, `-ok`, `-okdir`): lists each CMD
    /// as a command at `depth + 1` in a scope of its own, and parses its `-c` string if it is a
    /// shell. `arguments` are the argument nodes of command `index`, in order.
    fn find_exec(&mut self, index: usize, arguments: &[Node<'n>], depth: u32) {
        let Some(command) = self.builder.script.commands.get(index) else { return };
        if program_base_name(&command.program.value) != "find" || depth + 1 > self.builder.max_depth {
            return;
        }
        let groups = exec_groups(&command.args);
        if groups.is_empty() {
            return;
        }
        let args = command.args.clone();
        for group in groups {
            let (program, rest) = (&args[group.start], &args[group.start + 1..group.end]);
            let span = Span { start: program.span.start, end: rest.last().map_or(program.span.end, |a| a.span.end) };
            let saved = (self.pending, self.pipeline, self.scope);
            self.scope = self.builder.new_scope(ScopeKind::FindExec, self.scope, span);
            self.pending = Joiner::Start;
            self.pipeline = None;
            let nested = self.push(Command::plain(program.clone(), rest.to_vec(), span, depth + 1));
            self.shell_string(nested, arguments.get(group.start + 1..group.end).unwrap_or(&[]), depth + 1);
            (self.pending, self.pipeline, self.scope) = saved;
        }
    }

    /// `export A=b`, `declare -x C`, `unset D`, `local E`.
    fn builtin(&mut self, node: Node<'n>, depth: u32) {
        let parts = self.children(node);
        let Some(&(_, keyword)) = parts.first() else { return };
        let program = self.word(keyword);
        let args = parts.iter().skip(1).filter(|(_, n)| n.is_named()).map(|&(_, n)| self.word(n)).collect();
        self.recycle(parts);
        let span = self.span(node.start_byte(), node.end_byte());
        self.push(Command::plain(program, args, span, depth));
        self.substitutions(node, depth);
    }

    /// `[ -f x ]` and `[[ ... ]]`: the bracket is the program, the operands and operators
    /// its arguments.
    fn test(&mut self, node: Node<'n>, depth: u32) {
        let parts = self.children(node);
        let Some(&(_, open)) = parts.first() else { return };
        let mut args = Vec::new();
        for &(_, child) in &parts[1..] {
            self.test_operands(child, &mut args);
        }
        if args.last().is_some_and(|a: &ShellWord| a.value == "]" || a.value == "]]") {
            args.pop();
        }
        self.recycle(parts);
        let (program, span) = (self.word(open), self.span(node.start_byte(), node.end_byte()));
        self.push(Command::plain(program, args, span, depth));
        self.substitutions(node, depth);
    }

    fn test_operands(&mut self, node: Node<'n>, args: &mut Vec<ShellWord>) {
        match node.kind() {
            "binary_expression" | "unary_expression" | "parenthesized_expression" | "negated_expression" => {
                let children = self.children(node);
                for &(_, child) in &children {
                    self.test_operands(child, args);
                }
                self.recycle(children);
            }
            _ => args.push(self.word(node)),
        }
    }

    /// A statement with redirections. They belong to the body's last command; a heredoc's
    /// redirection can carry the rest of a pipeline (`cat <<EOF | sh`) or list (`&& b`), and a
    /// shell reading a heredoc on stdin runs its body as a script.
    fn redirected(&mut self, node: Node<'n>, depth: u32) {
        let parts = self.children(node);
        let before = self.builder.script.commands.len();
        let mut owner = None;
        if let Some(&(_, body)) = parts.iter().find(|(f, _)| *f == Some("body")) {
            self.visit(body, depth);
            if !is_scope(body.kind()) {
                owner = (before..self.builder.script.commands.len()).rev().find(|&i| self.builder.script.commands[i].depth == depth);
            }
        }
        for &(field, redirect) in &parts {
            if field == Some("body") {
                continue;
            }
            if redirect.kind() == "heredoc_redirect" {
                self.heredoc_redirect(redirect, owner, depth);
            } else if redirect.is_named() {
                if let Some(command) = owner.and_then(|i| self.builder.script.commands.get_mut(i)) {
                    command.redirects.push(self.text.get(redirect.start_byte()..redirect.end_byte()).unwrap_or("").to_string());
                }
                self.substitutions(redirect, depth);
            }
        }
        self.recycle(parts);
    }

    fn heredoc_redirect(&mut self, node: Node<'n>, owner: Option<usize>, depth: u32) {
        let parts = self.children(node);
        let mut marker = String::new();
        let mut quoted = false;
        for &(_, child) in &parts {
            match child.kind() {
                "<<" | "<<-" => marker.push_str(self.raw(child)),
                "heredoc_start" => {
                    let start = self.raw(child);
                    quoted = start.contains(['\'', '"', '\\']);
                    marker.push_str(start);
                }
                _ => {}
            }
        }
        if let Some(command) = owner.and_then(|i| self.builder.script.commands.get_mut(i)) {
            command.redirects.push(marker);
        }
        for &(field, child) in &parts {
            match (field, child.kind()) {
                (Some("redirect"), _) => {
                    let text = self.raw(child).to_string();
                    if let Some(command) = owner.and_then(|i| self.builder.script.commands.get_mut(i)) {
                        command.redirects.push(text);
                    }
                }
                (_, "pipeline") => {
                    let continued = owner.and_then(|i| self.builder.script.commands.get(i)).map(|c| c.pipeline);
                    self.pending = Joiner::Pipe;
                    self.pipeline(child, depth, continued);
                }
                (Some("operator"), op) => {
                    if let Some(joiner) = joiner_of_token(op) {
                        self.pending = joiner;
                    }
                }
                (Some("right"), _) => self.visit(child, depth),
                (_, "heredoc_body") => self.heredoc_body(child, owner, quoted, depth),
                _ => {}
            }
        }
        self.recycle(parts);
    }

    fn heredoc_body(&mut self, body: Node<'n>, owner: Option<usize>, quoted: bool, depth: u32) {
        let reads_script = owner.and_then(|i| self.builder.script.commands.get(i)).is_some_and(|c| {
            let c = c.unwrapped();
            is_posix_shell(&c.program.value)
                && !c.args.iter().any(|a| !a.value.starts_with(['-', '+']))
                && shell_script_argument(c.args.iter().map(|a| a.value.as_str())).is_none()
        });
        if reads_script && depth < self.builder.max_depth {
            let (start, end) = (body.start_byte(), body.end_byte());
            let text = self.text.get(start..end).unwrap_or("").to_string();
            let offsets = self.offsets.get(start..end).map(<[u32]>::to_vec).unwrap_or_default();
            if offsets.len() == text.len() {
                let scope = self.builder.new_scope(ScopeKind::ShellString, self.scope, self.span(start, end));
                self.builder.script_text(&text, &offsets, depth + 1, scope);
            }
        } else if !quoted {
            self.substitutions(body, depth);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_handles_quotes_escapes_and_expansions() {
        let u = unquote(r#"'a b'"c\"d"e\ f"#);
        assert_eq!(u.value, "a bc\"de f");
        assert!(u.literal);
        assert_eq!(u.map.len(), u.value.len());
        assert!(!unquote("\"$HOME\"/x").literal);
        assert!(unquote("'$HOME'").literal);
        assert!(!unquote("*.deb").literal);
        assert!(!unquote("/a/{b,c}").literal);
        assert_eq!(unquote("$'a\\tb'").value, "a\tb");
    }

    #[test]
    fn script_argument_follows_option_bundles() {
        let find = |args: &[&str]| shell_script_argument(args.iter().copied());
        assert_eq!(find(&["-c", "x"]), Some(1));
        assert_eq!(find(&["-ex", "-o", "pipefail", "-c", "x"]), Some(4));
        assert_eq!(find(&["-ec", "x"]), Some(1));
        assert_eq!(find(&["script.sh"]), None);
        assert_eq!(find(&["-x", "script.sh"]), None);
    }
}
