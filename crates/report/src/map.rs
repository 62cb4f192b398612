//! The architecture map of an audited host: the daemon, containers, their images, networks
//! (internal or not, inter-container communication), published ports with their host IPs,
//! volumes and host mounts, as a graph. Drawn as Graphviz DOT, Mermaid or JSON; built from a
//! snapshot alone, so a saved snapshot draws the same map offline.

use rampart_model::{ContainerFacts, MountKind, NetworkFacts, NetworkMode, Snapshot};
use serde::Serialize;
use std::fmt::Write;

/// The option that turns inter-container communication off on a user-defined bridge.
const ICC_OPTION: &str = "com.docker.network.bridge.enable_icc";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchitectureMap {
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapNode {
    /// Unique within the map: `container:web`, `network:app`, `port:0.0.0.0:8080`, ...
    pub id: String,
    /// `daemon`, `container`, `image`, `network`, `port`, `volume`, `host-path`.
    pub kind: String,
    pub label: String,
    /// Facts worth seeing on the node: `internal`, `icc on`, `privileged`, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Why this node is dangerous, when it is: `privileged`, `plain TCP without TLS`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapEdge {
    pub from: String,
    pub to: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Why this link is dangerous, when it is: `Docker socket`, `host mount`, `host network`,
    /// `every interface`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl ArchitectureMap {
    fn node(&mut self, id: String, kind: &str, label: String, details: Vec<String>) {
        if !self.nodes.iter().any(|n| n.id == id) {
            self.nodes.push(MapNode { id, kind: kind.into(), label, details, warning: None });
        }
    }

    fn edge(&mut self, from: &str, to: &str, label: impl Into<String>) -> &mut MapEdge {
        self.edges.push(MapEdge { from: from.into(), to: to.into(), label: label.into(), warning: None });
        let last = self.edges.len() - 1;
        &mut self.edges[last]
    }

    fn warn_node(&mut self, id: &str, warning: String) {
        if let Some(node) = self.nodes.iter_mut().find(|n| n.id == id) {
            node.warning.get_or_insert(warning);
        }
    }
}

fn container_name(container: &ContainerFacts) -> String {
    let name = container.name.trim_start_matches('/');
    if name.is_empty() { container.id.chars().take(12).collect() } else { name.to_string() }
}

/// The name of the network a container names by name, full ID or short ID (`docker run
/// --network 3f2a9c1b7e0d` keeps the ID in the container's network mode).
fn network_name<'a>(snapshot: &'a Snapshot, reference: &'a str) -> &'a str {
    let by_id = |n: &&NetworkFacts| !n.id.is_empty() && reference.len() >= 12 && n.id.starts_with(reference);
    match snapshot.networks.iter().find(|n| n.name == reference).or_else(|| snapshot.networks.iter().find(by_id)) {
        Some(network) => &network.name,
        None => reference,
    }
}

fn network_details(snapshot: &Snapshot, name: &str) -> Vec<String> {
    // Containers on the host network share the host's stack: internal and icc do not apply.
    if name == "host" {
        return vec!["the host's network stack".into()];
    }
    let mut details = Vec::new();
    let facts = snapshot.networks.iter().find(|n| n.name == name);
    if let Some(facts) = facts {
        if !facts.driver.is_empty() {
            details.push(facts.driver.clone());
        }
        details.push(if facts.internal { "internal".into() } else { "not internal".into() });
    }
    let icc = if name == "bridge" {
        snapshot.daemon_config.icc.value
    } else {
        facts.map(|f| !f.options.iter().any(|(key, value)| key == ICC_OPTION && value == "false"))
    };
    details.push(match icc {
        Some(true) => "icc on".into(),
        Some(false) => "icc off".into(),
        None => "icc unknown".into(),
    });
    details
}

/// The map of `snapshot`, nodes and edges in a stable order (the snapshot's).
pub fn architecture_map(snapshot: &Snapshot) -> ArchitectureMap {
    let mut map = ArchitectureMap { nodes: Vec::new(), edges: Vec::new() };
    let mut daemon_details: Vec<String> = snapshot.daemon_config.hosts.value.clone().unwrap_or_default();
    if let Some(daemon) = &snapshot.daemon {
        daemon_details.insert(0, format!("{} {}", daemon.operating_system, daemon.kernel_version).trim().to_string());
    }
    match snapshot.daemon_config.tls_verify.value {
        Some(true) => daemon_details.push("TLS verify on".into()),
        Some(false) => daemon_details.push("TLS verify off".into()),
        None => {}
    }
    let daemon_label = match &snapshot.daemon {
        Some(daemon) => format!("Docker daemon {}", daemon.server_version),
        None => "Docker daemon".to_string(),
    };
    map.node("daemon".into(), "daemon", daemon_label, daemon_details);
    let hosts = snapshot.daemon_config.hosts.value.as_deref().unwrap_or_default();
    if hosts.iter().any(|h| h.starts_with("tcp://")) && snapshot.daemon_config.tls_verify.value != Some(true) {
        map.warn_node("daemon", "listens on TCP without TLS client verification".into());
    }

    // The engine's built-in networks are drawn only when a container uses them: `none` connects
    // nothing, and `host` and `bridge` exist on every host.
    let used = |name: &str| {
        snapshot.containers.iter().any(|c| {
            let spec = &c.spec;
            let by_mode = match spec.network_mode.as_ref().map(|m| &m.value) {
                Some(NetworkMode::Host) => name == "host",
                Some(NetworkMode::Default | NetworkMode::Bridge) => name == "bridge",
                Some(NetworkMode::Named(reference)) => network_name(snapshot, reference) == name,
                _ => false,
            };
            by_mode || spec.networks.iter().any(|a| network_name(snapshot, &a.value.name) == name)
        })
    };
    for network in snapshot.networks.iter().filter(|n| !matches!(n.name.as_str(), "none" | "host" | "bridge") || used(&n.name)) {
        map.node(format!("network:{}", network.name), "network", network.name.clone(), network_details(snapshot, &network.name));
    }

    for container in &snapshot.containers {
        let spec = &container.spec;
        let id = format!("container:{}", container_name(container));
        let mut details = vec![container.state.clone()];
        if spec.privileged.as_ref().is_some_and(|p| p.value) {
            details.push("privileged".into());
        }
        let caps = rampart_model::dangerous_capabilities(spec);
        if !caps.is_empty() {
            details.push(format!("cap_add {}", caps.join(", ")));
        }
        for (name, mode) in [("pid", &spec.pid), ("ipc", &spec.ipc), ("uts", &spec.uts)] {
            if mode.as_ref().is_some_and(|m| m.value.is_host()) {
                details.push(format!("host {name}"));
            }
        }
        let warning = if spec.privileged.as_ref().is_some_and(|p| p.value) {
            Some("privileged".to_string())
        } else if !caps.is_empty() {
            Some(format!("capability {}", caps.join(", ")))
        } else {
            details.iter().find(|d| d.starts_with("host ")).cloned()
        };
        map.node(id.clone(), "container", container_name(container), details);
        if let Some(warning) = warning {
            map.warn_node(&id, warning);
        }
        map.edge("daemon", &id, "runs");

        let image_id = if container.image_id.is_empty() { container.image.clone() } else { container.image_id.clone() };
        if !image_id.is_empty() {
            let image_node = format!("image:{image_id}");
            let facts = snapshot.images.iter().find(|image| image.id == image_id);
            let label = facts.and_then(|f| f.tags.first().cloned()).unwrap_or_else(|| container.image.clone());
            let mut image_details = Vec::new();
            if let Some(facts) = facts {
                if let Some(os) = &facts.base_os {
                    let name = os.display_name();
                    let support = match os.eol_status {
                        rampart_model::EolStatus::EndOfLife => " (end of life)",
                        _ => "",
                    };
                    image_details.push(format!("base {name}{support}"));
                }
                image_details.push(if facts.user.is_empty() { "user root".into() } else { format!("user {}", facts.user) });
            }
            map.node(image_node.clone(), "image", label, image_details);
            map.edge(&id, &image_node, "image");
        }

        match spec.network_mode.as_ref().map(|m| &m.value) {
            Some(NetworkMode::Host) => {
                map.node("network:host".into(), "network", "host".into(), network_details(snapshot, "host"));
                map.edge(&id, "network:host", "").warning = Some("host network".into());
            }
            Some(NetworkMode::Default | NetworkMode::Bridge) => {
                map.node("network:bridge".into(), "network", "bridge".into(), network_details(snapshot, "bridge"));
                map.edge(&id, "network:bridge", "");
            }
            Some(NetworkMode::Named(reference)) => {
                let name = network_name(snapshot, reference);
                let node = format!("network:{name}");
                map.node(node.clone(), "network", name.to_string(), network_details(snapshot, name));
                map.edge(&id, &node, "");
            }
            Some(NetworkMode::Container(other)) => {
                map.edge(&id, &format!("container:{other}"), "shares network of");
            }
            _ => {}
        }
        for attachment in &spec.networks {
            let name = network_name(snapshot, &attachment.value.name);
            let node = format!("network:{name}");
            if map.edges.iter().any(|e| e.from == id && e.to == node) {
                continue;
            }
            map.node(node.clone(), "network", name.to_string(), network_details(snapshot, name));
            map.edge(&id, &node, "");
        }

        for port in &spec.ports {
            let mapping = &port.value;
            let host_ip = mapping.host_ip.clone().unwrap_or_else(|| "0.0.0.0".into());
            let host_port = mapping.host_port.map(|p| p.to_string()).unwrap_or_else(|| "random".into());
            let address = if host_ip.contains(':') { format!("[{host_ip}]:{host_port}") } else { format!("{host_ip}:{host_port}") };
            let node = format!("port:{address}/{}", mapping.protocol.as_str());
            let every_interface = host_ip == "0.0.0.0" || host_ip == "::";
            let details = vec![if every_interface { "every interface".into() } else { "one interface".into() }];
            map.node(node.clone(), "port", format!("{address}/{}", mapping.protocol.as_str()), details);
            let edge = map.edge(&node, &id, format!("-> {}", mapping.container_port));
            if every_interface {
                edge.warning = Some("published on every interface".into());
                map.warn_node(&node, "exposed".into());
            }
        }

        for mount in &spec.mounts {
            let mount = &mount.value;
            let access = if mount.read_only { "ro" } else { "rw" };
            let (node, kind, label) = match (mount.kind, &mount.host_path, &mount.source) {
                (_, Some(host), _) => (format!("host:{host}"), "host-path", host.clone()),
                (MountKind::Volume, None, Some(name)) => (format!("volume:{name}"), "volume", name.clone()),
                _ => continue,
            };
            map.node(node.clone(), kind, label, Vec::new());
            let host_path = mount.host_path.as_deref().unwrap_or_default();
            let warning = if kind != "host-path" {
                None
            } else if rampart_model::is_docker_socket(host_path) {
                Some("Docker socket")
            } else if host_path == "/" || host_path == "/etc" || host_path.starts_with("/etc/") {
                Some("host root or configuration")
            } else {
                Some("host mount")
            };
            map.edge(&id, &node, format!("{} ({access})", mount.target)).warning = warning.map(String::from);
            if let Some(warning) = warning.filter(|w| *w != "host mount") {
                map.warn_node(&node, warning.into());
            }
        }
    }
    map
}

/// A DOT identifier or label: quoted, with quotes and backslashes escaped and line breaks kept
/// out, so a hostile container name cannot add statements.
fn dot_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "daemon" => "doubleoctagon",
        "container" => "box",
        "image" => "note",
        "network" => "ellipse",
        "port" => "cds",
        _ => "folder",
    }
}

