//! A live container's inspect (`GET /containers/{id}/json`, the same JSON `docker inspect`
//! prints) turned into a [`ContainerSpec`], following docs/container-model.md: `source: Engine`,
//! `object: container:<name>`, no origins; API zeros mean "no limit"; the daemon's defaults are
//! folded in where they apply to the container.
//!
//! Reads the JSON generically rather than through typed models: an unexpected field or value
//! from a newer (or older) engine leaves that one setting unknown instead of failing the audit.

use rampart_model::{
    Capability, ContainerSpec, Device, DeviceCgroupRule, EnvSource, EnvVar, ExposedPort, Healthcheck, KeyValue, Mount,
    MountKind, NamespaceMode, NetworkAttachment, NetworkMode, PortMapping, PortRange, Propagation, Protocol,
    RestartPolicy, SecurityOpt, Sourced, SpecSource, Ulimit, User,
};
use serde_json::Value;

/// Daemon-wide settings that change what a container really gets.
#[derive(Debug, Clone, Default)]
pub struct DaemonDefaults {
    /// `no-new-privileges: true` in daemon.json (or `--no-new-privileges`).
    pub no_new_privileges: bool,
    /// `/info` CgroupVersion: `1` puts every container in the host's cgroup namespace by
    /// default, `2` gives each a private one.
    pub cgroup_version: String,
}

