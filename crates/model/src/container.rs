//! `ContainerSpec`: one plain-data description of how a container runs, whatever it came from.
//!
//! Three front ends fill it: a `docker run`/`docker create` command line (crates/runargs), a
//! compose service (the compose loader) and a live container's inspect (the engine collector).
//! The container rules are written once against it.
//!
//! Conventions every front end follows:
//! - Every value a rule may point at is a [`Sourced`]: the value and, when it was read from a
//!   file, its [`Origin`] (file, line, column, and for YAML anchors / `extends` where it was
//!   defined). Live containers have no origins; findings then name [`ContainerSpec::object`].
//! - `None` / empty means "not set here". What that implies depends on [`SpecSource`]: for a
//!   command line or a compose service the image's default applies (unknown here); for a live
//!   container the engine has already merged the image's config, so absence is the real state.
//! - Values are normalised on the way in (see the `parse` functions in this module and
//!   [`syntax`]): capabilities upper-case without `CAP_`, users split into user and group,
//!   `security_opt` typed, every mount syntax turned into one [`Mount`]. Front ends share these
//!   parsers so that the same text means the same thing everywhere.

mod syntax;

use crate::Location;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Deref;

pub use syntax::{parse_go_duration, parse_nano_cpus, parse_ram_bytes, parse_volume_short};

/// A position in a file: where a value was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// The path as the user named it (or as found under a directory).
    pub path: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_column: Option<u32>,
    /// Where the value was defined when it reached this place indirectly: a YAML anchor
    /// (`*default` used here, `&default` written there) or a service pulled in by `extends`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defined_at: Option<Definition>,
}

/// Where a value was originally written (see [`Origin::defined_at`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Definition {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

impl Origin {
    /// A point (no end) in `path`.
    pub fn at(path: impl Into<String>, line: u32, column: u32) -> Origin {
        Origin { path: path.into(), line, column, end_line: None, end_column: None, defined_at: None }
    }

    /// The same origin with an end position.
    pub fn with_end(mut self, end_line: u32, end_column: u32) -> Origin {
        self.end_line = Some(end_line);
        self.end_column = Some(end_column);
        self
    }

    /// The finding location for this origin.
    pub fn location(&self) -> Location {
        Location {
            path: Some(self.path.clone()),
            line: Some(self.line),
            column: Some(self.column),
            end_line: self.end_line,
            end_column: self.end_column,
            object: None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

impl fmt::Display for Definition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.column)
    }
}

/// A value and where it was written (`None` for live containers and built-in defaults).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl<T> Sourced<T> {
    /// A value with no file position (live containers).
    pub fn new(value: T) -> Sourced<T> {
        Sourced { value, origin: None }
    }

    pub fn at(value: T, origin: Origin) -> Sourced<T> {
        Sourced { value, origin: Some(origin) }
    }

    pub fn with_origin(value: T, origin: Option<Origin>) -> Sourced<T> {
        Sourced { value, origin }
    }

    /// The same origin around a different value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sourced<U> {
        Sourced { value: f(self.value), origin: self.origin }
    }
}

impl<T> Deref for Sourced<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Which front end produced a spec, and so what an unset field means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SpecSource {
    /// A `docker run` / `docker create` / `podman run` command line. Unset = image or daemon
    /// default, unknown here.
    #[default]
    RunCommand,
    /// A compose service. Unset = image or daemon default; the network is the project's own
    /// default network, not `docker0`.
    Compose,
    /// A live container's inspect: the image's config (user, healthcheck, env, exposed ports) is
    /// already merged in, so unset really means unset.
    Engine,
}

impl SpecSource {
    /// True when the image's defaults are already part of the spec (live containers).
    pub fn image_defaults_merged(self) -> bool {
        self == SpecSource::Engine
    }
}

