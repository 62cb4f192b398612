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

/// One row of the images table that HTML and Markdown show.
pub(crate) struct ImageRow<'a> {
    /// The first tag, else the object name without `image:`.
    pub name: String,
    pub id: &'a str,
    pub base_os: Option<&'a rampart_model::BaseOs>,
    /// How many findings are about the image itself.
    pub findings: usize,
}

pub(crate) fn image_rows(report: &Report) -> Vec<ImageRow<'_>> {
    report
        .images
        .iter()
        .map(|image| ImageRow {
            name: image.tags.first().cloned().unwrap_or_else(|| image.object.trim_start_matches("image:").to_string()),
            id: &image.id,
            base_os: image.base_os.as_ref(),
            findings: report.findings.iter().filter(|f| f.location.object.as_deref() == Some(image.object.as_str())).count(),
        })
        .collect()
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

/// Attack paths that differ only in their last container (one exposed container, a shared
/// network, then any of several containers that can take the host) merged into one, the
/// alternatives of that step listed together: a host with six such containers behind one
/// exposed port reads as one path, not six. Each step is a list of alternatives.
pub(crate) struct PathGroup {
    pub severity: rampart_model::Severity,
    pub steps: Vec<Vec<String>>,
    pub findings: Vec<String>,
}

pub(crate) fn group_attack_paths(paths: &[rampart_model::AttackPath]) -> Vec<PathGroup> {
    let mut groups: Vec<PathGroup> = Vec::new();
    for path in paths {
        let n = path.steps.len();
        // The step that varies is the one before `host root`; shorter paths stay as they are.
        let same_shape = |group: &PathGroup| {
            n >= 4
                && group.severity == path.severity
                && group.steps.len() == n
                && group.steps.iter().zip(&path.steps).enumerate().all(|(i, (alternatives, step))| i == n - 2 || alternatives[0] == *step)
        };
        match groups.iter_mut().find(|g| same_shape(g)) {
            Some(group) => {
                group.steps[n - 2].push(path.steps[n - 2].clone());
                for finding in &path.findings {
                    if !group.findings.contains(finding) {
                        group.findings.push(finding.clone());
                    }
                }
            }
            None => groups.push(PathGroup {
                severity: path.severity,
                steps: path.steps.iter().map(|step| vec![step.clone()]).collect(),
                findings: path.findings.clone(),
            }),
        }
    }
    groups
}

/// An attack path's findings (`RULE object` each) grouped by object, in order of first mention:
/// `[("container:web", ["CTR001", "CTR005"]), ("daemon", ["DMN002"])]`. A path through two
/// containers names a dozen findings each; grouped, it reads in one line per container.
pub(crate) fn findings_by_object(findings: &[String]) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for finding in findings {
        let (rule, object) = finding.split_once(' ').unwrap_or((finding.as_str(), ""));
        match groups.iter_mut().find(|(o, _)| o == object) {
            Some((_, rules)) => rules.push(rule.to_string()),
            None => groups.push((object.to_string(), vec![rule.to_string()])),
        }
    }
    groups
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

    #[test]
    fn paths_that_differ_in_their_last_container_are_merged() {
        use rampart_model::{AttackPath, Severity};
        let path = |steps: &[&str], findings: &[&str], severity| AttackPath {
            title: steps.join(" -> "),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            findings: findings.iter().map(|s| s.to_string()).collect(),
            severity,
        };
        let paths = [
            path(&["0.0.0.0:80", "container web (privileged)", "host root"], &["CTR001 container:web"], Severity::Critical),
            path(&["0.0.0.0:22", "container sshd", "network bridge (icc on)", "container a (privileged)", "host root"], &["CTR004 container:sshd", "CTR001 container:a"], Severity::High),
            path(&["0.0.0.0:22", "container sshd", "network bridge (icc on)", "container b (has ALL)", "host root"], &["CTR004 container:sshd", "CTR003 container:b"], Severity::High),
            path(&["0.0.0.0:80", "container web2", "network bridge (icc on)", "container a (privileged)", "host root"], &["CTR001 container:a"], Severity::High),
        ];
        let groups = group_attack_paths(&paths);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[1].steps[3], ["container a (privileged)", "container b (has ALL)"]);
        assert_eq!(groups[1].findings, ["CTR004 container:sshd", "CTR001 container:a", "CTR003 container:b"]);
        assert_eq!(groups[2].steps[1], ["container web2"]);
    }

    #[test]
    fn path_findings_group_by_object_in_order() {
        let findings: Vec<String> =
            ["CTR001 container:web", "DMN002 daemon", "CTR005 container:web", "CTR017 container:db app"].map(String::from).to_vec();
        let groups = findings_by_object(&findings);
        assert_eq!(
            groups,
            [
                ("container:web".to_string(), vec!["CTR001".to_string(), "CTR005".to_string()]),
                ("daemon".to_string(), vec!["DMN002".to_string()]),
                ("container:db app".to_string(), vec!["CTR017".to_string()]),
            ]
        );
    }
}
