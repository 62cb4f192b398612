//! Loading a project the way `docker compose config` does: the environment (process variables
//! over `.env`), then for each file and each YAML document in it: `!reset`/`!override`,
//! interpolation, `extends`, merge into what came before and de-duplicate keyed sequences;
//! finally the schema check and the conversion into ContainerSpecs.

use crate::convert::convert;
use crate::dotenv;
use crate::interpolate::{substitute, Lookup};
use crate::merge::{apply_resets, enforce_unicity, merge, take_resets, ResetPath};
use crate::paths::{normalize, parent_dir, rebase, relative_to};
use crate::schema;
use crate::source::{FileSource, ReadError};
use crate::yaml::{self, Entry, Node, Pos, ScalarKind, Value, YamlLimits};
use crate::{Diagnostic, LoadOptions, Loaded, SourceFile};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// State of one load.
pub(crate) struct Loader<'a> {
    pub options: &'a LoadOptions,
    pub source: &'a dyn FileSource,
    /// Process variables over the `.env` file's.
    pub env: HashMap<String, String>,
    pub project_dir: PathBuf,
    /// The same, absolute (lexically, from the working directory), for the host paths mounts
    /// expose.
    pub absolute_project_dir: PathBuf,
    pub warnings: Vec<Diagnostic>,
    pub sources: Vec<SourceFile>,
    /// Unset variables already warned about (compose repeats itself; once is enough).
    warned_unset: HashSet<String>,
    /// Files read for `extends`, by normalised path.
    extends_files: HashMap<PathBuf, ServiceTable>,
    /// `extends` of each service that used one: service -> what it named and where.
    pub extends_of: HashMap<String, Node>,
    /// Bytes interpolation has produced so far (see [`MAX_INTERPOLATED_BYTES`]).
    interpolated_bytes: usize,
}

/// What interpolation may produce in one load: a file of `$PATH$PATH...` would otherwise turn a
/// few megabytes into gigabytes.
const MAX_INTERPOLATED_BYTES: usize = 64 * 1024 * 1024;

/// Longer `extends` chains are refused: resolving them recurses, and real chains are a few
/// links long.
const MAX_EXTENDS_DEPTH: usize = 64;

/// The services of one document, resolved lazily for `extends`.
struct ServiceTable {
    file: Arc<str>,
    dir: PathBuf,
    services: Vec<Entry>,
    resets: Vec<ResetPath>,
    resolved: HashSet<String>,
}

pub(crate) fn error_at(pos: &Pos, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: pos.file.to_string(), line: Some(pos.line), column: Some(pos.column), message: message.into() }
}

fn file_error(path: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: path.display().to_string(), line: None, column: None, message: message.into() }
}