/// How one container runs. See the module docs for the conventions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerSpec {
    pub source: SpecSource,
    /// How findings name this container when a value has no file position:
    /// `container:web`, `service:web`, `docker run`.
    pub object: String,
    /// The whole definition: the `docker run` command, the compose service's key. Findings about
    /// something missing (no memory limit) point here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,

    /// `--name`, the compose service's `container_name`, the live container's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Sourced<String>>,
    /// The image reference as written (`nginx:1.27`, `ghcr.io/o/app@sha256:...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Sourced<String>>,
    /// `--entrypoint` / `entrypoint:` / Config.Entrypoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Sourced<Vec<String>>>,
    /// The arguments after the image / `command:` / Config.Cmd.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Sourced<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<Sourced<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<Sourced<String>>,

    // --- privilege ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privileged: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cap_add: Vec<Sourced<Capability>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cap_drop: Vec<Sourced<Capability>>,
    /// `None`: the image's USER (for a live container: the image had none, so root).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Sourced<User>>,
    /// `--group-add` / `group_add:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_add: Vec<Sourced<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_opt: Vec<Sourced<SecurityOpt>>,
    /// Paths masked in the container (live: HostConfig.MaskedPaths; `None` = the runtime's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masked_paths: Option<Sourced<Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readonly_paths: Option<Sourced<Vec<String>>>,
    /// `--runtime` / `runtime:` (`runsc`, `kata`): a sandboxing runtime changes the picture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Sourced<String>>,
    /// `--init`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<Sourced<bool>>,

    // --- namespaces ---
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<Sourced<NetworkMode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<Sourced<NamespaceMode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipc: Option<Sourced<NamespaceMode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uts: Option<Sourced<NamespaceMode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userns: Option<Sourced<NamespaceMode>>,
    /// Live containers on cgroup v1 report `host` by default: the collector leaves this unset
    /// unless the mode differs from the daemon's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroupns: Option<Sourced<NamespaceMode>>,
    /// Networks joined (user-defined networks, with aliases).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<Sourced<NetworkAttachment>>,

    // --- storage ---
    /// Every mount: `-v`, `--mount`, `--tmpfs`, compose `volumes:` and `tmpfs:`, live Mounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Sourced<Mount>>,
    /// `--volumes-from` / `volumes_from:`: every mount of another container.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes_from: Vec<Sourced<String>>,

    // --- devices ---
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<Sourced<Device>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub device_cgroup_rules: Vec<Sourced<DeviceCgroupRule>>,
    /// `--gpus` value (`all`, `device=0,1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpus: Option<Sourced<String>>,

    // --- network exposure ---
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Sourced<PortMapping>>,
    /// `-P` / `--publish-all`: every exposed port on a random host port on all interfaces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_all: Option<Sourced<bool>>,
    /// `--expose` / `expose:` / Config.ExposedPorts (live: includes the image's EXPOSE).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposed_ports: Vec<Sourced<ExposedPort>>,

    // --- limits ---
    pub resources: Resources,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart: Option<Sourced<RestartPolicy>>,

    // --- observability ---
    pub logging: Logging,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Sourced<Healthcheck>>,

    // --- configuration ---
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<Sourced<EnvVar>>,
    /// `--env-file` / `env_file:` paths as written (their variables, when read, are in `env`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env_files: Vec<Sourced<String>>,
    /// Docker/compose secrets mounted into the container (`secrets:` of a service).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Sourced<SecretRef>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sysctls: Vec<Sourced<KeyValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cgroup_parent: Option<Sourced<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Sourced<KeyValue>>,
}

/// A `key=value` pair (labels, sysctls, log options).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

impl KeyValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> KeyValue {
        KeyValue { key: key.into(), value: value.into() }
    }

    /// `key=value` -> (key, value); `key` alone -> (key, "").
    pub fn parse(raw: &str) -> KeyValue {
        match raw.split_once('=') {
            Some((key, value)) => KeyValue::new(key, value),
            None => KeyValue::new(raw, ""),
        }
    }
}

/// A Linux capability, normalised: upper-case, without the `CAP_` prefix; `ALL` for all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Capability(pub String);

