//! The vulnerability step of the per-image analysis (`rampart image`, and the images `rampart
//! audit` reads): match the image's installed packages against the advisory database, drop
//! what a VEX statement or ignore entry suppresses (counted and listed with its reason), and
//! put the rest on the image's facts for the VUL rules. The report gets one vulnerability
//! summary per image, and notices for a missing or stale database and for expired ignores.

use rampart_image::Package as ImagePackage;
use rampart_model::{
    AdvisoryDatabase, ChecklistStatus, ImageContent, Notice, PackageVulnerability, Report, Severity, SuppressedVulnerability,
    VulnerabilityScan, VulnerabilityScanStatus,
};
use rampart_vuln::vex::{Subject, Suppressions};
use rampart_vuln::{default_path, osv_ecosystem, Level, Package, Store, Vulnerability};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

/// The checklist item vulnerability findings inform ("Images are regularly scanned").
const CHECKLIST_ITEM: u8 = 4;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct VulnArgs {
    /// The advisory database [default: $XDG_DATA_HOME/rampart/advisories.db]. Without one the
    /// images are not scanned for vulnerabilities, and the report says so.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Suppress vulnerabilities, each with its reason: an OpenVEX JSON document (statements
    /// not_affected or fixed) or a TOML list of `[[vulnerabilities.ignore]]` entries (id,
    /// package, reason, expires = YYYY-MM-DD). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<PathBuf>,
}

enum Database {
    Open { store: Box<Store>, info: AdvisoryDatabase },
    /// Why there is none (the default path has no database yet).
    Missing(String),
    /// Why it could not be read.
    Failed(String),
}

/// Scans images one by one; [`VulnerabilityScanner::finish`] puts the summaries into the report.
pub struct VulnerabilityScanner {
    database: Database,
    suppressions: Suppressions,
    today: String,
    scans: Vec<VulnerabilityScan>,
    notices: Vec<Notice>,
    /// Statements and entries that applied to some vulnerability (suppressing it, or expired).
    used: BTreeSet<usize>,
}

impl VulnerabilityScanner {
    /// Opens the database read-only and loads the `--vex` files. A VEX file that cannot be read
    /// is an error (a policy applied by half would report the wrong things), as is a `--db`
    /// named explicitly that does not exist; the default database missing is only a notice.
    pub fn open(args: &VulnArgs) -> anyhow::Result<VulnerabilityScanner> {
        let mut suppressions = Suppressions::default();
        for path in &args.vex {
            suppressions.load(path).map_err(|e| anyhow::anyhow!("--vex: {e}"))?;
        }
        let path = args.db.clone().unwrap_or_else(default_path);
        if args.db.is_some() && !path.exists() {
            anyhow::bail!("--db: no advisory database at {} (create it with `rampart db update --db {0}` or `rampart db import`)", path.display());
        }
        let mut notices = Vec::new();
        let database = match Store::open_read_only(&path).and_then(|store| store.status().map(|status| (store, status))) {
            Ok((store, status)) => {
                let now = SystemTime::now();
                let warning = status.staleness_warning(now);
                if let Some(warning) = &warning {
                    let _ = writeln!(anstream::stderr(), "rampart: warning: {warning}");
                    notices.push(notice("stale-advisory-database", &path, warning.clone()));
                }
                let info = AdvisoryDatabase {
                    path: path.display().to_string(),
                    updated_at: status.updated_at,
                    age_days: status.age(now).map(|age| age.as_secs() / 86_400),
                    stale: warning.is_some(),
                };
                Database::Open { store: Box::new(store), info }
            }
            Err(rampart_vuln::StoreError::Missing(_)) => {
                let message = format!(
                    "images were not scanned for vulnerabilities: no advisory database at {} (run `rampart db update`)",
                    path.display()
                );
                notices.push(notice("no-advisory-database", &path, message.clone()));
                Database::Missing(message)
            }
            Err(error) => {
                let message = format!("images were not scanned for vulnerabilities: {error}");
                let _ = writeln!(anstream::stderr(), "rampart: warning: {message}");
                notices.push(notice("advisory-database-unreadable", &path, message.clone()));
                Database::Failed(message)
            }
        };
        Ok(VulnerabilityScanner {
            database,
            suppressions,
            today: rampart_image::today_utc(),
            scans: Vec::new(),
            notices,
            used: BTreeSet::new(),
        })
    }

