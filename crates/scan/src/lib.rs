//! The `scan` pipeline: discover files, read each once within limits, parse, run the rules
//! (files in parallel), apply ignore comments and the configuration, and hand back one
//! [`Report`].

mod compose;
mod config;
mod discover;
mod scripts;
mod select;
mod suppress;

use rampart_dockerfile::{parse, ParseLimits};
use rampart_model::{Finding, InputError, Notice, Report, Severity};
use rampart_rules::{check_dockerfile, DockerfileContext, Settings, RULES};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub use config::{find_config, parse_size, Config, ConfigError, FailOn, PathIgnore, PathMatcher, CONFIG_FILE_NAME};
pub use discover::{discover, is_dockerfile_name, Discovered};
pub use scripts::is_command_file_name;
pub use select::{rules_named, RuleSelector};
pub use suppress::FileSuppressions;

/// What the user's configuration changes about findings, after ignore comments: rules off
/// everywhere or under some paths, and severities changed.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub ignore: Vec<RuleSelector>,
    pub ignore_paths: Vec<PathIgnore>,
    /// Later entries win when several name the same rule.
    pub severity: Vec<(RuleSelector, Severity)>,
}

impl Policy {
    /// True when the configuration switches `finding`'s rule off for the file at `path`.
    pub fn ignores(&self, finding: &Finding, path: &Path) -> bool {
        self.ignore.iter().any(|s| s.matches(&finding.rule))
            || self
                .ignore_paths
                .iter()
                .any(|entry| entry.rules.iter().any(|s| s.matches(&finding.rule)) && entry.paths.is_match(path))
    }

    /// The severity the configuration gives `rule`, when it changes it.
    pub fn severity_of(&self, rule: &str) -> Option<Severity> {
        self.severity.iter().rev().find(|(s, _)| s.matches(rule)).map(|(_, severity)| *severity)
    }
}

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub limits: ParseLimits,
    pub settings: Settings,
    pub policy: Policy,
    /// Paths not searched under directories (files named explicitly are always analysed).
    pub exclude: Option<PathMatcher>,
    /// Notices from setting up the scan (unknown rule codes in the config), passed into the report.
    pub notices: Vec<Notice>,
}

impl ScanOptions {
    /// Takes the settings of a loaded `rampart.toml`. `fail-on` is the caller's business: it
    /// decides the exit code, not the report.
    pub fn apply_config(&mut self, config: &Config) {
        self.policy.ignore.extend(config.ignore.iter().cloned());
        self.policy.ignore_paths.extend(config.ignore_paths.iter().cloned());
        self.policy.severity.extend(config.severity.iter().cloned());
        self.settings.trusted_registries.extend(config.trusted_registries.iter().cloned());
        if config.exclude.is_some() {
            self.exclude.clone_from(&config.exclude);
        }
        if let Some(max) = config.max_file_size {
            self.limits.max_bytes = max;
        }
        self.notices.extend(config.notices.iter().cloned());
    }

    /// Switches a rule off everywhere (`--ignore`), by code, name or peer ID. An identifier
    /// that names no rule is reported as a notice, as it is in the config.
    pub fn ignore_rule(&mut self, id: &str) {
        let selector = RuleSelector::new(id);
        if !selector.is_known() {
            self.notices.push(Notice {
                kind: "unknown-rule".into(),
                path: "--ignore".into(),
                line: None,
                message: format!("no rule is named `{id}` (see `rampart rules`)"),
            });
        }
        self.policy.ignore.push(selector);
    }
}

/// A scanned file's text, kept so reports can show the flagged lines.
pub struct ScannedFile {
    pub path: String,
    pub text: String,
}

pub struct ScanResult {
    pub report: Report,
    pub files: Vec<ScannedFile>,
}

/// What scanning one file produced.
#[derive(Default)]
struct FileOutcome {
    scanned: Option<ScannedFile>,
    findings: Vec<Finding>,
    suppressed: usize,
    error: Option<InputError>,
    notices: Vec<Notice>,
}

impl FileOutcome {
    /// Keeps `finding` unless an ignore comment of its file (`silenced`, asked first so that a
    /// comment that matches is never reported unused just because the configuration also
    /// switches the rule off) or the configuration suppresses it; the configuration may also
    /// change its severity.
    fn admit(&mut self, mut finding: Finding, silenced: impl FnOnce(&Finding) -> bool, policy: &Policy, path: &Path) {
        if silenced(&finding) || policy.ignores(&finding, path) {
            self.suppressed += 1;
            return;
        }
        if let Some(severity) = policy.severity_of(&finding.rule) {
            finding.severity = severity;
        }
        self.findings.push(finding);
    }
}

