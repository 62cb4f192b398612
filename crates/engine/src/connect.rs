//! Finding the engine the way the Docker CLI does, connecting to it, and negotiating the API
//! version for real.
//!
//! Which engine: `--host`, else the context named by `DOCKER_CONTEXT`, else `DOCKER_HOST`, else
//! the `currentContext` of `~/.docker/config.json` (`DOCKER_CONFIG` moves that directory), else
//! the local socket. A context's endpoint is in `contexts/meta/<sha256 of its name>/meta.json`
//! and its TLS files in `contexts/tls/<same>/docker/`.
//!
//! Versioning: bollard 0.21.1 builds every URL as `<base>/v1.xx` joined with an absolute path,
//! which drops the version prefix, so requests go out unversioned and the daemon answers at its
//! own (newest) version whatever `negotiate_version()` decided. We ask `/version` (valid without
//! a prefix), pick the highest version both sides speak, and put `/v<version>` in front of every
//! request path with a request modifier. The live test checks the paths on the wire.

use crate::ssh::Tunnel;
use crate::EngineError;
use bollard::{ClientVersion, Docker};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The newest API version whose fields rampart reads; a newer daemon is spoken to at this one.
pub const MAX_API_VERSION: (u32, u32) = (1, 51);
/// The oldest API version rampart can audit (Docker 17.03); 20.10 speaks 1.41.
pub const MIN_API_VERSION: (u32, u32) = (1, 25);

pub const DEFAULT_UNIX_SOCKET: &str = "unix:///var/run/docker.sock";

/// How to reach an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `unix:///path`, `tcp://host:port`, `ssh://user@host`.
    pub host: String,
    /// Certificates for TLS (`DOCKER_TLS_VERIFY` with `DOCKER_CERT_PATH`, or a context's TLS
    /// files); `None` for plain connections.
    pub tls: Option<TlsFiles>,
    /// What chose this endpoint, for messages: `--host`, `DOCKER_HOST`, `context "prod"`, ...
    pub chosen_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The parts of the environment endpoint resolution reads; a struct so tests need not touch the
/// process environment.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub docker_tls_verify: Option<String>,
    pub docker_cert_path: Option<String>,
    pub docker_config: Option<String>,
    pub home: Option<String>,
}

impl Environment {
    pub fn from_process() -> Environment {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Environment {
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            docker_tls_verify: var("DOCKER_TLS_VERIFY"),
            docker_cert_path: var("DOCKER_CERT_PATH"),
            docker_config: var("DOCKER_CONFIG"),
            home: var("HOME"),
        }
    }

    fn config_dir(&self) -> Option<PathBuf> {
        self.docker_config
            .as_ref()
            .map(PathBuf::from)
            .or_else(|| self.home.as_ref().map(|home| Path::new(home).join(".docker")))
    }
}

/// Picks the engine as the Docker CLI would. `flag_host` is `--host`.
pub fn resolve_endpoint(flag_host: Option<&str>, env: &Environment) -> Result<Endpoint, EngineError> {
    if let Some(host) = flag_host {
        return Ok(Endpoint { host: host.to_string(), tls: env_tls(env), chosen_by: "--host".into() });
    }
    if let Some(context) = &env.docker_context {
        return context_endpoint(context, env, format!("DOCKER_CONTEXT={context}"));
    }
    if let Some(host) = &env.docker_host {
        return Ok(Endpoint { host: host.clone(), tls: env_tls(env), chosen_by: "DOCKER_HOST".into() });
    }
    if let Some(config_dir) = env.config_dir() {
        let config_path = config_dir.join("config.json");
        if let Ok(text) = std::fs::read_to_string(&config_path) {
            let config: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| EngineError::Config(format!("{}: not valid JSON: {e}", config_path.display())))?;
            if let Some(context) = config.get("currentContext").and_then(|v| v.as_str()).filter(|c| !c.is_empty()) {
                let why = format!("currentContext \"{context}\" in {}", config_path.display());
                return context_endpoint(context, env, why);
            }
        }
    }
    Ok(Endpoint { host: DEFAULT_UNIX_SOCKET.into(), tls: None, chosen_by: "default socket".into() })
}

