//! Variable substitution with BuildKit's scoping, and image references.
//!
//! Scope (BuildKit): ARGs before the first FROM are *global*: visible in FROM lines only, and
//! inside a stage only after a bare `ARG NAME` redeclares them (which takes the global default).
//! Inside a stage, ARG and ENV apply from their instruction on, ENV wins over ARG of the same
//! name, and a stage built `FROM` another stage inherits that stage's ENV (not its ARGs).
//! A variable whose value depends on a build argument nobody gave (an ARG without default) is
//! unknown; substitution then yields `None` so that rules stay silent rather than guess.

use crate::ast::{ArgDecl, BaseRef, Dockerfile, ImageRef, Kind};

/// Variables in scope at some point. Later entries shadow earlier ones; `None` = unknown.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    args: Vec<(String, Option<String>)>,
    env: Vec<(String, Option<String>)>,
}

/// Where substitution looks variables up: `None` when unset or unknown.
pub(crate) trait Vars {
    fn get(&self, name: &str) -> Option<&str>;
}

fn find<'v>(vars: &'v [(String, Option<String>)], name: &str) -> Option<Option<&'v str>> {
    vars.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_deref())
}

impl Vars for Scope {
    fn get(&self, name: &str) -> Option<&str> {
        match find(&self.env, name) {
            Some(value) => value,
            None => find(&self.args, name).flatten(),
        }
    }
}

impl Scope {

    fn has_env(&self, name: &str) -> bool {
        self.env.iter().any(|(n, _)| n == name)
    }
}

impl Dockerfile {
    /// Expands `$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:+x}`, `${VAR+x}` (and
    /// `${VAR:?msg}`) in `text` with the variables in scope at instruction `instruction`
    /// (an index into [`Dockerfile::instructions`]), following BuildKit's scoping. Returns
    /// `None` when `text` needs a variable that is unset or depends on a build argument.
    /// `escape` + `$` is a literal `$`.
    pub fn expand(&self, instruction: usize, text: &str) -> Option<String> {
        let scope = self.scope_at(instruction);
        substitute(text, self.escape as u8, &scope)
    }

    /// The variables visible when instruction `index` runs.
    pub(crate) fn scope_at(&self, index: usize) -> Scope {
        let Some(stage_index) = self.instructions.get(index).and_then(|i| i.stage) else {
            return global_scope(self, index); // a global ARG, or out of range
        };
        let global = global_scope(self, usize::MAX);
        let Some(stage) = self.stages.get(stage_index) else { return global };
        if index <= stage.from {
            return global; // the FROM line itself
        }
        self.stage_scope(stage_index, index, &global, 0)
    }

    /// Scope inside stage `stage_index` just before instruction `until`.
    fn stage_scope(&self, stage_index: usize, until: usize, global: &Scope, depth: usize) -> Scope {
        let mut scope = Scope::default();
        let Some(stage) = self.stages.get(stage_index) else { return scope };
        if let BaseRef::Stage(parent) = stage.base {
            if parent < stage_index && depth < 64 {
                let parent_end = self.stages[parent].instructions.end;
                scope.env = self.stage_scope(parent, parent_end, global, depth + 1).env;
            }
        }
        let end = until.min(stage.instructions.end);
        for instruction in self.instructions.get(stage.from + 1..end).into_iter().flatten() {
            match &instruction.kind {
                Kind::Arg(decls) => {
                    for decl in decls {
                        let name = decl.name.value.clone();
                        if scope.has_env(&name) {
                            continue; // ENV always wins over ARG
                        }
                        let value = match &decl.default {
                            Some(default) => substitute(&default.value, self.escape as u8, &scope),
                            None => global.get(&name).map(str::to_string),
                        };
                        scope.args.push((name, value));
                    }
                }
                Kind::Env(pairs) => {
                    for pair in pairs {
                        let value = substitute(&pair.value.value, self.escape as u8, &scope);
                        scope.env.push((pair.key.value.clone(), value));
                    }
                }
                _ => {}
            }
        }
        scope
    }
}

/// The global ARGs (before the first FROM) declared before instruction `until`, each default
/// expanded against the ones before it.
pub(crate) fn global_scope(dockerfile: &Dockerfile, until: usize) -> Scope {
    let mut scope = Scope::default();
    for instruction in dockerfile.instructions.iter().take(until).take_while(|i| i.stage.is_none()) {
        if let Kind::Arg(decls) = &instruction.kind {
            scope.declare_global_args(decls, dockerfile.escape as u8);
        }
    }
    scope
}

