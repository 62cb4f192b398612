//! Markdown, for pull-request comments, job summaries and wikis.
//!
//! The same sections as the HTML report, for a ticket or a wiki: for an audit, the host, the
//! checklist, the attack paths and the architecture map (Mermaid, which GitHub and GitLab draw);
//! then a summary table (sections of the guide by severity), the findings grouped under the
//! guide's section headings with their risk, the images with their base OS, vulnerabilities,
//! secrets (redacted), and the inputs that could not be analysed and the notices.
//! Findings quote Dockerfiles, so every string from them is escaped: it can neither inject HTML
//! or links, nor break the document's structure. Code spans the rules write (`like this`) are
//! kept as code spans, which GitHub renders literally.

use crate::{finding_place, findings_by_object, group_attack_paths, image_rows, place, risk_parts, ImageRow, RenderOptions};
use crate::map::{architecture_map, render_mermaid};
use rampart_model::{Category, Finding, Report, Severity};
use std::fmt::Write;

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let mut out = String::from("# rampart report\n\n");
    write_header(&mut out, options);
    write_checklist(&mut out, report);
    write_attack_paths(&mut out, report);
    if let Some(snapshot) = options.snapshot {
        // Mermaid escapes every name itself (see map.rs); a fence longer than any backtick run
        // keeps the block closed whatever the labels hold.
        let mermaid = render_mermaid(&architecture_map(snapshot));
        let fence = "`".repeat(longest_backtick_run(&mermaid).max(2) + 1);
        let _ = writeln!(out, "## Architecture map\n\n{fence}mermaid\n{}{fence}\n", mermaid);
    }
    write_summary(&mut out, report);
    for category in Category::ALL {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.category == category).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} ({})\n", category.heading(), findings.len());
        for finding in findings {
            write_finding(&mut out, finding);
        }
    }
    write_images(&mut out, report);
    write_vulnerabilities(&mut out, report);
    if !report.errors.is_empty() {
        out.push_str("## Inputs that could not be analysed\n\n");
        for e in &report.errors {
            let _ = writeln!(out, "- {}: {}", code(&place(&e.path, e.line, e.column)), inline(&e.message));
        }
        out.push('\n');
    }
    if !report.notices.is_empty() {
        out.push_str("## Notices\n\n");
        for n in &report.notices {
            let _ = writeln!(out, "- {} {}: {}", code(&n.kind), code(&place(&n.path, n.line, None)), inline(&n.message));
        }
        out.push('\n');
    }
    // One trailing newline, however the last section ended.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// For an audit: which engine, its version, and when.
fn write_header(out: &mut String, options: &RenderOptions<'_>) {
    let Some(snapshot) = options.snapshot else { return };
    let _ = writeln!(out, "- **Host:** {}", code(&snapshot.engine.host));
    if let Some(daemon) = &snapshot.daemon {
        let engine = format!("Docker {} (API {}), {} {}", daemon.server_version, daemon.api_version, daemon.operating_system, daemon.kernel_version);
        let _ = writeln!(out, "- **Engine:** {}", escape_text(&engine));
    }
    let running = snapshot.containers.iter().filter(|c| c.state == "running").count();
    let _ = writeln!(out, "- **Containers:** {} ({running} running)", snapshot.containers.len());
    if let Some(when) = options.generated_at {
        let _ = writeln!(out, "- **When:** {}", escape_text(when));
    }
    out.push('\n');
}

/// The images examined, with their base distribution and its security support.
fn write_images(out: &mut String, report: &Report) {
    if report.images.is_empty() {
        return;
    }
    out.push_str("## Images\n\n| Image | Base OS | Security support | Findings |\n|---|---|---|---:|\n");
    for ImageRow { name, base_os, findings, .. } in image_rows(report) {
        let (base, support) = match base_os {
            Some(os) => {
                let support = match (&os.end_of_life, os.eol_status) {
                    (Some(date), rampart_model::EolStatus::EndOfLife) => format!("**ended {}**", escape_text(date)),
                    (Some(date), _) => format!("until {}", escape_text(date)),
                    (None, _) => "unknown".to_string(),
                };
                (escape_text(&os.display_name()), support)
            }
            None => ("unknown (no os-release, or content not read)".to_string(), String::new()),
        };
        let _ = writeln!(out, "| {} | {base} | {support} | {findings} |", code(&name));
    }
    out.push('\n');
}

