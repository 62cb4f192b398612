//! Validation against the Compose Specification's JSON Schema (the one `docker compose`
//! embeds, see ../schema/README.md), over the positioned tree, so that a file compose would
//! reject is rejected here with the line and column of the offending key or value.
//!
//! Only the JSON Schema keywords the compose schema uses are implemented: `type`, `$ref`,
//! `properties`, `patternProperties`, `additionalProperties`, `items`, `oneOf`, `required`,
//! `enum`, `minimum`, `maximum`, `pattern`, `uniqueItems`.

use crate::yaml::{Node, Pos, ScalarKind, Value};
use serde_json::Value as Json;
use std::sync::OnceLock;

const SCHEMA_TEXT: &str = include_str!("../schema/compose-spec.json");

fn schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    // The schema is part of the source tree and checked by a test; an unreadable one would be a
    // build defect, so an empty schema (accepting everything) is the fallback rather than a panic.
    SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or(Json::Null))
}

/// A schema violation: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub pos: Pos,
    pub message: String,
}

/// Validates a whole compose document (all files merged).
pub fn validate(root: &Node) -> Result<(), SchemaError> {
    let schema = schema();
    if schema.is_null() {
        return Ok(());
    }
    Validator { root: schema }.check(root, schema, &mut Vec::new())
}

struct Validator<'s> {
    root: &'s Json,
}

fn dotted(path: &[String]) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        path.join(".")
    }
}