/// Graphviz DOT.
pub fn render_dot(map: &ArchitectureMap) -> String {
    let mut out = String::from("digraph rampart {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n");
    for node in &map.nodes {
        let mut label = format!("{}: {}", node.kind, node.label);
        for detail in &node.details {
            label.push('\n');
            label.push_str(detail);
        }
        // DOT reads \n inside a quoted label as a line break; the quote escapes anything else.
        let quoted = dot_quote(&label.replace('\n', "\u{1}")).replace('\u{1}', "\\n");
        let colour = if node.warning.is_some() { ", color=\"#c62828\", penwidth=2" } else { "" };
        let _ = writeln!(out, "  {} [shape={}, label={}{colour}];", dot_quote(&node.id), dot_shape(&node.kind), quoted);
    }
    for edge in &map.edges {
        let _ = write!(out, "  {} -> {}", dot_quote(&edge.from), dot_quote(&edge.to));
        let mut attributes = Vec::new();
        if !edge.label.is_empty() {
            attributes.push(format!("label={}", dot_quote(&edge.label)));
        }
        if edge.warning.is_some() {
            attributes.push("color=\"#c62828\", penwidth=2".to_string());
        }
        if !attributes.is_empty() {
            let _ = write!(out, " [{}]", attributes.join(", "));
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label: HTML-significant characters and quotes as entities (Mermaid renders labels
/// as HTML), line breaks as `<br/>`.
fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid flowchart. Node ids are positional (`n0`, `n1`, ...) so no name can break the syntax.
pub fn render_mermaid(map: &ArchitectureMap) -> String {
    let mut out = String::from("flowchart LR\n");
    let index = |id: &str| map.nodes.iter().position(|n| n.id == id);
    for (i, node) in map.nodes.iter().enumerate() {
        let mut label = format!("{}: {}", node.kind, mermaid_text(&node.label));
        for detail in &node.details {
            label.push_str("<br/>");
            label.push_str(&mermaid_text(detail));
        }
        let (open, close) = match node.kind.as_str() {
            "network" => ("((", "))"),
            "port" => ("[/", "/]"),
            "daemon" => ("{{", "}}"),
            "image" | "volume" | "host-path" => ("[(", ")]"),
            _ => ("[", "]"),
        };
        let _ = writeln!(out, "  n{i}{open}\"{label}\"{close}");
    }
    for edge in &map.edges {
        // An edge to a container the snapshot does not hold (network_mode container:X) is dropped.
        let (Some(from), Some(to)) = (index(&edge.from), index(&edge.to)) else { continue };
        if edge.label.is_empty() {
            let _ = writeln!(out, "  n{from} --> n{to}");
        } else {
            let _ = writeln!(out, "  n{from} -->|\"{}\"| n{to}", mermaid_text(&edge.label));
        }
    }
    out
}

/// JSON: `{ "nodes": [...], "edges": [...] }`.
pub fn render_map_json(map: &ArchitectureMap) -> String {
    let mut text = serde_json::to_string_pretty(map).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
