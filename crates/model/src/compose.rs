//! A loaded compose project: every service as a [`ContainerSpec`] plus the project-level facts
//! (networks and whether they are internal, volumes, secrets, configs) that compose-level rules
//! read. Filled by the compose loader (crates/compose); plain data, no I/O.

use crate::{ContainerSpec, Origin, Sourced};
use serde::{Deserialize, Serialize};

/// One compose project, after `-f` files, overrides, `extends` and interpolation are applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeProject {
    /// The top-level `name:` when given (compose otherwise names the project after its directory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Sourced<String>>,
    /// The compose files merged, in order (the first one is the project's main file).
    pub files: Vec<String>,
    /// In the order of first definition.
    pub services: Vec<ComposeService>,
    /// Top-level `networks:`, plus `default` when a service uses it without it being declared.
    pub networks: Vec<ComposeNetwork>,
    pub volumes: Vec<ComposeVolume>,
    pub secrets: Vec<ComposeResource>,
    pub configs: Vec<ComposeResource>,
}

/// A service of the project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeService {
    /// The service's key under `services:`.
    pub name: String,
    /// `profiles:`: a service with profiles only starts when one of them is enabled; it is still
    /// analysed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Sourced<String>>,
    /// `build:` is set: the image is built from a Dockerfile rather than only pulled.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub builds: bool,
    /// The service it `extends`, when it does (`file#service` for another file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<Sourced<String>>,
    pub spec: ContainerSpec,
}

impl ComposeService {
    /// Only started when a profile is enabled.
    pub fn has_profiles(&self) -> bool {
        !self.profiles.is_empty()
    }
}

/// A top-level network (`networks.<name>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeNetwork {
    /// The key under `networks:` (what services name).
    pub name: String,
    /// The key's position; `None` for the implicit `default` network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// `name:`: the engine-level name when it differs from the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub real_name: Option<Sourced<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<Sourced<String>>,
    /// `internal: true`: no route to the outside world.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal: Option<Sourced<bool>>,
    /// `external: true`: created outside this project; its settings are not known here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachable: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_ipv6: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub driver_opts: Vec<Sourced<crate::KeyValue>>,
}

impl ComposeNetwork {
    pub fn is_internal(&self) -> bool {
        crate::flag(&self.internal)
    }

    pub fn is_external(&self) -> bool {
        crate::flag(&self.external)
    }
}

/// A top-level volume (`volumes.<name>`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComposeVolume {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver: Option<Sourced<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external: Option<Sourced<bool>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub driver_opts: Vec<Sourced<crate::KeyValue>>,
    /// The host directory a local volume binds (`driver_opts: {type: none, o: bind, device: /x}`);
    /// service mounts of this volume carry it as their `host_path` too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_device: Option<Sourced<String>>,
}

/// A top-level secret or config (`secrets.<name>`, `configs.<name>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComposeResource {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    pub source: Sourced<ResourceSource>,
}

/// Where a secret's or config's content comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", content = "value", rename_all = "kebab-case")]
pub enum ResourceSource {
    /// `file:` a path on the host (as written).
    File(String),
    /// `environment:` the value of a variable of the compose process.
    Environment(String),
    /// `content:` inline text (configs only).
    Content(String),
    /// `external: true` (with the external `name:` when given).
    External(Option<String>),
    /// None of the above was given.
    Unspecified,
}

impl ComposeProject {
    pub fn service(&self, name: &str) -> Option<&ComposeService> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn network(&self, name: &str) -> Option<&ComposeNetwork> {
        self.networks.iter().find(|n| n.name == name)
    }

    pub fn volume(&self, name: &str) -> Option<&ComposeVolume> {
        self.volumes.iter().find(|v| v.name == name)
    }

    pub fn secret(&self, name: &str) -> Option<&ComposeResource> {
        self.secrets.iter().find(|s| s.name == name)
    }

    /// The project networks `service` joins (by key). A service with `network_mode` joins none;
    /// one without `networks:` joins `default` (the loader writes that attachment out).
    pub fn networks_of<'a>(&'a self, service: &'a ComposeService) -> impl Iterator<Item = &'a ComposeNetwork> + 'a {
        service.spec.networks.iter().filter_map(|attachment| self.network(&attachment.name))
    }
}