/// Vulnerability findings in one table, for the team that patches images.
fn write_vulnerabilities(out: &mut String, report: &Report) {
    let vulnerable: Vec<&Finding> = report.findings.iter().filter(|f| f.rule.starts_with("VUL")).collect();
    if vulnerable.is_empty() && report.vulnerability_scans.is_empty() {
        return;
    }
    out.push_str("## Vulnerabilities\n\n");
    write_vulnerability_scans(out, report);
    if vulnerable.is_empty() {
        return;
    }
    out.push_str("| Severity | Where | What | Fix |\n|---|---|---|---|\n");
    for f in vulnerable {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            f.severity,
            code(&finding_place(f)),
            inline(&f.message),
            inline(f.fix.as_deref().unwrap_or("")).replace('\n', " ")
        );
    }
    out.push('\n');
}

/// Each image's vulnerability summary line, and the suppressed vulnerabilities with their reasons.
fn write_vulnerability_scans(out: &mut String, report: &Report) {
    for scan in &report.vulnerability_scans {
        let _ = writeln!(out, "- {}", inline(&scan.describe()));
        for line in scan.suppressed_lines() {
            let _ = writeln!(out, "  - suppressed: {}", inline(&line));
        }
    }
    if !report.vulnerability_scans.is_empty() {
        out.push('\n');
    }
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn write_summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    let _ = write!(out, "**{} finding(s)** in {} file(s)", s.findings, s.files);
    if s.suppressed > 0 {
        let _ = write!(out, ", {} suppressed", s.suppressed);
    }
    if !report.errors.is_empty() {
        let _ = write!(out, ", {} input(s) could not be analysed", report.errors.len());
    }
    let _ = writeln!(out, " ({} {}).\n", report.tool.name, report.tool.version);
    if report.findings.is_empty() {
        return;
    }
    // Most severe first, as in every other format.
    let severities: Vec<Severity> = Severity::ALL.iter().rev().copied().collect();
    out.push_str("| Section |");
    for severity in &severities {
        let _ = write!(out, " {severity} |");
    }
    out.push_str(" Total |\n|---|");
    out.push_str(&"---:|".repeat(severities.len() + 1));
    out.push('\n');
    let count = |category: Option<Category>, severity: Option<Severity>| {
        report
            .findings
            .iter()
            .filter(|f| category.is_none_or(|c| f.category == c) && severity.is_none_or(|s| f.severity == s))
            .count()
    };
    let rows = Category::ALL.iter().filter(|&&c| count(Some(c), None) > 0).map(|&c| (c.heading(), Some(c)));
    for (label, category) in rows.chain([("Total", None)]) {
        let _ = write!(out, "| {label} |");
        for severity in &severities {
            let _ = write!(out, " {} |", count(category, Some(*severity)));
        }
        let _ = writeln!(out, " {} |", count(category, None));
    }
    out.push('\n');
}

fn write_finding(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "### {} {}\n", code(&f.rule), inline(&f.title));
    let _ = writeln!(out, "- **Severity:** {}", f.severity);
    if !f.aliases.is_empty() {
        let aliases: Vec<String> = f.aliases.iter().map(|a| code(a)).collect();
        let _ = writeln!(out, "- **Peer IDs:** {}", aliases.join(", "));
    }
    if let Some((score, reasons)) = risk_parts(f, 3) {
        let reasons = if reasons.is_empty() { String::new() } else { format!(" ({})", escape_text(&reasons)) };
        let _ = writeln!(out, "- **Risk:** {score}{reasons}");
    }
    let _ = writeln!(out, "- **Location:** {}", code(&finding_place(f)));
    let _ = writeln!(out, "- **Message:** {}", inline(&f.message));
    if let Some(evidence) = &f.evidence {
        let _ = writeln!(out, "- **Evidence:** {}", code(evidence));
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "- **Fix:** {}", block(fix, "  "));
    }
    out.push('\n');
}

/// Punctuation that means something inline in CommonMark or GFM: emphasis, code, links and
/// images, raw HTML and entities, table cells, strikethrough, and `@` mentions on GitHub.
const INLINE_SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '(', ')', '!', '|', '~', '&', '@', '#'];