impl Capability {
    /// `cap_sys_admin`, `CAP_SYS_ADMIN`, ` sys_admin ` -> `SYS_ADMIN`; `all` -> `ALL`.
    /// `None` for an empty name.
    pub fn parse(raw: &str) -> Option<Capability> {
        let upper = raw.trim().to_ascii_uppercase();
        let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
        (!name.is_empty()).then(|| Capability(name.to_string()))
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    pub fn is_all(&self) -> bool {
        self.0 == "ALL"
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user or group: a number or a name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserId {
    Id(u32),
    Name(String),
}

impl UserId {
    /// All digits -> `Id`; anything else (including numbers too large for a uid) -> `Name`.
    pub fn parse(raw: &str) -> UserId {
        match raw.parse::<u32>() {
            Ok(id) if raw.bytes().all(|b| b.is_ascii_digit()) => UserId::Id(id),
            _ => UserId::Name(raw.to_string()),
        }
    }

    /// `0` or `root`.
    pub fn is_root(&self) -> bool {
        match self {
            UserId::Id(id) => *id == 0,
            UserId::Name(name) => name == "root",
        }
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserId::Id(id) => write!(f, "{id}"),
            UserId::Name(name) => f.write_str(name),
        }
    }
}

/// `--user` / `user:`: `name|uid[:group|gid]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct User {
    /// As written.
    pub raw: String,
    pub user: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<UserId>,
}

impl User {
    /// `None` for an empty string, which means "the image's default".
    pub fn parse(raw: &str) -> Option<User> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        let (user, group) = match trimmed.split_once(':') {
            Some((user, group)) => (user, (!group.is_empty()).then(|| UserId::parse(group))),
            None => (trimmed, None),
        };
        Some(User { raw: raw.to_string(), user: UserId::parse(user), group })
    }

    /// The process runs with uid 0 (`0`, `root`, `0:0`, `root:1000`).
    pub fn is_root(&self) -> bool {
        self.user.is_root()
    }
}

/// One `--security-opt` / `security_opt:` entry, typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SecurityOpt {
    /// `seccomp=unconfined`, `seccomp=/path/profile.json`, or the profile's JSON (what the
    /// Docker CLI sends after reading the file).
    Seccomp { profile: String },
    AppArmor { profile: String },
    /// SELinux: `disable`, `type:spc_t`, `level:s0:c100,c200`, `user:`, `role:`, `nested`.
    Label { value: String },
    NoNewPrivileges { enabled: bool },
    /// `systempaths=unconfined` removes the masked and read-only /proc and /sys paths.
    SystemPaths { value: String },
    Other { key: String, value: String },
}

impl SecurityOpt {
    /// Parses like the Docker CLI and daemon: `key=value`, the legacy `key:value`, and
    /// `no-new-privileges` alone (= true). A missing value or a non-boolean
    /// `no-new-privileges` value is an error.
    pub fn parse(raw: &str) -> Result<SecurityOpt, String> {
        let raw = raw.trim();
        let (key, value) = match raw.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None if raw == "no-new-privileges" => (raw, None),
            None => match raw.split_once(':') {
                Some((k, v)) => (k, Some(v)),
                None => (raw, None),
            },
        };
        if key == "no-new-privileges" {
            let enabled = match value {
                None => true,
                Some(v) => parse_go_bool(v)
                    .ok_or_else(|| format!("invalid --security-opt `{raw}`: no-new-privileges takes true or false"))?,
            };
            return Ok(SecurityOpt::NoNewPrivileges { enabled });
        }
        let value = match value {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => return Err(format!("invalid --security-opt `{raw}`: expected KEY=VALUE")),
        };
        Ok(match key {
            "seccomp" => SecurityOpt::Seccomp { profile: value },
            "apparmor" => SecurityOpt::AppArmor { profile: value },
            "label" => SecurityOpt::Label { value },
            "systempaths" => SecurityOpt::SystemPaths { value },
            _ => SecurityOpt::Other { key: key.to_string(), value },
        })
    }
}

