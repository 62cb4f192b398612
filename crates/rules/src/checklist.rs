//! The guide's twelve checklist items answered for an audited host, from the snapshot and the
//! findings the rules produced over it. Pure: no I/O.
//!
//! FAIL and PARTIAL name the findings behind them. UNKNOWN is used whenever the facts were not
//! collected (no engine, not root, not local) or rampart does not check the item yet: an item
//! is never PASS for lack of evidence.

use rampart_model::{ChecklistAnswer, ChecklistStatus, Finding, Severity, Snapshot, CHECKLIST};
use std::collections::BTreeSet;

/// Answers every item. `snapshot` is `None` when no engine could be audited (`why` says why).
pub fn answer_checklist(snapshot: Option<&Snapshot>, findings: &[Finding], why: Option<&str>) -> Vec<ChecklistAnswer> {
    CHECKLIST
        .iter()
        .map(|item| {
            // Info findings are notes for a reviewer, not failures of an item.
            let related: Vec<&Finding> =
                findings.iter().filter(|f| f.severity > Severity::Info && f.checklist.contains(&item.number)).collect();
            let (status, evidence) = match snapshot {
                Some(snapshot) => judge(item.number, snapshot, &related),
                None => without_engine(&related, why.unwrap_or("no engine was audited")),
            };
            let codes: BTreeSet<String> = related.iter().map(|f| f.rule.clone()).collect();
            let findings = match status {
                ChecklistStatus::Fail | ChecklistStatus::Partial => codes.into_iter().collect(),
                _ => Vec::new(),
            };
            ChecklistAnswer { item: item.number, title: item.title.to_string(), status, evidence, findings }
        })
        .collect()
}

fn without_engine(related: &[&Finding], why: &str) -> (ChecklistStatus, Vec<String>) {
    let status = if related.is_empty() { ChecklistStatus::Unknown } else { ChecklistStatus::Fail };
    let mut evidence = vec![format!("the host was not audited: {why}")];
    if !related.is_empty() {
        evidence.push(format!("{} finding(s) in the files analysed", related.len()));
    }
    (status, evidence)
}

