//! PEP 440 version order (Python packages): `[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]`,
//! with the spellings PEP 440 normalises (`alpha`, `c`, `pre`, `preview`, `-N`, `rev`, `r`, ...).

use std::cmp::Ordering;

#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Pep440 {
    epoch: u64,
    release: Vec<u64>,
    pre: Option<(u8, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Vec<LocalPart>,
}

#[derive(Debug, PartialEq, Eq, Clone, PartialOrd, Ord)]
enum LocalPart {
    // Declared first so that numeric parts sort above text ones (PEP 440).
    Text(String),
    Number(u64),
}

impl Pep440 {
    /// Parses a version; `None` when it is not PEP 440.
    pub fn parse(text: &str) -> Option<Pep440> {
        let lower = text.trim().to_ascii_lowercase();
        let text = lower.strip_prefix('v').unwrap_or(&lower);
        let (public, local) = match text.split_once('+') {
            Some((public, local)) => (public, Some(local)),
            None => (text, None),
        };
        let (epoch, rest) = match public.split_once('!') {
            Some((epoch, rest)) => (epoch.parse().ok()?, rest),
            None => (0, public),
        };
        let bytes = rest.as_bytes();
        let mut pos = 0;
        let mut release = Vec::new();
        loop {
            let (number, len) = leading_number(&bytes[pos..])?;
            release.push(number);
            pos += len;
            if bytes.get(pos) == Some(&b'.') && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit) {
                pos += 1;
            } else {
                break;
            }
        }
        let mut version = Pep440 { epoch, release, pre: None, post: None, dev: None, local: Vec::new() };
        let mut rest = &rest[pos..];
        // Pre-release.
        let after_sep = rest.trim_start_matches(['.', '-', '_']);
        for (spelling, kind) in [("alpha", 0), ("beta", 1), ("preview", 2), ("pre", 2), ("rc", 2), ("a", 0), ("b", 1), ("c", 2)] {
            if let Some(tail) = after_sep.strip_prefix(spelling) {
                let tail = tail.strip_prefix(['.', '-', '_']).filter(|t| t.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(tail);
                let (number, len) = leading_number(tail.as_bytes()).unwrap_or((0, 0));
                version.pre = Some((kind, number));
                rest = &tail[len..];
                break;
            }
        }
        // Post-release: `.post1`, `-1`, `rev1`, `r1`.
        let after_sep = rest.trim_start_matches(['.', '-', '_']);
        let mut post_found = false;
        for spelling in ["post", "rev", "r"] {
            if let Some(tail) = after_sep.strip_prefix(spelling) {
                let tail = tail.strip_prefix(['.', '-', '_']).filter(|t| t.starts_with(|c: char| c.is_ascii_digit())).unwrap_or(tail);
                let (number, len) = leading_number(tail.as_bytes()).unwrap_or((0, 0));
                version.post = Some(number);
                rest = &tail[len..];
                post_found = true;
                break;
            }
        }
        if !post_found {
            if let Some(tail) = rest.strip_prefix('-') {
                if let Some((number, len)) = leading_number(tail.as_bytes()) {
                    version.post = Some(number);
                    rest = &tail[len..];
                }
            }
        }
        // Development release.
        let after_sep = rest.trim_start_matches(['.', '-', '_']);
        if let Some(tail) = after_sep.strip_prefix("dev") {
            let (number, len) = leading_number(tail.as_bytes()).unwrap_or((0, 0));
            version.dev = Some(number);
            rest = &tail[len..];
        }
        if !rest.is_empty() {
            return None;
        }
        if let Some(local) = local {
            for part in local.split(['.', '-', '_']) {
                if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return None;
                }
                version.local.push(match part.parse() {
                    Ok(number) => LocalPart::Number(number),
                    Err(_) => LocalPart::Text(part.to_string()),
                });
            }
        }
        Some(version)
    }

    /// The sort key of `packaging.version`: trailing zeros of the release ignored; a dev-only
    /// release sorts before its pre-releases; no pre-release sorts after any.
    fn key(&self) -> impl Ord + '_ {
        let mut release = self.release.as_slice();
        while let [head @ .., 0] = release {
            release = head;
        }
        // Pre: (rank, kind, number); rank 0 = dev-only release, 1 = pre-release, 2 = final.
        let pre = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (0u8, 0u8, 0u64),
            (Some((kind, number)), _, _) => (1, kind, number),
            (None, _, _) => (2, 0, 0),
        };
        // Post: none sorts first. Dev: none sorts last.
        let post = self.post.map_or((0u8, 0u64), |n| (1, n));
        let dev = self.dev.map_or((1u8, 0u64), |n| (0, n));
        // Local: none sorts first.
        (self.epoch, release, pre, post, dev, &self.local)
    }
}

fn leading_number(bytes: &[u8]) -> Option<(u64, usize)> {
    let len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 {
        return None;
    }
    let text = std::str::from_utf8(&bytes[..len]).ok()?;
    Some((text.parse().unwrap_or(u64::MAX), len))
}

impl Ord for Pep440 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Pep440 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two versions; `None` when either is not PEP 440.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(Pep440::parse(a)?.cmp(&Pep440::parse(b)?))
}

#[cfg(test)]
mod tests {
    use super::{compare, Pep440};
    use std::cmp::Ordering::*;

    #[test]
    fn pep440_order_examples() {
        // The ordering example from PEP 440's "Summary of permitted suffixes and relative ordering".
        let ordered = [
            "1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2",
            "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7",
            "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Less), "{} < {}", pair[0], pair[1]);
            assert_eq!(compare(pair[1], pair[0]), Some(Greater), "{} > {}", pair[1], pair[0]);
        }
    }

    #[test]
    fn normalised_spellings_are_equal() {
        let equal = [
            ("1.0", "1.0.0"),
            ("1.0alpha1", "1.0a1"),
            ("1.0-beta.2", "1.0b2"),
            ("1.0c1", "1.0rc1"),
            ("1.0-1", "1.0.post1"),
            ("1.0rev1", "1.0.post1"),
            ("1.0-dev", "1.0.dev0"),
            ("v2.25.1", "2.25.1"),
            ("1!1.0", "1!1.0.0"),
        ];
        for (a, b) in equal {
            assert_eq!(compare(a, b), Some(Equal), "{a} == {b}");
        }
        assert_eq!(compare("2.25.1", "2.31.0"), Some(Less));
        assert_eq!(compare("1!0.1", "2.0"), Some(Greater));
        assert_eq!(compare("1.26.4", "1.26.18"), Some(Less));
    }

    #[test]
    fn garbage_is_rejected() {
        for text in ["", "abc", "1.0foo", "1.0+", "1.0+a..b"] {
            assert_eq!(Pep440::parse(text), None, "{text:?}");
        }
    }
}
