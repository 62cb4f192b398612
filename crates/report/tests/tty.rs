//! The terminal report: source lines with the span marked, no secret shown whole, no control
//! characters from scanned files reaching the terminal, colour only when asked.

mod common;

use common::*;
use rampart_model::{Finding, Location, Report};
use rampart_report::{render, render_plain, Format, RenderOptions};

fn tty(report: &Report, color: bool, source: &dyn Fn(&str) -> Option<String>) -> String {
    let rules = rules();
    let files = files();
    render(report, Format::Tty, &RenderOptions { color, source, rules: &rules, files: &files, snapshot: None, generated_at: None })
}

#[test]
fn shows_the_line_and_marks_the_span() {
    let out = tty(&report(), false, &source);
    assert!(out.contains("  --> app/Dockerfile:3:5\n    |\n  3 | RUN sudo apt-get update\n    |     ^^^^\n"), "{out}");
    assert!(out.contains("error: broken/Dockerfile:7:1: unterminated heredoc"), "{out}");
    assert!(out.contains("note[unused-ignore]: app/Dockerfile:2:"), "{out}");
    assert!(out.ends_with("5 finding(s) in 3 file(s): 1 critical, 0 high, 3 medium, 0 low, 1 info; 1 suppressed; 1 input error(s)\n"), "{out}");
}

#[test]
fn never_shows_a_redacted_secret_whole() {
    let out = tty(&report(), false, &source);
    assert!(!out.contains("ghp_0123456789abcdefghijABCDEFGHIJ012345"), "the secret leaked:\n{out}");
    // The line is still shown, with the secret masked character for character.
    assert!(out.contains(&format!("  4 | ENV API_TOKEN={}\n", "*".repeat(40))), "{out}");

    // When the secret cannot be found in the line again, the line is not shown at all.
    let mut finding = Finding::new(&SECRET, "a token", Location { path: Some(APP.into()), line: Some(3), column: Some(1), ..Location::default() });
    finding.set_evidence(rampart_model::redact("not-on-that-line-at-all"));
    let out = render_plain(&[finding], |_| Some(APP_SOURCE.to_string()));
    assert!(!out.contains(" | "), "{out}");
}

#[test]
fn a_url_password_is_masked_alone() {
    let line = "RUN git clone https://deploy:hunter2hunter2@git.example/repo.git";
    let mut finding = Finding::new(&SECRET, "a password", Location { path: Some(APP.into()), line: Some(1), column: Some(15), ..Location::default() });
    finding.set_evidence(format!("https://deploy:{}@git.example/repo.git", rampart_model::redact("hunter2hunter2")));
    let out = render_plain(&[finding], |_| Some(line.to_string()));
    assert!(out.contains("https://deploy:**************@git.example/repo.git"), "{out}");
}

#[test]
fn control_characters_do_not_reach_the_terminal() {
    let out = tty(&report(), false, &source);
    assert!(!out.contains('\u{1b}'), "an escape sequence from a finding reached the output");
    assert!(out.contains("\u{FFFD}[31mred"), "{out}");
    let colored = tty(&report(), true, &source);
    assert!(colored.contains("\u{1b}["), "colour was asked for");
}

#[test]
fn carets_line_up_after_tabs_and_survive_odd_positions() {
    let text = "RUN\tsudo x\n";
    let at = |line, column, end_column| Location { path: Some("t".into()), line: Some(line), column: Some(column), end_line: Some(line), end_column, object: None };
    let out = render_plain(&[Finding::new(&SUDO, "m", at(1, 5, Some(9)))], |_| Some(text.to_string()));
    assert!(out.contains("  1 | RUN\tsudo x\n    |    \t^^^^\n"), "{out:?}");
    // Line 0, a column past the end, a line past the end: no panic, and the header still says where.
    for location in [at(0, 1, None), at(1, 80, Some(90)), at(9, 1, None), at(1, 0, Some(0))] {
        let out = render_plain(&[Finding::new(&SUDO, "m", location)], |_| Some(text.to_string()));
        assert!(out.contains("  --> t:"), "{out}");
    }
}

#[test]
fn attack_paths_are_listed_before_the_findings() {
    let mut audited = report();
    audited.attack_paths = vec![rampart_model::AttackPath {
        title: "daemon on tcp://0.0.0.0:2375 without TLS client verification -> host root\u{1b}[2J".into(),
        steps: vec!["daemon on tcp://0.0.0.0:2375 without TLS client verification".into(), "host root".into()],
        findings: vec!["DMN001 daemon".into()],
        severity: rampart_model::Severity::Critical,
    }];
    let out = tty(&audited, false, &|_| None);
    let paths = out.find("Attack paths\n").expect("an attack paths section");
    let first_finding = out.find(&audited.findings[0].rule).expect("findings are shown");
    assert!(paths < first_finding, "{out}");
    assert!(out.contains("critical daemon on tcp://0.0.0.0:2375 without TLS client verification -> host root"), "{out}");
    assert!(out.contains("           daemon: DMN001\n"), "{out}");
    assert!(!out.contains('\u{1b}'), "control characters never reach the terminal");
    assert!(!tty(&report(), false, &|_| None).contains("Attack paths"));
}

#[test]
fn each_finding_shows_its_risk_and_top_reasons() {
    let mut report = report();
    if let Some(risk) = report.findings[0].risk.as_mut() {
        risk.reasons.extend(["published on every interface: 0.0.0.0:80->80/tcp", "privileged", "host pid namespace", "capability ALL"].map(String::from));
    }
    let out = tty(&report, false, &source);
    assert!(out.contains("  = risk 80: sensitive data, published on every interface: 0.0.0.0:80->80/tcp, privileged (+2)\n"), "{out}");
    assert!(out.contains("  = risk 30\n"), "{out}");
}
