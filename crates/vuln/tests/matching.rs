//! Matching against small OSV records written here (no shared fixtures).

use rampart_vuln::{evaluate, match_package, Level, Package, Record, Verdict};
use serde_json::json;

fn record(value: serde_json::Value) -> Record {
    Record::from_json(value.to_string().as_bytes()).expect("test record parses")
}

fn deb(name: &str, source: &str, version: &str) -> Package {
    Package {
        ecosystem: "Debian:12".into(),
        name: name.into(),
        source_name: Some(source.into()),
        version: version.into(),
        source_version: None,
        purl: None,
    }
}

fn simple(id: &str, ecosystem: &str, name: &str, events: serde_json::Value) -> Record {
    record(json!({"id": id, "affected": [{"package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": events}]}]}))
}

#[test]
fn binary_package_matches_through_its_source_package_with_the_fix_shown() {
    let advisory = simple("DSA-1", "Debian:12", "util-linux", json!([{"introduced": "0"}, {"fixed": "2.38.1-5+deb12u4"}]));
    let found = match_package(&deb("bsdutils", "util-linux", "1:2.38.1-5+deb12u3"), std::slice::from_ref(&advisory));
    // The epoch makes the installed version newer than an epoch-less fix.
    assert!(found.is_empty(), "{found:?}");
    // With the source version the SBOM knows from dpkg's `Source: util-linux (2.38.1-5+deb12u3)`,
    // the binary-only epoch no longer hides it.
    let with_source = Package { source_version: Some("2.38.1-5+deb12u3".into()), ..deb("bsdutils", "util-linux", "1:2.38.1-5+deb12u3") };
    assert_eq!(match_package(&with_source, std::slice::from_ref(&advisory)).len(), 1);
    let found = match_package(&deb("libmount1", "util-linux", "2.38.1-5+deb12u3"), &[advisory]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].fixed_version.as_deref(), Some("2.38.1-5+deb12u4"));
    assert_eq!(found[0].package, "libmount1");
    assert_eq!(found[0].source_package.as_deref(), Some("util-linux"));
}

#[test]
fn the_release_must_match() {
    let advisory = simple("DSA-2", "Debian:11", "gzip", json!([{"introduced": "0"}, {"fixed": "9"}]));
    assert_eq!(evaluate(&deb("gzip", "gzip", "1.12-1"), &advisory), None);
    let any_release = simple("X-2", "Debian", "gzip", json!([{"introduced": "0"}, {"fixed": "9"}]));
    assert!(matches!(evaluate(&deb("gzip", "gzip", "1.12-1"), &any_release), Some(Verdict::Affected { .. })));
    let ubuntu = simple("USN-1", "Ubuntu:22.04:LTS", "bash", json!([{"introduced": "0"}, {"fixed": "5.1-6ubuntu1.1"}]));
    let package = Package { ecosystem: "Ubuntu:22.04".into(), ..deb("bash", "bash", "5.1-6ubuntu1") };
    assert!(matches!(evaluate(&package, &ubuntu), Some(Verdict::Affected { .. })));
}

#[test]
fn already_fixed_is_not_affected_and_withdrawn_records_are_ignored() {
    let advisory = simple("DSA-3", "Debian:12", "gzip", json!([{"introduced": "0"}, {"fixed": "1.3.5-15"}]));
    assert_eq!(evaluate(&deb("gzip", "gzip", "1.12-1"), &advisory), Some(Verdict::NotAffected));
    let mut withdrawn = simple("DSA-4", "Debian:12", "gzip", json!([{"introduced": "0"}]));
    assert!(evaluate(&deb("gzip", "gzip", "1.12-1"), &withdrawn).is_some());
    withdrawn.withdrawn = Some("2024-05-01T00:00:00Z".into());
    assert_eq!(evaluate(&deb("gzip", "gzip", "1.12-1"), &withdrawn), None);
}

