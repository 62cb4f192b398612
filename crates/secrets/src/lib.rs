//! rampart's secret scanner, shared by the Dockerfile, compose, run-command and image rules.
//!
//! The design is gitleaks': every rule names keywords; one Aho-Corasick automaton finds all
//! keywords of all rules in a single pass, and a rule's regex only runs over the lines where one
//! of its keywords appeared. Most texts contain no keyword at all and cost one linear pass.
//! Regexes are compiled once, on first use, so rules that never fire cost nothing.
//!
//! Pure: no I/O. Callers decide which paths to scan (test fixtures, vendored code) and how to
//! report; findings carry byte ranges and a redacted form, never the secret whole.

pub mod paths;
mod rules;
pub mod validate;

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;

pub use rules::{rule, Rule, RuleKind, RULES};
pub use validate::{is_placeholder, is_reference};

/// Limits that keep a scan bounded whatever the input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes scanned; the rest of a longer input is ignored (and reported as truncated).
    pub max_bytes: usize,
    /// Matches returned; a scan stops looking once it has this many.
    pub max_matches: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 16 << 20, max_matches: 1000 }
    }
}

/// One secret found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub rule: &'static Rule,
    /// Byte range of the whole match (for a URL, the URL; for a private key, the block).
    pub range: Range<usize>,
    /// Byte range of the secret itself, inside `range`.
    pub secret: Range<usize>,
    /// 1-based line of the match's start.
    pub line: usize,
}

impl Match {
    /// The secret, redacted for reports: a short prefix and a hash, never the whole value.
    /// A private key shows only its header line (which reveals nothing).
    pub fn redacted(&self, haystack: &[u8]) -> String {
        let matched = haystack.get(self.range.clone()).unwrap_or_default();
        match self.rule.kind {
            RuleKind::PrivateKey => {
                format!("{}…", String::from_utf8_lossy(&matched[..private_key_header_len(matched)]))
            }
            _ => {
                let secret = haystack.get(self.secret.clone()).unwrap_or_default();
                rampart_model::redact(&String::from_utf8_lossy(secret))
            }
        }
    }
}

/// The length of a key block's header: `-----BEGIN … PRIVATE KEY-----` up to its closing dashes
/// (a key written on one line continues right after them), or the first line for other formats.
fn private_key_header_len(block: &[u8]) -> usize {
    const BEGIN: &[u8] = b"-----BEGIN ";
    if let Some(begin) = memchr::memmem::find(block, BEGIN) {
        if let Some(close) = memchr::memmem::find(&block[begin + BEGIN.len()..], b"-----") {
            return begin + BEGIN.len() + close + 5;
        }
    }
    block.iter().position(|&b| b == b'\n' || b == b'"' || b == b'\\').unwrap_or(block.len()).min(80)
}

/// Why a whole input was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    /// NUL bytes or mostly control characters near the start: not text.
    Binary,
}

/// The result of scanning one input.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub matches: Vec<Match>,
    pub skipped: Option<Skipped>,
    /// The input was longer than [`Limits::max_bytes`], or had more matches than
    /// [`Limits::max_matches`]: what is reported is a prefix of what there is.
    pub truncated: bool,
}

/// The compiled scanner: the keyword automaton and, per rule, its regex compiled on first use.
struct Scanner {
    keywords: AhoCorasick,
    /// For each keyword pattern, the rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    regexes: Vec<OnceLock<Option<Regex>>>,
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let mut keywords: Vec<&'static str> = Vec::new();
    let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
    for (index, rule) in RULES.iter().enumerate() {
        for &keyword in rule.keywords {
            match keywords.iter().position(|k| *k == keyword) {
                Some(at) => keyword_rules[at].push(index),
                None => {
                    keywords.push(keyword);
                    keyword_rules.push(vec![index]);
                }
            }
        }
    }
    let keywords = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        // A full DFA: one table lookup per byte. The keyword set is small (a few hundred bytes of
        // patterns), so its memory is modest, and it is the fastest automaton on long inputs.
        .kind(Some(AhoCorasickKind::DFA))
        .build(&keywords)
        .expect("the keyword table is small and valid");
    Scanner { keywords, keyword_rules, regexes: RULES.iter().map(|_| OnceLock::new()).collect() }
});

impl Scanner {
    /// The rule's regex, compiled on first use. A pattern that fails to compile (a bug the
    /// crate's tests catch) disables its rule instead of panicking.
    fn regex(&self, index: usize) -> Option<&Regex> {
        self.regexes[index]
            .get_or_init(|| regex::bytes::RegexBuilder::new(RULES[index].pattern).size_limit(64 << 20).build().ok())
            .as_ref()
    }
}

/// True when the bytes look like a binary file: a NUL byte in the first 8 KiB, or more than one
/// byte in ten there a control character that text does not use.
pub fn is_binary(data: &[u8]) -> bool {
    let head = &data[..data.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b) || b == 0x7f).count();
    control * 10 > head.len()
}

