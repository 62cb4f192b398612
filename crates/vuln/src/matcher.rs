//! Matching installed packages against OSV records: the right ecosystem and release, the name
//! advisories use (the source package for Debian, Ubuntu and Alpine), OSV's range semantics,
//! withdrawn records ignored, and records that are aliases of each other reported once.

use crate::cvss::{self, Level};
use crate::osv::{Affected, Range, Record, SeverityScore};
use crate::version::Scheme;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One installed package, as the image SBOM and the live audit describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// OSV ecosystem with release: `Debian:12`, `Alpine:v3.19`, `PyPI`, `npm`, `Go`.
    pub ecosystem: String,
    pub name: String,
    /// The source package a binary package was built from (Debian, Ubuntu, Alpine origin).
    pub source_name: Option<String>,
    pub version: String,
    /// The source package's version when it differs from the binary's (dpkg's `Source: name
    /// (version)`: binary-only epochs such as bsdutils' `1:` and binNMU `+bN` suffixes).
    /// Advisories are written against source versions, so it is preferred when known.
    pub source_version: Option<String>,
    pub purl: Option<String>,
}

impl Package {
    /// The name advisories of this ecosystem file the package under.
    pub fn advisory_name(&self) -> String {
        let base = ecosystem_base(&self.ecosystem);
        let name = match base {
            "Debian" | "Ubuntu" | "Alpine" => self.source_name.as_deref().filter(|s| !s.is_empty()).unwrap_or(&self.name),
            _ => &self.name,
        };
        normalize_name(base, name)
    }

    /// The version advisories are compared with: the source version when known.
    pub fn advisory_version(&self) -> &str {
        match ecosystem_base(&self.ecosystem) {
            "Debian" | "Ubuntu" | "Alpine" => self.source_version.as_deref().filter(|v| !v.is_empty()).unwrap_or(&self.version),
            _ => &self.version,
        }
    }
}

/// The OSV ecosystem of a package, from its purl type and the image's os-release `ID` and
/// `VERSION_ID` (`deb` + `debian` + `12.4` -> `Debian:12`, `apk` + `alpine` + `3.19.1` ->
/// `Alpine:v3.19`). `None` for a purl type OSV has no ecosystem for.
pub fn osv_ecosystem(purl_type: &str, os_id: Option<&str>, os_version_id: Option<&str>) -> Option<String> {
    let os_id = os_id.map(|id| id.trim().to_ascii_lowercase());
    let version = os_version_id.map(str::trim).filter(|v| !v.is_empty());
    let major = version.and_then(|v| v.split('.').next());
    let major_minor = version.map(|v| v.split('.').take(2).collect::<Vec<_>>().join("."));
    let with_release = |base: &str, release: Option<String>| match release {
        Some(release) => format!("{base}:{release}"),
        None => base.to_string(),
    };
    Some(match (purl_type, os_id.as_deref()) {
        ("deb", Some("ubuntu")) => with_release("Ubuntu", version.map(String::from)),
        ("deb", _) => with_release("Debian", major.map(String::from)),
        ("apk", Some("wolfi")) => "Wolfi".to_string(),
        ("apk", Some("chainguard")) => "Chainguard".to_string(),
        ("apk", _) => with_release("Alpine", major_minor.map(|v| format!("v{v}"))),
        ("rpm", Some("rocky")) => with_release("Rocky Linux", major.map(String::from)),
        ("rpm", Some("almalinux")) => with_release("AlmaLinux", major.map(String::from)),
        ("rpm", Some("rhel")) => "Red Hat".to_string(),
        ("pypi", _) => "PyPI".to_string(),
        ("npm", _) => "npm".to_string(),
        ("golang", _) => "Go".to_string(),
        ("cargo", _) => "crates.io".to_string(),
        ("gem", _) => "RubyGems".to_string(),
        ("maven", _) => "Maven".to_string(),
        _ => return None,
    })
}

/// `Debian:12` -> `Debian`.
pub fn ecosystem_base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem).trim()
}

/// The release part of an ecosystem (`Debian:12` -> `12`, `Ubuntu:22.04:LTS` -> `22.04`).
fn ecosystem_release(ecosystem: &str) -> Option<&str> {
    ecosystem.split(':').nth(1).map(str::trim).filter(|r| !r.is_empty())
}