/// Go's `strconv.ParseBool`, which the Docker CLI and daemon use for boolean values.
pub fn parse_go_bool(raw: &str) -> Option<bool> {
    match raw {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// A namespace setting: `pid`, `ipc`, `uts`, `userns`, `cgroupns`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "mode", content = "target", rename_all = "kebab-case")]
pub enum NamespaceMode {
    /// The container's own namespace (`private`, or the empty default).
    Private,
    /// IPC only: own namespace that other containers may join.
    Shareable,
    /// IPC only: no /dev/shm.
    None,
    /// The host's namespace.
    Host,
    /// Another container's namespace: `container:NAME`.
    Container(String),
    /// A compose service's container: `service:NAME`.
    Service(String),
    Other(String),
}

impl NamespaceMode {
    pub fn parse(raw: &str) -> NamespaceMode {
        let raw = raw.trim();
        match raw {
            "" | "private" => NamespaceMode::Private,
            "shareable" => NamespaceMode::Shareable,
            "none" => NamespaceMode::None,
            "host" => NamespaceMode::Host,
            _ => {
                if let Some(name) = raw.strip_prefix("container:") {
                    NamespaceMode::Container(name.to_string())
                } else if let Some(name) = raw.strip_prefix("service:") {
                    NamespaceMode::Service(name.to_string())
                } else {
                    NamespaceMode::Other(raw.to_string())
                }
            }
        }
    }

    pub fn is_host(&self) -> bool {
        *self == NamespaceMode::Host
    }
}

/// The network namespace: `--network` / `network_mode:` / HostConfig.NetworkMode.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "mode", content = "target", rename_all = "kebab-case")]
pub enum NetworkMode {
    /// `default`: the daemon's default, the `bridge` network (docker0).
    Default,
    Bridge,
    Host,
    None,
    Container(String),
    Service(String),
    /// A user-defined network.
    Named(String),
}

impl NetworkMode {
    pub fn parse(raw: &str) -> NetworkMode {
        let raw = raw.trim();
        match raw {
            "" | "default" => NetworkMode::Default,
            "bridge" => NetworkMode::Bridge,
            "host" => NetworkMode::Host,
            "none" => NetworkMode::None,
            _ => {
                if let Some(name) = raw.strip_prefix("container:") {
                    NetworkMode::Container(name.to_string())
                } else if let Some(name) = raw.strip_prefix("service:") {
                    NetworkMode::Service(name.to_string())
                } else {
                    NetworkMode::Named(raw.to_string())
                }
            }
        }
    }
}

/// One network joined, with what the container is known as on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkAttachment {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv4_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_address: Option<String>,
}

/// What a mount is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    /// A host path.
    Bind,
    /// A named or anonymous volume managed by the engine (or a volume driver).
    Volume,
    Tmpfs,
    /// A Windows named pipe (`\\.\pipe\docker_engine`).
    Npipe,
    /// An image mounted read-only (`--mount type=image`).
    Image,
    Cluster,
}

/// Mount propagation (bind mounts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Propagation {
    Private,
    Rprivate,
    Shared,
    Rshared,
    Slave,
    Rslave,
}

impl Propagation {
    pub fn parse(raw: &str) -> Option<Propagation> {
        Some(match raw {
            "private" => Propagation::Private,
            "rprivate" => Propagation::Rprivate,
            "shared" => Propagation::Shared,
            "rshared" => Propagation::Rshared,
            "slave" => Propagation::Slave,
            "rslave" => Propagation::Rslave,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Propagation::Private => "private",
            Propagation::Rprivate => "rprivate",
            Propagation::Shared => "shared",
            Propagation::Rshared => "rshared",
            Propagation::Slave => "slave",
            Propagation::Rslave => "rslave",
        }
    }

    /// Mounts made inside the container propagate back to the host.
    pub fn is_shared(self) -> bool {
        matches!(self, Propagation::Shared | Propagation::Rshared)
    }
}

/// One mount, from any syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mount {
    pub kind: MountKind,
    /// As written: the host path of a bind, the name of a volume (`None` for an anonymous
    /// volume or a tmpfs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The host path this mount exposes to the container: a bind's source, or the `device` of a
    /// local volume created with `o=bind` (compose `driver_opts`). `None` when no host path is
    /// exposed (engine-managed volumes, tmpfs). Relative paths are kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
    /// Path in the container.
    pub target: String,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation: Option<Propagation>,
    /// Other options as written (`z`, `nocopy`, `size=16m`, `mode=1777`, `volume-driver=...`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<KeyValue>,
}

impl Mount {
    /// The exposed host path with trailing slashes and `.` segments removed (`/var/run/` ->
    /// `/var/run`, `/` stays `/`); `None` for relative paths and mounts that expose none.
    pub fn absolute_host_path(&self) -> Option<String> {
        let path = self.host_path.as_deref()?;
        if !path.starts_with('/') {
            return None;
        }
        let mut parts: Vec<&str> = Vec::new();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        Some(format!("/{}", parts.join("/")))
    }
}

/// `--device` / `devices:`: `HOST[:CONTAINER][:PERMISSIONS]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Device {
    /// The host device (or a CDI name such as `nvidia.com/gpu=all`).
    pub host_path: String,
    pub container_path: String,
    /// `rwm` subset.
    pub permissions: String,
}