/// Scans text with the default limits.
pub fn scan(text: &str) -> Scan {
    scan_bytes(text.as_bytes(), Limits::default())
}

/// Scans bytes (text in any ASCII-compatible encoding; invalid UTF-8 is fine).
pub fn scan_bytes(data: &[u8], limits: Limits) -> Scan {
    if is_binary(data) {
        return Scan { skipped: Some(Skipped::Binary), ..Scan::default() };
    }
    let mut truncated = data.len() > limits.max_bytes;
    let data = &data[..data.len().min(limits.max_bytes)];
    let scanner = &*SCANNER;

    // Windows to search, per rule: the lines holding a keyword hit. Most inputs hit nothing
    // and return here without allocating.
    let mut windows: Vec<(usize, Range<usize>)> = Vec::new();
    for hit in scanner.keywords.find_overlapping_iter(data) {
        let line_start = memchr::memrchr(b'\n', &data[..hit.start()]).map_or(0, |i| i + 1);
        let line_end = memchr::memchr(b'\n', &data[hit.end()..]).map_or(data.len(), |i| hit.end() + i);
        for &index in &scanner.keyword_rules[hit.pattern().as_usize()] {
            let end = (line_end + RULES[index].reach).min(data.len());
            windows.push((index, line_start..end));
        }
    }
    if windows.is_empty() {
        return Scan { truncated, ..Scan::default() };
    }
    // Per rule, in order of position; windows that touch are merged so no region is searched
    // twice (a match found twice would be reported twice).
    windows.sort_by_key(|(index, window)| (*index, window.start));
    let mut merged: Vec<(usize, Range<usize>)> = Vec::with_capacity(windows.len());
    for (index, window) in windows {
        match merged.last_mut() {
            Some((last_index, last)) if *last_index == index && window.start <= last.end => last.end = last.end.max(window.end),
            _ => merged.push((index, window)),
        }
    }

    let mut matches = Vec::new();
    'windows: for (index, window) in merged {
        let Some(regex) = scanner.regex(index) else { continue };
        let rule = &RULES[index];
        let haystack = &data[window.clone()];
        for captures in regex.captures_iter(haystack) {
            let Some(whole) = captures.get(0) else { continue };
            let secret = captures.name("secret").unwrap_or(whole);
            let range = window.start + whole.start()..window.start + whole.end();
            let secret = window.start + secret.start()..window.start + secret.end();
            let name = captures.name("name").map(|m| &haystack[m.range()]);
            if let Some(found) = accept(rule, data, range, secret, name) {
                matches.push(found);
                if matches.len() >= limits.max_matches {
                    truncated = true;
                    break 'windows;
                }
            }
        }
    }
    let matches = resolve_overlaps(matches);
    let mut scan = Scan { matches, skipped: None, truncated };
    number_lines(data, &mut scan.matches);
    scan
}

/// Applies a rule's value checks to one regex match; `None` when the match is not a secret.
fn accept(rule: &'static Rule, data: &[u8], mut range: Range<usize>, secret: Range<usize>, name: Option<&[u8]>) -> Option<Match> {
    let value = &data[secret.clone()];
    let before = secret.start.checked_sub(1).map(|i| data[i]);
    let after = data.get(secret.end).copied();
    match rule.kind {
        RuleKind::Token => {
            // Only the token itself is checked for edges: context patterns (a URL before the
            // secret) decide their own.
            if secret == range && (before.is_some_and(|b| b.is_ascii_alphanumeric()) || after.is_some_and(|b| b.is_ascii_alphanumeric())) {
                return None;
            }
            if !validate::looks_random(value) {
                return None;
            }
        }
        RuleKind::Jwt => {
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                return None;
            }
        }
        RuleKind::PrivateKey => {
            // The match reaches the end marker when there is one, so callers can show the block's
            // extent; a header alone still counts (the key may be split over lines of code).
            if rule.id == "private-key" {
                if let Some(end) = private_key_end(data, range.end) {
                    if validate::is_placeholder_key_material(&data[range.end..end]) {
                        return None;
                    }
                    range.end = end;
                }
            } else if validate::is_placeholder_key_material(value) {
                return None;
            }
            return Some(Match { rule, secret: range.clone(), range, line: 0 });
        }
        RuleKind::UrlCredentials => {
            let url = &data[range.clone()];
            let user_start = memchr::memmem::find(url, b"://").map_or(0, |i| i + 3);
            let user = &data[range.start + user_start..secret.start.saturating_sub(1).max(range.start + user_start)];
            // `postgres:postgres@` is a development default; `host.name:443@8443` is a host and
            // port before an `@` (mitmproxy's reverse mode), not a user and password.
            let host_and_port = user.contains(&b'.') && value.iter().all(u8::is_ascii_digit);
            if user == value || host_and_port {
                return None;
            }
        }
        RuleKind::Generic => {
            if name.is_some_and(validate::names_something_else) {
                return None;
            }
        }
        RuleKind::Assignment | RuleKind::CredentialFile => {}
    }
    let text = String::from_utf8_lossy(value);
    // Hashes in credential files contain `$` (`$apr1$`, `$2y$`): not a reference there.
    let reference = rule.kind != RuleKind::CredentialFile && is_reference(&text);
    if is_placeholder(&text) || reference {
        return None;
    }
    if rule.min_entropy > 0.0 && validate::shannon_entropy(value) < rule.min_entropy {
        return None;
    }
    if rule.check.is_some_and(|check| !check(value)) {
        return None;
    }
    Some(Match { rule, range, secret, line: 0 })
}

