//! The line-level pass over a Dockerfile: parser directives, comments, where each instruction
//! starts and ends (line continuations, comment lines inside them), and heredoc bodies.
//!
//! parse-dockerfile drops comments and only understands a heredoc when it is the first thing
//! after RUN's flags (one per RUN), so this pass owns both: it records every comment, reads every
//! heredoc the way BuildKit does (`heredocsFromLine`: any word `[n]<<[-]DELIM` of a RUN, COPY or
//! ADD in shell form, ONBUILD included), and hands parse-dockerfile a copy of the text where the
//! heredoc bodies are blanked and every `<<` it could take for a heredoc is turned into `__`.
//! Both keep every byte offset, so spans from parse-dockerfile still point into the original
//! source; the few values read from a changed word are taken from the source instead.
//!
//! Continuation rules mirror parse-dockerfile (itself modelled on BuildKit): an escape character
//! followed by the line end (optionally after blanks) joins the next line; the blank lines and
//! comment lines right after a continuation are skipped.

use crate::ast::{Comment, Span};
use crate::parse::ParseError;

/// `[ \t\r\v\f]`: what BuildKit and parse-dockerfile treat as blanks within a line.
pub(crate) fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0B' | b'\x0C')
}

/// One instruction as the line pass sees it.
#[derive(Debug, Clone)]
pub(crate) struct ScannedInstruction {
    /// Offset of the keyword.
    pub start: usize,
    /// End of the whole instruction, heredoc bodies and terminators included.
    pub end: usize,
    pub heredocs: Vec<ScannedHeredoc>,
    /// Offsets of the `<<` of every heredoc marker and of every blank-separated token starting
    /// with `<<` in a RUN/COPY/ADD line: all are hidden from parse-dockerfile so that only this
    /// pass decides what a heredoc is.
    pub hidden_markers: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct ScannedHeredoc {
    /// Offset of the `<<` (after an optional file descriptor number) in the instruction line.
    pub marker: usize,
    pub delimiter: String,
    pub quoted: bool,
    pub strip_tabs: bool,
    /// The body with `<<-` tabs stripped.
    pub body: String,
    /// Body lines in the source, terminator line excluded.
    pub body_span: Span,
}

/// Something BuildKit accepts but that is probably a mistake.
#[derive(Debug, Clone)]
pub(crate) struct ScanWarning {
    pub message: String,
    pub offset: usize,
}

#[derive(Debug)]
pub(crate) struct Scan {
    pub escape: u8,
    pub syntax: Option<Span>,
    pub comments: Vec<Comment>,
    pub instructions: Vec<ScannedInstruction>,
    pub warnings: Vec<ScanWarning>,
    /// The text to give parse-dockerfile (from `base`), when heredocs had to be blanked.
    pub blanked: Option<String>,
}

/// Byte offsets of the start of every line.
pub(crate) fn line_starts(src: &str) -> Vec<u32> {
    let mut starts = Vec::with_capacity(src.len() / 32 + 1);
    starts.push(0);
    starts.extend(src.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i as u32 + 1));
    starts
}

/// 1-based line of `offset`.
pub(crate) fn line_of(line_starts: &[u32], offset: usize) -> u32 {
    match line_starts.binary_search(&(offset as u32)) {
        Ok(i) => i as u32 + 1,
        Err(i) => i.max(1) as u32,
    }
}

struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    line_starts: &'a [u32],
    escape: u8,
    comments: Vec<Comment>,
    warnings: Vec<ScanWarning>,
}

/// Runs the line pass over `src` starting at `base` (after a byte order mark).
pub(crate) fn scan(src: &str, base: usize, line_starts: &[u32]) -> Result<Scan, ParseError> {
    let bytes = src.as_bytes();
    let (escape, syntax, mut pos) = parse_directives(bytes, base);
    let mut scanner =
        Scanner { src, bytes, line_starts, escape, comments: Vec::new(), warnings: Vec::new() };
    let mut instructions = Vec::with_capacity(bytes.len() / 64 + 1);
    loop {
        while pos < bytes.len() && (is_blank(bytes[pos]) || bytes[pos] == b'\n') {
            pos += 1;
        }
        if pos >= bytes.len() {
            break;
        }
        if bytes[pos] == b'#' {
            pos = scanner.comment_line(pos);
            continue;
        }
        if bytes[pos] == escape {
            // A lone continuation between instructions is skipped, as parse-dockerfile does.
            if let Some(next) = scanner.continuation_at(pos) {
                pos = scanner.skip_after_continuation(next);
                continue;
            }
        }
        let (instruction, next) = scanner.instruction(pos)?;
        instructions.push(instruction);
        pos = next;
    }
    let blanked = blank_heredocs(src, base, &instructions);
    Ok(Scan {
        escape,
        syntax,
        comments: scanner.comments,
        instructions,
        warnings: scanner.warnings,
        blanked,
    })
}

