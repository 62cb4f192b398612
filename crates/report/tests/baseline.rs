//! `--baseline`: only new findings remain, fixed ones become notices, moved lines still match.

use rampart_model::{Category, Finding, Location, Report, Severity};
use rampart_report::{apply_baseline, fingerprint};

fn finding(rule: &str, path: &str, line: u32, evidence: &str) -> Finding {
    Finding {
        rule: rule.into(),
        aliases: vec![],
        severity: Severity::High,
        category: Category::Image,
        checklist: vec![5],
        title: "t".into(),
        message: format!("{rule} here"),
        location: Location { path: Some(path.into()), line: Some(line), ..Location::default() },
        evidence: Some(evidence.into()),
        fix: None,
        risk: None,
    }
}

#[test]
fn only_new_findings_remain_and_fixed_ones_are_listed() {
    let baseline = Report::new(
        vec![finding("DKF001", "Dockerfile", 3, "RUN sudo x"), finding("DKF002", "Dockerfile", 5, "FROM a:latest")],
        vec![], vec![], 1, 0,
    );
    // Two lines were added above: DKF001 moved from line 3 to 5 and is the same finding.
    let mut current = Report::new(
        vec![finding("DKF001", "Dockerfile", 5, "RUN  sudo x"), finding("DKF003", "Dockerfile", 9, "ADD http://x /")],
        vec![], vec![], 1, 0,
    );
    apply_baseline(&mut current, &baseline);
    let rules: Vec<&str> = current.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["DKF003"]);
    assert_eq!(current.summary.findings, 1);
    assert_eq!(current.summary.high, 1);
    assert_eq!(current.summary.suppressed, 1);
    let fixed: Vec<&str> = current.notices.iter().filter(|n| n.kind == "fixed").map(|n| n.message.as_str()).collect();
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert!(fixed[0].starts_with("DKF002 fixed"), "{fixed:?}");
}

#[test]
fn the_fingerprint_ignores_lines_but_not_place_or_content() {
    let a = finding("DKF001", "Dockerfile", 3, "RUN sudo x");
    assert_eq!(fingerprint(&a), fingerprint(&finding("DKF001", "Dockerfile", 40, "RUN sudo x")));
    assert_ne!(fingerprint(&a), fingerprint(&finding("DKF001", "other/Dockerfile", 3, "RUN sudo x")));
    assert_ne!(fingerprint(&a), fingerprint(&finding("DKF001", "Dockerfile", 3, "RUN sudo y")));
    assert_ne!(fingerprint(&a), fingerprint(&finding("DKF009", "Dockerfile", 3, "RUN sudo x")));
    // Two identical findings need two baseline entries.
    let baseline = Report::new(vec![a.clone()], vec![], vec![], 1, 0);
    let mut current = Report::new(vec![a.clone(), a], vec![], vec![], 1, 0);
    apply_baseline(&mut current, &baseline);
    assert_eq!(current.findings.len(), 1);
}
