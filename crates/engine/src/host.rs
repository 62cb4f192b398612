//! Facts about the machine a local engine runs on: the socket's permissions, the docker group,
//! the dockerd serving this socket (its command line, from /proc) and its daemon.json, and
//! runtime monitors. Each fact that cannot be read is left unknown with a note.

use rampart_model::{AuditedFile, CollectorNote, HostFacts, HostFile, SocketFacts};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

const DEFAULT_DAEMON_JSON: &str = "/etc/docker/daemon.json";
const AUDIT_DIR: &str = "/etc/audit";
const DPKG_STATUS: &str = "/var/lib/dpkg/status";
/// Packages that ship the engine and its runtimes on Debian-family hosts.
const ENGINE_PACKAGES: &[&str] = &["docker.io", "docker-ce", "moby-engine", "runc", "containerd", "containerd.io"];
/// Process names of runtime security monitors.
const RUNTIME_MONITORS: &[&str] = &["falco", "tetragon", "tracee", "sysdig", "dragent", "sysdig-agent"];

pub fn collect(socket: &str, data_root: Option<&str>) -> (HostFacts, Vec<CollectorNote>) {
    let mut notes = Vec::new();
    let mut note = |collector: &str, message: String| notes.push(CollectorNote { collector: collector.into(), message });
    let mut facts = HostFacts::default();

    let group_file = std::fs::read_to_string("/etc/group");
    let passwd_file = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    match std::fs::metadata(socket) {
        Ok(meta) => {
            let groups = group_file.as_deref().unwrap_or_default();
            facts.socket = Some(SocketFacts {
                path: socket.to_string(),
                mode: meta.mode() & 0o7777,
                owner: name_of(&passwd_file, meta.uid()),
                group: name_of(groups, meta.gid()),
            });
        }
        Err(e) => note("host.socket", format!("cannot stat {socket}: {e}")),
    }
    match &group_file {
        Ok(groups) => facts.docker_group_members = Some(group_members(groups, "docker")),
        Err(e) => note("host.docker_group", format!("cannot read /etc/group: {e}")),
    }

    match find_dockerd(Path::new("/proc"), socket) {
        Ok(Some((pid, argv))) => {
            match tcp_listeners(Path::new("/proc"), pid) {
                Ok(listeners) => facts.dockerd_tcp_listeners = Some(listeners),
                Err(e) => note(
                    "host.dockerd_listeners",
                    format!("cannot read the sockets of dockerd (pid {pid}) in /proc: {e}; its TCP listeners are unknown"),
                ),
            }
            let config_file = flag_values(&argv, &["--config-file"]).pop().unwrap_or_else(|| DEFAULT_DAEMON_JSON.into());
            match std::fs::read_to_string(&config_file) {
                Ok(text) => facts.daemon_json = Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => facts.daemon_json_missing = true,
                Err(e) => note("host.daemon_json", format!("cannot read {config_file}: {e}")),
            }
            facts.daemon_json_path = Some(config_file);
            facts.dockerd_command_line = Some(argv);
        }
        Ok(None) => note(
            "host.dockerd",
            format!("no dockerd process serving {socket} was found in /proc (another PID namespace, or not root?)"),
        ),
        Err(e) => note("host.dockerd", format!("cannot read /proc: {e}")),
    }

    facts.files = engine_files(&facts, &passwd_file, group_file.as_deref().unwrap_or_default());
    match data_root.filter(|d| !d.is_empty()) {
        Some(root) => match (std::fs::metadata(root), std::fs::metadata("/")) {
            (Ok(data), Ok(system)) => facts.data_root_separate = Some(data.dev() != system.dev()),
            (Err(e), _) | (_, Err(e)) => note("host.data_root", format!("cannot stat {root}: {e}")),
        },
        None => note("host.data_root", "the data root is unknown (/info could not be read)".into()),
    }
    match std::fs::read_to_string(DPKG_STATUS) {
        Ok(status) => facts.packages = Some(engine_packages(&status)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            note("host.packages", format!("no {DPKG_STATUS}: package versions unknown (not a Debian-family host)"))
        }
        Err(e) => note("host.packages", format!("cannot read {DPKG_STATUS}: {e}")),
    }
    match audit_rules(Path::new(AUDIT_DIR)) {
        Ok(Some(rules)) => {
            let data_root = data_root.filter(|d| !d.is_empty()).unwrap_or("/var/lib/docker");
            facts.docker_file_audit = Some(docker_file_audit(&rules, data_root, |path| Path::new(path).exists()));
        }
        Ok(None) => note(
            "host.audit_rules",
            format!("auditd is not installed (no {AUDIT_DIR}): whether Docker's files are audited is unknown"),
        ),
        Err(e) => note("host.audit_rules", format!("cannot read the audit rules in {AUDIT_DIR}: {e}")),
    }
    match docker_user_chain() {
        Ok(rules) => facts.docker_user_chain = Some(rules),
        Err(why) => note("host.iptables", why),
    }
    match running_monitors(Path::new("/proc")) {
        Ok(found) => facts.runtime_monitors = Some(found),
        Err(e) => note("host.runtime_monitors", format!("cannot list processes: {e}")),
    }
    (facts, notes)
}