impl<'a> Loader<'a> {
    pub fn new(options: &'a LoadOptions, source: &'a dyn FileSource, project_dir: PathBuf) -> Loader<'a> {
        Loader {
            options,
            source,
            env: HashMap::new(),
            absolute_project_dir: std::path::absolute(&project_dir).map(|p| normalize(&p)).unwrap_or_else(|_| project_dir.clone()),
            project_dir,
            warnings: Vec::new(),
            sources: Vec::new(),
            warned_unset: HashSet::new(),
            extends_files: HashMap::new(),
            extends_of: HashMap::new(),
            interpolated_bytes: 0,
        }
    }

    fn read(&mut self, path: &Path) -> Result<String, ReadError> {
        let text = self.source.read(path, self.options.max_file_size)?;
        self.sources.push(SourceFile { path: path.display().to_string(), text: text.clone() });
        Ok(text)
    }

    /// `.env` (or the `--env-file`s) under the process environment.
    pub fn load_environment(&mut self) -> Result<(), Diagnostic> {
        let explicit = self.options.env_files.clone();
        let files = explicit.clone().unwrap_or_else(|| vec![self.project_dir.join(".env")]);
        let mut from_files: HashMap<String, String> = HashMap::new();
        for path in files {
            let text = match self.read(&path) {
                Ok(text) => text,
                Err(ReadError::NotFound) if explicit.is_none() => continue,
                Err(e) => return Err(file_error(&path, format!("cannot read env file: {e}"))),
            };
            let lookup = Layered { top: &self.options.environment, bottom: &from_files };
            let lines = dotenv::parse(&text, &lookup).map_err(|e| Diagnostic {
                path: path.display().to_string(),
                line: Some(e.line),
                column: None,
                message: e.message,
            })?;
            for line in lines {
                if let Some(value) = line.value {
                    from_files.insert(line.name, value);
                }
            }
        }
        from_files.extend(self.options.environment.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.env = from_files;
        Ok(())
    }

    /// Loads `files` in order into one project.
    pub fn load(mut self, files: &[PathBuf]) -> Result<Loaded, Diagnostic> {
        self.load_environment()?;
        let root = self.load_root(files, &mut Vec::new())?;
        schema::validate(&root).map_err(|e| error_at(&e.pos, legacy_format_hint(&root, e.message)))?;
        if let Some(version) = root.get_entry("version") {
            self.warnings.push(error_at(&version.key.at, "the attribute `version` is obsolete and ignored"));
        }
        let project = convert(&root, &mut self, files)?;
        Ok(Loaded { project, warnings: self.warnings, sources: self.sources })
    }

    /// `files` merged into one tree. `including` is the chain of files whose `include:` led
    /// here, to refuse cycles.
    fn load_root(&mut self, files: &[PathBuf], including: &mut Vec<PathBuf>) -> Result<Node, Diagnostic> {
        let mut merged: Option<Node> = None;
        for path in files {
            let text = self.read(path).map_err(|e| file_error(path, format!("cannot read compose file: {e}")))?;
            let file: Arc<str> = Arc::from(path.display().to_string());
            let documents = yaml::parse(&text, &file, self.yaml_limits()).map_err(|e| Diagnostic {
                path: file.to_string(),
                line: Some(e.line),
                column: Some(e.column),
                message: format!("invalid YAML: {}", e.message),
            })?;
            for mut document in documents {
                if document.as_map().is_none() {
                    return Err(error_at(&document.at, format!("the top level of a compose file must be a mapping, not {}", document.type_name())));
                }
                let mut resets = Vec::new();
                take_resets(&mut document, &mut Vec::new(), &mut resets);
                self.interpolate(&mut document, &mut Vec::new())?;
                self.apply_includes(&mut document, path, including)?;
                let dir = parent_dir(path);
                self.apply_extends(&mut document, &file, &dir, &resets)?;
                merged = Some(match merged.take() {
                    None => document,
                    Some(mut base) => {
                        apply_resets(&mut base, &resets);
                        merge(base, document, &mut Vec::new()).map_err(|e| error_at(&e.pos, e.message))?
                    }
                });
                if let Some(root) = merged.as_mut() {
                    enforce_unicity(root, &mut Vec::new());
                }
            }
        }
        match merged.filter(|root| root.as_map().is_some_and(|m| !m.is_empty())) {
            Some(root) => Ok(root),
            None => {
                let path = files.first().map(|p| p.display().to_string()).unwrap_or_default();
                Err(Diagnostic { path, line: None, column: None, message: "empty compose file".into() })
            }
        }
    }

    /// `include:`: each entry is a compose project of its own (its files merged); its services,
    /// networks, volumes, secrets and configs join this document, and a name defined on both
    /// sides is an error, as in compose. The included project reads variables from this
    /// project's environment; its relative paths are relative to its own directory.
    fn apply_includes(&mut self, document: &mut Node, path: &Path, including: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
        let Some(entries) = document.get("include").and_then(Node::as_seq).map(<[Node]>::to_vec) else { return Ok(()) };
        let dir = parent_dir(path);
        for entry in &entries {
            let paths: Vec<&Node> = match &entry.value {
                Value::Map(_) => entry.get("path").map(|p| match &p.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![p],
                }).unwrap_or_default(),
                _ => vec![entry],
            };
            let files: Vec<PathBuf> = paths.iter().filter_map(|p| p.text()).map(|p| normalize(&dir.join(p))).collect();
            let Some(first) = files.first().cloned() else { continue };
            if including.contains(&first) || first == normalize(path) {
                return Err(error_at(&entry.at, format!("`include` cycle: {} is already being loaded", first.display())));
            }
            including.push(normalize(path));
            let included = self.load_root(&files, including);
            including.pop();
            let mut included = included.map_err(|e| {
                if e.line.is_none() {
                    error_at(&entry.at, format!("cannot include {}: {}", first.display(), e.message))
                } else {
                    e
                }
            })?;
            let from_project = relative_to(&parent_dir(&first), &self.project_dir);
            if let Some(services) = included.get_mut("services").and_then(Node::as_map_mut) {
                for service in services.iter_mut() {
                    rebase_service_paths(&mut service.value, &from_project);
                }
            }
            for section in ["services", "networks", "volumes", "secrets", "configs"] {
                let Some(imported) = included.get(section).and_then(Node::as_map) else { continue };
                let imported = imported.to_vec();
                let Some(root) = document.as_map_mut() else { continue };
                if !root.iter().any(|e| e.name() == section) {
                    let at = entry.at.clone();
                    root.push(Entry { key: Node::str(section, at.clone()), value: Node::map(Vec::new(), at) });
                }
                let Some(target) = document.get_mut(section).and_then(Node::as_map_mut) else { continue };
                for item in imported {
                    if let Some(existing) = target.iter().find(|e| e.name() == item.name()) {
                        return Err(error_at(
                            &existing.key.at,
                            format!("{section}.{} conflicts with the one imported from {}", item.name(), first.display()),
                        ));
                    }
                    target.push(item);
                }
            }
        }
        Ok(())
    }

    fn yaml_limits(&self) -> YamlLimits {
        self.options.yaml
    }

    /// Interpolates every string value (keys are left alone), then casts the strings at paths
    /// compose reads as numbers or booleans.
    fn interpolate(&mut self, node: &mut Node, path: &mut Vec<String>) -> Result<(), Diagnostic> {
        match &mut node.value {
            Value::Map(entries) => {
                for entry in entries.iter_mut() {
                    path.push(entry.name().to_string());
                    let result = self.interpolate(&mut entry.value, path);
                    path.pop();
                    result?;
                }
            }
            Value::Seq(items) => {
                for item in items.iter_mut() {
                    path.push("[]".to_string());
                    let result = self.interpolate(item, path);
                    path.pop();
                    result?;
                }
            }
            Value::Scalar(scalar) => {
                if scalar.kind == ScalarKind::Str && scalar.text.contains('$') {
                    let result = substitute(&scalar.text, &self.env)
                        .map_err(|e| error_at(&node.at, format!("{}: {e}", display_path(path))))?;
                    self.interpolated_bytes = self.interpolated_bytes.saturating_add(result.text.len());
                    if self.interpolated_bytes > MAX_INTERPOLATED_BYTES {
                        return Err(error_at(
                            &node.at,
                            format!("interpolation has produced more than {MAX_INTERPOLATED_BYTES} bytes; refusing to go on"),
                        ));
                    }
                    for name in &result.unset {
                        if self.warned_unset.insert(name.clone()) {
                            self.warnings.push(error_at(
                                &node.at,
                                format!("the variable `{name}` is not set; it is replaced by an empty string"),
                            ));
                        }
                    }
                    if let Value::Scalar(scalar) = &mut node.value {
                        scalar.text = result.text;
                        scalar.interpolated = result.referenced;
                    }
                }
                cast(node, path)?;
            }
        }
        Ok(())
    }

    /// Resolves `extends` for every service of `document` (a document of `file`).
    fn apply_extends(&mut self, document: &mut Node, file: &Arc<str>, dir: &Path, resets: &[ResetPath]) -> Result<(), Diagnostic> {
        let Some(services) = document.get_mut("services") else { return Ok(()) };
        let Some(entries) = services.as_map_mut() else { return Ok(()) };
        if !entries.iter().any(|e| e.value.get("extends").is_some()) {
            return Ok(());
        }
        // The document itself is a service table under a key no real path can have.
        let key = PathBuf::from(format!("{file}\0document"));
        let table = ServiceTable {
            file: Arc::clone(file),
            dir: dir.to_path_buf(),
            services: std::mem::take(entries),
            resets: resets.to_vec(),
            resolved: HashSet::new(),
        };
        self.extends_files.insert(key.clone(), table);
        let names: Vec<String> = self.extends_files[&key].services.iter().map(|e| e.name().to_string()).collect();
        let mut outcome = Ok(());
        for name in names {
            if let Err(e) = self.resolve_service(&key, &name, &mut Vec::new()) {
                outcome = Err(e);
                break;
            }
        }
        if let Some(table) = self.extends_files.remove(&key) {
            if let Some(entries) = document.get_mut("services").and_then(Node::as_map_mut) {
                *entries = table.services;
            }
        }
        outcome
    }

    /// The service `name` of table `key` with its `extends` chain applied (and stored back).
    fn resolve_service(&mut self, key: &Path, name: &str, chain: &mut Vec<(PathBuf, String)>) -> Result<Node, Diagnostic> {
        let table = &self.extends_files[key];
        let Some(service) = table.services.iter().find(|e| e.name() == name).map(|e| e.value.clone()) else {
            return Err(Diagnostic { path: table.file.to_string(), line: None, column: None, message: format!("no service `{name}`") });
        };
        if table.resolved.contains(name) {
            return Ok(service);
        }
        let Some(extends) = service.get("extends").cloned() else {
            self.mark_resolved(key, name);
            return Ok(service);
        };
        let (base_name, base_file) = match (&extends.value, extends.get("service")) {
            (Value::Scalar(_), _) => (extends.text().map(str::to_string), None),
            (Value::Map(_), Some(base)) => (base.text().map(str::to_string), extends.get("file").cloned()),
            _ => (None, None),
        };
        let Some(base_name) = base_name else {
            return Err(error_at(&extends.at, format!("services.{name}.extends must name a service")));
        };
        let dir = self.extends_files[key].dir.clone();
        let base_key = match &base_file {
            None => key.to_path_buf(),
            Some(file_node) => {
                let Some(relative) = file_node.text() else {
                    return Err(error_at(&file_node.at, format!("services.{name}.extends.file must be a path")));
                };
                let path = normalize(&dir.join(relative));
                if !self.extends_files.contains_key(&path) {
                    self.load_extends_file(&path, file_node)?;
                }
                path
            }
        };
        if chain.len() >= MAX_EXTENDS_DEPTH {
            return Err(error_at(&extends.at, format!("`extends` chain longer than {MAX_EXTENDS_DEPTH} services")));
        }
        let link = (key.to_path_buf(), name.to_string());
        if chain.contains(&link) || (base_key == key && base_name == name) {
            let mut names: Vec<&str> = chain.iter().map(|(_, n)| n.as_str()).collect();
            names.push(name);
            if base_key == key && base_name == name {
                names.push(name);
            }
            return Err(error_at(&extends.at, format!("`extends` cycle: {}", names.join(" -> "))));
        }
        if !self.extends_files[&base_key].services.iter().any(|e| e.name() == base_name) {
            let where_ = match &base_file {
                Some(f) => format!("in {}", f.text().unwrap_or_default()),
                None => "in this file".to_string(),
            };
            return Err(error_at(&extends.at, format!("services.{name} extends `{base_name}`, but there is no service `{base_name}` {where_}")));
        }
        chain.push(link);
        let base = self.resolve_service(&base_key, &base_name, chain);
        chain.pop();
        let mut base = base?;
        // Base values enter this service through its `extends` line.
        base.relocate(&extends.at);
        // The child's own `!reset`/`!override` paths clear what it inherits.
        let table = &self.extends_files[key];
        let prefix = ["services".to_string(), name.to_string()];
        let relative: Vec<ResetPath> = table
            .resets
            .iter()
            .filter(|r| r.0.starts_with(&prefix))
            .map(|r| ResetPath(r.0[2..].to_vec()))
            .collect();
        apply_resets(&mut base, &relative);
        let mut path = vec!["services".to_string(), name.to_string()];
        let merged = merge(base, service, &mut path).map_err(|e| error_at(&e.pos, e.message))?;
        if let Some(table) = self.extends_files.get_mut(key) {
            if let Some(entry) = table.services.iter_mut().find(|e| e.name() == name) {
                entry.value = merged.clone();
            }
            table.resolved.insert(name.to_string());
        }
        if key.to_string_lossy().ends_with("\0document") {
            self.extends_of.insert(name.to_string(), extends);
        }
        Ok(merged)
    }

    fn mark_resolved(&mut self, key: &Path, name: &str) {
        if let Some(table) = self.extends_files.get_mut(key) {
            table.resolved.insert(name.to_string());
        }
    }

    /// Reads, interpolates and indexes another file named by `extends.file`.
    fn load_extends_file(&mut self, path: &Path, named_at: &Node) -> Result<(), Diagnostic> {
        let text = self.read(path).map_err(|e| error_at(&named_at.at, format!("cannot read the `extends` file {}: {e}", path.display())))?;
        let file: Arc<str> = Arc::from(path.display().to_string());
        let documents = yaml::parse(&text, &file, self.yaml_limits()).map_err(|e| Diagnostic {
            path: file.to_string(),
            line: Some(e.line),
            column: Some(e.column),
            message: format!("invalid YAML: {}", e.message),
        })?;
        let mut services = Vec::new();
        let mut resets = Vec::new();
        for mut document in documents {
            take_resets(&mut document, &mut Vec::new(), &mut resets);
            self.interpolate(&mut document, &mut Vec::new())?;
            if let Some(Value::Map(entries)) = document.get_mut("services").map(|s| std::mem::replace(&mut s.value, Value::Map(Vec::new()))) {
                services.extend(entries);
            }
        }
        // Its relative paths are relative to its own directory: make them relative to the
        // project's, once, so services merged from several files agree.
        let from_project = relative_to(&parent_dir(path), &self.project_dir);
        for entry in services.iter_mut() {
            rebase_service_paths(&mut entry.value, &from_project);
        }
        let table = ServiceTable { file, dir: parent_dir(path), services, resets, resolved: HashSet::new() };
        self.extends_files.insert(path.to_path_buf(), table);
        Ok(())
    }

    /// Reads an `env_file` (relative paths from the project directory).
    pub fn read_env_file(&mut self, relative: &str, at: &Node, required: bool) -> Result<Option<(String, Vec<dotenv::EnvLine>)>, Diagnostic> {
        let path = normalize(&self.project_dir.join(relative));
        let text = match self.read(&path) {
            Ok(text) => text,
            Err(ReadError::NotFound) if !required => return Ok(None),
            Err(e) => return Err(error_at(&at.at, format!("env file {}: {e}", path.display()))),
        };
        let lines = dotenv::parse(&text, &self.env).map_err(|e| Diagnostic {
            path: path.display().to_string(),
            line: Some(e.line),
            column: None,
            message: e.message,
        })?;
        Ok(Some((path.display().to_string(), lines)))
    }
}

