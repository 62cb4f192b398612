//! `.env` and `env_file:` files, read the way compose reads them: `KEY=VALUE` or `KEY: VALUE`,
//! an optional `export ` prefix, `#` comments (after a space on unquoted values), single quotes
//! literal, double quotes with escapes, both may span lines, `${VAR}` expanded from earlier lines
//! and then from the environment, and a bare `KEY` taking its value from the environment.

use crate::interpolate::{substitute, InterpolationError, Lookup};
use std::collections::HashMap;

/// One variable of an env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvLine {
    pub name: String,
    /// `None`: a bare `KEY` whose variable is not set in the environment either.
    pub value: Option<String>,
    /// The value used a `${VAR}` reference (or the bare `KEY` form).
    pub from_variable: bool,
    /// 1-based line of the key.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub line: u32,
    pub message: String,
}

/// Earlier lines of the same file first, then the outer environment.
struct Chained<'a> {
    local: &'a HashMap<String, String>,
    outer: &'a dyn Lookup,
}

impl Lookup for Chained<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.local.get(name).map(String::as_str).or_else(|| self.outer.lookup(name))
    }
}

/// Parses `text`; `env` resolves references and bare keys.
pub fn parse(text: &str, env: &dyn Lookup) -> Result<Vec<EnvLine>, DotenvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut values: HashMap<String, String> = HashMap::new();
    let mut rest = text;
    let mut line: u32 = 1;
    loop {
        // Skip blank space and comment lines.
        loop {
            let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace());
            line += count_newlines(&rest[..rest.len() - trimmed.len()]);
            rest = trimmed;
            if let Some(comment) = rest.strip_prefix('#') {
                match comment.find('\n') {
                    Some(end) => rest = &comment[end..],
                    None => rest = "",
                }
                continue;
            }
            break;
        }
        if rest.is_empty() {
            break;
        }
        let key_line = line;
        if let Some(after) = rest.strip_prefix("export") {
            if after.starts_with([' ', '\t']) {
                rest = after.trim_start_matches([' ', '\t']);
            }
        }
        let mut key_end = None;
        for (i, c) in rest.char_indices() {
            match c {
                '=' | ':' | '\n' => {
                    key_end = Some((i, c));
                    break;
                }
                ' ' | '\t' | '\r' => {}
                '_' | '.' | '-' | '[' | ']' => {}
                c if c.is_alphanumeric() => {}
                other => {
                    let first_line = rest.lines().next().unwrap_or_default();
                    return Err(DotenvError {
                        line: key_line,
                        message: format!("unexpected character `{other}` in variable name `{first_line}`"),
                    });
                }
            }
        }
        let (key, terminator, after) = match key_end {
            Some((i, c)) => (&rest[..i], Some(c), &rest[i + c.len_utf8()..]),
            None => (rest, None, ""),
        };
        let key = key.trim_end();
        if key.contains([' ', '\t']) {
            return Err(DotenvError { line: key_line, message: format!("variable name `{key}` contains a space") });
        }
        if key.is_empty() {
            return Err(DotenvError { line: key_line, message: "a line starts with `=` or `:`: no variable name".into() });
        }
        let chained = Chained { local: &values, outer: env };
        if terminator != Some('=') && terminator != Some(':') {
            // A bare `KEY`: inherited from the environment.
            let value = chained.lookup(key).map(str::to_string);
            if terminator == Some('\n') {
                line += 1;
            }
            lines.push(EnvLine { name: key.to_string(), value: value.clone(), from_variable: true, line: key_line });
            if let Some(v) = value {
                values.insert(key.to_string(), v);
            }
            rest = after;
            continue;
        }
        let after = after.trim_start_matches([' ', '\t', '\r']);
        let (raw, from_variable, remaining, consumed_lines) = match after.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let (body, remaining) = quoted(&after[1..], quote).ok_or_else(|| DotenvError {
                    line: key_line,
                    message: format!("unterminated quoted value for `{key}`"),
                })?;
                let newlines = count_newlines(&after[..after.len() - remaining.len()]);
                if quote == '"' {
                    let expanded = expand(&unescape(&body), &chained, key_line)?;
                    (expanded.0, expanded.1, remaining, newlines)
                } else {
                    (body, false, remaining, newlines)
                }
            }
            _ => {
                let (value, remaining) = match after.find('\n') {
                    Some(end) => (&after[..end], &after[end..]),
                    None => (after, ""),
                };
                let value = value.split(" #").next().unwrap_or_default().trim_end();
                let expanded = expand(value, &chained, key_line)?;
                (expanded.0, expanded.1, remaining, 0)
            }
        };
        line += consumed_lines;
        values.insert(key.to_string(), raw.clone());
        lines.push(EnvLine { name: key.to_string(), value: Some(raw), from_variable, line: key_line });
        rest = remaining;
    }
    Ok(lines)
}

