//! The daemon settings the daemon rules judge, each with the evidence it was established from:
//! `/info` where the API says it, the default bridge's options for icc, and the dockerd command
//! line plus daemon.json for the rest. Without the command line (not root, remote engine) those
//! stay unknown; defaults are assumed only when both sources were read.

use crate::collect::strings;
use crate::host::flag_values;
use rampart_model::{DaemonConfig, HostFacts, NetworkFacts, Setting};
use serde_json::Value;

pub fn daemon_config(info: Option<&Value>, host: &HostFacts, networks: &[NetworkFacts]) -> DaemonConfig {
    let files = ConfigSources::new(host);
    let mut config = DaemonConfig {
        hosts: files.list(&["-H", "--host"], "hosts"),
        tls_verify: files.boolean("--tlsverify", "tlsverify", false),
        userland_proxy: files.boolean("--userland-proxy", "userland-proxy", true),
        no_new_privileges: files.boolean("--no-new-privileges", "no-new-privileges", false),
        log_level: files.text(&["-l", "--log-level"], "log-level", "info"),
        ..DaemonConfig::default()
    };
    add_listeners(&mut config.hosts, host.dockerd_tcp_listeners.as_deref());
    // `--debug` / `"debug": true` (shown by /info Debug) logs at debug whatever log-level says.
    if info.and_then(|i| i.get("Debug")).and_then(Value::as_bool) == Some(true) {
        config.log_level = Setting::known("debug".to_string(), "/info Debug is true");
    }
    // With neither --tlsverify nor tls hosts, `--tlscacert` etc. alone do not verify clients.
    let no_info = || "/info could not be read".to_string();
    config.icc = match networks.iter().find(|n| n.name == "bridge") {
        Some(bridge) => match bridge.options.iter().find(|(k, _)| k == "com.docker.network.bridge.enable_icc") {
            Some((_, value)) => Setting::known(value == "true", "default bridge network option enable_icc"),
            None => Setting::known(true, "default bridge network has no enable_icc option (default: on)"),
        },
        None => files.boolean("--icc", "icc", true),
    };
    match info {
        Some(info) => {
            let security: Vec<String> = strings(info, "/SecurityOptions");
            config.userns_remap = Setting::known(security.iter().any(|o| o.contains("name=userns")), "/info SecurityOptions");
            config.authorization_plugins = Setting::known(strings(info, "/Plugins/Authorization"), "/info Plugins.Authorization");
            config.live_restore = bool_at(info, "/LiveRestoreEnabled", "/info LiveRestoreEnabled");
            config.experimental = bool_at(info, "/ExperimentalBuild", "/info ExperimentalBuild");
            config.insecure_registries = Setting::known(insecure_registries(info), "/info RegistryConfig");
        }
        None => {
            config.userns_remap = Setting::unknown(no_info());
            config.authorization_plugins = Setting::unknown(no_info());
            config.live_restore = Setting::unknown(no_info());
            config.experimental = Setting::unknown(no_info());
            config.insecure_registries = Setting::unknown(no_info());
        }
    }
    config
}

/// Adds the TCP addresses dockerd was seen listening on (its sockets in /proc) that the command
/// line and daemon.json do not name: systemd socket activation (`-H fd://`) and `-H` from an
/// environment file hide them.
fn add_listeners(hosts: &mut Setting<Vec<String>>, listeners: Option<&[String]>) {
    let Some(listeners) = listeners.filter(|l| !l.is_empty()) else { return };
    let port_of = |address: &str| address.rsplit(':').next().map(str::to_string);
    let named_ports: Vec<Option<String>> = hosts
        .value
        .iter()
        .flatten()
        .filter_map(|h| h.strip_prefix("tcp://"))
        .map(|a| port_of(a.trim_end_matches('/')))
        .collect();
    let unnamed: Vec<String> = listeners
        .iter()
        .filter(|address| !named_ports.contains(&port_of(address)))
        .map(|address| format!("tcp://{address}"))
        .collect();
    if unnamed.is_empty() {
        return;
    }
    let evidence = format!("{} listening socket(s) of dockerd in /proc: {}", unnamed.len(), unnamed.join(", "));
    match &mut hosts.value {
        Some(values) => {
            values.extend(unnamed);
            hosts.evidence = format!("{}; {evidence}", hosts.evidence);
        }
        None => *hosts = Setting::known(unnamed, evidence),
    }
}

