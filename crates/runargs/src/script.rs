//! Finds `docker run` / `docker create` / `podman run` command lines in shell scripts, Makefile
//! recipes and Markdown (fenced shell blocks and inline code), and parses each into a
//! [`RunCommand`] whose values point at the file, line and column they were written at.
//!
//! A README that tells users to `docker run --privileged ...` is worth a finding: what people
//! copy from it is what runs.

use crate::lexer::{lex, SimpleCommand};
use crate::parse::{locate, parse_command_line};
use crate::{ArgWord, RunArgsError, RunCommand};
use rampart_model::Origin;

/// What kind of text a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// sh / bash / zsh: the whole file is a script.
    Shell,
    /// Only recipe lines (tab-indented, with their continuations) are shell; `$$` is `$`.
    Makefile,
    /// Fenced code blocks tagged as shell (or untagged), and inline code spans.
    Markdown,
}

impl SourceKind {
    /// The kind of a file from its name, or for files without a telling name from a `#!` line
    /// naming a POSIX shell. `None`: not a file to look into.
    pub fn detect(file_name: &str, text: &str) -> Option<SourceKind> {
        let lower = file_name.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map(|(_, ext)| ext);
        match (lower.as_str(), extension) {
            ("makefile" | "gnumakefile", _) | (_, Some("mk" | "mak")) => return Some(SourceKind::Makefile),
            (_, Some("md" | "markdown" | "mdx")) => return Some(SourceKind::Markdown),
            (_, Some("sh" | "bash" | "zsh" | "ksh")) => return Some(SourceKind::Shell),
            _ => {}
        }
        let first_line = text.lines().next().unwrap_or_default();
        let interpreter = first_line.strip_prefix("#!")?;
        let mut words = interpreter.split_whitespace();
        let program = words.next()?.rsplit('/').next()?;
        let program = if program == "env" { words.find(|w| !w.starts_with('-'))? } else { program };
        matches!(program, "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash").then_some(SourceKind::Shell)
    }
}

/// What [`find_run_commands`] found: parsed commands, and errors for the command lines (or
/// script fragments holding one) that could not be read.
#[derive(Debug, Default)]
pub struct Found {
    pub commands: Vec<RunCommand>,
    pub errors: Vec<RunArgsError>,
}

/// Finds and parses every container command line in `text`, whose findings will name `path`.
pub fn find_run_commands(text: &str, path: &str, kind: SourceKind) -> Found {
    let mut found = Found::default();
    if !mentions_container_tool(text) {
        return found;
    }
    let lines = LineIndex::new(text);
    let chunks = match kind {
        SourceKind::Shell => vec![Chunk { start: 0, text: text.to_string() }],
        SourceKind::Makefile => makefile_recipes(text),
        SourceKind::Markdown => markdown_code(text),
    };
    for chunk in chunks {
        if !mentions_container_tool(&chunk.text) {
            continue;
        }
        match lex(&chunk.text, chunk.start) {
            Ok(commands) => {
                for command in commands {
                    let words = to_arg_words(&command, text, path, &lines);
                    collect(&words, 0, &mut found);
                }
            }
            Err(error) => {
                let (line, column) = lines.line_col(text, error.offset);
                found.errors.push(RunArgsError {
                    message: format!("cannot read the shell code here: {}", error.message),
                    origin: Some(Origin::at(path, line, column)),
                });
            }
        }
    }
    found
}

fn mentions_container_tool(text: &str) -> bool {
    text.contains("docker") || text.contains("podman")
}

/// Parses `words` when they are a container command (after wrappers such as `sudo`), or looks
/// into a `sh -c '...'` string.
fn collect(words: &[ArgWord], depth: u32, found: &mut Found) {
    let Some(start) = program_start(words) else { return };
    let words = &words[start..];
    if locate(words).is_some() {
        match parse_command_line(words) {
            Ok(command) => found.commands.push(command),
            Err(error) => found.errors.push(error),
        }
        return;
    }
    if let Some(script) = shell_c_string(words) {
        if depth < 4 && mentions_container_tool(&script.value) {
            // Positions inside the string are not tracked: everything found points at it.
            if let Ok(commands) = lex(&script.value, 0) {
                for command in commands {
                    let inner: Vec<ArgWord> = command
                        .words
                        .into_iter()
                        .map(|w| ArgWord { value: w.value, has_expansion: w.has_expansion, origin: script.origin.clone() })
                        .collect();
                    collect(&inner, depth + 1, found);
                }
            }
        }
    }
}

/// Reserved words that may precede a command on the same line.
const KEYWORDS: &[&str] = &["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time"];

