//! Ignore comments in Dockerfiles.
//!
//! - `# rampart ignore=CODE[,CODE] reason=...` on the comment line(s) directly above an
//!   instruction silences those rules for that instruction, all its lines included. Inside a
//!   multi-line instruction (a comment between continuation lines) it covers that instruction.
//! - `# rampart ignore-file=CODE[,CODE] reason=...` anywhere silences them for the whole file.
//! - hadolint's `# hadolint ignore=DL3008,DL3015` (next instruction) and
//!   `# hadolint global ignore=DL3008` (whole file) work the same way through the rules' aliases,
//!   so a project can switch without editing its Dockerfiles.
//!
//! A code can be a rule's code, its name or a peer ID it is aliased to. Ignores that silence
//! nothing, name no rule, or (for rampart's own comments) give no reason are reported as
//! notices: a stale ignore hides the next real problem on that line.

use crate::select::RuleSelector;
use rampart_dockerfile::Dockerfile;
use rampart_model::{Finding, Notice};
use std::collections::HashSet;

/// Whose comment syntax a pragma uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Rampart,
    Hadolint,
}

/// What a comment's text says, before it is attached to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PragmaText {
    /// An ordinary comment.
    None,
    Ignore { dialect: Dialect, file_wide: bool, codes: Vec<String>, reason: Option<String> },
    /// Looks like a rampart ignore comment but cannot be read; the message says why.
    Malformed(String),
}

/// Reads one comment's text (after the `#`, trimmed).
pub(crate) fn parse_pragma(text: &str) -> PragmaText {
    if let Some(rest) = strip_word(text, "rampart") {
        let (file_wide, value) = if let Some(value) = strip_key(rest, "ignore-file=") {
            (true, value)
        } else if let Some(value) = strip_key(rest, "ignore=") {
            (false, value)
        } else if rest.to_ascii_lowercase().starts_with("ignore") {
            return PragmaText::Malformed(
                "expected `rampart ignore=CODE[,CODE] reason=...` or `rampart ignore-file=CODE[,CODE] reason=...`".into(),
            );
        } else {
            return PragmaText::None;
        };
        let (codes, rest) = code_list(value);
        if codes.is_empty() {
            return PragmaText::Malformed("the ignore comment names no rule".into());
        }
        let reason = if rest.is_empty() {
            None
        } else if let Some(reason) = strip_key(rest, "reason=") {
            let reason = reason.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            (!reason.is_empty()).then(|| reason.to_string())
        } else {
            return PragmaText::Malformed(format!(
                "unexpected `{rest}` after the rule codes: separate codes with commas and give the reason as `reason=...`"
            ));
        };
        return PragmaText::Ignore { dialect: Dialect::Rampart, file_wide, codes, reason };
    }
    if let Some(rest) = strip_word(text, "hadolint") {
        let (file_wide, value) = match strip_word(rest, "global") {
            Some(after_global) => (true, strip_key(after_global, "ignore=")),
            None => (false, strip_key(rest, "ignore=")),
        };
        // Other hadolint pragmas (`shell=`) and hadolint's own syntax errors are hadolint's business.
        let Some(value) = value else { return PragmaText::None };
        let (codes, _) = code_list(value);
        if codes.is_empty() {
            return PragmaText::None;
        }
        return PragmaText::Ignore { dialect: Dialect::Hadolint, file_wide, codes, reason: None };
    }
    PragmaText::None
}

/// `text` without a leading `word` (any case) that is followed by whitespace.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace)).then(|| rest.trim_start())
}

/// `text` without a leading `key` (any case), such as `ignore=`.
fn strip_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let head = text.get(..key.len())?;
    head.eq_ignore_ascii_case(key).then(|| &text[key.len()..])
}

/// Splits `A,B , C rest` into the codes `[A, B, C]` and the trimmed rest. Codes are separated by
/// commas (spaces around them allowed); the list ends at the first space not next to a comma,
/// or at a `key=value` word.
fn code_list(text: &str) -> (Vec<String>, &str) {
    let mut codes = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let end = rest.find(|c: char| c == ',' || c.is_whitespace()).unwrap_or(rest.len());
        // `reason=...` (or any other `key=`) ends the list.
        if rest[..end].contains('=') {
            return (codes, rest.trim_end());
        }
        if end > 0 {
            codes.push(rest[..end].to_string());
        }
        let after = rest[end..].trim_start();
        match after.strip_prefix(',') {
            Some(next) => rest = next.trim_start(),
            None => return (codes, after.trim_end()),
        }
    }
}