    /// Matches `packages` (the image's) and puts the vulnerabilities that are not suppressed on
    /// `content`; `tags` are other names VEX products may use for the image.
    pub fn scan(&mut self, content: &mut ImageContent, packages: &[ImagePackage], tags: &[String]) {
        let mut scan = VulnerabilityScan { image: content.object.clone(), packages: packages.len(), ..VulnerabilityScan::default() };
        let store = match &self.database {
            Database::Open { store, info } => {
                scan.database = Some(info.clone());
                store
            }
            Database::Missing(message) | Database::Failed(message) => {
                scan.status = if matches!(self.database, Database::Missing(_)) {
                    VulnerabilityScanStatus::NoDatabase
                } else {
                    VulnerabilityScanStatus::Failed
                };
                scan.message = Some(message.clone());
                self.scans.push(scan);
                return;
            }
        };
        let os = content.os.as_ref();
        let mut matched: Vec<(&ImagePackage, Package)> = Vec::new();
        let mut ecosystems = BTreeSet::new();
        for package in packages {
            let Some(ecosystem) = osv_ecosystem(package.ecosystem, os.map(|o| o.id.as_str()), os.map(|o| o.version_id.as_str())) else {
                continue;
            };
            ecosystems.insert(ecosystem.clone());
            matched.push((package, matcher_package(package, ecosystem)));
        }
        scan.ecosystems = ecosystems.into_iter().collect();
        scan.packages_matched = matched.len();
        let query: Vec<Package> = matched.iter().map(|(_, p)| p.clone()).collect();
        let results = match store.match_each(&query) {
            Ok(results) => results,
            Err(error) => {
                let message = format!("{} was not scanned for vulnerabilities: {error}", content.object);
                let _ = writeln!(anstream::stderr(), "rampart: warning: {message}");
                scan.status = VulnerabilityScanStatus::Failed;
                scan.message = Some(message);
                self.scans.push(scan);
                return;
            }
        };
        let mut image_names = vec![content.object.clone()];
        image_names.extend(tags.iter().cloned());
        let mut kept = Vec::new();
        for ((image_package, _), found) in matched.iter().zip(results) {
            for vulnerability in found {
                let fact = to_fact(image_package, vulnerability);
                let subject = Subject {
                    id: &fact.id,
                    aliases: &fact.aliases,
                    package: &fact.package,
                    source_package: fact.source_package.as_deref(),
                    purl: &fact.purl,
                    image_names: &image_names,
                };
                for expired in self.suppressions.expired_for(&subject, &self.today) {
                    if self.used.insert(expired.index) {
                        self.notices.push(Notice {
                            kind: "expired-suppression".into(),
                            path: expired.source.clone(),
                            line: None,
                            message: format!(
                                "the ignore entry for {}{} expired on {} and no longer suppresses it (reason was: {})",
                                expired.id,
                                expired.package.as_deref().map(|p| format!(" in {p}")).unwrap_or_default(),
                                expired.expires,
                                expired.reason
                            ),
                        });
                    }
                }
                match self.suppressions.find(&subject, &self.today) {
                    Some(suppression) => {
                        self.used.insert(suppression.index);
                        scan.suppressed.push(SuppressedVulnerability {
                        id: fact.id.clone(),
                        package: fact.package.clone(),
                        version: fact.version.clone(),
                        status: suppression.status,
                        reason: suppression.reason,
                        source: suppression.source,
                        expires: suppression.expires,
                        })
                    }
                    None => kept.push(fact),
                }
            }
        }
        scan.count(&kept);
        content.vulnerabilities = kept;
        self.scans.push(scan);
    }

