//! What the parser accepts but warns about reaches the report as a notice.

use rampart_scan::{scan, ScanOptions};

#[test]
fn a_continuation_at_end_of_file_is_a_parse_warning_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM debian:12\nRUN true && \\\n    sudo true \\\n").unwrap();
    let result = scan(&ScanOptions { paths: vec![path.clone()], ..ScanOptions::default() });
    assert!(result.report.errors.is_empty(), "{:?}", result.report.errors);
    let warnings: Vec<_> = result.report.notices.iter().filter(|n| n.kind == "parse-warning").collect();
    assert_eq!(warnings.len(), 1, "{:?}", result.report.notices);
    assert_eq!(warnings[0].path, path.display().to_string());
    assert_eq!(warnings[0].line, Some(3));
    assert!(warnings[0].message.contains("continuation"), "{}", warnings[0].message);
    // The file is still checked.
    assert!(result.report.findings.iter().any(|f| f.rule == "DKF001"));
}

#[test]
fn a_clean_file_has_no_parse_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, "FROM debian:12\nRUN true\n").unwrap();
    let result = scan(&ScanOptions { paths: vec![path], ..ScanOptions::default() });
    assert!(result.report.notices.iter().all(|n| n.kind != "parse-warning"), "{:?}", result.report.notices);
}