/// Index of the program word: past assignments (`FOO=1 docker run`), keywords and wrappers
/// (`sudo -E docker run`, `exec docker run`, `env A=1 docker run`, `timeout 60 docker run`).
fn program_start(words: &[ArgWord]) -> Option<usize> {
    let mut i = 0;
    // Wrappers nest (`sudo env X=1 docker`); a few levels are all real scripts use.
    for _ in 0..8 {
        while words.get(i).is_some_and(|w| is_assignment(&w.value) || KEYWORDS.contains(&w.value.as_str())) {
            i += 1;
        }
        let program = words.get(i)?.value.as_str();
        let (value_options, operands): (&[&str], usize) = match program.rsplit('/').next().unwrap_or(program) {
            "sudo" => (&["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-T", "-U", "--user", "--group", "--host", "--prompt"], 0),
            "doas" => (&["-u", "-C"], 0),
            "exec" => (&["-a"], 0),
            "command" | "nohup" | "builtin" => (&[], 0),
            "env" => (&["-u", "--unset", "-C", "--chdir", "-S", "--split-string"], 0),
            "nice" => (&["-n", "--adjustment"], 0),
            "timeout" => (&["-s", "--signal", "-k", "--kill-after"], 1),
            _ => return Some(i),
        };
        i += 1;
        while let Some(word) = words.get(i) {
            let value = word.value.as_str();
            if value == "--" {
                i += 1;
                break;
            }
            if value.starts_with('-') && value.len() > 1 {
                i += if value_options.contains(&value) { 2 } else { 1 };
            } else if is_assignment(value) {
                i += 1;
            } else {
                break;
            }
        }
        i += operands;
    }
    Some(i)
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit()
    })
}

/// For `sh -c 'script'`, `bash -lc "script"`: the script word.
fn shell_c_string(words: &[ArgWord]) -> Option<&ArgWord> {
    let program = words.first()?.value.as_str();
    let base = program.rsplit('/').next().unwrap_or(program);
    if !matches!(base, "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh") {
        return None;
    }
    let mut i = 1;
    let mut has_c = false;
    while let Some(word) = words.get(i) {
        let value = word.value.as_str();
        if value.starts_with('-') && value.len() > 1 && !value.starts_with("--") {
            has_c |= value.contains('c');
            i += 1;
            if value == "-o" || value == "+o" {
                i += 1;
            }
        } else {
            break;
        }
    }
    if has_c {
        words.get(i)
    } else {
        None
    }
}

/// A piece of the file to lex as shell: `text` has the same byte length as the original at
/// `start` (prompts, make prefixes and output lines are blanked, not removed), so byte offsets
/// map straight back.
struct Chunk {
    start: usize,
    text: String,
}

/// Makefile recipe lines: a line starting with a tab, plus the lines it continues onto with a
/// trailing backslash. Each logical line is its own chunk (make runs each in its own shell).
/// The make-only prefixes `@`, `-`, `+` and the `$$` escape are blanked to the shell's view.
fn makefile_recipes(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut offset = 0;
    let mut current: Option<Chunk> = None;
    for line in text.split_inclusive('\n') {
        let continues_previous = current.is_some();
        if continues_previous || line.starts_with('\t') {
            let mut bytes = line.as_bytes().to_vec();
            let mut i = 0;
            if !continues_previous {
                // Leading tab, then make's command prefixes.
                while i < bytes.len() && matches!(bytes[i], b'\t' | b' ' | b'@' | b'-' | b'+') {
                    bytes[i] = b' ';
                    i += 1;
                }
            } else if bytes.first() == Some(&b'\t') {
                bytes[0] = b' ';
            }
            while i + 1 < bytes.len() {
                if bytes[i] == b'$' && bytes[i + 1] == b'$' {
                    bytes[i] = b' ';
                    i += 2;
                } else {
                    i += 1;
                }
            }
            let piece = String::from_utf8(bytes).unwrap_or_else(|_| line.to_string());
            let chunk = current.get_or_insert_with(|| Chunk { start: offset, text: String::new() });
            chunk.text.push_str(&piece);
            let trimmed = line.trim_end_matches(['\n', '\r']);
            if !trimmed.ends_with('\\') {
                chunks.extend(current.take());
            }
        }
        offset += line.len();
    }
    chunks.extend(current);
    chunks
}

/// Info strings of fenced blocks that hold shell commands.
fn is_shell_fence(info: &str) -> bool {
    let word = info.split_whitespace().next().unwrap_or_default();
    let word = word.trim_start_matches('{').trim_start_matches('.').trim_end_matches('}').to_ascii_lowercase();
    matches!(
        word.as_str(),
        "" | "sh" | "bash" | "shell" | "zsh" | "ksh" | "console" | "shell-session" | "sh-session" | "bash-session"
            | "shellsession" | "terminal" | "command" | "cli"
    )
}