/// Converts one container inspect object (not the array `docker inspect` prints around it).
pub fn container_spec(inspect: &Value, defaults: &DaemonDefaults) -> ContainerSpec {
    let host = inspect.get("HostConfig").unwrap_or(&Value::Null);
    let config = inspect.get("Config").unwrap_or(&Value::Null);
    let name = str_at(inspect, "/Name").map(|n| n.trim_start_matches('/').to_string()).unwrap_or_default();
    let mut spec = ContainerSpec::new(SpecSource::Engine, format!("container:{name}"));
    spec.name = (!name.is_empty()).then(|| Sourced::new(name.clone()));
    spec.image = str_at(config, "/Image").map(|s| Sourced::new(s.to_string()));
    spec.entrypoint = non_empty(strings(config, "/Entrypoint")).map(Sourced::new);
    spec.command = non_empty(strings(config, "/Cmd")).map(Sourced::new);
    spec.hostname = str_at(config, "/Hostname").map(|s| Sourced::new(s.to_string()));
    spec.working_dir = str_at(config, "/WorkingDir").map(|s| Sourced::new(s.to_string()));

    spec.privileged = bool_at(host, "/Privileged").map(Sourced::new);
    spec.cap_add = strings(host, "/CapAdd").iter().filter_map(|c| Capability::parse(c)).map(Sourced::new).collect();
    spec.cap_drop = strings(host, "/CapDrop").iter().filter_map(|c| Capability::parse(c)).map(Sourced::new).collect();
    // An empty Config.User is the image's default, which the engine already merged in: root.
    spec.user = str_at(config, "/User").and_then(User::parse).map(Sourced::new);
    spec.group_add = strings(host, "/GroupAdd").into_iter().map(Sourced::new).collect();
    spec.read_only = bool_at(host, "/ReadonlyRootfs").map(Sourced::new);
    spec.security_opt = security_options(inspect, host, defaults);
    spec.masked_paths = host.get("MaskedPaths").and_then(Value::as_array).map(|_| Sourced::new(strings(host, "/MaskedPaths")));
    spec.readonly_paths =
        host.get("ReadonlyPaths").and_then(Value::as_array).map(|_| Sourced::new(strings(host, "/ReadonlyPaths")));
    spec.runtime = str_at(host, "/Runtime").map(|s| Sourced::new(s.to_string()));
    spec.init = bool_at(host, "/Init").map(Sourced::new);

    spec.network_mode = str_at(host, "/NetworkMode").map(|m| Sourced::new(NetworkMode::parse(m)));
    spec.pid = namespace(host, "/PidMode");
    spec.ipc = namespace(host, "/IpcMode");
    spec.uts = namespace(host, "/UTSMode");
    spec.userns = namespace(host, "/UsernsMode");
    let default_cgroupns = if defaults.cgroup_version == "2" { "private" } else { "host" };
    spec.cgroupns = str_at(host, "/CgroupnsMode")
        .filter(|mode| *mode != default_cgroupns)
        .map(|mode| Sourced::new(NamespaceMode::parse(mode)));
    if let Some(networks) = inspect.pointer("/NetworkSettings/Networks").and_then(Value::as_object) {
        spec.networks = networks
            .iter()
            .map(|(name, endpoint)| {
                Sourced::new(NetworkAttachment {
                    name: name.clone(),
                    aliases: strings(endpoint, "/Aliases"),
                    ipv4_address: str_at(endpoint, "/IPAMConfig/IPv4Address").map(str::to_string),
                    ipv6_address: str_at(endpoint, "/IPAMConfig/IPv6Address").map(str::to_string),
                })
            })
            .collect();
    }

    spec.mounts = mounts(inspect, host);
    spec.volumes_from = strings(host, "/VolumesFrom").into_iter().map(Sourced::new).collect();
    spec.devices = host
        .get("Devices")
        .and_then(Value::as_array)
        .map(|devices| {
            devices
                .iter()
                .filter_map(|d| {
                    Some(Sourced::new(Device {
                        host_path: str_at(d, "/PathOnHost")?.to_string(),
                        container_path: str_at(d, "/PathInContainer").unwrap_or_default().to_string(),
                        permissions: str_at(d, "/CgroupPermissions").unwrap_or("rwm").to_string(),
                    }))
                })
                .collect()
        })
        .unwrap_or_default();
    spec.device_cgroup_rules = strings(host, "/DeviceCgroupRules")
        .iter()
        .filter_map(|rule| DeviceCgroupRule::parse(rule).ok())
        .map(Sourced::new)
        .collect();

    spec.ports = ports(inspect, host);
    spec.publish_all = bool_at(host, "/PublishAllPorts").map(Sourced::new);
    spec.exposed_ports = object_keys(config, "/ExposedPorts")
        .iter()
        .filter_map(|key| ExposedPort::parse(key).ok())
        .map(Sourced::new)
        .collect();

    let resources = &mut spec.resources;
    resources.memory = limit(host, "/Memory");
    resources.memory_swap = limit(host, "/MemorySwap");
    resources.memory_reservation = limit(host, "/MemoryReservation");
    resources.nano_cpus = limit(host, "/NanoCpus");
    resources.cpu_quota = limit(host, "/CpuQuota");
    resources.cpu_period = limit(host, "/CpuPeriod");
    resources.cpu_shares = limit(host, "/CpuShares");
    resources.cpuset_cpus = str_at(host, "/CpusetCpus").map(|s| Sourced::new(s.to_string()));
    resources.pids_limit = limit(host, "/PidsLimit");
    resources.ulimits = host
        .get("Ulimits")
        .and_then(Value::as_array)
        .map(|ulimits| {
            ulimits
                .iter()
                .filter_map(|u| {
                    Some(Sourced::new(Ulimit {
                        name: str_at(u, "/Name")?.to_string(),
                        soft: u.get("Soft")?.as_i64()?,
                        hard: u.get("Hard")?.as_i64()?,
                    }))
                })
                .collect()
        })
        .unwrap_or_default();
    resources.oom_kill_disable = bool_at(host, "/OomKillDisable").map(Sourced::new);
    resources.oom_score_adj = limit(host, "/OomScoreAdj");
    resources.shm_size = limit(host, "/ShmSize");

    spec.restart = restart_policy(host).map(Sourced::new);
    spec.logging.driver = str_at(host, "/LogConfig/Type").map(|s| Sourced::new(s.to_string()));
    spec.logging.options = string_map(host, "/LogConfig/Config").into_iter().map(Sourced::new).collect();
    spec.healthcheck = config.get("Healthcheck").filter(|h| h.is_object()).map(|h| {
        let nanos = |key: &str| h.get(key).and_then(Value::as_u64).filter(|&n| n > 0);
        Sourced::new(Healthcheck {
            test: strings(h, "/Test"),
            interval: nanos("Interval"),
            timeout: nanos("Timeout"),
            start_period: nanos("StartPeriod"),
            start_interval: nanos("StartInterval"),
            retries: h.get("Retries").and_then(Value::as_u64).and_then(|r| u32::try_from(r).ok()).filter(|&r| r > 0),
        })
    });
    spec.env = strings(config, "/Env")
        .into_iter()
        .map(|entry| {
            let (name, value) = match entry.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (entry, None),
            };
            Sourced::new(EnvVar { name, value, from_variable: false, source: EnvSource::Engine })
        })
        .collect();
    spec.sysctls = string_map(host, "/Sysctls").into_iter().map(Sourced::new).collect();
    spec.cgroup_parent = str_at(host, "/CgroupParent").map(|s| Sourced::new(s.to_string()));
    spec.labels = string_map(config, "/Labels").into_iter().map(Sourced::new).collect();
    spec
}

