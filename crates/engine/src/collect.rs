//! Collecting a [`Snapshot`]: the API calls run concurrently (bounded), each under a timeout.

use crate::connect::{self, choose_api_version, parse_api_version, Endpoint};
use crate::{convert, daemon_config, host, EngineError};
use bollard::query_parameters::{ListContainersOptions, ListImagesOptions, ListNetworksOptions, ListVolumesOptions};
use rampart_model::{
    CollectorNote, ContainerFacts, DaemonFacts, EngineEndpoint, ImageFacts, NetworkFacts, PluginFacts, ServiceFacts, ServicePort,
    Snapshot, SwarmFacts, VolumeFacts, SNAPSHOT_VERSION,
};
use serde_json::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Requests in flight at once over an ssh tunnel (each image job makes two).
const SSH_CONCURRENCY: usize = 3;

#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub endpoint: Endpoint,
    /// For every single request.
    pub timeout: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl CollectOptions {
    pub fn new(endpoint: Endpoint) -> CollectOptions {
        CollectOptions { endpoint, timeout: Duration::from_secs(10), concurrency: 16 }
    }
}

/// Connects, negotiates the API version and collects everything. An error only when nothing
/// could be read from the engine (not reachable, not a Docker daemon, no common API version);
/// parts that fail later become notes.
pub fn collect(options: &CollectOptions) -> Result<Snapshot, EngineError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| EngineError::Config(format!("cannot start the I/O runtime: {e}")))?;
    runtime.block_on(collect_async(options))
}

/// One engine call under the timeout, errors turned into [`EngineError`]s naming the host.
#[derive(Clone)]
struct Caller {
    host: String,
    timeout: Duration,
}

impl Caller {
    async fn call<T>(&self, what: &str, future: impl Future<Output = Result<T, bollard::errors::Error>>) -> Result<T, EngineError> {
        // bollard applies the same timeout per request; this outer one also bounds connecting
        // and reading a body that trickles in.
        match tokio::time::timeout(self.timeout + Duration::from_millis(500), future).await {
            Err(_) => Err(EngineError::Timeout { host: self.host.clone(), seconds: self.timeout.as_secs() }),
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(self.describe(what, error)),
        }
    }

