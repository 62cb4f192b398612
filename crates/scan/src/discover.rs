//! Which files `rampart scan` analyses: Dockerfiles, compose files (grouped into projects), and
//! shell scripts, Makefiles and Markdown (for the container command lines in them), under the given directories (respecting
//! `.gitignore`, `.ignore`, `.rampartignore` and the config's `exclude`), and any file named on
//! the command line whatever its name or those rules.

use crate::config::PathMatcher;
use crate::scripts::is_command_file_name;
use rampart_model::InputError;
use std::path::{Path, PathBuf};

pub struct Discovered {
    /// In a stable order: by path.
    pub files: Vec<PathBuf>,
    /// Compose projects: each the `-f` list `docker compose` would use (a directory's main file
    /// and its override, or one compose file alone), in path order.
    pub compose: Vec<Vec<PathBuf>>,
    pub errors: Vec<InputError>,
}

/// A YAML file whose name says compose (`compose.yaml`, `docker-compose.prod.yml`, ...).
fn is_compose_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(rampart_compose::looks_like_compose_file)
}

/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// Ignore files with gitignore syntax read in every directory, besides `.gitignore` and `.ignore`.
const IGNORE_FILE_NAME: &str = ".rampartignore";

/// Version-control metadata is never searched (hidden files otherwise are: `.docker/Dockerfile`).
fn is_vcs_dir(name: &std::ffi::OsStr) -> bool {
    name == ".git" || name == ".hg" || name == ".svn"
}

pub fn discover(paths: &[PathBuf], exclude: Option<&PathMatcher>) -> Discovered {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut compose_found = Vec::new();
    let mut compose = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(error(root, format!("cannot read: {e}")));
                continue;
            }
        };
        if !meta.is_dir() {
            if is_compose_name(root) {
                // Named on the command line: loaded alone, as `docker compose -f FILE` would.
                compose.push(vec![root.clone()]);
            } else {
                files.push(root.clone());
            }
            continue;
        }
        let exclude = exclude.cloned();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .require_git(false)
            .add_custom_ignore_filename(IGNORE_FILE_NAME)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let skipped_vcs_dir = is_dir && is_vcs_dir(entry.file_name());
                let excluded = exclude.as_ref().is_some_and(|m| m.is_match(entry.path()));
                !skipped_vcs_dir && !excluded
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && entry.file_name().to_str().is_some_and(|n| is_dockerfile_name(n) || is_command_file_name(n)) {
                        files.push(entry.into_path());
                    } else if is_file && is_compose_name(entry.path()) {
                        compose_found.push(entry.into_path());
                    }
                }
                Err(e) => errors.push(walk_error(root, e)),
            }
        }
    }
    files.sort();
    files.dedup();
    compose.extend(rampart_compose::group_projects(&compose_found));
    compose.sort();
    compose.dedup();
    Discovered { files, compose, errors }
}

fn error(path: &Path, message: String) -> InputError {
    InputError { path: path.display().to_string(), line: None, column: None, message }
}

/// `ignore` wraps I/O errors with the path; unwrap to name the path that failed.
fn walk_error(root: &Path, err: ignore::Error) -> InputError {
    let mut path = root.to_path_buf();
    let mut current = &err;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err: inner } => {
                path = p.clone();
                current = inner;
            }
            ignore::Error::WithDepth { err: inner, .. } | ignore::Error::WithLineNumber { err: inner, .. } => current = inner,
            _ => break,
        }
    }
    error(&path, format!("cannot read: {current}"))
}
