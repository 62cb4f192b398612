//! Output formats. Each is a module with one `render` function over the same [`Report`];
//! none re-derives facts, so every format says the same thing.

mod baseline;
mod html;
mod json;
mod junit;
mod map;
mod markdown;
mod rule_docs;
mod sarif;
mod svg;
mod tty;
mod xml;

use rampart_model::{Report, RuleMeta, Snapshot};
use std::str::FromStr;

pub use baseline::{apply_baseline, fingerprint};
pub use map::{architecture_map, render_dot, render_map_json, render_mermaid, ArchitectureMap, MapEdge, MapNode};
pub use svg::render_svg;
pub use rule_docs::{rule_doc_markdown, rules_index, rules_json, rules_table};
pub use tty::render_plain;

/// Output formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Sarif,
    Junit,
    Markdown,
    /// One self-contained page: the checklist, attack paths, the map, findings by section.
    Html,
}

impl Format {
    /// The canonical names, in the order `--help` lists them.
    pub const NAMES: &'static [&'static str] = &["tty", "json", "sarif", "junit", "markdown", "html"];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "tty" | "text" => Ok(Format::Tty),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "junit" => Ok(Format::Junit),
            "markdown" | "md" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            _ => Err(format!("unknown format `{s}` (expected one of: {})", Format::NAMES.join(", "))),
        }
    }
}

/// How to render: colour, where to find a file's text, and the context some formats need beyond
/// the findings themselves.
pub struct RenderOptions<'a> {
    pub color: bool,
    /// Returns the text of a scanned file by the path findings carry.
    pub source: &'a dyn Fn(&str) -> Option<String>,
    /// Metadata of the rules that ran: SARIF's rule table (`tool.driver.rules`). The caller passes
    /// the registry's metadata so this crate stays independent of the rules crate.
    pub rules: &'a [&'a RuleMeta],
    /// Paths of the files analysed, as findings name them: JUnit reports a file without findings
    /// as one passing test case.
    pub files: &'a [&'a str],
    /// The host a `rampart audit` report is about: HTML and Markdown draw its map and name it in
    /// their header. `None` for reports about files and images.
    pub snapshot: Option<&'a Snapshot>,
    /// When the report was made (`2026-11-28T13:50:00Z`), for the header of HTML and Markdown;
    /// the caller reads the clock so rendering stays a pure function.
    pub generated_at: Option<&'a str>,
}

fn no_source(_: &str) -> Option<String> {
    None
}

impl RenderOptions<'_> {
    /// No colour, no sources, no rule table and no file list: all JSON and Markdown need.
    pub fn plain() -> RenderOptions<'static> {
        RenderOptions { color: false, source: &no_source, rules: &[], files: &[], snapshot: None, generated_at: None }
    }
}

/// `path:line:column`, `path:line` or `path`: how every format names a place in a file.
pub(crate) fn place(path: &str, line: Option<u32>, column: Option<u32>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        (Some(l), None) => format!("{path}:{l}"),
        _ => path.to_string(),
    }
}

/// Where a finding is, in one string: its file place, else the object it is about.
pub(crate) fn finding_place(finding: &rampart_model::Finding) -> String {
    let loc = &finding.location;
    match (&loc.path, &loc.object) {
        (Some(path), _) => place(path, loc.line, loc.column),
        (None, Some(object)) => object.clone(),
        (None, None) => "unknown".to_string(),
    }
}

/// A finding's risk score and its reasons after its severity (which every format shows
/// already), the first `count` of them, then `(+N)` for the rest: `85`, `published on every
/// interface: 0.0.0.0:80->80/tcp, privileged`. `None` when the risk was not weighed.
pub(crate) fn risk_parts(finding: &rampart_model::Finding, count: usize) -> Option<(u32, String)> {
    let risk = finding.risk.as_ref()?;
    let context: Vec<&str> = risk.reasons.iter().map(String::as_str).filter(|r| !r.starts_with("severity ")).collect();
    let mut reasons = context.iter().take(count).copied().collect::<Vec<_>>().join(", ");
    if context.len() > count {
        reasons.push_str(&format!(" (+{})", context.len() - count));
    }
    Some((risk.score, reasons))
}

/// `risk 85: reason, reason` for one line of text.
pub(crate) fn risk_summary(finding: &rampart_model::Finding, count: usize) -> Option<String> {
    let (score, reasons) = risk_parts(finding, count)?;
    Some(if reasons.is_empty() { format!("risk {score}") } else { format!("risk {score}: {reasons}") })
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, options: &RenderOptions<'_>) -> String {
    match format {
        Format::Tty => tty::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, options),
        Format::Junit => junit::render(report, options),
        Format::Markdown => markdown::render(report, options),
        Format::Html => html::render(report, options),
    }
}

/// Every format is reachable from its canonical name, and every name parses to a distinct format.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let formats: Vec<Format> = Format::NAMES.iter().map(|n| n.parse().unwrap()).collect();
        for (i, a) in formats.iter().enumerate() {
            for b in &formats[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(formats.len(), 6);
        assert!("yaml".parse::<Format>().is_err());
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
    }
}