/// `DOCKER_TLS_VERIFY` set: client certificates from `DOCKER_CERT_PATH` (default `~/.docker`).
fn env_tls(env: &Environment) -> Option<TlsFiles> {
    env.docker_tls_verify.as_ref()?;
    let dir = env.docker_cert_path.as_ref().map(PathBuf::from).or_else(|| env.config_dir())?;
    Some(TlsFiles { ca: dir.join("ca.pem"), cert: dir.join("cert.pem"), key: dir.join("key.pem") })
}

/// A named context's docker endpoint. `default` is the local socket (or `DOCKER_HOST`).
fn context_endpoint(name: &str, env: &Environment, why: String) -> Result<Endpoint, EngineError> {
    if name == "default" {
        let host = env.docker_host.clone().unwrap_or_else(|| DEFAULT_UNIX_SOCKET.into());
        return Ok(Endpoint { host, tls: env_tls(env), chosen_by: why });
    }
    let config_dir = env
        .config_dir()
        .ok_or_else(|| EngineError::Config(format!("context \"{name}\": no HOME or DOCKER_CONFIG to find it in")))?;
    let digest = hex(&Sha256::digest(name.as_bytes()));
    let meta_path = config_dir.join("contexts").join("meta").join(&digest).join("meta.json");
    let text = std::fs::read_to_string(&meta_path)
        .map_err(|e| EngineError::Config(format!("context \"{name}\" ({why}): cannot read {}: {e}", meta_path.display())))?;
    let meta: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| EngineError::Config(format!("{}: not valid JSON: {e}", meta_path.display())))?;
    let docker = meta.pointer("/Endpoints/docker");
    let host = docker
        .and_then(|d| d.get("Host"))
        .and_then(|h| h.as_str())
        .ok_or_else(|| EngineError::Config(format!("context \"{name}\": {} has no Endpoints.docker.Host", meta_path.display())))?;
    let tls_dir = config_dir.join("contexts").join("tls").join(&digest).join("docker");
    let skip_verify = docker.and_then(|d| d.get("SkipTLSVerify")).and_then(|v| v.as_bool()).unwrap_or(false);
    let tls = (tls_dir.join("ca.pem").exists() && !skip_verify).then(|| TlsFiles {
        ca: tls_dir.join("ca.pem"),
        cert: tls_dir.join("cert.pem"),
        key: tls_dir.join("key.pem"),
    });
    Ok(Endpoint { host: host.to_string(), tls, chosen_by: why })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An API version as `(major, minor)` from `"1.41"`.
pub fn parse_api_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The version to speak: the daemon's, capped at ours; an error when the ranges do not meet.
pub fn choose_api_version(server: (u32, u32), server_min: Option<(u32, u32)>) -> Result<(u32, u32), String> {
    let chosen = server.min(MAX_API_VERSION);
    if chosen < MIN_API_VERSION {
        return Err(format!(
            "the daemon speaks API {}.{}, older than the oldest rampart audits ({}.{})",
            server.0, server.1, MIN_API_VERSION.0, MIN_API_VERSION.1
        ));
    }
    if let Some(min) = server_min.filter(|&min| chosen < min) {
        return Err(format!(
            "the daemon needs API {}.{} or newer; rampart speaks up to {}.{}",
            min.0, min.1, MAX_API_VERSION.0, MAX_API_VERSION.1
        ));
    }
    Ok(chosen)
}

