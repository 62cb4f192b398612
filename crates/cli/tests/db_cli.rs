//! `rampart db import` and `rampart db status` end to end, with records written by the test.

use assert_cmd::Command;

fn record(id: &str, ecosystem: &str, name: &str) -> String {
    serde_json::json!({"id": id, "affected": [{"package": {"ecosystem": ecosystem, "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]})
    .to_string()
}

#[test]
fn import_then_status_reports_counts_per_ecosystem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let records = dir.path().join("records");
    std::fs::create_dir(&records).expect("mkdir");
    std::fs::write(records.join("a.json"), record("DSA-1", "Debian:12", "gzip")).expect("write");
    std::fs::write(records.join("b.json"), record("DSA-2", "Debian:12", "tar")).expect("write");
    std::fs::write(records.join("c.json"), record("GHSA-1", "npm", "lodash")).expect("write");
    let db = dir.path().join("db/advisories.db");

    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "import", "--db"]).arg(&db).arg(&records).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("imported 3 advisories"));

    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "status", "--format", "json", "--db"]).arg(&db).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(status["advisories"], 3);
    assert_eq!(status["per_ecosystem"]["Debian"], 2);
    assert_eq!(status["per_ecosystem"]["npm"], 1);
    assert_eq!(status["stale"], false);
}

#[test]
fn bad_input_and_missing_database_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ nope").expect("write");
    let db = dir.path().join("advisories.db");
    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "import", "--db"]).arg(&db).arg(&bad).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.json") && stderr.contains("not a valid OSV record"), "{stderr}");

    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "status", "--db"]).arg(dir.path().join("none.db")).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("rampart db update"));
}
