//! The JSON contract: `Report` serialised as documented in docs/json-output.md.

use rampart_model::Report;

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a Report always serialises");
    out.push('\n');
    out
}
