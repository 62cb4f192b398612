//! Reads a Docker Engine into a [`Snapshot`]: the API (version, info, every container inspected,
//! images with their history, networks, volumes) and, when the engine is local, host facts
//! (the socket, the docker group, daemon.json, the dockerd command line). Read-only: nothing is
//! started, changed or exec'd.
//!
//! Every request has a timeout; a collector that cannot run leaves a [`CollectorNote`] saying
//! why, and the facts it would have produced stay unknown.

mod collect;
mod connect;
mod convert;
mod daemon_config;
mod export;
mod host;
mod ssh;

pub use collect::{collect, CollectOptions};
pub use connect::{
    choose_api_version, parse_api_version, resolve_endpoint, Endpoint, Environment, TlsFiles, DEFAULT_UNIX_SOCKET,
    MAX_API_VERSION, MIN_API_VERSION,
};
pub use convert::{container_spec, DaemonDefaults};
pub use daemon_config::daemon_config;
pub use export::export_image;
pub use ssh::SSH_OPTIONS_VARIABLE;
pub use rampart_model::{CollectorNote, Snapshot};

/// Why the engine could not be audited at all.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The Docker CLI configuration (contexts, config.json) could not be used.
    #[error("{0}")]
    Config(String),
    #[error("cannot connect to {host}: {message}")]
    Connect { host: String, message: String },
    #[error("{host} did not answer within {seconds} s (is it a Docker daemon?)")]
    Timeout { host: String, seconds: u64 },
    #[error("{host}: {message}")]
    Api { host: String, message: String },
}

impl EngineError {
    /// True when a local socket exists but this user may not open it. (An ssh login refused with
    /// "Permission denied (publickey)" is not that: the docker group does not help there.)
    pub fn is_permission_denied(&self) -> bool {
        let EngineError::Connect { host, message } = self else { return false };
        host.starts_with("unix://") && message.to_ascii_lowercase().contains("permission denied")
    }
}
