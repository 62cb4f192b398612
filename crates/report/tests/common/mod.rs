//! A report with every shape of finding, hostile strings included, shared by the format tests.

#![allow(dead_code)] // each test binary uses part of it

use rampart_model::{Category, Finding, InputError, Location, Notice, Report, RuleDocs, RuleMeta, Severity, Target};
use std::path::PathBuf;

const DOCS: RuleDocs = RuleDocs {
    what: "Flags `sudo` in RUN.",
    why: "It ships a privilege escalation path.",
    example: "FROM debian:12\nRUN sudo apt-get update",
    fix: "Use `USER root` around the step instead.",
    references: &["https://github.com/hadolint/hadolint/wiki/DL3004"],
    peer_notes: "",
};

pub const SUDO: RuleMeta = RuleMeta {
    code: "DKF001",
    name: "sudo-in-run",
    title: "Do not use sudo in RUN",
    severity: Severity::Medium,
    category: Category::Isolation,
    checklist: &[5],
    aliases: &["DL3004", "AVD-DS-0010"],
    target: Target::Dockerfile,
    docs: DOCS,
};

pub const SECRET: RuleMeta = RuleMeta {
    code: "SEC901",
    name: "secret-in-env",
    title: "Secret value in ENV",
    severity: Severity::Critical,
    category: Category::Secrets,
    checklist: &[8],
    aliases: &[],
    target: Target::Dockerfile,
    docs: RuleDocs { what: "Flags secret-shaped ENV values.", why: "Layers keep them.", fix: "Use a secret mount.", ..DOCS },
};

pub const LATEST: RuleMeta = RuleMeta {
    code: "IMG901",
    name: "latest-tag",
    title: "Image uses the latest tag",
    severity: Severity::Info,
    category: Category::Image,
    checklist: &[3, 12],
    aliases: &["DL3007"],
    target: Target::Dockerfile,
    docs: RuleDocs { what: "Flags `:latest`.", why: "Builds drift.", fix: "Pin a digest.", ..DOCS },
};

pub fn rules() -> Vec<&'static RuleMeta> {
    vec![&SUDO, &SECRET, &LATEST]
}

pub const APP: &str = "app/Dockerfile";
pub const HOSTILE_PATH: &str = "evil dir/<b>&\"'`x`.Dockerfile";
pub const CLEAN: &str = "clean/Dockerfile";
pub const BROKEN: &str = "broken/Dockerfile";

/// The text of `app/Dockerfile`: line 3 and line 5 are the same `sudo` line.
pub const APP_SOURCE: &str = "FROM debian:12\nUSER app\nRUN sudo apt-get update\nENV API_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nRUN sudo apt-get update\n";

/// A message an attacker can shape through a Dockerfile's content.
pub const HOSTILE_MESSAGE: &str =
    "</failure>]]><script>alert(1)</script> [click](https://evil.example) ![img](x) @here *bold* | pipe \u{1b}[31mred\n# heading";

fn at(path: &str, line: u32, column: u32, end_column: u32) -> Location {
    Location { path: Some(path.into()), line: Some(line), column: Some(column), end_line: Some(line), end_column: Some(end_column), object: None }
}

pub fn findings() -> Vec<Finding> {
    let mut sudo_a = Finding::new(&SUDO, "`sudo` in RUN: build steps already run as the stage's USER", at(APP, 3, 5, 9));
    sudo_a.set_fix("Drop `sudo`; put `USER root` before the step.");
    let sudo_b = Finding::new(&SUDO, "`sudo` in RUN: build steps already run as the stage's USER", at(APP, 5, 5, 9));
    let mut secret = Finding::new(&SECRET, "`API_TOKEN` holds a GitHub token", at(APP, 4, 5, 55));
    secret.set_evidence(rampart_model::redact("ghp_0123456789abcdefghijABCDEFGHIJ012345"));
    let mut hostile = Finding::new(&SUDO, HOSTILE_MESSAGE, at(HOSTILE_PATH, 1, 1, 2));
    hostile.set_evidence("RUN echo `id` ``two`` <img src=x onerror=alert(1)>").set_fix("line one\n- not a list\n1. not ordered either");
    let object = Finding::new(
        &LATEST,
        "image `nginx:latest` is not pinned",
        Location { object: Some("image:nginx:latest".into()), ..Location::default() },
    );
    vec![sudo_a, sudo_b, secret, hostile, object]
}

pub fn report() -> Report {
    let errors = vec![InputError {
        path: BROKEN.into(),
        line: Some(7),
        column: Some(1),
        message: "unterminated heredoc `EOF` started here".into(),
    }];
    let notices = vec![Notice {
        kind: "unused-ignore".into(),
        path: APP.into(),
        line: Some(2),
        message: "`# rampart ignore=DKF002` matched no finding".into(),
    }];
    Report::new(findings(), errors, notices, 3, 1)
}

/// The files analysed in [`report`]: `clean/Dockerfile` has no finding.
pub fn files() -> Vec<&'static str> {
    vec![APP, HOSTILE_PATH, CLEAN]
}

pub fn source(path: &str) -> Option<String> {
    match path {
        APP => Some(APP_SOURCE.to_string()),
        HOSTILE_PATH => Some("RUN sudo true\n".to_string()),
        CLEAN => Some("FROM scratch\n".to_string()),
        _ => None,
    }
}

/// The repository's root, for tests that read the documented schema in docs/.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}