/// Process variables first, then those from env files read so far.
struct Layered<'a> {
    top: &'a HashMap<String, String>,
    bottom: &'a HashMap<String, String>,
}

impl Lookup for Layered<'_> {
    fn lookup(&self, name: &str) -> Option<&str> {
        self.top.get(name).or_else(|| self.bottom.get(name)).map(String::as_str)
    }
}

/// Version 1 files (services at the top level, no `services:`) fail the schema on their first
/// service; say what they are rather than only "unknown key".
fn legacy_format_hint(root: &Node, message: String) -> String {
    let looks_like_v1 = root.get("services").is_none()
        && root.as_map().is_some_and(|entries| {
            entries.iter().any(|e| e.value.get("image").is_some() || e.value.get("build").is_some())
        });
    if looks_like_v1 && message.contains("at the top level") {
        "version 1 compose file: services at the top level, without a `services:` key; docker compose no longer reads this format".to_string()
    } else {
        message
    }
}

fn display_path(path: &[String]) -> String {
    path.iter().map(|p| if p == "[]" { "*" } else { p.as_str() }).collect::<Vec<_>>().join(".")
}

#[derive(Clone, Copy)]
pub(crate) enum CastTo {
    Int,
    Float,
    Bool,
}

/// Paths whose string values compose converts to numbers or booleans (after interpolation).
pub(crate) const CASTS: &[(&str, CastTo)] = &[
    ("services.*.cpu_count", CastTo::Int),
    ("services.*.cpu_percent", CastTo::Float),
    ("services.*.cpu_period", CastTo::Int),
    ("services.*.cpu_quota", CastTo::Int),
    ("services.*.cpu_rt_period", CastTo::Int),
    ("services.*.cpu_rt_runtime", CastTo::Int),
    ("services.*.cpus", CastTo::Float),
    ("services.*.cpu_shares", CastTo::Int),
    ("services.*.init", CastTo::Bool),
    ("services.*.depends_on.*.required", CastTo::Bool),
    ("services.*.depends_on.*.restart", CastTo::Bool),
    ("services.*.deploy.replicas", CastTo::Int),
    ("services.*.deploy.update_config.parallelism", CastTo::Int),
    ("services.*.deploy.update_config.max_failure_ratio", CastTo::Float),
    ("services.*.deploy.rollback_config.parallelism", CastTo::Int),
    ("services.*.deploy.rollback_config.max_failure_ratio", CastTo::Float),
    ("services.*.deploy.restart_policy.max_attempts", CastTo::Int),
    ("services.*.deploy.placement.max_replicas_per_node", CastTo::Int),
    ("services.*.healthcheck.retries", CastTo::Int),
    ("services.*.healthcheck.disable", CastTo::Bool),
    ("services.*.oom_kill_disable", CastTo::Bool),
    ("services.*.oom_score_adj", CastTo::Int),
    ("services.*.pids_limit", CastTo::Int),
    ("services.*.ports.[].target", CastTo::Int),
    ("services.*.privileged", CastTo::Bool),
    ("services.*.read_only", CastTo::Bool),
    ("services.*.scale", CastTo::Int),
    ("services.*.stdin_open", CastTo::Bool),
    ("services.*.tty", CastTo::Bool),
    ("services.*.ulimits.*", CastTo::Int),
    ("services.*.ulimits.*.hard", CastTo::Int),
    ("services.*.ulimits.*.soft", CastTo::Int),
    ("services.*.volumes.[].read_only", CastTo::Bool),
    ("services.*.volumes.[].volume.nocopy", CastTo::Bool),
    ("networks.*.external", CastTo::Bool),
    ("networks.*.internal", CastTo::Bool),
    ("networks.*.attachable", CastTo::Bool),
    ("networks.*.enable_ipv4", CastTo::Bool),
    ("networks.*.enable_ipv6", CastTo::Bool),
    ("volumes.*.external", CastTo::Bool),
    ("secrets.*.external", CastTo::Bool),
    ("configs.*.external", CastTo::Bool),
];

