//! Runs every rule over its fixtures in `fixtures/<CODE>/`.
//!
//! - `positive*.Dockerfile`: each instruction that must be flagged has a `# expect: CODE` comment
//!   line right above it; the rule must flag exactly those instructions (by line) and no others.
//!   The rendered output is snapshotted.
//! - `negative*.Dockerfile`: the rule must flag nothing.
//!
//! Container rules use `positive*.sh` / `negative*.sh`: shell scripts of `docker run` command
//! lines, read with the `docker run` front end; `# expect: CODE` goes on the line above each
//! command that must be flagged. Container and compose project rules also take compose files
//! (`positive*.yml` / `negative*.yml`), loaded with the compose front end; there `# expect: CODE`
//! goes on the line above the flagged line itself (the service key, the network, the value).
//!
//! Engine rules use `positive*.json` / `negative*.json`: saved snapshots (only the parts the rule
//! reads), with an extra top-level `"expect": ["daemon"]` listing the objects that must be
//! flagged.
//!
//! Every rule must have at least one of each.

use rampart_dockerfile::{parse, Dockerfile, ParseLimits};
use rampart_rules::{
    check_container, check_dockerfile, check_image, check_project, check_snapshot, ContainerContext, DockerfileContext,
    ImageContext, ProjectContext, Rule, Settings, SnapshotContext, Target, RULES,
};
use rampart_runargs::{find_run_commands, SourceKind};
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
        // A missing folder is one failure among the others, so one run lists them all.
        let mut files: Vec<_> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(e) => {
                failures.push(format!("{code}: no fixtures at {}: {e}", dir.display()));
                continue;
            }
        };
        files.sort();
        let positives = files.iter().filter(|p| name(p).starts_with("positive")).count();
        let negatives = files.iter().filter(|p| name(p).starts_with("negative")).count();
        if positives == 0 || negatives == 0 {
            failures.push(format!("{code}: needs positive and negative fixtures ({positives}/{negatives})"));
            continue;
        }
        for path in &files {
            let file_name = name(path);
            if file_name.ends_with(".json") && rule.meta.target == Target::Image {
                check_image_fixture(rule, path, &settings, &mut failures);
                continue;
            }
            if file_name.ends_with(".json") {
                check_snapshot_fixture(rule, path, &settings, &mut failures);
                continue;
            }
            if file_name.ends_with(".yml") || file_name.ends_with(".yaml") {
                check_compose_fixture(rule, path, &settings, &mut failures);
                continue;
            }
            if rule.meta.target == Target::Container {
                check_container_fixture(rule, path, &settings, &mut failures);
                continue;
            }
            let bytes = std::fs::read(path).unwrap();
            let df = match parse(&bytes, &ParseLimits::default()) {
                Ok(df) => df,
                Err(e) => {
                    failures.push(format!("{code}/{file_name}: does not parse: {e}"));
                    continue;
                }
            };
            let display_path = format!("fixtures/{code}/{file_name}");
            let settings = fixture_settings(&df, &settings);
            let cx = DockerfileContext { dockerfile: &df, path: &display_path, settings: &settings };
            let findings = check_dockerfile(&cx, [*rule]);
            let (got, want) = (flagged_lines(&df, &findings), expected_lines(&df, code));
            let source = |path: &str| (path == display_path).then(|| df.source.clone());
            judge(code, &file_name, Expected::Lines, sorted(got), sorted(want), &findings, source, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{} fixture failures:\n{}", failures.len(), failures.join("\n"));
}

/// A container rule's fixture: every `docker run` line of the script is parsed into a spec and
/// checked; findings are mapped to the line their command starts on.
fn check_container_fixture(rule: &Rule, path: &Path, settings: &Settings, failures: &mut Vec<String>) {
    let code = rule.meta.code;
    let file_name = name(path);
    let text = std::fs::read_to_string(path).unwrap();
    let display_path = format!("fixtures/{code}/{file_name}");
    let found = find_run_commands(&text, &display_path, SourceKind::Shell);
    for error in &found.errors {
        failures.push(format!("{code}/{file_name}: cannot be read: {error} at {:?}", error.origin));
    }
    if found.commands.is_empty() {
        failures.push(format!("{code}/{file_name}: no container command in the fixture"));
    }
    // (first line, last line) of each command.
    let spans: Vec<(u32, u32)> = found
        .commands
        .iter()
        .filter_map(|c| c.spec.origin.as_ref().map(|o| (o.line, o.end_line.unwrap_or(o.line))))
        .collect();
    let mut findings = Vec::new();
    for command in &found.commands {
        let cx = ContainerContext { spec: &command.spec, settings };
        findings.extend(check_container(&cx, [rule]));
    }
    let mut got = BTreeSet::new();
    for finding in &findings {
        match finding.location.line.and_then(|line| spans.iter().find(|(start, end)| (*start..=*end).contains(&line))) {
            Some((start, _)) => {
                got.insert(*start);
            }
            None => failures.push(format!("{code}/{file_name}: finding outside any command: {:?}", finding.location)),
        }
    }
    let mut want = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        let Some(codes) = line.trim().strip_prefix("# expect:") else { continue };
        if !codes.split(',').any(|c| c.trim().eq_ignore_ascii_case(code)) {
            continue;
        }
        let comment_line = index as u32 + 1;
        match spans.iter().map(|(start, _)| *start).filter(|start| *start > comment_line).min() {
            Some(start) => {
                want.insert(start);
            }
            None => failures.push(format!("{code}/{file_name}: `# expect: {code}` on line {comment_line} has no command after it")),
        }
    }
    let source = |p: &str| (p == display_path).then(|| text.clone());
    judge(code, &file_name, Expected::Lines, sorted(got), sorted(want), &findings, source, failures);
}

