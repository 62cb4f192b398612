//! Go module version order (golang.org/x/mod/semver): semantic versions with a `v` prefix,
//! pseudo-versions (`v0.0.0-20230101120000-abcdef123456`) being pre-releases, `+incompatible`
//! ignored as build metadata, `v1` and `v1.2` short for `v1.0.0` and `v1.2.0`. OSV writes Go
//! versions without the `v`; both spellings are accepted.

use super::semver::SemVer;
use std::cmp::Ordering;

/// Compares two Go module versions. Like Go's `semver.Compare`, an invalid version sorts below
/// every valid one (two invalid ones are equal).
pub fn compare(a: &str, b: &str) -> Ordering {
    match (SemVer::parse(a, true), SemVer::parse(b, true)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    #[test]
    fn go_module_versions() {
        let cases = [
            ("v1.2.3", "1.2.3", Equal),
            ("v1.2", "v1.2.0", Equal),
            ("v2.0.0+incompatible", "v2.0.0", Equal),
            ("v0.0.0-20230101120000-abcdef123456", "v0.0.0-20230201120000-abcdef123456", Less),
            ("v0.0.0-20230101120000-abcdef123456", "v0.1.0", Less),
            ("v1.2.4-0.20230101120000-abcdef123456", "v1.2.4", Less),
            ("v1.2.4-0.20230101120000-abcdef123456", "v1.2.3", Greater),
            ("v1.10.0", "v1.9.9", Greater),
            ("garbage", "v0.0.1", Less),
        ];
        super::super::assert_pairs(compare, &cases);
    }
}