/// Whether a record's ecosystem covers a package's: same base, and the same release unless the
/// record names none (then it covers every release).
pub fn ecosystem_matches(record_ecosystem: &str, package_ecosystem: &str) -> bool {
    if ecosystem_base(record_ecosystem) != ecosystem_base(package_ecosystem) {
        return false;
    }
    match (ecosystem_release(record_ecosystem), ecosystem_release(package_ecosystem)) {
        (None, _) => true,
        (Some(record), Some(package)) => record.trim_start_matches('v') == package.trim_start_matches('v'),
        (Some(_), None) => false,
    }
}

/// Names as the ecosystem compares them: PyPI's are case-insensitive with `-_.` runs equal
/// (PEP 503); the others are compared as written.
pub fn normalize_name(ecosystem_base: &str, name: &str) -> String {
    match ecosystem_base {
        "PyPI" => {
            let mut out = String::with_capacity(name.len());
            let mut last_dash = false;
            for c in name.trim().chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !last_dash {
                        out.push('-');
                    }
                    last_dash = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    last_dash = false;
                }
            }
            out
        }
        _ => name.trim().to_string(),
    }
}

/// Whether the package has a version to judge: a Go main module built from a checkout says
/// `(devel)` or nothing, which version orders put below every release (so every advisory of
/// the module would match).
fn has_version(package: &Package) -> bool {
    let version = package.advisory_version().trim();
    !version.is_empty() && version != "(devel)"
}

/// What a record says about one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The installed version is affected; `fixed` is the first version that fixes it, if any.
    Affected { fixed: Option<String> },
    /// The record is about this package, and the installed version is not (or no longer) affected.
    NotAffected,
}

/// The verdict of one record for one package; `None` when the record does not concern the
/// package, is withdrawn, or cannot be evaluated (an ecosystem whose version order is unknown
/// and no explicit version list).
pub fn evaluate(package: &Package, record: &Record) -> Option<Verdict> {
    evaluate_named(package, &package.advisory_name(), record)
}

/// [`evaluate`] with the package's advisory name worked out once by the caller.
fn evaluate_named(package: &Package, name: &str, record: &Record) -> Option<Verdict> {
    if record.is_withdrawn() || !has_version(package) {
        return None;
    }
    let base = ecosystem_base(&package.ecosystem);
    let scheme = Scheme::for_ecosystem(&package.ecosystem);
    let mut verdict = None;
    for affected in &record.affected {
        let Some(target) = &affected.package else { continue };
        // Most names are already in their normal form: compare before normalising a copy.
        let same_name = target.name == name || normalize_name(base, &target.name) == name;
        if !ecosystem_matches(&target.ecosystem, &package.ecosystem) || !same_name {
            continue;
        }
        match evaluate_affected(affected, scheme, package.advisory_version()) {
            Some(Verdict::Affected { fixed }) => {
                let fixed = match verdict {
                    Some(Verdict::Affected { fixed: Some(earlier) }) => highest(scheme, Some(earlier), fixed),
                    _ => fixed,
                };
                verdict = Some(Verdict::Affected { fixed });
            }
            Some(Verdict::NotAffected) if verdict.is_none() => verdict = Some(Verdict::NotAffected),
            _ => {}
        }
    }
    verdict
}

fn highest(scheme: Option<Scheme>, a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let b_newer = scheme.and_then(|s| s.compare(&b, &a)) == Some(Ordering::Greater);
            Some(if b_newer { b } else { a })
        }
        (a, b) => a.or(b),
    }
}

/// One `affected` entry against an installed version.
pub fn evaluate_affected(affected: &Affected, scheme: Option<Scheme>, version: &str) -> Option<Verdict> {
    let same = |listed: &str| match scheme {
        Some(scheme) => scheme.compare(listed, version) == Some(Ordering::Equal),
        None => listed == version,
    };
    let mut evaluated = false;
    if !affected.versions.is_empty() {
        evaluated = true;
        if affected.versions.iter().any(|listed| same(listed)) {
            // Listed explicitly: the fix, if a range gives one, is still worth showing.
            let fixed = scheme.and_then(|scheme| {
                affected.ranges.iter().filter_map(|range| first_fix_after(range, scheme, version)).next()
            });
            return Some(Verdict::Affected { fixed });
        }
    }
    if let Some(scheme) = scheme {
        for range in &affected.ranges {
            // GIT ranges are about commits, which an installed package does not have: the
            // `versions` list above is their translation.
            if range.kind == "GIT" {
                continue;
            }
            match range_contains(range, scheme, version) {
                Some(true) => return Some(Verdict::Affected { fixed: first_fix_after(range, scheme, version) }),
                Some(false) => evaluated = true,
                None => {}
            }
        }
    }
    evaluated.then_some(Verdict::NotAffected)
}