/// The end of the `-----END … PRIVATE KEY-----` marker after a header ending at `from`, if one
/// follows within 64 KiB.
fn private_key_end(data: &[u8], from: usize) -> Option<usize> {
    let window = &data[from..data.len().min(from + (64 << 10))];
    let end_marker = memchr::memmem::find(window, b"-----END ")?;
    let close = memchr::memmem::find(&window[end_marker + 9..], b"-----")?;
    Some(from + end_marker + 9 + close + 5)
}

/// One finding per secret: when two rules claim overlapping secrets, a specific rule beats the
/// generic one, and otherwise the rule listed first wins (rules are ordered specific first).
fn resolve_overlaps(mut matches: Vec<Match>) -> Vec<Match> {
    let rank = |m: &Match| {
        let generic = matches!(m.rule.kind, RuleKind::Generic | RuleKind::CredentialFile);
        let order = RULES.iter().position(|r| std::ptr::eq(r, m.rule)).unwrap_or(usize::MAX);
        (generic, order)
    };
    matches.sort_by_cached_key(rank);
    let mut kept: Vec<Match> = Vec::with_capacity(matches.len());
    for candidate in matches {
        let overlaps = kept.iter().any(|k| k.secret.start < candidate.secret.end && candidate.secret.start < k.secret.end);
        if !overlaps {
            kept.push(candidate);
        }
    }
    kept.sort_by_key(|m| (m.range.start, m.range.end));
    kept
}

/// Fills in 1-based line numbers (matches sorted by position).
fn number_lines(data: &[u8], matches: &mut [Match]) {
    let mut line = 1;
    let mut counted_to = 0;
    for found in matches.iter_mut() {
        let start = found.range.start.max(counted_to);
        line += memchr::memchr_iter(b'\n', &data[counted_to..start]).count();
        counted_to = start;
        found.line = line;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for (index, rule) in RULES.iter().enumerate() {
            assert!(SCANNER.regex(index).is_some(), "{} does not compile", rule.id);
        }
    }

    #[test]
    fn ids_are_unique_and_rules_have_keywords() {
        for (index, rule) in RULES.iter().enumerate() {
            assert!(!rule.keywords.is_empty(), "{} has no keyword", rule.id);
            assert!(rule.keywords.iter().all(|k| *k == k.to_ascii_lowercase()), "{} keywords must be lower-case", rule.id);
            assert!(RULES[..index].iter().all(|r| r.id != rule.id), "{} twice", rule.id);
        }
        assert!(RULES.len() >= 100, "{} rules", RULES.len());
    }

    #[test]
    fn binary_input_is_skipped() {
        let mut data = b"token=ghp_".to_vec();
        data.extend(std::iter::repeat_n(0u8, 20));
        assert_eq!(scan_bytes(&data, Limits::default()).skipped, Some(Skipped::Binary));
        assert!(!is_binary(b"plain text\nwith lines\t and tabs\r\n"));
        assert!(is_binary(&[1, 2, 3, 4, 5, 6, 7, 8, b'a', b'b']));
    }

    #[test]
    fn limits_bound_the_scan() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\n";
        let text = key.repeat(50);
        let scan = scan_bytes(text.as_bytes(), Limits { max_bytes: 1 << 20, max_matches: 10 });
        assert_eq!(scan.matches.len(), 10);
        assert!(scan.truncated);
        let scan = scan_bytes(text.as_bytes(), Limits { max_bytes: key.len() * 3, max_matches: 100 });
        assert_eq!(scan.matches.len(), 3);
        assert!(scan.truncated);
    }

    #[test]
    fn lines_are_numbered() {
        let text = "a\nb\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBm9q2Yv0aR7tLz3Kp8WcXn4\n-----END EC PRIVATE KEY-----\nx\n-----BEGIN OPENSSH PRIVATE KEY-----\n";
        let lines: Vec<usize> = scan(text).matches.iter().map(|m| m.line).collect();
        assert_eq!(lines, [3, 7]);
    }
}
