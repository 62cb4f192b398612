//! Terminal output: each finding with the source line and the span marked, like a compiler.

use crate::{findings_by_object, group_attack_paths, place, risk_summary, RenderOptions};
use anstyle::{AnsiColor, Style};
use rampart_model::{Finding, Report, Severity};
use std::fmt::Write;

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Cyan,
        Severity::Info => AnsiColor::BrightBlack,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// Writes `text` in `style` when colour is on.
fn paint(out: &mut String, color: bool, style: Style, text: &str) {
    if color {
        let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
    } else {
        out.push_str(text);
    }
}

/// Renders findings alone, without colour: used by rule snapshots.
pub fn render_plain(findings: &[Finding], source: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    for finding in findings {
        render_finding(&mut out, finding, false, &source);
    }
    out
}

fn render_finding(out: &mut String, f: &Finding, color: bool, source: &dyn Fn(&str) -> Option<String>) {
    paint(out, color, severity_style(f.severity), &format!("{}[{}]", f.severity, f.rule));
    if !f.aliases.is_empty() {
        let _ = write!(out, " ({})", f.aliases.join(", "));
    }
    let _ = writeln!(out, ": {}", terminal_safe(&f.message));
    let loc = &f.location;
    if let Some(path) = &loc.path {
        paint(out, color, Style::new().fg_color(Some(AnsiColor::Blue.into())), "  --> ");
        let _ = writeln!(out, "{}", terminal_safe(&place(path, loc.line, loc.column)));
        if let (Some(line), Some(column), Some(text)) = (loc.line, loc.column, source(path)) {
            let line_text = (line as usize).checked_sub(1).and_then(|index| text.lines().nth(index));
            // A line holding a redacted secret is shown with the secret masked, or not at all.
            let shown = line_text.and_then(|text| match f.evidence.as_deref().map(redacted_hashes) {
                Some(hashes) if !hashes.is_empty() => mask_secrets(text, &hashes),
                _ => Some(text.to_string()),
            });
            if let Some(line_text) = shown {
                // A span that ends on a later line is marked to the end of this one.
                let end = if loc.end_line == Some(line) { Some(loc.end_column.unwrap_or(column + 1)) } else { None };
                write_snippet(out, color, f.severity, line, &line_text, column, end);
            }
        }
    } else if let Some(object) = &loc.object {
        let _ = writeln!(out, "  --> {}", terminal_safe(object));
    }
    if let Some(risk) = risk_summary(f, 3) {
        let _ = writeln!(out, "  = {}", terminal_safe(&risk));
    }
    if let Some(evidence) = &f.evidence {
        let _ = writeln!(out, "  = evidence: {}", terminal_safe(evidence));
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "  = fix: {}", indent_continuation_lines(&terminal_safe(fix), "         "));
    }
    out.push('\n');
}

/// The flagged line under a gutter with its number, and carets under the span from `column` to
/// `end_column` (exclusive), or to the end of the line when the span goes on past it.
fn write_snippet(out: &mut String, color: bool, severity: Severity, line: u32, line_text: &str, column: u32, end_column: Option<u32>) {
    let line_text = terminal_safe(line_text.trim_end());
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "  {pad} |");
    let _ = writeln!(out, "  {gutter} | {line_text}");
    let width = line_text.chars().count() as u32;
    let start = column.max(1);
    let end = end_column.unwrap_or(width + 1);
    let carets = end.saturating_sub(start).clamp(1, (width + 1).saturating_sub(start).max(1));
    // Keep tabs before the span as tabs, so the carets line up however the terminal expands them.
    let indent: String = line_text.chars().take(start as usize - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    let indent = format!("{indent:<width$}", width = start as usize - 1);
    let _ = write!(out, "  {pad} | {indent}");
    paint(out, color, severity_style(severity), &"^".repeat(carets as usize));
    out.push('\n');
}

/// The hash prefixes of the secrets [`rampart_model::redact`] hid in `evidence`
/// (`ghp_…(sha256:1f2e3d4c)` gives `1f2e3d4c`).
fn redacted_hashes(evidence: &str) -> Vec<&str> {
    const MARKER: &str = "(sha256:";
    evidence
        .match_indices(MARKER)
        .filter_map(|(at, _)| evidence.get(at + MARKER.len()..at + MARKER.len() + 8))
        .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect()
}

/// Lines longer than this are not searched for secrets to mask; they are not shown either.
const MAX_MASKED_LINE: usize = 4096;

