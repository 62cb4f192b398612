//! OSV records (https://ossf.github.io/osv-schema/), our own serde types: any ecosystem string is
//! kept (the record is not rejected because rampart does not know its ecosystem), unknown fields
//! are ignored, and `null` where a list is expected reads as an empty list.

use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Record {
    pub id: String,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    /// Set when the advisory was retracted; such records are never matched.
    #[serde(default)]
    pub withdrawn: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct SeverityScore {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ...
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Affected {
    #[serde(default)]
    pub package: Option<PackageRef>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub ranges: Vec<Range>,
    /// Explicitly enumerated affected versions.
    #[serde(default, deserialize_with = "list_or_null")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct PackageRef {
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Range {
    /// `ECOSYSTEM`, `SEMVER` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// Only meaningful for GIT ranges (an upper bound on the commits to walk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

fn list_or_null<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// Why a document is not an OSV record.
#[derive(Debug, thiserror::Error)]
#[error("not a valid OSV record: {0}")]
pub struct ParseError(#[from] serde_json::Error);

impl Record {
    /// Parses one OSV JSON document.
    pub fn from_json(bytes: &[u8]) -> Result<Record, ParseError> {
        let record: Record = serde_json::from_slice(bytes)?;
        if record.id.trim().is_empty() {
            return Err(ParseError(serde::de::Error::custom("empty id")));
        }
        Ok(record)
    }

    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.as_deref().is_some_and(|w| !w.trim().is_empty())
    }

    /// The record's id and its aliases.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::Record;

    #[test]
    fn unknown_ecosystem_and_fields_are_kept_and_nulls_read_as_empty() {
        let json = br#"{"id":"X-1","aliases":null,"future_field":{"a":1},
            "affected":[{"package":{"ecosystem":"SomethingNew:7","name":"thing"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2"}]}],"versions":null}]}"#;
        let record = Record::from_json(json).expect("parses");
        assert_eq!(record.affected[0].package.as_ref().map(|p| p.ecosystem.as_str()), Some("SomethingNew:7"));
        assert!(record.aliases.is_empty());
        assert!(record.affected[0].versions.is_empty());
        assert_eq!(record.affected[0].ranges[0].events[1].fixed.as_deref(), Some("2"));
    }

    #[test]
    fn malformed_documents_are_errors() {
        for bad in [&b"{"[..], b"[]", b"{\"id\":\"\"}", b"{\"id\":5}", b"{\"id\":\"A\",\"affected\":{}}"] {
            assert!(Record::from_json(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn withdrawn_is_recognised() {
        let record = Record::from_json(br#"{"id":"A","withdrawn":"2024-01-01T00:00:00Z"}"#).expect("parses");
        assert!(record.is_withdrawn());
        let record = Record::from_json(br#"{"id":"A"}"#).expect("parses");
        assert!(!record.is_withdrawn());
    }
}
