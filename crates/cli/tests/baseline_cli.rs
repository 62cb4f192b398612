//! `rampart scan --baseline previous.json`: only what is new is reported, what was fixed is listed.

use assert_cmd::Command;
use serde_json::Value;

fn scan_json(dir: &std::path::Path, extra: &[&str]) -> Value {
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(dir)
        .args(["scan", "--no-config", "--format", "json", "--fail-on", "never", "Dockerfile"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn scan_with_a_baseline_shows_new_findings_and_what_was_fixed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian:12\nRUN sudo apt-get update\n").unwrap();
    let before = scan_json(dir.path(), &[]);
    let rules_before: Vec<&str> = before["findings"].as_array().unwrap().iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(rules_before.contains(&"DKF001"), "{rules_before:?}");
    std::fs::write(dir.path().join("previous.json"), before.to_string()).unwrap();

    // Same findings on moved lines: nothing new, nothing fixed.
    std::fs::write(dir.path().join("Dockerfile"), "# a comment\n\nFROM debian:12\nRUN sudo apt-get update\n").unwrap();
    let same = scan_json(dir.path(), &["--baseline", "previous.json"]);
    assert_eq!(same["findings"].as_array().unwrap().len(), 0, "{same}");
    assert_eq!(same["summary"]["suppressed"].as_u64(), Some(rules_before.len() as u64));
    assert!(!same["notices"].as_array().unwrap().iter().any(|n| n["kind"] == "fixed"), "{same}");

    // sudo removed: DKF001 is listed as fixed.
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian:12\nRUN apt-get update\n").unwrap();
    let fixed = scan_json(dir.path(), &["--baseline", "previous.json"]);
    let notices = fixed["notices"].as_array().unwrap();
    assert!(notices.iter().any(|n| n["kind"] == "fixed" && n["message"].as_str().unwrap_or("").starts_with("DKF001")), "{fixed}");
    assert!(!fixed["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "DKF001"));
}

#[test]
fn an_unreadable_baseline_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian:12\n").unwrap();
    std::fs::write(dir.path().join("bad.json"), "{not json").unwrap();
    for (file, expected) in [("missing.json", "cannot read"), ("bad.json", "not a rampart JSON report")] {
        let output = Command::cargo_bin("rampart")
            .unwrap()
            .current_dir(dir.path())
            .args(["scan", "--no-config", "Dockerfile", "--baseline", file])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains(expected), "{}", String::from_utf8_lossy(&output.stderr));
    }
}
