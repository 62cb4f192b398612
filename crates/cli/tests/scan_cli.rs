//! `rampart scan` end to end, against the real binary: ignore comments, rampart.toml, file
//! discovery, exit codes, and bad input.
//!
//! Each test builds its own files in a temporary directory. Most use DKF001 (`sudo` in RUN,
//! aliased to hadolint's DL3004) because a line with `sudo` trips it and nothing else about
//! suppression.

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// `(rule, path, line)` of every finding of `rule`.
    fn findings_of(&self, rule: &str) -> Vec<(String, u64)> {
        let report = self.json();
        report["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| (f["location"]["path"].as_str().unwrap_or_default().to_string(), f["location"]["line"].as_u64().unwrap_or(0)))
            .collect()
    }

    fn notices(&self, kind: &str) -> Vec<(String, Option<u64>, String)> {
        self.json()["notices"]
            .as_array()
            .expect("notices array")
            .iter()
            .filter(|n| n["kind"] == kind)
            .map(|n| {
                (n["path"].as_str().unwrap_or_default().to_string(), n["line"].as_u64(), n["message"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    }

    fn summary(&self, field: &str) -> u64 {
        self.json()["summary"][field].as_u64().unwrap_or_else(|| panic!("summary.{field}"))
    }

    /// The exit code the findings call for at threshold `fail_on`, with no input errors: other
    /// rules may fire on a fixture too, so tests about one rule derive it rather than assume it.
    fn expected_exit(&self, fail_on: &str) -> i32 {
        let order = ["info", "low", "medium", "high", "critical"];
        let rank = |s: &str| order.iter().position(|o| *o == s).unwrap_or_else(|| panic!("severity {s}"));
        let threshold = rank(fail_on);
        let findings = self.json()["findings"].as_array().expect("findings array").clone();
        i32::from(findings.iter().any(|f| rank(f["severity"].as_str().unwrap_or_default()) >= threshold))
    }

    fn errors(&self) -> Vec<Value> {
        self.json()["errors"].as_array().expect("errors array").clone()
    }
}

/// Runs `command`, checks it did not panic, and captures what it printed.
fn run_command(mut command: Command) -> Run {
    let output = command.output().expect("the rampart binary runs");
    let run = Run {
        code: output.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "rampart panicked:\n{}", run.stderr);
    run
}

fn rampart_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(cargo_bin!("rampart"));
    command.current_dir(dir).args(args).env("NO_COLOR", "1");
    command
}

/// `rampart <args>` in `dir`.
fn rampart(dir: &Path, args: &[&str]) -> Run {
    run_command(rampart_command(dir, args))
}

/// `rampart scan -f json <args>` in `dir`, without any config unless the args name one.
fn scan_json(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan", "-f", "json"];
    if !args.iter().any(|a| a.starts_with("--config")) {
        all.push("--no-config");
    }
    all.extend_from_slice(args);
    rampart(dir, &all)
}

fn write(dir: &Path, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write fixture");
    path
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

// ---------------------------------------------------------------------------------------------
// Ignore comments

#[test]
fn ignore_comment_silences_the_whole_next_instruction_only() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\n\
         # rampart ignore=DKF001 reason=the vendor installer insists\n\
         RUN apt-get update && \\\n    sudo true\n\
         RUN sudo true\n",
    );
    let run = scan_json(dir.path(), &["Dockerfile"]);
    // The continuation line (4) is silenced with its instruction; line 5 is not.
    assert_eq!(run.findings_of("DKF001"), vec![("Dockerfile".to_string(), 5)], "{}", run.stdout);
    assert_eq!(run.summary("suppressed"), 1);
    assert!(run.json()["notices"].as_array().expect("notices").is_empty(), "{}", run.stdout);
    assert_eq!(run.code, 1, "DKF001 is medium, the default threshold");
}

#[test]
fn a_block_of_comments_and_a_comment_inside_a_continuation_both_attach() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\n\
         # rampart ignore=DKF001 reason=needed\n\
         # installs the agent\n\
         RUN sudo true\n\
         RUN true && \\\n    # rampart ignore=sudo-in-run reason=named by rule name\n    sudo true\n",
    );
    let run = scan_json(dir.path(), &["Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![], "{}", run.stdout);
    assert_eq!(run.summary("suppressed"), 2);
    assert_eq!(run.code, run.expected_exit("medium"));
}

#[test]
fn ignore_comment_separated_by_a_blank_line_silences_nothing_and_says_so() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\n# rampart ignore=DKF001 reason=x\n\nRUN sudo true\n");
    let run = scan_json(dir.path(), &["Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![("Dockerfile".to_string(), 4)]);
    let unused = run.notices("unused-ignore");
    assert_eq!(unused.len(), 1, "{}", run.stdout);
    assert_eq!((unused[0].0.as_str(), unused[0].1), ("Dockerfile", Some(2)));
    assert!(unused[0].2.contains("not on the line(s) directly above"), "{}", unused[0].2);
}

#[test]
fn ignore_file_silences_the_rule_everywhere_in_the_file() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN sudo a\n# rampart ignore-file=DKF001 reason=builder image\nRUN sudo b\n");
    write(dir.path(), "other/Dockerfile", "FROM debian:12\nRUN sudo c\n");
    let run = scan_json(dir.path(), &["."]);
    // Only the other file still has its finding.
    let found = run.findings_of("DKF001");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.ends_with("other/Dockerfile"), "{found:?}");
    assert_eq!(run.summary("suppressed"), 2);
}

#[test]
fn hadolint_pragmas_work_through_aliases() {
    let dir = tempdir();
    write(
        dir.path(),
        "next.Dockerfile",
        "FROM debian:12\n# hadolint ignore=DL3008,DL3004\nRUN sudo apt-get install -y curl\nRUN sudo true\n",
    );
    write(dir.path(), "global.Dockerfile", "FROM debian:12\n# hadolint global ignore=DL3004\nRUN sudo a\nRUN sudo b\n");
    let run = scan_json(dir.path(), &["next.Dockerfile", "global.Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![("next.Dockerfile".to_string(), 4)], "{}", run.stdout);
    assert_eq!(run.notices("ignore-without-reason"), vec![], "hadolint comments have no reason field");
    // DL9999 is no rampart alias: hadolint comments may name checks rampart does not have.
    write(dir.path(), "unknown.Dockerfile", "FROM debian:12\n# hadolint ignore=DL9999\nRUN true\n");
    let run = scan_json(dir.path(), &["unknown.Dockerfile"]);
    assert_eq!(run.notices("unknown-rule"), vec![]);
    assert_eq!(run.notices("unused-ignore"), vec![]);
}

#[test]
fn unused_unknown_and_reasonless_ignores_are_notices_with_path_and_line() {
    let dir = tempdir();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:12\n\
         # rampart ignore=DKF001 reason=stale\n\
         RUN true\n\
         # rampart ignore=DKF999,DKF001\n\
         RUN sudo true\n\
         # hadolint ignore=DL3004\n\
         RUN echo no sudo here\n",
    );
    let run = scan_json(dir.path(), &["Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![]);
    let unused = run.notices("unused-ignore");
    let lines: Vec<_> = unused.iter().map(|n| (n.0.as_str(), n.1)).collect();
    assert_eq!(lines, vec![("Dockerfile", Some(2)), ("Dockerfile", Some(6))], "{unused:?}");
    let unknown = run.notices("unknown-rule");
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].1, Some(4));
    assert!(unknown[0].2.contains("DKF999"));
    let reasonless = run.notices("ignore-without-reason");
    assert_eq!(reasonless.iter().map(|n| n.1).collect::<Vec<_>>(), vec![Some(4)], "{reasonless:?}");
    // Notices never change the exit code.
    assert_eq!(run.code, run.expected_exit("medium"));
}

#[test]
fn malformed_ignore_comment_is_a_notice() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\n# rampart ignore DKF001\nRUN sudo true\n");
    let run = scan_json(dir.path(), &["Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 1);
    let invalid = run.notices("invalid-ignore");
    assert_eq!(invalid.len(), 1, "{}", run.stdout);
    assert_eq!(invalid[0].1, Some(2));
}

#[test]
fn tty_output_lists_notices_and_counts_suppressed_findings() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\n# rampart ignore=DKF001\nRUN sudo true\nRUN sudo false\n");
    let run = rampart(dir.path(), &["scan", "--no-config", "Dockerfile"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("1 suppressed"), "{}", run.stdout);
    assert!(run.stdout.contains("ignore-without-reason"), "{}", run.stdout);
    assert!(run.stdout.contains("Dockerfile:2"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// rampart.toml and flags

#[test]
fn config_ignore_severity_and_fail_on() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN sudo true\n");
    // A lower severity drops the finding under the default threshold (medium).
    write(dir.path(), "rampart.toml", "[severity]\nDL3004 = \"low\"\n");
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "Dockerfile"]);
    let findings = run.json()["findings"].clone();
    let sudo: Vec<_> = findings.as_array().expect("array").iter().filter(|f| f["rule"] == "DKF001").collect();
    assert_eq!(sudo.len(), 1);
    assert_eq!(sudo[0]["severity"], "low");
    assert_eq!(run.summary("low"), run.json()["findings"].as_array().expect("array").iter().filter(|f| f["severity"] == "low").count() as u64);
    // `fail-on` from the config, and the flag winning over it.
    write(dir.path(), "rampart.toml", "fail-on = \"low\"\n[severity]\nDKF001 = \"low\"\n");
    let only_sudo = ["--ignore", &other_rules_than("DKF001").join(",")];
    let mut args = vec!["--config", "rampart.toml"];
    args.extend_from_slice(&only_sudo);
    args.push("Dockerfile");
    assert_eq!(scan_json(dir.path(), &args).code, 1);
    args.extend_from_slice(&["--fail-on", "high"]);
    assert_eq!(scan_json(dir.path(), &args).code, 0);
    // `ignore` switches the rule off and counts it as suppressed.
    write(dir.path(), "rampart.toml", "ignore = [\"sudo-in-run\"]\n");
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![]);
    assert!(run.summary("suppressed") >= 1);
}

/// Codes of every rule but `keep`, to isolate one rule's effect on the exit code.
fn other_rules_than(keep: &str) -> Vec<String> {
    let dir = tempdir();
    let run = rampart(dir.path(), &["rules", "--format", "json"]);
    let rules: Value = serde_json::from_str(&run.stdout).expect("rules json");
    let list = rules.as_array().or_else(|| rules["rules"].as_array()).expect("a list of rules");
    let codes: Vec<String> = list.iter().filter_map(|r| r["code"].as_str()).filter(|c| *c != keep).map(str::to_string).collect();
    if codes.is_empty() {
        // clap rejects an empty `--ignore` value; name the kept rule's unknown twin instead.
        vec!["DKF999".to_string()]
    } else {
        codes
    }
}

#[test]
fn trusted_registries_from_the_config_reach_the_rules() {
    let dir = tempdir();
    write(dir.path(), "a.Dockerfile", "FROM debian:12\n");
    write(dir.path(), "b.Dockerfile", "FROM ghcr.io/acme/base:1.2\n");
    // DKF043 (untrusted-registry, hadolint's DL3026) is silent without a list.
    let run = scan_json(dir.path(), &["a.Dockerfile", "b.Dockerfile"]);
    assert_eq!(run.findings_of("DKF043"), vec![]);
    write(dir.path(), "rampart.toml", "trusted-registries = [\"ghcr.io/acme\"]\n");
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "a.Dockerfile", "b.Dockerfile"]);
    assert_eq!(run.findings_of("DKF043"), vec![("a.Dockerfile".to_string(), 1)]);
}

