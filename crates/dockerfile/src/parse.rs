//! `parse()`: bytes in, [`Dockerfile`] out.
//!
//! Three steps: checks on the raw bytes (size, binary, UTF-8), the line pass of
//! [`crate::lines`] (directives, comments, instruction extents, heredocs), then
//! parse-dockerfile on the text with heredoc bodies blanked, lowered into rampart's AST with
//! stages, base images resolved against the global ARGs, and each stage's SHELL.

use crate::ast::*;
use crate::expand::{substitute, Scope};
use crate::lines::{self, line_of};
use crate::lower::{keyword_range, Context, Lowering};
use parse_dockerfile as pd;

/// Limits on what the parser accepts; exceeding one is an error, never a panic.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest shell nesting (`sh -c` inside `sh -c` ...) analysed.
    pub max_shell_depth: u32,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits { max_bytes: 16 * 1024 * 1024, max_shell_depth: 8 }
    }
}

/// Why a Dockerfile could not be parsed, with the 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

const BOM: &str = "\u{feff}";

/// The shell RUN uses when no SHELL instruction says otherwise.
fn default_shell() -> Vec<String> {
    vec!["/bin/sh".to_string(), "-c".to_string()]
}

/// Parses `bytes` as a Dockerfile.
pub fn parse(bytes: &[u8], limits: &ParseLimits) -> Result<Dockerfile, ParseError> {
    if bytes.len() > limits.max_bytes {
        return Err(ParseError {
            message: format!("file is {} bytes, over the limit of {} bytes", bytes.len(), limits.max_bytes),
            line: 1,
            column: 1,
        });
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = byte_position(bytes, nul);
        return Err(ParseError {
            message: "binary file: NUL byte found, a Dockerfile is text".into(),
            line,
            column,
        });
    }
    let source = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = byte_position(bytes, e.valid_up_to());
        ParseError { message: "invalid UTF-8: a Dockerfile must be UTF-8 text".into(), line, column }
    })?;
    let base = if source.starts_with(BOM) { BOM.len() } else { 0 };
    if source[base..].starts_with(BOM) {
        return Err(ParseError { message: "unexpected second byte order mark".into(), line: 1, column: 2 });
    }
    let line_starts = lines::line_starts(source);
    let scan = lines::scan(source, base, &line_starts)?;
    let text = scan.blanked.as_deref().unwrap_or(&source[base..]);
    // `parse_iter` rather than `parse`: they differ only in that `parse` rejects the whole file
    // when two stages share a name. BuildKit refuses such a file too, but DKF036 reports it with
    // the rest of the file still checked, which helps more than a bare parse error.
    let parsed: Vec<pd::Instruction<'_>> = pd::parse_iter(text)
        .and_then(|instructions| instructions.collect())
        .map_err(|e| map_error(&e, source, base, &line_starts))?;

    let lowering = Lowering {
        src: source,
        base,
        escape: scan.escape,
        line_starts: &line_starts,
        max_shell_depth: limits.max_shell_depth,
    };
    let default_shell = default_shell();
    let mut global = Scope::default();
    let mut instructions: Vec<Instruction> = Vec::with_capacity(parsed.len());
    let mut stages: Vec<Stage> = Vec::new();
    // The SHELL in effect in each stage so far.
    let mut stage_shells: Vec<Vec<String>> = Vec::new();
    for parsed_instruction in &parsed {
        let start = keyword_range(parsed_instruction).start + base;
        let scanned = scan
            .instructions
            .binary_search_by_key(&start, |s| s.start)
            .ok()
            .map(|i| &scan.instructions[i]);
        // The line pass and parse-dockerfile split instructions the same way; a miss means they
        // disagree on a continuation rule (spans then fall back to the keyword's line).
        debug_assert!(scanned.is_some(), "line pass missed the instruction at byte {start}");
        let index = instructions.len();
        let is_from = matches!(parsed_instruction, pd::Instruction::From(_));
        let stage = if is_from { Some(stages.len()) } else { stages.len().checked_sub(1) };
        let shell = match stage.and_then(|s| stage_shells.get(s)) {
            Some(shell) if !is_from => shell.as_slice(),
            _ => default_shell.as_slice(),
        };
        let instruction = lowering.instruction(parsed_instruction, scanned, &Context { stage, shell });
        match &instruction.kind {
            Kind::From { image, alias, .. } => {
                let resolved = substitute(&image.value, scan.escape, &global);
                let base_ref = base_ref(&image.value, resolved, &stages);
                let shell = match base_ref {
                    BaseRef::Stage(parent) => stage_shells.get(parent).cloned().unwrap_or_else(|| default_shell.clone()),
                    _ => default_shell.clone(),
                };
                stages.push(Stage {
                    index: stages.len(),
                    name: alias.as_ref().map(|a| Word { value: a.value.to_ascii_lowercase(), span: a.span }),
                    from: index,
                    instructions: index + 1..index + 1,
                    base: base_ref,
                });
                stage_shells.push(shell);
            }
            Kind::Arg(decls) if stage.is_none() => global.declare_global_args(decls, scan.escape),
            Kind::Shell(words) => {
                if let Some(shell) = stage.and_then(|s| stage_shells.get_mut(s)) {
                    *shell = words.iter().map(|w| w.value.clone()).collect();
                }
            }
            _ => {}
        }
        instructions.push(instruction);
    }
    debug_assert_eq!(scan.instructions.len(), parsed.len(), "line pass and parse-dockerfile disagree");
    let stage_starts: Vec<usize> = stages.iter().map(|s| s.from).collect();
    for (i, stage) in stages.iter_mut().enumerate() {
        let end = stage_starts.get(i + 1).copied().unwrap_or(instructions.len());
        stage.instructions = stage.from + 1..end;
    }

    let warnings = scan
        .warnings
        .iter()
        .map(|w| ParseWarning {
            message: w.message.clone(),
            span: Span::new(w.offset, (w.offset + 1).min(source.len())),
            line: line_of(&line_starts, w.offset),
        })
        .collect();
    let syntax = scan.syntax.map(|span| Word { value: source[span.range()].to_string(), span });
    Ok(Dockerfile {
        source: source.to_string(),
        escape: scan.escape as char,
        syntax,
        instructions,
        stages,
        comments: scan.comments,
        warnings,
        line_starts,
    })
}