/// The user or group name for `id` in a passwd/group-format file, else the number.
fn name_of(file: &str, id: u32) -> String {
    file.lines()
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            fields.next()?;
            (fields.next()?.parse::<u32>().ok()? == id).then(|| name.to_string())
        })
        .next()
        .unwrap_or_else(|| id.to_string())
}

/// The members listed for `group` in /etc/group (users whose primary group it is are not listed
/// there; that is rare for `docker`).
pub(crate) fn group_members(groups: &str, group: &str) -> Vec<String> {
    groups
        .lines()
        .find(|line| line.split(':').next() == Some(group))
        .and_then(|line| line.split(':').nth(3))
        .map(|members| members.split(',').map(str::trim).filter(|m| !m.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

fn process_dirs(proc_root: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(proc_root)?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .map(|entry| entry.path())
        .collect())
}

/// The command line of the dockerd that serves `socket`: one whose `-H`/`--host` names it, or,
/// for the default socket, one started without `-H` or with systemd's `fd://`.
pub(crate) fn find_dockerd(proc_root: &Path, socket: &str) -> std::io::Result<Option<(u32, Vec<String>)>> {
    let mut fallback = None;
    for dir in process_dirs(proc_root)? {
        let Some(pid) = dir.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(raw) = std::fs::read(dir.join("cmdline")) else { continue };
        let argv: Vec<String> =
            raw.split(|&b| b == 0).filter(|w| !w.is_empty()).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
        let Some(program) = argv.first() else { continue };
        if Path::new(program).file_name().and_then(|n| n.to_str()) != Some("dockerd") {
            continue;
        }
        let hosts = flag_values(&argv, &["-H", "--host"]);
        if hosts.iter().any(|h| h.strip_prefix("unix://").unwrap_or(h) == socket) {
            return Ok(Some((pid, argv)));
        }
        let default_socket = matches!(socket, "/var/run/docker.sock" | "/run/docker.sock");
        if default_socket && (hosts.is_empty() || hosts.iter().any(|h| h.starts_with("fd://"))) {
            fallback = Some((pid, argv));
        }
    }
    Ok(fallback)
}

/// The values given to a flag, in order: `-H x`, `-H=x`, `--host x`, `--host=x`.
pub(crate) fn flag_values(argv: &[String], names: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    let mut words = argv.iter().skip(1);
    while let Some(word) = words.next() {
        for name in names {
            if word == name {
                if let Some(value) = words.next() {
                    values.push(value.clone());
                }
            } else if let Some(value) = word.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')) {
                values.push(value.to_string());
            }
        }
    }
    values
}

/// The engine's files the CIS benchmark (section 3) wants root-owned and tight, as far as they
/// exist: systemd units, configuration, TLS material named by the daemon, registry
/// certificates, the containerd socket.
fn engine_files(facts: &HostFacts, passwd: &str, groups: &str) -> Vec<HostFile> {
    let mut candidates: Vec<(String, &str)> = Vec::new();
    for dir in ["/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"] {
        for unit in ["docker.service", "docker.socket", "containerd.service"] {
            candidates.push((format!("{dir}/{unit}"), "unit"));
        }
    }
    candidates.push(("/etc/docker".into(), "directory"));
    for config in ["/etc/default/docker", "/etc/sysconfig/docker", "/etc/containerd/config.toml"] {
        candidates.push((config.into(), "config"));
    }
    if let Some(path) = &facts.daemon_json_path {
        candidates.push((path.clone(), "config"));
    }
    // TLS material named on the command line or in daemon.json.
    let json: Option<serde_json::Value> = facts.daemon_json.as_deref().and_then(|text| serde_json::from_str(text).ok());
    for (flag, key, kind) in [("--tlscacert", "tlscacert", "tls-cert"), ("--tlscert", "tlscert", "tls-cert"), ("--tlskey", "tlskey", "tls-key")] {
        let from_flags = facts.dockerd_command_line.as_deref().map(|argv| flag_values(argv, &[flag])).unwrap_or_default();
        let from_json = json.as_ref().and_then(|j| j.get(key)).and_then(|v| v.as_str()).map(str::to_string);
        for path in from_flags.into_iter().chain(from_json) {
            candidates.push((path, kind));
        }
    }
    // Registry certificates: /etc/docker/certs.d/<registry>/{ca.crt,client.cert,client.key}.
    if let Ok(registries) = std::fs::read_dir("/etc/docker/certs.d") {
        for registry in registries.filter_map(Result::ok) {
            for file in std::fs::read_dir(registry.path()).into_iter().flatten().filter_map(Result::ok) {
                let path = file.path().display().to_string();
                let kind = if path.ends_with(".key") { "tls-key" } else { "tls-cert" };
                candidates.push((path, kind));
            }
        }
    }
    candidates.push(("/run/containerd/containerd.sock".into(), "socket"));
    let mut files = Vec::new();
    for (path, kind) in candidates {
        // Followed: units are often symlinks; one to /dev/null (a masked unit) is not a file.
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        if meta.file_type().is_char_device() || meta.file_type().is_block_device() {
            continue;
        }
        if files.iter().any(|f: &HostFile| f.path == path) {
            continue;
        }
        files.push(HostFile {
            path,
            kind: kind.to_string(),
            mode: meta.mode() & 0o7777,
            owner: name_of(passwd, meta.uid()),
            group: name_of(groups, meta.gid()),
        });
    }
    files
}

/// The TCP addresses a process listens on: the socket inodes among its open files, looked up in
/// its network namespace's /proc/PID/net/tcp and tcp6. This sees sockets that systemd socket
/// activation or an `-H` from an environment file opened, which neither the command line nor
/// daemon.json show. Addresses as `0.0.0.0:2375` and `[::]:2376`.
pub(crate) fn tcp_listeners(proc_root: &Path, pid: u32) -> std::io::Result<Vec<String>> {
    let process = proc_root.join(pid.to_string());
    let mut inodes = std::collections::HashSet::new();
    for entry in std::fs::read_dir(process.join("fd"))? {
        let Ok(target) = std::fs::read_link(entry?.path()) else { continue };
        let target = target.to_string_lossy();
        if let Some(inode) = target.strip_prefix("socket:[").and_then(|rest| rest.strip_suffix(']')) {
            if let Ok(inode) = inode.parse::<u64>() {
                inodes.insert(inode);
            }
        }
    }
    let mut found = Vec::new();
    for table in ["tcp", "tcp6"] {
        // tcp6 is absent when IPv6 is off.
        let Ok(text) = std::fs::read_to_string(process.join("net").join(table)) else { continue };
        for (inode, address) in listening_sockets(&text) {
            if inodes.contains(&inode) && !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The listening sockets of a /proc/net/tcp or tcp6 table: `(inode, address)`.
pub(crate) fn listening_sockets(table: &str) -> Vec<(u64, String)> {
    const LISTEN: &str = "0A";
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (local, state, inode) = (fields.get(1)?, fields.get(3)?, fields.get(9)?);
            if *state != LISTEN {
                return None;
            }
            let (ip, port) = local.split_once(':')?;
            let port = u16::from_str_radix(port, 16).ok()?;
            Some((inode.parse().ok()?, format!("{}:{port}", kernel_ip(ip)?)))
        })
        .collect()
}

/// An address as the kernel prints it in /proc/net/tcp*: 32-bit words in host (little-endian
/// on the machines Docker runs on) order, 8 hex digits for IPv4, 32 for IPv6.
fn kernel_ip(hex: &str) -> Option<String> {
    let words: Vec<u32> = (0..hex.len() / 8)
        .map(|i| hex.get(i * 8..i * 8 + 8).and_then(|w| u32::from_str_radix(w, 16).ok()))
        .collect::<Option<_>>()?;
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string()),
        16 => {
            let octets: [u8; 16] = bytes.try_into().ok()?;
            Some(format!("[{}]", std::net::Ipv6Addr::from(octets)))
        }
        _ => None,
    }
}

