//! `rampart.toml`: a team's policy for `rampart scan`, kept next to the code.
//!
//! ```toml
//! ignore = ["DKF006", "DL3008"]          # rules off everywhere (codes, names or peer IDs)
//! fail-on = "high"                       # exit 1 from this severity up (--fail-on wins)
//! trusted-registries = ["ghcr.io/acme"]  # where base images may come from
//! exclude = ["vendor/**"]                # paths never searched for Dockerfiles
//! max-file-size = "4MiB"                 # larger files are an input error
//!
//! [severity]                             # change a rule's severity
//! DKF049 = "low"
//!
//! [[ignore-path]]                        # rules off under some paths
//! path = "legacy/**"
//! rules = ["DKF028"]
//! reason = "frozen, replaced in Q3"
//! ```
//!
//! Paths and globs are relative to the directory holding the file. Mistakes in the file (an
//! unknown key, a bad value) are errors with `file:line:column`, because a policy that is
//! silently half-applied is worse than none; an unknown rule code is only a notice, so one
//! config works across rampart versions that add or retire rules.

use crate::select::RuleSelector;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rampart_model::{Notice, Severity};
use serde::Deserialize;
use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use toml::Spanned;

pub const CONFIG_FILE_NAME: &str = "rampart.toml";

/// The `--fail-on` / `fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Exit 1 when a finding is at or above this severity.
    AtOrAbove(Severity),
    /// Report only: findings never change the exit code (input errors still do).
    Never,
}

impl FailOn {
    pub const DEFAULT: FailOn = FailOn::AtOrAbove(Severity::Medium);

    pub fn is_reached_by(self, severity: Severity) -> bool {
        match self {
            FailOn::AtOrAbove(threshold) => severity >= threshold,
            FailOn::Never => false,
        }
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("never") || s.eq_ignore_ascii_case("none") {
            return Ok(FailOn::Never);
        }
        s.parse::<Severity>().map(FailOn::AtOrAbove).map_err(|_| {
            format!("unknown threshold `{s}` (expected info, low, medium, high, critical or never)")
        })
    }
}

/// Parses a size in bytes: `1048576`, `512KB`, `4MiB`, `1GB` (KB/MB/GB are powers of 1000,
/// KiB/MiB/GiB powers of 1024, as their names say).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits_end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let bad = || format!("invalid size `{text}` (expected bytes, or a number with KB, MB, GB, KiB, MiB or GiB)");
    let number: u64 = number.parse().map_err(|_| bad())?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    number
        .checked_mul(multiplier)
        .and_then(|bytes| usize::try_from(bytes).ok())
        .ok_or_else(|| format!("size `{text}` is too large"))
}

/// Why a config file could not be used. Always names the file, and the line and column when
/// the problem is at one place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Paths matched by globs written relative to a directory (the config file's).
///
/// Globs follow .gitignore habits: `*` stays within one path segment and `**` crosses them,
/// a glob without `/` matches a file or directory name at any depth, a leading `/` anchors
/// it at the config's directory, and matching a directory matches everything under it.
#[derive(Debug, Clone)]
pub struct PathMatcher {
    root: PathBuf,
    /// The directory relative inputs are resolved from (the working directory at load time).
    base: PathBuf,
    globs: GlobSet,
    patterns: Vec<String>,
}

impl PathMatcher {
    /// Builds a matcher for `patterns` relative to `root`. On a bad glob, returns its index and
    /// the reason.
    pub fn new(root: &Path, patterns: &[String]) -> Result<PathMatcher, (usize, String)> {
        let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let trimmed = pattern.trim_end_matches('/');
            let anchored = match trimmed.strip_prefix('/') {
                Some(rest) => rest.to_string(),
                None if trimmed.contains('/') => trimmed.to_string(),
                None => format!("**/{trimmed}"),
            };
            let glob = GlobBuilder::new(&anchored)
                .literal_separator(true)
                .build()
                .map_err(|e| (index, e.kind().to_string()))?;
            builder.add(glob);
        }
        let globs = builder.build().map_err(|e| (0, e.to_string()))?;
        Ok(PathMatcher { root: normalize(&base, root), base, globs, patterns: patterns.to_vec() })
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when `path` (relative to the working directory, or absolute) or one of its parent
    /// directories below the root matches a glob. Paths outside the root never match.
    pub fn is_match(&self, path: &Path) -> bool {
        let absolute = normalize(&self.base, path);
        let Ok(relative) = absolute.strip_prefix(&self.root) else { return false };
        relative.ancestors().filter(|p| !p.as_os_str().is_empty()).any(|p| self.globs.is_match(p))
    }
}

