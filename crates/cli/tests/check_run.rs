//! `rampart check-run`: one command line in, the same report formats and exit codes as `scan`.

use assert_cmd::Command;
use serde_json::Value;

fn rampart() -> Command {
    Command::cargo_bin("rampart").expect("the rampart binary is built")
}

fn json_report(args: &[&str]) -> (i32, Value) {
    let output = rampart().arg("check-run").args(["--format", "json", "--"]).args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap_or(-1), report)
}

fn rules_of(report: &Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_risky_command_is_flagged_with_positions_and_exit_1() {
    let (code, report) = json_report(&["docker", "run", "-d", "--privileged", "-v", "/var/run/docker.sock:/var/run/docker.sock", "nginx"]);
    assert_eq!(code, 1);
    let rules = rules_of(&report);
    assert!(rules.contains(&"CTR001".to_string()), "{rules:?}");
    assert!(rules.contains(&"CTR005".to_string()), "{rules:?}");
    let privileged = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "CTR001").unwrap();
    assert_eq!(privileged["location"]["path"], "<command line>");
    assert_eq!(privileged["location"]["column"], 15, "points at --privileged in `docker run -d --privileged ...`");
}

#[test]
fn a_hardened_command_has_nothing_at_medium_or_above() {
    let hardened = [
        "docker", "run", "-d", "--cap-drop", "ALL", "--read-only", "--tmpfs", "/tmp:rw,noexec,nosuid,size=16m",
        "--security-opt", "no-new-privileges", "--user", "65534:65534", "--memory", "128m", "--memory-swap", "128m",
        "--cpus", ".5", "--pids-limit", "100", "--restart", "on-failure:3", "--network", "aud-net-isolated", "-v",
        "aud-vol:/data", "--ulimit", "nofile=1024:1024", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
        "audit-bb-hardened:1",
    ];
    let (code, report) = json_report(&hardened);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report:#}");
}

#[test]
fn flags_alone_are_the_arguments_of_docker_run() {
    let (code, report) = json_report(&["--pid", "host", "img"]);
    assert_eq!(code, 1);
    assert!(rules_of(&report).contains(&"CTR008".to_string()));
}

#[test]
fn one_quoted_argument_is_read_with_shell_quoting() {
    let output = rampart().args(["check-run", "--fail-on", "high", "docker run -e 'A=b c' --net host img"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("high[NET001]"), "{stdout}");
    assert!(stdout.contains("1 | docker run -e 'A=b c' --net host img"), "{stdout}");
}

#[test]
fn fail_on_and_ignore_change_the_exit_code() {
    let output = rampart().args(["check-run", "--fail-on", "never", "--", "docker", "run", "--privileged", "img"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let output = rampart()
        .args(["check-run", "--fail-on", "critical", "--ignore", "CIS-5.5", "--", "docker", "run", "--privileged", "img"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
    let output = rampart().args(["check-run", "--ignore", "NOPE999", "--", "docker", "run", "img"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOPE999"));
}

#[test]
fn bad_command_lines_are_input_errors_with_exit_2() {
    for (args, message) in [
        (&["docker", "run", "--bogus", "img"][..], "unknown flag: --bogus"),
        (&["docker", "run", "--name"][..], "flag needs an argument: --name"),
        (&["docker", "run", "-d"][..], "requires an image"),
        (&["docker", "run", "-p", "99999:80", "img"][..], "invalid port"),
    ] {
        let (code, report) = json_report(args);
        assert_eq!(code, 2, "{args:?}");
        let error = &report["errors"][0];
        assert_eq!(error["path"], "<command line>");
        assert!(error["message"].as_str().unwrap().contains(message), "{args:?}: {error}");
    }
    let output = rampart().args(["check-run", "docker run -e 'unterminated img"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("unterminated single quote"));
    // Nothing after `check-run`: a usage error.
    assert_eq!(rampart().arg("check-run").output().unwrap().status.code(), Some(2));
}