#[test]
fn config_is_found_in_parent_directories_up_to_the_git_root() {
    let dir = tempdir();
    let repo = dir.path().join("repo");
    let nested = repo.join("services/api");
    write(&nested, "Dockerfile", "FROM debian:12\nRUN sudo true\n");
    git_init(&repo);
    write(&repo, "rampart.toml", "ignore = [\"DKF001\"]\n");
    let run = rampart(&nested, &["scan", "-f", "json", "Dockerfile"]);
    assert_eq!(run.findings_of("DKF001"), vec![], "config in the repository root applies");
    // --no-config ignores it.
    let run = rampart(&nested, &["scan", "-f", "json", "--no-config", "Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 1);
    // A config above the git root is not picked up.
    std::fs::remove_file(repo.join("rampart.toml")).expect("rm");
    write(dir.path(), "rampart.toml", "ignore = [\"DKF001\"]\n");
    let run = rampart(&nested, &["scan", "-f", "json", "Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 1, "a config outside the repository must not apply");
}

#[test]
fn config_exclude_and_ignore_path_are_relative_to_the_config() {
    let dir = tempdir();
    write(dir.path(), "app/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "vendor/lib/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "legacy/old/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(
        dir.path(),
        "rampart.toml",
        "exclude = [\"vendor/**\"]\n\n[[ignore-path]]\npath = \"legacy/**\"\nrules = [\"DL3004\"]\nreason = \"frozen\"\n",
    );
    // Run from a subdirectory, naming the root: paths still resolve from the config's folder.
    let run = rampart(&dir.path().join("app"), &["scan", "-f", "json", "--config", "../rampart.toml", ".."]);
    let found: Vec<String> = run.findings_of("DKF001").into_iter().map(|(path, _)| path).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with("app/Dockerfile"), "{found:?}");
    assert_eq!(run.summary("files"), 2, "vendor/ is not scanned; legacy/ is, its finding suppressed");
    assert_eq!(run.summary("suppressed"), 1);
    // A file named explicitly is analysed even when excluded.
    let run = rampart(dir.path(), &["scan", "-f", "json", "vendor/lib/Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 1);
}

#[test]
fn invalid_config_is_exit_2_with_file_line_and_column() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN true\n");
    write(dir.path(), "rampart.toml", "ignore = [\"DKF001\"]\nfail_on = \"high\"\n");
    let run = rampart(dir.path(), &["scan", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("rampart.toml:2:1: unknown key `fail_on`"), "{}", run.stderr);
    write(dir.path(), "rampart.toml", "[severity]\nDKF001 = \"severe\"\n");
    let run = rampart(dir.path(), &["scan", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("rampart.toml:2:10:") && run.stderr.contains("severe"), "{}", run.stderr);
    let run = rampart(dir.path(), &["scan", "--config", "missing.toml", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
}

#[test]
fn unknown_rules_in_config_and_flags_are_notices() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN true\n");
    write(dir.path(), "rampart.toml", "\nignore = [\"DKF001\", \"NOPE123\"]\n");
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "--ignore", "ALSO-NOPE", "Dockerfile"]);
    let unknown = run.notices("unknown-rule");
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert!(unknown[0].0.ends_with("rampart.toml") && unknown[0].1 == Some(2) && unknown[0].2.contains("NOPE123"), "{unknown:?}");
    assert!(unknown[1].2.contains("ALSO-NOPE"), "{unknown:?}");
    assert_ne!(run.code, 2);
}

#[test]
fn ignore_flag_is_repeatable_and_takes_lists() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN sudo true\n");
    for args in [&["--ignore", "DKF001"][..], &["--ignore", "DL3999", "--ignore", "DL3004"], &["--ignore", "DL3999,sudo-in-run"]] {
        let mut all = args.to_vec();
        all.push("Dockerfile");
        let run = scan_json(dir.path(), &all);
        assert_eq!(run.findings_of("DKF001"), vec![], "{args:?}");
        assert!(run.summary("suppressed") >= 1);
    }
}

#[test]
fn max_file_size_from_config_and_flag() {
    let dir = tempdir();
    let padding = "# padding\n".repeat(200);
    write(dir.path(), "Dockerfile", format!("FROM debian:12\nRUN sudo true\n{padding}"));
    write(dir.path(), "rampart.toml", "max-file-size = \"1KB\"\n");
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Dockerfile") && run.stderr.contains("1000-byte limit"), "{}", run.stderr);
    let run = scan_json(dir.path(), &["--config", "rampart.toml", "--max-file-size", "1MiB", "Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 1, "the flag wins: {}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Discovery, exit codes and -o

fn git_init(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let status = Command::new("git").args(["init", "-q"]).current_dir(dir).status().expect("git is installed (scripts/test.sh installs it)");
    assert!(status.success(), "git init failed");
}

#[test]
fn discovery_respects_gitignore_in_a_real_repository_and_rampartignore() {
    let dir = tempdir();
    git_init(dir.path());
    write(dir.path(), ".gitignore", "build/\n");
    write(dir.path(), "build/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "skip/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), ".rampartignore", "skip/\n");
    write(dir.path(), "app/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "app/Dockerfile.prod", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "app/web.Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "app/Containerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), ".devcontainer/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "app/notes.txt", "FROM debian:12\nRUN sudo true\n");
    write(dir.path(), "app/build.sh", "sudo true\n");
    // `rampart scan` without paths scans the current directory.
    let run = scan_json(dir.path(), &[]);
    let mut found: Vec<String> = run.findings_of("DKF001").into_iter().map(|(path, _)| path.trim_start_matches("./").to_string()).collect();
    found.sort();
    assert_eq!(
        found,
        vec![".devcontainer/Dockerfile", "app/Containerfile", "app/Dockerfile", "app/Dockerfile.prod", "app/web.Dockerfile"],
        "{}",
        run.stdout
    );
    // A file named explicitly is analysed whatever its name, and even when ignored.
    let run = scan_json(dir.path(), &["app/notes.txt", "build/Dockerfile"]);
    assert_eq!(run.findings_of("DKF001").len(), 2, "{}", run.stdout);
}

#[test]
fn exit_codes_follow_the_threshold() {
    let dir = tempdir();
    write(dir.path(), "clean/Dockerfile", "FROM debian:12\n");
    write(dir.path(), "mixed/Dockerfile", "FROM debian:12\nRUN sudo true\nRUN curl -k https://example.com/x | sh\n");
    let report = scan_json(dir.path(), &["--fail-on", "never", "mixed/Dockerfile"]);
    assert_eq!(report.code, 0, "`never`: findings do not fail the run");
    let severities: std::collections::BTreeSet<String> =
        report.json()["findings"].as_array().expect("array").iter().filter_map(|f| f["severity"].as_str().map(str::to_string)).collect();
    assert!(severities.len() >= 2, "the fixture should produce findings of several severities: {severities:?}");
    for threshold in ["info", "low", "medium", "high", "critical"] {
        let run = scan_json(dir.path(), &["--fail-on", threshold, "mixed/Dockerfile"]);
        assert_eq!(run.code, report.expected_exit(threshold), "--fail-on {threshold} with {severities:?}");
    }
    // Default threshold: medium; DKF001 is medium.
    assert_eq!(scan_json(dir.path(), &["mixed/Dockerfile"]).code, 1);
    // Nothing left: 0 even at `info`, and the silenced findings are counted.
    let clean = scan_json(dir.path(), &["--fail-on", "info", "--ignore", &all_rules().join(","), "clean/Dockerfile", "mixed/Dockerfile"]);
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert_eq!(clean.summary("findings"), 0);
    assert_eq!(clean.summary("suppressed"), report.summary("findings") + scan_json(dir.path(), &["clean/Dockerfile"]).summary("findings"));
    // Usage errors are 2 too.
    assert_eq!(rampart(dir.path(), &["scan", "--fail-on", "loud"]).code, 2);
    assert_eq!(rampart(dir.path(), &["scan", "--config", "a.toml", "--no-config"]).code, 2);
    assert_eq!(rampart(dir.path(), &["scan", "--max-file-size", "huge"]).code, 2);
}

fn all_rules() -> Vec<String> {
    let mut codes = other_rules_than("");
    codes.retain(|c| c != "DKF999");
    codes
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", "FROM debian:12\nRUN sudo true\n");
    let run = rampart(dir.path(), &["scan", "--no-config", "-f", "json", "-o", "report.json", "Dockerfile"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).expect("report written")).expect("json");
    assert!(report["findings"].as_array().expect("array").iter().any(|f| f["rule"] == "DKF001"));
    let run = rampart(dir.path(), &["scan", "--no-config", "-o", "no/such/dir/report.txt", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/dir/report.txt"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Bad input: a clear error naming the file (and line), exit 2, the other files still analysed,
// no panic.

/// A good file next to the bad one, whose finding proves the scan went on.
fn with_good_file(dir: &Path) {
    write(dir, "good/Dockerfile", "FROM debian:12\nRUN sudo true\n");
}

/// Scans `good/Dockerfile` and `bad`, expects exit 2, one error naming `bad`, the good file's
/// finding, and `expect` in stderr. Returns the error.
fn assert_bad_input(dir: &Path, bad: &str, extra_args: &[&str], expect: &str) -> Value {
    let mut args = extra_args.to_vec();
    args.extend_from_slice(&["good/Dockerfile", bad]);
    let run = scan_json(dir, &args);
    assert_eq!(run.code, 2, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(run.findings_of("DKF001"), vec![("good/Dockerfile".to_string(), 2)], "the good file is still analysed");
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], bad);
    assert!(run.stderr.contains(&format!("rampart: error: {bad}")), "stderr names the file:\n{}", run.stderr);
    assert!(run.stderr.contains(expect), "stderr says `{expect}`:\n{}", run.stderr);
    errors[0].clone()
}

#[test]
fn binary_file() {
    let dir = tempdir();
    with_good_file(dir.path());
    write(dir.path(), "image.Dockerfile", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00");
    let error = assert_bad_input(dir.path(), "image.Dockerfile", &[], "binary");
    assert!(error["line"].is_u64(), "{error}");
}

#[test]
fn invalid_utf8() {
    let dir = tempdir();
    with_good_file(dir.path());
    write(dir.path(), "latin1.Dockerfile", b"FROM debian:12\nLABEL author=\"Fran\xe7ois\"\n");
    let error = assert_bad_input(dir.path(), "latin1.Dockerfile", &[], "UTF-8");
    assert_eq!(error["line"], 2, "{error}");
}

#[test]
fn fifty_megabyte_file() {
    let dir = tempdir();
    with_good_file(dir.path());
    let padding = "# generated padding line to make the file large\n".repeat(50 * 1024 * 1024 / 48 + 1);
    write(dir.path(), "huge.Dockerfile", format!("FROM debian:12\nRUN sudo true\n{padding}"));
    let error = assert_bad_input(dir.path(), "huge.Dockerfile", &[], "limit");
    assert!(error["message"].as_str().is_some_and(|m| m.contains("--max-file-size")), "{error}");
    // Allowed with a larger limit: parsed and checked like any other file.
    let run = scan_json(dir.path(), &["--max-file-size", "64MiB", "huge.Dockerfile"]);
    assert_eq!(run.errors(), Vec::<Value>::new(), "{}", run.stderr);
    assert_eq!(run.findings_of("DKF001"), vec![("huge.Dockerfile".to_string(), 2)]);
}

#[test]
fn unterminated_heredoc() {
    let dir = tempdir();
    with_good_file(dir.path());
    write(dir.path(), "heredoc.Dockerfile", "FROM debian:12\nRUN <<EOF\necho hello\n");
    let error = assert_bad_input(dir.path(), "heredoc.Dockerfile", &[], "heredoc");
    assert_eq!(error["line"], 2, "{error}");
}

/// BuildKit ends an instruction whose last line continues at the end of the file; so does
/// rampart (an error here would reject files `docker build` accepts).
#[test]
fn line_continuation_at_end_of_file_is_accepted_like_buildkit() {
    let dir = tempdir();
    write(dir.path(), "a.Dockerfile", "FROM debian:12\nRUN true && \\\n    sudo true \\\n");
    write(dir.path(), "b.Dockerfile", "FROM debian:12\nRUN sudo true \\\n    # only a comment follows\n");
    write(dir.path(), "c.Dockerfile", "FROM debian:12\nRUN sudo true \\");
    let run = scan_json(dir.path(), &["a.Dockerfile", "b.Dockerfile", "c.Dockerfile"]);
    assert_eq!(run.errors(), Vec::<Value>::new(), "{}", run.stderr);
    assert_eq!(
        run.findings_of("DKF001"),
        vec![("a.Dockerfile".to_string(), 3), ("b.Dockerfile".to_string(), 2), ("c.Dockerfile".to_string(), 2)]
    );
}

#[test]
fn unknown_instruction() {
    let dir = tempdir();
    with_good_file(dir.path());
    write(dir.path(), "typo.Dockerfile", "FROM debian:12\nRUNN apt-get update\n");
    let error = assert_bad_input(dir.path(), "typo.Dockerfile", &[], "RUNN");
    assert_eq!(error["line"], 2, "{error}");
}

#[test]
fn missing_path() {
    let dir = tempdir();
    with_good_file(dir.path());
    assert_bad_input(dir.path(), "no/such/Dockerfile", &[], "No such file");
}

#[test]
fn fifo_is_refused_without_blocking() {
    let dir = tempdir();
    with_good_file(dir.path());
    let status = Command::new("mkfifo").arg(dir.path().join("Dockerfile.fifo")).status().expect("mkfifo runs");
    assert!(status.success());
    // Opening a FIFO for reading would block forever; it must be refused up front.
    assert_bad_input(dir.path(), "Dockerfile.fifo", &[], "not a regular file");
}

/// A directory the scan may not enter. Root ignores permission bits (CAP_DAC_OVERRIDE), so as
/// root the binary runs under `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH removed
/// from its capability bounding set: still uid 0, but bound by permissions like any user. As
/// any other user, a directory with mode 000 is enough.
#[test]
fn directory_without_permission() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempdir();
    with_good_file(dir.path());
    write(dir.path(), "locked/Dockerfile", "FROM debian:12\nRUN sudo true\n");
    let locked = dir.path().join("locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod 000");
    // Restore the mode even when an assertion fails, so the tempdir can be removed.
    struct Unlock(PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
    let _unlock = Unlock(locked.clone());

    let running_as_root = std::fs::metadata(dir.path().join("good/Dockerfile")).expect("stat").uid() == 0;
    let args = ["scan", "-f", "json", "--no-config", "good", "locked"];
    let command = if running_as_root {
        let mut command = Command::new("setpriv");
        command
            .arg("--bounding-set=-dac_override,-dac_read_search")
            .arg(cargo_bin!("rampart"))
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1");
        command
    } else {
        rampart_command(dir.path(), &args)
    };
    let run = run_command(command);
    assert_eq!(run.code, 2, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert_eq!(run.findings_of("DKF001"), vec![("good/Dockerfile".to_string(), 2)]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "locked");
    assert!(run.stderr.contains("rampart: error: locked") && run.stderr.contains("Permission denied"), "{}", run.stderr);
}