/// A bollard client for `endpoint` with `timeout` on every request, not yet versioned, and for
/// `ssh://` the tunnel it speaks through (keep it as long as the client).
pub(crate) fn open(endpoint: &Endpoint, timeout: Duration) -> Result<(Docker, Option<Tunnel>), EngineError> {
    let seconds = timeout.as_secs().max(1);
    // The version bollard puts in its (discarded) URL prefix; the modifier below does the real work.
    let version = ClientVersion { major_version: 1, minor_version: 41 };
    let host = endpoint.host.as_str();
    let fail = |e: bollard::errors::Error| EngineError::Connect { host: host.to_string(), message: e.to_string() };
    if let Some(path) = host.strip_prefix("unix://") {
        if !Path::new(path).exists() {
            return Err(EngineError::Connect {
                host: host.to_string(),
                message: format!("no socket at {path} (is the daemon running?)"),
            });
        }
        Ok((Docker::connect_with_unix(host, seconds, &version).map_err(fail)?, None))
    } else if host.starts_with("tcp://") || host.starts_with("http://") || host.starts_with("https://") {
        let docker = match &endpoint.tls {
            Some(tls) => Docker::connect_with_ssl(host, &tls.key, &tls.cert, &tls.ca, seconds, &version).map_err(fail)?,
            None => Docker::connect_with_http(host, seconds, &version).map_err(fail)?,
        };
        Ok((docker, None))
    } else if host.starts_with("ssh://") {
        let tunnel = Tunnel::start(host, timeout).map_err(|message| EngineError::Connect { host: host.to_string(), message })?;
        let docker = Docker::connect_with_unix(&tunnel.unix_url(), seconds, &version).map_err(fail)?;
        Ok((docker, Some(tunnel)))
    } else {
        Err(EngineError::Connect {
            host: host.to_string(),
            message: "unsupported address: use unix://PATH, tcp://HOST:PORT or ssh://USER@HOST".into(),
        })
    }
}

/// `error` with what `ssh` said when the engine is reached through a tunnel: the reason a
/// connection closed or hung is on ssh's stderr, not in the HTTP error.
pub(crate) fn explain(error: EngineError, tunnel: Option<&Tunnel>) -> EngineError {
    let Some(said) = tunnel.and_then(Tunnel::diagnostics) else { return error };
    match error {
        EngineError::Connect { host, message } => EngineError::Connect { host, message: format!("{said} ({message})") },
        EngineError::Timeout { host, seconds } => {
            EngineError::Connect { host, message: format!("no answer within {seconds} s; {said}") }
        }
        other => other,
    }
}

/// `error` with the CA file the engine's certificate was checked against, when TLS refused it.
pub(crate) fn explain_tls(error: EngineError, endpoint: &Endpoint) -> EngineError {
    match (error, &endpoint.tls) {
        (EngineError::Connect { host, message }, Some(tls)) if message.contains("invalid peer certificate") => {
            let why = if message.contains("UnknownIssuer") {
                "it was not signed by that CA"
            } else if message.contains("NotValidForName") {
                "it does not name this host"
            } else if message.contains("Expired") {
                "it has expired"
            } else {
                "the TLS library gives the reason"
            };
            let message = format!(
                "{message} (the engine's certificate was checked against {}: {why}; DOCKER_CERT_PATH or the context's TLS \
                 files choose the CA)",
                tls.ca.display()
            );
            EngineError::Connect { host, message }
        }
        (error, _) => error,
    }
}

