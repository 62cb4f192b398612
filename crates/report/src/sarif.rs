//! SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps, GitLab) ingest.
//!
//! One run: the tool with its full rule table (generated from rule metadata, so a viewer can show
//! a rule's documentation next to each result), one result per finding, and the inputs that
//! could not be analysed as tool execution notifications. Tests validate the output against the
//! official OASIS schema (crates/report/tests/schemas/).

use crate::RenderOptions;
use rampart_model::{Finding, InputError, Notice, Report, RuleMeta, Severity};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, LogicalLocation, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The schema URI SARIF files name: the OASIS standard's, errata 01.
const SARIF_SCHEMA_URI: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Relative artifact URIs are resolved against this base: the root the scan ran from.
const SRCROOT: &str = "%SRCROOT%";

/// The key of rampart's partial fingerprint; the `/v1` suffix is bumped if the recipe changes,
/// as SARIF §3.27.17 recommends, so viewers do not match old and new fingerprints.
const FINGERPRINT_KEY: &str = "rampart/v1";

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    let log = sarif_log(report, options);
    let mut out = serde_json::to_string_pretty(&log).expect("a SARIF log always serialises");
    out.push('\n');
    out
}

fn sarif_log(report: &Report, options: &RenderOptions<'_>) -> Sarif {
    let rule_index: HashMap<&str, usize> = options.rules.iter().enumerate().map(|(i, m)| (m.code, i)).collect();
    let mut fingerprints = Fingerprints::default();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|finding| result(finding, rule_index.get(finding.rule.as_str()).copied(), &mut fingerprints, options))
        .collect();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver(report, options.rules)).build())
        .invocations(vec![invocation(report)])
        .results(results)
        // Our columns count Unicode scalar values (characters), not UTF-16 code units.
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder().schema(SARIF_SCHEMA_URI).version(json!("2.1.0")).runs(vec![run]).build()
}

fn driver(report: &Report, rules: &[&RuleMeta]) -> ToolComponent {
    // Set only when the workspace manifest names a public repository (it does not yet).
    let information_uri = env!("CARGO_PKG_REPOSITORY");
    let driver = ToolComponent::builder()
        .name(report.tool.name.clone())
        .version(report.tool.version.clone())
        .semantic_version(report.tool.version.clone())
        .rules(rules.iter().map(|m| rule_descriptor(m)).collect::<Vec<_>>());
    if information_uri.is_empty() {
        driver.build()
    } else {
        let mut driver = driver.build();
        driver.information_uri = Some(information_uri.to_string());
        driver
    }
}

/// A `reportingDescriptor` for one rule, with the properties GitHub code scanning reads: `tags`
/// (it treats a rule as a security rule only when they include `security`), `precision`, and
/// `security-severity`, a CVSS-like score as a string.
fn rule_descriptor(m: &RuleMeta) -> ReportingDescriptor {
    let mut tags = vec!["security".to_string(), m.category.as_str().to_string()];
    tags.extend(m.checklist.iter().map(|n| format!("checklist-{n}")));
    let mut extra = BTreeMap::new();
    extra.insert("category".to_string(), json!(m.category));
    extra.insert("checklist".to_string(), json!(m.checklist));
    extra.insert("aliases".to_string(), json!(m.aliases));
    extra.insert("severity".to_string(), json!(m.severity));
    extra.insert("precision".to_string(), json!("high"));
    if let Some(score) = security_severity(m.severity) {
        extra.insert("security-severity".to_string(), json!(score));
    }
    let help_text = format!("{}\n\nFix: {}", m.docs.what.trim(), m.docs.fix.trim());
    ReportingDescriptor::builder()
        .id(m.code)
        .name(m.name)
        .short_description(MultiformatMessageString::builder().text(m.title).build())
        .full_description(MultiformatMessageString::builder().text(m.docs.what.trim()).build())
        .help(MultiformatMessageString::builder().text(help_text).markdown(crate::rule_doc_markdown(m)).build())
        .default_configuration(ReportingConfiguration::builder().level(json!(level(m.severity).to_string())).build())
        .properties(PropertyBag::builder().tags(tags).additional_properties(extra).build())
        .build()
}

/// SARIF levels: only `error` fails most CI gates by default, so critical and high map to it.
fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub's bands: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. Informational
/// rules get no score, so they stay notes rather than count as low-severity vulnerabilities.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

fn result(finding: &Finding, rule_index: Option<usize>, fingerprints: &mut Fingerprints, options: &RenderOptions<'_>) -> SarifResult {
    let mut extra = BTreeMap::new();
    extra.insert("severity".to_string(), json!(finding.severity));
    extra.insert("category".to_string(), json!(finding.category));
    extra.insert("checklist".to_string(), json!(finding.checklist));
    extra.insert("aliases".to_string(), json!(finding.aliases));
    if let Some(evidence) = &finding.evidence {
        extra.insert("evidence".to_string(), json!(evidence));
    }
    if let Some(fix) = &finding.fix {
        extra.insert("fix".to_string(), json!(fix));
    }
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(FINGERPRINT_KEY.to_string(), fingerprints.next(finding, options.source));
    let mut result = SarifResult::builder()
        .rule_id(finding.rule.clone())
        .level(level(finding.severity))
        .message(Message::builder().text(finding.message.clone()).build())
        .locations(vec![location(finding)])
        .partial_fingerprints(partial_fingerprints)
        .properties(PropertyBag::builder().additional_properties(extra).build())
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    result
}

