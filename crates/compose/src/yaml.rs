//! YAML text -> a tree of positioned nodes.
//!
//! Compose works on the raw YAML tree (interpolate, `!reset`, `extends`, merge several files,
//! validate) before anything is typed, so this module builds that tree from granit-parser's
//! events (the parser under serde-saphyr) and keeps, for every node, where it was written and
//! where it entered the document (an alias `*name`, a `<<` merge, an `extends`).
//!
//! Aliases are expanded into copies so later stages can edit the tree freely; a node budget
//! bounds the copies, which is what stops a "billion laughs" alias bomb before it allocates.

use granit_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;
use std::sync::Arc;

/// A position in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pos {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(file: &Arc<str>, line: u32, column: u32) -> Pos {
        Pos { file: Arc::clone(file), line, column }
    }

    fn from_marker(file: &Arc<str>, marker: &Marker) -> Pos {
        Pos::new(file, to_u32(marker.line()), to_u32(marker.col()).saturating_add(1))
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How a scalar resolves under YAML 1.2's core schema (what compose's YAML library produces
/// when it decodes into untyped values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The text after YAML escapes (and, for strings, after interpolation).
    pub text: String,
    pub kind: ScalarKind,
    /// Interpolation replaced at least one variable reference in this string.
    pub interpolated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry. Keys are strings (compose has no other kind).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    pub fn name(&self) -> &str {
        self.key.text().unwrap_or_default()
    }
}

/// One YAML node and its positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Where the node enters the document being loaded: where it was written, or the alias,
    /// merge key or `extends` that brought it in.
    pub at: Pos,
    /// Where its text was written.
    pub written: Pos,
    /// End of the written text (line, column), exclusive.
    pub end: Option<(u32, u32)>,
    /// A local tag such as `!reset` or `!override` (without the `!`).
    pub tag: Option<String>,
}

impl Node {
    pub fn scalar(text: impl Into<String>, kind: ScalarKind, at: Pos) -> Node {
        Node {
            value: Value::Scalar(Scalar { text: text.into(), kind, interpolated: false }),
            written: at.clone(),
            at,
            end: None,
            tag: None,
        }
    }

    pub fn str(text: impl Into<String>, at: Pos) -> Node {
        Node::scalar(text, ScalarKind::Str, at)
    }

    pub fn map(entries: Vec<Entry>, at: Pos) -> Node {
        Node { value: Value::Map(entries), written: at.clone(), at, end: None, tag: None }
    }

    pub fn seq(items: Vec<Node>, at: Pos) -> Node {
        Node { value: Value::Seq(items), written: at.clone(), at, end: None, tag: None }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar that is not null.
    pub fn text(&self) -> Option<&str> {
        self.as_scalar().filter(|s| s.kind != ScalarKind::Null).map(|s| s.text.as_str())
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(Scalar { kind: ScalarKind::Null, .. }))
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Vec<Entry>> {
        match &mut self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|e| e.name() == key).map(|e| &e.value)
    }

    pub fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.name() == key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        self.as_map_mut()?.iter_mut().find(|e| e.name() == key).map(|e| &mut e.value)
    }

    /// A short name of the node's type for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(s) => match s.kind {
                ScalarKind::Null => "null",
                ScalarKind::Bool(_) => "a boolean",
                ScalarKind::Int(_) => "an integer",
                ScalarKind::Float => "a number",
                ScalarKind::Str => "a string",
            },
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Marks this node and everything under it as having entered the document at `at` (an
    /// alias, a merge key, an `extends`), keeping where each was written.
    pub fn relocate(&mut self, at: &Pos) {
        self.at = at.clone();
        match &mut self.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => items.iter_mut().for_each(|item| item.relocate(at)),
            Value::Map(entries) => entries.iter_mut().for_each(|e| {
                e.key.relocate(at);
                e.value.relocate(at);
            }),
        }
    }

    /// Number of nodes in this subtree.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            Value::Scalar(_) => 0,
            Value::Seq(items) => items.iter().map(Node::size).sum(),
            Value::Map(entries) => entries.iter().map(|e| 1 + e.value.size()).sum(),
        }
    }
}

