//! Measurement (not a test: it reads the shared fixtures, which a user's clone does not have):
//! the 195 OSV records for Debian 12 against the bookworm minbase package list. Ground truth
//! comes from the real `dpkg --compare-versions` of each installed version against each fixed
//! version; rampart's matcher must agree on every (binary package, record) pair, both the
//! affected and the already-fixed ones.
//!
//! cargo run -p rampart-vuln --example debian12 [-- FIXTURE_DIR]

use rampart_vuln::{evaluate, match_package, Package, Record, Verdict};
use std::collections::BTreeMap;
use std::process::Command;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/fixtures/vuln".to_string());
    let dir = std::path::Path::new(&dir);
    let installed: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("bookworm-installed.json")).expect("read package list")).expect("package list JSON");
    let packages: Vec<Package> = installed
        .iter()
        .map(|(name, info)| Package {
            ecosystem: "Debian:12".into(),
            name: name.clone(),
            source_name: info["source"].as_str().map(String::from),
            version: info["version"].as_str().unwrap_or_default().to_string(),
            source_version: None,
            purl: None,
        })
        .collect();
    let mut records = Vec::new();
    for entry in std::fs::read_dir(dir.join("osv-debian12")).expect("read records") {
        let path = entry.expect("entry").path();
        records.push(Record::from_json(&std::fs::read(&path).expect("read record")).expect("record parses"));
    }

    let dpkg_lt = |a: &str, b: &str| Command::new("dpkg").args(["--compare-versions", a, "lt", b]).status().expect("run dpkg").success();
    let (mut affected, mut fixed, mut disagreements) = (0, 0, 0);
    for package in &packages {
        let source = package.source_name.as_deref().unwrap_or(&package.name);
        for record in &records {
            // Ground truth: the record names this package's source; affected when the installed
            // version is below the fixed one per dpkg (all fixture ranges are introduced 0 .. fixed).
            let about_package = record.affected.iter().filter(|a| a.package.as_ref().is_some_and(|p| p.name == source && p.ecosystem == "Debian:12"));
            let mut truth = None;
            for entry in about_package {
                for range in &entry.ranges {
                    let fix = range.events.iter().find_map(|e| e.fixed.as_deref());
                    let is_affected = match fix {
                        Some(fix) => dpkg_lt(&package.version, fix),
                        None => true,
                    };
                    truth = Some(truth == Some(true) || is_affected);
                }
            }
            let ours = evaluate(package, record).map(|v| matches!(v, Verdict::Affected { .. }));
            match truth {
                Some(true) => affected += 1,
                Some(false) => fixed += 1,
                None => {}
            }
            if ours != truth {
                disagreements += 1;
                println!("DISAGREE {} {} {}: dpkg {:?}, rampart {:?}", package.name, package.version, record.id, truth, ours);
            }
        }
    }
    let reported: usize = packages.iter().map(|p| match_package(p, &records).len()).sum();
    println!("records: {}, packages: {}", records.len(), packages.len());
    println!("pairs per dpkg: {affected} affected, {fixed} already fixed");
    println!("disagreements with dpkg: {disagreements}");
    println!("vulnerabilities reported (aliases merged, per binary package): {reported}");
    // The same through the store (import, then the per-package entries it keeps): the same
    // vulnerabilities, package by package.
    let db_dir = tempfile::tempdir().expect("tempdir");
    let mut store = rampart_vuln::Store::open(&db_dir.path().join("advisories.db")).expect("open store");
    store.import(&[dir.join("osv-debian12")], &rampart_vuln::ArchiveLimits::default()).expect("import");
    let through_store = store.match_each(&packages).expect("match");
    let store_disagreements = packages
        .iter()
        .zip(&through_store)
        .filter(|(package, found)| match_package(package, &records) != **found)
        .inspect(|(package, _)| println!("STORE DIFFERS {}", package.name))
        .count();
    println!("packages whose store matches differ from the in-memory ones: {store_disagreements}");
    if disagreements > 0 || store_disagreements > 0 {
        std::process::exit(1);
    }
}
