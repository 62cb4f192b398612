//! One self-contained HTML page a security lead can hand to their team: the checklist first,
//! then the attack paths, the architecture map (inline SVG), the findings by section of the
//! guide (riskiest first, with evidence, place and the exact fix), the images with their base
//! OS, vulnerabilities, secrets (as redacted as everywhere else), and what could not be read.
//!
//! Inline CSS only: no script, no external font, style sheet or image, so the file works
//! offline and can be mailed or attached to a ticket. A Content-Security-Policy that allows no
//! script backs that up. Every string from the audited host or the scanned files (container
//! names, labels, paths, image names, messages quoting them) goes through [`crate::xml`]; the
//! policy is a second line, not the first.

use crate::map::architecture_map;
use crate::svg::render_svg;
use crate::xml::text;
use crate::{finding_place, findings_by_object, group_attack_paths, image_rows, place, risk_parts, ImageRow, RenderOptions};
use rampart_model::{Category, ChecklistStatus, Finding, Report, Severity, VulnerabilityScanStatus};
use std::fmt::Write;

const STYLE: &str = r#"
:root{--red:#c62828;--orange:#e65100;--amber:#f9a825;--green:#2e7d32;--grey:#607d8b;--ink:#1f2933;--line:#d9e2ec}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);margin:0;background:#f5f7fa}
main{max-width:1440px;margin:0 auto;padding:24px;background:#fff}
header h1{margin:0 0 4px;font-size:24px}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0 0}
header dt{color:var(--grey)}header dd{margin:0}
nav{margin:16px 0;padding:8px 0;border-top:1px solid var(--line);border-bottom:1px solid var(--line)}
nav a{margin-right:14px;color:#1565c0;text-decoration:none}
h2{margin:28px 0 10px;font-size:19px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{margin:18px 0 8px;font-size:16px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
pre{white-space:pre-wrap;background:#f5f7fa;border:1px solid var(--line);padding:6px 8px;margin:4px 0}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:700;color:#fff;white-space:nowrap}
.PASS{background:var(--green)}.FAIL{background:var(--red)}.PARTIAL{background:var(--amber);color:#222}.UNKNOWN{background:var(--grey)}
.critical{background:#8e0000}.high{background:var(--red)}.medium{background:var(--orange)}.low{background:#1565c0}.info{background:var(--grey)}
.risk{background:#37474f}
.summary span{margin-right:12px}
.finding{border:1px solid var(--line);border-left:5px solid var(--grey);border-radius:4px;padding:8px 12px;margin:10px 0;break-inside:avoid}
.finding.sev-critical{border-left-color:#8e0000}.finding.sev-high{border-left-color:var(--red)}.finding.sev-medium{border-left-color:var(--orange)}.finding.sev-low{border-left-color:#1565c0}
.finding h4{margin:0 0 6px;font-size:14.5px}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 12px;margin:0}
.finding dt{color:var(--grey)}.finding dd{margin:0}
ol.paths li{margin:6px 0}
.step{font-weight:600}.arrow{color:var(--red);margin:0 6px}
.map{overflow:auto;border:1px solid var(--line);max-height:80vh}
.map svg{display:block}
.muted{color:var(--grey)}
footer{margin-top:32px;color:var(--grey);font-size:12px}
@media print{
 body{background:#fff}main{max-width:none;padding:0}nav{display:none}
 .map{overflow:visible;max-height:none;border:0}.map svg{max-width:100%;height:auto}
 h2{break-after:avoid}tr,.finding{break-inside:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

/// A value that cannot hold markup, for an `id` or a fragment: letters, digits, `-` and `_`.
fn anchor(prefix: &str, name: &str) -> String {
    let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("{prefix}-{safe}")
}

fn severity_badge(severity: Severity) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", severity.as_str())
}

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // No script may run, no resource may load: the page is data, whatever a name in it says.
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", text(&format!("rampart report: {}", subject(options))));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    write_header(&mut out, report, options);
    write_nav(&mut out, report, options);
    write_checklist(&mut out, report);
    write_attack_paths(&mut out, report);
    if let Some(snapshot) = options.snapshot {
        out.push_str("<section id=\"map\">\n<h2>Architecture map</h2>\n");
        out.push_str("<p class=\"muted\">Published ports on the left, then containers, their networks, and the images, volumes and host paths they use. Hover a box for all its details.</p>\n");
        out.push_str("<div class=\"map\">\n");
        out.push_str(&render_svg(&architecture_map(snapshot)));
        out.push_str("</div>\n</section>\n");
    }
    write_findings(&mut out, report);
    write_images(&mut out, report);
    write_vulnerabilities(&mut out, report);
    write_secrets(&mut out, report);
    write_errors_and_notices(&mut out, report);
    let _ = writeln!(
        out,
        "<footer>Made by {} {}. Risk scores run from 0 to 100: severity plus context (exposure, privilege, sensitive data, known vulnerabilities).</footer>",
        text(&report.tool.name),
        text(&report.tool.version)
    );
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// What the report is about, in a few words: the audited engine, or "files and images".
fn subject(options: &RenderOptions<'_>) -> String {
    match options.snapshot {
        Some(snapshot) if !snapshot.engine.host.is_empty() => snapshot.engine.host.clone(),
        Some(_) => "Docker host".to_string(),
        None => "files and images".to_string(),
    }
}

fn write_header(out: &mut String, report: &Report, options: &RenderOptions<'_>) {
    let _ = writeln!(out, "<header>\n<h1>{}</h1>\n<dl>", if options.snapshot.is_some() { "rampart audit report" } else { "rampart report" });
    let mut row = |name: &str, value: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", text(name), text(value));
    };
    if let Some(snapshot) = options.snapshot {
        let engine = &snapshot.engine;
        let mut host = engine.host.clone();
        if !engine.chosen_by.is_empty() {
            host.push_str(&format!(" (chosen by {})", engine.chosen_by));
        }
        row("Host", &host);
        if let Some(daemon) = &snapshot.daemon {
            row("Engine", &format!("Docker {} (API {}), {} {}", daemon.server_version, daemon.api_version, daemon.operating_system, daemon.kernel_version));
        } else {
            row("Engine", "not reached");
        }
        row("Containers", &format!("{} ({} running)", snapshot.containers.len(), snapshot.containers.iter().filter(|c| c.state == "running").count()));
    }
    if let Some(when) = options.generated_at {
        row("When", when);
    }
    row("rampart", &report.tool.version);
    out.push_str("</dl>\n");
    let s = &report.summary;
    let _ = write!(out, "<p class=\"summary\"><strong>{} finding(s)</strong>: ", s.findings);
    for (severity, count) in [(Severity::Critical, s.critical), (Severity::High, s.high), (Severity::Medium, s.medium), (Severity::Low, s.low), (Severity::Info, s.info)] {
        let _ = write!(out, "<span>{} {count}</span>", severity_badge(severity));
    }
    if s.suppressed > 0 {
        let _ = write!(out, "<span>{} suppressed</span>", s.suppressed);
    }
    if !report.errors.is_empty() {
        let _ = write!(out, "<span>{} input(s) could not be analysed</span>", report.errors.len());
    }
    out.push_str("</p>\n</header>\n");
}

fn write_nav(out: &mut String, report: &Report, options: &RenderOptions<'_>) {
    out.push_str("<nav>");
    let mut link = |id: &str, name: &str| {
        let _ = write!(out, "<a href=\"#{id}\">{name}</a>");
    };
    if !report.checklist.is_empty() {
        link("checklist", "Checklist");
    }
    if !report.attack_paths.is_empty() {
        link("attack-paths", "Attack paths");
    }
    if options.snapshot.is_some() {
        link("map", "Map");
    }
    link("findings", "Findings");
    if !report.images.is_empty() {
        link("images", "Images");
    }
    link("vulnerabilities", "Vulnerabilities");
    link("secrets", "Secrets");
    out.push_str("</nav>\n");
}

fn status_class(status: ChecklistStatus) -> &'static str {
    status.as_str()
}

fn write_checklist(out: &mut String, report: &Report) {
    if report.checklist.is_empty() {
        return;
    }
    out.push_str("<section id=\"checklist\">\n<h2>Checklist</h2>\n<table>\n<thead><tr><th>#</th><th>Item</th><th>Status</th><th>Evidence</th><th>Findings</th></tr></thead>\n<tbody>\n");
    for answer in &report.checklist {
        let evidence: Vec<String> = answer.evidence.iter().map(|e| text(e)).collect();
        let findings: Vec<String> = answer
            .findings
            .iter()
            .map(|code| {
                let linked = report.findings.iter().any(|f| &f.rule == code);
                if linked {
                    format!("<a href=\"#{}\"><code>{}</code></a>", anchor("rule", code), text(code))
                } else {
                    format!("<code>{}</code>", text(code))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td><span class=\"badge {}\">{}</span></td><td>{}</td><td>{}</td></tr>",
            answer.item,
            text(&answer.title),
            status_class(answer.status),
            answer.status.as_str(),
            evidence.join("<br>"),
            findings.join(" ")
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_attack_paths(out: &mut String, report: &Report) {
    if report.attack_paths.is_empty() {
        return;
    }
    out.push_str("<section id=\"attack-paths\">\n<h2>Attack paths</h2>\n<ol class=\"paths\">\n");
    for path in group_attack_paths(&report.attack_paths) {
        let steps: Vec<String> = path
            .steps
            .iter()
            .map(|alternatives| {
                let names: Vec<String> = alternatives.iter().map(|step| text(step)).collect();
                if names.len() == 1 {
                    format!("<span class=\"step\">{}</span>", names[0])
                } else {
                    format!("<span class=\"step\">any of: {}</span>", names.join("<span class=\"muted\"> | </span>"))
                }
            })
            .collect();
        let _ = write!(out, "<li>{} {}", severity_badge(path.severity), steps.join("<span class=\"arrow\">→</span>"));
        for (object, rules) in findings_by_object(&path.findings) {
            let _ = write!(out, "<br><span class=\"muted\"><code>{}</code>: {}</span>", text(&object), text(&rules.join(", ")));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

fn write_findings(out: &mut String, report: &Report) {
    out.push_str("<section id=\"findings\">\n<h2>Findings by section</h2>\n");
    if report.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    let mut first_of_rule: Vec<&str> = Vec::new();
    for category in Category::ALL {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.category == category).collect();
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3 id=\"{}\">{} ({})</h3>", anchor("section", category.as_str()), text(category.heading()), findings.len());
        for finding in findings {
            let id = if first_of_rule.contains(&finding.rule.as_str()) {
                String::new()
            } else {
                first_of_rule.push(&finding.rule);
                format!(" id=\"{}\"", anchor("rule", &finding.rule))
            };
            write_finding(out, finding, &id);
        }
    }
    out.push_str("</section>\n");
}

fn write_finding(out: &mut String, f: &Finding, id: &str) {
    let _ = writeln!(out, "<article class=\"finding sev-{}\"{id}>", f.severity.as_str());
    let _ = write!(out, "<h4>{} ", severity_badge(f.severity));
    if let Some(risk) = &f.risk {
        let _ = write!(out, "<span class=\"badge risk\" title=\"risk score, 0 to 100\">risk {}</span> ", risk.score);
    }
    let _ = writeln!(out, "<code>{}</code> {}</h4>", text(&f.rule), text(&f.title));
    out.push_str("<dl>\n");
    let _ = writeln!(out, "<dt>Where</dt><dd><code>{}</code></dd>", text(&finding_place(f)));
    let _ = writeln!(out, "<dt>What</dt><dd>{}</dd>", text(&f.message));
    if let Some(evidence) = &f.evidence {
        let _ = writeln!(out, "<dt>Evidence</dt><dd><pre>{}</pre></dd>", text(evidence));
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(out, "<dt>Fix</dt><dd><pre>{}</pre></dd>", text(fix));
    }
    if let Some((_, reasons)) = risk_parts(f, usize::MAX).filter(|(_, reasons)| !reasons.is_empty()) {
        let _ = writeln!(out, "<dt>Risk from</dt><dd>{}</dd>", text(&reasons));
    }
    if !f.checklist.is_empty() {
        let items: Vec<String> = f.checklist.iter().map(u8::to_string).collect();
        let _ = writeln!(out, "<dt>Checklist</dt><dd>{}</dd>", items.join(", "));
    }
    if !f.aliases.is_empty() {
        let _ = writeln!(out, "<dt>Peer IDs</dt><dd>{}</dd>", text(&f.aliases.join(", ")));
    }
    out.push_str("</dl>\n</article>\n");
}

fn write_images(out: &mut String, report: &Report) {
    if report.images.is_empty() {
        return;
    }
    out.push_str("<section id=\"images\">\n<h2>Images</h2>\n<table>\n<thead><tr><th>Image</th><th>ID</th><th>Base OS</th><th>Security support</th><th>Findings</th></tr></thead>\n<tbody>\n");
    for ImageRow { name, id, base_os, findings } in image_rows(report) {
        let id: String = id.trim_start_matches("sha256:").chars().take(12).collect();
        let (base, support) = match base_os {
            Some(os) => {
                let support = match (&os.end_of_life, os.eol_status) {
                    (Some(date), rampart_model::EolStatus::EndOfLife) => format!("<span class=\"badge FAIL\">ended {}</span>", text(date)),
                    (Some(date), _) => format!("until {}", text(date)),
                    (None, _) => "<span class=\"muted\">unknown</span>".to_string(),
                };
                (text(&os.display_name()), support)
            }
            None => ("<span class=\"muted\">unknown (no os-release, or content not read)</span>".to_string(), String::new()),
        };
        let _ = writeln!(out, "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{base}</td><td>{support}</td><td>{findings}</td></tr>", text(&name), text(&id));
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_vulnerabilities(out: &mut String, report: &Report) {
    out.push_str("<section id=\"vulnerabilities\">\n<h2>Vulnerabilities</h2>\n");
    if !report.vulnerability_scans.is_empty() {
        out.push_str("<table>\n<thead><tr><th>Image</th><th>Scan</th><th>Packages</th><th>Vulnerabilities</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Unknown</th><th>Fixable</th><th>Suppressed</th></tr></thead>\n<tbody>\n");
        for scan in &report.vulnerability_scans {
            let status = match (scan.status, &scan.message) {
                (VulnerabilityScanStatus::Scanned, _) if scan.database.as_ref().is_some_and(|d| d.stale) => "scanned (database stale)".to_string(),
                (VulnerabilityScanStatus::Scanned, _) => "scanned".to_string(),
                // The collector's message already says there is no database, and where.
                (VulnerabilityScanStatus::NoDatabase, Some(message)) => message.clone(),
                (VulnerabilityScanStatus::NoDatabase, None) => "no advisory database".to_string(),
                (VulnerabilityScanStatus::Failed, Some(message)) => format!("failed: {message}"),
                (VulnerabilityScanStatus::Failed, None) => "failed".to_string(),
            };
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{} ({} matched)</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(scan.image.trim_start_matches("image:")),
                text(&status),
                scan.packages,
                scan.packages_matched,
                scan.vulnerabilities,
                scan.critical,
                scan.high,
                scan.medium,
                scan.low,
                scan.unknown,
                scan.fixable,
                scan.suppressed.len()
            );
        }
        out.push_str("</tbody>\n</table>\n");
        let suppressed: Vec<String> = report.vulnerability_scans.iter().flat_map(|scan| scan.suppressed_lines()).collect();
        if !suppressed.is_empty() {
            out.push_str("<h3>Suppressed (VEX or ignore list)</h3>\n<ul>\n");
            for line in suppressed {
                let _ = writeln!(out, "<li>{}</li>", text(&line));
            }
            out.push_str("</ul>\n");
        }
    }
    let vulnerable: Vec<&Finding> = report.findings.iter().filter(|f| f.rule.starts_with("VUL")).collect();
    if vulnerable.is_empty() {
        if report.vulnerability_scans.is_empty() {
            out.push_str("<p class=\"muted\">No vulnerability was matched, or no image was scanned (see checklist item 4).</p>\n");
        }
    } else {
        out.push_str("<table>\n<thead><tr><th>Severity</th><th>Where</th><th>What</th><th>Fix</th></tr></thead>\n<tbody>\n");
        for f in vulnerable {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                severity_badge(f.severity),
                text(&finding_place(f)),
                text(&f.message),
                text(f.fix.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn write_secrets(out: &mut String, report: &Report) {
    out.push_str("<section id=\"secrets\">\n<h2>Secrets</h2>\n");
    let secrets: Vec<&Finding> = report.findings.iter().filter(|f| f.category == Category::Secrets || f.rule.starts_with("SEC")).collect();
    if secrets.is_empty() {
        out.push_str("<p class=\"muted\">No secret was found in what was examined.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"muted\">Values are never shown whole: a short prefix and the first digits of their SHA-256, so the owner can recognise and rotate them.</p>\n");
    out.push_str("<table>\n<thead><tr><th>Where</th><th>What</th><th>Evidence (masked)</th></tr></thead>\n<tbody>\n");
    for f in secrets {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td></tr>",
            text(&finding_place(f)),
            text(&f.message),
            text(f.evidence.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn write_errors_and_notices(out: &mut String, report: &Report) {
    if !report.errors.is_empty() {
        out.push_str("<section id=\"errors\">\n<h2>Inputs that could not be analysed</h2>\n<ul>\n");
        for e in &report.errors {
            let _ = writeln!(out, "<li><code>{}</code>: {}</li>", text(&place(&e.path, e.line, e.column)), text(&e.message));
        }
        out.push_str("</ul>\n</section>\n");
    }
    if !report.notices.is_empty() {
        out.push_str("<section id=\"notices\">\n<h2>Notices</h2>\n<ul>\n");
        for n in &report.notices {
            let _ = writeln!(out, "<li><code>{}</code> <code>{}</code>: {}</li>", text(&n.kind), text(&place(&n.path, n.line, None)), text(&n.message));
        }
        out.push_str("</ul>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_hold_no_markup() {
        assert_eq!(anchor("rule", "DKF001"), "rule-DKF001");
        assert_eq!(anchor("rule", "\"><script>"), "rule-___script_");
    }
}
