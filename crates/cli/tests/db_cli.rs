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

#[test]
fn a_failed_update_exits_2_and_keeps_the_database() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("advisories.db");
    let one = dir.path().join("one.json");
    std::fs::write(&one, record("DSA-1", "Debian:12", "gzip")).expect("write");
    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "import", "--db"]).arg(&db).arg(&one).output().expect("run");
    assert!(output.status.success());

    // A loopback server that answers one request with something that is not a zip.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = std::thread::spawn(move || {
        if let Some(Ok(mut stream)) = listener.incoming().next() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot a zip");
        }
    });
    let output = Command::cargo_bin("rampart")
        .expect("binary")
        .args(["db", "update", "--ecosystem", "Debian", "--base-url", &base, "--db"])
        .arg(&db)
        .output()
        .expect("run");
    server.join().expect("server");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a readable zip archive"), "{stderr}");
    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "status", "--format", "json", "--db"]).arg(&db).output().expect("run");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(status["advisories"], 1);
}