/// `line` with every secret whose hash is in `hashes` replaced by `*`, one for each character so
/// the carets still line up; `None` when a secret cannot be found in it, so the caller shows
/// no line rather than risk showing the secret whole.
///
/// The renderer never sees the secret itself, only its redaction, so it finds the secret again
/// by hashing the pieces of the line between delimiters (the value after `=`, a quoted string,
/// the password between `:` and `@` in a URL) and comparing the hashes.
fn mask_secrets(line: &str, hashes: &[&str]) -> Option<String> {
    if line.len() > MAX_MASKED_LINE {
        return None;
    }
    let is_delimiter = |c: char| c.is_whitespace() || "\"'`=:@/,;()[]{}<>|&$".contains(c);
    // Byte offsets where a piece can start (after a delimiter) or end (before one).
    let mut starts = vec![0];
    let mut ends = Vec::new();
    for (at, c) in line.char_indices() {
        if is_delimiter(c) {
            ends.push(at);
            starts.push(at + c.len_utf8());
        }
    }
    ends.push(line.len());
    let mut masked: Vec<(usize, usize)> = Vec::new();
    let mut found = vec![false; hashes.len()];
    for &start in &starts {
        for &end in ends.iter().filter(|&&end| end > start) {
            let digest = rampart_model::redact(&line[start..end]);
            if let Some(i) = hashes.iter().position(|hash| digest.ends_with(&format!("(sha256:{hash})"))) {
                found[i] = true;
                masked.push((start, end));
            }
        }
    }
    if !found.iter().all(|&f| f) {
        return None;
    }
    Some(
        line.char_indices()
            .map(|(at, c)| if masked.iter().any(|&(s, e)| (s..e).contains(&at)) { '*' } else { c })
            .collect(),
    )
}

/// Control characters from scanned files (an ESC starting a terminal escape sequence, a carriage
/// return hiding text) are shown as U+FFFD rather than sent to the terminal; newlines and tabs
/// stay. One character for one, so columns still line up.
fn terminal_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{FFFD}' } else { c }).collect()
}

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let mut out = String::new();
    render_checklist(&mut out, report, options.color);
    render_attack_paths(&mut out, report, options.color);
    for finding in &report.findings {
        render_finding(&mut out, finding, options.color, options.source);
    }
    for error in &report.errors {
        paint(&mut out, options.color, severity_style(Severity::High), "error");
        let _ = writeln!(out, ": {}: {}", terminal_safe(&place(&error.path, error.line, error.column)), terminal_safe(&error.message));
    }
    render_vulnerability_scans(&mut out, report);
    for notice in &report.notices {
        let where_ = place(&notice.path, notice.line, None);
        let _ = writeln!(out, "note[{}]: {}: {}", notice.kind, terminal_safe(&where_), terminal_safe(&notice.message));
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} finding(s) in {} file(s): {} critical, {} high, {} medium, {} low, {} info{}{}",
        s.findings,
        s.files,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.info,
        if s.suppressed > 0 { format!("; {} suppressed", s.suppressed) } else { String::new() },
        if report.errors.is_empty() { String::new() } else { format!("; {} input error(s)", report.errors.len()) },
    );
    out
}

/// Each image's vulnerability summary, and what VEX or ignore entries suppressed (with why).
fn render_vulnerability_scans(out: &mut String, report: &Report) {
    for scan in &report.vulnerability_scans {
        let _ = writeln!(out, "vulnerabilities: {}", terminal_safe(&scan.describe()));
        for line in scan.suppressed_lines() {
            let _ = writeln!(out, "  suppressed: {}", terminal_safe(&line));
        }
    }
}

/// Indents every line after the first by `indent`, leaving empty lines empty (no trailing blanks).
fn indent_continuation_lines(text: &str, indent: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}


/// The checklist answers of a host audit, first: one line per item, its evidence and findings.
fn render_checklist(out: &mut String, report: &Report, color: bool) {
    if report.checklist.is_empty() {
        return;
    }
    out.push_str("Checklist\n");
    for answer in &report.checklist {
        let style = match answer.status {
            rampart_model::ChecklistStatus::Pass => Style::new().fg_color(Some(AnsiColor::Green.into())),
            rampart_model::ChecklistStatus::Fail => severity_style(Severity::High),
            rampart_model::ChecklistStatus::Partial => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            rampart_model::ChecklistStatus::Unknown => Style::new().dimmed(),
        };
        let _ = write!(out, "  {:>2}. ", answer.item);
        paint(out, color, style, &format!("{:<7}", answer.status.as_str()));
        let _ = writeln!(out, " {}", terminal_safe(&answer.title));
        let mut detail = answer.evidence.join("; ");
        if !answer.findings.is_empty() {
            detail.push_str(&format!(" [{}]", answer.findings.join(", ")));
        }
        if !detail.is_empty() {
            let _ = writeln!(out, "               {}", terminal_safe(&detail));
        }
    }
    out.push('\n');
}

/// The attack paths of a host audit, after the checklist: the chain, then the findings it uses.
fn render_attack_paths(out: &mut String, report: &Report, color: bool) {
    if report.attack_paths.is_empty() {
        return;
    }
    out.push_str("Attack paths\n");
    for path in group_attack_paths(&report.attack_paths) {
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|alternatives| if alternatives.len() == 1 { alternatives[0].clone() } else { format!("any of: {}", alternatives.join(" | ")) })
            .collect();
        out.push_str("  ");
        paint(out, color, severity_style(path.severity), &format!("{:<8}", path.severity.as_str()));
        let _ = writeln!(out, " {}", terminal_safe(&steps.join(" -> ")));
        for (object, rules) in findings_by_object(&path.findings) {
            let _ = writeln!(out, "           {}: {}", terminal_safe(&object), terminal_safe(&rules.join(", ")));
        }
    }
    out.push('\n');
}