/// OSV's evaluation of an ECOSYSTEM or SEMVER range: walk the events in version order; an
/// `introduced` at or below the version opens, a `fixed` at or below it closes, a
/// `last_affected` below it closes. `None` when a version does not parse in this scheme.
fn range_contains(range: &Range, scheme: Scheme, version: &str) -> Option<bool> {
    #[derive(Clone, Copy)]
    enum Kind {
        Introduced,
        Fixed,
        LastAffected,
    }
    // "0" is OSV's "since the beginning", below every version.
    let compare = |a: &str, b: &str| -> Option<Ordering> {
        match (a == "0", b == "0") {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (false, false) => scheme.compare(a, b),
        }
    };
    // Each event with where the installed version stands against it, compared once (versions
    // are parsed on every comparison, so comparisons are the cost of matching).
    let mut events: Vec<(Kind, &str, Ordering)> = Vec::with_capacity(range.events.len());
    for event in &range.events {
        for (kind, value) in [(Kind::Introduced, &event.introduced), (Kind::Fixed, &event.fixed), (Kind::LastAffected, &event.last_affected)] {
            if let Some(value) = value {
                events.push((kind, value, compare(version, value)?));
            }
        }
    }
    events.sort_by(|a, b| compare(a.1, b.1).unwrap_or(Ordering::Equal));
    let mut affected = false;
    for (kind, _, order) in events {
        match kind {
            Kind::Introduced if order != Ordering::Less => affected = true,
            Kind::Fixed if order != Ordering::Less => affected = false,
            Kind::LastAffected if order == Ordering::Greater => affected = false,
            _ => {}
        }
    }
    Some(affected)
}

/// The lowest `fixed` event above the installed version.
fn first_fix_after(range: &Range, scheme: Scheme, version: &str) -> Option<String> {
    range
        .events
        .iter()
        .filter_map(|e| e.fixed.as_deref())
        .filter(|fixed| scheme.compare(fixed, version) == Some(Ordering::Greater))
        .min_by(|a, b| scheme.compare(a, b).unwrap_or(Ordering::Equal))
        .map(str::to_string)
}

/// A record's severity: the highest CVSS v3/v4 base score among the record's and the matching
/// entry's vectors, else a severity word the source database gives, else unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityInfo {
    pub level: Level,
    pub score: Option<f64>,
    pub vector: Option<String>,
}

pub fn severity_of(record: &Record) -> SeverityInfo {
    let vectors = record.severity.iter().chain(record.affected.iter().flat_map(|a| a.severity.iter()));
    let best = vectors
        .filter(|s: &&SeverityScore| s.kind.starts_with("CVSS_V3") || s.kind.starts_with("CVSS_V4"))
        .filter_map(|s| cvss::base_score(&s.score).map(|score| (score, &s.score)))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((score, vector)) = best {
        return SeverityInfo { level: Level::from_score(score), score: Some(score), vector: Some(vector.clone()) };
    }
    let word = record
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .or_else(|| {
            record.affected.iter().find_map(|a| {
                [&a.ecosystem_specific, &a.database_specific]
                    .into_iter()
                    .flatten()
                    .find_map(|d| d.get("severity").and_then(|s| s.as_str()))
            })
        });
    SeverityInfo { level: word.map_or(Level::Unknown, Level::from_word), score: None, vector: None }
}

/// One vulnerability of one package, after merging records that are aliases of each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vulnerability {
    /// The CVE id when one of the merged records has one, else the smallest record id.
    pub id: String,
    /// Every other id the merged records carry.
    pub aliases: Vec<String>,
    pub package: String,
    pub source_package: Option<String>,
    pub ecosystem: String,
    pub installed_version: String,
    pub fixed_version: Option<String>,
    pub severity: SeverityInfo,
    pub summary: Option<String>,
}