impl<'s> Validator<'s> {
    fn resolve(&self, schema: &'s Json) -> &'s Json {
        let mut current = schema;
        // `$ref`s in the compose schema only point into `#/$defs`; a few levels cover chains.
        for _ in 0..8 {
            let Some(reference) = current.get("$ref").and_then(Json::as_str) else { break };
            let Some(name) = reference.strip_prefix("#/$defs/") else { break };
            match self.root.get("$defs").and_then(|d| d.get(name)) {
                Some(target) => current = target,
                None => break,
            }
        }
        current
    }

    fn check(&self, node: &Node, schema: &'s Json, path: &mut Vec<String>) -> Result<(), SchemaError> {
        let schema = self.resolve(schema);
        let Some(object) = schema.as_object() else { return Ok(()) };
        if let Some(types) = object.get("type") {
            if !type_matches(node, types) {
                return Err(error(node, format!("{} must be {}, not {}", dotted(path), describe_types(types), node.type_name())));
            }
        }
        if let Some(options) = object.get("enum").and_then(Json::as_array) {
            if !options.iter().any(|option| json_equals(node, option)) {
                let allowed: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                return Err(error(node, format!("{} must be one of {}", dotted(path), allowed.join(", "))));
            }
        }
        if let Some(scalar) = node.as_scalar() {
            let number = match scalar.kind {
                ScalarKind::Int(n) => Some(n as f64),
                ScalarKind::Float => scalar.text.parse::<f64>().ok(),
                _ => None,
            };
            if let Some(n) = number {
                if let Some(min) = object.get("minimum").and_then(Json::as_f64) {
                    if n < min {
                        return Err(error(node, format!("{} must be at least {min}", dotted(path))));
                    }
                }
                if let Some(max) = object.get("maximum").and_then(Json::as_f64) {
                    if n > max {
                        return Err(error(node, format!("{} must be at most {max}", dotted(path))));
                    }
                }
            }
            if let (Some(pattern), ScalarKind::Str) = (object.get("pattern").and_then(Json::as_str), scalar.kind) {
                if !pattern_matches(pattern, &scalar.text) {
                    return Err(error(node, format!("{} `{}` does not match `{pattern}`", dotted(path), scalar.text)));
                }
            }
        }
        if let Some(branches) = object.get("oneOf").and_then(Json::as_array) {
            self.check_one_of(node, branches, path)?;
        }
        match &node.value {
            Value::Map(entries) => {
                if let Some(required) = object.get("required").and_then(Json::as_array) {
                    for name in required.iter().filter_map(Json::as_str) {
                        if !entries.iter().any(|e| e.name() == name) {
                            return Err(error(node, format!("{} is missing the required key `{name}`", dotted(path))));
                        }
                    }
                }
                let properties = object.get("properties").and_then(Json::as_object);
                let patterns = object.get("patternProperties").and_then(Json::as_object);
                let additional = object.get("additionalProperties");
                for entry in entries {
                    let name = entry.name();
                    path.push(name.to_string());
                    let mut matched = false;
                    if let Some(sub) = properties.and_then(|p| p.get(name)) {
                        matched = true;
                        self.check(&entry.value, sub, path)?;
                    }
                    if let Some(patterns) = patterns {
                        for (pattern, sub) in patterns {
                            if key_pattern_matches(pattern, name) {
                                matched = true;
                                self.check(&entry.value, sub, path)?;
                            }
                        }
                    }
                    if !matched {
                        match additional {
                            Some(Json::Bool(false)) => {
                                path.pop();
                                return Err(SchemaError {
                                    pos: entry.key.at.clone(),
                                    message: unknown_key_message(path, name),
                                });
                            }
                            Some(sub @ Json::Object(_)) => self.check(&entry.value, sub, path)?,
                            _ => {}
                        }
                    }
                    path.pop();
                }
            }
            Value::Seq(items) => {
                if let Some(item_schema) = object.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        path.push(index.to_string());
                        self.check(item, item_schema, path)?;
                        path.pop();
                    }
                }
                if object.get("uniqueItems").and_then(Json::as_bool) == Some(true) {
                    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
                    for item in items {
                        if let Some(first_line) = seen.insert(canonical(item), item.at.line) {
                            return Err(error(
                                item,
                                format!("{} lists the same item twice (first at line {first_line})", dotted(path)),
                            ));
                        }
                    }
                }
            }
            Value::Scalar(_) => {}
        }
        Ok(())
    }

    /// `oneOf`: exactly one branch must hold. When none does, the error of the branch whose type
    /// fits the value is the useful one (`ports.0` is a mapping, so say what is wrong with it as
    /// a mapping); when no branch's type fits, list the types that would.
    fn check_one_of(&self, node: &Node, branches: &'s [Json], path: &mut Vec<String>) -> Result<(), SchemaError> {
        let mut fitting_error = None;
        for branch in branches {
            match self.check(node, branch, path) {
                Ok(()) => return Ok(()),
                Err(e) => {
                    let resolved = self.resolve(branch);
                    let fits = resolved.get("type").is_none_or(|t| type_matches(node, t));
                    if fits && fitting_error.is_none() {
                        fitting_error = Some(e);
                    }
                }
            }
        }
        if let Some(e) = fitting_error {
            return Err(e);
        }
        let kinds: Vec<String> = branches
            .iter()
            .filter_map(|b| self.resolve(b).get("type"))
            .map(describe_types)
            .collect();
        Err(error(node, format!("{} must be {}, not {}", dotted(path), join_or(&kinds), node.type_name())))
    }
}

fn error(node: &Node, message: String) -> SchemaError {
    SchemaError { pos: node.at.clone(), message }
}

fn unknown_key_message(path: &[String], name: &str) -> String {
    let place = if path.is_empty() { "at the top level".to_string() } else { format!("in {}", path.join(".")) };
    format!("unknown key `{name}` {place} (docker compose rejects it; custom keys must start with `x-`)")
}

fn type_matches(node: &Node, types: &Json) -> bool {
    match types {
        Json::String(name) => one_type_matches(node, name),
        Json::Array(names) => names.iter().filter_map(Json::as_str).any(|name| one_type_matches(node, name)),
        _ => true,
    }
}

