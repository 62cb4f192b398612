//! The SQLite store: imports of files, directories and zips, atomicity, zip bombs, read-only
//! paths, two writers at once, staleness.

use rampart_vuln::{ArchiveLimits, Package, Status, Store, StoreError};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

fn advisory(id: &str, ecosystem: &str, name: &str, fixed: &str) -> String {
    json!({"id": id, "aliases": [format!("CVE-{id}")], "affected": [{"package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]})
    .to_string()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let file = std::fs::File::create(path).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish");
}

fn deb(name: &str, source: &str, version: &str) -> Package {
    Package { ecosystem: "Debian:12".into(), name: name.into(), source_name: Some(source.into()), version: version.into(), source_version: None, purl: None }
}

fn count(store: &Store) -> u64 {
    store.status().expect("status").advisories
}

#[test]
fn imports_files_directories_and_zips_and_matches_from_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let records = dir.path().join("records");
    std::fs::create_dir_all(records.join("nested")).expect("mkdir");
    std::fs::write(records.join("a.json"), advisory("DSA-1", "Debian:12", "util-linux", "2.38.1-5+deb12u4")).expect("write");
    std::fs::write(records.join("nested/b.json"), advisory("DSA-2", "Debian:12", "gzip", "1.3.5-15")).expect("write");
    std::fs::write(records.join("notes.txt"), "not a record").expect("write");
    let zip_path = dir.path().join("all.zip");
    write_zip(&zip_path, &[
        ("PYSEC-1.json".into(), advisory("PYSEC-1", "PyPI", "Requests", "2.31.0").into_bytes()),
        ("broken.json".into(), b"{ not json".to_vec()),
    ]);
    let single = dir.path().join("single.json");
    std::fs::write(&single, advisory("GHSA-1", "npm", "lodash", "4.17.21")).expect("write");

    let db = dir.path().join("data/advisories.db");
    let mut store = Store::open(&db).expect("open creates the file and its directory");
    let summary = store.import(&[records, zip_path, single], &ArchiveLimits::default()).expect("import");
    assert_eq!(summary.imported, 4);
    assert_eq!(summary.skipped, 1, "{summary:?}");
    assert!(summary.skipped_examples[0].contains("broken.json"), "{summary:?}");

    let status = store.status().expect("status");
    assert_eq!(status.advisories, 4);
    assert_eq!(status.per_ecosystem.get("Debian"), Some(&2));
    assert_eq!(status.per_ecosystem.get("PyPI"), Some(&1));
    assert_eq!(status.staleness_warning(SystemTime::now()), None);

    let reader = Store::open_read_only(&db).expect("read-only open");
    let found = reader
        .match_packages(&[
            deb("libmount1", "util-linux", "2.38.1-5+deb12u3"),
            deb("gzip", "gzip", "1.12-1"),
            Package { ecosystem: "PyPI".into(), name: "requests".into(), source_name: None, version: "2.25.1".into(), source_version: None, purl: None },
        ])
        .expect("match");
    let ids: Vec<&str> = found.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, vec!["CVE-DSA-1", "CVE-PYSEC-1"]);
    assert_eq!(found[0].fixed_version.as_deref(), Some("2.38.1-5+deb12u4"));

    // A withdrawn version of a record removes it.
    let withdrawn = dir.path().join("withdrawn.json");
    let mut value: serde_json::Value = serde_json::from_str(&advisory("DSA-1", "Debian:12", "util-linux", "2.38.1-5+deb12u4")).expect("json");
    value["withdrawn"] = json!("2025-01-01T00:00:00Z");
    std::fs::write(&withdrawn, value.to_string()).expect("write");
    let summary = store.import(&[withdrawn], &ArchiveLimits::default()).expect("import withdrawn");
    assert_eq!(summary.withdrawn, 1);
    assert_eq!(count(&store), 3);
    assert!(reader.match_packages(&[deb("libmount1", "util-linux", "2.38.1-5+deb12u3")]).expect("match").is_empty());
}

fn store_with_one_record(dir: &Path) -> (PathBuf, Store) {
    let db = dir.join("advisories.db");
    let good = dir.join("good.json");
    std::fs::write(&good, advisory("DSA-9", "Debian:12", "bash", "5.2.15-2+b14")).expect("write");
    let mut store = Store::open(&db).expect("open");
    store.import(&[good], &ArchiveLimits::default()).expect("import");
    (db, store)
}

#[test]
fn a_failed_import_leaves_the_old_contents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut store) = store_with_one_record(dir.path());
    let more = dir.path().join("more.json");
    std::fs::write(&more, advisory("DSA-10", "Debian:12", "tar", "1.35")).expect("write");
    let malformed = dir.path().join("malformed.json");
    std::fs::write(&malformed, "{\"id\": 17}").expect("write");
    let error = store.import(&[more, malformed], &ArchiveLimits::default()).expect_err("a malformed file named directly fails");
    assert!(matches!(error, StoreError::BadInput { .. }), "{error}");
    assert!(error.to_string().contains("malformed.json"), "{error}");
    assert_eq!(count(&store), 1, "DSA-10 was rolled back");

    let missing = store.import(&[dir.path().join("nope.json")], &ArchiveLimits::default()).expect_err("missing file");
    assert!(missing.to_string().contains("nope.json"), "{missing}");
    assert_eq!(count(&store), 1);
}