/// Which findings an ignore comment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The instruction on these lines (1-based, inclusive).
    Lines { first: u32, last: u32 },
    File,
    /// Not attached to any instruction.
    Nothing,
}

#[derive(Debug)]
struct Pragma {
    line: u32,
    dialect: Dialect,
    scope: Scope,
    codes: Vec<(RuleSelector, bool)>,
}

impl Pragma {
    fn covers(&self, finding: &Finding) -> bool {
        match self.scope {
            Scope::File => true,
            Scope::Lines { first, last } => finding.location.line.is_some_and(|line| (first..=last).contains(&line)),
            Scope::Nothing => false,
        }
    }

    fn form(&self) -> &'static str {
        match (self.dialect, self.scope) {
            (Dialect::Rampart, Scope::File) => "rampart ignore-file",
            (Dialect::Rampart, _) => "rampart ignore",
            (Dialect::Hadolint, Scope::File) => "hadolint global ignore",
            (Dialect::Hadolint, _) => "hadolint ignore",
        }
    }
}

/// The ignore comments of one Dockerfile, and which of them have silenced something.
#[derive(Debug)]
pub struct FileSuppressions {
    path: String,
    pragmas: Vec<Pragma>,
    /// Problems found while reading the comments (unknown codes, missing reasons, bad syntax).
    notices: Vec<Notice>,
}

impl FileSuppressions {
    /// Reads the ignore comments of `dockerfile`, found at `path`.
    pub fn new(dockerfile: &Dockerfile, path: &str) -> FileSuppressions {
        let instruction_lines: Vec<(u32, u32)> = dockerfile
            .instructions
            .iter()
            .map(|inst| {
                let last_byte = inst.span.end.saturating_sub(1).max(inst.span.start);
                (inst.line, dockerfile.line_col(last_byte).0.max(inst.line))
            })
            .collect();
        let comments: Vec<(u32, &str)> = dockerfile.comments.iter().map(|c| (c.line, c.text.as_str())).collect();
        FileSuppressions::from_comments(path, &comments, &instruction_lines)
    }

    /// Reads ignore comments of any file: `comments` are (line, text after `#`, trimmed) and
    /// `targets` the (first, last) lines of what a comment right above can silence, in order
    /// (Dockerfile instructions, `docker run` command lines in a script).
    pub fn from_comments(path: &str, comments: &[(u32, &str)], targets: &[(u32, u32)]) -> FileSuppressions {
        let comment_lines: HashSet<u32> = comments.iter().map(|(line, _)| *line).collect();
        let notice = |kind: &str, line: u32, message: String| Notice { kind: kind.into(), path: path.to_string(), line: Some(line), message };

        let mut pragmas = Vec::new();
        let mut notices = Vec::new();
        for &(comment_line, comment_text) in comments {
            let (dialect, file_wide, codes, reason) = match parse_pragma(comment_text) {
                PragmaText::None => continue,
                PragmaText::Malformed(message) => {
                    notices.push(notice("invalid-ignore", comment_line, message));
                    continue;
                }
                PragmaText::Ignore { dialect, file_wide, codes, reason } => (dialect, file_wide, codes, reason),
            };
            let scope = if file_wide { Scope::File } else { attach(comment_line, targets, &comment_lines) };
            let codes: Vec<(RuleSelector, bool)> = codes.iter().map(|code| (RuleSelector::new(code), false)).collect();
            for (selector, _) in &codes {
                // hadolint comments also name hadolint and ShellCheck checks rampart does not
                // have; those are for hadolint, not mistakes.
                if !selector.is_known() && dialect == Dialect::Rampart {
                    notices.push(notice(
                        "unknown-rule",
                        comment_line,
                        format!("no rule is named `{}` (see `rampart rules`)", selector.written),
                    ));
                }
            }
            let pragma = Pragma { line: comment_line, dialect, scope, codes };
            if dialect == Dialect::Rampart && reason.is_none() {
                notices.push(notice(
                    "ignore-without-reason",
                    comment_line,
                    format!("`{}` has no `reason=...`: say why, so a reviewer can tell a deliberate exception from a forgotten one", pragma.form()),
                ));
            }
            pragmas.push(pragma);
        }
        FileSuppressions { path: path.to_string(), pragmas, notices }
    }

