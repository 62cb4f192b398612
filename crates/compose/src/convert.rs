//! The merged, validated tree -> [`ComposeProject`]: every service a [`ContainerSpec`] whose
//! values carry the [`Origin`] of the YAML they came from. Value syntaxes (ports, volumes,
//! sizes, durations...) go through the parsers the `docker run` front end uses, so the same
//! text means the same thing everywhere; a value compose would refuse is an error here too.

use crate::loader::{error_at, Loader};
use crate::paths::normalize;
use crate::yaml::{Node, ScalarKind, Value};
use crate::Diagnostic;
use rampart_model::{
    parse_go_duration, parse_nano_cpus, parse_ram_bytes, parse_volume_short, Capability, ComposeNetwork, ComposeProject,
    ComposeResource, ComposeService, ComposeVolume, ContainerSpec, Definition, Device, DeviceCgroupRule, EnvSource, EnvVar,
    ExposedPort, Healthcheck, KeyValue, Mount, MountKind, NamespaceMode, NetworkAttachment, NetworkMode, Origin,
    PortMapping, PortRange, Propagation, Protocol, ResourceSource, RestartPolicy, SecretRef, SecurityOpt, Sourced,
    SpecSource, Ulimit, User,
};
use std::collections::HashMap;
use std::path::PathBuf;

type Result<T> = std::result::Result<T, Diagnostic>;

/// Where `node` was: its entry point, and where it was written when that differs.
pub fn origin(node: &Node) -> Origin {
    let mut origin = Origin::at(node.at.file.to_string(), node.at.line, node.at.column);
    if node.at != node.written {
        origin.defined_at =
            Some(Definition { path: node.written.file.to_string(), line: node.written.line, column: node.written.column });
    } else if let Some((line, column)) = node.end {
        origin = origin.with_end(line, column);
    }
    origin
}

fn sourced<T>(value: T, node: &Node) -> Sourced<T> {
    Sourced::at(value, origin(node))
}

fn bad(node: &Node, path: &str, message: impl std::fmt::Display) -> Diagnostic {
    error_at(&node.at, format!("{path}: {message}"))
}

/// The text of a scalar (numbers and booleans as written); `None` for null and collections.
fn scalar_text(node: &Node) -> Option<&str> {
    node.text()
}

fn bool_value(node: &Node) -> Option<bool> {
    match node.as_scalar()?.kind {
        ScalarKind::Bool(b) => Some(b),
        _ => None,
    }
}

/// Items of a list, or the single string given instead of one.
fn string_or_list(node: &Node) -> Vec<&Node> {
    match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Scalar(s) if s.kind != ScalarKind::Null => vec![node],
        _ => Vec::new(),
    }
}