/// The audit rules on disk: /etc/audit/audit.rules (what augenrules compiles) and
/// /etc/audit/rules.d/*.rules, concatenated; `None` when /etc/audit does not exist (no auditd).
fn audit_rules(dir: &Path) -> std::io::Result<Option<String>> {
    if !dir.exists() {
        return Ok(None);
    }
    let mut text = String::new();
    let mut files = vec![dir.join("audit.rules")];
    if let Ok(entries) = std::fs::read_dir(dir.join("rules.d")) {
        let mut rules: Vec<PathBuf> =
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rules")).collect();
        rules.sort();
        files.extend(rules);
    }
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(content) => {
                text.push_str(&content);
                text.push('\n');
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(std::io::Error::new(e.kind(), format!("{}: {e}", file.display()))),
        }
    }
    Ok(Some(text))
}

/// The paths audit rules watch: `-w PATH` and `-F path=PATH` / `-F dir=PATH`.
pub(crate) fn audit_watches(rules: &str) -> Vec<String> {
    let mut watched = Vec::new();
    for line in rules.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2) {
            let path = match pair {
                ["-w", path] => Some(*path),
                ["-F", field] => field.strip_prefix("path=").or_else(|| field.strip_prefix("dir=")),
                _ => None,
            };
            if let Some(path) = path {
                watched.push(normalise_run(path.trim_end_matches('/')));
            }
        }
    }
    watched
}