/// A compose fixture: the file is loaded as a project; container rules check every service,
/// project rules the whole project. Findings are compared by the line they point at.
fn check_compose_fixture(rule: &Rule, path: &Path, settings: &Settings, failures: &mut Vec<String>) {
    let code = rule.meta.code;
    let file_name = name(path);
    let display_path = format!("fixtures/{code}/{file_name}");
    // Tests run in the crate's directory, so the relative path both reads the file and names it.
    let loaded = match rampart_compose::load(&[PathBuf::from(&display_path)], &rampart_compose::LoadOptions::default()) {
        Ok(loaded) => loaded,
        Err(e) => {
            failures.push(format!("{code}/{file_name}: does not load: {e}"));
            return;
        }
    };
    let findings = match rule.meta.target {
        Target::Compose => check_project(&ProjectContext { project: &loaded.project, settings }, [rule]),
        _ => loaded
            .project
            .services
            .iter()
            .flat_map(|service| check_container(&ContainerContext { spec: &service.spec, settings }, [rule]))
            .collect(),
    };
    let text = std::fs::read_to_string(path).unwrap();
    let got: BTreeSet<u32> = findings.iter().filter_map(|f| f.location.line).collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut want = BTreeSet::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(codes) = line.trim().strip_prefix("# expect:") else { continue };
        if !codes.split(',').any(|c| c.trim().eq_ignore_ascii_case(code)) {
            continue;
        }
        let next = (index + 1..lines.len()).find(|&i| !lines[i].trim().is_empty() && !lines[i].trim().starts_with('#'));
        match next {
            Some(i) => {
                want.insert(i as u32 + 1);
            }
            None => failures.push(format!("{code}/{file_name}: `# expect: {code}` on line {} has nothing after it", index + 1)),
        }
    }
    let source = |p: &str| (p == display_path).then(|| text.clone());
    judge(code, &file_name, Expected::Lines, sorted(got), sorted(want), &findings, source, failures);
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The settings a Dockerfile fixture runs with: the defaults, changed by comment lines such as
/// `# fixture-settings: trusted_registries=registry.corp.example,docker.io/library` for rules that
/// stay silent without configuration.
fn fixture_settings(df: &Dockerfile, defaults: &Settings) -> Settings {
    let mut settings = defaults.clone();
    for comment in &df.comments {
        let Some(assignment) = comment.text.strip_prefix("fixture-settings:") else { continue };
        match assignment.trim().split_once('=') {
            Some(("trusted_registries", list)) => {
                settings.trusted_registries = list.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
            }
            _ => panic!("unknown fixture setting `{}` on line {}", assignment.trim(), comment.line),
        }
    }
    settings
}