fn judge(item: u8, snapshot: &Snapshot, related: &[&Finding]) -> (ChecklistStatus, Vec<String>) {
    let config = &snapshot.daemon_config;
    match item {
        1 => match &config.hosts.value {
            _ if has(related, "DMN001") => (ChecklistStatus::Fail, vec!["the daemon listens on plain TCP".into()]),
            Some(hosts) => (ChecklistStatus::Pass, vec![format!("listens on {}", list_or_none(hosts))]),
            None => (ChecklistStatus::Unknown, vec![format!("listening addresses unknown: {}", config.hosts.evidence)]),
        },
        2 => socket_item(snapshot, related),
        5 | 6 | 7 | 11 => per_container(snapshot, related),
        8 => {
            let env_findings = related.iter().filter(|f| object_is_container(f)).count();
            if env_findings > 0 || !related.is_empty() {
                (ChecklistStatus::Fail, vec![format!("{} secret(s) in container environments", env_findings)])
            } else {
                (
                    ChecklistStatus::Unknown,
                    vec![
                        format!("no secret in the environments of {} container(s)", snapshot.containers.len()),
                        "image layers were not examined".into(),
                    ],
                )
            }
        }
        9 => {
            let serious = related.iter().any(|f| f.severity >= Severity::High);
            let evidence = vec![format!("icc on the default bridge: {}", describe(config.icc.value, &config.icc.evidence))];
            if serious {
                (ChecklistStatus::Fail, evidence)
            } else if !related.is_empty() {
                (ChecklistStatus::Partial, evidence)
            } else if config.icc.value.is_some() {
                (ChecklistStatus::Pass, evidence)
            } else {
                (ChecklistStatus::Unknown, evidence)
            }
        }
        10 => {
            let (status, mut evidence) = match &snapshot.host.runtime_monitors {
                Some(found) if !found.is_empty() && related.is_empty() => {
                    (ChecklistStatus::Pass, vec![format!("running: {}", found.join(", "))])
                }
                Some(found) if !found.is_empty() => (
                    ChecklistStatus::Partial,
                    vec![format!("running: {}", found.join(", ")), format!("{} logging or auditing finding(s)", related.len())],
                ),
                Some(_) => (ChecklistStatus::Fail, vec!["no Falco, Tetragon, Tracee or Sysdig agent process is running".into()]),
                None => (ChecklistStatus::Unknown, vec!["processes could not be listed (remote engine?)".into()]),
            };
            // Auditing of Docker's files is part of the item's evidence, known or not.
            evidence.push(match &snapshot.host.docker_file_audit {
                Some(files) => {
                    let watched = files.iter().filter(|f| f.watched).count();
                    format!("audit rules watch {watched} of {} Docker files", files.len())
                }
                None => "whether audit rules watch Docker's files is unknown (auditd not installed or not readable)".into(),
            });
            (status, evidence)
        }
        12 => {
            let mut evidence = Vec::new();
            if let Some(daemon) = &snapshot.daemon {
                evidence.push(format!(
                    "Engine {}, runc {}, containerd {}, kernel {}",
                    daemon.server_version,
                    daemon.runc_version.as_deref().unwrap_or("unknown"),
                    daemon.containerd_version.as_deref().unwrap_or("unknown"),
                    daemon.kernel_version
                ));
            }
            let vulnerable: Vec<&&Finding> = related.iter().filter(|f| f.rule.starts_with("VUL")).collect();
            if vulnerable.iter().any(|f| f.severity >= Severity::High) {
                evidence.push(format!("{} known vulnerability match(es)", vulnerable.len()));
                (ChecklistStatus::Fail, evidence)
            } else {
                // The release table is small and the host's other packages are not examined:
                // no match is not proof of being up to date.
                evidence.push(if vulnerable.is_empty() {
                    "no match in rampart's table of vulnerable engine releases; host packages not examined".into()
                } else {
                    "possible matches only (distribution build, package revision unknown)".into()
                });
                (ChecklistStatus::Unknown, evidence)
            }
        }
        // 3 (trusted base images) needs image provenance, which is not examined yet; 4
        // (vulnerability scanning) is answered from the scans when there were any (the CLI's
        // vulns.rs). Findings can still fail either.
        _ if !related.is_empty() => (ChecklistStatus::Fail, vec![format!("{} finding(s)", related.len())]),
        4 => (ChecklistStatus::Unknown, vec!["the images were not scanned for vulnerabilities here (no advisory database, image contents not read, or a replayed snapshot)".into()]),
        _ => (ChecklistStatus::Unknown, vec!["image provenance is not examined yet".into()]),
    }
}

/// Items judged container by container: PASS when no container is flagged, FAIL when all are,
/// PARTIAL in between.
fn per_container(snapshot: &Snapshot, related: &[&Finding]) -> (ChecklistStatus, Vec<String>) {
    let total = snapshot.containers.len();
    let flagged: BTreeSet<&str> = related.iter().filter_map(|f| f.location.object.as_deref()).filter(|o| o.starts_with("container:")).collect();
    let daemon_findings = related.iter().filter(|f| !object_is_container(f)).count();
    let mut evidence = vec![format!("{} of {total} container(s) flagged", flagged.len())];
    if daemon_findings > 0 {
        evidence.push(format!("{daemon_findings} daemon-wide finding(s)"));
    }
    let status = if total == 0 && daemon_findings == 0 {
        evidence = vec!["no containers on this engine".into()];
        ChecklistStatus::Unknown
    } else if flagged.is_empty() && daemon_findings == 0 {
        ChecklistStatus::Pass
    } else if flagged.len() == total {
        ChecklistStatus::Fail
    } else {
        ChecklistStatus::Partial
    };
    (status, evidence)
}