/// Every vulnerability of `package` among `records` (candidates; records about other packages
/// are skipped), aliases merged so one CVE is reported once.
pub fn match_package(package: &Package, records: &[Record]) -> Vec<Vulnerability> {
    let name = package.advisory_name();
    let hits: Vec<(&Record, Option<String>)> = records
        .iter()
        .filter_map(|record| match evaluate_named(package, &name, record) {
            Some(Verdict::Affected { fixed }) => Some((record, fixed)),
            _ => None,
        })
        .collect();
    // Union-find over the hits, joined by any shared id or alias.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (index, (record, _)) in hits.iter().enumerate() {
        for id in record.all_ids() {
            if let Some(&other) = owner.get(id) {
                let (a, b) = (root(&mut parent, index), root(&mut parent, other));
                parent[a] = b;
            } else {
                owner.insert(id, index);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for index in 0..hits.len() {
        let r = root(&mut parent, index);
        groups.entry(r).or_default().push(index);
    }
    let scheme = Scheme::for_ecosystem(&package.ecosystem);
    let mut out: Vec<Vulnerability> = groups
        .into_values()
        .map(|members| {
            let ids: BTreeSet<&str> = members.iter().flat_map(|&m| hits[m].0.all_ids()).collect();
            let id = ids.iter().find(|id| id.starts_with("CVE-")).or_else(|| ids.iter().next()).map_or(String::new(), |id| id.to_string());
            let aliases = ids.iter().filter(|other| **other != id).map(|s| s.to_string()).collect();
            let fixed_version = members.iter().fold(None, |acc, &m| highest(scheme, acc, hits[m].1.clone()));
            let severity = members
                .iter()
                .map(|&m| severity_of(hits[m].0))
                .max_by(|a, b| (a.level, a.score.unwrap_or(0.0)).partial_cmp(&(b.level, b.score.unwrap_or(0.0))).unwrap_or(Ordering::Equal))
                .unwrap_or(SeverityInfo { level: Level::Unknown, score: None, vector: None });
            let summary = members.iter().find_map(|&m| hits[m].0.summary.clone());
            Vulnerability {
                id,
                aliases,
                package: package.name.clone(),
                source_package: package.source_name.clone(),
                ecosystem: package.ecosystem.clone(),
                installed_version: package.version.clone(),
                fixed_version,
                severity,
                summary,
            }
        })
        .collect();
    out.sort_by(|a, b| b.severity.level.cmp(&a.severity.level).then_with(|| a.id.cmp(&b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::{ecosystem_matches, normalize_name, osv_ecosystem};

    #[test]
    fn ecosystems_from_purl_type_and_os_release() {
        let cases = [
            ("deb", Some("debian"), Some("12"), Some("Debian:12")),
            ("deb", Some("debian"), Some("12.4"), Some("Debian:12")),
            ("deb", Some("ubuntu"), Some("22.04"), Some("Ubuntu:22.04")),
            ("deb", Some("debian"), None, Some("Debian")),
            ("apk", Some("alpine"), Some("3.19.1"), Some("Alpine:v3.19")),
            ("rpm", Some("rocky"), Some("9.3"), Some("Rocky Linux:9")),
            ("pypi", None, None, Some("PyPI")),
            ("npm", Some("debian"), Some("12"), Some("npm")),
            ("golang", None, None, Some("Go")),
            ("generic", None, None, None),
        ];
        for (purl_type, id, version, expected) in cases {
            assert_eq!(osv_ecosystem(purl_type, id, version).as_deref(), expected, "{purl_type} {id:?} {version:?}");
        }
    }

    #[test]
    fn ecosystem_releases_and_names() {
        assert!(ecosystem_matches("Debian:12", "Debian:12"));
        assert!(!ecosystem_matches("Debian:11", "Debian:12"));
        assert!(ecosystem_matches("Debian", "Debian:12"));
        assert!(!ecosystem_matches("Debian:12", "Debian"));
        assert!(ecosystem_matches("Ubuntu:22.04:LTS", "Ubuntu:22.04"));
        assert!(ecosystem_matches("Alpine:v3.19", "Alpine:v3.19"));
        assert!(!ecosystem_matches("Alpine:v3.18", "Alpine:v3.19"));
        assert!(!ecosystem_matches("PyPI", "npm"));
        assert_eq!(normalize_name("PyPI", "Jinja2"), "jinja2");
        assert_eq!(normalize_name("PyPI", "zope.interface__x"), "zope-interface-x");
        assert_eq!(normalize_name("npm", "JSONStream"), "JSONStream");
    }
}
