//! `rampart scan` reads container command lines out of shell scripts, Makefiles and Markdown.

use rampart_scan::{scan, ScanOptions};
use std::path::PathBuf;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn scan_dir(dir: &std::path::Path) -> rampart_scan::ScanResult {
    scan(&ScanOptions { paths: vec![dir.to_path_buf()], ..ScanOptions::default() })
}

/// (file name, rule, line) of every finding of `rules`.
fn found(result: &rampart_scan::ScanResult, rules: &[&str]) -> Vec<(String, String, u32)> {
    let mut found: Vec<(String, String, u32)> = result
        .report
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule.as_str()))
        .map(|f| {
            let path = PathBuf::from(f.location.path.clone().unwrap_or_default());
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, f.rule.clone(), f.location.line.unwrap_or(0))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn scripts_makefiles_and_readmes_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# App\n\nRun:\n\n```console\n$ docker run -d --privileged app\nContainer started\n```\n");
    write(dir.path(), "deploy.sh", "#!/bin/sh\nset -e\ndocker run -d \\\n  --pid host app\n");
    write(dir.path(), "Makefile", "run:\n\t@docker run -v /:/host app\n");
    write(dir.path(), "start", "#!/usr/bin/env bash\nexec docker run --net host app\n");
    write(dir.path(), "notes.txt", "docker run --privileged ignored-not-a-script\n");
    write(dir.path(), "unrelated.sh", "echo hello\n");
    // Named explicitly, a file without a telling name is read by its `#!` line.
    let mut result = scan_dir(dir.path());
    let explicit = scan(&ScanOptions { paths: vec![dir.path().join("start")], ..ScanOptions::default() });
    result.report.findings.extend(explicit.report.findings);
    let got = found(&result, &["CTR001", "CTR008", "CTR006", "NET001"]);
    assert_eq!(
        got,
        vec![
            ("Makefile".into(), "CTR006".into(), 2),
            ("README.md".into(), "CTR001".into(), 6),
            ("deploy.sh".into(), "CTR008".into(), 4),
            ("start".into(), "NET001".into(), 2),
        ]
    );
    // Files with no container command are not counted as analysed.
    let names: Vec<String> = result.files.iter().map(|f| PathBuf::from(&f.path).file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(!names.contains(&"unrelated.sh".to_string()), "{names:?}");
    assert!(result.report.errors.is_empty(), "{:?}", result.report.errors);
}

#[test]
fn ignore_comments_work_above_command_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "run.sh",
        "# rampart ignore=CTR001 reason=the agent needs it\ndocker run --privileged agent\ndocker run --privileged other\n# rampart ignore=CTR008 reason=stale\necho not a container\n",
    );
    let result = scan_dir(dir.path());
    assert_eq!(found(&result, &["CTR001"]), vec![("run.sh".into(), "CTR001".into(), 3)]);
    assert_eq!(result.report.summary.suppressed, 1, "only the privileged agent on line 2 is silenced");
    let kinds: Vec<&str> = result.report.notices.iter().map(|n| n.kind.as_str()).collect();
    assert!(kinds.contains(&"unused-ignore"), "the ignore above no command is reported: {kinds:?}");
}

#[test]
fn broken_command_lines_are_input_errors_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.sh", "docker run --no-such-flag app\n");
    write(dir.path(), "quote.sh", "echo start\ndocker run -e 'A=1 app\n");
    let result = scan_dir(dir.path());
    let mut errors: Vec<(String, Option<u32>, Option<u32>, String)> = result
        .report
        .errors
        .iter()
        .map(|e| (PathBuf::from(&e.path).file_name().unwrap().to_string_lossy().into_owned(), e.line, e.column, e.message.clone()))
        .collect();
    errors.sort();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!((errors[0].0.as_str(), errors[0].1, errors[0].2), ("bad.sh", Some(1), Some(12)));
    assert!(errors[0].3.contains("unknown flag: --no-such-flag"), "{errors:?}");
    assert_eq!((errors[1].0.as_str(), errors[1].1, errors[1].2), ("quote.sh", Some(2), Some(15)));
    assert!(errors[1].3.contains("unterminated single quote"), "{errors:?}");
}