    /// True when an ignore comment covers `finding`; every such comment is marked as used.
    pub fn silences(&mut self, finding: &Finding) -> bool {
        let mut silenced = false;
        for pragma in &mut self.pragmas {
            if !pragma.covers(finding) {
                continue;
            }
            for (selector, used) in &mut pragma.codes {
                if selector.matches(&finding.rule) {
                    *used = true;
                    silenced = true;
                }
            }
        }
        silenced
    }

    /// The notices about this file's ignore comments: problems reading them, and codes that
    /// silenced nothing. Call after every finding went through [`Self::silences`].
    pub fn into_notices(self) -> Vec<Notice> {
        let mut notices = self.notices;
        for pragma in &self.pragmas {
            for (selector, used) in &pragma.codes {
                if *used || !selector.is_known() {
                    continue;
                }
                let message = match pragma.scope {
                    Scope::Nothing => format!(
                        "`{}={}` is not on the line(s) directly above an instruction, so it silences nothing (a blank line breaks the link)",
                        pragma.form(),
                        selector.written
                    ),
                    Scope::File => format!(
                        "`{}={}` silences nothing: no finding of that rule in this file; remove it",
                        pragma.form(),
                        selector.written
                    ),
                    Scope::Lines { .. } => format!(
                        "`{}={}` silences nothing: the instruction below has no finding of that rule; remove it",
                        pragma.form(),
                        selector.written
                    ),
                };
                notices.push(Notice { kind: "unused-ignore".into(), path: self.path.clone(), line: Some(pragma.line), message });
            }
        }
        notices.sort_by_key(|n| n.line);
        notices
    }
}

