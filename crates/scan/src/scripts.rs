//! Container command lines in shell scripts, Makefiles and Markdown: every `docker run`,
//! `docker create` or `podman run` found is checked with the container rules, as if it had
//! been given to `rampart check-run`. A README that tells users to `docker run --privileged`
//! is worth a finding: what people copy from it is what runs.

use crate::{FileOutcome, ScanOptions, ScannedFile};
use rampart_model::InputError;
use rampart_rules::{check_container, ContainerContext, RULES};
use rampart_runargs::{find_run_commands, SourceKind};
use crate::suppress::FileSuppressions;
use std::path::Path;

/// The kind of command-line file `path` is by its name (`*.sh`, `Makefile`, `*.md`, ...), for
/// discovery under directories.
pub fn is_command_file_name(name: &str) -> bool {
    SourceKind::detect(name, "").is_some()
}

/// The kind of `path` when it holds command lines: by name, or by a `#!` line naming a shell.
pub(crate) fn command_file_kind(path: &Path, bytes: &[u8]) -> Option<SourceKind> {
    let name = path.file_name()?.to_str()?;
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    SourceKind::detect(name, &String::from_utf8_lossy(first_line))
}

/// Checks the container command lines of one file. Files without any are not counted as
/// scanned (nothing in them was analysed); a command line that cannot be parsed, or shell code
/// around one that cannot be read, is an input error at its position.
pub(crate) fn scan_command_file(path: &Path, display: String, bytes: &[u8], kind: SourceKind, options: &ScanOptions) -> FileOutcome {
    // Invalid UTF-8 in a README is not worth refusing the file over: such bytes are never part
    // of a command we can read.
    let text = String::from_utf8_lossy(bytes).into_owned();
    let found = find_run_commands(&text, &display, kind);
    let mut outcome = FileOutcome::default();
    if let Some(error) = found.errors.into_iter().next() {
        outcome.error = Some(InputError {
            path: display.clone(),
            line: error.origin.as_ref().map(|o| o.line),
            column: error.origin.as_ref().map(|o| o.column),
            message: error.message,
        });
    }
    if found.commands.is_empty() {
        return outcome;
    }
    let targets: Vec<(u32, u32)> = found
        .commands
        .iter()
        .filter_map(|c| c.spec.origin.as_ref().map(|o| (o.line, o.end_line.unwrap_or(o.line))))
        .collect();
    let comments: Vec<(u32, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(index, line)| line.trim_start().strip_prefix('#').map(|c| (index as u32 + 1, c.trim())))
        .collect();
    let mut ignore_comments = FileSuppressions::from_comments(&display, &comments, &targets);
    for command in &found.commands {
        let cx = ContainerContext { spec: &command.spec, settings: &options.settings };
        for finding in check_container(&cx, RULES.iter().copied()) {
            outcome.admit(finding, |f| ignore_comments.silences(f), &options.policy, path);
        }
    }
    outcome.notices = ignore_comments.into_notices();
    outcome.scanned = Some(ScannedFile { path: display, text });
    outcome
}