impl Device {
    /// Parses like the Docker CLI: `/dev/sda`, `/dev/sda:/dev/xvda`, `/dev/sda:rwm`,
    /// `/dev/sda:/dev/xvda:rw`.
    pub fn parse(raw: &str) -> Result<Device, String> {
        let parts: Vec<&str> = raw.split(':').collect();
        let bad = || format!("invalid device `{raw}`: expected HOST[:CONTAINER][:PERMISSIONS]");
        let (host, container, permissions) = match parts.as_slice() {
            [host] => (*host, *host, "rwm"),
            [host, second] if is_device_permissions(second) => (*host, *host, *second),
            [host, container] => (*host, *container, "rwm"),
            [host, container, permissions] if is_device_permissions(permissions) => (*host, *container, *permissions),
            _ => return Err(bad()),
        };
        if host.is_empty() || container.is_empty() {
            return Err(bad());
        }
        Ok(Device { host_path: host.to_string(), container_path: container.to_string(), permissions: permissions.to_string() })
    }
}

fn is_device_permissions(text: &str) -> bool {
    !text.is_empty() && text.len() <= 3 && text.chars().all(|c| matches!(c, 'r' | 'w' | 'm'))
}

/// `--device-cgroup-rule` / `device_cgroup_rules:`: `TYPE MAJOR:MINOR ACCESS`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeviceCgroupRule {
    /// `a` (all), `b` (block) or `c` (character).
    pub kind: char,
    /// `None` for `*`.
    pub major: Option<u32>,
    pub minor: Option<u32>,
    /// `rwm` subset.
    pub access: String,
}

impl DeviceCgroupRule {
    /// Parses the rule syntax the daemon accepts (`c 1:3 mr`, `b *:* rwm`, `a *:* rwm`).
    pub fn parse(raw: &str) -> Result<DeviceCgroupRule, String> {
        let bad = || format!("invalid device cgroup rule `{raw}`: expected `TYPE MAJOR:MINOR ACCESS` such as `c 1:3 rwm`");
        let fields: Vec<&str> = raw.split_whitespace().collect();
        let [kind, numbers, access] = fields.as_slice() else { return Err(bad()) };
        let kind = match *kind {
            "a" => 'a',
            "b" => 'b',
            "c" => 'c',
            _ => return Err(bad()),
        };
        let (major, minor) = numbers.split_once(':').ok_or_else(bad)?;
        let number = |text: &str| -> Result<Option<u32>, String> {
            if text == "*" {
                Ok(None)
            } else {
                text.parse::<u32>().map(Some).map_err(|_| bad())
            }
        };
        if !is_device_permissions(access) {
            return Err(bad());
        }
        Ok(DeviceCgroupRule { kind, major: number(major)?, minor: number(minor)?, access: access.to_string() })
    }

    /// Matches more than one device: type `a`, or a `*` major number.
    pub fn is_wildcard(&self) -> bool {
        self.kind == 'a' || self.major.is_none()
    }
}

impl fmt::Display for DeviceCgroupRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let num = |n: Option<u32>| n.map_or("*".to_string(), |n| n.to_string());
        write!(f, "{} {}:{} {}", self.kind, num(self.major), num(self.minor), self.access)
    }
}

/// A transport protocol of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn parse(raw: &str) -> Option<Protocol> {
        match raw.to_ascii_lowercase().as_str() {
            "tcp" => Some(Protocol::Tcp),
            "udp" => Some(Protocol::Udp),
            "sctp" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }
}

/// A port or an inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRange {
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn single(port: u16) -> PortRange {
        PortRange { start: port, end: port }
    }

    /// `80` or `8000-8010`.
    pub fn parse(raw: &str) -> Result<PortRange, String> {
        let port = |text: &str| text.trim().parse::<u16>().map_err(|_| format!("invalid port `{text}`"));
        let range = match raw.split_once('-') {
            Some((start, end)) => PortRange { start: port(start)?, end: port(end)? },
            None => PortRange::single(port(raw)?),
        };
        if range.start > range.end {
            return Err(format!("invalid port range `{raw}`: start is after end"));
        }
        Ok(range)
    }

    pub fn contains(&self, port: u16) -> bool {
        (self.start..=self.end).contains(&port)
    }

    pub fn len(&self) -> u32 {
        u32::from(self.end - self.start) + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// A published port: `-p [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]`, compose `ports:`,
/// HostConfig.PortBindings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortMapping {
    /// `None`: every interface (the daemon's default `0.0.0.0` and `::`). IPv6 without brackets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_ip: Option<String>,
    /// `None`: a random high port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<PortRange>,
    pub container_port: PortRange,
    #[serde(default)]
    pub protocol: Protocol,
}