/// Limits on one file's tree.
#[derive(Debug, Clone, Copy)]
pub struct YamlLimits {
    /// Nodes in all documents of a file, counting every copy an alias makes.
    pub max_nodes: usize,
}

impl Default for YamlLimits {
    fn default() -> Self {
        // Real compose files have a few thousand nodes; this leaves room for generated ones and
        // keeps a hostile file's tree to a few tens of megabytes.
        YamlLimits { max_nodes: 250_000 }
    }
}

/// A YAML error at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Parses every document of `text`. `file` names the file in positions.
pub fn parse(text: &str, file: &Arc<str>, limits: YamlLimits) -> Result<Vec<Node>, YamlError> {
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder { file: Arc::clone(file), limits, nodes: 0, anchors: HashMap::new(), stack: Vec::new(), documents: Vec::new() };
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let marker = e.marker();
            YamlError { line: to_u32(marker.line()), column: to_u32(marker.col()).saturating_add(1), message: e.info() }
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.documents)
}

/// A collection being built. (Frames live on a stack as deep as the document, so their size
/// does not matter.)
#[allow(clippy::large_enum_variant)]
enum Frame {
    Seq { node: Node, anchor: usize, items: Vec<Node> },
    Map { node: Node, anchor: usize, entries: Vec<Entry>, key: Option<Node>, seen: HashMap<String, u32>, merges: Vec<Node> },
}

struct Builder {
    file: Arc<str>,
    limits: YamlLimits,
    nodes: usize,
    /// Completed anchored nodes by the parser's anchor id, with their sizes.
    anchors: HashMap<usize, (Node, usize)>,
    stack: Vec<Frame>,
    documents: Vec<Node>,
}

impl Builder {
    fn error(&self, pos: &Pos, message: impl Into<String>) -> YamlError {
        YamlError { line: pos.line, column: pos.column, message: message.into() }
    }

    fn count(&mut self, n: usize, pos: &Pos) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(self.error(
                pos,
                format!(
                    "the document expands to more than {} YAML nodes (aliases are expanded); an alias bomb such as \"billion laughs\" looks like this",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        let pos = Pos::from_marker(&self.file, &span.start);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, &pos)?;
                let mut node = Node::str(String::new(), pos.clone());
                node.end = Some((to_u32(span.end.line()), to_u32(span.end.col()).saturating_add(1)));
                let (kind, local_tag) = resolve_scalar(&text, style, tag.as_deref()).map_err(|m| self.error(&pos, m))?;
                node.value = Value::Scalar(Scalar { text: text.into_owned(), kind, interpolated: false });
                node.tag = local_tag;
                self.complete(node, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                self.count(1, &pos)?;
                let mut node = Node::seq(Vec::new(), pos);
                node.tag = tag.as_deref().and_then(local_tag_name);
                self.stack.push(Frame::Seq { node, anchor, items: Vec::new() });
                Ok(())
            }
            Event::MappingStart(_, anchor, tag) => {
                self.count(1, &pos)?;
                let mut node = Node::map(Vec::new(), pos);
                node.tag = tag.as_deref().and_then(local_tag_name);
                self.stack.push(Frame::Map { node, anchor, entries: Vec::new(), key: None, seen: HashMap::new(), merges: Vec::new() });
                Ok(())
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq { mut node, anchor, items }) => {
                    node.value = Value::Seq(items);
                    self.complete(node, anchor)
                }
                _ => Err(self.error(&pos, "unbalanced sequence end")),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map { mut node, anchor, mut entries, merges, .. }) => {
                    apply_merges(&mut entries, merges);
                    node.value = Value::Map(entries);
                    self.complete(node, anchor)
                }
                _ => Err(self.error(&pos, "unbalanced mapping end")),
            },
            Event::Alias(id) => {
                let Some((target, size)) = self.anchors.get(&id) else {
                    return Err(self.error(&pos, "alias to an undefined anchor"));
                };
                let (mut copy, size) = (target.clone(), *size);
                // Counted before the copy above is kept: a bomb fails here, at its first
                // oversized alias, having copied at most the budget.
                self.count(size, &pos)?;
                copy.relocate(&pos);
                self.complete(copy, 0)
            }
            Event::DocumentEnd => {
                self.anchors.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Hands a finished node to its parent (or ends the document).
    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            let size = node.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.documents.push(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map { key, .. }) if key.is_none() => {
                if !matches!(node.value, Value::Scalar(_)) {
                    return Err(self.error(&node.at, "a mapping key must be a string, not a list or a mapping"));
                }
                if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                    *key = Some(node);
                }
                Ok(())
            }
            Some(Frame::Map { entries, key, seen, merges, .. }) => {
                let Some(key_node) = key.take() else { return Ok(()) };
                let is_merge = key_node.as_scalar().is_some_and(|s| s.text == "<<" && s.kind != ScalarKind::Null)
                    && key_node.tag.is_none();
                if is_merge {
                    match &node.value {
                        Value::Map(_) => merges.push(node),
                        Value::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => {
                            if let Value::Seq(items) = node.value {
                                merges.extend(items);
                            }
                        }
                        _ => {
                            let pos = node.at.clone();
                            return Err(self.error(&pos, "the value of a `<<` merge key must be a mapping or a list of mappings"));
                        }
                    }
                    return Ok(());
                }
                let name = key_node.as_scalar().map(|s| s.text.clone()).unwrap_or_default();
                if let Some(first_line) = seen.get(&name) {
                    let message = format!("duplicate key `{name}` (first defined at line {first_line})");
                    let pos = key_node.at.clone();
                    return Err(self.error(&pos, message));
                }
                seen.insert(name, key_node.at.line);
                entries.push(Entry { key: key_node, value: node });
                Ok(())
            }
        }
    }
}