fn one_type_matches(node: &Node, name: &str) -> bool {
    match (&node.value, name) {
        (Value::Map(_), "object") | (Value::Seq(_), "array") => true,
        (Value::Scalar(s), _) => matches!(
            (s.kind, name),
            (ScalarKind::Str, "string")
                | (ScalarKind::Null, "null")
                | (ScalarKind::Bool(_), "boolean")
                | (ScalarKind::Int(_), "integer" | "number")
                | (ScalarKind::Float, "number")
        ),
        _ => false,
    }
}

fn describe_types(types: &Json) -> String {
    let article = |name: &str| match name {
        "object" => "a mapping".to_string(),
        "array" => "a list".to_string(),
        "string" => "a string".to_string(),
        "integer" => "an integer".to_string(),
        "number" => "a number".to_string(),
        "boolean" => "a boolean".to_string(),
        "null" => "null".to_string(),
        other => other.to_string(),
    };
    match types {
        Json::String(name) => article(name),
        Json::Array(names) => {
            let names: Vec<String> = names.iter().filter_map(Json::as_str).map(article).collect();
            join_or(&names)
        }
        _ => "valid".to_string(),
    }
}

fn join_or(items: &[String]) -> String {
    let mut unique: Vec<&String> = Vec::new();
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    match unique.as_slice() {
        [] => "valid".to_string(),
        [one] => (*one).clone(),
        [rest @ .., last] => format!("{} or {last}", rest.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")),
    }
}

fn json_equals(node: &Node, value: &Json) -> bool {
    match (node.as_scalar(), value) {
        (Some(s), Json::String(text)) => s.kind == ScalarKind::Str && s.text == *text,
        (Some(s), Json::Bool(b)) => s.kind == ScalarKind::Bool(*b),
        (Some(s), Json::Number(n)) => match s.kind {
            ScalarKind::Int(i) => n.as_i64() == Some(i),
            _ => false,
        },
        (Some(s), Json::Null) => s.kind == ScalarKind::Null,
        _ => false,
    }
}

/// A string identifying a node's value for `uniqueItems` (type-tagged, so `80` and `"80"`
/// differ as they do in JSON).
fn canonical(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => match s.kind {
            ScalarKind::Str => format!("s:{}", s.text),
            ScalarKind::Null => "null".to_string(),
            ScalarKind::Bool(b) => format!("b:{b}"),
            ScalarKind::Int(i) => format!("n:{i}"),
            ScalarKind::Float => format!("n:{}", s.text.parse::<f64>().map_or(s.text.clone(), |f| f.to_string())),
        },
        Value::Seq(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Map(entries) => {
            let mut parts: Vec<String> = entries.iter().map(|e| format!("{}={}", e.name(), canonical(&e.value))).collect();
            parts.sort();
            format!("{{{}}}", parts.join(","))
        }
    }
}

/// The `patternProperties` patterns the compose schema uses.
fn key_pattern_matches(pattern: &str, key: &str) -> bool {
    match pattern {
        "^x-" => key.starts_with("x-"),
        "^.+$" | ".+" => !key.is_empty() && !key.contains('\n'),
        "^[a-zA-Z0-9._-]+$" => !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
        "^[a-z]+$" => !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase()),
        _ => true,
    }
}

