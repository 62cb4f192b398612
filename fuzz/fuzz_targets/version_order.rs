//! Feeds arbitrary bytes to the vulnerability side's readers: the version order of every scheme
//! (the first byte picks it, the rest is split on NUL into up to three versions) and the OSV
//! record reader with the range evaluation. Nothing may panic, and each order must be one:
//! reflexive, antisymmetric and transitive on the versions it accepts (rpm's missing release
//! aside, see below).

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::matcher::evaluate_affected;
use rampart_vuln::version::Scheme;
use rampart_vuln::Record;
use std::cmp::Ordering;

const SCHEMES: [Scheme; 6] = [Scheme::Dpkg, Scheme::Rpm, Scheme::Apk, Scheme::Pep440, Scheme::SemVer, Scheme::Go];

/// Looks like a version of some scheme: starts with a digit (or Go's and semver's `v`) and holds
/// only the characters versions are made of, each separator followed by a letter or digit. The reference algorithms (rpmvercmp, apk-tools,
/// dpkg) are orders only on such strings; on garbage (`_git`, an empty string) they still
/// answer, and must not panic or disagree with themselves, but need not be transitive.
fn plausible(version: &str) -> bool {
    let body = version.strip_prefix('v').unwrap_or(version);
    let is_separator = |c: char| ".+~_:-^".contains(c);
    body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| c.is_ascii_alphanumeric() || is_separator(c))
        // Every separator introduces something: `2_` and `1..2` are no version of any scheme.
        && !body.ends_with(is_separator)
        && !body.as_bytes().windows(2).any(|pair| is_separator(pair[0] as char) && is_separator(pair[1] as char))
}

fn check_order(scheme: Scheme, versions: &[&str]) {
    for a in versions {
        if let Some(ordering) = scheme.compare(a, a) {
            assert_eq!(ordering, Ordering::Equal, "{scheme:?}: {a:?} is not equal to itself");
        }
        for b in versions {
            let (ab, ba) = (scheme.compare(a, b), scheme.compare(b, a));
            assert_eq!(ab, ba.map(Ordering::reverse), "{scheme:?}: {a:?} vs {b:?} is not antisymmetric");
            for c in versions {
                // rpm (like dnf) compares releases only when both versions have one, so a
                // version without a release equals every release of its version: `1.0` equals
                // both `1.0-1` and `1.0-2`, which differ. Transitivity holds among versions that
                // all have a release or all lack one.
                if ![a, b, c].iter().all(|v| plausible(v)) {
                    continue;
                }
                if scheme == Scheme::Rpm && ![a, b, c].iter().all(|v| v.contains('-')) && [a, b, c].iter().any(|v| v.contains('-')) {
                    continue;
                }
                if let (Some(ab), Some(bc), Some(ac)) = (scheme.compare(a, b), scheme.compare(b, c), scheme.compare(a, c)) {
                    if ab != Ordering::Greater && bc != Ordering::Greater {
                        assert_ne!(ac, Ordering::Greater, "{scheme:?}: {a:?} <= {b:?} <= {c:?} but {a:?} > {c:?}");
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((&selector, rest)) = data.split_first() {
        let scheme = SCHEMES[selector as usize % SCHEMES.len()];
        let text = String::from_utf8_lossy(rest);
        let versions: Vec<&str> = text.split('\0').take(3).collect();
        check_order(scheme, &versions);
    }
    // The same bytes as an OSV record: every affected entry evaluated at a version taken from
    // the record itself, under the scheme its ecosystem names.
    if let Ok(record) = Record::from_json(data) {
        let _ = record.is_withdrawn();
        let _ = record.all_ids().count();
        for affected in &record.affected {
            let ecosystem = affected.package.as_ref().map(|p| p.ecosystem.as_str()).unwrap_or_default();
            let scheme = Scheme::for_ecosystem(ecosystem);
            let candidates = affected.versions.iter().map(String::as_str).chain(["0", "1.0", ""]);
            for version in candidates.take(8) {
                let _ = evaluate_affected(affected, scheme, version);
            }
        }
    }
});