fn path_matches(path: &[String], pattern: &str) -> bool {
    let mut parts = pattern.split('.');
    for segment in path {
        match parts.next() {
            Some("*") if segment != "[]" => {}
            Some(part) if part == segment => {}
            _ => return false,
        }
    }
    parts.next().is_none()
}

fn cast(node: &mut Node, path: &[String]) -> Result<(), Diagnostic> {
    let Some(Value::Scalar(scalar)) = Some(&mut node.value) else { return Ok(()) };
    if scalar.kind != ScalarKind::Str {
        return Ok(());
    }
    let Some((_, to)) = CASTS.iter().find(|(pattern, _)| path_matches(path, pattern)) else { return Ok(()) };
    let text = scalar.text.trim();
    let kind = match to {
        CastTo::Int => text.parse::<i64>().ok().map(ScalarKind::Int),
        CastTo::Float => text.parse::<f64>().ok().map(|_| ScalarKind::Float),
        CastTo::Bool => match text.to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" | "on" => Some(ScalarKind::Bool(true)),
            "false" | "n" | "no" | "off" => Some(ScalarKind::Bool(false)),
            _ => None,
        },
    };
    match kind {
        Some(kind) => {
            scalar.kind = kind;
            Ok(())
        }
        None => {
            let expected = match to {
                CastTo::Int => "an integer",
                CastTo::Float => "a number",
                CastTo::Bool => "a boolean (true or false)",
            };
            let message = format!("{}: `{}` is not {expected}", display_path(path), scalar.text);
            Err(error_at(&node.at, message))
        }
    }
}