/// The `pattern` values the compose schema uses (JSON Schema patterns are unanchored searches).
fn pattern_matches(pattern: &str, text: &str) -> bool {
    match pattern {
        "[a-zA-Z0-9][a-zA-Z0-9_.-]+" => {
            let bytes = text.as_bytes();
            bytes.windows(2).any(|w| w[0].is_ascii_alphanumeric() && (w[1].is_ascii_alphanumeric() || b"_.-".contains(&w[1])))
        }
        "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+" => {
            ["always", "never", "build", "if_not_present", "missing", "refresh", "daily", "weekly"].iter().any(|w| text.contains(w))
                || text.match_indices("every_").any(|(i, _)| {
                    let rest = &text.as_bytes()[i + 6..];
                    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                    digits > 0 && rest.get(digits).is_some_and(|b| b"wdhms".contains(b))
                })
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, YamlLimits};
    use std::sync::Arc;

    fn check(text: &str) -> Result<(), SchemaError> {
        let docs = parse(text, &Arc::from("c.yaml"), YamlLimits::default()).expect("valid YAML");
        validate(&docs[0])
    }

    #[test]
    fn the_embedded_schema_parses_and_uses_only_known_patterns() {
        let schema: Json = serde_json::from_str(SCHEMA_TEXT).expect("schema is JSON");
        let known_keys = ["^x-", "^.+$", ".+", "^[a-zA-Z0-9._-]+$", "^[a-z]+$"];
        let known_values =
            ["[a-zA-Z0-9][a-zA-Z0-9_.-]+", "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+"];
        fn walk(value: &Json, keys: &[&str], values: &[&str]) {
            match value {
                Json::Object(map) => {
                    for (k, v) in map {
                        if k == "patternProperties" {
                            for pattern in v.as_object().into_iter().flat_map(|m| m.keys()) {
                                assert!(keys.contains(&pattern.as_str()), "unknown key pattern {pattern}");
                            }
                        }
                        if k == "pattern" {
                            if let Some(p) = v.as_str() {
                                assert!(values.contains(&p), "unknown value pattern {p}");
                            }
                        }
                        walk(v, keys, values);
                    }
                }
                Json::Array(items) => items.iter().for_each(|i| walk(i, keys, values)),
                _ => {}
            }
        }
        walk(&schema, &known_keys, &known_values);
        assert!(!schema.is_null());
    }

    #[test]
    fn accepts_a_plain_file() {
        check("services:\n  web:\n    image: nginx\n    ports: ['80:80', 443, {target: 80, published: '8080'}]\n    x-custom: 1\nx-top: {}\n")
            .expect("valid");
    }

    #[test]
    fn unknown_keys_are_rejected_at_the_key() {
        let err = check("services:\n  web:\n    image: nginx\n    privilegd: true\n").expect_err("typo");
        assert_eq!((err.pos.line, err.pos.column), (4, 5));
        assert!(err.message.contains("`privilegd`") && err.message.contains("services.web"), "{}", err.message);
        let err = check("servics: {}\n").expect_err("typo at top");
        assert!(err.message.contains("top level"), "{}", err.message);
    }

    #[test]
    fn wrong_types_name_the_path_and_position() {
        let err = check("services:\n  web:\n    image: nginx\n    ports:\n      http: 80\n").expect_err("mapping ports");
        assert_eq!(err.pos.line, 5);
        assert!(err.message.starts_with("services.web.ports must be a list"), "{}", err.message);
        let err = check("services:\n  web:\n    image: [nginx]\n").expect_err("list image");
        assert!(err.message.contains("services.web.image must be a string"), "{}", err.message);
    }

    #[test]
    fn one_of_reports_the_branch_that_fits() {
        let err = check("services:\n  web:\n    image: nginx\n    ports:\n      - {target: 80, publishd: 8080}\n").expect_err("typo");
        assert!(err.message.contains("unknown key `publishd` in services.web.ports.0"), "{}", err.message);
        assert_eq!((err.pos.line, err.pos.column), (5, 22));
        let err = check("services:\n  web:\n    image: nginx\n    extends: {file: other.yml}\n").expect_err("no service");
        assert!(err.message.contains("required key `service`"), "{}", err.message);
    }

    #[test]
    fn enums_and_duplicates() {
        let err = check("services:\n  web:\n    image: x\n    cgroup: shared\n").expect_err("enum");
        assert!(err.message.contains("\"host\""), "{}", err.message);
        let err = check("services:\n  web:\n    image: x\n    cap_add: [NET_ADMIN, NET_ADMIN]\n").expect_err("dup");
        assert!(err.message.contains("same item twice"), "{}", err.message);
    }
}