fn bool_at(info: &Value, pointer: &str, evidence: &str) -> Setting<bool> {
    match info.pointer(pointer).and_then(Value::as_bool) {
        Some(value) => Setting::known(value, evidence),
        None => Setting::unknown(format!("{evidence} is missing")),
    }
}

/// Registries the daemon talks to without TLS verification. `127.0.0.0/8` is always there by
/// default and is not a finding.
fn insecure_registries(info: &Value) -> Vec<String> {
    let mut found: Vec<String> =
        strings(info, "/RegistryConfig/InsecureRegistryCIDRs").into_iter().filter(|cidr| cidr != "127.0.0.0/8").collect();
    if let Some(indexes) = info.pointer("/RegistryConfig/IndexConfigs").and_then(Value::as_object) {
        for (name, index) in indexes {
            if index.get("Secure").and_then(Value::as_bool) == Some(false) && !found.contains(name) {
                found.push(name.clone());
            }
        }
    }
    found.sort();
    found
}

/// The dockerd command line and daemon.json, when both could be read.
struct ConfigSources {
    argv: Option<Vec<String>>,
    json: Option<Value>,
    why_unknown: Option<String>,
}

impl ConfigSources {
    fn new(host: &HostFacts) -> ConfigSources {
        let argv = host.dockerd_command_line.clone();
        let json = match (&host.daemon_json, host.daemon_json_missing) {
            (Some(text), _) => serde_json::from_str(text).ok(),
            (None, true) => Some(Value::Object(Default::default())),
            (None, false) => None,
        };
        let why_unknown = if argv.is_none() {
            Some("the dockerd command line could not be read (not root, or not a local engine)".to_string())
        } else if json.is_none() {
            Some("daemon.json could not be read or is not valid JSON".to_string())
        } else {
            None
        };
        ConfigSources { argv, json, why_unknown }
    }

    /// A boolean flag (`--flag`, `--flag=false`) or daemon.json key, else the daemon's default.
    fn boolean(&self, flag: &str, key: &str, default: bool) -> Setting<bool> {
        if let Some(argv) = &self.argv {
            for word in argv.iter().skip(1).rev() {
                if word == flag {
                    return Setting::known(true, format!("dockerd {flag}"));
                }
                if let Some(value) = word.strip_prefix(flag).and_then(|rest| rest.strip_prefix('=')) {
                    if let Some(value) = rampart_model::parse_go_bool(value) {
                        return Setting::known(value, format!("dockerd {word}"));
                    }
                }
            }
        }
        if let Some(value) = self.json.as_ref().and_then(|json| json.get(key)).and_then(Value::as_bool) {
            return Setting::known(value, format!("daemon.json \"{key}\""));
        }
        match &self.why_unknown {
            Some(why) => Setting::unknown(why.clone()),
            None => Setting::known(default, "not set on the command line or in daemon.json: the default"),
        }
    }

    /// A flag with a value or a daemon.json string key, else the daemon's default.
    fn text(&self, flags: &[&str], key: &str, default: &str) -> Setting<String> {
        if let Some(value) = self.argv.as_ref().and_then(|argv| flag_values(argv, flags).pop()) {
            return Setting::known(value.clone(), format!("dockerd {}={value}", flags[flags.len() - 1]));
        }
        if let Some(value) = self.json.as_ref().and_then(|json| json.get(key)).and_then(Value::as_str) {
            return Setting::known(value.to_string(), format!("daemon.json \"{key}\""));
        }
        match &self.why_unknown {
            Some(why) => Setting::unknown(why.clone()),
            None => Setting::known(default.to_string(), "not set on the command line or in daemon.json: the default"),
        }
    }

