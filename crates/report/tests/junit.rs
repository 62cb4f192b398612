//! JUnit XML: parsed back with a real XML parser, one suite per file, one case per finding,
//! a passing case for a clean file, and hostile strings that survive as data.

mod common;

use common::*;
use rampart_model::Report;
use rampart_report::{render, Format, RenderOptions};
use std::collections::BTreeMap;

#[derive(Debug, Default)]
struct Case {
    name: String,
    classname: String,
    line: Option<String>,
    failure: Option<(String, String, String)>, // message, type, body
    error: Option<(String, String)>,           // message, body
}

#[derive(Debug, Default)]
struct Suite {
    attrs: BTreeMap<String, String>,
    cases: Vec<Case>,
}

fn attrs(node: roxmltree::Node<'_, '_>) -> BTreeMap<String, String> {
    node.attributes().map(|a| (a.name().to_string(), a.value().to_string())).collect()
}

/// Parses the whole document with a conforming parser; panics on anything not well-formed.
fn parse(xml: &str) -> (BTreeMap<String, String>, Vec<Suite>) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut suites = Vec::new();
    for suite in root.children().filter(|n| n.is_element()) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        let mut cases = Vec::new();
        for case in suite.children().filter(|n| n.is_element()) {
            assert_eq!(case.tag_name().name(), "testcase");
            let a = attrs(case);
            let mut parsed = Case {
                name: a["name"].clone(),
                classname: a["classname"].clone(),
                line: a.get("line").cloned(),
                ..Case::default()
            };
            for outcome in case.children().filter(|n| n.is_element()) {
                let o = attrs(outcome);
                let body = outcome.text().unwrap_or_default().to_string();
                match outcome.tag_name().name() {
                    "failure" => parsed.failure = Some((o["message"].clone(), o["type"].clone(), body)),
                    "error" => parsed.error = Some((o["message"].clone(), body)),
                    other => panic!("unexpected <{other}> in a test case"),
                }
            }
            cases.push(parsed);
        }
        suites.push(Suite { attrs: attrs(suite), cases });
    }
    (attrs(root), suites)
}

fn junit(report: &Report) -> String {
    let files = files();
    let options = RenderOptions { color: false, source: &source, rules: &[], files: &files, snapshot: None, generated_at: None };
    render(report, Format::Junit, &options)
}

#[test]
fn one_suite_per_file_one_case_per_finding() {
    let report = report();
    let (root, suites) = parse(&junit(&report));
    let names: Vec<&str> = suites.iter().map(|s| s.attrs["name"].as_str()).collect();
    assert_eq!(names, [APP, BROKEN, CLEAN, HOSTILE_PATH, "image:nginx:latest"]);

    let app = &suites[0];
    assert_eq!(app.cases.len(), 3);
    assert_eq!(app.attrs["tests"], "3");
    assert_eq!(app.attrs["failures"], "3");
    assert!(app.cases.iter().all(|c| c.classname == APP && c.failure.is_some()));
    let (message, kind, body) = app.cases[0].failure.clone().unwrap();
    assert_eq!(kind, "critical");
    assert_eq!(message, "`API_TOKEN` holds a GitHub token");
    assert!(body.contains("at app/Dockerfile:4:5"), "{body}");
    assert!(body.contains("evidence: ghp_…(sha256:"), "{body}");
    assert_eq!(app.cases[0].line.as_deref(), Some("4"));
    assert_eq!(app.cases[1].name, "DKF001: Do not use sudo in RUN at 3:5");

    // A file without findings is one passing test case.
    let clean = &suites[2];
    assert_eq!(clean.cases.len(), 1);
    assert!(clean.cases[0].failure.is_none() && clean.cases[0].error.is_none());
    assert_eq!(clean.attrs["failures"], "0");

    // An input error is an <error>, not a failure.
    let broken = &suites[1];
    assert_eq!(broken.attrs["errors"], "1");
    let (message, body) = broken.cases[0].error.clone().unwrap();
    assert_eq!(message, "unterminated heredoc `EOF` started here");
    assert!(body.starts_with("broken/Dockerfile:7:1: "), "{body}");

    let total: usize = suites.iter().map(|s| s.cases.len()).sum();
    assert_eq!(root["tests"], total.to_string());
    assert_eq!(root["failures"], report.findings.len().to_string());
    assert_eq!(root["errors"], "1");
}

#[test]
fn hostile_strings_survive_as_data() {
    let xml = junit(&report());
    assert!(!xml.contains("<script>"), "raw markup leaked into the XML");
    assert!(!xml.contains('\u{1b}'), "a control character leaked into the XML");
    let (_, suites) = parse(&xml);
    let hostile = suites.iter().find(|s| s.attrs["name"] == HOSTILE_PATH).expect("the hostile path is a suite name, intact");
    let (message, _, body) = hostile.cases[0].failure.clone().unwrap();
    // Everything but the ESC (not representable in XML 1.0) round-trips, newline included.
    assert_eq!(message, HOSTILE_MESSAGE.replace('\u{1b}', "\u{FFFD}"));
    assert!(body.contains("evidence: RUN echo `id` ``two`` <img src=x onerror=alert(1)>"), "{body}");
    assert!(body.contains("fix: line one\n- not a list"), "{body}");
}

#[test]
fn an_empty_scan_is_an_empty_but_valid_document() {
    let report = Report::new(vec![], vec![], vec![], 0, 0);
    let options = RenderOptions::plain();
    let (root, suites) = parse(&render(&report, Format::Junit, &options));
    assert!(suites.is_empty());
    assert_eq!(root["tests"], "0");
}