fn location(finding: &Finding) -> Location {
    let loc = &finding.location;
    match &loc.path {
        Some(path) => Location::builder()
            .physical_location(physical_location(path, loc.line, loc.column, loc.end_line, loc.end_column))
            .build(),
        None => {
            let object = loc.object.clone().unwrap_or_else(|| "unknown".to_string());
            Location::builder()
                .logical_locations(vec![LogicalLocation::builder().fully_qualified_name(object).build()])
                .build()
        }
    }
}

fn physical_location(path: &str, line: Option<u32>, column: Option<u32>, end_line: Option<u32>, end_column: Option<u32>) -> PhysicalLocation {
    let artifact = artifact_location(path);
    let Some(start_line) = line else {
        return PhysicalLocation::builder().artifact_location(artifact).build();
    };
    // SARIF's endColumn is the column after the region, as ours is.
    let region = Region {
        start_line: Some(i64::from(start_line)),
        start_column: column.map(i64::from),
        end_line: end_line.map(i64::from),
        end_column: end_column.map(i64::from),
        ..Region::default()
    };
    PhysicalLocation::builder().artifact_location(artifact).region(region).build()
}

/// A path as SARIF wants it: a relative URI reference against `%SRCROOT%` for relative paths,
/// a `file://` URI for absolute ones, percent-encoded either way.
fn artifact_location(path: &str) -> ArtifactLocation {
    let normalized = path.replace('\\', "/");
    if normalized.starts_with('/') {
        ArtifactLocation::builder().uri(format!("file://{}", percent_encode_path(&normalized))).build()
    } else {
        let mut relative = normalized.as_str();
        while let Some(rest) = relative.strip_prefix("./") {
            relative = rest;
        }
        ArtifactLocation::builder().uri(percent_encode_path(relative)).uri_base_id(SRCROOT).build()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/`. A `:` is encoded too,
/// so a relative path's first segment is never read as a URI scheme.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Fingerprints that survive edits elsewhere in the file: a hash of the rule, the path and the
/// flagged line's text (whitespace-normalised), not its number. Identical lines flagged by the
/// same rule in the same file are told apart by their order of appearance.
#[derive(Default)]
struct Fingerprints {
    seen: HashMap<String, usize>,
}

impl Fingerprints {
    fn next(&mut self, finding: &Finding, source: &dyn Fn(&str) -> Option<String>) -> String {
        let loc = &finding.location;
        let place = loc.path.clone().or_else(|| loc.object.clone()).unwrap_or_default();
        let line_text = match (&loc.path, loc.line) {
            (Some(path), Some(line)) => source(path).and_then(|text| {
                text.lines().nth((line as usize).saturating_sub(1)).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            }),
            _ => None,
        };
        // Without the source, the message is the most stable text there is.
        let content = line_text.unwrap_or_else(|| finding.message.clone());
        let key = format!("{}\0{}\0{}", finding.rule, place, content);
        let occurrence = self.seen.entry(key.clone()).or_insert(0);
        *occurrence += 1;
        let digest = Sha256::digest(format!("{key}\0{occurrence}").as_bytes());
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The run's invocation: it did not succeed when some input could not be analysed, and each
/// such input is an error notification naming the file and, where known, the line.
fn invocation(report: &Report) -> Invocation {
    let errors: Vec<Notification> = report.errors.iter().map(error_notification).collect();
    let notices: Vec<Notification> = report.notices.iter().map(notice_notification).collect();
    let mut invocation = Invocation::builder().execution_successful(report.errors.is_empty()).build();
    if !errors.is_empty() {
        invocation.tool_execution_notifications = Some(errors);
    }
    if !notices.is_empty() {
        invocation.tool_configuration_notifications = Some(notices);
    }
    invocation
}

fn error_notification(error: &InputError) -> Notification {
    let location = Location::builder()
        .physical_location(physical_location(&error.path, error.line, error.column, None, None))
        .build();
    Notification::builder()
        .level(json!("error"))
        .message(Message::builder().text(error.message.clone()).build())
        .locations(vec![location])
        .build()
}

/// Notices (an ignore comment that matched nothing, an unknown rule in the config) are about
/// how rampart was configured, so they go with the configuration notifications.
fn notice_notification(notice: &Notice) -> Notification {
    let location = Location::builder()
        .physical_location(physical_location(&notice.path, notice.line, None, None, None))
        .build();
    let mut extra = BTreeMap::new();
    extra.insert("kind".to_string(), Value::String(notice.kind.clone()));
    Notification::builder()
        .level(json!("warning"))
        .message(Message::builder().text(notice.message.clone()).build())
        .locations(vec![location])
        .properties(PropertyBag::builder().additional_properties(extra).build())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        let uri = |p: &str| artifact_location(p).uri.unwrap();
        assert_eq!(uri("./app/Dockerfile"), "app/Dockerfile");
        assert_eq!(uri("app dir/Dockerfile.prod"), "app%20dir/Dockerfile.prod");
        assert_eq!(uri("/tmp/x/Dockerfile"), "file:///tmp/x/Dockerfile");
        assert_eq!(uri("c:odd#name?"), "c%3Aodd%23name%3F");
        assert_eq!(uri("ünï/Dockerfile"), "%C3%BCn%C3%AF/Dockerfile");
        assert_eq!(artifact_location("/abs").uri_base_id, None);
        assert_eq!(artifact_location("rel").uri_base_id.as_deref(), Some(SRCROOT));
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), ResultLevel::Error);
        assert_eq!(level(Severity::High), ResultLevel::Error);
        assert_eq!(level(Severity::Medium), ResultLevel::Warning);
        assert_eq!(level(Severity::Low), ResultLevel::Note);
        assert_eq!(level(Severity::Info), ResultLevel::Note);
    }
}
