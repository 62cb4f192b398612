//! A small POSIX shell lexer: enough of sh/bash to split a script into simple commands and their
//! words with byte positions, so container command lines can be found and parsed.
//!
//! It understands quoting (`'...'`, `"..."`, `$'...'`, backslashes), line continuations,
//! comments, the list and pipeline operators, redirections (their targets are not arguments),
//! here-documents (their bodies are skipped), and substitutions (`$(...)`, backticks, `<(...)`),
//! whose inner commands are lexed too so `id=$(docker run -d ...)` is found. Control keywords
//! (`if`, `then`, `do`, ...) stay words; the finder skips them.
//!
//! Why not tree-sitter-bash (used for Dockerfile RUN): here we only need words and positions in
//! arbitrary files (Markdown blocks, Makefile recipes), and an unterminated quote must be a clear
//! error rather than an ERROR node; this is a few hundred lines with no C dependency.

/// One word: its value after quote removal (expansions kept as written), and its byte range
/// in the text handed to [`lex`] plus `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexWord {
    pub value: String,
    pub has_expansion: bool,
    pub start: usize,
    pub end: usize,
}

/// The words of one simple command, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SimpleCommand {
    pub words: Vec<LexWord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub message: String,
    /// Byte offset (with `base` added) where the problem starts.
    pub offset: usize,
}

/// Deepest nesting of substitutions lexed for commands; deeper ones are kept as words only.
const MAX_DEPTH: u32 = 8;

/// Lexes `text` (positions are reported as `base + offset in text`).
pub(crate) fn lex(text: &str, base: usize) -> Result<Vec<SimpleCommand>, LexError> {
    let mut lexer = Lexer { bytes: text.as_bytes(), pos: 0, base, depth: 0, commands: Vec::new(), heredocs: Vec::new() };
    lexer.run()?;
    Ok(lexer.commands)
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    base: usize,
    depth: u32,
    commands: Vec<SimpleCommand>,
    /// Here-documents whose bodies start after the current line: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
}

