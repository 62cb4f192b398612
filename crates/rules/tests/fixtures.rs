//! Runs every rule over its fixtures in `fixtures/<CODE>/`.
//!
//! - `positive*.Dockerfile`: each instruction that must be flagged has a `# expect: CODE` comment
//!   line right above it; the rule must flag exactly those instructions (by line) and no others.
//!   The rendered output is snapshotted.
//! - `negative*.Dockerfile`: the rule must flag nothing.
//!
//! Every rule must have at least one of each.

use rampart_dockerfile::{parse, Dockerfile, ParseLimits};
use rampart_rules::{check_dockerfile, DockerfileContext, Settings, RULES};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture_dir(code: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(code)
}

/// Lines of the instructions preceded by `# expect: CODE`.
fn expected_lines(df: &Dockerfile, code: &str) -> BTreeSet<u32> {
    let mut lines = BTreeSet::new();
    for comment in &df.comments {
        let Some(codes) = comment.text.strip_prefix("expect:") else { continue };
        if !codes.split(',').any(|c| c.trim().eq_ignore_ascii_case(code)) {
            continue;
        }
        let next = df
            .instructions
            .iter()
            .filter(|ins| ins.line > comment.line)
            .min_by_key(|ins| ins.line)
            .unwrap_or_else(|| panic!("`# expect: {code}` on line {} has no instruction after it", comment.line));
        lines.insert(next.line);
    }
    lines
}

/// The line of the instruction each finding falls in.
fn flagged_lines(df: &Dockerfile, findings: &[rampart_model::Finding]) -> BTreeSet<u32> {
    findings
        .iter()
        .map(|f| {
            let line = f.location.line.expect("file findings have a line");
            df.instructions
                .iter()
                .filter(|ins| ins.line <= line)
                .max_by_key(|ins| ins.line)
                .map_or(line, |ins| ins.line)
        })
        .collect()
}

#[test]
fn every_rule_passes_its_fixtures() {
    let settings = Settings::default();
    let mut failures = Vec::new();
    for rule in RULES {
        let code = rule.meta.code;
        let dir = fixture_dir(code);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{code}: no fixtures at {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let positives = files.iter().filter(|p| name(p).starts_with("positive")).count();
        let negatives = files.iter().filter(|p| name(p).starts_with("negative")).count();
        if positives == 0 || negatives == 0 {
            failures.push(format!("{code}: needs positive and negative fixtures ({positives}/{negatives})"));
            continue;
        }
        for path in &files {
            let file_name = name(path);
            let bytes = std::fs::read(path).unwrap();
            let df = match parse(&bytes, &ParseLimits::default()) {
                Ok(df) => df,
                Err(e) => {
                    failures.push(format!("{code}/{file_name}: does not parse: {e}"));
                    continue;
                }
            };
            let display_path = format!("fixtures/{code}/{file_name}");
            let cx = DockerfileContext { dockerfile: &df, path: &display_path, settings: &settings };
            let findings = check_dockerfile(&cx, [*rule]);
            let got = flagged_lines(&df, &findings);
            let want = expected_lines(&df, code);
            if file_name.starts_with("positive") {
                if want.is_empty() {
                    failures.push(format!("{code}/{file_name}: positive fixture has no `# expect: {code}`"));
                }
                if got != want {
                    failures.push(format!("{code}/{file_name}: flagged lines {got:?}, expected {want:?}"));
                }
                let rendered = rampart_report::render_plain(&findings, |path| {
                    (path == display_path).then(|| df.source.clone())
                });
                insta::assert_snapshot!(format!("{code}_{}", file_name.replace('.', "_")), rendered);
            } else if !got.is_empty() {
                failures.push(format!("{code}/{file_name}: negative fixture flagged at lines {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n"));
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}
