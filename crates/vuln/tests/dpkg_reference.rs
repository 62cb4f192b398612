//! rampart's dpkg version order against the real `dpkg --compare-versions`, on random pairs built
//! from the pieces real Debian versions are made of (epochs, `~` pre-releases, `+debNuM` and
//! `+bN` revisions, letters, leading zeros). dpkg is part of every Debian system, CI included:
//! a missing dpkg fails the test unless RAMPART_SKIP_DPKG=1 says to skip it.

use proptest::prelude::*;
use rampart_vuln::version::dpkg;
use std::cmp::Ordering;
use std::process::Command;

fn dpkg_available() -> bool {
    if std::env::var_os("RAMPART_SKIP_DPKG").is_some_and(|v| v == "1") {
        return false;
    }
    match Command::new("dpkg").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ => panic!("dpkg is needed as the reference for version order (set RAMPART_SKIP_DPKG=1 to skip)"),
    }
}

/// The real dpkg's verdict: `lt` and `eq` answered by its exit status.
fn dpkg_order(a: &str, b: &str) -> Ordering {
    let ask = |op: &str| {
        let status = Command::new("dpkg").args(["--compare-versions", a, op, b]).status().expect("run dpkg");
        status.success()
    };
    if ask("lt") {
        Ordering::Less
    } else if ask("eq") {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

fn upstream_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..30).prop_map(|n| n.to_string()),
        (0u32..3).prop_map(|n| format!("0{n}")),
        Just("a".to_string()),
        Just("b".to_string()),
        Just("rc".to_string()),
        Just("~".to_string()),
        Just("~rc".to_string()),
        Just("~~".to_string()),
        Just("+".to_string()),
        Just(".".to_string()),
        Just("+dfsg".to_string()),
        Just("+git2023".to_string()),
        Just("-".to_string()),
    ]
}

fn revision_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..12).prop_map(|n| n.to_string()),
        (0u32..4).prop_map(|n| format!("+deb12u{n}")),
        (0u32..15).prop_map(|n| format!("+b{n}")),
        Just("~deb12u1".to_string()),
        Just(".".to_string()),
        Just("~".to_string()),
        Just("ubuntu1".to_string()),
        Just("build1".to_string()),
    ]
}

/// A syntactically valid Debian version: upstream starts with a digit, hyphens only where a
/// revision follows.
fn debian_version() -> impl Strategy<Value = String> {
    (
        prop_oneof![3 => Just(None), 1 => (0u32..3).prop_map(Some)],
        0u32..20,
        prop::collection::vec(upstream_piece(), 0..5),
        prop::option::of((0u32..10, prop::collection::vec(revision_piece(), 0..3))),
    )
        .prop_map(|(epoch, first, pieces, revision)| {
            let mut version = String::new();
            if let Some(epoch) = epoch {
                version.push_str(&format!("{epoch}:"));
            }
            version.push_str(&first.to_string());
            let has_revision = revision.is_some();
            for piece in pieces {
                // A hyphen inside upstream is only legal when a revision follows.
                if piece == "-" && !has_revision {
                    continue;
                }
                // Keep the upstream from ending in a hyphen.
                version.push_str(&piece);
                if piece == "-" {
                    version.push('0');
                }
            }
            if let Some((number, pieces)) = revision {
                version.push('-');
                version.push_str(&number.to_string());
                for piece in pieces {
                    version.push_str(&piece);
                }
            }
            version
        })
}

/// A second version close to the first, so that pairs often share a long prefix (where the
/// interesting cases are).
fn related_pair() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        (debian_version(), debian_version()),
        (debian_version(), revision_piece()).prop_map(|(a, piece)| {
            let b = if a.contains('-') {
                format!("{a}{piece}")
            } else {
                // A new revision must not be empty.
                let revision = piece.trim_start_matches(['+', '~', '.']);
                format!("{a}-{}", if revision.is_empty() { "1" } else { revision })
            };
            (a, b)
        }),
        (debian_version(), upstream_piece()).prop_map(|(a, piece)| {
            let (upstream, revision) = a.rsplit_once('-').map_or((a.as_str(), None), |(u, r)| (u, Some(r)));
            let piece = if piece == "-" { "." } else { piece.as_str() };
            let b = match revision {
                Some(revision) => format!("{upstream}{piece}-{revision}"),
                None => format!("{upstream}{piece}"),
            };
            (a, b)
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn matches_real_dpkg((a, b) in related_pair()) {
        if dpkg_available() {
            prop_assert_eq!(dpkg::compare(&a, &b), dpkg_order(&a, &b), "{} vs {}", a, b);
        }
    }
}

#[test]
fn hand_picked_pairs_match_real_dpkg() {
    if !dpkg_available() {
        return;
    }
    let pairs = [
        ("1.0~rc1", "1.0"),
        ("1:1.0", "2.0"),
        ("5.2.15-2+b13", "5.2.15-2"),
        ("2.38.1-5+deb12u3", "2.38.1-5+deb12u10"),
        ("5.7-0.5~deb12u1", "5.7-0.5"),
        ("1.0", "1.0-0"),
        ("1.0+b1", "1.0a"),
        ("1.001", "1.1"),
        ("2026b-0+deb12u1", "2026f-0+deb12u1"),
    ];
    for (a, b) in pairs {
        assert_eq!(dpkg::compare(a, b), dpkg_order(a, b), "{a} vs {b}");
    }
}