impl Scope {
    /// Adds global ARG declarations (defaults expanded against the globals before them).
    pub(crate) fn declare_global_args(&mut self, decls: &[ArgDecl], escape: u8) {
        for decl in decls {
            let value = decl.default.as_ref().and_then(|d| substitute(&d.value, escape, self));
            self.args.push((decl.name.value.clone(), value));
        }
    }
}

/// Substitutes variables in `text`. `lookup` returns a variable's value, `None` when it is
/// unset or unknown.
pub(crate) fn substitute(text: &str, escape: u8, lookup: &dyn Vars) -> Option<String> {
    substitute_depth(text, escape, lookup, 0)
}

fn substitute_depth(text: &str, escape: u8, lookup: &dyn Vars, depth: u32) -> Option<String> {
    if !text.contains('$') {
        return Some(text.to_string());
    }
    if depth > 16 {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut literal_start = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == escape && bytes.get(i + 1) == Some(&b'$') {
            out.push_str(&text[literal_start..i]);
            out.push('$');
            i += 2;
            literal_start = i;
            continue;
        }
        if b != b'$' {
            i += 1;
            continue;
        }
        out.push_str(&text[literal_start..i]);
        match bytes.get(i + 1) {
            Some(b'{') => {
                let close = matching_brace(bytes, i + 1)?;
                out.push_str(&braced(&text[i + 2..close], escape, lookup, depth)?);
                i = close + 1;
            }
            Some(&c) if c == b'_' || c.is_ascii_alphabetic() => {
                let name_end = name_end(bytes, i + 1);
                out.push_str(lookup.get(&text[i + 1..name_end])?);
                i = name_end;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
        literal_start = i;
    }
    out.push_str(&text[literal_start..]);
    Some(out)
}

fn name_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() && (bytes[end] == b'_' || bytes[end].is_ascii_alphanumeric()) {
        end += 1;
    }
    end
}

/// The index of the `}` closing the `{` at `open`, nested braces counted.
fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The inside of `${...}`.
fn braced(inner: &str, escape: u8, lookup: &dyn Vars, depth: u32) -> Option<String> {
    let bytes = inner.as_bytes();
    let end = name_end(bytes, 0);
    let name = &inner[..end];
    if name.is_empty() {
        return None;
    }
    let value = lookup.get(name);
    let rest = &inner[end..];
    let word = |w: &str| substitute_depth(w, escape, lookup, depth + 1);
    if rest.is_empty() {
        return value.map(str::to_string);
    }
    let set_and_non_empty = value.is_some_and(|v| !v.is_empty());
    if let Some(w) = rest.strip_prefix(":-") {
        return if set_and_non_empty { value.map(str::to_string) } else { word(w) };
    }
    if let Some(w) = rest.strip_prefix(":+") {
        return if set_and_non_empty { word(w) } else { Some(String::new()) };
    }
    if rest.starts_with(":?") || rest.starts_with('?') {
        return if set_and_non_empty || (rest.starts_with('?') && value.is_some()) { value.map(str::to_string) } else { None };
    }
    if let Some(w) = rest.strip_prefix('-') {
        return match value {
            Some(v) => Some(v.to_string()),
            None => word(w),
        };
    }
    if let Some(w) = rest.strip_prefix('+') {
        return if value.is_some() { word(w) } else { Some(String::new()) };
    }
    // Pattern operators (`#`, `%`, `/`) depend on the value; without one the result is unknown.
    None
}

impl ImageRef {
    /// Builds a reference from the text as written and its resolution (when known).
    pub fn new(raw: &str, resolved: Option<String>) -> ImageRef {
        let mut image = ImageRef {
            raw: raw.to_string(),
            resolved: None,
            registry: None,
            repository: None,
            tag: None,
            digest: None,
        };
        if let Some(resolved) = resolved {
            let (name, digest) = match resolved.split_once('@') {
                Some((name, digest)) => (name, Some(digest.to_string())),
                None => (resolved.as_str(), None),
            };
            let (registry, rest) = match name.split_once('/') {
                Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (Some(first.to_string()), rest),
                _ => (None, name),
            };
            let (repository, tag) = match rest.rsplit_once(':') {
                Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag.to_string())),
                _ => (rest, None),
            };
            image.registry = registry;
            image.repository = Some(repository.to_string());
            image.tag = tag;
            image.digest = digest;
            image.resolved = Some(resolved);
        }
        image
    }
}
