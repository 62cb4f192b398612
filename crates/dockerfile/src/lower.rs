//! Turns parse-dockerfile's instructions into rampart's AST: typed payloads (ENV/LABEL pairs,
//! ARG declarations, USER, mounts, COPY/ADD flags), heredocs from the line pass, and spans
//! into the original source.

use crate::ast::*;
use crate::lines::{is_blank, logical_text, ScannedHeredoc, ScannedInstruction};
use crate::shell_parse::run_script;
use parse_dockerfile as pd;
use std::ops::Range;

pub(crate) struct Lowering<'a> {
    pub src: &'a str,
    /// Offset of the text parse-dockerfile saw within `src` (the byte order mark's length).
    pub base: usize,
    pub escape: u8,
    pub line_starts: &'a [u32],
    pub max_shell_depth: u32,
}

/// What lowering a RUN needs to know about where it sits.
pub(crate) struct Context<'a> {
    pub stage: Option<usize>,
    /// The shell of the stage at this point.
    pub shell: &'a [String],
}

impl Lowering<'_> {
    fn span(&self, range: &Range<usize>) -> Span {
        Span::new(range.start + self.base, range.end + self.base)
    }

    /// A word as parse-dockerfile read it (continuations removed, nothing else).
    fn word(&self, s: &pd::UnescapedString<'_>) -> Word {
        Word { value: s.value.to_string(), span: self.span(&s.span) }
    }

    /// A word as BuildKit's lexer will see it: quotes and escapes removed.
    fn lexed_word(&self, s: &pd::UnescapedString<'_>) -> Word {
        Word { value: unquote(&s.value, self.escape), span: self.span(&s.span) }
    }

    fn shell_text(&self, span: Span) -> ShellText {
        let (text, source_offsets) = logical_text(self.src, span, self.escape);
        ShellText { text, span, source_offsets }
    }

    fn command_form(&self, command: &pd::Command<'_>) -> CommandForm {
        match command {
            pd::Command::Exec(array) => CommandForm::Exec(array.value.iter().map(|w| self.word(w)).collect()),
            pd::Command::Shell(text) => CommandForm::Shell(self.shell_text(self.span(&text.span))),
            // Non-exhaustive upstream; 0.1.9 has only the two forms above.
            _ => CommandForm::Exec(Vec::new()),
        }
    }

    fn flags(&self, options: &[pd::Flag<'_>]) -> Vec<Flag> {
        options
            .iter()
            .map(|f| Flag {
                name: f.name.value.to_string(),
                value: f.value.as_ref().map(|v| v.value.to_string()),
                span: self.span(&f.span()),
            })
            .collect()
    }

    /// Lowers one instruction. `scanned` is the line pass's view of it (its extent and
    /// heredocs); `None` only if the two passes disagree, then the span is rebuilt from the
    /// pieces parse-dockerfile returned.
    pub fn instruction(
        &self,
        instruction: &pd::Instruction<'_>,
        scanned: Option<&ScannedInstruction>,
        context: &Context<'_>,
    ) -> Instruction {
        let (keyword, keyword_range, options, kind) = self.kind(instruction, scanned, context);
        let keyword_span = self.span(&keyword_range);
        let end = match scanned {
            Some(s) => s.end,
            None => self.fallback_end(instruction),
        };
        Instruction {
            keyword: keyword.to_string(),
            span: Span::new(keyword_span.start as usize, end.max(keyword_span.end as usize)),
            keyword_span,
            line: crate::lines::line_of(self.line_starts, keyword_span.start as usize),
            flags: self.flags(options),
            stage: context.stage,
            kind,
        }
    }

    /// The end of the last line of `instruction` when the line pass has no record of it.
    fn fallback_end(&self, instruction: &pd::Instruction<'_>) -> usize {
        let start = self.span(&keyword_range(instruction)).start as usize;
        let line_end = crate::lines::find_newline(self.src.as_bytes(), start);
        line_end.max(start)
    }

    fn heredocs(&self, scanned: Option<&ScannedInstruction>) -> Vec<Heredoc> {
        scanned.map_or_else(Vec::new, |s| s.heredocs.iter().map(heredoc).collect())
    }

    fn kind<'p>(
        &self,
        instruction: &'p pd::Instruction<'_>,
        scanned: Option<&ScannedInstruction>,
        context: &Context<'_>,
    ) -> (&'static str, Range<usize>, &'p [pd::Flag<'p>], Kind) {
        use pd::Instruction as I;
        let no_flags: &[pd::Flag<'_>] = &[];
        match instruction {
            I::From(i) => {
                let platform = flag_value(&i.options, "platform");
                let kind = Kind::From {
                    image: self.lexed_word(&i.image),
                    platform,
                    alias: i.as_.as_ref().map(|(_, name)| self.word(name)),
                };
                ("FROM", i.from.span.clone(), &i.options, kind)
            }
            I::Run(i) => {
                let mounts = i
                    .options
                    .iter()
                    .filter(|f| f.name.value == "mount")
                    .filter_map(|f| f.value.as_ref().map(|v| parse_mount(&v.value, self.span(&f.span()))))
                    .collect();
                let command = self.command_form(&i.arguments);
                let heredocs = self.heredocs(scanned);
                let end = scanned.map_or_else(|| self.fallback_end(instruction), |s| s.end);
                let script =
                    run_script(&command, &heredocs, context.shell, self.src, end as u32, self.max_shell_depth);
                let run = Run {
                    command,
                    mounts,
                    network: flag_value(&i.options, "network"),
                    security: flag_value(&i.options, "security"),
                    heredocs,
                    shell: context.shell.to_vec(),
                    script,
                };
                ("RUN", i.run.span.clone(), &i.options, Kind::Run(run))
            }
            I::Copy(i) => {
                let copy = self.copy_add(&i.options, &i.src, &i.dest, scanned);
                ("COPY", i.copy.span.clone(), &i.options, Kind::Copy(copy))
            }
            I::Add(i) => {
                let add = self.copy_add(&i.options, &i.src, &i.dest, scanned);
                ("ADD", i.add.span.clone(), &i.options, Kind::Add(add))
            }
            I::Env(i) => ("ENV", i.env.span.clone(), no_flags, Kind::Env(self.key_values(&i.arguments))),
            I::Label(i) => ("LABEL", i.label.span.clone(), no_flags, Kind::Label(self.key_values(&i.arguments))),
            I::Arg(i) => ("ARG", i.arg.span.clone(), no_flags, Kind::Arg(self.arg_decls(&i.arguments))),
            I::User(i) => {
                let (user, group) = self.user(&i.arguments);
                ("USER", i.user.span.clone(), no_flags, Kind::User { user, group })
            }
            I::Expose(i) => {
                let ports = i.arguments.iter().map(|w| self.lexed_word(w)).collect();
                ("EXPOSE", i.expose.span.clone(), no_flags, Kind::Expose(ports))
            }
            I::Workdir(i) => ("WORKDIR", i.workdir.span.clone(), no_flags, Kind::Workdir(self.lexed_word(&i.arguments))),
            I::Cmd(i) => ("CMD", i.cmd.span.clone(), no_flags, Kind::Cmd(self.command_form(&i.arguments))),
            I::Entrypoint(i) => {
                ("ENTRYPOINT", i.entrypoint.span.clone(), no_flags, Kind::Entrypoint(self.command_form(&i.arguments)))
            }
            I::Shell(i) => {
                ("SHELL", i.shell.span.clone(), no_flags, Kind::Shell(i.arguments.iter().map(|w| self.word(w)).collect()))
            }
            I::Healthcheck(i) => {
                let form = match &i.arguments {
                    pd::HealthcheckArguments::Cmd { arguments, .. } => Some(self.command_form(arguments)),
                    _ => None,
                };
                ("HEALTHCHECK", i.healthcheck.span.clone(), &i.options, Kind::Healthcheck(form))
            }
            I::Volume(i) => {
                let words = match &i.arguments {
                    pd::JsonOrStringArray::Json(array) => array.value.iter().map(|w| self.word(w)).collect(),
                    pd::JsonOrStringArray::String(words) => words.iter().map(|w| self.lexed_word(w)).collect(),
                };
                ("VOLUME", i.volume.span.clone(), no_flags, Kind::Volume(words))
            }
            I::Stopsignal(i) => {
                ("STOPSIGNAL", i.stopsignal.span.clone(), no_flags, Kind::Stopsignal(self.lexed_word(&i.arguments)))
            }
            I::Maintainer(i) => {
                ("MAINTAINER", i.maintainer.span.clone(), no_flags, Kind::Maintainer(self.word(&i.name)))
            }
            I::Onbuild(i) => {
                let mut inner = self.instruction(&i.instruction, scanned, context);
                if let Some(s) = scanned {
                    inner.span.end = s.end as u32;
                }
                ("ONBUILD", i.onbuild.span.clone(), no_flags, Kind::Onbuild(Box::new(inner)))
            }
            // parse-dockerfile's enum is non-exhaustive; every variant of 0.1.9 is handled above.
            _ => {
                let range = keyword_range(instruction);
                let text = self.src.get(self.span(&range).range()).unwrap_or("").to_string();
                let span = self.span(&range);
                ("MAINTAINER", range, no_flags, Kind::Maintainer(Word { value: text, span }))
            }
        }
    }

    fn copy_add(
        &self,
        options: &[pd::Flag<'_>],
        sources: &[pd::Source<'_>],
        dest: &pd::UnescapedString<'_>,
        scanned: Option<&ScannedInstruction>,
    ) -> CopyAdd {
        let scanned_heredocs: &[ScannedHeredoc] = scanned.map_or(&[], |s| &s.heredocs);
        let mut words = Vec::with_capacity(sources.len());
        let mut heredocs = Vec::new();
        for source in sources {
            match source {
                pd::Source::Path(path) => {
                    let start = path.span.start + self.base;
                    let end = path.span.end + self.base;
                    match scanned_heredocs.iter().find(|h| (start..end).contains(&h.marker)) {
                        Some(h) => heredocs.push(heredoc(h)),
                        None => words.push(self.copy_word(path, scanned)),
                    }
                }
                // The line pass neutralises heredocs before parse-dockerfile sees them, so this is
                // only reached if the two disagree; keep the body rather than lose it.
                pd::Source::HereDoc(h) => heredocs.push(Heredoc {
                    delimiter: String::new(),
                    quoted: !h.expand,
                    strip_tabs: false,
                    body: h.value.to_string(),
                    span: self.span(&h.span),
                }),
                _ => {}
            }
        }
        let flag_word = |name: &str| {
            options.iter().find(|f| f.name.value == name).and_then(|f| f.value.as_ref()).map(|v| self.lexed_word(v))
        };
        let bool_flag = |name: &str| {
            options.iter().any(|f| f.name.value == name && f.value.as_ref().is_none_or(|v| v.value != "false"))
        };
        CopyAdd {
            sources: words,
            heredocs,
            dest: self.copy_word(dest, scanned),
            from: flag_word("from"),
            chown: flag_value(options, "chown"),
            chmod: flag_value(options, "chmod"),
            link: bool_flag("link"),
            parents: bool_flag("parents"),
            checksum: flag_value(options, "checksum"),
        }
    }

    /// A COPY/ADD path. Where the line pass hid a `<<` from parse-dockerfile (a word that is no
    /// heredoc), parse-dockerfile saw `__`: read the word from the source instead.
    fn copy_word(&self, word: &pd::UnescapedString<'_>, scanned: Option<&ScannedInstruction>) -> Word {
        let span = self.span(&word.span);
        let hidden = scanned.is_some_and(|s| s.hidden_markers.iter().any(|&m| span.range().contains(&m)));
        if !hidden {
            return self.lexed_word(word);
        }
        let (text, _) = logical_text(self.src, span, self.escape);
        Word { value: unquote(&text, self.escape), span }
    }

    /// ENV and LABEL arguments: `key=value ...`, or the legacy `KEY value with spaces` form
    /// (BuildKit's `parseNameVal`).
    fn key_values(&self, arguments: &pd::UnescapedString<'_>) -> Vec<KeyValue> {
        let span = self.span(&arguments.span);
        let (text, offsets) = logical_text(self.src, span, self.escape);
        let words = split_words(&text, self.escape);
        let source_span = |range: Range<usize>| source_span(&offsets, range, span);
        let Some(first) = words.first() else { return Vec::new() };
        if !text[first.clone()].contains('=') {
            // Legacy form: the first word is the key, the rest of the line is the value.
            let value_start = text[first.end..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| first.end + i);
            let value_end = text.trim_end().len().max(value_start);
            return vec![KeyValue {
                key: Word { value: text[first.clone()].to_string(), span: source_span(first.clone()) },
                value: Word {
                    value: unquote(&text[value_start..value_end], self.escape),
                    span: source_span(value_start..value_end),
                },
            }];
        }
        words
            .into_iter()
            .map(|range| {
                let word = &text[range.clone()];
                let eq = word.find('=').unwrap_or(word.len());
                let key_range = range.start..range.start + eq;
                let value_range = (range.start + eq + 1).min(range.end)..range.end;
                KeyValue {
                    key: Word { value: unquote(&text[key_range.clone()], self.escape), span: source_span(key_range) },
                    value: Word {
                        value: unquote(&text[value_range.clone()], self.escape),
                        span: source_span(value_range),
                    },
                }
            })
            .collect()
    }

    /// `ARG name[=default] [name[=default] ...]`.
    fn arg_decls(&self, arguments: &pd::UnescapedString<'_>) -> Vec<ArgDecl> {
        let span = self.span(&arguments.span);
        let (text, offsets) = logical_text(self.src, span, self.escape);
        split_words(&text, self.escape)
            .into_iter()
            .map(|range| {
                let word = &text[range.clone()];
                match word.find('=') {
                    Some(eq) => {
                        let name = range.start..range.start + eq;
                        let default = range.start + eq + 1..range.end;
                        ArgDecl {
                            name: Word { value: text[name.clone()].to_string(), span: source_span(&offsets, name, span) },
                            default: Some(Word {
                                value: unquote(&text[default.clone()], self.escape),
                                span: source_span(&offsets, default, span),
                            }),
                        }
                    }
                    None => ArgDecl {
                        name: Word { value: word.to_string(), span: source_span(&offsets, range, span) },
                        default: None,
                    },
                }
            })
            .collect()
    }

    /// `USER user[:group]`.
    fn user(&self, arguments: &pd::UnescapedString<'_>) -> (Word, Option<Word>) {
        let span = self.span(&arguments.span);
        let (text, offsets) = logical_text(self.src, span, self.escape);
        let trimmed_end = text.trim_end().len();
        let start = text.len() - text.trim_start().len();
        let all = start..trimmed_end.max(start);
        let word = |range: Range<usize>| Word {
            value: unquote(&text[range.clone()], self.escape),
            span: source_span(&offsets, range, span),
        };
        match text[all.clone()].find(':') {
            Some(colon) => (word(all.start..all.start + colon), Some(word(all.start + colon + 1..all.end))),
            None => (word(all), None),
        }
    }
}

fn heredoc(h: &ScannedHeredoc) -> Heredoc {
    Heredoc {
        delimiter: h.delimiter.clone(),
        quoted: h.quoted,
        strip_tabs: h.strip_tabs,
        body: h.body.clone(),
        span: h.body_span,
    }
}

fn flag_value(options: &[pd::Flag<'_>], name: &str) -> Option<String> {
    options.iter().find(|f| f.name.value == name).and_then(|f| f.value.as_ref()).map(|v| v.value.to_string())
}

pub(crate) fn keyword_range(instruction: &pd::Instruction<'_>) -> Range<usize> {
    use pd::Instruction as I;
    match instruction {
        I::Add(i) => i.add.span.clone(),
        I::Arg(i) => i.arg.span.clone(),
        I::Cmd(i) => i.cmd.span.clone(),
        I::Copy(i) => i.copy.span.clone(),
        I::Entrypoint(i) => i.entrypoint.span.clone(),
        I::Env(i) => i.env.span.clone(),
        I::Expose(i) => i.expose.span.clone(),
        I::From(i) => i.from.span.clone(),
        I::Healthcheck(i) => i.healthcheck.span.clone(),
        I::Label(i) => i.label.span.clone(),
        I::Maintainer(i) => i.maintainer.span.clone(),
        I::Onbuild(i) => i.onbuild.span.clone(),
        I::Run(i) => i.run.span.clone(),
        I::Shell(i) => i.shell.span.clone(),
        I::Stopsignal(i) => i.stopsignal.span.clone(),
        I::User(i) => i.user.span.clone(),
        I::Volume(i) => i.volume.span.clone(),
        I::Workdir(i) => i.workdir.span.clone(),
        _ => 0..0,
    }
}

/// The source span of `range` of a logical text whose bytes came from `offsets`.
fn source_span(offsets: &[u32], range: Range<usize>, whole: Span) -> Span {
    let start = offsets.get(range.start).copied().unwrap_or(whole.end);
    let end = if range.end > range.start {
        offsets.get(range.end - 1).map_or(whole.end, |&o| o + 1)
    } else {
        start
    };
    Span { start, end: end.max(start) }
}

/// Splits like BuildKit's `parseWords`: on whitespace, keeping quoted parts and escaped
/// characters inside words. Returns byte ranges of `text`.
pub(crate) fn split_words(text: &str, escape: u8) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (is_blank(bytes[i]) || bytes[i] == b'\n') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        let mut quote = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                None if is_blank(b) || b == b'\n' => break,
                None if b == b'\'' || b == b'"' => quote = Some(b),
                Some(q) if b == q => quote = None,
                _ => {}
            }
            if b == escape && quote != Some(b'\'') && i + 1 < bytes.len() {
                i += 1;
            }
            i += 1;
        }
        // Never split a multi-byte character (escape is ASCII, so `i` only skips ASCII bytes
        // or whole characters' continuation bytes up to the next boundary).
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        words.push(start..i.min(bytes.len()));
    }
    words
}