/// Puts `/v<major>.<minor>` in front of every request path bollard builds.
pub(crate) fn versioned(docker: Docker, version: (u32, u32)) -> Docker {
    let prefix = format!("/v{}.{}", version.0, version.1);
    docker.with_request_modifier(move |mut request| {
        let uri = request.uri().clone();
        let path_and_query = uri.path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_else(|| "/".into());
        if !path_and_query.starts_with(&format!("{prefix}/")) {
            let mut parts = uri.into_parts();
            if let Ok(versioned) = format!("{prefix}{path_and_query}").parse() {
                parts.path_and_query = Some(versioned);
                if let Ok(uri) = http::Uri::from_parts(parts) {
                    *request.uri_mut() = uri;
                }
            }
        }
        request
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_with_home(home: &Path) -> Environment {
        Environment { home: Some(home.display().to_string()), ..Environment::default() }
    }

    #[test]
    fn flag_beats_context_and_docker_host() {
        let env = Environment {
            docker_host: Some("tcp://a:2375".into()),
            docker_context: Some("prod".into()),
            ..Environment::default()
        };
        let endpoint = resolve_endpoint(Some("unix:///x.sock"), &env).unwrap();
        assert_eq!((endpoint.host.as_str(), endpoint.chosen_by.as_str()), ("unix:///x.sock", "--host"));
    }

    #[test]
    fn docker_host_with_tls_verify_uses_cert_path() {
        let env = Environment {
            docker_host: Some("tcp://h:2376".into()),
            docker_tls_verify: Some("1".into()),
            docker_cert_path: Some("/certs".into()),
            ..Environment::default()
        };
        let endpoint = resolve_endpoint(None, &env).unwrap();
        assert_eq!(endpoint.host, "tcp://h:2376");
        assert_eq!(endpoint.tls.unwrap().ca, PathBuf::from("/certs/ca.pem"));
    }

    #[test]
    fn current_context_is_read_from_meta_by_name_digest() {
        let home = tempfile::tempdir().unwrap();
        let docker = home.path().join(".docker");
        // sha256("remote"), as the Docker CLI names the directory.
        let digest = hex(&Sha256::digest(b"remote"));
        let meta_dir = docker.join("contexts/meta").join(&digest);
        std::fs::create_dir_all(&meta_dir).unwrap();
        std::fs::write(docker.join("config.json"), r#"{"currentContext":"remote"}"#).unwrap();
        std::fs::write(
            meta_dir.join("meta.json"),
            r#"{"Name":"remote","Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":false}}}"#,
        )
        .unwrap();
        let tls_dir = docker.join("contexts/tls").join(&digest).join("docker");
        std::fs::create_dir_all(&tls_dir).unwrap();
        std::fs::write(tls_dir.join("ca.pem"), "x").unwrap();
        let endpoint = resolve_endpoint(None, &env_with_home(home.path())).unwrap();
        assert_eq!(endpoint.host, "tcp://10.0.0.5:2376");
        assert!(endpoint.chosen_by.contains("currentContext \"remote\""), "{}", endpoint.chosen_by);
        assert_eq!(endpoint.tls.unwrap().key, tls_dir.join("key.pem"));
        assert_eq!(digest, "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a");
    }

    #[test]
    fn docker_context_env_beats_docker_host_and_a_missing_context_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        let env = Environment {
            docker_host: Some("tcp://a:2375".into()),
            docker_context: Some("nope".into()),
            ..env_with_home(home.path())
        };
        let error = resolve_endpoint(None, &env).unwrap_err().to_string();
        assert!(error.contains("context \"nope\""), "{error}");
    }

    #[test]
    fn default_context_and_nothing_set_mean_the_local_socket() {
        let home = tempfile::tempdir().unwrap();
        let endpoint = resolve_endpoint(None, &env_with_home(home.path())).unwrap();
        assert_eq!(endpoint.host, DEFAULT_UNIX_SOCKET);
        let env = Environment { docker_context: Some("default".into()), ..env_with_home(home.path()) };
        assert_eq!(resolve_endpoint(None, &env).unwrap().host, DEFAULT_UNIX_SOCKET);
    }

    #[test]
    fn api_version_is_capped_and_checked() {
        assert_eq!(choose_api_version((1, 41), Some((1, 12))), Ok((1, 41)));
        assert_eq!(choose_api_version((1, 53), Some((1, 44))), Ok(MAX_API_VERSION));
        assert!(choose_api_version((1, 60), Some((1, 55))).is_err());
        assert!(choose_api_version((1, 20), None).is_err());
        assert_eq!(parse_api_version("1.41"), Some((1, 41)));
        assert_eq!(parse_api_version("one"), None);
    }
}
