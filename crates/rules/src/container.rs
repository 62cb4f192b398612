//! What container rules share: which capabilities Docker grants by default, which host paths
//! are engine sockets or sensitive directories, which ports belong to administrative services.

use rampart_model::{ContainerSpec, Mount, NetworkMode, Sourced, SpecSource};

/// The capabilities Docker (and podman, minus a few) grant a container by default. Adding one of
/// these back after `--cap-drop ALL` is what least privilege looks like.
pub const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// What a capability outside the default set lets a process do, for messages.
pub fn capability_risk(name: &str) -> &'static str {
    match name {
        "SYS_ADMIN" => "mount file systems, use many privileged syscalls; with it most container escapes are one step away",
        "SYS_PTRACE" => "trace and inject code into other processes it can see",
        "SYS_MODULE" => "load kernel modules: arbitrary code in the host kernel",
        "SYS_RAWIO" => "raw I/O to devices and memory",
        "DAC_READ_SEARCH" => "read any file through open_by_handle_at (the 'shocker' escape)",
        "NET_ADMIN" => "reconfigure interfaces, routes and firewall rules of its network namespace (the host's, with host networking)",
        "SYS_BOOT" => "reboot the host",
        "SYS_TIME" => "change the host's clock",
        "BPF" | "PERFMON" => "load BPF programs and read kernel memory through them",
        "MAC_ADMIN" | "MAC_OVERRIDE" => "change or bypass the mandatory access control policy",
        "SYSLOG" => "read kernel logs, which leak kernel addresses",
        "LINUX_IMMUTABLE" => "change immutable and append-only file flags",
        "SYS_RESOURCE" => "exceed resource limits",
        "NET_BROADCAST" => "broadcast and listen to multicast",
        "IPC_LOCK" => "lock memory",
        "AUDIT_CONTROL" => "change the kernel's audit rules",
        _ => "privileges beyond Docker's default set",
    }
}

/// Host paths of container engine sockets: whoever can open one controls the engine, and
/// through it the host.
pub const ENGINE_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/podman/podman.sock",
    "/var/run/podman/podman.sock",
    "/run/crio/crio.sock",
    "/var/run/crio/crio.sock",
    "/run/docker/containerd/containerd.sock",
];

/// File names that are engine sockets wherever they are (rootless sockets under
/// `$XDG_RUNTIME_DIR`, custom data roots).
const SOCKET_FILE_NAMES: &[&str] = &["docker.sock", "containerd.sock", "podman.sock", "crio.sock"];

/// The engine socket `mount` exposes, if any: the socket itself, a directory above one (other
/// than `/`, which has its own rule), or, when the host path is not known (a variable), a socket
/// file name on either side.
pub fn exposed_engine_socket(mount: &Mount) -> Option<String> {
    match mount.absolute_host_path() {
        Some(path) if path == "/" => None,
        Some(path) => {
            if ENGINE_SOCKETS.contains(&path.as_str()) || SOCKET_FILE_NAMES.iter().any(|n| path.ends_with(&format!("/{n}"))) {
                return Some(path);
            }
            ENGINE_SOCKETS
                .iter()
                .find(|socket| socket.strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with('/')))
                .map(|socket| format!("{socket} (through {path})"))
        }
        None => {
            let named = |text: &str| SOCKET_FILE_NAMES.iter().any(|n| text == *n || text.ends_with(&format!("/{n}")));
            let source = mount.host_path.as_deref().unwrap_or_default();
            (named(source) || (mount.host_path.is_some() && named(&mount.target))).then(|| {
                if source.is_empty() {
                    mount.target.clone()
                } else {
                    source.to_string()
                }
            })
        }
    }
}

/// Host directories whose exposure gives a container the keys to the host (CIS 5.6, plus the
/// engine's and orchestrator's state).
pub const SENSITIVE_HOST_DIRECTORIES: &[&str] = &[
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/sys",
    "/usr",
    "/bin",
    "/sbin",
    "/root",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
];

/// Paths inside otherwise harmless-to-share directories that are sensitive themselves.
const SENSITIVE_HOST_FILES: &[&str] = &[
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/docker",
    "/etc/kubernetes",
    "/etc/ssh",
    "/etc/systemd",
    "/etc/cron.d",
    "/etc/crontab",
    "/lib/modules",
    "/usr/lib/modules",
    "/proc/sys",
    "/proc/sysrq-trigger",
    "/sys/kernel",
    "/sys/firmware",
    "/dev/mem",
    "/dev/kmem",
];

/// The sensitive host path `path` is or lies inside: exact matches of the directories (sharing
/// `/etc/localtime` or `/dev/shm` is common and harmless), and anything inside the state
/// directories and sensitive files listed.
pub fn sensitive_host_path(path: &str) -> Option<&'static str> {
    if let Some(dir) = SENSITIVE_HOST_DIRECTORIES.iter().find(|d| **d == path) {
        return Some(dir);
    }
    let within = |base: &str| path == base || path.strip_prefix(base).is_some_and(|rest| rest.starts_with('/'));
    SENSITIVE_HOST_FILES
        .iter()
        .chain(["/root", "/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet", "/boot"].iter())
        .find(|base| within(base))
        .copied()
}

