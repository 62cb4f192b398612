//! The JSON contract: output validates against docs/json-schema/report.schema.json, and every
//! field the output carries is declared there (so the documented schema cannot fall behind).

mod common;

use common::*;
use rampart_model::Report;
use rampart_report::{render, Format, RenderOptions};
use serde_json::Value;

fn documented_schema() -> Value {
    read_json(&repo_root().join("docs/json-schema/report.schema.json"))
}

/// The schema with `additionalProperties: false` on every object that lists its properties:
/// consumers get the permissive schema, our own output is held to the strict one.
fn strict(mut schema: Value) -> Value {
    fn walk(node: &mut Value) {
        match node {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}

fn json(report: &Report) -> Value {
    serde_json::from_str(&render(report, Format::Json, &RenderOptions::plain())).expect("JSON output parses")
}

fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the documented schema compiles");
    validator.iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

#[test]
fn output_matches_the_documented_schema() {
    let schema = strict(documented_schema());
    // A host audit's report also answers the checklist.
    let mut audit = report();
    audit.checklist = vec![rampart_model::ChecklistAnswer {
        item: 2,
        title: "The Docker socket's permissions are minimal".into(),
        status: rampart_model::ChecklistStatus::Fail,
        evidence: vec!["/var/run/docker.sock is 666 root:docker".into()],
        findings: vec!["CTR005".into()],
    }];
    audit.attack_paths = vec![rampart_model::AttackPath {
        title: "0.0.0.0:8080->80/tcp -> container web (mounts /var/run/docker.sock) -> host root".into(),
        steps: vec!["0.0.0.0:8080->80/tcp".into(), "container web (mounts /var/run/docker.sock)".into(), "host root".into()],
        findings: vec!["CTR005 container:web".into()],
        severity: rampart_model::Severity::Critical,
    }];
    assert!(audit.findings.iter().all(|f| f.risk.is_some()), "every finding carries its risk");
    for report in [report(), Report::new(vec![], vec![], vec![], 0, 0), audit] {
        let errors = violations(&schema, &json(&report));
        assert!(errors.is_empty(), "JSON output violates docs/json-schema/report.schema.json:\n{}", errors.join("\n"));
    }
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let schema = strict(documented_schema());
    let good = json(&report());
    let mut missing_rule = good.clone();
    missing_rule["findings"][0].as_object_mut().unwrap().remove("rule");
    let mut bad_severity = good.clone();
    bad_severity["findings"][0]["severity"] = Value::String("severe".into());
    let mut zero_line = good.clone();
    zero_line["findings"][0]["location"]["line"] = Value::from(0);
    let mut undocumented = good.clone();
    undocumented["findings"][0]["score"] = Value::from(3);
    for (what, instance) in [("missing rule", missing_rule), ("bad severity", bad_severity), ("line 0", zero_line), ("undocumented field", undocumented)] {
        assert!(!violations(&schema, &instance).is_empty(), "schema accepted {what}");
    }
    // The published schema itself lets consumers meet new fields without failing.
    let mut added = good.clone();
    added["findings"][0]["score"] = Value::from(3);
    assert!(violations(&documented_schema(), &added).is_empty());
}

#[test]
fn the_fields_the_issue_requires_are_there() {
    let out = json(&report());
    assert_eq!(out["schema_version"], rampart_model::SCHEMA_VERSION);
    let finding = &out["findings"][0];
    for field in ["rule", "aliases", "severity", "category", "message", "location"] {
        assert!(finding.get(field).is_some(), "finding lacks `{field}`: {finding}");
    }
    for field in ["path", "line", "column"] {
        assert!(finding["location"].get(field).is_some(), "location lacks `{field}`");
    }
    assert!(finding["aliases"].is_array());
}

#[test]
fn the_documented_example_is_valid() {
    // docs/json-output.md carries an example; it must stay true to the schema.
    let doc = std::fs::read_to_string(repo_root().join("docs/json-output.md")).expect("docs/json-output.md exists");
    let start = doc.find("```json\n").expect("docs/json-output.md has a ```json example") + "```json\n".len();
    let end = start + doc[start..].find("\n```").expect("the example is closed");
    let example: Value = serde_json::from_str(&doc[start..end]).expect("the example is JSON");
    let errors = violations(&strict(documented_schema()), &example);
    assert!(errors.is_empty(), "the example in docs/json-output.md violates the schema:\n{}", errors.join("\n"));
}
