//! Attack paths: where findings chain into a way from outside to the host, the report names the
//! chain (`0.0.0.0:8080->80/tcp -> container web (mounts the Docker socket) -> host root`).
//! Pure: built from a snapshot and the findings already made about it.

use crate::risk::{dangerous_capabilities, host_takeover_mounts, is_docker_socket, ports_on_every_interface};
use crate::{ContainerFacts, Finding, NetworkMode, Severity, Snapshot};
use serde::{Deserialize, Serialize};

/// One chain of weaknesses from an entry point to the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttackPath {
    /// The chain in one line, steps joined by ` -> `.
    pub title: String,
    /// Entry point first, the host last.
    pub steps: Vec<String>,
    /// The findings the chain is made of, as `RULE object` (`CTR005 container:web`).
    pub findings: Vec<String>,
    pub severity: Severity,
}

impl AttackPath {
    fn new(steps: Vec<String>, findings: Vec<String>, severity: Severity) -> AttackPath {
        AttackPath { title: steps.join(" -> "), steps, findings, severity }
    }
}

/// The option that turns inter-container communication off on a user-defined bridge.
const ICC_OPTION: &str = "com.docker.network.bridge.enable_icc";

/// How an attacker inside the container gets the host, strongest first; `None` when nothing
/// known to rampart hands it over.
fn host_takeover(container: &ContainerFacts) -> Option<String> {
    let spec = &container.spec;
    let mounts = host_takeover_mounts(spec);
    if let Some(socket) = mounts.iter().find(|path| is_docker_socket(path)) {
        return Some(format!("mounts {socket}"));
    }
    if spec.privileged.as_ref().is_some_and(|p| p.value) {
        return Some("privileged".into());
    }
    if let Some(path) = mounts.first() {
        return Some(format!("mounts host {path}"));
    }
    let caps = dangerous_capabilities(spec);
    if caps.iter().any(|cap| cap == "ALL" || cap == "SYS_ADMIN") {
        return Some(format!("has {}", caps.join(", ")));
    }
    let host_pid = spec.pid.as_ref().is_some_and(|pid| pid.value.is_host());
    if host_pid && caps.iter().any(|cap| cap == "SYS_PTRACE") {
        return Some("host pid namespace and SYS_PTRACE".into());
    }
    None
}

/// How the container is reached from outside the host: a port on every interface or the host's
/// network stack.
fn entry_point(container: &ContainerFacts) -> Option<String> {
    if let Some(port) = ports_on_every_interface(&container.spec).into_iter().next() {
        return Some(port);
    }
    let host_network = matches!(container.spec.network_mode.as_ref().map(|m| &m.value), Some(NetworkMode::Host));
    host_network.then(|| "host network (every port it listens on)".to_string())
}

fn display_name(container: &ContainerFacts) -> &str {
    let name = container.name.trim_start_matches('/');
    if name.is_empty() {
        &container.id
    } else {
        name
    }
}

/// The findings about `object`, as `RULE object`, each rule once, informational ones left out.
fn findings_on(object: &str, findings: &[Finding]) -> Vec<String> {
    let mut named: Vec<String> = findings
        .iter()
        .filter(|f| f.severity > Severity::Info && f.location.object.as_deref() == Some(object))
        .map(|f| format!("{} {object}", f.rule))
        .collect();
    named.sort();
    named.dedup();
    named
}

/// The networks a container is on, by name (`bridge` for the default one).
fn networks_of(container: &ContainerFacts) -> Vec<String> {
    let mut names: Vec<String> = container.spec.networks.iter().map(|n| n.value.name.clone()).collect();
    match container.spec.network_mode.as_ref().map(|m| &m.value) {
        Some(NetworkMode::Default | NetworkMode::Bridge) => names.push("bridge".into()),
        Some(NetworkMode::Named(name)) => names.push(name.clone()),
        _ => {}
    }
    names.sort();
    names.dedup();
    names
}

/// Whether containers on `network` can reach each other: the default bridge follows the daemon's
/// `icc`, a user-defined bridge its own option. Unknown counts as on (the engine's default).
fn icc_on(snapshot: &Snapshot, network: &str) -> bool {
    if network == "bridge" {
        return snapshot.daemon_config.icc.value != Some(false);
    }
    match snapshot.networks.iter().find(|n| n.name == network) {
        Some(facts) => !facts.options.iter().any(|(key, value)| key == ICC_OPTION && value == "false"),
        None => true,
    }
}

/// Every attack path in `snapshot`, given the findings made about it; most severe first.
pub fn find_attack_paths(snapshot: &Snapshot, findings: &[Finding]) -> Vec<AttackPath> {
    let mut paths = Vec::new();

    // The daemon's API on TCP without client verification is root on the host for anyone who
    // reaches it; DMN001 has already decided that.
    for finding in findings.iter().filter(|f| f.rule == "DMN001") {
        let hosts = snapshot.daemon_config.hosts.value.clone().unwrap_or_default();
        let tcp: Vec<String> = hosts.into_iter().filter(|h| h.starts_with("tcp://")).collect();
        let entry = if tcp.is_empty() { "daemon on tcp".to_string() } else { format!("daemon on {}", tcp.join(", ")) };
        let object = finding.location.object.clone().unwrap_or_else(|| "daemon".into());
        paths.push(AttackPath::new(
            vec![format!("{entry} without TLS client verification"), "host root".into()],
            vec![format!("DMN001 {object}")],
            Severity::Critical,
        ));
    }

    // Reached from outside and able to take the host.
    for container in &snapshot.containers {
        let (Some(entry), Some(takeover)) = (entry_point(container), host_takeover(container)) else { continue };
        let object = &container.spec.object;
        paths.push(AttackPath::new(
            vec![entry, format!("container {} ({takeover})", display_name(container)), "host root".into()],
            findings_on(object, findings),
            Severity::Critical,
        ));
    }

    // Reached from outside, then sideways over a shared network to a container that can take
    // the host. Only when the first container cannot take the host itself (that path is above).
    for (index, front) in snapshot.containers.iter().enumerate() {
        let Some(entry) = entry_point(front) else { continue };
        if host_takeover(front).is_some() {
            continue;
        }
        let front_networks = networks_of(front);
        for (other_index, back) in snapshot.containers.iter().enumerate() {
            if other_index == index {
                continue;
            }
            let Some(takeover) = host_takeover(back) else { continue };
            let shared = networks_of(back).into_iter().find(|n| front_networks.contains(n) && icc_on(snapshot, n));
            let Some(network) = shared else { continue };
            let mut named = findings_on(&front.spec.object, findings);
            named.extend(findings_on(&back.spec.object, findings));
            if network == "bridge" {
                named.extend(findings.iter().filter(|f| f.rule == "DMN002").map(|f| {
                    format!("DMN002 {}", f.location.object.as_deref().unwrap_or("daemon"))
                }));
            }
            paths.push(AttackPath::new(
                vec![
                    entry.clone(),
                    format!("container {}", display_name(front)),
                    format!("network {network} (icc on)"),
                    format!("container {} ({takeover})", display_name(back)),
                    "host root".into(),
                ],
                named,
                Severity::High,
            ));
        }
    }

    paths.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.title.cmp(&b.title)));
    paths.dedup();
    paths
}
