//! What `rampart audit` collects from a Docker host: plain data, so the rules can judge it and a
//! whole audit can be saved (`--save-snapshot`) and replayed offline (`--snapshot`).
//!
//! Unknown is a first-class value here: a fact that could not be collected is `None` (or absent
//! from a list) and a [`CollectorNote`] says why. Rules must treat `None` as "cannot tell", never
//! as "fine".

use crate::ContainerSpec;
use serde::{Deserialize, Serialize};

/// Bumped when a field is renamed, removed or changes meaning; adding a field does not bump it.
pub const SNAPSHOT_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    pub snapshot_version: u32,
    /// Which engine was asked and at which API version.
    pub engine: EngineEndpoint,
    /// `/version` and `/info`; `None` when the engine could not be reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daemon: Option<DaemonFacts>,
    /// The daemon's configuration as far as it could be established (info, daemon.json, command
    /// line, the default bridge's options).
    pub daemon_config: DaemonConfig,
    /// Every container, whatever its state (created and exited ones too).
    pub containers: Vec<ContainerFacts>,
    pub images: Vec<ImageFacts>,
    pub networks: Vec<NetworkFacts>,
    pub volumes: Vec<VolumeFacts>,
    pub host: HostFacts,
    /// `/plugins`: managed plugins and what they may do (`None`: not collected; see the notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugins: Option<Vec<PluginFacts>>,
    /// Swarm settings, services, secrets and configs; only collected on a swarm manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swarm: Option<SwarmFacts>,
    /// What could not be collected, and why.
    pub notes: Vec<CollectorNote>,
}

/// A managed plugin (`docker plugin ls`) and the privileges it was granted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PluginFacts {
    pub name: String,
    pub enabled: bool,
    /// Config.Interface.Types: `docker.authz/1.0`, `docker.volumedriver/1.0`, ...
    pub types: Vec<String>,
    /// What the plugin may do on the host, in words: `host network`, `host PID namespace`,
    /// `all devices`, `capability CAP_SYS_ADMIN`, `mount /`, ...
    pub privileges: Vec<String>,
}