/// Characters that end an unquoted word.
fn is_meta(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

impl<'a> Lexer<'a> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn error(&self, message: impl Into<String>, at: usize) -> LexError {
        LexError { message: message.into(), offset: self.base + at }
    }

    fn run(&mut self) -> Result<(), LexError> {
        let mut current = SimpleCommand::default();
        while let Some(b) = self.peek(0) {
            match b {
                b'\\' if self.peek(1) == Some(b'\n') => self.pos += 2,
                b'\\' if self.peek(1) == Some(b'\r') && self.peek(2) == Some(b'\n') => self.pos += 3,
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.finish(&mut current);
                    self.skip_heredoc_bodies();
                }
                b';' | b'&' | b'|' | b'(' | b')' => {
                    if b == b'&' && self.peek(1) == Some(b'>') {
                        // `&>file` / `&>>file`: redirect both streams.
                        self.pos += 1;
                        self.redirection()?;
                        continue;
                    }
                    self.pos += 1;
                    self.finish(&mut current);
                }
                b'#' => {
                    while self.peek(0).is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b'<' | b'>' => {
                    if self.peek(1) == Some(b'(') {
                        // Process substitution `<(cmd)`: a word for the outer command.
                        let word = self.word()?;
                        current.words.push(word);
                    } else {
                        self.redirection()?;
                    }
                }
                _ => {
                    let word = self.word()?;
                    // `2>file`, `2>&1`: a number right before a redirection is its descriptor.
                    if word.value.bytes().all(|c| c.is_ascii_digit())
                        && !word.has_expansion
                        && matches!(self.peek(0), Some(b'<' | b'>'))
                        && self.peek(1) != Some(b'(')
                    {
                        self.redirection()?;
                    } else {
                        current.words.push(word);
                    }
                }
            }
        }
        self.finish(&mut current);
        Ok(())
    }

    fn finish(&mut self, current: &mut SimpleCommand) {
        if !current.words.is_empty() {
            self.commands.push(std::mem::take(current));
        }
    }

    /// At `<` or `>`: the operator and its target word (or a here-document's delimiter).
    fn redirection(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(b"<<<") {
            self.pos += 3;
            self.skip_blanks();
            self.word()?;
            return Ok(());
        }
        if self.bytes[self.pos..].starts_with(b"<<") {
            self.pos += 2;
            let strip_tabs = self.peek(0) == Some(b'-');
            if strip_tabs {
                self.pos += 1;
            }
            self.skip_blanks();
            if self.peek(0).is_none_or(is_meta) {
                return Err(self.error("here-document without a delimiter", start));
            }
            let delimiter = self.word()?;
            self.heredocs.push((delimiter.value, strip_tabs));
            return Ok(());
        }
        // `>`, `>>`, `<`, `<>`, `>|`, `>&`, `<&`
        self.pos += 1;
        while matches!(self.peek(0), Some(b'>' | b'|' | b'&')) && self.pos - start < 3 {
            self.pos += 1;
        }
        self.skip_blanks();
        if self.peek(0).is_some_and(|c| !is_meta(c)) {
            self.word()?;
        }
        Ok(())
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// After a newline: skip the bodies of pending here-documents, line by line, up to each
    /// delimiter line (an unterminated body runs to the end, as in bash).
    fn skip_heredoc_bodies(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            while self.pos < self.bytes.len() {
                let line_end = self.bytes[self.pos..].iter().position(|&c| c == b'\n').map_or(self.bytes.len(), |i| self.pos + i);
                let mut line = &self.bytes[self.pos..line_end];
                if strip_tabs {
                    while let [b'\t', rest @ ..] = line {
                        line = rest;
                    }
                }
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                self.pos = (line_end + 1).min(self.bytes.len());
                if line == delimiter.as_bytes() {
                    break;
                }
            }
        }
    }

    /// One word starting at the current position (not at a metacharacter).
    fn word(&mut self) -> Result<LexWord, LexError> {
        let start = self.pos;
        let mut value: Vec<u8> = Vec::new();
        let mut has_expansion = false;
        while let Some(b) = self.peek(0) {
            match b {
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'\r') if self.peek(2) == Some(b'\n') => self.pos += 3,
                    Some(c) => {
                        value.push(c);
                        self.pos += 2;
                    }
                    None => self.pos += 1,
                },
                b'\'' => {
                    let open = self.pos;
                    self.pos += 1;
                    let close = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .ok_or_else(|| self.error("unterminated single quote", open))?;
                    value.extend_from_slice(&self.bytes[self.pos..self.pos + close]);
                    self.pos += close + 1;
                }
                b'"' => {
                    has_expansion |= self.double_quoted(&mut value)?;
                }
                b'$' if self.peek(1) == Some(b'\'') => {
                    self.pos += 1;
                    self.ansi_c_quoted(&mut value)?;
                }
                b'$' => {
                    has_expansion |= self.dollar(&mut value)?;
                }
                b'`' => {
                    self.backticks(&mut value)?;
                    has_expansion = true;
                }
                b'<' | b'>' if self.peek(1) == Some(b'(') && self.pos == start => {
                    let open = self.pos;
                    self.pos += 1;
                    self.balanced_parens(&mut value, open)?;
                    has_expansion = true;
                }
                c if is_meta(c) => break,
                c => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(LexWord {
            value: String::from_utf8_lossy(&value).into_owned(),
            has_expansion,
            start: self.base + start,
            end: self.base + self.pos,
        })
    }

    /// `"..."`: returns whether it held an expansion.
    fn double_quoted(&mut self, value: &mut Vec<u8>) -> Result<bool, LexError> {
        let open = self.pos;
        self.pos += 1;
        let mut has_expansion = false;
        loop {
            match self.peek(0) {
                None => return Err(self.error("unterminated double quote", open)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(has_expansion);
                }
                Some(b'\\') => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => {
                        value.push(c);
                        self.pos += 2;
                    }
                    _ => {
                        value.push(b'\\');
                        self.pos += 1;
                    }
                },
                Some(b'$') => has_expansion |= self.dollar(value)?,
                Some(b'`') => {
                    self.backticks(value)?;
                    has_expansion = true;
                }
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$'...'` (the `$` already consumed): C escapes.
    fn ansi_c_quoted(&mut self, value: &mut Vec<u8>) -> Result<(), LexError> {
        let open = self.pos;
        self.pos += 1;
        loop {
            match self.peek(0) {
                None => return Err(self.error("unterminated $'...' quote", open)),
                Some(b'\'') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let escaped = match self.peek(1) {
                        Some(b'n') => b'\n',
                        Some(b't') => b'\t',
                        Some(b'r') => b'\r',
                        Some(b'0') => 0,
                        Some(c) => c,
                        None => return Err(self.error("unterminated $'...' quote", open)),
                    };
                    value.push(escaped);
                    self.pos += 2;
                }
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// At `$`: a parameter, `${...}`, `$(...)` or `$((...))`. Appends the text as written and
    /// returns whether it was an expansion (a lone `$` is literal).
    fn dollar(&mut self, value: &mut Vec<u8>) -> Result<bool, LexError> {
        let open = self.pos;
        match self.peek(1) {
            Some(b'(') => {
                value.push(b'$');
                self.pos += 1;
                self.balanced_parens(value, open)?;
                Ok(true)
            }
            Some(b'{') => {
                let mut depth = 0usize;
                loop {
                    match self.peek(0) {
                        None => return Err(self.error("unterminated ${...}", open)),
                        Some(c) => {
                            value.push(c);
                            self.pos += 1;
                            match c {
                                b'{' => depth += 1,
                                b'}' => {
                                    depth -= 1;
                                    if depth == 0 {
                                        return Ok(true);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!') => {
                value.push(b'$');
                self.pos += 1;
                if c.is_ascii_alphabetic() || c == b'_' {
                    while self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                        value.push(self.bytes[self.pos]);
                        self.pos += 1;
                    }
                } else {
                    value.push(c);
                    self.pos += 1;
                }
                Ok(true)
            }
            _ => {
                value.push(b'$');
                self.pos += 1;
                Ok(false)
            }
        }
    }

    /// At `(` (after `$`, `<` or `>`): up to the matching `)`, honouring quotes. The inside
    /// is lexed for commands (`$((...))` arithmetic is not).
    fn balanced_parens(&mut self, value: &mut Vec<u8>, open: usize) -> Result<(), LexError> {
        let inner_start = self.pos + 1;
        let arithmetic = self.peek(1) == Some(b'(');
        let mut depth = 0usize;
        loop {
            match self.peek(0) {
                None => return Err(self.error("unterminated $( ... )", open)),
                Some(b'\\') => {
                    value.extend_from_slice(&self.bytes[self.pos..(self.pos + 2).min(self.bytes.len())]);
                    self.pos += 2;
                }
                Some(quote @ (b'\'' | b'"')) => {
                    let quote_start = self.pos;
                    self.pos += 1;
                    let mut closed = false;
                    while let Some(c) = self.peek(0) {
                        self.pos += 1;
                        if c == b'\\' && quote == b'"' {
                            self.pos += 1;
                        } else if c == quote {
                            closed = true;
                            break;
                        }
                    }
                    if !closed {
                        return Err(self.error("unterminated quote", quote_start));
                    }
                    value.extend_from_slice(&self.bytes[quote_start..self.pos]);
                }
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                    match c {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        if !arithmetic {
            self.nested(inner_start, self.pos - 1)?;
        }
        Ok(())
    }

    /// At a backtick: up to the closing one; the inside is lexed for commands.
    fn backticks(&mut self, value: &mut Vec<u8>) -> Result<(), LexError> {
        let open = self.pos;
        self.pos += 1;
        let inner_start = self.pos;
        loop {
            match self.peek(0) {
                None => return Err(self.error("unterminated backtick", open)),
                Some(b'\\') => self.pos += 2,
                Some(b'`') => break,
                Some(_) => self.pos += 1,
            }
        }
        let inner_end = self.pos.min(self.bytes.len());
        self.pos += 1;
        value.extend_from_slice(&self.bytes[open..self.pos.min(self.bytes.len())]);
        self.nested(inner_start, inner_end)
    }

    /// Lexes `bytes[start..end]` (a substitution's inside) and adds its commands.
    fn nested(&mut self, start: usize, end: usize) -> Result<(), LexError> {
        if self.depth >= MAX_DEPTH || start >= end {
            return Ok(());
        }
        let Some(text) = std::str::from_utf8(&self.bytes[start..end]).ok() else { return Ok(()) };
        let mut inner = Lexer { bytes: text.as_bytes(), pos: 0, base: self.base + start, depth: self.depth + 1, commands: Vec::new(), heredocs: Vec::new() };
        inner.run()?;
        self.commands.extend(inner.commands);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        lex(text, 0).unwrap().into_iter().map(|c| c.words.into_iter().map(|w| w.value).collect()).collect()
    }

    #[test]
    fn quotes_escapes_and_continuations() {
        assert_eq!(words(r#"docker run -e "A=b c" -e 'X=$Y' nginx"#), vec![vec!["docker", "run", "-e", "A=b c", "-e", "X=$Y", "nginx"]]);
        assert_eq!(words("docker run \\\n  --privileged \\\n  nginx"), vec![vec!["docker", "run", "--privileged", "nginx"]]);
        assert_eq!(words(r"echo a\ b \$HOME"), vec![vec!["echo", "a b", "$HOME"]]);
        assert_eq!(words(r"printf $'a\tb'"), vec![vec!["printf", "a\tb"]]);
        assert_eq!(words(r#"echo "a\"b" "\$x""#), vec![vec!["echo", "a\"b", "$x"]]);
    }

    #[test]
    fn operators_split_commands() {
        assert_eq!(
            words("a 1 && b 2 || c 3; d | e & f\ng"),
            vec![vec!["a", "1"], vec!["b", "2"], vec!["c", "3"], vec!["d"], vec!["e"], vec!["f"], vec!["g"]]
        );
        assert_eq!(words("(cd x; make)"), vec![vec!["cd", "x"], vec!["make"]]);
    }

    #[test]
    fn comments_redirections_and_heredocs() {
        assert_eq!(words("a # docker run --privileged x\nb"), vec![vec!["a"], vec!["b"]]);
        assert_eq!(words("a#b c"), vec![vec!["a#b", "c"]]);
        assert_eq!(words("run >out.log 2>&1 x < in"), vec![vec!["run", "x"]]);
        assert_eq!(words("run &>/dev/null x"), vec![vec!["run", "x"]]);
        assert_eq!(
            words("cat <<EOF > f\ndocker run --privileged x\nEOF\nls"),
            vec![vec!["cat"], vec!["ls"]],
            "here-document bodies are not commands"
        );
        assert_eq!(words("cat <<-'END'\n\tdocker run x\n\tEND\nls"), vec![vec!["cat"], vec!["ls"]]);
    }

    #[test]
    fn substitutions_are_words_and_their_commands_are_found() {
        let found = lex("id=$(docker run -d nginx)\necho `docker create busybox`", 0).unwrap();
        let names: Vec<Vec<&str>> = found.iter().map(|c| c.words.iter().map(|w| w.value.as_str()).collect()).collect();
        assert!(names.contains(&vec!["docker", "run", "-d", "nginx"]), "{names:?}");
        assert!(names.contains(&vec!["docker", "create", "busybox"]), "{names:?}");
        let assignment = found.iter().flat_map(|c| &c.words).find(|w| w.value.starts_with("id=")).unwrap();
        assert!(assignment.has_expansion);
        assert_eq!(assignment.value, "id=$(docker run -d nginx)");
        let echo = lex(r#"echo "${HOME}/x" $((1+2)) plain"#, 0).unwrap();
        let flags: Vec<bool> = echo[0].words.iter().map(|w| w.has_expansion).collect();
        assert_eq!(flags, vec![false, true, true, false]);
    }

    #[test]
    fn positions_are_byte_offsets_plus_base() {
        let found = lex("x  docker run", 100).unwrap();
        let w = &found[0].words[1];
        assert_eq!((w.start, w.end), (103, 109));
    }

    #[test]
    fn unterminated_constructs_are_errors() {
        for (text, at) in [("echo 'abc", 5), ("echo \"abc", 5), ("echo $(ls", 5), ("echo `ls", 5), ("echo ${x", 5), ("cat <<", 4)] {
            let error = lex(text, 0).unwrap_err();
            assert_eq!(error.offset, at, "{text}: {error:?}");
        }
    }
}