/// Reads the parser directives at the top (`# syntax=`, `# escape=`, `# check=`), as
/// parse-dockerfile does: they must start at column 0 on the first lines; the first line that
/// is not a known directive ends them. Returns the escape byte, the `syntax` value span and the
/// offset after the directives.
fn parse_directives(bytes: &[u8], base: usize) -> (u8, Option<Span>, usize) {
    let mut escape = b'\\';
    let mut syntax = None;
    let mut seen = [false; 3];
    let mut pos = base;
    while bytes.get(pos) == Some(&b'#') {
        let line_end = find_newline(bytes, pos);
        let line = &bytes[pos + 1..line_end];
        let Some((kind, value_start, value_end)) = directive(line) else { break };
        if seen[kind] {
            // A repeated directive invalidates all of them (parse-dockerfile and BuildKit).
            escape = b'\\';
            syntax = None;
            break;
        }
        seen[kind] = true;
        let value = &line[value_start..value_end];
        match kind {
            0 => syntax = Some(Span::new(pos + 1 + value_start, pos + 1 + value_end)),
            // Anything but ` or \ is an error, reported by parse-dockerfile.
            1 if value == b"`" => escape = b'`',
            _ => {}
        }
        pos = (line_end + 1).min(bytes.len());
    }
    (escape, syntax, pos)
}

/// `line` is the text after `#`. Returns (directive kind 0=syntax 1=escape 2=check, value range).
fn directive(line: &[u8]) -> Option<(usize, usize, usize)> {
    let mut i = skip_blanks(line, 0);
    let name_start = i;
    while i < line.len() && line[i].is_ascii_alphabetic() {
        i += 1;
    }
    let kind = match line[name_start..i].to_ascii_lowercase().as_slice() {
        b"syntax" => 0,
        b"escape" => 1,
        b"check" => 2,
        _ => return None,
    };
    i = skip_blanks(line, i);
    if line.get(i) != Some(&b'=') {
        return None;
    }
    let value_start = skip_blanks(line, i + 1);
    let mut value_end = value_start;
    while value_end < line.len() && !is_blank(line[value_end]) {
        value_end += 1;
    }
    Some((kind, value_start, value_end))
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_blank(bytes[i]) {
        i += 1;
    }
    i
}

/// Offset of the next `\n` at or after `from`, or the end of the text.
pub(crate) fn find_newline(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).and_then(|rest| rest.iter().position(|&b| b == b'\n')).map_or(bytes.len(), |i| from + i)
}

/// If the line `[line_start, line_end)` ends with a continuation, the offset of its escape
/// character. The escape must be followed by nothing, `\r`, or a space or tab and then blanks.
pub(crate) fn continuation_escape(bytes: &[u8], escape: u8, line_start: usize, line_end: usize) -> Option<usize> {
    let mut i = line_end;
    while i > line_start && is_blank(bytes[i - 1]) {
        i -= 1;
    }
    if i == line_start || bytes[i - 1] != escape {
        return None;
    }
    let escape_at = i - 1;
    let rest = &bytes[i..line_end];
    let accepted = rest.is_empty() || rest == b"\r" || matches!(rest[0], b' ' | b'\t');
    accepted.then_some(escape_at)
}