impl PortMapping {
    /// Parses the Docker CLI's (and compose's short) syntax: `80`, `8080:80`, `127.0.0.1:8080:80`,
    /// `127.0.0.1::80`, `[::1]:8080:80`, `8000-8010:80-90/udp`.
    pub fn parse(raw: &str) -> Result<PortMapping, String> {
        let text = raw.trim();
        let (spec, protocol) = match text.rsplit_once('/') {
            Some((spec, proto)) => {
                (spec, Protocol::parse(proto).ok_or_else(|| format!("invalid port `{raw}`: unknown protocol `{proto}`"))?)
            }
            None => (text, Protocol::Tcp),
        };
        // The Docker CLI splits on every `:`: the last part is the container port, the one
        // before it the host port, and all the rest (IPv6 addresses contain colons) the IP.
        let parts: Vec<&str> = spec.split(':').collect();
        let (ip, host_port, container_port) = match parts.as_slice() {
            [container] => (String::new(), "", *container),
            [host, container] => (String::new(), *host, *container),
            [ip @ .., host, container] => (ip.join(":"), *host, *container),
            [] => return Err(format!("invalid port `{raw}`")),
        };
        if container_port.is_empty() {
            return Err(format!("invalid port `{raw}`: no container port"));
        }
        let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(&ip);
        let container_port = PortRange::parse(container_port).map_err(|e| format!("invalid port `{raw}`: {e}"))?;
        let host_port = if host_port.is_empty() {
            None
        } else {
            let range = PortRange::parse(host_port).map_err(|e| format!("invalid port `{raw}`: {e}"))?;
            if range.len() != container_port.len() && range.start != range.end && container_port.start != container_port.end {
                return Err(format!("invalid port `{raw}`: host and container ranges differ in size"));
            }
            Some(range)
        };
        if !ip.is_empty() && !is_ip_address(ip) {
            return Err(format!("invalid port `{raw}`: `{ip}` is not an IP address"));
        }
        Ok(PortMapping { host_ip: (!ip.is_empty()).then(|| ip.to_string()), host_port, container_port, protocol })
    }

    /// Reachable on every interface of the host: no IP, `0.0.0.0` or `::`.
    pub fn binds_all_interfaces(&self) -> bool {
        match self.host_ip.as_deref() {
            None => true,
            Some(ip) => ip.parse::<std::net::IpAddr>().is_ok_and(|addr| addr.is_unspecified()),
        }
    }

    /// Bound to a loopback address only.
    pub fn is_loopback(&self) -> bool {
        self.host_ip.as_deref().and_then(|ip| ip.parse::<std::net::IpAddr>().ok()).is_some_and(|addr| addr.is_loopback())
    }
}

fn is_ip_address(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

impl fmt::Display for PortMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host_ip {
            Some(ip) if ip.contains(':') => write!(f, "[{ip}]:")?,
            Some(ip) => write!(f, "{ip}:")?,
            None => {}
        }
        match (&self.host_ip, self.host_port) {
            (_, Some(port)) => write!(f, "{port}:")?,
            (Some(_), None) => f.write_str(":")?,
            (None, None) => {}
        }
        write!(f, "{}/{}", self.container_port, self.protocol.as_str())
    }
}

/// A port the container declares (`--expose`, `expose:`, the image's EXPOSE on live containers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ExposedPort {
    pub port: PortRange,
    #[serde(default)]
    pub protocol: Protocol,
}

impl ExposedPort {
    /// `80`, `80/udp`, `8000-8010`.
    pub fn parse(raw: &str) -> Result<ExposedPort, String> {
        let (port, protocol) = match raw.trim().rsplit_once('/') {
            Some((port, proto)) => (port, Protocol::parse(proto).ok_or_else(|| format!("invalid port `{raw}`: unknown protocol `{proto}`"))?),
            None => (raw.trim(), Protocol::Tcp),
        };
        Ok(ExposedPort { port: PortRange::parse(port)?, protocol })
    }
}