/// Fenced blocks that show a terminal session: only prompt lines (and their continuations) are
/// commands, the rest is output.
fn is_session_fence(info: &str) -> bool {
    let word = info.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
    matches!(word.as_str(), "console" | "shell-session" | "sh-session" | "bash-session" | "shellsession" | "terminal")
}

/// Markdown: one chunk per fenced shell block (prompts `$ ` / `% ` blanked; in session blocks
/// output lines blanked) and one per inline code span that starts with a container command.
fn markdown_code(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut offset = 0;
    // (fence character, fence length, is shell, is session, chunk)
    let mut open: Option<(u8, usize, bool, bool, Chunk)> = None;
    let mut continued = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let fence = fence_of(trimmed).filter(|_| indent <= 3);
        match (&mut open, fence) {
            (Some((ch, len, _, _, _)), Some((fch, flen, info))) if fch == *ch && flen >= *len && info.trim().is_empty() => {
                if let Some((_, _, shell, _, chunk)) = open.take() {
                    if shell {
                        chunks.push(chunk);
                    }
                }
            }
            (Some((_, _, shell, session, chunk)), _) => {
                if *shell {
                    let blanked = blank_prompt(line, *session, &mut continued);
                    chunk.text.push_str(&blanked);
                }
            }
            (None, Some((fch, flen, info))) => {
                let start = offset + line.len();
                open = Some((fch, flen, is_shell_fence(info), is_session_fence(info), Chunk { start, text: String::new() }));
                continued = false;
            }
            (None, None) => chunks.extend(inline_code(line, offset)),
        }
        offset += line.len();
    }
    // An unclosed fence runs to the end of the document (CommonMark).
    if let Some((_, _, true, _, chunk)) = open {
        chunks.push(chunk);
    }
    chunks
}

/// A fence line: its character, length and info string.
fn fence_of(trimmed: &str) -> Option<(u8, usize, &str)> {
    let ch = *trimmed.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = trimmed.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim_end_matches(['\n', '\r']);
    if ch == b'`' && info.contains('`') {
        return None;
    }
    Some((ch, len, info))
}

/// The line with a leading prompt (`$ `, `% `, `# ` in session blocks) blanked; in session
/// blocks, output lines (no prompt, not a continuation) are blanked whole.
fn blank_prompt(line: &str, session: bool, continued: &mut bool) -> String {
    let content = line.trim_end_matches(['\n', '\r']);
    let was_continued = *continued;
    *continued = content.ends_with('\\');
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let prompt_len = ["$ ", "% ", "> "]
        .iter()
        .chain(if session { ["# "].iter() } else { [].iter() })
        .find(|p| trimmed.starts_with(**p))
        .map(|p| p.len());
    match prompt_len {
        Some(len) if !was_continued => format!("{}{}", " ".repeat(indent + len), &trimmed[len..]),
        None if session && !was_continued => {
            *continued = false;
            blank(line)
        }
        _ => line.to_string(),
    }
}

/// The same number of bytes, all spaces (the line ending kept).
fn blank(line: &str) -> String {
    let ending = &line[line.trim_end_matches(['\n', '\r']).len()..];
    format!("{}{ending}", " ".repeat(line.len() - ending.len()))
}

/// Inline code spans (single backticks) on a text line that start with a container command.
fn inline_code(line: &str, line_offset: usize) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut rest = line;
    let mut consumed = 0;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        let code = &after[..close];
        let trimmed = code.trim_start();
        let looks_like_command = ["docker ", "podman ", "sudo docker ", "sudo podman "].iter().any(|p| trimmed.starts_with(p));
        if looks_like_command && !code.is_empty() {
            chunks.push(Chunk { start: line_offset + consumed + open + 1, text: code.to_string() });
        }
        let advance = open + 1 + close + 1;
        consumed += advance;
        rest = &rest[advance..];
    }
    chunks
}

/// Byte offset -> 1-based line and column (in characters) of the original text.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let index = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(index).copied().unwrap_or(0);
        let end = offset.min(text.len());
        let column = text.get(start..end).map_or(end.saturating_sub(start), |s| s.chars().count());
        (index as u32 + 1, column as u32 + 1)
    }
}

fn to_arg_words(command: &SimpleCommand, text: &str, path: &str, lines: &LineIndex) -> Vec<ArgWord> {
    command
        .words
        .iter()
        .map(|word| {
            let (line, column) = lines.line_col(text, word.start);
            let (end_line, end_column) = lines.line_col(text, word.end);
            ArgWord {
                value: word.value.clone(),
                has_expansion: word.has_expansion,
                origin: Some(Origin::at(path, line, column).with_end(end_line, end_column)),
            }
        })
        .collect()
}