/// `base.join(path)` with `.` and `..` resolved lexically (no file system access, so it works
/// for paths that are about to be created or are unreadable).
fn normalize(base: &Path, path: &Path) -> PathBuf {
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Rules switched off under some paths (`[[ignore-path]]`).
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub paths: PathMatcher,
    pub rules: Vec<RuleSelector>,
    pub reason: Option<String>,
}

/// A loaded `rampart.toml`, with every value checked and every rule identifier resolved.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    pub ignore: Vec<RuleSelector>,
    pub severity: Vec<(RuleSelector, Severity)>,
    pub trusted_registries: Vec<String>,
    pub fail_on: Option<FailOn>,
    pub exclude: Option<PathMatcher>,
    pub ignore_paths: Vec<PathIgnore>,
    pub max_file_size: Option<usize>,
    /// Things to tell the user that do not stop the scan (unknown rule codes).
    pub notices: Vec<Notice>,
}

/// The file as written; every value keeps its place for error messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: std::collections::BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    trusted_registries: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    ignore_path: Vec<RawIgnorePath>,
    max_file_size: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnorePath {
    /// One glob or a list.
    path: Spanned<toml::Value>,
    rules: Vec<Spanned<String>>,
    reason: Option<String>,
}

/// The nearest `rampart.toml` in `start` or its parents, stopping at the root of the git
/// repository `start` is in (so a checkout never picks up a file from outside it), or at the
/// file system root outside any repository.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

impl Config {
    /// Reads and checks the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read config: {e}"),
        })?;
        Config::parse(&text, path)
    }

    /// Checks config `text`, read from `path` (relative globs are resolved from its directory).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let at = |span: Range<usize>, message: String| {
            let (line, column) = line_col(text, span.start);
            ConfigError { path: path.to_path_buf(), line: Some(line), column: Some(column), message }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            // serde says "field"; a TOML user thinks in keys.
            let message = e.message().trim().replace("unknown field", "unknown key");
            match e.span() {
                Some(span) => at(span, message),
                None => ConfigError { path: path.to_path_buf(), line: None, column: None, message },
            }
        })?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let display = path.display().to_string();
        let mut notices = Vec::new();
        let mut select = |id: &Spanned<String>| {
            let selector = RuleSelector::new(id.get_ref());
            if !selector.is_known() {
                notices.push(Notice {
                    kind: "unknown-rule".into(),
                    path: display.clone(),
                    line: Some(line_col(text, id.span().start).0),
                    message: format!("no rule is named `{}` (see `rampart rules`); it is ignored", id.get_ref()),
                });
            }
            selector
        };

        let ignore = raw.ignore.iter().map(&mut select).collect();

        let mut severity = Vec::new();
        let mut overrides: Vec<_> = raw.severity.iter().collect();
        overrides.sort_by_key(|(key, _)| key.span().start);
        for (rule, value) in overrides {
            let level = value.get_ref().parse::<Severity>().map_err(|e| at(value.span(), e))?;
            severity.push((select(rule), level));
        }

        let fail_on = match &raw.fail_on {
            Some(value) => Some(value.get_ref().parse::<FailOn>().map_err(|e| at(value.span(), e))?),
            None => None,
        };

        let mut trusted_registries = Vec::new();
        for registry in &raw.trusted_registries {
            let name = registry.get_ref().trim();
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(at(registry.span(), format!("invalid registry `{name}`")));
            }
            trusted_registries.push(name.to_string());
        }

        let matcher = |globs: &[Spanned<String>]| -> Result<Option<PathMatcher>, ConfigError> {
            if globs.is_empty() {
                return Ok(None);
            }
            let patterns: Vec<String> = globs.iter().map(|g| g.get_ref().clone()).collect();
            PathMatcher::new(&root, &patterns)
                .map(Some)
                .map_err(|(index, reason)| at(globs[index].span(), format!("invalid glob `{}`: {reason}", patterns[index])))
        };

        let exclude = matcher(&raw.exclude)?;

        let mut ignore_paths = Vec::new();
        for entry in &raw.ignore_path {
            let globs = string_or_list(&entry.path).map_err(|message| at(entry.path.span(), message))?;
            let Some(paths) = matcher(&globs)? else {
                return Err(at(entry.path.span(), "`path` needs at least one glob".into()));
            };
            let rules = entry.rules.iter().map(&mut select).collect();
            ignore_paths.push(PathIgnore { paths, rules, reason: entry.reason.clone() });
        }

        let max_file_size = match &raw.max_file_size {
            None => None,
            Some(value) => Some(match value.get_ref() {
                toml::Value::Integer(n) if *n > 0 => usize::try_from(*n).map_err(|_| at(value.span(), "size is too large".into()))?,
                toml::Value::String(s) => parse_size(s).map_err(|e| at(value.span(), e))?,
                _ => return Err(at(value.span(), "expected a positive number of bytes or a size such as \"16MiB\"".into())),
            }),
        };

        Ok(Config {
            path: Some(path.to_path_buf()),
            ignore,
            severity,
            trusted_registries,
            fail_on,
            exclude,
            ignore_paths,
            max_file_size,
            notices,
        })
    }
}