#[test]
fn zip_bombs_and_damaged_archives_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut store) = store_with_one_record(dir.path());
    // 4 MiB of spaces inside a JSON string packs to a few KiB.
    let padding = " ".repeat(4 << 20);
    let bomb = dir.path().join("bomb.zip");
    write_zip(&bomb, &[("X.json".into(), format!("{{\"id\":\"X\",\"summary\":\"{padding}\"}}").into_bytes())]);
    let error = store.import(std::slice::from_ref(&bomb), &ArchiveLimits::default()).expect_err("ratio limit");
    assert!(error.to_string().contains("zip bomb"), "{error}");
    let small = ArchiveLimits { max_entry_bytes: 1 << 20, ..ArchiveLimits::default() };
    let error = store.import(&[bomb], &small).expect_err("size limit");
    assert!(error.to_string().contains("more than 1048576 bytes"), "{error}");

    let whole = dir.path().join("whole.zip");
    let entries: Vec<(String, Vec<u8>)> =
        (0..50).map(|i| (format!("R-{i}.json"), advisory(&format!("R-{i}"), "Debian:12", "pkg", "1.0").into_bytes())).collect();
    write_zip(&whole, &entries);
    let bytes = std::fs::read(&whole).expect("read");
    let truncated = dir.path().join("truncated.zip");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let error = store.import(&[truncated], &ArchiveLimits::default()).expect_err("truncated zip");
    assert!(error.to_string().contains("truncated.zip"), "{error}");
    assert_eq!(count(&store), 1);
}

#[test]
fn a_read_only_database_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, store) = store_with_one_record(dir.path());
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let error = Store::open(&db).err().expect("read-only file refused");
    assert!(matches!(error, StoreError::ReadOnly { .. }), "{error}");
    assert!(error.to_string().contains("read-only"), "{error}");
    // Reading still works.
    assert_eq!(count(&Store::open_read_only(&db).expect("read")), 1);
    let missing = Store::open_read_only(&dir.path().join("none.db")).err().expect("missing store");
    assert!(missing.to_string().contains("rampart db update"), "{missing}");
}

#[test]
fn two_writers_at_once_both_land() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("advisories.db");
    Store::open(&db).expect("create");
    let batches: Vec<PathBuf> = (0..2)
        .map(|batch| {
            let zip = dir.path().join(format!("batch{batch}.zip"));
            let entries: Vec<(String, Vec<u8>)> = (0..2000)
                .map(|i| {
                    let id = format!("B{batch}-{i}");
                    (format!("{id}.json"), advisory(&id, "Debian:12", &format!("pkg{i}"), "1.0").into_bytes())
                })
                .collect();
            write_zip(&zip, &entries);
            zip
        })
        .collect();
    let handles: Vec<_> = batches
        .into_iter()
        .map(|zip| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&db).expect("open in thread");
                store.import(&[zip], &ArchiveLimits::default()).map(|s| s.imported)
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("thread").expect("import waits for the other writer"), 2000);
    }
    let store = Store::open_read_only(&db).expect("open");
    assert_eq!(count(&store), 4000);
}

#[test]
fn stale_databases_warn() {
    let now = SystemTime::now();
    let seconds = now.duration_since(SystemTime::UNIX_EPOCH).expect("clock").as_secs();
    let status = |age: Duration| Status {
        path: "x.db".into(),
        updated_at: Some(seconds - age.as_secs()),
        advisories: 1,
        per_ecosystem: Default::default(),
    };
    assert_eq!(status(Duration::from_secs(6 * 86_400)).staleness_warning(now), None);
    let warning = status(Duration::from_secs(8 * 86_400)).staleness_warning(now).expect("warns");
    assert!(warning.contains("8 days old"), "{warning}");
    let never = Status { updated_at: None, ..status(Duration::ZERO) };
    assert!(never.staleness_warning(now).expect("warns").contains("never"));
}

#[test]
fn match_each_keeps_the_packages_order_and_shares_a_source_between_binaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = dir.path().join("dsa.json");
    std::fs::write(&record, advisory("DSA-9", "Debian:12", "openssl", "3.0.14-1")).expect("write");
    let db = dir.path().join("advisories.db");
    let mut store = Store::open(&db).expect("open");
    store.import(&[record], &ArchiveLimits::default()).expect("import");
    drop(store);
    let store = Store::open_read_only(&db).expect("open read-only");
    // Interleaved on purpose: the matcher groups by source, the answer keeps this order.
    let packages = [
        deb("libssl3", "openssl", "3.0.11-1"),
        deb("gzip", "gzip", "1.12-1"),
        deb("openssl", "openssl", "3.0.14-1"),
        deb("libcrypto3", "openssl", "3.0.2-1"),
    ];
    let found = store.match_each(&packages).expect("match");
    let ids: Vec<Vec<(String, String)>> =
        found.iter().map(|v| v.iter().map(|v| (v.package.clone(), v.id.clone())).collect()).collect();
    assert_eq!(
        ids,
        [
            vec![("libssl3".to_string(), "CVE-DSA-9".to_string())],
            vec![],
            vec![],
            vec![("libcrypto3".to_string(), "CVE-DSA-9".to_string())],
        ]
    );
}