/// Relative host paths of a service from another file are relative to that file's directory.
fn rebase_service_paths(service: &mut Node, dir: &Path) {
    if let Some(volumes) = service.get_mut("volumes").and_then(|v| match &mut v.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }) {
        for volume in volumes.iter_mut() {
            match &mut volume.value {
                Value::Scalar(scalar) if scalar.text.starts_with('.') => {
                    if let Some((source, rest)) = scalar.text.split_once(':') {
                        scalar.text = format!("{}:{rest}", rebase(dir, source));
                    }
                }
                Value::Map(_) => {
                    if let Some(Value::Scalar(source)) = volume.get_mut("source").map(|s| &mut s.value) {
                        if source.text.starts_with('.') {
                            source.text = rebase(dir, &source.text);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let rebase_scalar = |node: &mut Node| {
        if let Value::Scalar(scalar) = &mut node.value {
            if scalar.kind == ScalarKind::Str {
                scalar.text = rebase(dir, &scalar.text);
            }
        }
    };
    if let Some(env_file) = service.get_mut("env_file") {
        match &mut env_file.value {
            Value::Scalar(_) => rebase_scalar(env_file),
            Value::Seq(items) => {
                for item in items.iter_mut() {
                    match item.get_mut("path") {
                        Some(path) => rebase_scalar(path),
                        None => rebase_scalar(item),
                    }
                }
            }
            Value::Map(_) => {}
        }
    }
    if let Some(build) = service.get_mut("build") {
        match build.get_mut("context") {
            Some(context) => rebase_scalar(context),
            None => rebase_scalar(build),
        }
    }
}