/// `/var/run/...` is `/run/...` on current systems.
fn normalise_run(path: &str) -> String {
    match path.strip_prefix("/var/run/") {
        Some(rest) => format!("/run/{rest}"),
        None => path.to_string(),
    }
}

/// The Docker files CIS 1.1.3-1.1.18 want audited that exist on this host (`exists`), each
/// with whether a rule watches it or a directory above it.
pub(crate) fn docker_file_audit(rules: &str, data_root: &str, exists: impl Fn(&str) -> bool) -> Vec<AuditedFile> {
    let candidates: &[(&str, &[&str])] = &[
        ("1.1.3", &["/usr/bin/dockerd", "/usr/sbin/dockerd"]),
        ("1.1.4", &["/run/containerd"]),
        ("1.1.5", &[data_root]),
        ("1.1.6", &["/etc/docker"]),
        ("1.1.7", &["/lib/systemd/system/docker.service", "/usr/lib/systemd/system/docker.service", "/etc/systemd/system/docker.service"]),
        ("1.1.8", &["/run/containerd/containerd.sock"]),
        ("1.1.9", &["/lib/systemd/system/docker.socket", "/usr/lib/systemd/system/docker.socket", "/etc/systemd/system/docker.socket"]),
        ("1.1.10", &["/etc/default/docker"]),
        ("1.1.11", &["/etc/docker/daemon.json"]),
        ("1.1.12", &["/etc/containerd/config.toml"]),
        ("1.1.13", &["/etc/sysconfig/docker"]),
        ("1.1.14", &["/usr/bin/containerd", "/usr/sbin/containerd"]),
        ("1.1.15", &["/usr/bin/containerd-shim"]),
        ("1.1.16", &["/usr/bin/containerd-shim-runc-v1"]),
        ("1.1.17", &["/usr/bin/containerd-shim-runc-v2"]),
        ("1.1.18", &["/usr/bin/runc", "/usr/sbin/runc"]),
    ];
    let watches = audit_watches(rules);
    let mut files = Vec::new();
    for (cis, paths) in candidates {
        for path in paths.iter().filter(|p| exists(p)) {
            let normal = normalise_run(path);
            let watched = watches.iter().any(|w| normal == *w || normal.starts_with(&format!("{w}/")));
            files.push(AuditedFile { path: path.to_string(), cis: cis.to_string(), watched });
        }
    }
    files
}

/// The installed engine packages in a dpkg status file, `(name, version)`.
pub(crate) fn engine_packages(status: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for stanza in status.split("\n\n") {
        let field = |name: &str| {
            stanza.lines().find_map(|line| line.strip_prefix(name).and_then(|rest| rest.strip_prefix(": ")).map(str::trim))
        };
        let installed = field("Status").is_some_and(|s| s.ends_with(" installed"));
        if let (Some(package), Some(version), true) = (field("Package"), field("Version"), installed) {
            if ENGINE_PACKAGES.contains(&package) {
                found.push((package.to_string(), version.to_string()));
            }
        }
    }
    found.sort();
    found
}

