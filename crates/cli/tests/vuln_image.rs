//! Vulnerabilities in `rampart image`, end to end: an image tar built here (Debian 12 dpkg
//! records and a Python package), OSV records written here imported into a temporary database,
//! then the VUL002 findings, the per-image summary, VEX and ignore-list suppression, a missing
//! database, and `--fail-on` exit codes.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::Path;

fn rampart() -> Command {
    Command::cargo_bin("rampart").expect("the rampart binary is built")
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    builder.append_data(&mut header, name, data).expect("append");
}

const DPKG_STATUS: &str = "\
Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

Package: bsdutils
Status: install ok installed
Architecture: amd64
Source: util-linux (2.38.1-5)
Version: 1:2.38.1-5+b1

Package: tar
Status: install ok installed
Architecture: amd64
Version: 1.34+dfsg-1.2
";

/// A `docker save` tar of a Debian 12 image with four dpkg packages and requests 2.25.1; a
/// non-root user and a health check, so the other image rules have little to say.
fn image_tar(dir: &Path) -> std::path::PathBuf {
    let mut layer = tar::Builder::new(Vec::new());
    append(&mut layer, "etc/os-release", b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
    append(&mut layer, "var/lib/dpkg/status", DPKG_STATUS.as_bytes());
    append(
        &mut layer,
        "usr/lib/python3/dist-packages/requests-2.25.1.dist-info/METADATA",
        b"Metadata-Version: 2.1\nName: requests\nVersion: 2.25.1\n",
    );
    let layer = layer.into_inner().expect("layer");
    let config = json!({
        "config": {"User": "app", "Healthcheck": {"Test": ["CMD", "true"]}},
        "history": [{"created_by": "/bin/sh -c #(nop) COPY dir:rootfs in /"}],
        "rootfs": {"type": "layers", "diff_ids": ["sha256:00"]}
    });
    let mut image = tar::Builder::new(Vec::new());
    append(&mut image, "abc/layer.tar", &layer);
    append(&mut image, "cfg.json", &serde_json::to_vec(&config).expect("config"));
    append(&mut image, "manifest.json", br#"[{"Config":"cfg.json","RepoTags":["app:1"],"Layers":["abc/layer.tar"]}]"#);
    let path = dir.join("app.tar");
    std::fs::write(&path, image.into_inner().expect("image")).expect("write tar");
    path
}

fn range(fixed: Option<&str>) -> Value {
    let mut events = vec![json!({"introduced": "0"})];
    if let Some(fixed) = fixed {
        events.push(json!({"fixed": fixed}));
    }
    json!([{"type": "ECOSYSTEM", "events": events}])
}

/// The advisories: what must match, and what must not (another release, a withdrawn record,
/// a version already fixed, an alias that must merge).
fn write_advisories(dir: &Path) {
    let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H";
    let records = [
        json!({"id": "DEBIAN-CVE-2024-5535", "aliases": ["CVE-2024-5535"], "summary": "SSL_select_next_proto buffer overread",
               "severity": [{"type": "CVSS_V3", "score": critical}],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": range(Some("3.0.14-1~deb12u1"))}]}),
        // Same CVE from another source: merged, not reported twice.
        json!({"id": "DSA-5764-1", "aliases": ["CVE-2024-5535"],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": range(Some("3.0.14-1~deb12u1"))}]}),
        // Debian 11's advisory is not about a Debian 12 image.
        json!({"id": "DEBIAN-CVE-2023-0464", "aliases": ["CVE-2023-0464"],
               "affected": [{"package": {"ecosystem": "Debian:11", "name": "openssl"}, "ranges": range(None)}]}),
        // No fix, no severity.
        json!({"id": "DEBIAN-CVE-2023-45853", "aliases": ["CVE-2023-45853"],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"}, "ranges": range(None)}]}),
        json!({"id": "DEBIAN-CVE-2020-0001", "withdrawn": "2024-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib"}, "ranges": range(None)}]}),
        // Matched on the source version 2.38.1-5 (< 2.38.1-6); the binary's 1:2.38.1-5+b1 would not be.
        json!({"id": "DEBIAN-CVE-2024-28085", "aliases": ["CVE-2024-28085"], "database_specific": {"severity": "high"},
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "util-linux"}, "ranges": range(Some("2.38.1-6"))}]}),
        // tar 1.34+dfsg-1.2 is past this fix.
        json!({"id": "DEBIAN-CVE-2022-48303", "aliases": ["CVE-2022-48303"],
               "affected": [{"package": {"ecosystem": "Debian:12", "name": "tar"}, "ranges": range(Some("1.34+dfsg-1.1"))}]}),
        json!({"id": "PYSEC-2023-74", "aliases": ["CVE-2023-32681", "GHSA-j8r2-6x86-q33q"], "summary": "Unintended leak of Proxy-Authorization header",
               "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"}],
               "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"}, "ranges": range(Some("2.31.0"))}]}),
        json!({"id": "GHSA-j8r2-6x86-q33q", "aliases": ["CVE-2023-32681"],
               "affected": [{"package": {"ecosystem": "PyPI", "name": "Requests"}, "ranges": range(Some("2.31.0"))}]}),
    ];
    std::fs::create_dir_all(dir).expect("mkdir");
    for record in records {
        let id = record["id"].as_str().expect("id").to_string();
        std::fs::write(dir.join(format!("{id}.json")), record.to_string()).expect("write record");
    }
}