/// `<<` merges: explicit keys win over merged ones, and earlier merge sources over later ones.
fn apply_merges(entries: &mut Vec<Entry>, merges: Vec<Node>) {
    if merges.is_empty() {
        return;
    }
    let mut present: std::collections::HashSet<String> = entries.iter().map(|e| e.name().to_string()).collect();
    for source in merges {
        let Value::Map(merged) = source.value else { continue };
        for entry in merged {
            if present.insert(entry.name().to_string()) {
                entries.push(entry);
            }
        }
    }
}

/// The tag name of a local tag (`!reset` -> `reset`); `None` for core and other tags.
fn local_tag_name(tag: &Tag) -> Option<String> {
    let (handle, suffix) = tag.parts();
    (handle == "!" && !suffix.is_empty()).then(|| suffix.to_string())
}

/// Resolves a scalar's type and local tag.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<(ScalarKind, Option<String>), String> {
    if let Some(tag) = tag {
        if let Some(core) = tag.core_suffix() {
            let kind = match core {
                "str" => ScalarKind::Str,
                "null" => ScalarKind::Null,
                "bool" => match resolve_plain(text) {
                    kind @ ScalarKind::Bool(_) => kind,
                    _ => return Err(format!("`{text}` is not a boolean")),
                },
                "int" => match resolve_plain(text) {
                    kind @ ScalarKind::Int(_) => kind,
                    _ => return Err(format!("`{text}` is not an integer")),
                },
                "float" => match resolve_plain(text) {
                    ScalarKind::Int(_) | ScalarKind::Float => ScalarKind::Float,
                    _ => return Err(format!("`{text}` is not a number")),
                },
                _ => ScalarKind::Str,
            };
            return Ok((kind, None));
        }
        let (handle, suffix) = tag.parts();
        if handle == "!" && suffix.is_empty() {
            // The non-specific tag `!`: a string.
            return Ok((ScalarKind::Str, None));
        }
        let kind = if style == ScalarStyle::Plain { resolve_plain(text) } else { ScalarKind::Str };
        return Ok((kind, local_tag_name(tag)));
    }
    Ok((if style == ScalarStyle::Plain { resolve_plain(text) } else { ScalarKind::Str }, None))
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" => return ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => return ScalarKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN" => {
            return ScalarKind::Float
        }
        _ => {}
    }
    if let Some(n) = parse_yaml_int(text) {
        return ScalarKind::Int(n);
    }
    if is_yaml_float(text) {
        return ScalarKind::Float;
    }
    ScalarKind::Str
}