/// The instruction an ignore comment on `line` is about: the one it sits inside (a comment
/// between continuation lines), else the next one when only comment lines lie between them.
fn attach(line: u32, instructions: &[(u32, u32)], comment_lines: &HashSet<u32>) -> Scope {
    let next = instructions.partition_point(|&(first, _)| first <= line);
    if let Some(&(first, last)) = next.checked_sub(1).and_then(|i| instructions.get(i)) {
        if line <= last {
            return Scope::Lines { first, last };
        }
    }
    match instructions.get(next) {
        Some(&(first, last)) if (line + 1..first).all(|between| comment_lines.contains(&between)) => Scope::Lines { first, last },
        _ => Scope::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(dialect: Dialect, file_wide: bool, codes: &[&str], reason: Option<&str>) -> PragmaText {
        PragmaText::Ignore {
            dialect,
            file_wide,
            codes: codes.iter().map(|c| c.to_string()).collect(),
            reason: reason.map(str::to_string),
        }
    }

    #[test]
    fn reads_rampart_pragmas() {
        use Dialect::Rampart;
        assert_eq!(parse_pragma("rampart ignore=DKF001"), ignore(Rampart, false, &["DKF001"], None));
        assert_eq!(
            parse_pragma("rampart ignore=DKF001,DL3008 reason=base image pins it"),
            ignore(Rampart, false, &["DKF001", "DL3008"], Some("base image pins it"))
        );
        assert_eq!(
            parse_pragma("rampart  ignore=DKF001 , sudo-in-run reason=\"vendor script\""),
            ignore(Rampart, false, &["DKF001", "sudo-in-run"], Some("vendor script"))
        );
        assert_eq!(parse_pragma("RAMPART ignore-file=DKF001 reason=x"), ignore(Rampart, true, &["DKF001"], Some("x")));
        assert_eq!(parse_pragma("rampart ignore=DKF001 reason="), ignore(Rampart, false, &["DKF001"], None));
    }

    #[test]
    fn reads_hadolint_pragmas() {
        use Dialect::Hadolint;
        assert_eq!(parse_pragma("hadolint ignore=DL3008,DL3015"), ignore(Hadolint, false, &["DL3008", "DL3015"], None));
        assert_eq!(parse_pragma("hadolint global ignore=DL3008"), ignore(Hadolint, true, &["DL3008"], None));
        assert_eq!(parse_pragma("hadolint shell=powershell"), PragmaText::None);
    }

    #[test]
    fn ordinary_comments_are_not_pragmas() {
        for text in ["install deps", "rampart is our scanner", "rampartignore=x", "hadolint is nice", "ignore=DKF001", ""] {
            assert_eq!(parse_pragma(text), PragmaText::None, "{text}");
        }
    }

    #[test]
    fn malformed_rampart_pragmas_say_why() {
        for text in ["rampart ignore", "rampart ignore DKF001", "rampart ignore=", "rampart ignore= reason=x", "rampart ignore=DKF001 because sudo"] {
            assert!(matches!(parse_pragma(text), PragmaText::Malformed(_)), "{text}: {:?}", parse_pragma(text));
        }
    }

    /// Runs `source`'s ignore comments over a DKF001 finding on each of `lines`; returns which
    /// lines were silenced and the notices.
    fn silenced_lines(source: &str, lines: &[u32]) -> (Vec<u32>, Vec<(String, Option<u32>)>) {
        let dockerfile = rampart_dockerfile::parse(source.as_bytes(), &Default::default()).expect("fixture parses");
        let rule = rampart_rules::find("DKF001").expect("DKF001 exists");
        let mut suppressions = FileSuppressions::new(&dockerfile, "Dockerfile");
        let silenced = lines
            .iter()
            .copied()
            .filter(|&line| {
                let location = rampart_model::Location { line: Some(line), ..Default::default() };
                suppressions.silences(&Finding::new(&rule.meta, "test", location))
            })
            .collect();
        let notices = suppressions.into_notices().into_iter().map(|n| (n.kind, n.line)).collect();
        (silenced, notices)
    }

    #[test]
    fn silences_every_line_of_the_instruction_below() {
        let source = "FROM debian:12\n# rampart ignore=DKF001 reason=r\nRUN a && \\\n    b && \\\n    c\nRUN d\n";
        let (silenced, notices) = silenced_lines(source, &[1, 3, 4, 5, 6]);
        assert_eq!(silenced, vec![3, 4, 5]);
        assert_eq!(notices, vec![]);
    }

    #[test]
    fn a_comment_inside_a_continuation_covers_its_instruction() {
        let source = "FROM debian:12\nRUN a && \\\n    # rampart ignore=DKF001 reason=r\n    sudo b\nRUN c\n";
        let (silenced, notices) = silenced_lines(source, &[2, 4, 5]);
        assert_eq!(silenced, vec![2, 4]);
        assert_eq!(notices, vec![]);
    }

    #[test]
    fn covers_heredoc_bodies() {
        let source = "FROM debian:12\n# hadolint ignore=DL3004\nRUN <<EOF\nsudo a\nsudo b\nEOF\nRUN c\n";
        let (silenced, _) = silenced_lines(source, &[4, 5, 7]);
        assert_eq!(silenced, vec![4, 5]);
    }

    #[test]
    fn file_wide_and_unused_and_reasonless() {
        let source = "FROM debian:12\n# rampart ignore=DKF001\nRUN a\nRUN b\n# rampart ignore-file=sudo-in-run reason=r\n";
        let (silenced, notices) = silenced_lines(source, &[1, 3, 4]);
        assert_eq!(silenced, vec![1, 3, 4]);
        // Used (line 3 had a finding), so only the missing reason is reported.
        assert_eq!(notices, vec![("ignore-without-reason".to_string(), Some(2))]);
        let (silenced, notices) = silenced_lines(source, &[4]);
        assert_eq!(silenced, vec![4]);
        assert_eq!(notices, vec![("ignore-without-reason".to_string(), Some(2)), ("unused-ignore".to_string(), Some(2))]);
        let (silenced, notices) = silenced_lines(source, &[]);
        assert!(silenced.is_empty());
        assert!(notices.contains(&("unused-ignore".to_string(), Some(5))), "{notices:?}");
    }

    #[test]
    fn attaches_to_the_instruction_below_or_around() {
        // Instructions on lines 3 and 6-8; comments on 1, 2, 5 and 7.
        let instructions = [(3, 3), (6, 8)];
        let comments: HashSet<u32> = [1, 2, 5, 7].into_iter().collect();
        assert_eq!(attach(2, &instructions, &comments), Scope::Lines { first: 3, last: 3 });
        assert_eq!(attach(1, &instructions, &comments), Scope::Lines { first: 3, last: 3 }, "a block of comment lines");
        assert_eq!(attach(5, &instructions, &comments), Scope::Lines { first: 6, last: 8 });
        assert_eq!(attach(7, &instructions, &comments), Scope::Lines { first: 6, last: 8 }, "inside a continuation");
        let with_gap: HashSet<u32> = [1].into_iter().collect();
        assert_eq!(attach(1, &[(4, 4)], &with_gap), Scope::Nothing, "a blank line breaks the link");
        assert_eq!(attach(9, &instructions, &comments), Scope::Nothing, "after the last instruction");
    }
}
