//! The `scan` pipeline: discover files, read them within limits, parse, run the rules, apply
//! suppressions and configuration, and hand back one [`Report`].

mod discover;

use rampart_dockerfile::{parse, ParseLimits};
use rampart_model::{InputError, Report};
use rampart_rules::{check_dockerfile, DockerfileContext, Settings, RULES};
use std::path::PathBuf;

pub use discover::{discover, is_dockerfile_name, Discovered};

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub limits: ParseLimits,
    pub settings: Settings,
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

/// Scans `options.paths`. Unreadable or unparsable files become [`InputError`]s and the scan
/// goes on with the others.
pub fn scan(options: &ScanOptions) -> ScanResult {
    let Discovered { files, mut errors } = discover(&options.paths);
    let mut findings = Vec::new();
    let mut scanned = Vec::new();
    for path in files {
        let display = path.display().to_string();
        let bytes = match read_limited(&path, options.limits.max_bytes) {
            Ok(bytes) => bytes,
            Err(message) => {
                errors.push(InputError { path: display, line: None, column: None, message });
                continue;
            }
        };
        match parse(&bytes, &options.limits) {
            Ok(df) => {
                let cx = DockerfileContext { dockerfile: &df, path: &display, settings: &options.settings };
                findings.extend(check_dockerfile(&cx, RULES.iter().copied()));
                scanned.push(ScannedFile { path: display, text: df.source });
            }
            Err(e) => errors.push(InputError { path: display, line: Some(e.line), column: Some(e.column), message: e.message }),
        }
    }
    let report = Report::new(findings, errors, Vec::new(), scanned.len(), 0);
    ScanResult { report, files: scanned }
}

/// Reads at most `max_bytes` (+1 to detect more) so a huge file never lands whole in memory.
fn read_limited(path: &std::path::Path, max_bytes: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() > max_bytes {
        return Err(format!("file is larger than the {max_bytes}-byte limit (--max-file-size)"));
    }
    Ok(bytes)
}
