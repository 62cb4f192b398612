//! `rampart scan` loads compose projects (main file + override, other compose files alone) and
//! checks every service with the container rules; ignore comments in YAML work.

use rampart_scan::{scan, ScanOptions, ScanResult};
use std::path::{Path, PathBuf};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn scan_paths(paths: &[PathBuf]) -> ScanResult {
    scan(&ScanOptions { paths: paths.to_vec(), ..ScanOptions::default() })
}

/// (file name, line) of every finding of `rule`.
fn found(result: &ScanResult, rule: &str) -> Vec<(String, u32)> {
    let mut found: Vec<(String, u32)> = result
        .report
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            let path = PathBuf::from(f.location.path.clone().unwrap_or_default());
            (path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(), f.location.line.unwrap_or(0))
        })
        .collect();
    found.sort();
    found
}

const PRIVILEGED: &str = "CTR001";

#[test]
fn a_directory_project_merges_its_override_and_points_into_both_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "compose.yaml", "services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:16\n    privileged: true\n");
    write(dir.path(), "compose.override.yaml", "services:\n  web:\n    privileged: true\n");
    write(dir.path(), "docker-compose.prod.yml", "services:\n  job:\n    image: busybox\n    privileged: true\n");
    let result = scan_paths(&[dir.path().to_path_buf()]);
    assert!(result.report.errors.is_empty(), "{:?}", result.report.errors);
    assert_eq!(
        found(&result, PRIVILEGED),
        vec![("compose.override.yaml".into(), 3), ("compose.yaml".into(), 6), ("docker-compose.prod.yml".into(), 4)]
    );
}

#[test]
fn ignore_comments_above_a_value_or_a_service_silence_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "services:\n  web:\n    image: nginx\n    # rampart ignore=CTR001 reason=needs /dev access for the demo\n    privileged: true\n  other:\n    image: nginx\n    privileged: true\n";
    write(dir.path(), "compose.yaml", text);
    let result = scan_paths(&[dir.path().to_path_buf()]);
    assert_eq!(found(&result, PRIVILEGED), vec![("compose.yaml".into(), 8)]);
    assert!(result.report.summary.suppressed >= 1);
}

#[test]
fn a_file_compose_rejects_is_an_input_error_with_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "docker-compose.yml", "services:\n  web:\n    image: nginx\n    privilegd: true\n");
    let result = scan_paths(&[dir.path().join("docker-compose.yml")]);
    let error = result.report.errors.first().expect("an error");
    assert_eq!((error.line, error.column), (Some(4), Some(5)));
    assert!(error.message.contains("privilegd"), "{}", error.message);
    assert!(result.report.findings.is_empty());
}
