//! Loads compose files the way `docker compose` does and turns every service into a
//! [`ContainerSpec`](rampart_model::ContainerSpec) whose values carry the file, line and column
//! they came from (and, through a YAML anchor or `extends`, where they were defined).
//!
//! What is followed: the default file names and their overrides ([`find_project_files`]),
//! several files merged by the Compose Specification's rules, `.env` and the process
//! environment for `${VAR}` interpolation (every operator, `$$`), YAML anchors and `<<` merge
//! keys, `!reset` and `!override`, `extends` (same file and other files, cycles detected),
//! `profiles`, top-level `networks`, `volumes`, `secrets` and `configs`, and `env_file`s. The
//! merged project is checked against rampart's own description of the Compose file format
//! (`schema.rs`: the keys of each kind of object and the kind of value each takes), so what
//! `docker compose config` rejects (unknown keys, wrong types) is rejected here, with a position.
//!
//! Bad input gets a [`Diagnostic`], never a panic: files are size-limited, alias expansion is
//! budgeted (a "billion laughs" file fails fast), nesting is bounded by the YAML parser.

mod convert;
mod discover;
mod dotenv;
mod interpolate;
mod loader;
mod merge;
mod paths;
mod schema;
mod source;
pub mod yaml;

pub use convert::shell_words;
pub use discover::{
    find_project_files, group_projects, is_compose_file_name, looks_like_compose_file, ProjectFiles, DEFAULT_FILE_NAMES,
    OVERRIDE_FILE_NAMES,
};
pub use interpolate::{substitute, InterpolationError, Lookup, Substituted};
pub use source::{FileSource, FileSystem, MemoryFiles, ReadError};

use rampart_model::{ComposeProject, InputError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The compose process's environment (the CLI passes `std::env::vars()`); it overrides
    /// `.env`. Tests pass their own so results do not depend on the machine.
    pub environment: HashMap<String, String>,
    /// `--project-directory`: where `.env` and relative paths are looked up. Default: the
    /// directory of the first file.
    pub project_directory: Option<PathBuf>,
    /// `--env-file`s, replacing `<project directory>/.env` (which may be absent; these may not).
    pub env_files: Option<Vec<PathBuf>>,
    /// Larger compose, `.env` and `env_file` files are refused.
    pub max_file_size: u64,
    pub yaml: yaml::YamlLimits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            environment: HashMap::new(),
            project_directory: None,
            env_files: None,
            max_file_size: 8 * 1024 * 1024,
            yaml: yaml::YamlLimits::default(),
        }
    }
}

impl LoadOptions {
    /// Options with the current process's environment, as `docker compose` would see it.
    pub fn from_process_environment() -> LoadOptions {
        LoadOptions { environment: std::env::vars().collect(), ..LoadOptions::default() }
    }
}

/// An error or a warning, with the position it is about when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl From<Diagnostic> for InputError {
    fn from(d: Diagnostic) -> InputError {
        InputError { path: d.path, line: d.line, column: d.column, message: d.message }
    }
}

/// A file the loader read (compose files, `extends` files, `.env`, `env_file`s), for reports
/// that show the flagged lines and for ignore comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A loaded project.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub project: ComposeProject,
    /// What compose would warn about: unset variables, the obsolete `version`.
    pub warnings: Vec<Diagnostic>,
    pub sources: Vec<SourceFile>,
}

/// Loads `files` (the `-f` list, in order) from the file system.
pub fn load(files: &[PathBuf], options: &LoadOptions) -> Result<Loaded, Diagnostic> {
    load_from(files, options, &FileSystem)
}

/// Loads `files` through `source`.
pub fn load_from(files: &[PathBuf], options: &LoadOptions, source: &dyn FileSource) -> Result<Loaded, Diagnostic> {
    let Some(first) = files.first() else {
        return Err(Diagnostic { path: String::new(), line: None, column: None, message: "no compose file given".into() });
    };
    let project_dir = options.project_directory.clone().unwrap_or_else(|| paths::parent_dir(first));
    loader::Loader::new(options, source, project_dir).load(files)
}

/// Loads one compose file given as text (named `path` in positions); other files it refers to
/// (`extends`, `env_file`, `.env`) are looked up in `source`.
pub fn load_text(path: &Path, text: &str, options: &LoadOptions, source: &dyn FileSource) -> Result<Loaded, Diagnostic> {
    struct WithMain<'a> {
        path: &'a Path,
        text: &'a str,
        rest: &'a dyn FileSource,
    }
    impl FileSource for WithMain<'_> {
        fn read(&self, path: &Path, max_bytes: u64) -> Result<String, ReadError> {
            if path == self.path {
                if self.text.len() as u64 > max_bytes {
                    return Err(ReadError::TooLarge { size: self.text.len() as u64, limit: max_bytes });
                }
                return Ok(self.text.to_string());
            }
            self.rest.read(path, max_bytes)
        }
    }
    load_from(&[path.to_path_buf()], options, &WithMain { path, text, rest: source })
}
