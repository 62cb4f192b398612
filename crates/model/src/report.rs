//! The result of one rampart run: the documented JSON contract (docs/json-output.md).

use crate::{assess, container_factors, find_attack_paths, AttackPath, ChecklistAnswer, Finding, RiskFactor, Severity, Snapshot};
use std::collections::HashMap;
use serde::{Deserialize, Serialize};

/// Bumped only on purpose, when a field is renamed, removed or changes meaning. Adding a field
/// does not bump it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// The guide's twelve checklist items answered for an audited host (`rampart audit`); absent
    /// from reports about files only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<ChecklistAnswer>,
    /// `rampart audit`: chains of findings from an entry point to the host, most severe first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attack_paths: Vec<AttackPath>,
    /// The images examined (`rampart image`, and the images `rampart audit` found), with the
    /// base distribution read from each one's layers; absent from reports about files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageSummary>,
    /// Riskiest first (see [`crate::Risk`]), then most severe, then by path, line and column.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read or parsed; analysis went on with the others.
    pub errors: Vec<InputError>,
    /// Things worth knowing that are not findings, such as an ignore comment that matched nothing.
    pub notices: Vec<Notice>,
    pub summary: Summary,
    /// `rampart image` and `rampart audit`: each image's vulnerability summary (counts by
    /// severity, fixable, suppressed, the advisory database's age), also when no database was
    /// available.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vulnerability_scans: Vec<crate::VulnerabilityScan>,
}

/// One image of the report: how findings name it, and its base distribution.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSummary {
    /// As findings name it in `location.object`: `image:app:1`, `image:3f2a9c1b7e0d`.
    pub object: String,
    /// The engine's image ID (`sha256:…`); empty for an image read from a file.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Absent when the image's content was not read or it has no `/etc/os-release`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_os: Option<crate::BaseOs>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// `unused-ignore`, `unknown-rule`, ...
    pub kind: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Files analysed (parsed without error).
    pub files: usize,
    pub findings: usize,
    /// Findings silenced by ignore comments, config or a baseline.
    pub suppressed: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl Report {
    /// Builds a report: weighs each finding's risk on its own, sorts (riskiest first) and counts.
    pub fn new(mut findings: Vec<Finding>, errors: Vec<InputError>, notices: Vec<Notice>, files: usize, suppressed: usize) -> Report {
        for finding in &mut findings {
            finding.risk = Some(assess(finding, &[]));
        }
        sort_by_risk(&mut findings);
        let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
        let summary = Summary {
            files,
            findings: findings.len(),
            suppressed,
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            info: count(Severity::Info),
        };
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool { name: "rampart".into(), version: env!("CARGO_PKG_VERSION").into() },
            checklist: Vec::new(),
            attack_paths: Vec::new(),
            images: Vec::new(),
            findings,
            errors,
            notices,
            summary,
            vulnerability_scans: Vec::new(),
        }
    }
}

impl Report {
    /// For a report about `snapshot` (`rampart audit`): weighs each finding about a container
    /// with that container's exposure and privilege, sorts again, and names the attack paths.
    pub fn weigh_context(&mut self, snapshot: &Snapshot) {
        let factors: HashMap<&str, Vec<RiskFactor>> =
            snapshot.containers.iter().map(|c| (c.spec.object.as_str(), container_factors(&c.spec))).collect();
        for finding in &mut self.findings {
            let context = finding.location.object.as_deref().and_then(|object| factors.get(object));
            finding.risk = Some(assess(finding, context.map(Vec::as_slice).unwrap_or(&[])));
        }
        sort_by_risk(&mut self.findings);
        self.attack_paths = find_attack_paths(snapshot, &self.findings);
    }
}

/// Riskiest first, then most severe, then by place and rule (and message, so equal keys cannot
/// make the order depend on the input's).
fn sort_by_risk(findings: &mut [Finding]) {
    let score = |f: &Finding| f.risk.as_ref().map_or(0, |r| r.score);
    findings.sort_by(|a, b| {
        score(b)
            .cmp(&score(a))
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.location.cmp(&b.location))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}