/// What `FROM image` builds on: `scratch`, an earlier stage (by `AS` name, compared
/// case-insensitively), or an image.
fn base_ref(raw: &str, resolved: Option<String>, stages: &[Stage]) -> BaseRef {
    if let Some(name) = resolved.as_deref() {
        if name.eq_ignore_ascii_case("scratch") {
            return BaseRef::Scratch;
        }
        if let Some(stage) = stages.iter().find(|s| s.name.as_ref().is_some_and(|n| n.value.eq_ignore_ascii_case(name))) {
            return BaseRef::Stage(stage.index);
        }
    }
    BaseRef::Image(ImageRef::new(raw, resolved))
}

/// 1-based line and column (in characters) of byte `offset` of possibly invalid UTF-8 `bytes`.
fn byte_position(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() as u32 + 1;
    (line, column)
}

/// parse-dockerfile reports 1-based lines and byte columns of the text it saw (after the byte
/// order mark); convert to character columns of the whole source.
fn map_error(error: &pd::Error, source: &str, base: usize, line_starts: &[u32]) -> ParseError {
    let message = format!("{error:#}");
    let line = error.line();
    if line == 0 {
        // Errors about the whole file ("expected at least one FROM instruction").
        return ParseError { message, line: 1, column: 1 };
    }
    let line_start = line_starts.get(line - 1).map_or(source.len(), |&s| s as usize) + if line == 1 { base } else { 0 };
    let offset = (line_start + error.column().saturating_sub(1)).min(source.len());
    let column = source.get(line_start.min(offset)..offset).map_or(1, |s| s.chars().count() as u32 + 1);
    ParseError { message, line: line as u32, column }
}
