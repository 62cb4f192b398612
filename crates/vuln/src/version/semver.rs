//! Semantic versioning 2.0 order (npm, and Go modules through [`go`](super::go)):
//! `MAJOR.MINOR.PATCH[-prerelease][+build]`, build metadata ignored.

use std::cmp::Ordering;

#[derive(Debug, PartialEq, Eq, Clone)]
pub struct SemVer {
    core: [u64; 3],
    prerelease: Vec<Identifier>,
}

#[derive(Debug, PartialEq, Eq, Clone, PartialOrd, Ord)]
enum Identifier {
    // Numeric identifiers sort below alphanumeric ones (semver 11.4.3).
    Number(u64),
    Text(String),
}

impl SemVer {
    /// Parses `1.2.3`, `v1.2.3-rc.1+build`; with `lenient`, also `1` and `1.2` (missing parts 0),
    /// as npm ranges and Go's short forms allow.
    pub fn parse(text: &str, lenient: bool) -> Option<SemVer> {
        let text = text.trim();
        let text = text.strip_prefix(['v', '=']).unwrap_or(text);
        let text = text.split_once('+').map_or(text, |(version, _build)| version);
        let (core_text, prerelease_text) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let mut core = [0u64; 3];
        let parts: Vec<&str> = core_text.split('.').collect();
        if parts.len() > 3 || (!lenient && parts.len() != 3) {
            return None;
        }
        for (slot, part) in core.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        let mut prerelease = Vec::new();
        if let Some(pre) = prerelease_text {
            for identifier in pre.split('.') {
                if identifier.is_empty() || !identifier.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    return None;
                }
                prerelease.push(if identifier.bytes().all(|b| b.is_ascii_digit()) {
                    Identifier::Number(identifier.parse().unwrap_or(u64::MAX))
                } else {
                    Identifier::Text(identifier.to_string())
                });
            }
        }
        Some(SemVer { core, prerelease })
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core.cmp(&other.core).then_with(|| match (self.prerelease.is_empty(), other.prerelease.is_empty()) {
            (true, true) => Ordering::Equal,
            // A release is newer than its pre-releases.
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            // Identifier by identifier; a longer list wins when one is a prefix of the other.
            (false, false) => self.prerelease.cmp(&other.prerelease),
        })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two semantic versions; `None` when either does not parse.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(SemVer::parse(a, true)?.cmp(&SemVer::parse(b, true)?))
}

#[cfg(test)]
mod tests {
    use super::{compare, SemVer};
    use std::cmp::Ordering::*;

    #[test]
    fn semver_spec_precedence() {
        // The example chain from semver.org section 11.
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0",
        ];
        for pair in ordered.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Less), "{} < {}", pair[0], pair[1]);
            assert_eq!(compare(pair[1], pair[0]), Some(Greater));
        }
        assert_eq!(compare("1.0.0+build.1", "1.0.0+build.2"), Some(Equal));
        assert_eq!(compare("v1.2.3", "1.2.3"), Some(Equal));
        assert_eq!(compare("1.2", "1.2.0"), Some(Equal));
    }

    #[test]
    fn invalid_versions_are_rejected() {
        for text in ["", "a.b.c", "1.2.3.4", "1..3", "1.2.3-", "1.2.3-a..b"] {
            assert_eq!(SemVer::parse(text, true), None, "{text:?}");
        }
        assert_eq!(SemVer::parse("1.2", false), None);
    }
}
