//! What a rule sees (the facts and the user's settings) and where it reports.

use rampart_dockerfile::{Dockerfile, Span};
use rampart_model::{Finding, Location, RuleMeta};

/// User settings that change what some rules consider a problem (from `rampart.toml`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Registries images may come from (`docker.io`, `ghcr.io/myorg`). Empty: any registry.
    pub trusted_registries: Vec<String>,
}

/// A Dockerfile and where it came from.
pub struct DockerfileContext<'a> {
    pub dockerfile: &'a Dockerfile,
    /// The path as the user named it (or as found under a directory).
    pub path: &'a str,
    pub settings: &'a Settings,
}

/// Collects one rule's findings, filling in the rule's metadata and turning spans into
/// lines and columns.
pub struct Sink<'a> {
    meta: &'a RuleMeta,
    dockerfile: &'a Dockerfile,
    path: &'a str,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub fn new(meta: &'a RuleMeta, cx: &DockerfileContext<'a>) -> Sink<'a> {
        Sink { meta, dockerfile: cx.dockerfile, path: cx.path, findings: Vec::new() }
    }

    /// Reports a finding at `span` and returns it so the caller can add evidence and a fix.
    /// Without an explicit fix the first paragraph of the rule's Fix docs is used.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        let (line, column) = self.dockerfile.line_col(span.start);
        let (end_line, end_column) = self.dockerfile.line_col(span.end.max(span.start));
        let location = Location {
            path: Some(self.path.to_string()),
            line: Some(line),
            column: Some(column),
            end_line: Some(end_line),
            end_column: Some(end_column),
            object: None,
        };
        let mut finding = Finding::new(self.meta, message, location);
        let first_paragraph = self.meta.docs.fix.trim().split("\n\n").next().unwrap_or_default();
        finding.fix = Some(first_paragraph.trim().to_string());
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