impl Scanner<'_> {
    /// Records the comment line starting at `hash` (a `#`); returns the offset after its line.
    fn comment_line(&mut self, hash: usize) -> usize {
        let line_end = find_newline(self.bytes, hash);
        let mut end = line_end;
        while end > hash && is_blank(self.bytes[end - 1]) {
            end -= 1;
        }
        let text = self.src.get(hash + 1..end).unwrap_or("").trim();
        self.comments.push(Comment {
            text: text.to_string(),
            span: Span::new(hash, end),
            line: line_of(self.line_starts, hash),
        });
        (line_end + 1).min(self.bytes.len())
    }

    /// If an escape at `pos` starts a line continuation, the offset after its newline.
    fn continuation_at(&self, pos: usize) -> Option<usize> {
        let line_end = find_newline(self.bytes, pos);
        if line_end >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[pos + 1..line_end];
        let accepted = rest.is_empty() || rest == b"\r" || (matches!(rest[0], b' ' | b'\t') && rest.iter().all(|&b| is_blank(b)));
        accepted.then_some(line_end + 1)
    }

    /// After a continuation: skips (and records) comment lines and blank lines.
    fn skip_after_continuation(&mut self, mut pos: usize) -> usize {
        loop {
            let first_text = skip_blanks(self.bytes, pos);
            match self.bytes.get(first_text) {
                Some(b'\n') => pos = first_text + 1,
                Some(b'#') => pos = self.comment_line(first_text),
                _ => return pos,
            }
        }
    }

    /// Reads the instruction starting at `start`; returns it and the offset after it.
    fn instruction(&mut self, start: usize) -> Result<(ScannedInstruction, usize), ParseError> {
        let bytes = self.bytes;
        let mut line_start = start;
        let (logical_end, mut next) = loop {
            let line_end = find_newline(bytes, line_start);
            let Some(escape_at) = continuation_escape(bytes, self.escape, line_start, line_end) else {
                break (trim_blank_end(bytes, line_start, line_end), (line_end + 1).min(bytes.len()));
            };
            if line_end >= bytes.len() {
                self.warn_continuation_at_eof(escape_at);
                break (escape_at, bytes.len());
            }
            let after = self.skip_after_continuation(line_end + 1);
            if bytes[after.min(bytes.len())..].iter().all(|&b| is_blank(b)) {
                self.warn_continuation_at_eof(escape_at);
                break (escape_at, bytes.len());
            }
            line_start = after;
        };
        let mut instruction =
            ScannedInstruction { start, end: logical_end, heredocs: Vec::new(), hidden_markers: Vec::new() };
        if bytes[start..logical_end].windows(2).any(|w| w == b"<<") {
            let line = logical_text(self.src, Span::new(start, logical_end), self.escape);
            let (markers, hidden) = heredoc_markers(&line.0);
            instruction.hidden_markers = hidden.iter().filter_map(|&at| line.1.get(at).map(|&o| o as usize)).collect();
            for marker in markers {
                let (heredoc, after) = self.heredoc_body(next, marker, &line.1, start)?;
                instruction.end = after.terminator_end;
                instruction.heredocs.push(heredoc);
                next = after.next;
            }
        }
        Ok((instruction, next))
    }

    fn warn_continuation_at_eof(&mut self, offset: usize) {
        self.warnings.push(ScanWarning {
            message: "line continuation at end of file: the instruction ends here".into(),
            offset,
        });
    }

    /// Reads a heredoc body from `pos` until its terminator line.
    fn heredoc_body(
        &self,
        mut pos: usize,
        marker: HeredocMarker,
        offsets: &[u32],
        instruction_start: usize,
    ) -> Result<(ScannedHeredoc, AfterHeredoc), ParseError> {
        let bytes = self.bytes;
        let marker_offset = offsets.get(marker.at).map_or(instruction_start, |&o| o as usize);
        let body_start = pos;
        loop {
            if pos >= bytes.len() {
                let line = line_of(self.line_starts, marker_offset);
                return Err(ParseError {
                    message: format!(
                        "unterminated heredoc: no line `{}` closes the `<<{}` opened on line {line}",
                        truncate(&marker.delimiter),
                        truncate(&marker.delimiter)
                    ),
                    line,
                    column: 1,
                });
            }
            let line_end = find_newline(bytes, pos);
            let mut line = &bytes[pos..line_end];
            if let Some(stripped) = line.strip_suffix(b"\r") {
                line = stripped;
            }
            if marker.strip_tabs {
                while let Some(rest) = line.strip_prefix(b"\t") {
                    line = rest;
                }
            }
            if line == marker.delimiter.as_bytes() {
                let body_text = self.src.get(body_start..pos).unwrap_or("");
                let body = if marker.strip_tabs { strip_leading_tabs(body_text) } else { body_text.to_string() };
                let heredoc = ScannedHeredoc {
                    marker: marker_offset,
                    delimiter: marker.delimiter,
                    quoted: marker.quoted,
                    strip_tabs: marker.strip_tabs,
                    body,
                    body_span: Span::new(body_start, pos),
                };
                let terminator_end = trim_blank_end(bytes, pos, line_end);
                return Ok((heredoc, AfterHeredoc { terminator_end, next: (line_end + 1).min(bytes.len()) }));
            }
            pos = line_end + 1;
        }
    }
}

struct AfterHeredoc {
    terminator_end: usize,
    next: usize,
}

fn truncate(s: &str) -> &str {
    s.char_indices().nth(64).map_or(s, |(i, _)| &s[..i])
}

fn strip_leading_tabs(text: &str) -> String {
    text.split_inclusive('\n').map(|line| line.trim_start_matches('\t')).collect()
}

