//! Rule documentation generated from rule metadata: `docs/rules/<CODE>.md`, `rampart rules CODE`,
//! the README's rules table and the rules list in JSON all come from here.

use rampart_model::{ChecklistItem, RuleMeta};
use std::fmt::Write;

/// The Markdown page of one rule, under the fixed headings.
pub fn rule_doc_markdown(m: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} `{}`: {}\n", m.code, m.name, m.title);
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Severity | {} |", m.severity);
    let _ = writeln!(out, "| Category | {} ({}) |", m.category, m.category.heading());
    let items: Vec<String> = m
        .checklist
        .iter()
        .map(|&n| ChecklistItem::get(n).map_or(n.to_string(), |item| format!("{n}. {}", item.title)))
        .collect();
    let _ = writeln!(out, "| Checklist | {} |", items.join("; "));
    let aliases = if m.aliases.is_empty() { "none".to_string() } else { m.aliases.join(", ") };
    let _ = writeln!(out, "| Peer IDs | {aliases} |");
    let _ = writeln!(out, "| Applies to | {} |\n", m.target.as_str());
    let _ = writeln!(out, "## What it does\n\n{}\n", m.docs.what.trim());
    let _ = writeln!(out, "## Why it matters\n\n{}\n", m.docs.why.trim());
    let _ = writeln!(out, "## Example\n\n```{}\n{}\n```\n", fence_language(m), m.docs.example.trim_matches('\n'));
    let _ = writeln!(out, "## Fix\n\n{}\n", m.docs.fix.trim());
    if !m.docs.peer_notes.trim().is_empty() {
        let _ = writeln!(out, "## Differences from peers\n\n{}\n", m.docs.peer_notes.trim());
    }
    let _ = writeln!(out, "## References\n");
    if m.docs.references.is_empty() {
        let _ = writeln!(out, "- none");
    }
    for reference in m.docs.references {
        let _ = writeln!(out, "- {reference}");
    }
    out
}

fn fence_language(m: &RuleMeta) -> &'static str {
    match m.target {
        rampart_model::Target::Dockerfile => "dockerfile",
        // Container rules' examples are `docker run` command lines (or compose snippets, which
        // highlight acceptably as shell too).
        rampart_model::Target::Container => "sh",
        rampart_model::Target::Compose => "yaml",
        // Engine rules' examples are daemon.json snippets or dockerd flags.
        rampart_model::Target::Engine => "json",
        // Image rules' examples are the Dockerfile lines that put the problem in the image.
        rampart_model::Target::Image => "dockerfile",
    }
}

/// The Markdown rules table for the README and docs/rules/README.md. `pages` is the path from
/// the file the table goes in to the folder of rule pages: `docs/rules/` from the repository's
/// root, empty from docs/rules/ itself.
pub fn rules_table<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>, pages: &str) -> String {
    let mut out = String::from("| Code | Rule | Severity | Category | Checklist | Peer IDs |\n|---|---|---|---|---|---|\n");
    for m in rules {
        let checklist: Vec<String> = m.checklist.iter().map(u8::to_string).collect();
        let _ = writeln!(
            out,
            "| [{code}]({pages}{code}.md) | `{name}`: {title} | {sev} | {cat} | {check} | {aliases} |",
            code = m.code,
            name = m.name,
            title = m.title.replace('|', "\\|"),
            sev = m.severity,
            cat = m.category,
            check = checklist.join(", "),
            aliases = m.aliases.join(", ")
        );
    }
    out
}

/// docs/rules/README.md: the catalogue's index, with counts by section of the guide.
pub fn rules_index(all: &[&RuleMeta]) -> String {
    let mut out = String::from("# Rules\n\n");
    let _ = writeln!(
        out,
        "rampart has {} rules. Each page below is generated from the rule's metadata (`rampart rules CODE` prints \
         the same text); codes are stable and never reused.\n",
        all.len()
    );
    out.push_str("| Section of the guide | Category | Rules |\n|---|---|---:|\n");
    for category in rampart_model::Category::ALL {
        let count = all.iter().filter(|m| m.category == category).count();
        if count > 0 {
            let _ = writeln!(out, "| {} | {} | {count} |", category.heading(), category);
        }
    }
    out.push('\n');
    out.push_str(&rules_table(all.iter().copied(), ""));
    out
}

/// The rule catalogue as JSON (`rampart rules --format json`).
pub fn rules_json<'a>(rules: impl IntoIterator<Item = &'a RuleMeta>) -> String {
    let list: Vec<serde_json::Value> = rules
        .into_iter()
        .map(|m| {
            serde_json::json!({
                "code": m.code,
                "name": m.name,
                "title": m.title,
                "severity": m.severity,
                "category": m.category,
                "checklist": m.checklist,
                "aliases": m.aliases,
                "target": m.target,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).expect("serialisable");
    out.push('\n');
    out
}
