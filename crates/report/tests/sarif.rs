//! SARIF output: valid against the official SARIF 2.1.0 schema, with a rule table generated from
//! rule metadata and fingerprints that survive edits elsewhere in a file.

mod common;

use common::*;
use rampart_model::{Finding, Report};
use rampart_report::{render, rule_doc_markdown, Format, RenderOptions};
use serde_json::Value;
use std::path::PathBuf;

fn official_schema() -> Value {
    read_json(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-schema-2.1.0.json"))
}

fn sarif(report: &Report, source: &dyn Fn(&str) -> Option<String>) -> Value {
    let rules = rules();
    let files = files();
    let options = RenderOptions { color: false, source, rules: &rules, files: &files, snapshot: None, generated_at: None };
    let text = render(report, Format::Sarif, &options);
    serde_json::from_str(&text).expect("SARIF output is JSON")
}

fn assert_valid(instance: &Value) {
    let schema = official_schema();
    let validator = jsonschema::validator_for(&schema).expect("the official schema compiles");
    let errors: Vec<String> = validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF output violates the SARIF 2.1.0 schema:\n{}", errors.join("\n"));
}

#[test]
fn validates_against_the_official_schema() {
    assert_valid(&sarif(&report(), &source));
    // An empty scan and a scan with nothing but errors are valid too.
    assert_valid(&sarif(&Report::new(vec![], vec![], vec![], 0, 0), &source));
    let only_errors = Report::new(vec![], report().errors, vec![], 0, 0);
    assert_valid(&sarif(&only_errors, &source));
}

#[test]
fn the_schema_check_can_fail() {
    // Guards the test above against a validator that accepts anything.
    let mut log = sarif(&report(), &source);
    log["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    let schema = official_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&log));
    let mut log = sarif(&report(), &source);
    log["runs"][0]["tool"]["driver"]["rules"][0]["unknownField"] = Value::Bool(true);
    assert!(!validator.is_valid(&log));
}

#[test]
fn rule_table_is_generated_from_metadata() {
    let log = sarif(&report(), &source);
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "rampart");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let table = driver["rules"].as_array().unwrap();
    let metas = rules();
    assert_eq!(table.len(), metas.len());
    for (descriptor, meta) in table.iter().zip(&metas) {
        assert_eq!(descriptor["id"], meta.code);
        assert_eq!(descriptor["name"], meta.name);
        assert_eq!(descriptor["shortDescription"]["text"], meta.title);
        assert_eq!(descriptor["help"]["markdown"], rule_doc_markdown(meta));
        let tags: Vec<&str> = descriptor["properties"]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        assert!(tags.contains(&"security") && tags.contains(&meta.category.as_str()), "{tags:?}");
        for item in meta.checklist {
            assert!(tags.contains(&format!("checklist-{item}").as_str()), "{tags:?}");
        }
        let aliases: Vec<&str> = descriptor["properties"]["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert_eq!(aliases, meta.aliases);
    }
    // GitHub reads security-severity as a number in a string; info rules carry none.
    assert_eq!(table[0]["properties"]["security-severity"], "5.5");
    assert_eq!(table[1]["properties"]["security-severity"], "9.5");
    assert!(table[2]["properties"].get("security-severity").is_none());
    assert_eq!(table[1]["defaultConfiguration"]["level"], "error");
}

#[test]
fn results_point_at_their_rules_and_places() {
    let log = sarif(&report(), &source);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report().findings.len());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][index]["id"], result["ruleId"]);
    }
    // Findings come most severe first: the critical secret, then the medium sudo findings.
    let secret = &results[0];
    assert_eq!(secret["ruleId"], "SEC901");
    assert_eq!(secret["level"], "error");
    let physical = &secret["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "app/Dockerfile");
    assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(physical["region"]["startLine"], 4);
    assert_eq!(physical["region"]["startColumn"], 5);
    assert_eq!(physical["region"]["endLine"], 4);
    assert_eq!(physical["region"]["endColumn"], 55);
    // The evidence is the redacted form, never the secret.
    let evidence = secret["properties"]["evidence"].as_str().unwrap();
    assert!(!evidence.contains("ghp_0123456789abcdefghijABCDEFGHIJ012345"), "{evidence}");
    assert!(!log.to_string().contains("0123456789abcdefghijABCDEFGHIJ012345"), "the secret leaked into SARIF");

    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["error", "warning", "warning", "warning", "note"]);
    let hostile = results.iter().find(|r| r["message"]["text"] == common::HOSTILE_MESSAGE).unwrap();
    assert_eq!(hostile["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "evil%20dir/%3Cb%3E%26%22%27%60x%60.Dockerfile");
    let object = results.iter().find(|r| r["ruleId"] == "IMG901").unwrap();
    assert_eq!(object["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "image:nginx:latest");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

fn fingerprints(report: &Report, source: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let log = sarif(report, source);
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["rampart/v1"].as_str().unwrap().to_string())
        .collect()
}

/// The same findings after two lines were inserted at the top of app/Dockerfile.
fn shifted(findings: &[Finding], by: u32) -> Vec<Finding> {
    findings
        .iter()
        .cloned()
        .map(|mut f| {
            if f.location.path.as_deref() == Some(APP) {
                f.location.line = f.location.line.map(|l| l + by);
                f.location.end_line = f.location.end_line.map(|l| l + by);
            }
            f
        })
        .collect()
}

#[test]
fn fingerprints_follow_line_text_not_line_numbers() {
    let before = fingerprints(&Report::new(findings(), vec![], vec![], 3, 0), &source);
    let unique: std::collections::HashSet<&String> = before.iter().collect();
    assert_eq!(unique.len(), before.len(), "identical lines must still get distinct fingerprints: {before:?}");

    let shifted_source = |path: &str| {
        if path == APP {
            Some(format!("# syntax=docker/dockerfile:1\n\n{APP_SOURCE}"))
        } else {
            source(path)
        }
    };
    let after = fingerprints(&Report::new(shifted(&findings(), 2), vec![], vec![], 3, 0), &shifted_source);
    assert_eq!(before, after, "moving lines down must not change fingerprints");

    // Re-indenting the line does not change it either; changing its text does.
    let reindented = |path: &str| source(path).map(|t| if path == APP { t.replace("RUN sudo", "RUN   sudo") } else { t });
    assert_eq!(before, fingerprints(&Report::new(findings(), vec![], vec![], 3, 0), &reindented));
    let edited = |path: &str| source(path).map(|t| if path == APP { t.replace("ENV API_TOKEN", "ENV GH_TOKEN") } else { t });
    let after_edit = fingerprints(&Report::new(findings(), vec![], vec![], 3, 0), &edited);
    assert_ne!(before[0], after_edit[0]);
    assert_eq!(before[1..], after_edit[1..]);
}

#[test]
fn input_errors_and_notices_are_notifications() {
    let log = sarif(&report(), &source);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let errors = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["level"], "error");
    assert_eq!(errors[0]["message"]["text"], "unterminated heredoc `EOF` started here");
    let physical = &errors[0]["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], BROKEN);
    assert_eq!(physical["region"]["startLine"], 7);
    let notices = invocation["toolConfigurationNotifications"].as_array().unwrap();
    assert_eq!(notices[0]["properties"]["kind"], "unused-ignore");

    let clean = sarif(&Report::new(findings(), vec![], vec![], 3, 0), &source);
    assert_eq!(clean["runs"][0]["invocations"][0]["executionSuccessful"], true);
    assert!(clean["runs"][0]["invocations"][0].get("toolExecutionNotifications").is_none());
}
