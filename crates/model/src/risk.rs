//! Risk: how urgent a finding is once its context is weighed, not only its severity. A
//! privileged container that publishes a port on every interface outranks the same container on
//! an internal network. Pure functions of the finding and, for `rampart audit`, the container it
//! is about; no I/O.

use crate::{Category, ContainerSpec, Finding, MountKind, NetworkMode, Severity};
use serde::{Deserialize, Serialize};

/// A finding's risk: a score from 0 to 100 (higher is more urgent) and the reasons it rests on,
/// each a short phrase (`severity high`, `port 0.0.0.0:8080->80/tcp on every interface`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub score: u32,
    pub reasons: Vec<String>,
}

/// The highest score; context never pushes a finding past it.
pub const MAX_RISK: u32 = 100;

/// Capabilities that hand a container most of the host: mount, trace other processes, rewrite
/// the network stack.
pub const DANGEROUS_CAPABILITIES: [&str; 4] = ["ALL", "SYS_ADMIN", "SYS_PTRACE", "NET_ADMIN"];

/// Host paths whose mount gives the container the host: the root, its configuration, the
/// engine's socket.
const DOCKER_SOCKETS: [&str; 2] = ["/var/run/docker.sock", "/run/docker.sock"];

/// One piece of context that raises a finding's risk, with its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskFactor {
    pub points: u32,
    pub reason: String,
}

fn severity_points(severity: Severity) -> u32 {
    match severity {
        Severity::Critical => 70,
        Severity::High => 50,
        Severity::Medium => 30,
        Severity::Low => 15,
        Severity::Info => 0,
    }
}

/// What the finding tells about itself: secrets and known vulnerabilities weigh more than other
/// findings of the same severity.
fn intrinsic_factors(finding: &Finding) -> Vec<RiskFactor> {
    let mut factors = Vec::new();
    if finding.category == Category::Secrets || finding.rule.starts_with("SEC") {
        factors.push(RiskFactor { points: 10, reason: "sensitive data".into() });
    }
    if finding.rule.starts_with("VUL") {
        factors.push(RiskFactor { points: 5, reason: "known vulnerability".into() });
    }
    factors
}

/// Is this host path the Docker socket?
pub fn is_docker_socket(host_path: &str) -> bool {
    DOCKER_SOCKETS.contains(&host_path)
}

/// Ports published on every interface (no host IP, `0.0.0.0` or `::`), as `0.0.0.0:8080->80/tcp`.
pub fn ports_on_every_interface(spec: &ContainerSpec) -> Vec<String> {
    let mut ports = Vec::new();
    for port in &spec.ports {
        let mapping = &port.value;
        let everywhere = match mapping.host_ip.as_deref() {
            None => true,
            Some(ip) => ip == "0.0.0.0" || ip == "::",
        };
        if everywhere {
            let host_port = mapping.host_port.map(|p| p.to_string()).unwrap_or_else(|| "random".into());
            ports.push(format!("0.0.0.0:{host_port}->{}/{}", mapping.container_port, mapping.protocol.as_str()));
        }
    }
    if spec.publish_all.as_ref().is_some_and(|p| p.value) {
        ports.push("every exposed port (--publish-all)".into());
    }
    ports
}


/// Dangerous capabilities the container adds, in the order given.
pub fn dangerous_capabilities(spec: &ContainerSpec) -> Vec<String> {
    spec.cap_add
        .iter()
        .map(|cap| cap.value.name().to_string())
        .filter(|name| DANGEROUS_CAPABILITIES.contains(&name.as_str()))
        .collect()
}

/// The host paths a container mounts that give it the host: the Docker socket, `/`, `/etc`.
pub fn host_takeover_mounts(spec: &ContainerSpec) -> Vec<String> {
    spec.mounts
        .iter()
        .filter(|mount| mount.value.kind == MountKind::Bind || mount.value.host_path.is_some())
        .filter_map(|mount| mount.value.absolute_host_path())
        .filter(|path| is_docker_socket(path) || path == "/" || path == "/etc" || path.starts_with("/etc/"))
        .collect()
}

/// Everything about a container that makes any finding on it more urgent: exposure first
/// (reachable from outside), then privilege (what an attacker inside it gets).
pub fn container_factors(spec: &ContainerSpec) -> Vec<RiskFactor> {
    let mut factors = Vec::new();
    let host_network = matches!(spec.network_mode.as_ref().map(|m| &m.value), Some(NetworkMode::Host));
    if host_network {
        factors.push(RiskFactor { points: 15, reason: "host network".into() });
    }
    let exposed = ports_on_every_interface(spec);
    if let Some(first) = exposed.first() {
        factors.push(RiskFactor { points: 15, reason: format!("published on every interface: {first}") });
    }
    if spec.privileged.as_ref().is_some_and(|p| p.value) {
        factors.push(RiskFactor { points: 10, reason: "privileged".into() });
    }
    let caps = dangerous_capabilities(spec);
    if !caps.is_empty() {
        factors.push(RiskFactor { points: 10, reason: format!("capability {}", caps.join(", ")) });
    }
    for path in host_takeover_mounts(spec) {
        let reason = if is_docker_socket(&path) { format!("mounts the Docker socket {path}") } else { format!("mounts host {path}") };
        factors.push(RiskFactor { points: 10, reason });
    }
    let namespaces = [("pid", &spec.pid), ("ipc", &spec.ipc), ("uts", &spec.uts), ("userns", &spec.userns)];
    let shared: Vec<&str> =
        namespaces.iter().filter(|(_, mode)| mode.as_ref().is_some_and(|m| m.value.is_host())).map(|(name, _)| *name).collect();
    if !shared.is_empty() {
        factors.push(RiskFactor { points: 5, reason: format!("host {} namespace", shared.join(", ")) });
    }
    factors
}

/// The risk of `finding` given `context` (the factors of the container it is about; empty when
/// the finding is judged alone). Informational findings stay at the bottom whatever their context.
pub fn assess(finding: &Finding, context: &[RiskFactor]) -> Risk {
    let severity = finding.severity;
    let mut score = severity_points(severity);
    let mut reasons = vec![format!("severity {}", severity.as_str())];
    if severity != Severity::Info {
        for factor in intrinsic_factors(finding).iter().chain(context) {
            score += factor.points;
            reasons.push(factor.reason.clone());
        }
    }
    Risk { score: score.min(MAX_RISK), reasons }
}