    /// Adds the summaries and notices to `report`, counts the suppressed vulnerabilities, and
    /// answers checklist item 4 from what was scanned when the report has a checklist (call it
    /// after the checklist is answered).
    pub fn finish(mut self, report: &mut Report) {
        report.summary.suppressed += self.scans.iter().map(|scan| scan.suppressed.len()).sum::<usize>();
        // Only when something was matched: without a database every entry would look unused.
        if self.scans.iter().any(|scan| scan.status == VulnerabilityScanStatus::Scanned) {
            for (index, (source, what, suppresses)) in self.suppressions.described().into_iter().enumerate() {
                if suppresses && !self.used.contains(&index) {
                    let message = format!("{what} matched no vulnerability of the images scanned");
                    self.notices.push(Notice { kind: "unused-suppression".into(), path: source, line: None, message });
                }
            }
        }
        report.notices.extend(self.notices);
        answer_scanning_item(report, &self.scans);
        report.vulnerability_scans.extend(self.scans);
    }
}

/// `--vex` given to an audit that reads no image (`--snapshot` replays the matches the snapshot
/// kept; `--no-image-content` reads none): nothing to suppress, and the report says so rather
/// than letting the files look applied.
pub fn vex_not_applied(args: &VulnArgs) -> Vec<Notice> {
    args.vex
        .iter()
        .map(|path| {
            let message = "not applied: this audit matched no image's packages (a replayed snapshot keeps the matches made when it was collected)".to_string();
            let _ = writeln!(anstream::stderr(), "rampart: warning: --vex {}: {message}", path.display());
            notice("vex-not-applied", path, message)
        })
        .collect()
}

fn notice(kind: &str, path: &std::path::Path, message: String) -> Notice {
    Notice { kind: kind.into(), path: path.display().to_string(), line: None, message }
}

/// The matcher's view of an image package.
fn matcher_package(package: &ImagePackage, ecosystem: String) -> Package {
    Package {
        ecosystem,
        name: package.name.clone(),
        source_name: package.source.clone(),
        version: package.version.clone(),
        source_version: package.source_version.clone(),
        purl: Some(package.purl.clone()),
    }
}

fn to_fact(package: &ImagePackage, vulnerability: Vulnerability) -> PackageVulnerability {
    let severity = match vulnerability.severity.level {
        Level::Critical => Some(Severity::Critical),
        Level::High => Some(Severity::High),
        Level::Medium => Some(Severity::Medium),
        Level::Low => Some(Severity::Low),
        Level::None => Some(Severity::Info),
        Level::Unknown => None,
    };
    PackageVulnerability {
        id: vulnerability.id,
        aliases: vulnerability.aliases,
        package: package.name.clone(),
        version: package.version.clone(),
        source_package: package.source.clone().filter(|source| *source != package.name),
        ecosystem: vulnerability.ecosystem,
        purl: package.purl.clone(),
        found_in: package.found_in.clone(),
        fixed_version: vulnerability.fixed_version,
        severity,
        cvss_score: vulnerability.severity.score,
        cvss_vector: vulnerability.severity.vector,
        summary: vulnerability.summary,
    }
}