#[test]
fn aliases_are_merged_into_one_finding_per_cve() {
    let dsa = record(json!({"id": "DSA-5000-1", "aliases": ["CVE-2024-1111"],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "xz-utils"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4.1-1+deb12u2"}]}]}]}));
    let cve = record(json!({"id": "DEBIAN-CVE-2024-1111", "upstream": ["CVE-2024-1111"], "aliases": ["CVE-2024-1111"],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "xz-utils"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4.1-1+deb12u2"}]}]}]}));
    let other = simple("DEBIAN-CVE-2024-2222", "Debian:12", "xz-utils", json!([{"introduced": "0"}]));
    let found = match_package(&deb("liblzma5", "xz-utils", "5.4.1-1+deb12u1"), &[dsa, cve, other]);
    assert_eq!(found.len(), 2, "{found:?}");
    let merged = found.iter().find(|v| v.id == "CVE-2024-1111").expect("merged by CVE id");
    assert_eq!(merged.aliases, vec!["DEBIAN-CVE-2024-1111".to_string(), "DSA-5000-1".to_string()]);
    assert_eq!(merged.severity.level, Level::Critical);
    assert_eq!(merged.severity.score, Some(9.8));
    let unfixed = found.iter().find(|v| v.id == "DEBIAN-CVE-2024-2222").expect("second record");
    assert_eq!(unfixed.fixed_version, None);
    assert_eq!(unfixed.severity.level, Level::Unknown);
}

#[test]
fn ranges_with_several_windows_last_affected_and_version_lists() {
    let windows = record(json!({"id": "GHSA-1", "database_specific": {"severity": "MODERATE"},
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.5.0"}, {"introduced": "2.0.0"}, {"fixed": "2.3.1"}]}]}]}));
    let npm = |version: &str| Package { ecosystem: "npm".into(), name: "lodash".into(), source_name: None, version: version.into(), source_version: None, purl: None };
    for (version, fixed) in [("1.4.9", Some("1.5.0")), ("2.0.0", Some("2.3.1")), ("2.3.1-rc.1", Some("2.3.1"))] {
        assert_eq!(evaluate(&npm(version), &windows), Some(Verdict::Affected { fixed: fixed.map(String::from) }), "{version}");
    }
    for version in ["1.5.0", "1.9.9", "2.3.1", "3.0.0"] {
        assert_eq!(evaluate(&npm(version), &windows), Some(Verdict::NotAffected), "{version}");
    }
    assert_eq!(match_package(&npm("1.0.0"), &[windows])[0].severity.level, Level::Medium);

    let last = record(json!({"id": "PYSEC-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "Jinja2"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"last_affected": "2.11.2"}]}]}]}));
    let pypi = |name: &str, version: &str| Package { ecosystem: "PyPI".into(), name: name.into(), source_name: None, version: version.into(), source_version: None, purl: None };
    assert!(matches!(evaluate(&pypi("jinja2", "2.11.2"), &last), Some(Verdict::Affected { fixed: None })));
    assert_eq!(evaluate(&pypi("jinja2", "2.11.3"), &last), Some(Verdict::NotAffected));
    assert_eq!(evaluate(&pypi("jinja2", "1.9"), &last), Some(Verdict::NotAffected));

    // An ecosystem rampart has no order for: only the explicit list can match.
    let listed = record(json!({"id": "NEW-1", "affected": [{"package": {"ecosystem": "NewThing", "name": "x"},
        "versions": ["1.0", "1.1"], "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}));
    let new = |version: &str| Package { ecosystem: "NewThing".into(), name: "x".into(), source_name: None, version: version.into(), source_version: None, purl: None };
    assert!(matches!(evaluate(&new("1.1"), &listed), Some(Verdict::Affected { .. })));
    assert_eq!(evaluate(&new("1.2"), &listed), Some(Verdict::NotAffected));
}

#[test]
fn git_ranges_are_matched_through_their_versions_list_only() {
    let git = record(json!({"id": "OSV-1", "affected": [{"package": {"ecosystem": "Go", "name": "example.com/mod"},
        "ranges": [{"type": "GIT", "repo": "https://example.invalid/r", "events": [{"introduced": "abc"}, {"limit": "def"}]}],
        "versions": ["1.2.0"]}]}));
    let go = |version: &str| Package { ecosystem: "Go".into(), name: "example.com/mod".into(), source_name: None, version: version.into(), source_version: None, purl: None };
    assert!(matches!(evaluate(&go("v1.2.0"), &git), Some(Verdict::Affected { .. })));
    assert_eq!(evaluate(&go("v1.2.1"), &git), Some(Verdict::NotAffected));
}

#[test]
fn a_go_module_without_a_release_version_is_not_judged() {
    let advisory = simple("GO-2024-1", "Go", "example.com/app", json!([{"introduced": "0"}, {"fixed": "1.4.0"}]));
    let module = |version: &str| Package {
        ecosystem: "Go".into(),
        name: "example.com/app".into(),
        source_name: None,
        version: version.into(),
        source_version: None,
        purl: None,
    };
    assert_eq!(evaluate(&module("v1.3.0"), &advisory), Some(Verdict::Affected { fixed: Some("1.4.0".into()) }));
    assert_eq!(evaluate(&module("v1.4.0"), &advisory), Some(Verdict::NotAffected));
    // Built from a checkout: no version to compare, so no verdict (not "affected by everything").
    assert_eq!(evaluate(&module("(devel)"), &advisory), None);
    assert_eq!(evaluate(&module(""), &advisory), None);
}