/// Escapes text so it renders literally on one line.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if INLINE_SPECIAL.contains(&c) {
            out.push('\\');
            out.push(c);
        } else if c == '\n' || c == '\r' {
            out.push(' ');
        } else if c.is_control() {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders a rule-written message: paired backticks stay code spans (their content is literal
/// whatever it holds), everything else is escaped. With an odd number of backticks the pairing
/// is unknowable, so the whole string is escaped as text.
fn inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_text(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 && !part.is_empty() { code(part) } else { escape_text(part) })
        .collect()
}

/// Renders multi-line text inside a list item: each line as [`inline`], joined by hard line
/// breaks, with what would start a block (a list, a heading, a quote, a rule) escaped.
fn block(s: &str, indent: &str) -> String {
    let lines: Vec<String> = s.lines().map(|line| escape_line_start(&inline(line.trim_start()))).collect();
    lines.join(&format!("\\\n{indent}"))
}

fn escape_line_start(line: &str) -> String {
    if line.starts_with(['-', '+', '=', '.']) {
        return format!("\\{line}");
    }
    // `1.` or `1)` opens an ordered list.
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// A code span holding `s` literally: the fence is one backtick longer than the longest run in
/// `s`, and newlines become spaces so the span stays on its line.
fn code(s: &str) -> String {
    let content: String = s.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else if c.is_control() { '\u{FFFD}' } else { c }).collect();
    if content.trim().is_empty() {
        return format!("`{}`", "\u{2420}".repeat(content.chars().count().max(1)));
    }
    let fence = "`".repeat(longest_backtick_run(&content) + 1);
    // A space keeps a backtick at either end from merging with the fence; one space on each
    // side is stripped again by the renderer.
    if content.starts_with('`') || content.ends_with('`') {
        format!("{fence} {content} {fence}")
    } else {
        format!("{fence}{content}{fence}")
    }
}

/// The checklist answers of a host audit, as a table at the top.
fn write_checklist(out: &mut String, report: &Report) {
    if report.checklist.is_empty() {
        return;
    }
    out.push_str("## Checklist\n\n| # | Item | Status | Evidence | Findings |\n|---|---|---|---|---|\n");
    for answer in &report.checklist {
        let findings: Vec<String> = answer.findings.iter().map(|c| code(c)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | **{}** | {} | {} |",
            answer.item,
            inline(&answer.title),
            answer.status.as_str(),
            inline(&answer.evidence.join("; ")),
            findings.join(", ")
        );
    }
    out.push('\n');
}

/// The attack paths of a host audit, after the checklist: one numbered item per chain.
fn write_attack_paths(out: &mut String, report: &Report) {
    if report.attack_paths.is_empty() {
        return;
    }
    out.push_str("## Attack paths\n\n");
    for (number, path) in group_attack_paths(&report.attack_paths).iter().enumerate() {
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|alternatives| {
                let names: Vec<String> = alternatives.iter().map(|step| inline(step)).collect();
                if names.len() == 1 { names[0].clone() } else { format!("any of: {}", names.join(" \\| ")) }
            })
            .collect();
        let _ = write!(out, "{}. **{}** {}", number + 1, path.severity.as_str(), steps.join(" → "));
        let groups: Vec<String> =
            findings_by_object(&path.findings).iter().map(|(object, rules)| format!("{}: {}", code(object), code(&rules.join(", ")))).collect();
        if !groups.is_empty() {
            let _ = write!(out, " ({})", groups.join("; "));
        }
        out.push('\n');
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_outlast_backticks_in_content() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("echo `id`"), "`` echo `id` ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("line1\nline2"), "`line1 line2`");
    }

    #[test]
    fn inline_keeps_paired_code_and_escapes_the_rest() {
        assert_eq!(inline("`sudo` in RUN"), "`sudo` in RUN");
        assert_eq!(inline("see [x](y) <b>"), "see \\[x\\]\\(y\\) \\<b\\>");
        assert_eq!(inline("odd ` tick *x*"), "odd \\` tick \\*x\\*");
    }

    #[test]
    fn block_lines_cannot_open_blocks() {
        assert_eq!(block("first\n- item\n# head\n1. one", "  "), "first\\\n  \\- item\\\n  \\# head\\\n  1\\. one");
    }
}