/// Integers as compose's YAML library reads them: decimal, `0x`, `0o`, `0b`, and (like Go's
/// base-0 parsing) a leading `0` for octal; `_` separators allowed.
fn parse_yaml_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits = digits.replace('_', "");
    if digits.is_empty() {
        return None;
    }
    let (radix, body) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else if let Some(bin) = digits.strip_prefix("0b") {
        (2, bin)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let value = i64::from_str_radix(body, radix).ok()?;
    Some(if negative { -value } else { value })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_yaml_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - start;
    } else if int_digits == 0 {
        return false;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Arc<str> {
        Arc::from("c.yaml")
    }

    fn one(text: &str) -> Node {
        let mut docs = parse(text, &file(), YamlLimits::default()).expect("valid YAML");
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn positions_of_values_are_one_based() {
        let root = one("services:\n  web:\n    image: nginx\n");
        let image = root.get("services").and_then(|s| s.get("web")).and_then(|w| w.get("image")).expect("image");
        assert_eq!((image.at.line, image.at.column), (3, 12));
        assert_eq!(image.at, image.written);
        assert_eq!(image.end, Some((3, 17)));
    }

    #[test]
    fn aliases_keep_use_and_definition_positions() {
        let root = one("a: &x\n  k: v\nb: *x\n");
        let k = root.get("b").and_then(|b| b.get("k")).expect("k");
        assert_eq!((k.at.line, k.at.column), (3, 4));
        assert_eq!((k.written.line, k.written.column), (2, 6));
    }

    #[test]
    fn merge_keys_let_explicit_keys_win_and_earlier_sources_win() {
        let root = one("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  x: 3\n");
        let c = root.get("c").expect("c");
        assert_eq!(c.get("x").and_then(Node::text), Some("3"));
        assert_eq!(c.get("y").and_then(Node::text), Some("1"));
        assert_eq!(c.get("z").and_then(Node::text), Some("2"));
        assert_eq!(c.get("y").map(|y| y.at.line), Some(4));
    }

    #[test]
    fn alias_bombs_stop_at_the_budget() {
        let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
            text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let err = parse(&text, &file(), YamlLimits::default()).expect_err("bomb");
        assert!(err.message.contains("alias bomb"), "{}", err.message);
        assert!(err.line >= 6, "fails at an alias line, got {}", err.line);
    }

    #[test]
    fn duplicate_keys_are_errors_with_both_lines() {
        let err = parse("a: 1\nb: 2\na: 3\n", &file(), YamlLimits::default()).expect_err("duplicate");
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("line 1"), "{}", err.message);
    }

    #[test]
    fn scalars_resolve_like_yaml_1_2_and_quotes_make_strings() {
        let root = one("a: 80\nb: \"80\"\nc: true\nd: yes\ne: 1.5\nf: ~\ng: 0o17\nh: !!str 12\ni: 0x1F\n");
        let kind = |k: &str| root.get(k).and_then(Node::as_scalar).map(|s| s.kind);
        assert_eq!(kind("a"), Some(ScalarKind::Int(80)));
        assert_eq!(kind("b"), Some(ScalarKind::Str));
        assert_eq!(kind("c"), Some(ScalarKind::Bool(true)));
        assert_eq!(kind("d"), Some(ScalarKind::Str));
        assert_eq!(kind("e"), Some(ScalarKind::Float));
        assert_eq!(kind("f"), Some(ScalarKind::Null));
        assert_eq!(kind("g"), Some(ScalarKind::Int(15)));
        assert_eq!(kind("h"), Some(ScalarKind::Str));
        assert_eq!(kind("i"), Some(ScalarKind::Int(31)));
    }

    #[test]
    fn local_tags_are_kept() {
        let root = one("a: !reset []\nb: !override {x: 1}\n");
        assert_eq!(root.get("a").and_then(|a| a.tag.as_deref()), Some("reset"));
        assert_eq!(root.get("b").and_then(|b| b.tag.as_deref()), Some("override"));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: [1, 2\nb: 3\n", &file(), YamlLimits::default()).expect_err("unclosed");
        assert!(err.line >= 1 && err.column >= 1);
        assert!(!err.message.is_empty());
    }
}