/// The DOCKER-USER chain's rules, where operators filter traffic to published ports (Docker's
/// own rules bypass the INPUT chain). Read-only: `iptables -S`, waiting at most 5 s for the lock.
fn docker_user_chain() -> Result<Vec<String>, String> {
    let output = std::process::Command::new("iptables")
        .args(["-w", "5", "-S", "DOCKER-USER"])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run iptables: {e}"))?;
    if !output.status.success() {
        return Err(format!("iptables -S DOCKER-USER: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect())
}

fn running_monitors(proc_root: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    for dir in process_dirs(proc_root)? {
        let Ok(comm) = std::fs::read_to_string(dir.join("comm")) else { continue };
        let comm = comm.trim();
        if RUNTIME_MONITORS.contains(&comm) && !found.iter().any(|f| f == comm) {
            found.push(comm.to_string());
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn flag_values_in_every_spelling() {
        let line = argv(&["dockerd", "-H", "fd://", "--host=unix:///a.sock", "--host", "tcp://0.0.0.0:2375", "-H=x"]);
        assert_eq!(flag_values(&line, &["-H", "--host"]), ["fd://", "unix:///a.sock", "tcp://0.0.0.0:2375", "x"]);
    }

    #[test]
    fn engine_packages_from_dpkg_status() {
        let status = "Package: docker.io\nStatus: install ok installed\nVersion: 20.10.24+dfsg1-1+deb12u1\n\n\
                      Package: runc\nStatus: deinstall ok config-files\nVersion: 1.1.5+ds1-1\n\n\
                      Package: bash\nStatus: install ok installed\nVersion: 5.2\n";
        assert_eq!(engine_packages(status), [("docker.io".to_string(), "20.10.24+dfsg1-1+deb12u1".to_string())]);
    }

    #[test]
    fn group_members_of_docker() {
        let groups = "root:x:0:\ndocker:x:998:alice,bob\nstaff:x:50:carol\n";
        assert_eq!(group_members(groups, "docker"), ["alice", "bob"]);
        assert!(group_members(groups, "nogroup").is_empty());
        assert_eq!(name_of(groups, 998), "docker");
        assert_eq!(name_of(groups, 4242), "4242");
    }

    #[test]
    fn finds_the_dockerd_serving_the_socket() {
        let proc_root = tempfile::tempdir().unwrap();
        let write = |pid: &str, words: &[&str]| {
            let dir = proc_root.path().join(pid);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("cmdline"), words.join("\0") + "\0").unwrap();
        };
        write("10", &["/usr/sbin/dockerd", "-H", "fd://"]);
        write("20", &["/usr/sbin/dockerd", "--host", "unix:///tmp/t/docker.sock", "--data-root", "/tmp/t/data"]);
        write("30", &["/bin/sh", "-c", "dockerd --host unix:///tmp/t/docker.sock"]);
        let (pid, found) = find_dockerd(proc_root.path(), "/tmp/t/docker.sock").unwrap().unwrap();
        assert_eq!((pid, found[4].as_str()), (20, "/tmp/t/data"));
        let (_, default) = find_dockerd(proc_root.path(), "/var/run/docker.sock").unwrap().unwrap();
        assert_eq!(default[2], "fd://");
        assert!(find_dockerd(proc_root.path(), "/elsewhere.sock").unwrap().is_none());
    }

    #[test]
    fn listening_sockets_from_proc_net_tables() {
        // Real lines: 0.0.0.0:2375 listening, 127.0.0.1:53 established, [::]:2376 listening.
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
                  0: 00000000:0947 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0\n\
                  1: 0100007F:0035 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 41299 1 0000000000000000 20 4 30 10 -1\n";
        assert_eq!(listening_sockets(v4), [(41234, "0.0.0.0:2375".to_string())]);
        let v6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
                  0: 00000000000000000000000000000000:0948 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51234 1 0000000000000000 100 0 0 10 0\n\
                  1: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51235 1 0000000000000000 100 0 0 10 0\n";
        assert_eq!(
            listening_sockets(v6),
            [(51234, "[::]:2376".to_string()), (51235, "[::ffff:127.0.0.1]:8080".to_string())]
        );
        assert!(listening_sockets("header\ngarbage line\n").is_empty());
    }

    #[test]
    fn tcp_listeners_of_this_process_are_found() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let found = tcp_listeners(Path::new("/proc"), std::process::id()).unwrap();
        assert!(found.contains(&format!("127.0.0.1:{port}")), "{found:?}");
    }

    #[test]
    fn audit_rules_cover_docker_files_by_path_or_directory() {
        let rules = "# docker\n-w /usr/sbin/dockerd -k docker\n-a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n\
                     -w /etc/docker/ -k docker\n-w /var/run/containerd -k docker\n";
        let existing = ["/usr/sbin/dockerd", "/usr/bin/runc", "/etc/docker", "/etc/docker/daemon.json", "/run/containerd/containerd.sock", "/var/lib/docker", "/usr/bin/containerd"];
        let files = docker_file_audit(rules, "/var/lib/docker", |p| existing.contains(&p));
        let unwatched: Vec<&str> = files.iter().filter(|f| !f.watched).map(|f| f.path.as_str()).collect();
        assert_eq!(unwatched, ["/var/lib/docker", "/usr/bin/containerd"]);
        assert_eq!(files.len(), existing.len());
        assert_eq!(files[0].cis, "1.1.3");
    }
}
