//! Every `--format` end to end, through the real binary: the output parses as its format, says
//! what the JSON says, and colour follows NO_COLOR / CLICOLOR_FORCE.

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Flagged by DKF001 (`sudo` in RUN) on line 3, and by nothing else today.
const SUDO_DOCKERFILE: &str = "FROM debian:12\nUSER app\nRUN sudo true\n";
/// Flagged by no rule: if a new rule flags it, change the fixture, not the rule.
const CLEAN_DOCKERFILE: &str = "FROM scratch\nCOPY app /app\nUSER 1000\n";

/// A project with one flagged Dockerfile and one clean one.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    std::fs::create_dir_all(dir.path().join("clean")).unwrap();
    std::fs::write(dir.path().join("app/Dockerfile"), SUDO_DOCKERFILE).unwrap();
    std::fs::write(dir.path().join("clean/Dockerfile"), CLEAN_DOCKERFILE).unwrap();
    dir
}

/// `rampart scan --no-config <args>` in `dir`, with no colour variables inherited.
fn scan(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(cargo_bin!("rampart"));
    command.current_dir(dir).arg("scan").arg("--no-config").args(args);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().expect("the rampart binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "rampart panicked:\n{stderr}");
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("output is UTF-8")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(output)))
}

fn sudo_findings(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == "DKF001").collect()
}

#[test]
fn json_reports_the_finding_and_exits_1() {
    let dir = project();
    let output = scan(dir.path(), &["--format", "json", "app", "clean"], &[]);
    let report = json(&output);
    let findings = sudo_findings(&report);
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!(findings[0]["location"]["path"], "app/Dockerfile");
    assert_eq!(findings[0]["location"]["line"], 3);
    assert_eq!(output.status.code(), Some(1), "a medium finding fails the default --fail-on medium");
}

fn sarif_schema() -> Value {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../report/tests/schemas/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the vendored SARIF schema")).unwrap()
}

#[test]
fn sarif_is_valid_and_carries_the_whole_rule_table() {
    let dir = project();
    let output = scan(dir.path(), &["--format", "sarif", "app", "clean"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let log = json(&output);
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rampart_rules::RULES.len());
    let result = run["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "DKF001").expect("a DKF001 result");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "DKF001");
    assert!(rules[index]["help"]["markdown"].as_str().unwrap().contains("## Why it matters"));
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "app/Dockerfile");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(result["level"], "warning");
}

#[test]
fn sarif_reports_unreadable_input_as_a_notification() {
    let dir = project();
    std::fs::write(dir.path().join("app/Dockerfile.bin"), b"\x00\x01\x02\xff\xfe binary").unwrap();
    let output = scan(dir.path(), &["--format", "sarif", "-o", "out.sarif", "app", "clean"], &[]);
    assert_eq!(output.status.code(), Some(2), "an unreadable input exits 2");
    assert!(output.stdout.is_empty(), "-o writes the file, not stdout");
    let log: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap()).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "app/Dockerfile.bin");
    // The other files were still analysed.
    assert!(log["runs"][0]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "DKF001"));
}

#[test]
fn junit_has_a_suite_per_file_and_a_passing_case_for_clean_files() {
    let dir = project();
    let output = scan(dir.path(), &["--format", "junit", "app", "clean"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let xml = stdout(&output);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "), "{xml}");
    assert!(xml.contains("<testsuite name=\"app/Dockerfile\" tests=\""), "{xml}");
    assert!(xml.contains("<testsuite name=\"clean/Dockerfile\" tests=\"1\" failures=\"0\" errors=\"0\""), "{xml}");
    assert!(xml.contains("type=\"medium\""), "{xml}");
    assert!(xml.contains("DKF001: Do not use sudo in RUN at 3:"), "{xml}");
    assert!(xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn markdown_groups_findings_by_section() {
    let dir = project();
    let output = scan(dir.path(), &["--format", "markdown", "app", "clean"], &[]);
    assert_eq!(output.status.code(), Some(1));
    let md = stdout(&output);
    assert!(md.starts_with("# rampart report\n"), "{md}");
    assert!(md.contains("## Container isolation ("), "{md}");
    assert!(md.contains("### `DKF001` Do not use sudo in RUN"), "{md}");
    assert!(md.contains("- **Location:** `app/Dockerfile:3:"), "{md}");
}

#[test]
fn tty_shows_the_line_and_colours_only_when_asked() {
    let dir = project();
    // Into a pipe: no colour, whatever the terminal would have done.
    let plain = stdout(&scan(dir.path(), &["app/Dockerfile"], &[]));
    assert!(!plain.contains('\u{1b}'), "colour in a pipe:\n{plain}");
    assert!(plain.contains("  3 | RUN sudo true\n"), "the flagged line is shown:\n{plain}");
    assert!(plain.contains('^'), "the span is marked:\n{plain}");

    let forced = stdout(&scan(dir.path(), &["app/Dockerfile"], &[("CLICOLOR_FORCE", "1")]));
    assert!(forced.contains("\u{1b}["), "CLICOLOR_FORCE=1 colours even a pipe:\n{forced}");

    let vetoed = stdout(&scan(dir.path(), &["app/Dockerfile"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!vetoed.contains('\u{1b}'), "NO_COLOR wins over CLICOLOR_FORCE:\n{vetoed}");
}

#[test]
fn every_advertised_format_renders() {
    let dir = project();
    let clean = json(&scan(dir.path(), &["--format", "json", "clean"], &[]));
    assert_eq!(clean["findings"], serde_json::json!([]), "CLEAN_DOCKERFILE is no longer clean: adjust the fixture");
    for format in rampart_report::Format::NAMES {
        let output = scan(dir.path(), &["--format", format, "clean"], &[]);
        assert_eq!(output.status.code(), Some(0), "--format {format} on a clean file:\n{}", String::from_utf8_lossy(&output.stderr));
        assert!(!output.stdout.is_empty(), "--format {format} printed nothing");
    }
    let output = scan(dir.path(), &["--format", "yaml", "."], &[]);
    assert_eq!(output.status.code(), Some(2), "an unknown format is a usage error");
}