/// Item 4 ("Images are regularly scanned for vulnerabilities") from the scans: FAIL or PARTIAL
/// as the findings already made it; PASS only when every image was scanned against a database
/// updated in the last 7 days and nothing was found; otherwise UNKNOWN, saying why.
fn answer_scanning_item(report: &mut Report, scans: &[VulnerabilityScan]) {
    let Some(answer) = report.checklist.iter_mut().find(|answer| answer.item == CHECKLIST_ITEM) else { return };
    if scans.is_empty() {
        return;
    }
    let scanned = scans.iter().filter(|scan| scan.status == VulnerabilityScanStatus::Scanned).count();
    let vulnerable = scans.iter().filter(|scan| scan.vulnerabilities > 0).count();
    let suppressed: usize = scans.iter().map(|scan| scan.suppressed.len()).sum();
    let stale = scans.iter().any(|scan| scan.database.as_ref().is_some_and(|db| db.stale));
    let mut evidence = vec![format!("{scanned} of {} image(s) scanned for vulnerabilities, {vulnerable} with findings", scans.len())];
    if suppressed > 0 {
        evidence.push(format!("{suppressed} vulnerabilit(y/ies) suppressed by VEX or ignore entries"));
    }
    if let Some(db) = scans.iter().find_map(|scan| scan.database.as_ref()) {
        evidence.push(match db.age_days {
            Some(days) => format!("advisory database {} updated {days} day(s) ago", db.path),
            None => format!("advisory database {} never updated", db.path),
        });
    }
    if let Some(message) = scans.iter().find_map(|scan| scan.message.as_ref()) {
        evidence.push(message.clone());
    }
    match answer.status {
        ChecklistStatus::Fail | ChecklistStatus::Partial => answer.evidence.extend(evidence),
        _ => {
            answer.status = if scanned == scans.len() && !stale && vulnerable == 0 { ChecklistStatus::Pass } else { ChecklistStatus::Unknown };
            answer.evidence = evidence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::{ChecklistAnswer, VulnerabilityScanStatus};

    fn report_with_item_4(status: ChecklistStatus) -> Report {
        let mut report = Report::new(Vec::new(), Vec::new(), Vec::new(), 0, 0);
        report.checklist = vec![ChecklistAnswer {
            item: CHECKLIST_ITEM,
            title: "Images are regularly scanned for vulnerabilities".into(),
            status,
            evidence: vec!["the images were not scanned for vulnerabilities here (no advisory database, image contents not read, or a replayed snapshot)".into()],
            findings: Vec::new(),
        }];
        report
    }

    fn scan(status: VulnerabilityScanStatus, stale: bool, vulnerabilities: usize) -> VulnerabilityScan {
        VulnerabilityScan {
            image: "image:app:1".into(),
            status,
            database: (status == VulnerabilityScanStatus::Scanned)
                .then(|| AdvisoryDatabase { path: "db".into(), updated_at: Some(1), age_days: Some(if stale { 9 } else { 1 }), stale }),
            message: (status != VulnerabilityScanStatus::Scanned).then(|| "no advisory database at db".into()),
            vulnerabilities,
            ..VulnerabilityScan::default()
        }
    }

    #[test]
    fn item_4_passes_only_on_fresh_clean_scans_of_every_image() {
        let cases = [
            (vec![scan(VulnerabilityScanStatus::Scanned, false, 0)], ChecklistStatus::Unknown, ChecklistStatus::Pass),
            (vec![scan(VulnerabilityScanStatus::Scanned, true, 0)], ChecklistStatus::Unknown, ChecklistStatus::Unknown),
            (vec![scan(VulnerabilityScanStatus::NoDatabase, false, 0)], ChecklistStatus::Unknown, ChecklistStatus::Unknown),
            (
                vec![scan(VulnerabilityScanStatus::Scanned, false, 0), scan(VulnerabilityScanStatus::Failed, false, 0)],
                ChecklistStatus::Unknown,
                ChecklistStatus::Unknown,
            ),
            // Info-only matches leave no finding that fails the item, but are not a clean scan.
            (vec![scan(VulnerabilityScanStatus::Scanned, false, 2)], ChecklistStatus::Unknown, ChecklistStatus::Unknown),
            (vec![scan(VulnerabilityScanStatus::Scanned, false, 2)], ChecklistStatus::Fail, ChecklistStatus::Fail),
        ];
        for (scans, before, expected) in cases {
            let mut report = report_with_item_4(before);
            answer_scanning_item(&mut report, &scans);
            assert_eq!(report.checklist[0].status, expected, "{scans:?}");
            assert!(report.checklist[0].evidence.iter().any(|e| e.contains("image(s) scanned for vulnerabilities")));
        }
        let mut untouched = report_with_item_4(ChecklistStatus::Unknown);
        answer_scanning_item(&mut untouched, &[]);
        assert_eq!(untouched.checklist[0].evidence, ["the images were not scanned for vulnerabilities here (no advisory database, image contents not read, or a replayed snapshot)"]);
    }
}