    fn describe(&self, what: &str, error: bollard::errors::Error) -> EngineError {
        use bollard::errors::Error as B;
        match error {
            B::RequestTimeoutError => EngineError::Timeout { host: self.host.clone(), seconds: self.timeout.as_secs() },
            B::DockerResponseServerError { status_code, message } => {
                EngineError::Api { host: self.host.clone(), message: format!("{what}: HTTP {status_code}: {message}") }
            }
            other => {
                // Connection errors hide the useful part (permission denied, refused) in sources.
                let mut message = other.to_string();
                let mut source = std::error::Error::source(&other);
                while let Some(inner) = source {
                    let text = inner.to_string();
                    if !message.contains(&text) {
                        message.push_str(": ");
                        message.push_str(&text);
                    }
                    source = inner.source();
                }
                if matches!(other, B::JsonDataError { .. } | B::JsonSerdeError { .. }) {
                    EngineError::Api { host: self.host.clone(), message: format!("{what}: unexpected reply: {message}") }
                } else {
                    EngineError::Connect { host: self.host.clone(), message }
                }
            }
        }
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

async fn collect_async(options: &CollectOptions) -> Result<Snapshot, EngineError> {
    let endpoint = &options.endpoint;
    let caller = Caller { host: endpoint.host.clone(), timeout: options.timeout };
    // The tunnel (ssh:// engines) lives as long as this function: every request goes through it.
    let (docker, tunnel) = connect::open(endpoint, options.timeout)?;

    // Unversioned on purpose: /version is how the version is learnt.
    let version =
        caller.call("/version", docker.version()).await.map_err(|e| connect::explain_tls(connect::explain(e, tunnel.as_ref()), endpoint))?;
    let server_api = version.api_version.as_deref().and_then(parse_api_version).ok_or_else(|| EngineError::Api {
        host: endpoint.host.clone(),
        message: format!("/version has no usable ApiVersion ({:?}): is this a Docker daemon?", version.api_version),
    })?;
    let server_min = version.min_api_version.as_deref().and_then(parse_api_version);
    let api = choose_api_version(server_api, server_min)
        .map_err(|message| EngineError::Api { host: endpoint.host.clone(), message })?;
    let docker = connect::versioned(docker, api);

    let mut snapshot = Snapshot {
        snapshot_version: SNAPSHOT_VERSION,
        engine: EngineEndpoint {
            host: endpoint.host.clone(),
            chosen_by: endpoint.chosen_by.clone(),
            api_version: Some(format!("{}.{}", api.0, api.1)),
            local: endpoint.host.starts_with("unix://"),
        },
        ..Snapshot::default()
    };
    let notes = &mut snapshot.notes;

    let all_containers = ListContainersOptions { all: true, ..Default::default() };
    let (info, containers, images, networks, volumes) = tokio::join!(
        caller.call("/info", docker.info()),
        caller.call("/containers/json", docker.list_containers(Some(all_containers))),
        caller.call("/images/json", docker.list_images(Some(ListImagesOptions::default()))),
        caller.call("/networks", docker.list_networks(Some(ListNetworksOptions::default()))),
        caller.call("/volumes", docker.list_volumes(Some(ListVolumesOptions::default()))),
    );

    let info = match info {
        Ok(info) => Some(to_value(&info)),
        Err(e) => {
            notes.push(note("daemon.info", e.to_string()));
            None
        }
    };
    snapshot.daemon = Some(daemon_facts(&to_value(&version), info.as_ref()));

    // Plugins on every engine; swarm objects only where they can be read: on a manager.
    let swarm_manager = snapshot.daemon.as_ref().is_some_and(|d| d.swarm_manager);
    let (plugins, swarm) = tokio::join!(caller.call("/plugins", docker.list_plugins(None)), async {
        if swarm_manager {
            Some(collect_swarm(&docker, &caller, info.as_ref()).await)
        } else {
            None
        }
    });
    match plugins {
        Ok(list) => snapshot.plugins = Some(list.iter().map(|p| plugin_facts(&to_value(p))).collect()),
        Err(e) => notes.push(note("plugins", e.to_string())),
    }
    if let Some((swarm, swarm_notes)) = swarm {
        snapshot.swarm = Some(swarm);
        notes.extend(swarm_notes);
    }

    // Over ssh every connection is an ssh login: stay well under sshd's MaxStartups (10).
    let concurrency = if tunnel.is_some() { options.concurrency.min(SSH_CONCURRENCY) } else { options.concurrency };
    let limit = Arc::new(Semaphore::new(concurrency.max(1)));

    // Every container, inspected concurrently; one removed since the list is skipped with a note.
    let mut inspects = tokio::task::JoinSet::new();
    match containers {
        Ok(list) => {
            for summary in list {
                let Some(id) = summary.id.clone() else { continue };
                let (docker, caller, limit) = (docker.clone(), caller.clone(), limit.clone());
                inspects.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    let result = caller.call("container inspect", docker.inspect_container(&id, None)).await;
                    (id, result.map(|inspect| to_value(&inspect)))
                });
            }
        }
        Err(e) => notes.push(note("containers", e.to_string())),
    }