fn count_newlines(text: &str) -> u32 {
    u32::try_from(text.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX)
}

/// The body of a quoted value up to the closing quote (a backslash keeps the next character,
/// and drops itself only before the quote), and what follows it.
fn quoted(text: &str, quote: char) -> Option<(String, &str)> {
    let mut body = String::new();
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            if c != quote {
                body.push('\\');
            }
            body.push(c);
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if c == quote {
            return Some((body, &text[i + 1..]));
        }
        body.push(c);
    }
    None
}

/// Double-quoted escapes: `\n`, `\t`, `\\`, `\"`, `\$` (kept as a literal dollar), ...
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('$') => out.push_str("$$"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn expand(value: &str, env: &dyn Lookup, line: u32) -> Result<(String, bool), DotenvError> {
    substitute(value, env).map(|s| (s.text, s.referenced)).map_err(|e: InterpolationError| DotenvError { line, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> HashMap<String, String> {
        [("HOME", "/root"), ("FROM_ENV", "outer")].into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn pairs(text: &str) -> Vec<(String, Option<String>, u32)> {
        parse(text, &env()).expect("valid").into_iter().map(|l| (l.name, l.value, l.line)).collect()
    }

    #[test]
    fn keys_values_comments_and_lines() {
        let got = pairs("# comment\nA=1\n\nexport B=two # trailing\nC: three\nD=a#b\n");
        assert_eq!(
            got,
            vec![
                ("A".into(), Some("1".into()), 2),
                ("B".into(), Some("two".into()), 4),
                ("C".into(), Some("three".into()), 5),
                ("D".into(), Some("a#b".into()), 6),
            ]
        );
    }

    #[test]
    fn quotes_escapes_and_multiline_values() {
        let got = pairs("A='lit $HOME \\n'\nB=\"tab\\there $HOME\"\nC=\"line1\nline2\"\nD=after\n");
        assert_eq!(got[0].1.as_deref(), Some("lit $HOME \\n"));
        assert_eq!(got[1].1.as_deref(), Some("tab\there /root"));
        assert_eq!(got[2].1.as_deref(), Some("line1\nline2"));
        assert_eq!((got[3].0.as_str(), got[3].2), ("D", 5));
    }

    #[test]
    fn references_see_earlier_lines_then_the_environment() {
        let got = pairs("A=x\nB=${A}-${FROM_ENV}-${MISSING:-d}\n");
        assert_eq!(got[1].1.as_deref(), Some("x-outer-d"));
    }

    #[test]
    fn bare_keys_inherit_from_the_environment() {
        let got = pairs("FROM_ENV\nNOT_SET\n");
        assert_eq!(got, vec![("FROM_ENV".into(), Some("outer".into()), 1), ("NOT_SET".into(), None, 2)]);
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse("A=1\nB C=2\n", &env()).expect_err("space");
        assert_eq!(err.line, 2);
        let err = parse("A=1\nB=\"open\n", &env()).expect_err("unterminated");
        assert_eq!(err.line, 2);
        let err = parse("A=${X:?needed}\n", &env()).expect_err("required");
        assert!(err.message.contains("needed"));
    }
}