/// A value that may be one string or a list of strings, each keeping the span of the whole
/// value (TOML values inside a `Value` carry no spans of their own).
fn string_or_list(value: &Spanned<toml::Value>) -> Result<Vec<Spanned<String>>, String> {
    let expected = || "expected a glob or a list of globs".to_string();
    let one = |v: &toml::Value| v.as_str().map(|s| Spanned::new(value.span(), s.to_string())).ok_or_else(expected);
    match value.get_ref() {
        toml::Value::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/repo/rampart.toml"))
    }

    fn error_at(text: &str) -> (u32, u32, String) {
        let e = parse(text).expect_err("config should be rejected");
        (e.line.expect("line"), e.column.expect("column"), e.message)
    }

    #[test]
    fn reads_every_setting() {
        let config = parse(
            r#"
ignore = ["DKF001", "DL9999"]
fail-on = "high"
trusted-registries = ["ghcr.io/acme", "registry.example.com"]
exclude = ["vendor/**"]
max-file-size = "2MiB"

[severity]
sudo-in-run = "low"

[[ignore-path]]
path = "legacy/**"
rules = ["DL3004"]
reason = "frozen"
"#,
        )
        .expect("valid config");
        assert_eq!(config.ignore.len(), 2);
        assert_eq!(config.ignore[0].codes, vec!["DKF001"]);
        assert_eq!(config.fail_on, Some(FailOn::AtOrAbove(Severity::High)));
        assert_eq!(config.trusted_registries, vec!["ghcr.io/acme", "registry.example.com"]);
        assert_eq!(config.max_file_size, Some(2 * 1024 * 1024));
        assert_eq!(config.severity.len(), 1);
        assert_eq!(config.severity[0].0.codes, vec!["DKF001"]);
        assert_eq!(config.severity[0].1, Severity::Low);
        assert_eq!(config.ignore_paths.len(), 1);
        assert!(config.ignore_paths[0].paths.is_match(Path::new("/repo/legacy/app/Dockerfile")));
        assert!(!config.ignore_paths[0].paths.is_match(Path::new("/repo/app/Dockerfile")));
        assert_eq!(config.ignore_paths[0].rules[0].codes, vec!["DKF001"]);
        assert!(config.exclude.as_ref().is_some_and(|m| m.is_match(Path::new("/repo/vendor/x/Dockerfile"))));
        // The unknown code is a notice on its line, not an error.
        assert_eq!(config.notices.len(), 1);
        assert_eq!(config.notices[0].kind, "unknown-rule");
        assert_eq!(config.notices[0].line, Some(2));
        assert!(config.notices[0].message.contains("DL9999"));
    }

    #[test]
    fn empty_file_is_the_default_policy() {
        let config = parse("").expect("empty config is valid");
        assert!(config.ignore.is_empty() && config.fail_on.is_none() && config.exclude.is_none());
    }

    #[test]
    fn unknown_key_is_an_error_at_its_place() {
        let (line, column, message) = error_at("ignore = []\nfail_on = \"high\"\n");
        assert_eq!((line, column), (2, 1), "{message}");
        assert!(message.contains("fail_on"), "{message}");
    }

    #[test]
    fn unknown_key_in_a_table_is_an_error_at_its_place() {
        let (line, column, message) = error_at("[[ignore-path]]\npath = \"a/**\"\nrules = []\nrule = [\"x\"]\n");
        assert_eq!((line, column), (4, 1), "{message}");
        assert!(message.contains("rule"), "{message}");
    }

    #[test]
    fn bad_values_are_errors_at_their_place() {
        let (line, column, message) = error_at("\n[severity]\nDKF001 = \"severe\"\n");
        assert_eq!((line, column), (3, 10), "{message}");
        assert!(message.contains("severe"), "{message}");

        let (line, column, message) = error_at("fail-on = \"loud\"");
        assert_eq!((line, column), (1, 11), "{message}");
        assert!(message.contains("loud"), "{message}");

        let (line, column, message) = error_at("ignore = \"DKF001\"");
        assert_eq!(line, 1, "{message}");
        assert!(column >= 10, "{column}: {message}");

        let (line, _, message) = error_at("\n\nexclude = [\"a/[b\"]");
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("invalid glob"), "{message}");

        let (_, _, message) = error_at("max-file-size = \"lots\"");
        assert!(message.contains("invalid size"), "{message}");
        let (_, _, message) = error_at("max-file-size = -1");
        assert!(message.contains("positive"), "{message}");
    }

    #[test]
    fn toml_syntax_errors_have_a_place() {
        let (line, _, message) = error_at("ignore = [\"DKF001\"\nfail-on = ");
        assert!(line >= 1, "{message}");
        let e = parse("ignore = [\"DKF001\"\nfail-on = ").expect_err("bad toml");
        assert!(e.to_string().starts_with("/repo/rampart.toml:"), "{e}");
    }

    #[test]
    fn fail_on_accepts_never() {
        assert_eq!("never".parse::<FailOn>(), Ok(FailOn::Never));
        assert_eq!("HIGH".parse::<FailOn>(), Ok(FailOn::AtOrAbove(Severity::High)));
        assert!("loud".parse::<FailOn>().is_err());
        assert!(FailOn::AtOrAbove(Severity::Medium).is_reached_by(Severity::High));
        assert!(!FailOn::AtOrAbove(Severity::Medium).is_reached_by(Severity::Low));
        assert!(!FailOn::Never.is_reached_by(Severity::Critical));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("1KB"), Ok(1000));
        assert_eq!(parse_size("1kib"), Ok(1024));
        assert_eq!(parse_size("3MiB"), Ok(3 << 20));
        assert_eq!(parse_size("2 GB"), Ok(2_000_000_000));
        assert!(parse_size("").is_err());
        assert!(parse_size("MB").is_err());
        assert!(parse_size("1.5MB").is_err());
        assert!(parse_size("99999999999999999999GB").is_err());
    }

    #[test]
    fn globs_follow_gitignore_habits() {
        let patterns: Vec<String> = ["vendor/**", "*.generated.Dockerfile", "/build", "docs/*/Dockerfile"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = PathMatcher::new(Path::new("/repo"), &patterns).expect("valid globs");
        assert!(m.is_match(Path::new("/repo/vendor/a/b/Dockerfile")));
        assert!(m.is_match(Path::new("/repo/deep/x.generated.Dockerfile")), "no slash: any depth");
        assert!(m.is_match(Path::new("/repo/build/Dockerfile")), "a matching directory covers its files");
        assert!(!m.is_match(Path::new("/repo/src/build/Dockerfile")), "leading slash anchors");
        assert!(m.is_match(Path::new("/repo/docs/a/Dockerfile")));
        assert!(!m.is_match(Path::new("/repo/docs/a/b/Dockerfile")), "`*` stays in one segment");
        assert!(!m.is_match(Path::new("/elsewhere/vendor/Dockerfile")), "outside the root");
        assert!(m.is_match(Path::new("/repo/app/../vendor/Dockerfile")), "`..` is resolved");
    }

    #[test]
    fn relative_paths_resolve_from_the_working_directory() {
        let cwd = std::env::current_dir().expect("cwd");
        let m = PathMatcher::new(&cwd, &["legacy/**".to_string()]).expect("valid glob");
        assert!(m.is_match(Path::new("legacy/Dockerfile")));
        assert!(m.is_match(Path::new("./legacy/x/Dockerfile")));
        assert!(!m.is_match(Path::new("app/Dockerfile")));
    }

    #[test]
    fn config_is_found_up_to_the_git_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("repo");
        let nested = repo.join("a/b");
        std::fs::create_dir_all(&nested).expect("mkdir");
        std::fs::create_dir(repo.join(".git")).expect("mkdir .git");
        assert_eq!(find_config(&nested), None);
        // Outside the repository: never picked up.
        std::fs::write(dir.path().join(CONFIG_FILE_NAME), "").expect("write");
        assert_eq!(find_config(&nested), None);
        std::fs::write(repo.join(CONFIG_FILE_NAME), "").expect("write");
        assert_eq!(find_config(&nested), Some(repo.join(CONFIG_FILE_NAME)));
        std::fs::write(nested.join(CONFIG_FILE_NAME), "").expect("write");
        assert_eq!(find_config(&nested), Some(nested.join(CONFIG_FILE_NAME)));
    }
}