/// Removes quotes and escapes the way BuildKit's word lexer does, keeping `$` references as
/// written: outside quotes the escape character makes the next character literal; inside
/// double quotes it only escapes `"`, `$` and itself; single quotes are literal.
pub(crate) fn unquote(raw: &str, escape: u8) -> String {
    let escape = escape as char;
    if !raw.contains(['\'', '"', escape]) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut quote = None;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == escape => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            Some('\'') if c == '\'' => quote = None,
            Some('"') if c == '"' => quote = None,
            Some('"') if c == escape => match chars.peek() {
                Some(&next) if next == '"' || next == '$' || next == escape => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out
}

/// Parses a `--mount=` value: comma-separated `key=value` fields (double quotes allowed, as in
/// BuildKit's CSV reading).
pub(crate) fn parse_mount(value: &str, span: Span) -> Mount {
    let mut kind = "bind".to_string();
    let mut target = None;
    let mut options = Vec::new();
    for field in split_csv(value) {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
            None => (field.trim().to_ascii_lowercase(), String::new()),
        };
        if key.is_empty() {
            continue;
        }
        match key.as_str() {
            "type" => kind = value.to_ascii_lowercase(),
            "target" | "dst" | "destination" => target = Some(value.clone()),
            _ => {}
        }
        if key != "type" {
            options.push((key, value));
        }
    }
    Mount { kind, target, options, span }
}

fn split_csv(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}
