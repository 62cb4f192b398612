//! Alpine package version order, ported from apk-tools' `version.c` (apk 2.x):
//! `digits(.digits)*[letter](_suffix[digits])*[-rN]` with `_alpha < _beta < _pre < _rc` before
//! the release and `_cvs < _svn < _git < _hg < _p` after it; leading zeros after a dot make the
//! component compare as a fraction (`1.01 < 1.1`). A faithful port, quirks included.

use std::cmp::Ordering;

/// Token kinds in apk-tools' order; a later kind at the same position means a shorter version.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Token {
    Invalid,
    DigitOrZero,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    RevisionNo,
    End,
}

const PRE_SUFFIXES: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST_SUFFIXES: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

struct Tokenizer<'a> {
    rest: &'a [u8],
    kind: Token,
}

impl Tokenizer<'_> {
    /// Reads the value of the current token and moves to the next one.
    fn next_value(&mut self) -> i64 {
        if self.rest.is_empty() {
            self.kind = Token::End;
            return 0;
        }
        let mut next_kind = Token::Invalid;
        let mut len = 0;
        let mut value: i64 = 0;
        let mut kind = self.kind;
        if kind == Token::DigitOrZero {
            if self.rest[0] == b'0' {
                // Leading zeros: the more there are, the smaller the component.
                len = self.rest.iter().take_while(|&&c| c == b'0').count();
                value = -(len as i64);
                next_kind = Token::Digit;
            } else {
                kind = Token::Digit;
            }
        }
        match kind {
            Token::DigitOrZero => {}
            Token::Digit | Token::SuffixNo | Token::RevisionNo => {
                while len < self.rest.len() && self.rest[len].is_ascii_digit() {
                    value = value.saturating_mul(10).saturating_add(i64::from(self.rest[len] - b'0'));
                    len += 1;
                }
            }
            Token::Letter => {
                value = i64::from(self.rest[0]);
                len = 1;
            }
            Token::Suffix => {
                if let Some(index) = PRE_SUFFIXES.iter().position(|s| self.rest.starts_with(s.as_bytes())) {
                    len = PRE_SUFFIXES[index].len();
                    value = index as i64 - PRE_SUFFIXES.len() as i64;
                } else if let Some(index) = POST_SUFFIXES.iter().position(|s| self.rest.starts_with(s.as_bytes())) {
                    len = POST_SUFFIXES[index].len();
                    value = index as i64;
                } else {
                    self.kind = Token::Invalid;
                    return -1;
                }
            }
            Token::Invalid | Token::End => {
                self.kind = Token::Invalid;
                return -1;
            }
        }
        self.rest = &self.rest[len..];
        if self.rest.is_empty() {
            self.kind = Token::End;
        } else if next_kind != Token::Invalid {
            self.kind = next_kind;
        } else {
            self.advance_kind();
        }
        value
    }

    /// Decides the kind of the next token from the separator (apk-tools' `next_token`).
    fn advance_kind(&mut self) {
        let current = self.kind;
        let mut next = Token::Invalid;
        match self.rest.first().copied() {
            None | Some(0) => next = Token::End,
            Some(c) if matches!(current, Token::Digit | Token::DigitOrZero) && c.is_ascii_lowercase() => {
                next = Token::Letter
            }
            Some(c) if current == Token::Letter && c.is_ascii_digit() => next = Token::Digit,
            Some(c) if current == Token::Suffix && c.is_ascii_digit() => next = Token::SuffixNo,
            Some(c) => {
                match c {
                    b'.' => next = Token::DigitOrZero,
                    b'_' => next = Token::Suffix,
                    b'-' if self.rest.get(1) == Some(&b'r') => {
                        next = Token::RevisionNo;
                        self.rest = &self.rest[1..];
                    }
                    _ => {}
                }
                self.rest = &self.rest[1..];
            }
        }
        if next < current {
            let allowed = (next == Token::DigitOrZero && current == Token::Digit)
                || (next == Token::Suffix && current == Token::SuffixNo)
                || (next == Token::Digit && current == Token::Letter);
            if !allowed {
                next = Token::Invalid;
            }
        }
        self.kind = next;
    }
}

/// Compares two Alpine versions like `apk version -t`.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut ta = Tokenizer { rest: a.trim().as_bytes(), kind: Token::Digit };
    let mut tb = Tokenizer { rest: b.trim().as_bytes(), kind: Token::Digit };
    let (mut va, mut vb) = (0, 0);
    while ta.kind == tb.kind && ta.kind != Token::End && ta.kind != Token::Invalid && va == vb {
        va = ta.next_value();
        vb = tb.next_value();
    }
    if va != vb {
        return va.cmp(&vb);
    }
    if ta.kind == tb.kind {
        return Ordering::Equal;
    }
    // Equal so far: the longer version is newer, unless what it has next is a pre-release suffix.
    if ta.kind == Token::Suffix && ta.next_value() < 0 {
        return Ordering::Less;
    }
    if tb.kind == Token::Suffix && tb.next_value() < 0 {
        return Ordering::Greater;
    }
    tb.kind.cmp(&ta.kind)
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    // Pairs from apk-tools' test/version.data and Alpine's packaging guide.
    #[test]
    fn known_pairs() {
        let cases = [
            ("1.0", "1.0", Equal),
            ("1.0", "1.0-r1", Less),
            ("1.0-r1", "1.0-r2", Less),
            ("1.0-r10", "1.0-r9", Greater),
            ("1.1_rc1", "1.1", Less),
            // apk-tools' quirk, kept: a last component of only zeros is read as a leading-zero
            // fraction followed by an empty number, so the pre-release is not seen as one.
            ("1.0_rc1", "1.0", Greater),
            ("1.0_alpha1", "1.0_beta1", Less),
            ("1.0_beta", "1.0_pre", Less),
            ("1.0_pre1", "1.0_rc1", Less),
            ("1.0_p1", "1.0", Greater),
            ("1.0_git20230101", "1.0", Greater),
            ("1.0_cvs", "1.0_svn", Less),
            ("1.0a", "1.0", Greater),
            ("1.0a", "1.0b", Less),
            ("1.0b", "1.0.1", Less),
            ("1.01", "1.1", Less),
            ("1.001", "1.01", Less),
            ("1.10", "1.9", Greater),
            ("2.0", "1.99.99", Greater),
            ("1.2.3", "1.2", Greater),
            ("1.2_rc1", "1.2.0", Less),
            ("3.0.13-r0", "3.0.12-r1", Greater),
            ("1.36.1-r15", "1.36.1-r2", Greater),
            ("0.1_alpha_pre2", "0.1_alpha", Less),
            ("0.1_alpha_p2", "0.1_alpha", Greater),
            ("0.1_alpha1_pre2", "0.1_alpha1", Less),
        ];
        super::super::assert_pairs(compare, &cases);
    }
}