fn database(dir: &Path) -> std::path::PathBuf {
    let records = dir.join("osv");
    write_advisories(&records);
    let db = dir.join("advisories.db");
    let output = rampart().args(["db", "import", "--db"]).arg(&db).arg(&records).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    db
}

fn scan(image: &Path, args: &[&str]) -> (i32, Value, String) {
    let output = rampart().arg("image").arg(image).args(["--format", "json"]).args(args).output().expect("run");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap_or(-1), report, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The report validates against the documented schema (docs/json-schema/report.schema.json).
fn assert_valid(report: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/json-schema/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the report schema")).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(report).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "report does not match its schema:\n{}", errors.join("\n"));
}

/// (package purl's name part, id, severity, fix) of each VUL002 finding, sorted.
fn vulnerabilities(report: &Value) -> Vec<(String, String, String)> {
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "VUL002")
        .map(|f| {
            let message = f["message"].as_str().unwrap_or_default();
            let package = message.split(' ').next().unwrap_or_default().to_string();
            let id = message.split(" is affected by ").nth(1).and_then(|rest| rest.split(' ').next()).unwrap_or_default().to_string();
            (package, id, f["severity"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    found.sort();
    found
}

fn finding<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "VUL002" && f["message"].as_str().unwrap_or_default().contains(id))
        .unwrap_or_else(|| panic!("no VUL002 finding for {id}"))
}

#[test]
fn vulnerabilities_are_findings_with_a_per_image_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = image_tar(dir.path());
    let db = database(dir.path());
    let db_arg = db.to_str().expect("utf-8 path");

    let (code, report, _) = scan(&image, &["--db", db_arg, "--fail-on", "critical"]);
    assert_eq!(code, 1, "a critical vulnerability reaches --fail-on critical: {report:#}");
    assert_eq!(
        vulnerabilities(&report),
        [
            ("bsdutils".to_string(), "CVE-2024-28085".to_string(), "high".to_string()),
            ("libssl3".to_string(), "CVE-2024-5535".to_string(), "critical".to_string()),
            ("requests".to_string(), "CVE-2023-32681".to_string(), "medium".to_string()),
            ("zlib1g".to_string(), "CVE-2023-45853".to_string(), "low".to_string()),
        ]
    );
    let openssl = finding(&report, "CVE-2024-5535");
    assert_eq!(openssl["location"]["object"], "image:app:1:pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
    assert!(openssl["message"].as_str().unwrap_or_default().contains("CVSS 9.1"), "{openssl:#}");
    let evidence = openssl["evidence"].as_str().unwrap_or_default();
    assert!(evidence.contains("DEBIAN-CVE-2024-5535") && evidence.contains("DSA-5764-1"), "aliases merged into one finding: {evidence}");
    assert!(openssl["fix"].as_str().unwrap_or_default().starts_with("Upgrade libssl3 (source package openssl) to 3.0.14-1~deb12u1"));
    assert_eq!(openssl["checklist"], json!([4]));
    let zlib = finding(&report, "CVE-2023-45853");
    assert!(zlib["message"].as_str().unwrap_or_default().contains("severity unknown"), "{zlib:#}");
    assert!(zlib["fix"].as_str().unwrap_or_default().starts_with("No fix yet"), "{zlib:#}");
    assert!(finding(&report, "CVE-2023-32681")["fix"].as_str().unwrap_or_default().contains("pip install 'requests>=2.31.0'"));

    let scans = report["vulnerability_scans"].as_array().expect("vulnerability_scans");
    assert_eq!(scans.len(), 1);
    let summary = &scans[0];
    assert_eq!(summary["image"], "image:app:1");
    assert_eq!(summary["status"], "scanned");
    assert_eq!(summary["ecosystems"], json!(["Debian:12", "PyPI"]));
    assert_eq!((summary["packages"].as_u64(), summary["packages_matched"].as_u64()), (Some(5), Some(5)));
    let counts: Vec<u64> =
        ["vulnerabilities", "critical", "high", "medium", "low", "unknown", "fixable"].iter().map(|k| summary[*k].as_u64().unwrap_or(99)).collect();
    assert_eq!(counts, [4, 1, 1, 1, 0, 1, 3]);
    assert_eq!(summary["database"]["stale"], false);
    assert_eq!(summary["database"]["age_days"], 0);
    assert_valid(&report);

    let (code, _, _) = scan(&image, &["--db", db_arg, "--fail-on", "never"]);
    assert_eq!(code, 0);
    // The terminal report carries the summary line too.
    let output = rampart().arg("image").arg(&image).args(["--db", db_arg]).output().expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("vulnerabilities: image:app:1: 4 vulnerabilities (1 critical, 1 high, 1 medium, 0 low, 1 unknown), 3 fixable"),
        "{text}"
    );
}

#[test]
fn vex_and_ignore_entries_suppress_with_their_reason_until_they_expire() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = image_tar(dir.path());
    let db = database(dir.path());
    let vex = dir.path().join("app.vex.json");
    std::fs::write(
        &vex,
        json!({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "team", "timestamp": "2026-11-01T00:00:00Z", "version": 1,
               "statements": [{"vulnerability": {"name": "CVE-2023-45853"}, "products": [{"@id": "pkg:oci/app?tag=1",
                   "subcomponents": [{"@id": "pkg:deb/debian/zlib1g"}]}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path", "impact_statement": "minizip is not built"}]})
        .to_string(),
    )
    .expect("write vex");
    let ignore = dir.path().join("ignore.toml");
    std::fs::write(
        &ignore,
        "[[vulnerabilities.ignore]]\nid = \"CVE-2024-5535\"\npackage = \"openssl\"\nreason = \"NPN/ALPN not used by this service\"\nexpires = \"2999-12-31\"\n\n\
         [[vulnerabilities.ignore]]\nid = \"GHSA-j8r2-6x86-q33q\"\nreason = \"no proxy in production\"\nexpires = \"2001-01-01\"\n\n\
         [[vulnerabilities.ignore]]\nid = \"CVE-1999-0001\"\nreason = \"long gone\"\n",
    )
    .expect("write ignore list");
    let db_arg = db.to_str().expect("utf-8 path");
    let vex_arg = vex.to_str().expect("utf-8 path");
    let ignore_arg = ignore.to_str().expect("utf-8 path");

    let (code, report, _) = scan(&image, &["--db", db_arg, "--vex", vex_arg, "--vex", ignore_arg, "--fail-on", "critical"]);
    assert_eq!(code, 0, "the critical one is suppressed: {report:#}");
    let ids: Vec<String> = vulnerabilities(&report).into_iter().map(|(_, id, _)| id).collect();
    assert_eq!(ids, ["CVE-2024-28085", "CVE-2023-32681"], "the expired entry suppresses nothing");
    let summary = &report["vulnerability_scans"][0];
    assert_eq!(summary["vulnerabilities"], 2);
    let mut suppressed: Vec<(String, String, String)> = summary["suppressed"]
        .as_array()
        .expect("suppressed list")
        .iter()
        .map(|s| (s["id"].as_str().unwrap_or_default().into(), s["status"].as_str().unwrap_or_default().into(), s["reason"].as_str().unwrap_or_default().into()))
        .collect();
    suppressed.sort();
    assert_eq!(
        suppressed,
        [
            ("CVE-2023-45853".to_string(), "not_affected".to_string(), "vulnerable code not in execute path: minizip is not built".to_string()),
            ("CVE-2024-5535".to_string(), "ignored".to_string(), "NPN/ALPN not used by this service".to_string()),
        ]
    );
    assert_eq!(report["summary"]["suppressed"], 2);
    assert_valid(&report);
    let expired = report["notices"].as_array().expect("notices").iter().find(|n| n["kind"] == "expired-suppression").expect("expired notice");
    assert!(expired["message"].as_str().unwrap_or_default().contains("expired on 2001-01-01"), "{expired:#}");
    let unused: Vec<&str> = report["notices"]
        .as_array()
        .expect("notices")
        .iter()
        .filter(|n| n["kind"] == "unused-suppression")
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert_eq!(unused, ["the ignore entry for CVE-1999-0001 matched no vulnerability of the images scanned"]);
    let (code, _, _) = scan(&image, &["--db", db_arg, "--vex", vex_arg, "--vex", ignore_arg, "--fail-on", "high"]);
    assert_eq!(code, 1, "the high one is still there");

    // A VEX statement without a reason is refused: exit 2, a clear message.
    let bad = dir.path().join("bad.vex.json");
    std::fs::write(&bad, r#"{"statements": [{"vulnerability": "CVE-2023-45853", "status": "not_affected"}]}"#).expect("write");
    let output = rampart().arg("image").arg(&image).args(["--db", db_arg, "--vex"]).arg(&bad).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a justification"));
}

#[test]
fn without_a_database_the_report_says_the_image_was_not_scanned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let image = image_tar(dir.path());
    let data_home = dir.path().join("data");
    let output = rampart()
        .env("XDG_DATA_HOME", &data_home)
        .arg("image")
        .arg(&image)
        .args(["--format", "json", "--fail-on", "low"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "not an error: {}", String::from_utf8_lossy(&output.stdout));
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert!(vulnerabilities(&report).is_empty());
    assert_eq!(report["vulnerability_scans"][0]["status"], "no-database");
    assert_valid(&report);
    let notice = report["notices"].as_array().expect("notices").iter().find(|n| n["kind"] == "no-advisory-database").expect("notice");
    assert!(notice["message"].as_str().unwrap_or_default().contains("rampart db update"));

    // A --db named explicitly that does not exist is an error, not a silent pass.
    let output = rampart().arg("image").arg(&image).args(["--db"]).arg(dir.path().join("missing.db")).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no advisory database"));
}

#[test]
fn a_replayed_audit_reports_the_matches_its_snapshot_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("snapshot.json");
    let content = json!({"object": "image:app:1", "checked_on": "2026-11-28", "has_config": true,
        "vulnerabilities": [{"id": "CVE-2024-5535", "package": "libssl3", "version": "3.0.11-1~deb12u2", "source_package": "openssl",
            "ecosystem": "Debian:12", "purl": "pkg:deb/debian/libssl3@3.0.11-1~deb12u2", "found_in": "/var/lib/dpkg/status",
            "fixed_version": "3.0.14-1~deb12u1", "severity": "critical", "cvss_score": 9.1}]});
    let facts = json!({"snapshot_version": 1,
        "images": [{"id": "sha256:0123456789ab", "tags": ["app:1"], "user": "app", "healthcheck": ["CMD", "true"], "content": content}]});
    std::fs::write(&snapshot, facts.to_string()).expect("write snapshot");
    let vex = dir.path().join("ignore.toml");
    std::fs::write(&vex, "[[vulnerabilities.ignore]]\nid = \"CVE-2024-5535\"\nreason = \"r\"\n").expect("write");
    let output = rampart().args(["audit", "--format", "json", "--snapshot"]).arg(&snapshot).arg("--vex").arg(&vex).output().expect("run");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)));
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    assert_eq!(vulnerabilities(&report), [("libssl3".to_string(), "CVE-2024-5535".to_string(), "critical".to_string())]);
    let item = report["checklist"].as_array().expect("checklist").iter().find(|a| a["item"] == 4).expect("item 4");
    assert_eq!(item["status"], "FAIL");
    assert_eq!(item["findings"], json!(["VUL002"]));
    // The ignore list cannot apply to matches made earlier: the report says so.
    assert!(report["notices"].as_array().expect("notices").iter().any(|n| n["kind"] == "vex-not-applied"), "{report:#}");
}