/// `KEY=VALUE` lists and `KEY: VALUE` mappings as (key, value, node of the value or item).
fn list_or_dict(node: &Node) -> Vec<(String, Option<String>, &Node, bool)> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let text = scalar_text(item)?;
                let interpolated = item.as_scalar().is_some_and(|s| s.interpolated);
                Some(match text.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string()), item, interpolated),
                    None => (text.to_string(), None, item, interpolated),
                })
            })
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| {
                let interpolated = e.value.as_scalar().is_some_and(|s| s.interpolated);
                match scalar_text(&e.value) {
                    Some(v) => (e.name().to_string(), Some(v.to_string()), &e.value, interpolated),
                    None if e.value.is_null() => (e.name().to_string(), None, &e.key, false),
                    None => (e.name().to_string(), None, &e.value, false),
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Splits a command string like a POSIX shell would into words (compose does this for string
/// `command:` / `entrypoint:`), without expanding anything.
pub fn shell_words(text: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => current.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => current.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                current.push('\\');
                                current.push(c);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(c) => current.push(c),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') | None => {}
                    Some(c) => current.push(c),
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

pub(crate) fn convert(root: &Node, loader: &mut Loader<'_>, files: &[PathBuf]) -> Result<ComposeProject> {
    let mut project = ComposeProject {
        name: root.get("name").and_then(|n| scalar_text(n).map(|t| sourced(t.to_string(), n))),
        files: files.iter().map(|f| f.display().to_string()).collect(),
        ..ComposeProject::default()
    };
    if let Some(entries) = root.get("volumes").and_then(Node::as_map) {
        for entry in entries {
            project.volumes.push(volume(entry.name(), &entry.key, &entry.value));
        }
    }
    if let Some(entries) = root.get("networks").and_then(Node::as_map) {
        for entry in entries {
            project.networks.push(network(entry.name(), &entry.key, &entry.value));
        }
    }
    for (field, list) in [("secrets", &mut project.secrets), ("configs", &mut project.configs)] {
        if let Some(entries) = root.get(field).and_then(Node::as_map) {
            for entry in entries {
                list.push(resource(entry.name(), &entry.key, &entry.value));
            }
        }
    }
    let bind_devices: HashMap<String, String> = project
        .volumes
        .iter()
        .filter_map(|v| v.bind_device.as_ref().map(|d| (v.name.clone(), d.value.clone())))
        .collect();
    if let Some(entries) = root.get("services").and_then(Node::as_map) {
        for entry in entries {
            let service =
                ServiceConverter { loader, bind_devices: &bind_devices, name: entry.name() }.convert(&entry.key, &entry.value)?;
            project.services.push(service);
        }
    }
    let uses_default = project.services.iter().any(|s| s.spec.networks.iter().any(|n| n.name == "default"));
    if uses_default && project.network("default").is_none() {
        project.networks.push(ComposeNetwork { name: "default".into(), ..ComposeNetwork::default() });
    }
    Ok(project)
}

fn key_values(node: Option<&Node>) -> Vec<Sourced<KeyValue>> {
    node.map(list_or_dict)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v, at, _)| sourced(KeyValue::new(k, v.unwrap_or_default()), at))
        .collect()
}

fn sourced_text(node: Option<&Node>) -> Option<Sourced<String>> {
    let node = node?;
    scalar_text(node).map(|t| sourced(t.to_string(), node))
}

fn sourced_bool(node: Option<&Node>) -> Option<Sourced<bool>> {
    let node = node?;
    bool_value(node).map(|b| sourced(b, node))
}

fn network(name: &str, key: &Node, node: &Node) -> ComposeNetwork {
    let external = node.get("external");
    ComposeNetwork {
        name: name.to_string(),
        origin: Some(origin(key)),
        real_name: sourced_text(node.get("name")),
        driver: sourced_text(node.get("driver")),
        internal: sourced_bool(node.get("internal")),
        // The legacy form `external: {name: x}` means external too.
        external: sourced_bool(external).or_else(|| external.filter(|e| e.as_map().is_some()).map(|e| sourced(true, e))),
        attachable: sourced_bool(node.get("attachable")),
        enable_ipv6: sourced_bool(node.get("enable_ipv6")),
        driver_opts: key_values(node.get("driver_opts")),
    }
}

fn volume(name: &str, key: &Node, node: &Node) -> ComposeVolume {
    let driver_opts = key_values(node.get("driver_opts"));
    let opt = |k: &str| driver_opts.iter().find(|o| o.key == k);
    let binds = opt("o").is_some_and(|o| o.value.value.split(',').any(|part| part.trim() == "bind" || part.trim() == "rbind"));
    let bind_device = if binds { opt("device").map(|d| d.clone().map(|kv| kv.value)) } else { None };
    let external = node.get("external");
    ComposeVolume {
        name: name.to_string(),
        origin: Some(origin(key)),
        driver: sourced_text(node.get("driver")),
        external: sourced_bool(external).or_else(|| external.filter(|e| e.as_map().is_some()).map(|e| sourced(true, e))),
        driver_opts,
        bind_device,
    }
}

fn resource(name: &str, key: &Node, node: &Node) -> ComposeResource {
    let field = |k: &str| node.get(k).and_then(|n| scalar_text(n).map(|t| (t.to_string(), n)));
    let external = node.get("external").filter(|e| bool_value(e) == Some(true) || e.as_map().is_some());
    let source = if let Some((path, at)) = field("file") {
        sourced(ResourceSource::File(path), at)
    } else if let Some((var, at)) = field("environment") {
        sourced(ResourceSource::Environment(var), at)
    } else if let Some((content, at)) = field("content") {
        sourced(ResourceSource::Content(content), at)
    } else if let Some(at) = external {
        sourced(ResourceSource::External(field("name").map(|(n, _)| n)), at)
    } else {
        sourced(ResourceSource::Unspecified, key)
    };
    ComposeResource { name: name.to_string(), origin: Some(origin(key)), source }
}

struct ServiceConverter<'l, 'a, 'p> {
    loader: &'l mut Loader<'a>,
    /// Top-level volumes that bind a host directory, by name.
    bind_devices: &'p HashMap<String, String>,
    name: &'p str,
}

impl ServiceConverter<'_, '_, '_> {
    fn path(&self, field: &str) -> String {
        format!("services.{}.{field}", self.name)
    }

    fn convert(mut self, key: &Node, service: &Node) -> Result<ComposeService> {
        let mut spec = ContainerSpec::new(SpecSource::Compose, format!("service:{}", self.name));
        spec.origin = Some(origin(key));
        spec.name = sourced_text(service.get("container_name"));
        spec.image = sourced_text(service.get("image"));
        spec.entrypoint = self.command(service.get("entrypoint"), "entrypoint")?;
        spec.command = self.command(service.get("command"), "command")?;
        spec.hostname = sourced_text(service.get("hostname"));
        spec.working_dir = sourced_text(service.get("working_dir"));
        spec.privileged = sourced_bool(service.get("privileged"));
        spec.read_only = sourced_bool(service.get("read_only"));
        spec.init = sourced_bool(service.get("init"));
        spec.runtime = sourced_text(service.get("runtime"));
        spec.cgroup_parent = sourced_text(service.get("cgroup_parent"));
        for (field, list) in [("cap_add", &mut spec.cap_add), ("cap_drop", &mut spec.cap_drop)] {
            for item in service.get(field).map(string_or_list).unwrap_or_default() {
                if let Some(cap) = scalar_text(item).and_then(Capability::parse) {
                    list.push(sourced(cap, item));
                }
            }
        }
        if let Some(node) = service.get("user") {
            spec.user = scalar_text(node).and_then(User::parse).map(|u| sourced(u, node));
        }
        for item in service.get("group_add").map(string_or_list).unwrap_or_default() {
            if let Some(text) = scalar_text(item) {
                spec.group_add.push(sourced(text.to_string(), item));
            }
        }
        for item in service.get("security_opt").map(string_or_list).unwrap_or_default() {
            match SecurityOpt::parse(scalar_text(item).unwrap_or_default()) {
                Ok(opt) => spec.security_opt.push(sourced(opt, item)),
                Err(e) => self.engine_would_refuse(item, "security_opt", e),
            }
        }
        if let Some(node) = service.get("network_mode") {
            spec.network_mode = scalar_text(node).map(|t| sourced(NetworkMode::parse(t), node));
        }
        for (field, slot) in [
            ("pid", &mut spec.pid),
            ("ipc", &mut spec.ipc),
            ("uts", &mut spec.uts),
            ("userns_mode", &mut spec.userns),
            ("cgroup", &mut spec.cgroupns),
        ] {
            if let Some(node) = service.get(field) {
                *slot = scalar_text(node).map(|t| sourced(NamespaceMode::parse(t), node));
            }
        }
        spec.networks = self.networks(service.get("networks"), spec.network_mode.is_some());
        for item in service.get("volumes").and_then(Node::as_seq).unwrap_or_default() {
            spec.mounts.push(self.volume_mount(item)?);
        }
        for item in service.get("tmpfs").map(string_or_list).unwrap_or_default() {
            spec.mounts.push(sourced(tmpfs_mount(scalar_text(item).unwrap_or_default()), item));
        }
        for item in service.get("volumes_from").map(string_or_list).unwrap_or_default() {
            if let Some(text) = scalar_text(item) {
                spec.volumes_from.push(sourced(text.to_string(), item));
            }
        }
        for item in service.get("devices").and_then(Node::as_seq).unwrap_or_default() {
            spec.devices.push(self.device(item)?);
        }
        for item in service.get("device_cgroup_rules").map(string_or_list).unwrap_or_default() {
            match DeviceCgroupRule::parse(scalar_text(item).unwrap_or_default()) {
                Ok(rule) => spec.device_cgroup_rules.push(sourced(rule, item)),
                Err(e) => self.engine_would_refuse(item, "device_cgroup_rules", e),
            }
        }
        spec.gpus = gpus(service);
        for item in service.get("ports").and_then(Node::as_seq).unwrap_or_default() {
            spec.ports.extend(self.ports(item)?);
        }
        for item in service.get("expose").map(string_or_list).unwrap_or_default() {
            match ExposedPort::parse(scalar_text(item).unwrap_or_default()) {
                Ok(port) => spec.exposed_ports.push(sourced(port, item)),
                Err(e) => self.engine_would_refuse(item, "expose", e),
            }
        }
        self.resources(service, &mut spec)?;
        spec.restart = self.restart(service);
        if let Some(logging) = service.get("logging") {
            spec.logging.driver = sourced_text(logging.get("driver"));
            spec.logging.options = key_values(logging.get("options"));
        }
        spec.healthcheck = self.healthcheck(service.get("healthcheck"))?;
        spec.env = self.environment(service)?;
        for item in service.get("env_file").map(string_or_list).unwrap_or_default() {
            let path = item.get("path").unwrap_or(item);
            if let Some(text) = scalar_text(path) {
                spec.env_files.push(sourced(text.to_string(), path));
            }
        }
        for item in service.get("secrets").map(string_or_list).unwrap_or_default() {
            if let Some(secret) = secret_ref(item) {
                spec.secrets.push(sourced(secret, item));
            }
        }
        spec.sysctls = key_values(service.get("sysctls"));
        spec.labels = key_values(service.get("labels"));
        let profiles = service
            .get("profiles")
            .map(string_or_list)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| scalar_text(p).map(|t| sourced(t.to_string(), p)))
            .collect();
        let extends = self.loader.extends_of.get(self.name).map(|e| {
            let text = match (e.text(), e.get("service").and_then(Node::text), e.get("file").and_then(Node::text)) {
                (Some(service), _, _) => service.to_string(),
                (None, Some(service), Some(file)) => format!("{file}#{service}"),
                (None, Some(service), None) => service.to_string(),
                _ => String::new(),
            };
            sourced(text, e)
        });
        Ok(ComposeService { name: self.name.to_string(), profiles, builds: service.get("build").is_some(), extends, spec })
    }

    fn command(&self, node: Option<&Node>, field: &str) -> Result<Option<Sourced<Vec<String>>>> {
        let Some(node) = node else { return Ok(None) };
        match &node.value {
            Value::Seq(items) => Ok(Some(sourced(items.iter().filter_map(|i| scalar_text(i).map(str::to_string)).collect(), node))),
            Value::Scalar(s) if s.kind == ScalarKind::Null => Ok(None),
            Value::Scalar(s) => {
                let words = shell_words(&s.text).map_err(|e| bad(node, &self.path(field), e))?;
                Ok(Some(sourced(words, node)))
            }
            Value::Map(_) => Ok(None),
        }
    }

    /// `networks:` as a list of names or a mapping; none (and no `network_mode`) means `default`.
    fn networks(&self, node: Option<&Node>, has_network_mode: bool) -> Vec<Sourced<NetworkAttachment>> {
        let attachment = |name: &str| NetworkAttachment { name: name.to_string(), aliases: Vec::new(), ipv4_address: None, ipv6_address: None };
        let Some(node) = node else {
            return if has_network_mode { Vec::new() } else { vec![Sourced::new(attachment("default"))] };
        };
        match &node.value {
            Value::Seq(items) => items.iter().filter_map(|i| scalar_text(i).map(|n| sourced(attachment(n), i))).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| {
                    let mut a = attachment(e.name());
                    a.aliases = e.value.get("aliases").map(string_or_list).unwrap_or_default().into_iter().filter_map(scalar_text).map(str::to_string).collect();
                    a.ipv4_address = e.value.get("ipv4_address").and_then(scalar_text).map(str::to_string);
                    a.ipv6_address = e.value.get("ipv6_address").and_then(scalar_text).map(str::to_string);
                    sourced(a, &e.key)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// One `volumes:` entry, short (`src:dst:mode`) or long (`{type, source, target, ...}`).
    fn volume_mount(&self, item: &Node) -> Result<Sourced<Mount>> {
        let path = self.path("volumes");
        let mut mount = match &item.value {
            Value::Map(_) => {
                let text = |k: &str| item.get(k).and_then(scalar_text).map(str::to_string);
                let kind = match text("type").as_deref() {
                    Some("bind") => MountKind::Bind,
                    Some("volume") | None => MountKind::Volume,
                    Some("tmpfs") => MountKind::Tmpfs,
                    Some("npipe") => MountKind::Npipe,
                    Some("image") => MountKind::Image,
                    Some("cluster") => MountKind::Cluster,
                    Some(other) => return Err(bad(item, &path, format!("unknown volume type `{other}`"))),
                };
                let Some(target) = text("target") else { return Err(bad(item, &path, "a volume needs a `target`")) };
                let source = text("source").filter(|s| !s.is_empty());
                let mut options = Vec::new();
                if let Some(tmpfs) = item.get("tmpfs") {
                    for (k, v, _, _) in tmpfs.as_map().map(|_| list_or_dict(tmpfs)).unwrap_or_default() {
                        options.push(KeyValue::new(k, v.unwrap_or_default()));
                    }
                }
                if let Some(consistency) = text("consistency") {
                    options.push(KeyValue::new(consistency, ""));
                }
                let bind = item.get("bind");
                if let Some(selinux) = bind.and_then(|b| b.get("selinux")).and_then(scalar_text) {
                    options.push(KeyValue::new(selinux, ""));
                }
                if item.get("volume").and_then(|v| v.get("nocopy")).and_then(bool_value) == Some(true) {
                    options.push(KeyValue::new("nocopy", ""));
                }
                let propagation = bind.and_then(|b| b.get("propagation")).and_then(scalar_text).and_then(Propagation::parse);
                Mount {
                    kind,
                    host_path: if matches!(kind, MountKind::Bind | MountKind::Npipe) { source.clone() } else { None },
                    source,
                    target,
                    read_only: item.get("read_only").and_then(bool_value).unwrap_or(false),
                    propagation,
                    options,
                }
            }
            _ => parse_volume_short(scalar_text(item).unwrap_or_default()).map_err(|e| bad(item, &path, e))?,
        };
        // Relative bind sources are relative to the project directory: what the host exposes is
        // the resolved path (`../../../../etc` is `/etc`); `source` stays as written.
        if let Some(host_path) = mount.host_path.as_deref().filter(|p| p.starts_with('.')) {
            mount.host_path = Some(normalize(&self.loader.absolute_project_dir.join(host_path)).display().to_string());
        }
        // A named volume declared as a bind of a host directory exposes that directory.
        if mount.kind == MountKind::Volume && mount.host_path.is_none() {
            if let Some(device) = mount.source.as_deref().and_then(|s| self.bind_devices.get(s)) {
                mount.host_path = Some(device.clone());
            }
        }
        Ok(sourced(mount, item))
    }

    fn device(&self, item: &Node) -> Result<Sourced<Device>> {
        let device = match &item.value {
            Value::Map(_) => {
                let text = |k: &str| item.get(k).and_then(scalar_text).map(str::to_string);
                let Some(host_path) = text("source") else { return Err(bad(item, &self.path("devices"), "a device needs a `source`")) };
                Device { container_path: text("target").unwrap_or_else(|| host_path.clone()), host_path, permissions: text("permissions").unwrap_or_else(|| "rwm".into()) }
            }
            _ => Device::parse(scalar_text(item).unwrap_or_default()).map_err(|e| bad(item, &self.path("devices"), e))?,
        };
        Ok(sourced(device, item))
    }

    /// A `ports:` entry: a number, the short string syntax, or the long mapping.
    fn ports(&self, item: &Node) -> Result<Vec<Sourced<PortMapping>>> {
        let path = self.path("ports");
        match &item.value {
            Value::Map(_) => {
                let text = |k: &str| item.get(k).and_then(scalar_text).map(str::to_string);
                let target_text = text("target").ok_or_else(|| bad(item, &path, "a port needs a `target`"))?;
                let container_port = PortRange::parse(&target_text).map_err(|e| bad(item, &path, e))?;
                let host_port = match text("published").filter(|p| !p.is_empty()) {
                    Some(p) => Some(PortRange::parse(&p).map_err(|e| bad(item, &path, e))?),
                    None => None,
                };
                let protocol = match text("protocol") {
                    Some(p) => Protocol::parse(&p).ok_or_else(|| bad(item, &path, format!("unknown protocol `{p}`")))?,
                    None => Protocol::Tcp,
                };
                let host_ip = text("host_ip").filter(|ip| !ip.is_empty());
                Ok(vec![sourced(PortMapping { host_ip, host_port, container_port, protocol }, item)])
            }
            _ => {
                let text = scalar_text(item).unwrap_or_default();
                Ok(vec![sourced(PortMapping::parse(text).map_err(|e| bad(item, &path, e))?, item)])
            }
        }
    }

    fn resources(&self, service: &Node, spec: &mut ContainerSpec) -> Result<()> {
        let resources = &mut spec.resources;
        let limits = service.get("deploy").and_then(|d| d.get("resources")).and_then(|r| r.get("limits"));
        let reservations = service.get("deploy").and_then(|d| d.get("resources")).and_then(|r| r.get("reservations"));
        let size = |node: Option<&Node>, field: &str| -> Result<Option<Sourced<i64>>> {
            let Some(node) = node else { return Ok(None) };
            match node.as_scalar().map(|s| s.kind) {
                Some(ScalarKind::Int(n)) => Ok(Some(sourced(n, node))),
                Some(ScalarKind::Str) => {
                    let text = scalar_text(node).unwrap_or_default();
                    // memswap_limit: -1 means unlimited swap.
                    let bytes = if text.trim() == "-1" { Ok(-1) } else { parse_ram_bytes(text) };
                    Ok(Some(sourced(bytes.map_err(|e| bad(node, &self.path(field), e))?, node)))
                }
                _ => Ok(None),
            }
        };
        let integer = |node: Option<&Node>, field: &str| -> Result<Option<Sourced<i64>>> {
            let Some(node) = node else { return Ok(None) };
            match node.as_scalar().map(|s| s.kind) {
                Some(ScalarKind::Int(n)) => Ok(Some(sourced(n, node))),
                Some(ScalarKind::Str) => {
                    let text = scalar_text(node).unwrap_or_default();
                    let n = text.trim().parse::<i64>().map_err(|_| bad(node, &self.path(field), format!("`{text}` is not an integer")))?;
                    Ok(Some(sourced(n, node)))
                }
                _ => Ok(None),
            }
        };
        let cpus = |node: Option<&Node>, field: &str| -> Result<Option<Sourced<i64>>> {
            let Some(node) = node else { return Ok(None) };
            let Some(text) = scalar_text(node) else { return Ok(None) };
            Ok(Some(sourced(parse_nano_cpus(text).map_err(|e| bad(node, &self.path(field), e))?, node)))
        };
        resources.memory = size(service.get("mem_limit"), "mem_limit")?.or(size(limits.and_then(|l| l.get("memory")), "deploy.resources.limits.memory")?);
        resources.memory_swap = size(service.get("memswap_limit"), "memswap_limit")?;
        resources.memory_reservation = size(service.get("mem_reservation"), "mem_reservation")?
            .or(size(reservations.and_then(|r| r.get("memory")), "deploy.resources.reservations.memory")?);
        resources.nano_cpus = cpus(service.get("cpus"), "cpus")?.or(cpus(limits.and_then(|l| l.get("cpus")), "deploy.resources.limits.cpus")?);
        resources.cpu_quota = integer(service.get("cpu_quota"), "cpu_quota")?;
        resources.cpu_period = integer(service.get("cpu_period"), "cpu_period")?;
        resources.cpu_shares = integer(service.get("cpu_shares"), "cpu_shares")?;
        resources.cpuset_cpus = sourced_text(service.get("cpuset"));
        resources.pids_limit = integer(service.get("pids_limit"), "pids_limit")?.or(integer(limits.and_then(|l| l.get("pids")), "deploy.resources.limits.pids")?);
        resources.oom_kill_disable = sourced_bool(service.get("oom_kill_disable"));
        resources.oom_score_adj = integer(service.get("oom_score_adj"), "oom_score_adj")?;
        resources.shm_size = size(service.get("shm_size"), "shm_size")?;
        if let Some(entries) = service.get("ulimits").and_then(Node::as_map) {
            for entry in entries {
                let value = &entry.value;
                let number = |n: Option<&Node>| n.and_then(|n| n.as_scalar()).and_then(|s| match s.kind {
                    ScalarKind::Int(i) => Some(i),
                    _ => s.text.trim().parse().ok(),
                });
                let (soft, hard) = match &value.value {
                    Value::Map(_) => (number(value.get("soft")), number(value.get("hard"))),
                    _ => (number(Some(value)), number(Some(value))),
                };
                let (Some(soft), Some(hard)) = (soft, hard) else {
                    return Err(bad(value, &self.path("ulimits"), "expected a number or {soft, hard}"));
                };
                if soft > hard && hard >= 0 {
                    return Err(bad(value, &self.path("ulimits"), format!("soft limit {soft} is above hard limit {hard}")));
                }
                resources.ulimits.push(sourced(Ulimit { name: entry.name().to_string(), soft, hard }, value));
            }
        }
        Ok(())
    }

    fn restart(&mut self, service: &Node) -> Option<Sourced<RestartPolicy>> {
        if let Some(node) = service.get("restart") {
            let text = scalar_text(node)?;
            return match RestartPolicy::parse(text) {
                Ok(policy) => Some(sourced(policy, node)),
                Err(e) => {
                    self.engine_would_refuse(node, "restart", e);
                    None
                }
            };
        }
        let policy = service.get("deploy").and_then(|d| d.get("restart_policy"))?;
        let max_attempts = policy.get("max_attempts").and_then(|n| n.as_scalar()).and_then(|s| match s.kind {
            ScalarKind::Int(i) => u32::try_from(i).ok(),
            _ => None,
        });
        let condition = policy.get("condition");
        let value = match condition.and_then(scalar_text) {
            Some("none") => RestartPolicy::No,
            Some("on-failure") => RestartPolicy::OnFailure { max_retries: max_attempts.filter(|n| *n > 0) },
            // `any` is the default condition.
            _ => RestartPolicy::Always,
        };
        Some(sourced(value, condition.unwrap_or(policy)))
    }

    /// A value `docker compose config` passes through unchecked but the engine refuses when the
    /// container is created: a warning, and the value is left out of the spec.
    fn engine_would_refuse(&mut self, node: &Node, field: &str, message: String) {
        let message = format!("{}: {message} (docker refuses this when it creates the container)", self.path(field));
        self.loader.warnings.push(error_at(&node.at, message));
    }

    fn healthcheck(&self, node: Option<&Node>) -> Result<Option<Sourced<Healthcheck>>> {
        let Some(node) = node else { return Ok(None) };
        if node.as_map().is_none() {
            return Ok(None);
        }
        let mut check = Healthcheck::default();
        if let Some(test) = node.get("test") {
            check.test = match &test.value {
                Value::Seq(items) => items.iter().filter_map(|i| scalar_text(i).map(str::to_string)).collect(),
                _ => match scalar_text(test) {
                    Some("NONE") => vec!["NONE".to_string()],
                    Some(text) => vec!["CMD-SHELL".to_string(), text.to_string()],
                    None => Vec::new(),
                },
            };
        }
        let duration = |field: &str| -> Result<Option<u64>> {
            let Some(value) = node.get(field) else { return Ok(None) };
            let Some(text) = scalar_text(value) else { return Ok(None) };
            parse_go_duration(text).map(Some).map_err(|e| bad(value, &self.path(&format!("healthcheck.{field}")), e))
        };
        check.interval = duration("interval")?;
        check.timeout = duration("timeout")?;
        check.start_period = duration("start_period")?;
        check.start_interval = duration("start_interval")?;
        check.retries = node.get("retries").and_then(|r| r.as_scalar()).and_then(|s| match s.kind {
            ScalarKind::Int(i) => u32::try_from(i).ok(),
            _ => None,
        });
        if node.get("disable").and_then(bool_value) == Some(true) {
            check.test = vec!["NONE".to_string()];
        }
        Ok(Some(sourced(check, node)))
    }

    /// `env_file:` variables, then `environment:` (which wins for the same name). A name without
    /// a value takes the compose process's (or `.env`'s) value, unknown here when unset.
    fn environment(&mut self, service: &Node) -> Result<Vec<Sourced<EnvVar>>> {
        let mut vars: Vec<Sourced<EnvVar>> = Vec::new();
        for item in service.get("env_file").map(string_or_list).unwrap_or_default() {
            let (path_node, required) = match item.as_map() {
                Some(_) => {
                    let required = item.get("required").map(|r| match r.as_scalar().map(|s| s.kind) {
                        Some(ScalarKind::Bool(b)) => b,
                        _ => !matches!(scalar_text(r), Some("false" | "False" | "FALSE")),
                    });
                    (item.get("path"), required.unwrap_or(true))
                }
                None => (Some(item), true),
            };
            let Some(path_node) = path_node else { continue };
            let Some(relative) = scalar_text(path_node) else { continue };
            let Some((path, lines)) = self.loader.read_env_file(relative, path_node, required)? else { continue };
            for line in lines {
                let var = EnvVar {
                    name: line.name,
                    value: line.value,
                    from_variable: line.from_variable,
                    source: EnvSource::EnvFile { path: path.clone() },
                };
                vars.push(Sourced::at(var, Origin::at(path.clone(), line.line, 1)));
            }
        }
        for (name, value, at, interpolated) in service.get("environment").map(list_or_dict).unwrap_or_default() {
            let (value, from_variable) = match value {
                Some(v) => (Some(v), interpolated),
                None => (self.loader.env.get(&name).cloned(), true),
            };
            vars.push(sourced(EnvVar { name, value, from_variable, source: EnvSource::Compose }, at));
        }
        // The last definition of a name is the one the container gets.
        let mut last: HashMap<String, usize> = HashMap::with_capacity(vars.len());
        for (index, var) in vars.iter().enumerate() {
            last.insert(var.name.clone(), index);
        }
        Ok(vars.into_iter().enumerate().filter(|(index, var)| last.get(&var.name) == Some(index)).map(|(_, var)| var).collect())
    }
}

/// `/run:size=64m,mode=1777` -> a tmpfs mount.
fn tmpfs_mount(text: &str) -> Mount {
    let (target, options) = match text.split_once(':') {
        Some((target, options)) => (target, options.split(',').filter(|o| !o.is_empty()).map(KeyValue::parse).collect()),
        None => (text, Vec::new()),
    };
    let read_only = options.iter().any(|o: &KeyValue| o.key == "ro");
    Mount { kind: MountKind::Tmpfs, source: None, host_path: None, target: target.to_string(), read_only, propagation: None, options }
}

/// `secrets:` entry: a name, or `{source, target}` (a relative target lands in /run/secrets).
fn secret_ref(item: &Node) -> Option<SecretRef> {
    let (source, target) = match item.as_map() {
        Some(_) => (item.get("source").and_then(scalar_text)?, item.get("target").and_then(scalar_text)),
        None => (scalar_text(item)?, None),
    };
    let target = match target {
        Some(t) if t.starts_with('/') => t.to_string(),
        Some(t) => format!("/run/secrets/{t}"),
        None => format!("/run/secrets/{source}"),
    };
    Some(SecretRef { source: source.to_string(), target })
}

/// `gpus: all` or a list of device requests -> what `--gpus` would say.
fn gpus(service: &Node) -> Option<Sourced<String>> {
    let node = service.get("gpus")?;
    match &node.value {
        Value::Seq(items) => {
            let ids: Vec<String> = items
                .iter()
                .flat_map(|i| i.get("device_ids").map(string_or_list).unwrap_or_default())
                .filter_map(|d| scalar_text(d).map(str::to_string))
                .collect();
            Some(sourced(if ids.is_empty() { "all".to_string() } else { format!("device={}", ids.join(",")) }, node))
        }
        _ => scalar_text(node).map(|t| sourced(t.to_string(), node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_follow_posix_quoting() {
        assert_eq!(shell_words("a 'b c' \"d \\\"e\\\"\" f\\ g").expect("ok"), ["a", "b c", "d \"e\"", "f g"]);
        assert_eq!(shell_words("  ").expect("ok"), Vec::<String>::new());
        assert_eq!(shell_words("sh -c 'echo $HOME'").expect("ok"), ["sh", "-c", "echo $HOME"]);
        assert!(shell_words("echo 'open").is_err());
    }

    #[test]
    fn tmpfs_options_are_kept() {
        let mount = tmpfs_mount("/run:size=64m,mode=1777");
        assert_eq!(mount.target, "/run");
        assert_eq!(mount.options, vec![KeyValue::new("size", "64m"), KeyValue::new("mode", "1777")]);
    }

    #[test]
    fn secret_targets_default_to_run_secrets() {
        let at = crate::yaml::Pos::new(&std::sync::Arc::from("f"), 1, 1);
        assert_eq!(secret_ref(&Node::str("db", at)).map(|s| s.target), Some("/run/secrets/db".to_string()));
    }
}