/// Limits. Zero or absent means "no limit" as in the Engine API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resources {
    /// Bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<Sourced<i64>>,
    /// Bytes of memory + swap; -1 unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_swap: Option<Sourced<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<Sourced<i64>>,
    /// `--cpus` in billionths of a CPU (the Engine API's NanoCpus).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<Sourced<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_quota: Option<Sourced<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_period: Option<Sourced<i64>>,
    /// Relative weight (default 1024); not a cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_shares: Option<Sourced<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpuset_cpus: Option<Sourced<String>>,
    /// 0 or -1: unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pids_limit: Option<Sourced<i64>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ulimits: Vec<Sourced<Ulimit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oom_kill_disable: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oom_score_adj: Option<Sourced<i64>>,
    /// Bytes of /dev/shm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shm_size: Option<Sourced<i64>>,
}

impl Resources {
    /// A positive memory limit.
    pub fn has_memory_limit(&self) -> bool {
        self.memory.as_ref().is_some_and(|m| m.value > 0)
    }

    /// A hard CPU cap: `--cpus` or a CFS quota (shares are only a weight under contention).
    pub fn has_cpu_cap(&self) -> bool {
        self.nano_cpus.as_ref().is_some_and(|c| c.value > 0) || self.cpu_quota.as_ref().is_some_and(|q| q.value > 0)
    }

    /// A positive pids limit.
    pub fn has_pids_limit(&self) -> bool {
        self.pids_limit.as_ref().is_some_and(|p| p.value > 0)
    }
}

/// `--ulimit name=soft[:hard]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ulimit {
    pub name: String,
    pub soft: i64,
    pub hard: i64,
}

impl Ulimit {
    pub fn parse(raw: &str) -> Result<Ulimit, String> {
        let bad = || format!("invalid ulimit `{raw}`: expected NAME=SOFT[:HARD]");
        let (name, limits) = raw.split_once('=').ok_or_else(bad)?;
        let number = |text: &str| text.trim().parse::<i64>().map_err(|_| bad());
        let (soft, hard) = match limits.split_once(':') {
            Some((soft, hard)) => (number(soft)?, number(hard)?),
            None => {
                let both = number(limits)?;
                (both, both)
            }
        };
        if name.trim().is_empty() {
            return Err(bad());
        }
        if soft > hard && hard >= 0 {
            return Err(format!("invalid ulimit `{raw}`: soft limit {soft} is above hard limit {hard}"));
        }
        Ok(Ulimit { name: name.trim().to_string(), soft, hard })
    }
}

/// `--restart` / `restart:` / `deploy.restart_policy` / HostConfig.RestartPolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "kebab-case")]
pub enum RestartPolicy {
    No,
    Always,
    UnlessStopped,
    /// `max_retries: None` (or 0 in the API) retries forever.
    OnFailure { max_retries: Option<u32> },
}

impl RestartPolicy {
    /// `no`, `always`, `unless-stopped`, `on-failure[:N]`.
    pub fn parse(raw: &str) -> Result<RestartPolicy, String> {
        let raw = raw.trim();
        let (name, count) = match raw.split_once(':') {
            Some((name, count)) => (name, Some(count)),
            None => (raw, None),
        };
        let policy = match name {
            "" | "no" => RestartPolicy::No,
            "always" => RestartPolicy::Always,
            "unless-stopped" => RestartPolicy::UnlessStopped,
            "on-failure" => {
                let max_retries = match count {
                    None => None,
                    Some(text) => {
                        let n = text.parse::<u32>().map_err(|_| format!("invalid restart policy `{raw}`: `{text}` is not a count"))?;
                        (n > 0).then_some(n)
                    }
                };
                return Ok(RestartPolicy::OnFailure { max_retries });
            }
            _ => return Err(format!("invalid restart policy `{raw}`: expected no, always, unless-stopped or on-failure[:N]")),
        };
        if count.is_some() {
            return Err(format!("invalid restart policy `{raw}`: only on-failure takes a retry count"));
        }
        Ok(policy)
    }
}

impl fmt::Display for RestartPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RestartPolicy::No => f.write_str("no"),
            RestartPolicy::Always => f.write_str("always"),
            RestartPolicy::UnlessStopped => f.write_str("unless-stopped"),
            RestartPolicy::OnFailure { max_retries: None } => f.write_str("on-failure"),
            RestartPolicy::OnFailure { max_retries: Some(n) } => write!(f, "on-failure:{n}"),
        }
    }
}