fn security_options(inspect: &Value, host: &Value, defaults: &DaemonDefaults) -> Vec<Sourced<SecurityOpt>> {
    let mut options: Vec<SecurityOpt> =
        strings(host, "/SecurityOpt").iter().filter_map(|raw| SecurityOpt::parse(raw).ok()).collect();
    // "No AppArmor on this host" is a host fact; only an explicit unconfined profile is the
    // container's own choice.
    let has_apparmor = options.iter().any(|o| matches!(o, SecurityOpt::AppArmor { .. }));
    if str_at(inspect, "/AppArmorProfile") == Some("unconfined") && !has_apparmor {
        options.push(SecurityOpt::AppArmor { profile: "unconfined".into() });
    }
    let has_no_new_privileges = options.iter().any(|o| matches!(o, SecurityOpt::NoNewPrivileges { .. }));
    if defaults.no_new_privileges && !has_no_new_privileges {
        options.push(SecurityOpt::NoNewPrivileges { enabled: true });
    }
    options.into_iter().map(Sourced::new).collect()
}

/// The real mounts (`Mounts`: binds and volumes as the engine set them up) and `--tmpfs` ones.
fn mounts(inspect: &Value, host: &Value) -> Vec<Sourced<Mount>> {
    let mut mounts = Vec::new();
    for m in inspect.get("Mounts").and_then(Value::as_array).into_iter().flatten() {
        let kind = match str_at(m, "/Type").unwrap_or_default() {
            "bind" => MountKind::Bind,
            "volume" => MountKind::Volume,
            "tmpfs" => MountKind::Tmpfs,
            "npipe" => MountKind::Npipe,
            "image" => MountKind::Image,
            "cluster" => MountKind::Cluster,
            _ => continue,
        };
        let host_source = str_at(m, "/Source").map(str::to_string);
        let (source, host_path) = match kind {
            MountKind::Bind => (host_source.clone(), host_source),
            _ => (str_at(m, "/Name").map(str::to_string), None),
        };
        mounts.push(Sourced::new(Mount {
            kind,
            source,
            host_path,
            target: str_at(m, "/Destination").unwrap_or_default().to_string(),
            read_only: m.get("RW").and_then(Value::as_bool).map(|rw| !rw).unwrap_or(false),
            propagation: str_at(m, "/Propagation").and_then(Propagation::parse),
            options: Vec::new(),
        }));
    }
    if let Some(tmpfs) = host.get("Tmpfs").and_then(Value::as_object) {
        for (target, options) in tmpfs {
            mounts.push(Sourced::new(Mount {
                kind: MountKind::Tmpfs,
                source: None,
                host_path: None,
                target: target.clone(),
                read_only: false,
                propagation: None,
                options: options.as_str().unwrap_or_default().split(',').filter(|o| !o.is_empty()).map(KeyValue::parse).collect(),
            }));
        }
    }
    mounts
}

