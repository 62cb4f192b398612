//! A finding: one rule's verdict on one place.

use crate::{Category, Risk, RuleMeta, Severity};
use serde::{Deserialize, Serialize};

/// Where a finding is. For files, `path`, `line` and `column` (1-based, columns in characters)
/// and the end of the span; other kinds of objects (containers, images, the daemon) come later
/// and use `object`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// A non-file object, such as `container:web` or `image:sha256:...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub aliases: Vec<String>,
    pub severity: Severity,
    pub category: Category,
    pub checklist: Vec<u8>,
    pub title: String,
    pub message: String,
    pub location: Location,
    /// What was seen, with any secret redacted (see [`crate::redact`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Exactly what to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// How urgent the finding is in its context; set when the report is built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
}

impl Finding {
    /// A finding for `meta` with its metadata filled in; the caller adds place and detail.
    pub fn new(meta: &RuleMeta, message: impl Into<String>, location: Location) -> Finding {
        Finding {
            rule: meta.code.to_string(),
            aliases: meta.aliases.iter().map(|a| a.to_string()).collect(),
            severity: meta.severity,
            category: meta.category,
            checklist: meta.checklist.to_vec(),
            title: meta.title.to_string(),
            message: message.into(),
            location,
            evidence: None,
            fix: None,
            risk: None,
        }
    }
}

impl Finding {
    /// Sets the exact change that fixes this finding.
    pub fn set_fix(&mut self, fix: impl Into<String>) -> &mut Finding {
        self.fix = Some(fix.into());
        self
    }

    /// Sets what was seen. Callers redact secrets first.
    pub fn set_evidence(&mut self, evidence: impl Into<String>) -> &mut Finding {
        self.evidence = Some(evidence.into());
        self
    }
}