/// A swarm as its manager sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmFacts {
    /// Spec.EncryptionConfig.AutoLockManagers (`None`: /swarm could not be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autolock: Option<bool>,
    /// /info Swarm.Managers and Swarm.Nodes.
    pub managers: u64,
    pub nodes: u64,
    pub services: Vec<ServiceFacts>,
    /// Names of the swarm's secrets and configs (never their values: the API does not give them).
    pub secrets: Vec<String>,
    pub configs: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceFacts {
    pub id: String,
    pub name: String,
    pub image: String,
    /// Spec.TaskTemplate.ContainerSpec.Env, `NAME=value`.
    pub env: Vec<String>,
    /// Names of the swarm secrets the service mounts.
    pub secrets: Vec<String>,
    pub ports: Vec<ServicePort>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServicePort {
    pub target: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<u16>,
    pub protocol: String,
    /// `ingress` (every node, every interface, through the routing mesh) or `host`.
    pub mode: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineEndpoint {
    /// `unix:///var/run/docker.sock`, `tcp://host:2376`, ...
    pub host: String,
    /// Where the host came from: `--host`, `DOCKER_HOST`, `context NAME`, `default`.
    pub chosen_by: String,
    /// The API version the requests were made at (after negotiation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// True when the engine is on this machine (a unix socket), so host facts apply to it.
    pub local: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonFacts {
    pub server_version: String,
    pub api_version: String,
    pub min_api_version: String,
    pub os: String,
    pub kernel_version: String,
    pub operating_system: String,
    pub docker_root_dir: String,
    pub logging_driver: String,
    pub cgroup_driver: String,
    pub cgroup_version: String,
    /// `/info` SecurityOptions as given: `name=seccomp,profile=default`, `name=userns`, ...
    pub security_options: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runc_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containerd_version: Option<String>,
    /// `/info` RuncCommit.ID and ContainerdCommit.ID: a git revision for upstream builds, the
    /// full package version (`1.1.5+ds1-1+deb12u1`) for distribution builds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runc_commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub containerd_commit: Option<String>,
    /// `inactive`, `active`, ...; swarm objects are collected only on managers.
    pub swarm_state: String,
    pub swarm_manager: bool,
}

impl DaemonFacts {
    /// True when `/info` lists the security option `name` (`seccomp`, `apparmor`, `userns`, ...).
    pub fn has_security_option(&self, name: &str) -> bool {
        self.security_options
            .iter()
            .any(|opt| opt.split(',').any(|part| part == format!("name={name}")))
    }
}

/// One daemon setting and where its value was established. `value: None` = unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<T>,
    /// `info`, `daemon.json`, `command line`, `default`, `bridge network options`, or why unknown.
    pub evidence: String,
}

impl<T> Setting<T> {
    pub fn known(value: T, evidence: impl Into<String>) -> Setting<T> {
        Setting { value: Some(value), evidence: evidence.into() }
    }
    pub fn unknown(why: impl Into<String>) -> Setting<T> {
        Setting { value: None, evidence: why.into() }
    }
}

/// The daemon settings the daemon rules judge.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DaemonConfig {
    /// `-H` / `hosts`: every address the daemon listens on.
    pub hosts: Setting<Vec<String>>,
    pub tls_verify: Setting<bool>,
    /// Inter-container communication on the default bridge.
    pub icc: Setting<bool>,
    /// User-namespace remapping on.
    pub userns_remap: Setting<bool>,
    pub authorization_plugins: Setting<Vec<String>>,
    pub live_restore: Setting<bool>,
    pub userland_proxy: Setting<bool>,
    pub no_new_privileges: Setting<bool>,
    pub insecure_registries: Setting<Vec<String>>,
    pub experimental: Setting<bool>,
    /// `--log-level` / daemon.json `log-level` (`debug`, `info`, `warn`, `error`, `fatal`).
    pub log_level: Setting<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerFacts {
    pub id: String,
    pub name: String,
    /// `created`, `running`, `paused`, `restarting`, `exited`, `dead`.
    pub state: String,
    pub image: String,
    pub image_id: String,
    pub spec: ContainerSpec,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageFacts {
    pub id: String,
    pub tags: Vec<String>,
    /// Config.User; empty = root.
    pub user: String,
    /// Config.Healthcheck.Test, empty when the image has none.
    pub healthcheck: Vec<String>,
    /// Config.Env, `NAME=value`.
    pub env: Vec<String>,
    /// `docker history` CreatedBy, oldest layer first.
    pub history: Vec<String>,
    /// The base distribution read from the image's own layers (`rampart audit` reads the
    /// images its containers use); absent when the content was not read (`--no-image-content`,
    /// a failure noted in `notes`, an image no container uses) or has no `/etc/os-release`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_os: Option<crate::BaseOs>,
    /// What was read from the image's layers, kept so a saved snapshot replays the image
    /// content rules offline; absent when the content was not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Box<crate::ImageContent>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkFacts {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub internal: bool,
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VolumeFacts {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
}

/// Facts about the machine the daemon runs on; only collected when the engine is local.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostFacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socket: Option<SocketFacts>,
    /// Members of the `docker` group (`None`: unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_group_members: Option<Vec<String>>,
    /// The dockerd serving this socket: its command line, word by word.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerd_command_line: Option<Vec<String>>,
    /// The daemon.json in force and its path (`None`: none or unreadable; see the notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daemon_json_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daemon_json: Option<String>,
    /// True when there is no daemon.json at that path: the daemon runs on defaults and flags.
    pub daemon_json_missing: bool,
    /// Installed versions of the engine's packages (dpkg: docker.io, docker-ce, runc,
    /// containerd, containerd.io), `(name, version)`; `None` when no package database was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packages: Option<Vec<(String, String)>>,
    /// The engine's files on the host that the CIS benchmark wants root-owned and tight:
    /// systemd units, /etc/docker, daemon.json, TLS material, the containerd socket.
    /// Files that do not exist are not listed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<HostFile>,
    /// True when the data root (`/info` DockerRootDir) is on its own file system, not the one
    /// `/` is on; `None`: not examined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_root_separate: Option<bool>,
    /// `iptables -S DOCKER-USER`, one rule a line (`None`: not read: not root, no iptables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_user_chain: Option<Vec<String>>,
    /// Runtime monitors seen running (falco, tetragon, tracee, sysdig); `None`: could not look.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_monitors: Option<Vec<String>>,
    /// The TCP addresses the dockerd process listens on, from its open sockets in /proc
    /// (`0.0.0.0:2375`, `[::]:2376`): seen even when socket activation or an environment file
    /// hides them from the command line. `None`: not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dockerd_tcp_listeners: Option<Vec<String>>,
    /// The Docker files of CIS 1.1.3-1.1.18 present on the host and whether the audit rules in
    /// /etc/audit watch them. `None`: auditd is not installed or its rules could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_file_audit: Option<Vec<AuditedFile>>,
}

/// A Docker file the CIS benchmark wants audited by auditd.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditedFile {
    pub path: String,
    /// The CIS Docker Benchmark recommendation (`1.1.3`, ...).
    pub cis: String,
    /// True when a `-w` rule (or `-F path=`/`dir=`) covers the path or a directory above it.
    pub watched: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocketFacts {
    pub path: String,
    /// Permission bits, e.g. 0o660.
    pub mode: u32,
    pub owner: String,
    pub group: String,
}

/// One of the engine's files on the host, with its permissions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostFile {
    pub path: String,
    /// `unit`, `directory`, `config`, `tls-cert`, `tls-key`, `socket`.
    pub kind: String,
    /// Permission bits, e.g. 0o644.
    pub mode: u32,
    pub owner: String,
    pub group: String,
}

/// A collector that could not run, or an object that vanished while collecting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CollectorNote {
    /// `host.socket`, `containers`, `container:web`, ...
    pub collector: String,
    pub message: String,
}
