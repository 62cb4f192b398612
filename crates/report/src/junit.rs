//! JUnit XML, for CI dashboards that show test results (GitLab, Jenkins, Azure Pipelines).
//!
//! One `<testsuite>` per file, one `<testcase>` per finding (a `<failure>` whose `type` is the
//! severity), and one passing test case for a file without findings so the dashboard shows that
//! it was checked. An input that could not be analysed is a test case with an `<error>`.

use crate::{place, xml, RenderOptions};
use rampart_model::{Finding, InputError, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

/// A test case's outcome.
enum Outcome<'a> {
    Passed,
    Failed(&'a Finding),
    Errored(&'a InputError),
}

struct Case<'a> {
    name: String,
    line: Option<u32>,
    outcome: Outcome<'a>,
}

pub fn render(report: &Report, options: &RenderOptions<'_>) -> String {
    // Suites by name (the file's path, or the object for findings not in a file), sorted so the
    // output does not depend on the order findings arrive in.
    let mut suites: BTreeMap<&str, Vec<Case<'_>>> = BTreeMap::new();
    for path in options.files {
        suites.entry(path).or_default();
    }
    for finding in &report.findings {
        let loc = &finding.location;
        let suite = loc.path.as_deref().or(loc.object.as_deref()).unwrap_or("unknown");
        let at = match (loc.line, loc.column) {
            (Some(l), Some(c)) => format!(" at {l}:{c}"),
            (Some(l), None) => format!(" at line {l}"),
            _ => String::new(),
        };
        suites.entry(suite).or_default().push(Case {
            name: format!("{}: {}{at}", finding.rule, finding.title),
            line: loc.line,
            outcome: Outcome::Failed(finding),
        });
    }
    for error in &report.errors {
        suites.entry(&error.path).or_default().push(Case {
            name: "analyse".to_string(),
            line: error.line,
            outcome: Outcome::Errored(error),
        });
    }
    for cases in suites.values_mut() {
        if cases.is_empty() {
            cases.push(Case { name: "no findings".to_string(), line: None, outcome: Outcome::Passed });
        }
    }

    let count = |pred: fn(&Outcome<'_>) -> bool, cases: &[Case<'_>]| cases.iter().filter(|c| pred(&c.outcome)).count();
    let is_failure = |o: &Outcome<'_>| matches!(o, Outcome::Failed(_));
    let is_error = |o: &Outcome<'_>| matches!(o, Outcome::Errored(_));
    let all: Vec<&Case<'_>> = suites.values().flatten().collect();
    let total_failures = all.iter().filter(|c| is_failure(&c.outcome)).count();
    let total_errors = all.iter().filter(|c| is_error(&c.outcome)).count();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{total_failures}\" errors=\"{total_errors}\">",
        xml::attr(&report.tool.name),
        all.len(),
    );
    for (suite, cases) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            xml::attr(suite),
            cases.len(),
            count(is_failure, cases),
            count(is_error, cases),
        );
        for case in cases {
            write_case(&mut out, suite, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_case(out: &mut String, suite: &str, case: &Case<'_>) {
    let line = case.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"{line}",
        xml::attr(&case.name),
        xml::attr(suite),
        xml::attr(suite),
    );
    match case.outcome {
        Outcome::Passed => out.push_str("/>\n"),
        Outcome::Failed(finding) => {
            out.push_str(">\n");
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml::attr(&finding.message),
                finding.severity,
                xml::text(&failure_details(finding)),
            );
            out.push_str("    </testcase>\n");
        }
        Outcome::Errored(error) => {
            out.push_str(">\n");
            let _ = writeln!(
                out,
                "      <error message=\"{}\" type=\"input-error\">{}</error>",
                xml::attr(&error.message),
                xml::text(&error_details(error)),
            );
            out.push_str("    </testcase>\n");
        }
    }
}

/// The failure's body: what a reader of the CI log needs without opening another report.
fn failure_details(f: &Finding) -> String {
    let mut body = format!("{} [{}] {}", f.severity, f.rule, f.title);
    if !f.aliases.is_empty() {
        let _ = write!(body, " ({})", f.aliases.join(", "));
    }
    let loc = &f.location;
    if let Some(path) = &loc.path {
        let _ = write!(body, "\nat {}", place(path, loc.line, loc.column));
    } else if let Some(object) = &loc.object {
        let _ = write!(body, "\nat {object}");
    }
    let _ = write!(body, "\n{}", f.message);
    if let Some(evidence) = &f.evidence {
        let _ = write!(body, "\nevidence: {evidence}");
    }
    if let Some(fix) = &f.fix {
        let _ = write!(body, "\nfix: {fix}");
    }
    body
}

fn error_details(e: &InputError) -> String {
    format!("{}: {}", place(&e.path, e.line, e.column), e.message)
}