/// `--log-driver` and `--log-opt`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Logging {
    /// `None`: the daemon's default driver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<Sourced<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Sourced<KeyValue>>,
}

/// A healthcheck. Durations in nanoseconds, as in the Engine API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Healthcheck {
    /// `["CMD", ...]`, `["CMD-SHELL", "..."]`, or `["NONE"]` (disabled). Empty: inherit the
    /// image's test (only timing was changed).
    pub test: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_interval: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
}

impl Healthcheck {
    /// `--no-healthcheck`, `disable: true`, `test: ["NONE"]`.
    pub fn is_disabled(&self) -> bool {
        self.test.first().is_some_and(|t| t == "NONE")
    }
}

/// Where an environment variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum EnvSource {
    /// `-e` / `--env` on a command line.
    Flag,
    /// A line of an env file (`--env-file`, compose `env_file:`); `Sourced::origin` is the line.
    EnvFile { path: String },
    /// A compose service's `environment:`.
    Compose,
    /// The image's ENV (live containers, when the collector can tell).
    Image,
    /// A live container's config, not from the image.
    Engine,
}

/// One environment variable of the container.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    /// `None`: taken from the caller's environment at run time (`-e NAME`, compose `NAME` with
    /// no value), so unknown here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value is (or contains) a reference resolved outside the file: `$VAR` in a shell
    /// script, `${VAR}` interpolated by compose. Not a literal written in the file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_variable: bool,
    pub source: EnvSource,
}

/// A secret mounted into the container (compose `secrets:`, swarm services).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SecretRef {
    /// The secret's name at top level.
    pub source: String,
    /// Where it is mounted (`/run/secrets/<source>` by default).
    pub target: String,
}

impl ContainerSpec {
    /// An empty spec from `source`, named `object` in findings.
    pub fn new(source: SpecSource, object: impl Into<String>) -> ContainerSpec {
        ContainerSpec { source, object: object.into(), ..ContainerSpec::default() }
    }

    /// `--privileged` is on.
    pub fn is_privileged(&self) -> bool {
        flag(&self.privileged)
    }

    pub fn is_read_only(&self) -> bool {
        flag(&self.read_only)
    }

    /// The last seccomp / apparmor / systempaths option (later ones win, as in the daemon).
    pub fn seccomp(&self) -> Option<&Sourced<SecurityOpt>> {
        self.security_opt.iter().rev().find(|o| matches!(o.value, SecurityOpt::Seccomp { .. }))
    }

    pub fn apparmor(&self) -> Option<&Sourced<SecurityOpt>> {
        self.security_opt.iter().rev().find(|o| matches!(o.value, SecurityOpt::AppArmor { .. }))
    }

    pub fn system_paths(&self) -> Option<&Sourced<SecurityOpt>> {
        self.security_opt.iter().rev().find(|o| matches!(o.value, SecurityOpt::SystemPaths { .. }))
    }

    /// Every SELinux `label` option.
    pub fn labels_selinux(&self) -> impl Iterator<Item = &Sourced<SecurityOpt>> {
        self.security_opt.iter().filter(|o| matches!(o.value, SecurityOpt::Label { .. }))
    }

    /// The effective `no-new-privileges` setting, when one is given.
    pub fn no_new_privileges(&self) -> Option<&Sourced<SecurityOpt>> {
        self.security_opt.iter().rev().find(|o| matches!(o.value, SecurityOpt::NoNewPrivileges { .. }))
    }

    /// True when `cap_drop` contains `ALL`.
    pub fn drops_all_capabilities(&self) -> bool {
        self.cap_drop.iter().any(|c| c.is_all())
    }

    /// Bind mounts (and bind-backed volumes) with the absolute host path they expose.
    pub fn host_mounts(&self) -> impl Iterator<Item = (&Sourced<Mount>, String)> {
        self.mounts.iter().filter_map(|m| m.absolute_host_path().map(|path| (m, path)))
    }
}

/// The value of an optional boolean setting, `false` when unset.
pub fn flag(setting: &Option<Sourced<bool>>) -> bool {
    setting.as_ref().is_some_and(|s| s.value)
}

#[cfg(test)]
mod tests;