/// An image rule's fixture: `ImageContent` JSON (only the parts the rule reads) with an extra
/// `"expect"` list: the in-image paths of findings about a file (object `image:x:/path`),
/// `"image"` for findings about the image as a whole.
fn check_image_fixture(rule: &Rule, path: &Path, settings: &Settings, failures: &mut Vec<String>) {
    let code = rule.meta.code;
    let file_name = name(path);
    let text = std::fs::read_to_string(path).unwrap();
    let (image, expect) = match (
        serde_json::from_str::<rampart_model::ImageContent>(&text),
        serde_json::from_str::<serde_json::Value>(&text),
    ) {
        (Ok(image), Ok(raw)) => (image, raw["expect"].as_array().cloned().unwrap_or_default()),
        (Err(e), _) | (_, Err(e)) => {
            failures.push(format!("{code}/{file_name}: not image content: {e}"));
            return;
        }
    };
    let findings = check_image(&ImageContext { image: &image, settings }, [rule]);
    let got: Vec<String> = findings
        .iter()
        .map(|f| {
            let object = f.location.object.clone().unwrap_or_default();
            match object.strip_prefix(&image.object).and_then(|rest| rest.strip_prefix(':')) {
                Some(path) => path.to_string(),
                None if object == image.object => "image".to_string(),
                None => format!("unexpected object {object}"),
            }
        })
        .collect();
    let want: Vec<String> = expect.iter().filter_map(|o| o.as_str().map(str::to_string)).collect();
    judge(code, &file_name, Expected::Objects, got, want, &findings, |_| None, failures);
}

/// A snapshot fixture: the objects the rule flags must be exactly the file's `expect` list.
fn check_snapshot_fixture(rule: &Rule, path: &Path, settings: &Settings, failures: &mut Vec<String>) {
    let code = rule.meta.code;
    let file_name = name(path);
    let text = std::fs::read_to_string(path).unwrap();
    let (snapshot, expect) = match (
        serde_json::from_str::<rampart_model::Snapshot>(&text),
        serde_json::from_str::<serde_json::Value>(&text),
    ) {
        (Ok(snapshot), Ok(raw)) => (snapshot, raw["expect"].as_array().cloned().unwrap_or_default()),
        (Err(e), _) | (_, Err(e)) => {
            failures.push(format!("{code}/{file_name}: not a snapshot: {e}"));
            return;
        }
    };
    let findings = check_snapshot(&SnapshotContext { snapshot: &snapshot, settings }, [rule]);
    let got: BTreeSet<String> = findings.iter().filter_map(|f| f.location.object.clone()).collect();
    let want: BTreeSet<String> = expect.iter().filter_map(|o| o.as_str().map(str::to_string)).collect();
    judge(code, &file_name, Expected::Objects, sorted(got), sorted(want), &findings, |_| None, failures);
}

/// How a kind of fixture says what must be flagged: `# expect: CODE` comments above lines, or
/// an `"expect"` list of objects in a JSON fixture.
#[derive(Clone, Copy)]
enum Expected {
    Lines,
    Objects,
}

/// Judges one fixture: a positive one must expect something and be flagged exactly there, and
/// its rendered findings must match their insta snapshot; a negative one must flag nothing.
#[allow(clippy::too_many_arguments)]
fn judge<T: PartialEq + std::fmt::Debug>(
    code: &str,
    file_name: &str,
    expected: Expected,
    got: Vec<T>,
    want: Vec<T>,
    findings: &[rampart_model::Finding],
    source: impl Fn(&str) -> Option<String>,
    failures: &mut Vec<String>,
) {
    let (marker, what) = match expected {
        Expected::Lines => (format!("`# expect: {code}`"), "lines "),
        Expected::Objects => ("\"expect\" list".to_string(), ""),
    };
    if file_name.starts_with("positive") {
        if want.is_empty() {
            failures.push(format!("{code}/{file_name}: positive fixture has no {marker}"));
        }
        if got != want {
            failures.push(format!("{code}/{file_name}: flagged {what}{got:?}, expected {want:?}"));
        }
        let rendered = rampart_report::render_plain(findings, source);
        insta::assert_snapshot!(format!("{code}_{}", file_name.replace('.', "_")), rendered);
    } else if !got.is_empty() {
        let at = if what.is_empty() { "" } else { "at " };
        failures.push(format!("{code}/{file_name}: negative fixture flagged {at}{what}{got:?}"));
    }
}

/// A set's members in order: sets of flagged lines or objects compare as sorted lists.
fn sorted<T>(set: BTreeSet<T>) -> Vec<T> {
    set.into_iter().collect()
}
