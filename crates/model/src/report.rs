//! The result of one rampart run: the documented JSON contract (docs/json-output.md).

use crate::{ChecklistAnswer, Finding, Severity};
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
    /// Most severe first, then by path, line and column.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read or parsed; analysis went on with the others.
    pub errors: Vec<InputError>,
    /// Things worth knowing that are not findings, such as an ignore comment that matched nothing.
    pub notices: Vec<Notice>,
    pub summary: Summary,
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
    /// Builds a report, sorting findings (most severe first) and counting them.
    pub fn new(mut findings: Vec<Finding>, errors: Vec<InputError>, notices: Vec<Notice>, files: usize, suppressed: usize) -> Report {
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.location.cmp(&b.location))
                .then_with(|| a.rule.cmp(&b.rule))
        });
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
            findings,
            errors,
            notices,
            summary,
        }
    }
}
