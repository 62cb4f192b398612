//! Benchmark (not a test): import 200,000 synthetic OSV advisories from a zip, then match 1,000
//! packages against them. Goals: import under 20 s, matching under 100 ms once the DB is open.
//!
//! cargo run --release -p rampart-vuln --example bench [-- ADVISORIES PACKAGES [DB]]
//!
//! With DB, the database is kept there and reused by the next run (only the matching is timed).

use rampart_vuln::{ArchiveLimits, Package, Store};
use std::io::Write;
use std::time::Instant;

const ECOSYSTEMS: [(&str, &str); 3] = [("Debian:12", "deb"), ("npm", "npm"), ("PyPI", "py")];

fn main() {
    let mut args = std::env::args().skip(1);
    let advisories: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let packages: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    // Ten advisories per package name, like a busy real package.
    let names = advisories / 10;
    let kept = args.next().map(std::path::PathBuf::from);
    let dir = tempfile::tempdir().expect("tempdir");
    let zip_path = dir.path().join("all.zip");
    let db = kept.clone().unwrap_or_else(|| dir.path().join("advisories.db"));
    if !db.exists() {
        build(advisories, names, &zip_path, &db);
    }
    match_and_time(packages, names, &db);
}

fn build(advisories: usize, names: usize, zip_path: &std::path::Path, db: &std::path::Path) {
    let started = Instant::now();
    {
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(zip_path).expect("create")));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for i in 0..advisories {
            let (ecosystem, prefix) = ECOSYSTEMS[i % names % ECOSYSTEMS.len()];
            let name = format!("{prefix}-package-{}", i % names);
            let fixed = match prefix {
                "deb" => format!("1.{}-{}+deb12u1", i / names, i % 7),
                _ => format!("1.{}.0", i / names),
            };
            let record = serde_json::json!({
                "id": format!("SYN-{i}"), "aliases": [format!("CVE-2099-{i}")], "modified": "2026-11-01T00:00:00Z",
                "summary": "synthetic advisory",
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]});
            zip.start_file(format!("SYN-{i}.json"), options).expect("entry");
            zip.write_all(record.to_string().as_bytes()).expect("write");
        }
        zip.finish().expect("finish");
    }
    println!("wrote {advisories} advisories to a zip in {:.2?}", started.elapsed());

    let started = Instant::now();
    let mut store = Store::open(db).expect("open");
    let summary = store.import(&[zip_path.to_path_buf()], &ArchiveLimits::default()).expect("import");
    println!("import of {} advisories: {:.2?}", summary.imported, started.elapsed());
}

fn match_and_time(packages: usize, names: usize, db: &std::path::Path) {

    let list: Vec<Package> = (0..packages)
        .map(|i| {
            let index = i * (names / packages).max(1) % names;
            let (ecosystem, prefix) = ECOSYSTEMS[index % ECOSYSTEMS.len()];
            let version = if prefix == "deb" { "1.5-1".to_string() } else { "1.5.0".to_string() };
            Package {
                ecosystem: ecosystem.into(),
                name: format!("{prefix}-package-{index}"),
                source_name: None,
                version,
                source_version: None,
                purl: None,
            }
        })
        .collect();
    let store = Store::open_read_only(db).expect("open read-only");
    // Once to bring the file into the page cache, as a second scan on the same machine finds it.
    let warm = store.match_each(&list).expect("match");
    println!("warm-up: {} vulnerabilities", warm.iter().map(Vec::len).sum::<usize>());
    {
        // The SQL alone (no JSON parsing), set up as the store does, to see where the time goes.
        let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        conn.execute_batch("PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768; BEGIN").expect("pragmas");
        let mut statement = conn.prepare("SELECT entry FROM affected WHERE ecosystem = ?1 AND name = ?2").expect("prepare");
        let (started, cpu_before) = (Instant::now(), cpu_ms());
        let mut bytes = 0usize;
        for package in &list {
            let base = package.ecosystem.split(':').next().unwrap_or_default();
            let mut rows = statement.query(rusqlite::params![base, package.advisory_name()]).expect("query");
            while let Some(row) = rows.next().expect("row") {
                bytes += row.get_ref(0).expect("entry").as_bytes().expect("text").len();
            }
        }
        println!("SQL only: {bytes} bytes of entries in {:.2?} wall, {:.1} ms CPU", started.elapsed(), cpu_ms() - cpu_before);
    }
    let (started, cpu_before) = (Instant::now(), cpu_ms());
    let candidates: usize = list.iter().map(|p| store.candidates(p).expect("query").len()).sum();
    println!("SQL and parsing: {candidates} candidate records in {:.2?} wall, {:.1} ms CPU", started.elapsed(), cpu_ms() - cpu_before);
    let fetched: Vec<Vec<rampart_vuln::Record>> = list.iter().map(|p| store.candidates(p).expect("query")).collect();
    let (started, cpu_before) = (Instant::now(), cpu_ms());
    let found: usize = list.iter().zip(&fetched).map(|(p, records)| rampart_vuln::match_package(p, records).len()).sum();
    println!("matching parsed records only: {found} vulnerabilities in {:.2?} wall, {:.1} ms CPU", started.elapsed(), cpu_ms() - cpu_before);
    for round in 0..5 {
        let (started, cpu_before) = (Instant::now(), cpu_ms());
        let found = store.match_packages(&list).expect("match");
        println!(
            "round {round}: matched {} packages, {} vulnerabilities in {:.2?} wall, {:.1} ms CPU",
            list.len(),
            found.len(),
            started.elapsed(),
            cpu_ms() - cpu_before
        );
    }
}

/// CPU time of this thread in ms, from the scheduler's nanosecond count (/proc/thread-self/
/// schedstat), so that a busy machine's wall clock does not hide the cost itself.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let nanoseconds: u64 = stat.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
    nanoseconds as f64 / 1e6
}