fn trim_blank_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is_blank(bytes[end - 1]) {
        end -= 1;
    }
    end
}

/// A `<<DELIM` word found in an instruction line.
#[derive(Debug, Clone)]
pub(crate) struct HeredocMarker {
    /// Offset of `<<` in the logical line.
    pub at: usize,
    pub delimiter: String,
    pub quoted: bool,
    pub strip_tabs: bool,
}

/// The heredoc markers of a logical instruction line, as BuildKit finds them: the instruction
/// must be RUN, COPY or ADD (directly or after ONBUILD) in shell form, and each word matching
/// `^[0-9]*<<(-?)([^<]+)$` opens a heredoc whose delimiter is the unquoted rest.
///
/// Also returns where to hide `<<` from parse-dockerfile: at every heredoc marker, and at every
/// blank-separated token starting with `<<` (parse-dockerfile splits without quotes, so it can
/// see a heredoc where BuildKit sees a quoted word).
pub(crate) fn heredoc_markers(line: &str) -> (Vec<HeredocMarker>, Vec<usize>) {
    let tokens = blank_tokens(line);
    let mut index = 0;
    let token_is = |i: usize, names: &[&str]| {
        tokens.get(i).is_some_and(|&(s, e)| names.iter().any(|n| line[s..e].eq_ignore_ascii_case(n)))
    };
    if token_is(index, &["ONBUILD"]) {
        index += 1;
    }
    if !token_is(index, &["RUN", "COPY", "ADD"]) {
        return (Vec::new(), Vec::new());
    }
    let keyword_end = tokens[index].1;
    index += 1;
    while tokens.get(index).is_some_and(|&(s, _)| line[s..].starts_with("--")) {
        index += 1;
    }
    let arguments = &tokens[index.min(tokens.len())..];
    if arguments.first().is_some_and(|&(s, _)| is_json_string_array(&line[s..])) {
        return (Vec::new(), Vec::new()); // exec form: no heredocs, and parse-dockerfile reads JSON
    }
    let mut hidden: Vec<usize> =
        arguments.iter().filter(|&&(s, _)| line[s..].starts_with("<<")).map(|&(s, _)| s).collect();

    // BuildKit's words: quotes and escapes keep blanks inside a word. BuildKit finds heredocs
    // with raw quotes and always `\` as the escape, whatever the escape directive.
    let words = crate::lower::split_words(&line[keyword_end..], b'\\');
    let mut first_argument = 0;
    while words.get(first_argument).is_some_and(|w| line[keyword_end + w.start..].starts_with("--")) {
        first_argument += 1;
    }
    let mut markers = Vec::new();
    for word in &words[first_argument.min(words.len())..] {
        let (start, end) = (keyword_end + word.start, keyword_end + word.end);
        let word = &line[start..end];
        let digits = word.bytes().take_while(u8::is_ascii_digit).count();
        let Some(after) = word[digits..].strip_prefix("<<") else { continue };
        let (strip_tabs, rest) = match after.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, after),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let delimiter = unquote_heredoc_delimiter(rest);
        if delimiter.is_empty() {
            continue;
        }
        let quoted = delimiter != rest;
        hidden.push(start + digits);
        markers.push(HeredocMarker { at: start + digits, delimiter, quoted, strip_tabs });
    }
    (markers, hidden)
}

/// Blank-separated tokens, no quoting: how parse-dockerfile splits flags and COPY sources.
fn blank_tokens(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (is_blank(bytes[i]) || bytes[i] == b'\n') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !(is_blank(bytes[i]) || bytes[i] == b'\n') {
            i += 1;
        }
        if i > start {
            tokens.push((start, i));
        }
    }
    tokens
}

/// True when `text` is a JSON array of strings and nothing follows it but blanks: the exec
/// form, where BuildKit reads no heredocs.
fn is_json_string_array(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = skip_blanks_and_newlines(bytes, 0);
    if bytes.get(i) != Some(&b'[') {
        return false;
    }
    i = skip_blanks_and_newlines(bytes, i + 1);
    if bytes.get(i) == Some(&b']') {
        return skip_blanks_and_newlines(bytes, i + 1) == bytes.len();
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return false;
        }
        i += 1;
        loop {
            match bytes.get(i) {
                None => return false,
                Some(b'"') => break,
                Some(b'\\') => match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => match json_unicode_escape(bytes, i) {
                        Some(next) => i = next,
                        None => return false,
                    },
                    _ => return false,
                },
                Some(&b) if b < 0x20 => return false,
                Some(_) => i += 1,
            }
        }
        i = skip_blanks_and_newlines(bytes, i + 1);
        match bytes.get(i) {
            Some(b',') => i = skip_blanks_and_newlines(bytes, i + 1),
            Some(b']') => return skip_blanks_and_newlines(bytes, i + 1) == bytes.len(),
            _ => return false,
        }
    }
}

