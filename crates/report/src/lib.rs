//! Output formats. Each is a module with one `render` function over the same [`Report`];
//! none re-derives facts, so every format says the same thing.

mod json;
mod rule_docs;
mod tty;

use rampart_model::Report;
use std::str::FromStr;

pub use rule_docs::{rule_doc_markdown, rules_json, rules_table};
pub use tty::render_plain;

/// Output formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["tty", "json"];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "tty" | "text" => Ok(Format::Tty),
            "json" => Ok(Format::Json),
            _ => Err(format!("unknown format `{s}` (expected one of: {})", Format::NAMES.join(", "))),
        }
    }
}

/// How to render: colour, and where to find a file's text to show the flagged line.
pub struct RenderOptions<'a> {
    pub color: bool,
    /// Returns the text of a scanned file by the path findings carry.
    pub source: &'a dyn Fn(&str) -> Option<String>,
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, options: &RenderOptions<'_>) -> String {
    match format {
        Format::Tty => tty::render(report, options),
        Format::Json => json::render(report),
    }
}
