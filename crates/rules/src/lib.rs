//! Every rampart rule and the registry. A rule is metadata plus a pure function of facts:
//! no rule reads files, talks to the daemon or looks at the clock.
//!
//! Rules live one per file in `src/rules/`, named `<code>_<name>.rs`; `build.rs` lists them.
//! Fixtures live in `fixtures/<CODE>/`: `positive*.Dockerfile` files mark each instruction that
//! must be flagged with a `# expect: CODE` comment line right above it; `negative*` files must
//! produce no finding of that rule. Container rules use `positive*.sh` / `negative*.sh`: scripts
//! of `docker run` command lines, marked the same way.

pub mod checklist;
pub mod container;
pub mod engine_releases;
pub mod image;
mod context;
pub mod helpers;
pub mod image_content;
pub mod secrets;

pub use context::{ContainerContext, DockerfileContext, ImageContext, ProjectContext, Settings, Sink, SnapshotContext};
pub use rampart_model::{Category, Finding, Location, RuleDocs, RuleMeta, Severity, Target};

/// A rule: its metadata and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// The check, typed by the facts it reads.
pub enum Check {
    Dockerfile(fn(&DockerfileContext<'_>, &mut Sink<'_>)),
    /// Over one `ContainerSpec`: a `docker run` line, a compose service or a live container.
    Container(fn(&ContainerContext<'_>, &mut Sink<'_>)),
    /// Over a whole compose project: how its services, networks and secrets relate.
    Project(fn(&ProjectContext<'_>, &mut Sink<'_>)),
    /// Over a collected engine snapshot: the daemon's configuration and the host.
    Snapshot(fn(&SnapshotContext<'_>, &mut Sink<'_>)),
    /// Over what was read from an image: its config, history and final file system.
    Image(fn(&ImageContext<'_>, &mut Sink<'_>)),
}

/// What rule files import.
pub(crate) mod prelude {
    pub use crate::helpers;
    pub use crate::container;
    pub use crate::{Check, ContainerContext, DockerfileContext, ImageContext, ProjectContext, Rule, Sink, SnapshotContext};
    pub use rampart_model::{ImageFile, ImageFileKind};
    pub use rampart_model::{NetworkMode, RestartPolicy, SecurityOpt};
    pub use rampart_dockerfile::{
        BaseRef, Command, CommandForm, Dockerfile, Instruction, Joiner, Kind, ShellScript, Span,
    };
    pub use rampart_model::{Category, RuleDocs, RuleMeta, Severity, Target};
}

mod registry {
    use crate::Rule;
    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

pub use registry::RULES;

/// The rule with this code, name or alias (any case).
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| rule.meta.code.eq_ignore_ascii_case(id))
        .or_else(|| RULES.iter().copied().find(|rule| rule.meta.is_named(id)))
}

/// Runs every Dockerfile rule in `rules` over `cx`; findings in rule order, then source order.
pub fn check_dockerfile<'r>(cx: &DockerfileContext<'_>, rules: impl IntoIterator<Item = &'r Rule>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Check::Dockerfile(check) = rule.check else { continue };
        let mut sink = Sink::new(&rule.meta, cx);
        check(cx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings
}

/// Runs every container rule in `rules` over `cx`; findings in rule order, then in the order
/// the rule reported them.
pub fn check_container<'r>(cx: &ContainerContext<'_>, rules: impl IntoIterator<Item = &'r Rule>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Check::Container(check) = rule.check else { continue };
        let mut sink = Sink::for_container(&rule.meta, cx);
        check(cx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings
}

/// Runs every compose project rule in `rules` over `cx`.
pub fn check_project<'r>(cx: &ProjectContext<'_>, rules: impl IntoIterator<Item = &'r Rule>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Check::Project(check) = rule.check else { continue };
        let mut sink = Sink::for_project(&rule.meta, cx);
        check(cx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings
}

/// Runs every snapshot rule in `rules` over `cx`.
pub fn check_snapshot<'r>(cx: &SnapshotContext<'_>, rules: impl IntoIterator<Item = &'r Rule>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Check::Snapshot(check) = rule.check else { continue };
        let mut sink = Sink::for_object(&rule.meta, "daemon");
        check(cx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings
}

/// Runs every image rule in `rules` over `cx`; findings name the image object.
pub fn check_image<'r>(cx: &ImageContext<'_>, rules: impl IntoIterator<Item = &'r Rule>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        let Check::Image(check) = rule.check else { continue };
        let mut sink = Sink::for_object(&rule.meta, &cx.image.object);
        check(cx, &mut sink);
        findings.extend(sink.into_findings());
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in RULES {
            let m = &rule.meta;
            assert!(seen.insert(m.code.to_ascii_lowercase()), "duplicate code {}", m.code);
            assert!(seen.insert(m.name.to_ascii_lowercase()), "duplicate name {}", m.name);
            let prefix = &m.code[..3];
            assert!(
                ["DMN", "HST", "CTR", "IMG", "DKF", "NET", "SEC", "RUN", "VUL"].contains(&prefix),
                "{} has an unknown prefix",
                m.code
            );
            assert!(m.code.len() == 6 && m.code[3..].bytes().all(|b| b.is_ascii_digit()), "{}", m.code);
            assert!(!m.checklist.is_empty(), "{} names no checklist item", m.code);
            assert!(m.checklist.iter().all(|&n| (1..=12).contains(&n)), "{}", m.code);
            for field in [m.title, m.docs.what, m.docs.why, m.docs.example, m.docs.fix] {
                assert!(!field.trim().is_empty(), "{} has an empty doc field", m.code);
            }
        }
    }

    #[test]
    fn a_peer_id_names_at_most_one_rule_per_target() {
        // One check can be a Dockerfile rule and an image rule at once (DL3009 is DKF005 in a
        // Dockerfile and IMG023 in a built image), but within one kind of target a linter's
        // check ID (hadolint, checkov, trivy, dockle) that named two rules would make its ignore
        // pragma switch off a rule it never meant. A CIS benchmark section is broader on
        // purpose: CIS-5.4 (capabilities) covers CTR002, CTR003 and CTR004 together.
        let mut seen: std::collections::HashMap<(String, String), &str> = std::collections::HashMap::new();
        for rule in RULES {
            let m = &rule.meta;
            for alias in m.aliases {
                assert!(
                    alias.len() > 2 && alias.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                    "{}: malformed alias {alias:?}",
                    m.code
                );
                let is_benchmark_section = alias.starts_with("CIS-") && !alias.starts_with("CIS-DI-");
                if is_benchmark_section {
                    continue;
                }
                let key = (format!("{:?}", m.target), alias.to_ascii_uppercase());
                if let Some(other) = seen.insert(key, m.code) {
                    panic!("{alias} names both {other} and {} for the same target", m.code);
                }
            }
        }
    }

    #[test]
    fn every_rule_file_matches_its_code() {
        // The generated registry is sorted by file name; codes must follow the same order,
        // which catches a file named after one code but declaring another.
        let codes: Vec<_> = RULES.iter().map(|r| r.meta.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|c| c.to_ascii_lowercase());
        assert_eq!(codes, sorted);
    }
}