/// Published ports: the bindings in force (`NetworkSettings.Ports`, which include `-P`'s random
/// ports) for a running container, else what was asked (`HostConfig.PortBindings`) for a
/// created or exited one.
fn ports(inspect: &Value, host: &Value) -> Vec<Sourced<PortMapping>> {
    let live = bindings(inspect.pointer("/NetworkSettings/Ports"));
    let mappings = if live.is_empty() { bindings(host.get("PortBindings")) } else { live };
    mappings.into_iter().map(Sourced::new).collect()
}

fn bindings(map: Option<&Value>) -> Vec<PortMapping> {
    let mut found: Vec<PortMapping> = Vec::new();
    for (key, list) in map.and_then(Value::as_object).into_iter().flatten() {
        let (port, protocol) = key.split_once('/').unwrap_or((key.as_str(), "tcp"));
        let (Ok(container_port), Some(protocol)) = (PortRange::parse(port), Protocol::parse(protocol)) else { continue };
        for binding in list.as_array().into_iter().flatten() {
            let host_ip = str_at(binding, "/HostIp").map(str::to_string);
            let host_port = str_at(binding, "/HostPort").and_then(|p| PortRange::parse(p).ok());
            let mapping = PortMapping { host_ip, host_port, container_port, protocol };
            // A port published on every interface shows up twice, for 0.0.0.0 and for `::`:
            // one mapping with no IP (every interface) says it once.
            let twin = found.iter().position(|other| {
                other.host_port == mapping.host_port
                    && other.container_port == mapping.container_port
                    && other.protocol == mapping.protocol
                    && other.binds_all_interfaces()
                    && mapping.binds_all_interfaces()
                    && other.host_ip != mapping.host_ip
            });
            match twin {
                Some(index) => found[index].host_ip = None,
                None if !found.contains(&mapping) => found.push(mapping),
                None => {}
            }
        }
    }
    found
}

fn restart_policy(host: &Value) -> Option<RestartPolicy> {
    let name = str_at(host, "/RestartPolicy/Name")?;
    let retries = host.pointer("/RestartPolicy/MaximumRetryCount").and_then(Value::as_u64).unwrap_or(0);
    let text = if name == "on-failure" && retries > 0 { format!("on-failure:{retries}") } else { name.to_string() };
    RestartPolicy::parse(&text).ok()
}

fn namespace(host: &Value, pointer: &str) -> Option<Sourced<NamespaceMode>> {
    str_at(host, pointer).map(|mode| Sourced::new(NamespaceMode::parse(mode)))
}

/// A numeric limit where the API's 0 (and -1 for PidsLimit) means "none".
fn limit(host: &Value, pointer: &str) -> Option<Sourced<i64>> {
    host.pointer(pointer).and_then(Value::as_i64).filter(|&n| n != 0 && !(pointer == "/PidsLimit" && n < 0)).map(Sourced::new)
}

/// A non-empty string at `pointer`.
fn str_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn bool_at(value: &Value, pointer: &str) -> Option<bool> {
    value.pointer(pointer).and_then(Value::as_bool)
}

fn strings(value: &Value, pointer: &str) -> Vec<String> {
    crate::collect::strings(value, pointer)
}

fn non_empty(items: Vec<String>) -> Option<Vec<String>> {
    (!items.is_empty()).then_some(items)
}

fn object_keys(value: &Value, pointer: &str) -> Vec<String> {
    value.pointer(pointer).and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

fn string_map(value: &Value, pointer: &str) -> Vec<KeyValue> {
    let mut pairs: Vec<KeyValue> = value
        .pointer(pointer)
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| KeyValue::new(k.clone(), v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default();
    pairs.sort_by(|a, b| a.key.cmp(&b.key));
    pairs
}
