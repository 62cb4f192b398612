//! The Compose Specification's merge rules, applied to positioned trees: how an override file
//! (or a service that `extends` another) combines with what came before, which sequences are
//! keyed (a later `ports` entry for the same port replaces the earlier one), and the `!reset` /
//! `!override` tags. Mirrors compose-go's `override` package, which `docker compose` uses.

use crate::yaml::{Entry, Node, Pos, Scalar, ScalarKind, Value};
use rampart_model::parse_volume_short;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeError {
    pub pos: Pos,
    pub message: String,
}

/// True when `path` matches `pattern` (dot-separated, `*` for any one segment).
fn matches(path: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split('.');
    for segment in path {
        match parts.next() {
            Some("*") => {}
            Some(part) if part == segment => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Special {
    /// Both sides become `KEY=VALUE` sequences and are concatenated (environment, labels...).
    ToSequence,
    /// The later value replaces the earlier one whole (command, entrypoint, healthcheck.test).
    Override,
    /// Options merge only when both name the same driver (or either names none).
    Logging,
    /// A string is short for `{context: ...}`.
    Build,
    /// A list of names is short for a mapping with the default condition.
    DependsOn,
    /// A list of names is short for a mapping with null values.
    NamesToMapping,
    /// Sequences concatenated without repeating entries.
    ExtraHosts,
    /// The later value wins (compose-go's ulimit merge ends up returning it).
    Ulimit,
    /// Entries keyed by `subnet`.
    IpamConfig,
}

/// Paths whose values merge in their own way (the schema tests check the paths exist).
pub(crate) const SPECIALS: &[(&str, Special)] = &[
    ("networks.*.ipam.config", Special::IpamConfig),
    ("networks.*.labels", Special::ToSequence),
    ("volumes.*.labels", Special::ToSequence),
    ("services.*.annotations", Special::ToSequence),
    ("services.*.build", Special::Build),
    ("services.*.build.args", Special::ToSequence),
    ("services.*.build.additional_contexts", Special::ToSequence),
    ("services.*.build.extra_hosts", Special::ExtraHosts),
    ("services.*.build.labels", Special::ToSequence),
    ("services.*.command", Special::Override),
    ("services.*.depends_on", Special::DependsOn),
    ("services.*.deploy.labels", Special::ToSequence),
    ("services.*.dns", Special::ToSequence),
    ("services.*.dns_opt", Special::ToSequence),
    ("services.*.dns_search", Special::ToSequence),
    ("services.*.entrypoint", Special::Override),
    ("services.*.env_file", Special::ToSequence),
    ("services.*.label_file", Special::ToSequence),
    ("services.*.environment", Special::ToSequence),
    ("services.*.extra_hosts", Special::ExtraHosts),
    ("services.*.healthcheck.test", Special::Override),
    ("services.*.labels", Special::ToSequence),
    ("services.*.volumes.*.volume.labels", Special::ToSequence),
    ("services.*.logging", Special::Logging),
    ("services.*.models", Special::NamesToMapping),
    ("services.*.networks", Special::NamesToMapping),
    ("services.*.sysctls", Special::ToSequence),
    ("services.*.tmpfs", Special::ToSequence),
    ("services.*.ulimits.*", Special::Ulimit),
];

fn special_for(path: &[String]) -> Option<Special> {
    SPECIALS.iter().find(|(pattern, _)| matches(path, pattern)).map(|(_, special)| *special)
}

/// Merges `over` onto `base` at `path` (the keys from the document root).
pub fn merge(base: Node, over: Node, path: &mut Vec<String>) -> Result<Node, MergeError> {
    if let Some(special) = special_for(path) {
        return merge_special(special, base, over, path);
    }
    if over.is_null() {
        return Ok(base);
    }
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_mappings(base, over, path),
        (Value::Seq(_), Value::Seq(_)) => {
            let (mut base, over) = (base, over);
            if let (Value::Seq(items), Value::Seq(more)) = (&mut base.value, over.value) {
                items.extend(more);
            }
            Ok(base)
        }
        (Value::Map(_), _) | (Value::Seq(_), _) => Err(MergeError {
            pos: over.at.clone(),
            message: format!("cannot override {}: {} replaces {}", path.join("."), over.type_name(), base.type_name()),
        }),
        _ => Ok(over),
    }
}

/// Keys of `over` merged into `base`, recursively; keys only in `over` are added.
fn merge_mappings(base: Node, over: Node, path: &mut Vec<String>) -> Result<Node, MergeError> {
    let (mut base, over) = (base, over);
    let Value::Map(over_entries) = over.value else { return Ok(base) };
    let Some(entries) = base.as_map_mut() else { return Ok(base) };
    let mut positions: HashMap<String, usize> =
        entries.iter().enumerate().map(|(index, e)| (e.name().to_string(), index)).collect();
    for entry in over_entries {
        match positions.get(entry.name()).copied() {
            Some(index) => {
                let placeholder = Node::scalar("", ScalarKind::Null, entry.key.at.clone());
                let existing = std::mem::replace(&mut entries[index].value, placeholder);
                path.push(entry.name().to_string());
                let merged = merge(existing, entry.value, path);
                path.pop();
                entries[index].value = merged?;
            }
            None => {
                positions.insert(entry.name().to_string(), entries.len());
                entries.push(entry);
            }
        }
    }
    Ok(base)
}

fn merge_special(special: Special, base: Node, over: Node, path: &mut Vec<String>) -> Result<Node, MergeError> {
    match special {
        Special::Override => Ok(over),
        Special::Ulimit => Ok(if over.is_null() { base } else { over }),
        Special::ToSequence => {
            let at = base.at.clone();
            let mut items = to_sequence(base);
            items.extend(to_sequence(over));
            Ok(Node::seq(items, at))
        }
        Special::ExtraHosts => {
            let at = base.at.clone();
            let mut items = to_sequence(base);
            for item in to_sequence(over) {
                if !items.iter().any(|existing| same_text(existing, &item)) {
                    items.push(item);
                }
            }
            Ok(Node::seq(items, at))
        }
        Special::Logging => {
            let driver = |n: &Node| n.get("driver").and_then(Node::text).map(str::to_string);
            match (driver(&base), driver(&over)) {
                (Some(a), Some(b)) if a != b => Ok(over),
                _ if base.as_map().is_none() => Ok(over),
                _ => merge_mappings(base, over, path),
            }
        }
        Special::Build => merge_mappings(build_mapping(base), build_mapping(over), path),
        Special::DependsOn => {
            let base = names_to_mapping(base, true);
            merge_mappings(base, names_to_mapping(over, true), path)
        }
        Special::NamesToMapping => {
            let base = names_to_mapping(base, false);
            merge_mappings(base, names_to_mapping(over, false), path)
        }
        Special::IpamConfig => {
            let at = base.at.clone();
            let subnet = |n: &Node| n.get("subnet").and_then(Node::text).map(str::to_string);
            let over_items = to_sequence(over);
            let mut items: Vec<Node> =
                to_sequence(base).into_iter().filter(|b| !over_items.iter().any(|o| subnet(o) == subnet(b))).collect();
            items.extend(over_items);
            Ok(Node::seq(items, at))
        }
    }
}

fn same_text(a: &Node, b: &Node) -> bool {
    matches!((a.text(), b.text()), (Some(x), Some(y)) if x == y)
}

/// A mapping written as `KEY: VALUE` becomes `KEY=VALUE` strings (`KEY` for a null value), each
/// keeping the position of its value; a sequence stays; a string is a one-item sequence.
pub fn to_sequence(node: Node) -> Vec<Node> {
    match node.value {
        Value::Seq(items) => items,
        Value::Map(entries) => {
            let mut items = Vec::new();
            for Entry { key, value } in entries {
                let name = key.text().unwrap_or_default().to_string();
                match value.value {
                    Value::Scalar(Scalar { kind: ScalarKind::Null, .. }) => items.push(Node::str(name, key.at.clone())),
                    Value::Scalar(ref scalar) => {
                        let mut item = value.clone();
                        item.value = Value::Scalar(Scalar {
                            text: format!("{name}={}", scalar.text),
                            kind: ScalarKind::Str,
                            interpolated: scalar.interpolated,
                        });
                        items.push(item);
                    }
                    Value::Seq(values) => {
                        for v in values {
                            let text = v.text().unwrap_or_default().to_string();
                            let mut item = v;
                            item.value = Value::Scalar(Scalar { text: format!("{name}={text}"), kind: ScalarKind::Str, interpolated: false });
                            items.push(item);
                        }
                    }
                    Value::Map(_) => {}
                }
            }
            items
        }
        Value::Scalar(Scalar { kind: ScalarKind::Null, .. }) => Vec::new(),
        Value::Scalar(_) => vec![node],
    }
}

fn build_mapping(node: Node) -> Node {
    if node.as_scalar().is_some_and(|s| s.kind != ScalarKind::Null) {
        let at = node.at.clone();
        let key = Node::str("context", at.clone());
        return Node::map(vec![Entry { key, value: node }], at);
    }
    if node.is_null() {
        let at = node.at.clone();
        return Node::map(Vec::new(), at);
    }
    node
}

/// `[a, b]` -> `{a: <default>, b: <default>}`; `depends_on`'s default is
/// `{condition: service_started, required: true}`, others' null.
fn names_to_mapping(node: Node, depends_on_default: bool) -> Node {
    match node.value {
        Value::Seq(items) => {
            let at = node.at.clone();
            let entries = items
                .into_iter()
                .map(|item| {
                    let value = if depends_on_default {
                        let pos = item.at.clone();
                        Node::map(
                            vec![
                                Entry { key: Node::str("condition", pos.clone()), value: Node::str("service_started", pos.clone()) },
                                Entry { key: Node::str("required", pos.clone()), value: Node::scalar("true", ScalarKind::Bool(true), pos) },
                            ],
                            item.at.clone(),
                        )
                    } else {
                        Node::scalar("", ScalarKind::Null, item.at.clone())
                    };
                    Entry { key: item, value }
                })
                .collect();
            Node::map(entries, at)
        }
        Value::Scalar(Scalar { kind: ScalarKind::Null, .. }) => {
            let at = node.at.clone();
            Node::map(Vec::new(), at)
        }
        _ => node,
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Indexer {
    KeyValue,
    Volume,
    Device,
    Expose,
    Mount(&'static str),
    Port,
    EnvFile,
}

/// Sequences whose entries are keyed when merging (the schema tests check the paths exist).
pub(crate) const INDEXERS: &[(&str, Indexer)] = &[
    ("networks.*.labels", Indexer::KeyValue),
    ("networks.*.ipam.options", Indexer::KeyValue),
    ("services.*.annotations", Indexer::KeyValue),
    ("services.*.build.args", Indexer::KeyValue),
    ("services.*.build.additional_contexts", Indexer::KeyValue),
    ("services.*.build.platform", Indexer::KeyValue),
    ("services.*.build.tags", Indexer::KeyValue),
    ("services.*.build.labels", Indexer::KeyValue),
    ("services.*.cap_add", Indexer::KeyValue),
    ("services.*.cap_drop", Indexer::KeyValue),
    ("services.*.configs", Indexer::Mount("")),
    ("services.*.deploy.labels", Indexer::KeyValue),
    ("services.*.dns", Indexer::KeyValue),
    ("services.*.dns_opt", Indexer::KeyValue),
    ("services.*.dns_search", Indexer::KeyValue),
    ("services.*.environment", Indexer::KeyValue),
    ("services.*.env_file", Indexer::EnvFile),
    ("services.*.expose", Indexer::Expose),
    ("services.*.labels", Indexer::KeyValue),
    ("services.*.links", Indexer::KeyValue),
    ("services.*.networks.*.aliases", Indexer::KeyValue),
    ("services.*.networks.*.link_local_ips", Indexer::KeyValue),
    ("services.*.ports", Indexer::Port),
    ("services.*.profiles", Indexer::KeyValue),
    ("services.*.secrets", Indexer::Mount("/run/secrets")),
    ("services.*.sysctls", Indexer::KeyValue),
    ("services.*.tmpfs", Indexer::KeyValue),
    ("services.*.volumes", Indexer::Volume),
    ("services.*.devices", Indexer::Device),
];

fn indexer_for(path: &[String]) -> Option<Indexer> {
    INDEXERS.iter().find(|(pattern, _)| matches(path, pattern)).map(|(_, indexer)| *indexer)
}

/// What identifies an entry of a keyed sequence. Values compose would refuse here fall back to
/// their text, so the schema check reports them with a better message.
fn index_key(indexer: Indexer, node: &Node) -> String {
    let text = || node.text().unwrap_or_default().to_string();
    let field = |name: &str| node.get(name).and_then(Node::text).map(str::to_string);
    match indexer {
        Indexer::KeyValue => match node.text() {
            Some(t) => t.split_once('=').map_or(t, |(k, _)| k).to_string(),
            None => format!("{node:?}"),
        },
        Indexer::Volume => match node.as_map() {
            Some(_) => field("target").unwrap_or_default(),
            None => parse_volume_short(&text()).map(|m| m.target).unwrap_or_else(|_| text()),
        },
        Indexer::Device => match node.as_map() {
            Some(_) => field("target").unwrap_or_default(),
            None => {
                let t = text();
                let mut parts = t.split(':');
                let first = parts.next().unwrap_or_default().to_string();
                parts.next().map(str::to_string).unwrap_or(first)
            }
        },
        Indexer::Expose => text(),
        Indexer::Mount(default_dir) => match node.as_map() {
            Some(_) => field("target").unwrap_or_else(|| format!("{default_dir}/{}", field("source").unwrap_or_default())),
            None => format!("{default_dir}/{}", text()),
        },
        Indexer::Port => match node.as_map() {
            Some(_) => format!(
                "{}:{}:{}/{}",
                field("host_ip").unwrap_or_else(|| "0.0.0.0".into()),
                field("published").unwrap_or_default(),
                field("target").unwrap_or_default(),
                field("protocol").unwrap_or_else(|| "tcp".into())
            ),
            None => text(),
        },
        Indexer::EnvFile => match node.as_map() {
            Some(_) => field("path").unwrap_or_default(),
            None => text(),
        },
    }
}

/// Removes repeated entries from keyed sequences: a later entry with the same key replaces the
/// earlier one, in the earlier one's place.
pub fn enforce_unicity(node: &mut Node, path: &mut Vec<String>) {
    match &mut node.value {
        Value::Map(entries) => {
            for entry in entries.iter_mut() {
                path.push(entry.name().to_string());
                enforce_unicity(&mut entry.value, path);
                path.pop();
            }
        }
        Value::Seq(items) => {
            let Some(indexer) = indexer_for(path) else { return };
            let mut kept: Vec<Node> = Vec::with_capacity(items.len());
            let mut positions: HashMap<String, usize> = HashMap::with_capacity(items.len());
            for item in items.drain(..) {
                let key = index_key(indexer, &item);
                match positions.get(&key) {
                    Some(&index) => kept[index] = item,
                    None => {
                        positions.insert(key, kept.len());
                        kept.push(item);
                    }
                }
            }
            *items = kept;
        }
        Value::Scalar(_) => {}
    }
}

/// A path tagged `!reset` (remove what earlier files or the extended service set) or
/// `!override` (replace it instead of merging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPath(pub Vec<String>);

/// Takes the `!reset` nodes out of `node` (they mean "nothing here") and records the paths of
/// both tags.
pub fn take_resets(node: &mut Node, path: &mut Vec<String>, out: &mut Vec<ResetPath>) {
    match &mut node.value {
        Value::Map(entries) => {
            entries.retain_mut(|entry| {
                path.push(entry.name().to_string());
                let keep = match entry.value.tag.as_deref() {
                    Some("reset") => {
                        out.push(ResetPath(path.clone()));
                        false
                    }
                    Some("override") => {
                        out.push(ResetPath(path.clone()));
                        entry.value.tag = None;
                        true
                    }
                    _ => {
                        take_resets(&mut entry.value, path, out);
                        true
                    }
                };
                path.pop();
                keep
            });
        }
        Value::Seq(items) => {
            // compose cannot remove one item of an earlier file's sequence; a `!reset` item only
            // drops itself.
            items.retain(|item| item.tag.as_deref() != Some("reset"));
            for (index, item) in items.iter_mut().enumerate() {
                if item.tag.as_deref() == Some("override") {
                    item.tag = None;
                }
                path.push(index.to_string());
                take_resets(item, path, out);
                path.pop();
            }
        }
        Value::Scalar(_) => {}
    }
}

/// Removes the values at `resets` from `target` (a document root).
pub fn apply_resets(target: &mut Node, resets: &[ResetPath]) {
    for ResetPath(path) in resets {
        remove_path(target, path);
    }
}

fn remove_path(node: &mut Node, path: &[String]) {
    let Some((first, rest)) = path.split_first() else { return };
    let Some(entries) = node.as_map_mut() else { return };
    if rest.is_empty() {
        entries.retain(|e| e.name() != first);
    } else if let Some(entry) = entries.iter_mut().find(|e| e.name() == first) {
        remove_path(&mut entry.value, rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, YamlLimits};
    use std::sync::Arc;

    fn doc(text: &str, file: &str) -> Node {
        parse(text, &Arc::from(file), YamlLimits::default()).expect("valid").remove(0)
    }

    fn merged(base: &str, over: &str) -> Node {
        let mut result = merge(doc(base, "a.yml"), doc(over, "b.yml"), &mut Vec::new()).expect("merges");
        enforce_unicity(&mut result, &mut Vec::new());
        result
    }

    fn texts(node: Option<&Node>) -> Vec<String> {
        node.and_then(Node::as_seq).unwrap_or_default().iter().filter_map(|n| n.text().map(str::to_string)).collect()
    }

    #[test]
    fn mappings_merge_and_scalars_are_replaced() {
        let root = merged("services:\n  web:\n    image: a\n    user: x\n", "services:\n  web:\n    image: b\n");
        let web = root.get("services").and_then(|s| s.get("web")).expect("web");
        assert_eq!(web.get("image").and_then(Node::text), Some("b"));
        assert_eq!(web.get("image").map(|n| n.at.file.to_string()), Some("b.yml".into()));
        assert_eq!(web.get("user").and_then(Node::text), Some("x"));
    }

    #[test]
    fn ports_are_keyed_and_appended() {
        let root = merged(
            "services:\n  web:\n    ports: ['80:80', '443:443']\n",
            "services:\n  web:\n    ports: ['80:80', '127.0.0.1:9000:9000']\n",
        );
        let ports = texts(root.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("ports")));
        assert_eq!(ports, ["80:80", "443:443", "127.0.0.1:9000:9000"]);
    }

    #[test]
    fn environment_merges_by_name_across_forms() {
        let root = merged(
            "services:\n  web:\n    environment:\n      A: '1'\n      B: '2'\n",
            "services:\n  web:\n    environment:\n      - B=3\n      - C\n",
        );
        let env = texts(root.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("environment")));
        assert_eq!(env, ["A=1", "B=3", "C"]);
    }

    #[test]
    fn volumes_are_keyed_by_target() {
        let root = merged(
            "services:\n  web:\n    volumes: ['data:/data', '/etc:/host-etc:ro']\n",
            "services:\n  web:\n    volumes: [{type: bind, source: /srv, target: /data}]\n",
        );
        let volumes = root.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("volumes")).and_then(Node::as_seq).expect("seq");
        assert_eq!(volumes.len(), 2);
        assert_eq!(volumes[0].get("source").and_then(Node::text), Some("/srv"));
    }

    #[test]
    fn command_is_replaced_whole_and_logging_depends_on_driver() {
        let root = merged(
            "services:\n  web:\n    command: [a, b]\n    logging: {driver: syslog, options: {x: '1'}}\n",
            "services:\n  web:\n    command: [c]\n    logging: {driver: json-file, options: {y: '2'}}\n",
        );
        let web = root.get("services").and_then(|s| s.get("web")).expect("web");
        assert_eq!(texts(web.get("command")), ["c"]);
        let options = web.get("logging").and_then(|l| l.get("options")).expect("options");
        assert!(options.get("x").is_none() && options.get("y").is_some());
    }

    #[test]
    fn networks_lists_and_mappings_merge() {
        let root = merged("services:\n  web:\n    networks: [front]\n", "services:\n  web:\n    networks:\n      back: {aliases: [db]}\n");
        let networks = root.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("networks")).expect("networks");
        assert!(networks.get("front").is_some_and(Node::is_null));
        assert!(networks.get("back").and_then(|b| b.get("aliases")).is_some());
    }

    #[test]
    fn type_conflicts_are_errors_at_the_override() {
        let err = merge(doc("services:\n  web:\n    ulimitz: {a: 1}\n", "a.yml"), doc("services:\n  web:\n    ulimitz: 5\n", "b.yml"), &mut Vec::new())
            .expect_err("conflict");
        assert_eq!(err.pos.file.as_ref(), "b.yml");
        assert!(err.message.contains("services.web.ulimitz"), "{}", err.message);
    }

    #[test]
    fn reset_and_override_tags() {
        let mut base = doc("services:\n  web:\n    ports: ['80:80']\n    environment: {A: '1'}\n", "a.yml");
        let mut over = doc("services:\n  web:\n    ports: !reset []\n    environment: !override {B: '2'}\n", "b.yml");
        let mut resets = Vec::new();
        take_resets(&mut over, &mut Vec::new(), &mut resets);
        assert_eq!(resets.len(), 2);
        apply_resets(&mut base, &resets);
        let root = merge(base, over, &mut Vec::new()).expect("merges");
        let web = root.get("services").and_then(|s| s.get("web")).expect("web");
        assert!(web.get("ports").is_none());
        assert_eq!(texts(web.get("environment")), Vec::<String>::new());
        assert_eq!(web.get("environment").and_then(|e| e.get("B")).and_then(Node::text), Some("2"));
    }
}