/// The `\uXXXX` escape at `i` (a surrogate pair counts as one): the index after it, or `None`
/// when JSON parsers reject it (bad hex, lone surrogate).
fn json_unicode_escape(bytes: &[u8], i: usize) -> Option<usize> {
    let hex = |at: usize| {
        let digits = bytes.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let unit = hex(i + 2)?;
    match unit {
        0xDC00..=0xDFFF => None,
        0xD800..=0xDBFF => {
            if bytes.get(i + 6..i + 8) != Some(b"\\u") {
                return None;
            }
            matches!(hex(i + 8)?, 0xDC00..=0xDFFF).then_some(i + 12)
        }
        _ => Some(i + 6),
    }
}

fn skip_blanks_and_newlines(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && (is_blank(bytes[i]) || bytes[i] == b'\n') {
        i += 1;
    }
    i
}

/// Removes quotes and backslash escapes from a heredoc delimiter (BuildKit always uses `\`
/// there, whatever the escape directive).
fn unquote_heredoc_delimiter(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// The text of `span` with line continuations removed (escape, line end, and the blank and
/// comment lines right after), and for each byte kept its offset in `src`. A continuation at
/// the end of the file (nothing follows) is dropped too.
pub(crate) fn logical_text(src: &str, span: Span, escape: u8) -> (String, Vec<u32>) {
    let bytes = src.as_bytes();
    let end = (span.end as usize).min(bytes.len());
    let mut text = Vec::with_capacity(end.saturating_sub(span.start as usize));
    let mut offsets = Vec::with_capacity(text.capacity());
    let mut pos = span.start as usize;
    while pos < end {
        let line_end = find_newline(bytes, pos);
        let segment_end = line_end.min(end);
        match continuation_escape(bytes, escape, pos, line_end).filter(|&e| e < end) {
            Some(escape_at) => {
                push_range(&mut text, &mut offsets, bytes, pos, escape_at);
                // Skip blank and comment lines after the continuation.
                pos = line_end + 1;
                loop {
                    let first = skip_blanks(bytes, pos);
                    match bytes.get(first) {
                        Some(b'\n') if first < end => pos = first + 1,
                        Some(b'#') if first < end => pos = find_newline(bytes, first) + 1,
                        _ => break,
                    }
                }
            }
            None => {
                push_range(&mut text, &mut offsets, bytes, pos, segment_end);
                if segment_end < end {
                    // A newline inside the span (JSON strings cannot hold one; heredoc lines can).
                    text.push(b'\n');
                    offsets.push(segment_end as u32);
                }
                pos = segment_end + 1;
            }
        }
    }
    // Splitting only at ASCII bytes keeps the text valid UTF-8.
    let text = String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, offsets)
}

fn push_range(text: &mut Vec<u8>, offsets: &mut Vec<u32>, bytes: &[u8], start: usize, end: usize) {
    if start >= end {
        return;
    }
    text.extend_from_slice(&bytes[start..end]);
    offsets.extend((start as u32)..(end as u32));
}

/// The text parse-dockerfile should see: heredoc bodies and terminators turned into blank lines
/// and each heredoc's `<<` into `__`, so that it neither reads nor trips over them. `None` when
/// there are no heredocs.
fn blank_heredocs(src: &str, base: usize, instructions: &[ScannedInstruction]) -> Option<String> {
    if instructions.iter().all(|i| i.hidden_markers.is_empty()) {
        return None;
    }
    let mut bytes = src.as_bytes()[base..].to_vec();
    for instruction in instructions {
        for &marker in &instruction.hidden_markers {
            for offset in [marker, marker + 1] {
                if let Some(b) = offset.checked_sub(base).and_then(|o| bytes.get_mut(o)) {
                    if *b == b'<' {
                        *b = b'_';
                    }
                }
            }
        }
        if let Some(first) = instruction.heredocs.first() {
            let from = (first.body_span.start as usize).saturating_sub(base);
            let to = instruction.end.saturating_sub(base).min(bytes.len());
            for b in bytes.get_mut(from..to).into_iter().flatten() {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
    }
    // Only ASCII bytes were written over whole characters... except inside bodies, where a
    // multi-byte character's bytes all became spaces: still valid UTF-8.
    String::from_utf8(bytes).ok()
}