    fn list(&self, flags: &[&str], key: &str) -> Setting<Vec<String>> {
        let mut values = self.argv.as_ref().map(|argv| flag_values(argv, flags)).unwrap_or_default();
        if let Some(items) = self.json.as_ref().and_then(|json| json.get(key)).and_then(Value::as_array) {
            values.extend(items.iter().filter_map(Value::as_str).map(str::to_string));
        }
        match &self.why_unknown {
            Some(why) if values.is_empty() => Setting::unknown(why.clone()),
            _ => Setting::known(values, "dockerd command line and daemon.json"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(argv: &[&str], json: Option<&str>) -> HostFacts {
        HostFacts {
            dockerd_command_line: Some(argv.iter().map(|s| s.to_string()).collect()),
            daemon_json: json.map(str::to_string),
            daemon_json_missing: json.is_none(),
            ..HostFacts::default()
        }
    }

    #[test]
    fn flags_win_and_defaults_apply_when_both_sources_were_read() {
        let facts = host(
            &["dockerd", "-H", "tcp://0.0.0.0:2375", "--userland-proxy=false"],
            Some(r#"{"no-new-privileges": true, "userland-proxy": true}"#),
        );
        let config = daemon_config(None, &facts, &[]);
        assert_eq!(config.userland_proxy.value, Some(false));
        assert_eq!(config.no_new_privileges.value, Some(true));
        assert_eq!(config.tls_verify.value, Some(false));
        assert_eq!(config.hosts.value.unwrap(), ["tcp://0.0.0.0:2375"]);
        assert_eq!(config.icc.value, Some(true));
        assert_eq!(config.live_restore.value, None, "{}", config.live_restore.evidence);
    }

    #[test]
    fn without_the_command_line_file_settings_are_unknown() {
        let config = daemon_config(None, &HostFacts::default(), &[]);
        assert_eq!(config.no_new_privileges.value, None);
        assert!(config.no_new_privileges.evidence.contains("command line"));
    }

    #[test]
    fn info_settings_and_bridge_icc() {
        let info = serde_json::json!({
            "SecurityOptions": ["name=seccomp,profile=default", "name=userns"],
            "LiveRestoreEnabled": true, "ExperimentalBuild": false,
            "Plugins": {"Authorization": ["authz-broker"]},
            "RegistryConfig": {"InsecureRegistryCIDRs": ["127.0.0.0/8", "10.0.0.0/8"],
                "IndexConfigs": {"reg.local:5000": {"Secure": false}, "docker.io": {"Secure": true}}}
        });
        let bridge = NetworkFacts {
            name: "bridge".into(),
            options: vec![("com.docker.network.bridge.enable_icc".into(), "false".into())],
            ..NetworkFacts::default()
        };
        let config = daemon_config(Some(&info), &HostFacts::default(), &[bridge]);
        assert_eq!(config.userns_remap.value, Some(true));
        assert_eq!(config.live_restore.value, Some(true));
        assert_eq!(config.icc.value, Some(false));
        assert_eq!(config.authorization_plugins.value.unwrap(), ["authz-broker"]);
        assert_eq!(config.insecure_registries.value.unwrap(), ["10.0.0.0/8", "reg.local:5000"]);
    }

    #[test]
    fn listening_sockets_the_command_line_hides_are_hosts_too() {
        let mut facts = host(&["dockerd", "-H", "fd://", "--log-level=debug"], None);
        facts.dockerd_tcp_listeners = Some(vec!["0.0.0.0:2375".into()]);
        let config = daemon_config(None, &facts, &[]);
        assert_eq!(config.hosts.value.unwrap(), ["fd://", "tcp://0.0.0.0:2375"]);
        assert!(config.hosts.evidence.contains("/proc"), "{}", config.hosts.evidence);
        assert_eq!(config.log_level.value.as_deref(), Some("debug"));

        // Named on the command line already: not added twice.
        let mut facts = host(&["dockerd", "-H", "tcp://0.0.0.0:2376", "--tlsverify"], None);
        facts.dockerd_tcp_listeners = Some(vec!["[::]:2376".into()]);
        let config = daemon_config(None, &facts, &[]);
        assert_eq!(config.hosts.value.unwrap(), ["tcp://0.0.0.0:2376"]);
        assert_eq!(config.log_level.value.as_deref(), Some("info"));
    }
}
