//! Debian package version order, as dpkg's `verrevcmp` defines it: `[epoch:]upstream[-revision]`,
//! letters before other symbols, `~` before everything (even the end of the string), digit runs
//! compared as numbers.

use std::cmp::Ordering;

/// Compares two Debian versions the way `dpkg --compare-versions` does.
pub fn compare(a: &str, b: &str) -> Ordering {
    let a = DebVersion::parse(a);
    let b = DebVersion::parse(b);
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| verrevcmp(a.upstream, b.upstream))
        .then_with(|| verrevcmp(a.revision, b.revision))
}

struct DebVersion<'a> {
    epoch: u64,
    upstream: &'a str,
    revision: &'a str,
}

impl<'a> DebVersion<'a> {
    fn parse(text: &'a str) -> Self {
        let text = text.trim();
        let (epoch, rest) = match text.split_once(':') {
            Some((epoch, rest)) if !epoch.is_empty() && epoch.bytes().all(|b| b.is_ascii_digit()) => {
                (epoch.parse().unwrap_or(u64::MAX), rest)
            }
            _ => (0, text),
        };
        // The revision is what follows the last hyphen; a version without one has an empty
        // revision, which dpkg orders like "0".
        let (upstream, revision) = rest.rsplit_once('-').unwrap_or((rest, ""));
        DebVersion { epoch, upstream, revision }
    }
}

/// dpkg's weight of a non-digit character: `~` lowest, then the end of the string, then letters,
/// then every other symbol.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let at = |s: &[u8], k: usize| s.get(k).copied();
    let is_digit = |c: Option<u8>| c.is_some_and(|c| c.is_ascii_digit());
    while i < a.len() || j < b.len() {
        // The non-digit prefix, character by character.
        while (i < a.len() && !is_digit(at(a, i))) || (j < b.len() && !is_digit(at(b, j))) {
            let (ac, bc) = (order(at(a, i)), order(at(b, j)));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        // The digit run, as a number of any length: skip leading zeros, then the longer run wins,
        // then the first differing digit.
        while at(a, i) == Some(b'0') {
            i += 1;
        }
        while at(b, j) == Some(b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while is_digit(at(a, i)) && is_digit(at(b, j)) {
            if first_diff == Ordering::Equal {
                first_diff = at(a, i).cmp(&at(b, j));
            }
            i += 1;
            j += 1;
        }
        if is_digit(at(a, i)) {
            return Ordering::Greater;
        }
        if is_digit(at(b, j)) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    #[test]
    fn known_pairs() {
        let cases = [
            ("1.0", "1.0", Equal),
            ("1.0-1", "1.0", Greater),
            ("1.0", "1.0-0", Equal),
            ("1:1.0", "2.0", Greater),
            ("1.0~rc1", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~", "1.0", Less),
            ("1.0a", "1.0", Greater),
            ("1.0+b1", "1.0a", Greater),
            ("1.0.", "1.0a", Greater),
            ("1.10", "1.9", Greater),
            ("1.001", "1.1", Equal),
            ("5.2.15-2+b13", "5.2.15-2", Greater),
            ("2.38.1-5+deb12u3", "2.38.1-5+deb12u1", Greater),
            ("2.38.1-5+deb12u3", "2.38.1-5+deb12u10", Less),
            ("1:2.38.1-5", "2.40-1", Greater),
            ("5.7-0.5~deb12u1", "5.7-0.5", Less),
            ("2026b-0+deb12u1", "2026f-0+deb12u1", Less),
            ("1.2-3-4", "1.2-3-5", Less),
            ("0:1.0", "1.0", Equal),
        ];
        super::super::assert_pairs(compare, &cases);
    }
}
