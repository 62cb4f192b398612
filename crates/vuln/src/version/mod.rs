//! Version order per ecosystem. Each scheme follows its reference implementation; the tests
//! carry pairs from those implementations' own suites, and dpkg's order is checked against the
//! real `dpkg --compare-versions` by a property test (tests/dpkg_reference.rs).

pub mod apk;
pub mod dpkg;
pub mod go;
pub mod pep440;
pub mod rpm;
pub mod semver;

use std::cmp::Ordering;

/// A version ordering scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Dpkg,
    Rpm,
    Apk,
    Pep440,
    SemVer,
    Go,
}

impl Scheme {
    /// The scheme an OSV ecosystem's versions use (`Debian:12` -> dpkg); `None` for ecosystems
    /// whose order rampart does not know (their records are kept, and matched only through
    /// explicit `versions` lists).
    pub fn for_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "openSUSE" | "SUSE" | "Mageia" | "Photon OS" | "Azure Linux" => Scheme::Rpm,
            "Alpine" | "Wolfi" | "Chainguard" => Scheme::Apk,
            "PyPI" => Scheme::Pep440,
            "npm" | "crates.io" | "Hex" | "Pub" => Scheme::SemVer,
            "Go" => Scheme::Go,
            _ => return None,
        })
    }

    /// Compares two versions; `None` when one of them is not a version of this scheme.
    pub fn compare(self, a: &str, b: &str) -> Option<Ordering> {
        match self {
            Scheme::Dpkg => Some(dpkg::compare(a, b)),
            Scheme::Rpm => Some(rpm::compare(a, b)),
            Scheme::Apk => Some(apk::compare(a, b)),
            Scheme::Pep440 => pep440::compare(a, b),
            Scheme::SemVer => semver::compare(a, b),
            Scheme::Go => Some(go::compare(a, b)),
        }
    }
}

/// Checks a scheme's `compare` on known pairs, both ways round: `(a, b, a's order to b)`.
#[cfg(test)]
fn assert_pairs(compare: fn(&str, &str) -> Ordering, cases: &[(&str, &str, Ordering)]) {
    for &(a, b, expected) in cases {
        assert_eq!(compare(a, b), expected, "{a} vs {b}");
        assert_eq!(compare(b, a), expected.reverse(), "{b} vs {a}");
    }
}