fn socket_item(snapshot: &Snapshot, related: &[&Finding]) -> (ChecklistStatus, Vec<String>) {
    let Some(socket) = &snapshot.host.socket else {
        return (ChecklistStatus::Unknown, vec!["the engine's socket could not be examined (remote engine?)".into()]);
    };
    let mut evidence = vec![format!("{} is {:o} {}:{}", socket.path, socket.mode, socket.owner, socket.group)];
    if let Some(members) = &snapshot.host.docker_group_members {
        evidence.push(format!("docker group (root-equivalent): {}", list_or_none(members)));
    }
    let world = socket.mode & 0o006 != 0;
    let loose_group = socket.group != "docker" && socket.group != "root" && socket.mode & 0o060 != 0;
    let status = if world || has(related, "CTR005") {
        if has(related, "CTR005") {
            evidence.push("the socket is mounted into containers".into());
        }
        ChecklistStatus::Fail
    } else if loose_group || socket.owner != "root" || !related.is_empty() {
        ChecklistStatus::Partial
    } else {
        ChecklistStatus::Pass
    };
    (status, evidence)
}

fn has(findings: &[&Finding], code: &str) -> bool {
    findings.iter().any(|f| f.rule == code)
}

fn object_is_container(finding: &Finding) -> bool {
    finding.location.object.as_deref().is_some_and(|o| o.starts_with("container:"))
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn describe(value: Option<bool>, evidence: &str) -> String {
    match value {
        Some(true) => format!("on ({evidence})"),
        Some(false) => format!("off ({evidence})"),
        None => format!("unknown ({evidence})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::{ContainerFacts, HostFacts, Location, SocketFacts};

    fn finding(code: &str, object: &str, checklist: &[u8], severity: Severity) -> Finding {
        let meta = crate::find(code).map(|r| r.meta).expect("a known rule");
        let mut f = Finding::new(&meta, "x", Location { object: Some(object.into()), ..Location::default() });
        f.checklist = checklist.to_vec();
        f.severity = severity;
        f
    }

    fn snapshot(containers: usize) -> Snapshot {
        Snapshot {
            containers: (0..containers).map(|i| ContainerFacts { name: format!("c{i}"), ..ContainerFacts::default() }).collect(),
            host: HostFacts {
                socket: Some(SocketFacts { path: "/var/run/docker.sock".into(), mode: 0o660, owner: "root".into(), group: "docker".into() }),
                docker_group_members: Some(vec!["alice".into()]),
                ..HostFacts::default()
            },
            ..Snapshot::default()
        }
    }

    fn status(answers: &[ChecklistAnswer], item: u8) -> ChecklistStatus {
        answers[usize::from(item) - 1].status
    }

    #[test]
    fn container_items_pass_fail_or_partial_by_how_many_are_flagged() {
        let one = [finding("CTR018", "container:c0", &[5], Severity::Medium)];
        let answers = answer_checklist(Some(&snapshot(2)), &one, None);
        assert_eq!(status(&answers, 5), ChecklistStatus::Partial);
        assert_eq!(answers[4].findings, ["CTR018"]);
        assert_eq!(status(&answers, 7), ChecklistStatus::Pass);
        let both = [one[0].clone(), finding("CTR018", "container:c1", &[5], Severity::Medium)];
        assert_eq!(status(&answer_checklist(Some(&snapshot(2)), &both, None), 5), ChecklistStatus::Fail);
        assert_eq!(status(&answer_checklist(Some(&snapshot(0)), &[], None), 5), ChecklistStatus::Unknown);
    }

    #[test]
    fn uncollected_facts_are_unknown_never_pass() {
        let mut remote = snapshot(1);
        remote.host = HostFacts::default();
        let answers = answer_checklist(Some(&remote), &[], None);
        for item in [1, 2, 3, 4, 8, 10, 12] {
            assert_eq!(status(&answers, item), ChecklistStatus::Unknown, "item {item}");
        }
        let none = answer_checklist(None, &[], Some("permission denied"));
        assert!(none.iter().all(|a| a.status == ChecklistStatus::Unknown));
        assert!(none[0].evidence[0].contains("permission denied"));
    }

    #[test]
    fn the_socket_mounted_into_a_container_fails_item_2() {
        let answers = answer_checklist(Some(&snapshot(1)), &[], None);
        assert_eq!(status(&answers, 2), ChecklistStatus::Pass);
        assert!(answers[1].evidence[1].contains("alice"));
        let mounted = [finding("CTR005", "container:c0", &[2], Severity::Critical)];
        assert_eq!(status(&answer_checklist(Some(&snapshot(1)), &mounted, None), 2), ChecklistStatus::Fail);
    }
}
