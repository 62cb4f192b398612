//! Compose projects in a scan: load each one like `docker compose` (rampart-compose), run the
//! container rules over every service and the project rules over the whole project (networks,
//! secrets), and apply ignore comments and the configuration.
//!
//! Ignore comments in compose files are YAML comments on the line(s) directly above the line a
//! finding points at (`# rampart ignore=CTR001 reason=...` above `privileged: true`, or above
//! the service's key for what the service lacks); `# rampart ignore-file=...` anywhere in the
//! file. A finding that points into another file (an `extends` base, an env file) is matched
//! against that file's comments.

use crate::suppress::FileSuppressions;
use crate::{FileOutcome, ScanOptions, ScannedFile};
use rampart_compose::{load, LoadOptions, SourceFile};
use rampart_model::{InputError, Notice};
use rampart_rules::{check_container, check_project, ContainerContext, ProjectContext, RULES};
use std::collections::HashMap;
use std::path::PathBuf;

/// Loads and checks one project (`files` is its `-f` list).
pub(crate) fn scan_project(files: &[PathBuf], options: &ScanOptions) -> FileOutcome {
    let load_options = LoadOptions { max_file_size: options.limits.max_bytes as u64, ..LoadOptions::from_process_environment() };
    let loaded = match load(files, &load_options) {
        Ok(loaded) => loaded,
        Err(error) => return FileOutcome { error: Some(InputError::from(error)), ..FileOutcome::default() },
    };
    let compose_files: Vec<String> = loaded.project.files.clone();
    let mut suppressions: HashMap<String, FileSuppressions> = loaded
        .sources
        .iter()
        .map(|source| (source.path.clone(), suppressions_of(source)))
        .collect();
    let mut findings = Vec::new();
    for service in &loaded.project.services {
        let cx = ContainerContext { spec: &service.spec, settings: &options.settings };
        findings.extend(check_container(&cx, RULES.iter().copied()));
    }
    let project_cx = ProjectContext { project: &loaded.project, settings: &options.settings };
    findings.extend(check_project(&project_cx, RULES.iter().copied()));
    let mut outcome = FileOutcome::default();
    for finding in findings {
        let path = finding.location.path.clone().unwrap_or_default();
        let file_suppressions = suppressions.get_mut(&path);
        outcome.admit(finding, |f| file_suppressions.is_some_and(|s| s.silences(f)), &options.policy, std::path::Path::new(&path));
    }
    for warning in loaded.warnings {
        outcome.notices.push(Notice { kind: "compose".into(), path: warning.path, line: warning.line, message: warning.message });
    }
    for (_, file_suppressions) in suppressions {
        outcome.notices.extend(file_suppressions.into_notices());
    }
    // Reports show the flagged lines of compose files; env files are left out, their lines are
    // often secrets.
    outcome.scanned = loaded
        .sources
        .into_iter()
        .find(|source| compose_files.first() == Some(&source.path))
        .map(|source| ScannedFile { path: source.path, text: source.text });
    outcome
}

/// A file's ignore comments: whole-line YAML comments, each covering the next line that is not
/// a comment.
fn suppressions_of(source: &SourceFile) -> FileSuppressions {
    let mut comments: Vec<(u32, &str)> = Vec::new();
    let mut targets: Vec<(u32, u32)> = Vec::new();
    for (index, line) in source.text.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix('#') {
            comments.push((number, comment.trim()));
        } else if !trimmed.is_empty() {
            targets.push((number, number));
        }
    }
    FileSuppressions::from_comments(&source.path, &comments, &targets)
}
