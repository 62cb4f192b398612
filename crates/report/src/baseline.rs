//! `--baseline previous.json`: keep only the findings that are new since an earlier report, and
//! say what was fixed. Findings are matched by rule, place (file path or object) and a hash of
//! what was seen (the evidence, else the message, whitespace collapsed), never by line numbers,
//! so a finding that moved because lines were added above it is still the same finding.

use rampart_model::{Finding, Notice, Report, Severity};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A finding's identity across runs: `RULE|place|sha256 prefix of what was seen`.
pub fn fingerprint(finding: &Finding) -> String {
    let place = finding.location.path.as_deref().or(finding.location.object.as_deref()).unwrap_or("");
    let seen = finding.evidence.as_deref().unwrap_or(&finding.message);
    let normalised: Vec<&str> = seen.split_whitespace().collect();
    let digest = Sha256::digest(normalised.join(" ").as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{}|{place}|{hex}", finding.rule)
}

/// Removes from `report` the findings already in `baseline` (counted as suppressed), and adds a
/// notice of kind `fixed` for each baseline finding that is gone. Summary counts follow.
pub fn apply_baseline(report: &mut Report, baseline: &Report) {
    let mut known: HashMap<String, usize> = HashMap::new();
    for finding in &baseline.findings {
        *known.entry(fingerprint(finding)).or_default() += 1;
    }
    let before = report.findings.len();
    report.findings.retain(|finding| match known.get_mut(&fingerprint(finding)) {
        Some(count) if *count > 0 => {
            *count -= 1;
            false
        }
        _ => true,
    });
    // What is left in `known` matched nothing this time: fixed.
    for finding in &baseline.findings {
        let key = fingerprint(finding);
        if let Some(count) = known.get_mut(&key) {
            if *count > 0 {
                *count -= 1;
                let place = finding.location.path.clone().or_else(|| finding.location.object.clone()).unwrap_or_default();
                report.notices.push(Notice {
                    kind: "fixed".into(),
                    path: place,
                    line: finding.location.line,
                    message: format!("{} fixed since the baseline: {}", finding.rule, finding.message),
                });
            }
        }
    }
    let count = |sev| report.findings.iter().filter(|f| f.severity == sev).count();
    let (critical, high, medium, low, info) =
        (count(Severity::Critical), count(Severity::High), count(Severity::Medium), count(Severity::Low), count(Severity::Info));
    let summary = &mut report.summary;
    summary.suppressed += before - report.findings.len();
    summary.findings = report.findings.len();
    (summary.critical, summary.high, summary.medium, summary.low, summary.info) = (critical, high, medium, low, info);
}