/// Ports of services that should never face a network unprotected: engine and orchestrator
/// APIs, remote shells, databases and caches without authentication by default.
pub fn sensitive_service(port: u16) -> Option<&'static str> {
    Some(match port {
        2375 => "the Docker API without TLS",
        2376 => "the Docker API",
        2379 | 2380 => "etcd",
        6443 => "the Kubernetes API",
        10250 => "the kubelet API",
        22 => "SSH",
        23 => "telnet",
        3389 => "RDP",
        5900 => "VNC",
        3306 => "MySQL",
        5432 => "PostgreSQL",
        1433 => "SQL Server",
        1521 => "Oracle",
        6379 => "Redis",
        11211 => "memcached",
        27017 => "MongoDB",
        9200 | 9300 => "Elasticsearch",
        5984 => "CouchDB",
        9042 => "Cassandra",
        8086 => "InfluxDB",
        5672 | 15672 => "RabbitMQ",
        2181 => "ZooKeeper",
        9092 => "Kafka",
        _ => return None,
    })
}

/// What a host device gives a container when it is one of the dangerous kinds: physical memory,
/// I/O ports, or a whole disk (whose file systems the container can then read and rewrite).
pub fn sensitive_device(host_path: &str) -> Option<&'static str> {
    let name = host_path.strip_prefix("/dev/")?;
    match name {
        "mem" | "kmem" => return Some("raw access to physical memory"),
        "port" => return Some("raw access to I/O ports"),
        _ => {}
    }
    const DISKS: &[&str] = &["sd", "vd", "xvd", "hd", "nvme", "mmcblk", "dm-", "md", "loop", "mapper/", "disk/"];
    DISKS
        .iter()
        .any(|prefix| name.starts_with(prefix) && name.len() > prefix.len())
        .then_some("a host disk: its file systems can be read and rewritten")
}

/// True when the container runs as root: an explicit root user (`0`, `root`, `0:0`), or for a
/// live container no user at all (the image's default, already merged, is root).
pub fn root_user(spec: &ContainerSpec) -> bool {
    match &spec.user {
        Some(user) => user.is_root(),
        None => spec.source == SpecSource::Engine,
    }
}

/// The network mode when it is the daemon's default bridge (`docker0`): explicitly, or by
/// omission for a `docker run` line or a live container. Compose services get their project's
/// own network by default.
pub fn on_default_bridge(spec: &ContainerSpec) -> Option<Option<&Sourced<NetworkMode>>> {
    match &spec.network_mode {
        Some(mode) if matches!(mode.value, NetworkMode::Default | NetworkMode::Bridge) => Some(Some(mode)),
        Some(_) => None,
        None if spec.source != SpecSource::Compose => Some(None),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampart_model::parse_volume_short;

    fn socket(volume: &str) -> Option<String> {
        exposed_engine_socket(&parse_volume_short(volume).unwrap())
    }

    #[test]
    fn engine_sockets_directly_through_parents_and_by_name() {
        assert_eq!(socket("/var/run/docker.sock:/var/run/docker.sock").as_deref(), Some("/var/run/docker.sock"));
        assert_eq!(socket("/run/:/host-run:ro").as_deref(), Some("/run/docker.sock (through /run)"));
        assert_eq!(socket("/var/run:/r").as_deref(), Some("/var/run/docker.sock (through /var/run)"));
        assert_eq!(socket("/run/containerd:/c").as_deref(), Some("/run/containerd/containerd.sock (through /run/containerd)"));
        assert_eq!(socket("/run/user/1000/docker.sock:/var/run/docker.sock").as_deref(), Some("/run/user/1000/docker.sock"));
        assert_eq!(socket("$XDG_RUNTIME_DIR/docker.sock:/var/run/docker.sock").as_deref(), Some("$XDG_RUNTIME_DIR/docker.sock"));
        assert_eq!(socket("$SOCK:/var/run/docker.sock").as_deref(), Some("$SOCK"));
        assert_eq!(socket("/:/host"), None, "the host root has its own rule");
        assert_eq!(socket("/run/secrets:/s"), None);
        assert_eq!(socket("/var/lib/app:/data"), None);
        assert_eq!(socket("sockets:/var/run/docker.sock"), None, "a named volume is not the host's socket");
    }

    #[test]
    fn sensitive_paths() {
        assert_eq!(sensitive_host_path("/etc"), Some("/etc"));
        assert_eq!(sensitive_host_path("/etc/localtime"), None);
        assert_eq!(sensitive_host_path("/etc/shadow"), Some("/etc/shadow"));
        assert_eq!(sensitive_host_path("/etc/docker/daemon.json"), Some("/etc/docker"));
        assert_eq!(sensitive_host_path("/var/lib/docker/volumes/x"), Some("/var/lib/docker"));
        assert_eq!(sensitive_host_path("/dev/shm"), None);
        assert_eq!(sensitive_host_path("/srv/data"), None);
        assert_eq!(sensitive_host_path("/etcetera"), None);
    }

    #[test]
    fn sensitive_devices() {
        for path in ["/dev/mem", "/dev/kmem", "/dev/port", "/dev/sda", "/dev/vda1", "/dev/nvme0n1", "/dev/mapper/root", "/dev/dm-0"] {
            assert!(sensitive_device(path).is_some(), "{path}");
        }
        for path in ["/dev/snd", "/dev/dri/renderD128", "/dev/net/tun", "/dev/fuse", "/dev/ttyUSB0", "/dev/sd", "mem"] {
            assert!(sensitive_device(path).is_none(), "{path}");
        }
    }
}