/// Scans `options.paths`. Unreadable or unparsable files become [`InputError`]s and the scan
/// goes on with the others.
pub fn scan(options: &ScanOptions) -> ScanResult {
    let Discovered { files, compose, mut errors } = discover(&options.paths, options.exclude.as_ref());
    // Files are independent, so they are checked in parallel; collecting keeps their order.
    let mut outcomes: Vec<FileOutcome> = files.par_iter().map(|path| scan_file(path, options)).collect();
    outcomes.extend(compose.par_iter().map(|project| compose::scan_project(project, options)).collect::<Vec<_>>());

    let mut findings = Vec::new();
    let mut notices = options.notices.clone();
    let mut scanned = Vec::new();
    let mut suppressed = 0;
    for outcome in outcomes {
        findings.extend(outcome.findings);
        notices.extend(outcome.notices);
        suppressed += outcome.suppressed;
        errors.extend(outcome.error);
        scanned.extend(outcome.scanned);
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    let report = Report::new(findings, errors, notices, scanned.len(), suppressed);
    ScanResult { report, files: scanned }
}

fn scan_file(path: &Path, options: &ScanOptions) -> FileOutcome {
    let display = path.display().to_string();
    let bytes = match read_limited(path, options.limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(message) => {
            return FileOutcome { error: Some(InputError { path: display, line: None, column: None, message }), ..Default::default() };
        }
    };
    // Shell scripts, Makefiles and Markdown are read for the container command lines in them.
    let named_as_dockerfile = path.file_name().and_then(|n| n.to_str()).is_some_and(is_dockerfile_name);
    if !named_as_dockerfile {
        if let Some(kind) = scripts::command_file_kind(path, &bytes) {
            return scripts::scan_command_file(path, display, &bytes, kind, options);
        }
    }
    if let Some(line) = binary_content_line(&bytes) {
        let message = "binary file (contains a NUL byte), not a Dockerfile".to_string();
        return FileOutcome { error: Some(InputError { path: display, line: Some(line), column: None, message }), ..Default::default() };
    }
    let dockerfile = match parse(&bytes, &options.limits) {
        Ok(dockerfile) => dockerfile,
        Err(e) => {
            let error = InputError { path: display, line: Some(e.line), column: Some(e.column), message: e.message };
            return FileOutcome { error: Some(error), ..Default::default() };
        }
    };
    let cx = DockerfileContext { dockerfile: &dockerfile, path: &display, settings: &options.settings };
    let mut ignore_comments = FileSuppressions::new(&dockerfile, &display);
    let mut outcome = FileOutcome::default();
    for finding in check_dockerfile(&cx, RULES.iter().copied()) {
        outcome.admit(finding, |f| ignore_comments.silences(f), &options.policy, path);
    }
    outcome.notices = ignore_comments.into_notices();
    // What BuildKit accepts but is probably a mistake (a line continuation at the end of the
    // file): not a finding of any rule, but the user should see it in every format.
    outcome.notices.extend(dockerfile.warnings.iter().map(|warning| Notice {
        kind: "parse-warning".into(),
        path: display.clone(),
        line: Some(warning.line),
        message: warning.message.clone(),
    }));
    outcome.scanned = Some(ScannedFile { path: display, text: dockerfile.source });
    outcome
}

/// Reads a regular file, at most `max_bytes` (+1 to detect more) so a huge file never lands
/// whole in memory. Anything else (a FIFO, a device) is refused before it is opened: opening a
/// FIFO blocks until someone writes to it.
fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("cannot read: not a regular file".into());
    }
    if meta.len() > max_bytes as u64 {
        return Err(too_large(meta.len(), max_bytes));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > max_bytes {
        // It grew between the two looks.
        return Err(too_large(bytes.len() as u64, max_bytes));
    }
    Ok(bytes)
}

/// The 1-based line of the first NUL byte, if any: text files never contain one, so this tells a
/// binary file from a text file with a stray invalid byte (which the parser reports as such).
fn binary_content_line(bytes: &[u8]) -> Option<u32> {
    let position = bytes.iter().position(|&b| b == 0)?;
    let newlines = bytes[..position].iter().filter(|&&b| b == b'\n').count();
    Some(u32::try_from(newlines + 1).unwrap_or(u32::MAX))
}

fn too_large(size: u64, max_bytes: usize) -> String {
    format!("file is {size} bytes, over the {max_bytes}-byte limit (raise it with --max-file-size or `max-file-size` in rampart.toml)")
}