    let mut image_jobs = tokio::task::JoinSet::new();
    match images {
        Ok(list) => {
            for summary in list {
                let id = summary.id.clone();
                // Sorted, so the tag findings name an image by does not depend on the API's order.
                let mut tags = summary.repo_tags.clone();
                tags.sort();
                let (docker, caller, limit) = (docker.clone(), caller.clone(), limit.clone());
                image_jobs.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    let (inspect, history) = tokio::join!(
                        caller.call("image inspect", docker.inspect_image(&id)),
                        caller.call("image history", docker.image_history(&id)),
                    );
                    (id, tags, inspect.map(|i| to_value(&i)), history.map(|h| to_value(&h)))
                });
            }
        }
        Err(e) => notes.push(note("images", e.to_string())),
    }

    match networks {
        Ok(list) => snapshot.networks = list.iter().map(|n| network_facts(&to_value(n))).collect(),
        Err(e) => notes.push(note("networks", e.to_string())),
    }
    match volumes {
        Ok(list) => {
            let value = to_value(&list);
            snapshot.volumes = value
                .get("Volumes")
                .and_then(Value::as_array)
                .map(|vols| {
                    vols.iter()
                        .map(|v| VolumeFacts {
                            name: text(v, "/Name"),
                            driver: text(v, "/Driver"),
                            mountpoint: text(v, "/Mountpoint"),
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        Err(e) => notes.push(note("volumes", e.to_string())),
    }

    let mut raw_containers = Vec::new();
    while let Some(joined) = inspects.join_next().await {
        match joined {
            Ok((_, Ok(inspect))) => raw_containers.push(inspect),
            Ok((id, Err(EngineError::Api { message, .. }))) if message.contains("HTTP 404") => {
                notes.push(note(&format!("container {}", short_id(&id)), "removed while the audit ran; skipped".into()))
            }
            Ok((id, Err(e))) => notes.push(note(&format!("container {}", short_id(&id)), e.to_string())),
            Err(e) => notes.push(note("containers", format!("inspect task failed: {e}"))),
        }
    }
    while let Some(joined) = image_jobs.join_next().await {
        match joined {
            Ok((id, tags, inspect, history)) => {
                let mut facts = ImageFacts { id: id.clone(), tags, ..ImageFacts::default() };
                match inspect {
                    Ok(inspect) => {
                        facts.user = text(&inspect, "/Config/User");
                        facts.healthcheck = strings(&inspect, "/Config/Healthcheck/Test");
                        facts.env = strings(&inspect, "/Config/Env");
                    }
                    Err(e) => notes.push(note(&format!("image {}", short_id(&id)), e.to_string())),
                }
                match history {
                    // The API lists the newest layer first.
                    Ok(history) => {
                        facts.history = history
                            .as_array()
                            .map(|layers| layers.iter().rev().map(|l| text(l, "/CreatedBy")).collect())
                            .unwrap_or_default()
                    }
                    Err(e) => notes.push(note(&format!("image {} history", short_id(&id)), e.to_string())),
                }
                snapshot.images.push(facts);
            }
            Err(e) => notes.push(note("images", format!("image task failed: {e}"))),
        }
    }
    snapshot.images.sort_by(|a, b| a.id.cmp(&b.id));

    // Host facts only make sense for an engine on this machine.
    if snapshot.engine.local {
        let socket = endpoint.host.trim_start_matches("unix://");
        let data_root = snapshot.daemon.as_ref().map(|d| d.docker_root_dir.as_str());
        let (facts, host_notes) = host::collect(socket, data_root);
        snapshot.host = facts;
        snapshot.notes.extend(host_notes);
    } else {
        snapshot.notes.push(note("host", format!("{} is not a local socket: host files were not examined", endpoint.host)));
    }
    snapshot.daemon_config = daemon_config::daemon_config(info.as_ref(), &snapshot.host, &snapshot.networks);

    for inspect in &raw_containers {
        let facts = container_facts(inspect, &snapshot);
        snapshot.containers.push(facts);
    }
    snapshot.containers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(snapshot)
}

fn container_facts(inspect: &Value, snapshot: &Snapshot) -> ContainerFacts {
    let defaults = convert::DaemonDefaults {
        no_new_privileges: snapshot.daemon_config.no_new_privileges.value.unwrap_or(false),
        cgroup_version: snapshot.daemon.as_ref().map(|d| d.cgroup_version.clone()).unwrap_or_default(),
    };
    let spec = convert::container_spec(inspect, &defaults);
    ContainerFacts {
        id: text(inspect, "/Id"),
        name: text(inspect, "/Name").trim_start_matches('/').to_string(),
        state: text(inspect, "/State/Status"),
        image: text(inspect, "/Config/Image"),
        image_id: text(inspect, "/Image"),
        spec,
    }
}

fn daemon_facts(version: &Value, info: Option<&Value>) -> DaemonFacts {
    let component = |name: &str| {
        version.get("Components").and_then(Value::as_array).and_then(|components| {
            components
                .iter()
                .find(|c| c.get("Name").and_then(Value::as_str) == Some(name))
                .and_then(|c| c.get("Version").and_then(Value::as_str))
                .map(str::to_string)
        })
    };
    let info_text = |pointer: &str| info.map(|i| text(i, pointer)).unwrap_or_default();
    DaemonFacts {
        server_version: text(version, "/Version"),
        api_version: text(version, "/ApiVersion"),
        min_api_version: text(version, "/MinAPIVersion"),
        os: text(version, "/Os"),
        kernel_version: text(version, "/KernelVersion"),
        operating_system: info_text("/OperatingSystem"),
        docker_root_dir: info_text("/DockerRootDir"),
        logging_driver: info_text("/LoggingDriver"),
        cgroup_driver: info_text("/CgroupDriver"),
        cgroup_version: info_text("/CgroupVersion"),
        security_options: info.map(|i| strings(i, "/SecurityOptions")).unwrap_or_default(),
        runc_version: component("runc")
            .or_else(|| info.map(|i| text(i, "/RuncCommit/ID")).filter(|s| !s.is_empty())),
        containerd_version: component("containerd")
            .or_else(|| info.map(|i| text(i, "/ContainerdCommit/ID")).filter(|s| !s.is_empty())),
        runc_commit: info.map(|i| text(i, "/RuncCommit/ID")).filter(|s| !s.is_empty()),
        containerd_commit: info.map(|i| text(i, "/ContainerdCommit/ID")).filter(|s| !s.is_empty()),
        swarm_state: info_text("/Swarm/LocalNodeState"),
        swarm_manager: info.and_then(|i| i.pointer("/Swarm/ControlAvailable")).and_then(Value::as_bool).unwrap_or(false),
    }
}

/// A plugin's name, interfaces and the host privileges its config asks for (and the operator
/// granted when installing it).
fn plugin_facts(plugin: &Value) -> PluginFacts {
    let config = plugin.get("Config").cloned().unwrap_or(Value::Null);
    let types = config
        .pointer("/Interface/Types")
        .and_then(Value::as_array)
        .map(|types| {
            types
                .iter()
                .map(|t| match t.as_str() {
                    Some(text) => text.to_string(),
                    None => format!("{}.{}/{}", text(t, "/Prefix"), text(t, "/Capability"), text(t, "/Version")),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut privileges = Vec::new();
    if text(&config, "/Network/Type") == "host" {
        privileges.push("host network".to_string());
    }
    let flag = |pointer: &str| config.pointer(pointer).and_then(Value::as_bool) == Some(true);
    if flag("/PidHost") {
        privileges.push("host PID namespace".into());
    }
    if flag("/IpcHost") {
        privileges.push("host IPC namespace".into());
    }
    if flag("/Linux/AllowAllDevices") {
        privileges.push("all devices".into());
    }
    for capability in strings(&config, "/Linux/Capabilities") {
        privileges.push(format!("capability {capability}"));
    }
    for mount in config.get("Mounts").and_then(Value::as_array).into_iter().flatten() {
        let source = text(mount, "/Source");
        if !source.is_empty() {
            privileges.push(format!("mount {source}"));
        }
    }
    for device in config.pointer("/Linux/Devices").and_then(Value::as_array).into_iter().flatten() {
        let path = text(device, "/Path");
        if !path.is_empty() {
            privileges.push(format!("device {path}"));
        }
    }
    PluginFacts {
        name: text(plugin, "/Name"),
        enabled: plugin.get("Enabled").and_then(Value::as_bool).unwrap_or(false),
        types,
        privileges,
    }
}

/// The swarm as a manager sees it: autolock, services (their environment, secrets and published
/// ports), secret and config names. Parts that fail become notes.
async fn collect_swarm(docker: &bollard::Docker, caller: &Caller, info: Option<&Value>) -> (SwarmFacts, Vec<CollectorNote>) {
    let mut notes = Vec::new();
    let count = |pointer: &str| info.and_then(|i| i.pointer(pointer)).and_then(Value::as_u64).unwrap_or(0);
    let mut facts = SwarmFacts { managers: count("/Swarm/Managers"), nodes: count("/Swarm/Nodes"), ..SwarmFacts::default() };
    let (swarm, services, secrets, configs) = tokio::join!(
        caller.call("/swarm", docker.inspect_swarm()),
        caller.call("/services", docker.list_services(None)),
        caller.call("/secrets", docker.list_secrets(None)),
        caller.call("/configs", docker.list_configs(None)),
    );
    match swarm {
        Ok(swarm) => {
            let swarm = to_value(&swarm);
            facts.autolock =
                Some(swarm.pointer("/Spec/EncryptionConfig/AutoLockManagers").and_then(Value::as_bool).unwrap_or(false));
        }
        Err(e) => notes.push(note("swarm", e.to_string())),
    }
    match services {
        Ok(list) => {
            facts.services = list.iter().map(|s| service_facts(&to_value(s))).collect();
            facts.services.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Err(e) => notes.push(note("swarm.services", e.to_string())),
    }
    let names = |list: Vec<Value>| {
        let mut names: Vec<String> = list.iter().map(|item| text(item, "/Spec/Name")).collect();
        names.sort();
        names
    };
    match secrets {
        Ok(list) => facts.secrets = names(list.iter().map(to_value).collect()),
        Err(e) => notes.push(note("swarm.secrets", e.to_string())),
    }
    match configs {
        Ok(list) => facts.configs = names(list.iter().map(to_value).collect()),
        Err(e) => notes.push(note("swarm.configs", e.to_string())),
    }
    (facts, notes)
}

fn service_facts(service: &Value) -> ServiceFacts {
    let container = service.pointer("/Spec/TaskTemplate/ContainerSpec").cloned().unwrap_or(Value::Null);
    let ports = service
        .pointer("/Spec/EndpointSpec/Ports")
        .and_then(Value::as_array)
        .map(|ports| {
            ports
                .iter()
                .map(|p| ServicePort {
                    target: p.get("TargetPort").and_then(Value::as_u64).and_then(|n| u16::try_from(n).ok()).unwrap_or(0),
                    published: p.get("PublishedPort").and_then(Value::as_u64).and_then(|n| u16::try_from(n).ok()),
                    protocol: text(p, "/Protocol"),
                    // The API's default is ingress.
                    mode: Some(text(p, "/PublishMode")).filter(|m| !m.is_empty()).unwrap_or_else(|| "ingress".into()),
                })
                .collect()
        })
        .unwrap_or_default();
    ServiceFacts {
        id: text(service, "/ID"),
        name: text(service, "/Spec/Name"),
        image: text(&container, "/Image"),
        env: strings(&container, "/Env"),
        secrets: container
            .get("Secrets")
            .and_then(Value::as_array)
            .map(|secrets| secrets.iter().map(|s| text(s, "/SecretName")).collect())
            .unwrap_or_default(),
        ports,
    }
}

fn network_facts(network: &Value) -> NetworkFacts {
    let mut options: Vec<(String, String)> = network
        .get("Options")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    options.sort();
    NetworkFacts {
        id: text(network, "/Id"),
        name: text(network, "/Name"),
        driver: text(network, "/Driver"),
        internal: network.get("Internal").and_then(Value::as_bool).unwrap_or(false),
        options,
    }
}

fn note(collector: &str, message: String) -> CollectorNote {
    CollectorNote { collector: collector.to_string(), message }
}

fn short_id(id: &str) -> &str {
    id.trim_start_matches("sha256:").get(..12).unwrap_or(id)
}

/// The string at a JSON pointer, empty when absent.
pub(crate) fn text(value: &Value, pointer: &str) -> String {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// The strings of the array at a JSON pointer.
pub(crate) fn strings(value: &Value, pointer: &str) -> Vec<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plugin_config_becomes_its_interfaces_and_host_privileges() {
        // The shape of GET /plugins for vieux/sshfs, as the Engine API documents it.
        let plugin = serde_json::json!({
            "Name": "vieux/sshfs:latest", "Enabled": true,
            "Config": {
                "Interface": {"Types": [{"Prefix": "docker", "Capability": "volumedriver", "Version": "1.0"}], "Socket": "sshfs.sock"},
                "Network": {"Type": "host"},
                "Linux": {"Capabilities": ["CAP_SYS_ADMIN"], "AllowAllDevices": false, "Devices": [{"Path": "/dev/fuse"}]},
                "Mounts": [{"Source": "/var/lib/docker/plugins/", "Destination": "/mnt/state"}],
                "PidHost": false, "IpcHost": false
            }
        });
        let facts = plugin_facts(&plugin);
        assert_eq!(facts.name, "vieux/sshfs:latest");
        assert!(facts.enabled);
        assert_eq!(facts.types, ["docker.volumedriver/1.0"]);
        assert_eq!(
            facts.privileges,
            ["host network", "capability CAP_SYS_ADMIN", "mount /var/lib/docker/plugins/", "device /dev/fuse"]
        );
        let quiet = plugin_facts(&serde_json::json!({"Name": "authz:1", "Enabled": false, "Config": {"Network": {"Type": "none"}}}));
        assert!(quiet.privileges.is_empty() && !quiet.enabled);
    }

    #[test]
    fn a_service_spec_becomes_its_env_secrets_and_ports() {
        let service = serde_json::json!({
            "ID": "abc", "Spec": {
                "Name": "web",
                "TaskTemplate": {"ContainerSpec": {"Image": "web:1", "Env": ["A=1"], "Secrets": [{"SecretName": "db_password"}]}},
                "EndpointSpec": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080},
                                           {"Protocol": "udp", "TargetPort": 53, "PublishedPort": 53, "PublishMode": "host"}]}
            }
        });
        let facts = service_facts(&service);
        assert_eq!((facts.name.as_str(), facts.image.as_str()), ("web", "web:1"));
        assert_eq!(facts.secrets, ["db_password"]);
        assert_eq!(facts.ports[0].mode, "ingress", "the API's default");
        assert_eq!((facts.ports[1].mode.as_str(), facts.ports[1].published), ("host", Some(53)));
    }
}
