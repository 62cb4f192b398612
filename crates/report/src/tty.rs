//! Terminal output: each finding with the source line and the span marked, like a compiler.

use crate::RenderOptions;
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
    let _ = writeln!(out, ": {}", f.message);
    let loc = &f.location;
    if let Some(path) = &loc.path {
        let where_ = match (loc.line, loc.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path.clone(),
        };
        paint(out, color, Style::new().fg_color(Some(AnsiColor::Blue.into())), "  --> ");
        let _ = writeln!(out, "{where_}");
        if let (Some(line), Some(column), Some(text)) = (loc.line, loc.column, source(path)) {
            if let Some(line_text) = text.lines().nth(line as usize - 1) {
                let gutter = line.to_string();
                let pad = " ".repeat(gutter.len());
                let _ = writeln!(out, "  {pad} |");
                let _ = writeln!(out, "  {gutter} | {}", line_text.trim_end());
                let width = line_text.chars().count() as u32;
                let end = if loc.end_line == Some(line) { loc.end_column.unwrap_or(column + 1) } else { width + 1 };
                let carets = end.saturating_sub(column).clamp(1, width.saturating_sub(column - 1).max(1));
                let _ = write!(out, "  {pad} | {}", " ".repeat(column as usize - 1));
                paint(out, color, severity_style(f.severity), &"^".repeat(carets as usize));
                out.push('\n');
            }
        }
    } else if let Some(object) = &loc.object {
        let _ = writeln!(out, "  --> {object}");
    }
    if let Some(evidence) = &f.evidence {
        let _ = writeln!(out, "  = evidence: {evidence}");
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "  = fix: {}", fix.replace('\n', "\n         "));
    }
    out.push('\n');
}

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        render_finding(&mut out, finding, options.color, options.source);
    }
    for error in &report.errors {
        paint(&mut out, options.color, severity_style(Severity::High), "error");
        let place = match (error.line, error.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", error.path),
            (Some(l), None) => format!("{}:{l}", error.path),
            _ => error.path.clone(),
        };
        let _ = writeln!(out, ": {place}: {}", error.message);
    }
    for notice in &report.notices {
        let place = notice.line.map_or(notice.path.clone(), |l| format!("{}:{l}", notice.path));
        let _ = writeln!(out, "note[{}]: {place}: {}", notice.kind, notice.message);
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
