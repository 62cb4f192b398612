//! Output formats. Each is a module with one `render` function over the same [`Report`];
//! none re-derives facts, so every format says the same thing.

mod baseline;
mod json;
mod junit;
mod map;
mod markdown;
mod rule_docs;
mod sarif;
mod tty;
mod xml;

use rampart_model::{Report, RuleMeta};
use std::str::FromStr;

pub use baseline::{apply_baseline, fingerprint};
pub use map::{architecture_map, render_dot, render_map_json, render_mermaid, ArchitectureMap, MapEdge, MapNode};
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
}

impl Format {
    /// The canonical names, in the order `--help` lists them.
    pub const NAMES: &'static [&'static str] = &["tty", "json", "sarif", "junit", "markdown"];
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
}

fn no_source(_: &str) -> Option<String> {
    None
}

impl RenderOptions<'_> {
    /// No colour, no sources, no rule table and no file list: all JSON and Markdown need.
    pub fn plain() -> RenderOptions<'static> {
        RenderOptions { color: false, source: &no_source, rules: &[], files: &[] }
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

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, options: &RenderOptions<'_>) -> String {
    match format {
        Format::Tty => tty::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, options),
        Format::Junit => junit::render(report, options),
        Format::Markdown => markdown::render(report),
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
        assert_eq!(formats.len(), 5);
        assert!("yaml".parse::<Format>().is_err());
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
    }
}
