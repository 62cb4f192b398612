//! `rampart rules [CODE]`.

use rampart_rules::{find, RULES};
use std::io::Write;

pub fn run(rule: Option<&str>, format: &str) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    match rule {
        Some(id) => {
            let rule = find(id).ok_or_else(|| anyhow::anyhow!("no rule named `{id}` (see `rampart rules`)"))?;
            let _ = write!(out, "{}", rampart_report::rule_doc_markdown(&rule.meta));
        }
        None if format == "json" => {
            let _ = write!(out, "{}", rampart_report::rules_json(RULES.iter().map(|r| &r.meta)));
        }
        None => {
            for rule in RULES {
                let m = &rule.meta;
                let _ = writeln!(
                    out,
                    "{:<7} {:<9} {:<10} {:<40} {}",
                    m.code,
                    m.severity.as_str(),
                    m.category.as_str(),
                    m.title,
                    m.aliases.join(", ")
                );
            }
        }
    }
    Ok(0)
}
