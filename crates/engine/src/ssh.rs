//! `ssh://` engines, reached the way the Docker CLI reaches them, with the system `ssh`: so
//! `~/.ssh/config`, agents, jump hosts and known hosts work as they do for `docker -H ssh://`,
//! and the remote `docker` CLI says which daemon to use (its DOCKER_HOST or context).
//!
//! bollard opens a new connection for every request over a unix socket, so a [`Tunnel`] keeps
//! one ssh master connection (ControlMaster, in a private 0700 temporary directory) and:
//! - when the remote engine is a unix socket (`docker context inspect` there), has the master
//!   forward it to a socket in that directory: each request is a channel on one connection;
//! - otherwise (a TCP engine, forwarding refused, an old CLI) listens on its own socket there
//!   and gives every connection its own `ssh ... docker system dial-stdio`, as the Docker CLI
//!   does, speaking HTTP over its stdin and stdout.
//!
//! What `ssh` says on stderr when it fails (unknown host key, permission denied,
//! `docker: command not found`) goes into the error. Extra `ssh` options (an identity, a
//! known-hosts file) come from `~/.ssh/config` or from `RAMPART_SSH_OPTS` (split at white
//! space), placed before rampart's own, so they win.

use std::io::{Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The environment variable with extra `ssh` options.
pub const SSH_OPTIONS_VARIABLE: &str = "RAMPART_SSH_OPTS";
/// What is kept of `ssh`'s stderr for messages.
const MAX_DIAGNOSTICS: usize = 2048;

/// Where an `ssh://[user@]host[:port]` URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
}

/// Parses `ssh://[user@]host[:port]`; like the Docker CLI, a path is refused (the remote
/// `docker` chooses its own daemon).
pub(crate) fn parse_ssh_url(url: &str) -> Result<SshTarget, String> {
    let rest = url.strip_prefix("ssh://").ok_or_else(|| format!("{url} is not an ssh:// address"))?;
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains('/') || authority.contains('?') || authority.contains('#') {
        return Err(format!("{url}: an ssh:// address takes no path, only ssh://[user@]host[:port]"));
    }
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, host_port)) if !user.is_empty() => (Some(user.to_string()), host_port),
        Some(_) => return Err(format!("{url}: empty user name")),
        None => (None, authority),
    };
    // `[::1]:22` or `[::1]` for IPv6, else `host:port` or `host`.
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or_else(|| format!("{url}: unclosed [ in the host"))?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() || host.starts_with('-') {
        return Err(format!("{url}: no usable host name"));
    }
    if user.as_deref().is_some_and(|u| u.starts_with('-')) {
        return Err(format!("{url}: a user name cannot start with '-'"));
    }
    let port = match port {
        Some(text) => Some(text.parse::<u16>().map_err(|_| format!("{url}: `{text}` is not a port number"))?),
        None => None,
    };
    Ok(SshTarget { user, host: host.to_string(), port })
}

/// The `ssh` arguments that run `docker system dial-stdio` on the target: never prompt (stdin
/// carries HTTP), give up connecting after `timeout`, no terminal.
pub(crate) fn ssh_arguments(target: &SshTarget, extra_options: &[String], timeout: Duration) -> Vec<String> {
    ssh_command(target, extra_options, timeout, &["docker", "system", "dial-stdio"])
}

/// The `ssh` arguments that run `command` on the target, never prompting.
fn ssh_command(target: &SshTarget, extra_options: &[String], timeout: Duration, command: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = extra_options.to_vec();
    args.extend(["-o".into(), "BatchMode=yes".into()]);
    args.extend(["-o".into(), format!("ConnectTimeout={}", timeout.as_secs().max(1))]);
    args.push("-T".into());
    if let Some(user) = &target.user {
        args.extend(["-l".into(), user.clone()]);
    }
    if let Some(port) = target.port {
        args.extend(["-p".into(), port.to_string()]);
    }
    args.extend(["--".into(), target.host.clone()]);
    args.extend(command.iter().map(|word| word.to_string()));
    args
}

/// `RAMPART_SSH_OPTS` split at white space.
fn options_from_environment() -> Vec<String> {
    std::env::var(SSH_OPTIONS_VARIABLE).map(|text| text.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

struct Shared {
    stopping: AtomicBool,
    /// What failed `ssh` children said, newest last, bounded.
    diagnostics: Mutex<String>,
}

impl Shared {
    fn record(&self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let Ok(mut diagnostics) = self.diagnostics.lock() else { return };
        if diagnostics.contains(text) {
            return;
        }
        if !diagnostics.is_empty() {
            diagnostics.push_str("; ");
        }
        diagnostics.push_str(text);
        if diagnostics.len() > MAX_DIAGNOSTICS {
            let mut cut = diagnostics.len() - MAX_DIAGNOSTICS;
            while !diagnostics.is_char_boundary(cut) {
                cut += 1;
            }
            diagnostics.replace_range(..cut, "...");
        }
    }
}

/// A unix socket in a private temporary directory whose every connection is carried by its own
/// `ssh ... docker system dial-stdio`. Dropping it stops listening and removes the directory;
/// the `ssh` children end when their connection closes.
pub struct Tunnel {
    dir: PathBuf,
    socket: PathBuf,
    shared: Arc<Shared>,
    /// The ssh master connection's control socket and the host, to close it when done.
    master: Option<(PathBuf, String)>,
    /// True when `socket` is ours (one ssh child per connection), false when it is the ssh
    /// master's forward of the remote engine socket.
    proxied: bool,
}

impl Tunnel {
    /// Listens for `url` (`ssh://[user@]host[:port]`), running `ssh` with the options from
    /// `RAMPART_SSH_OPTS`. Nothing is run until the first connection.
    pub fn start(url: &str, timeout: Duration) -> Result<Tunnel, String> {
        let target = parse_ssh_url(url)?;
        let dir = private_directory().map_err(|e| format!("cannot create a private directory for the ssh tunnel: {e}"))?;
        // bollard opens a new connection for every request over a unix socket (no pooling), so
        // every request would be an ssh login: one master connection carries them all instead.
        let control = dir.join("ssh-control");
        let mut options = options_from_environment();
        options.extend(["-o".into(), "ControlMaster=auto".into()]);
        options.extend(["-o".into(), format!("ControlPath={}", control.display())]);
        options.extend(["-o".into(), "ControlPersist=60".into()]);
        let master = Some((control.clone(), target.host.clone()));
        match forward_engine_socket(&target, &options, timeout, &dir, &control) {
            Ok(Some(socket)) => {
                let shared = Arc::new(Shared { stopping: AtomicBool::new(false), diagnostics: Mutex::new(String::new()) });
                return Ok(Tunnel { dir, socket, shared, master, proxied: false });
            }
            Ok(None) => {}
            Err(why) => {
                close_master(&control, &target.host);
                let _ = std::fs::remove_dir_all(&dir);
                return Err(why);
            }
        }
        let args = ssh_arguments(&target, &options, timeout);
        let mut tunnel = Tunnel::start_command(dir, "ssh".into(), args)?;
        tunnel.master = master;
        Ok(tunnel)
    }

    fn start_command(dir: PathBuf, program: String, args: Vec<String>) -> Result<Tunnel, String> {
        let socket = dir.join("docker.sock");
        let listener = match UnixListener::bind(&socket) {
            Ok(listener) => listener,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(format!("cannot listen on {}: {e}", socket.display()));
            }
        };
        let shared = Arc::new(Shared { stopping: AtomicBool::new(false), diagnostics: Mutex::new(String::new()) });
        let accept_shared = shared.clone();
        let spawned = std::thread::Builder::new().name("ssh-tunnel".into()).spawn(move || {
            for connection in listener.incoming() {
                if accept_shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(connection) = connection else { continue };
                let (program, args, shared) = (program.clone(), args.clone(), accept_shared.clone());
                let _ = std::thread::Builder::new()
                    .name("ssh-connection".into())
                    .spawn(move || carry(connection, &program, &args, &shared));
            }
        });
        if let Err(e) = spawned {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("cannot start the ssh tunnel: {e}"));
        }
        Ok(Tunnel { dir, socket, shared, master: None, proxied: true })
    }

    /// `unix://...` for bollard.
    pub fn unix_url(&self) -> String {
        format!("unix://{}", self.socket.display())
    }

    /// What failed `ssh` children said, if anything.
    pub fn diagnostics(&self) -> Option<String> {
        let text = self.shared.diagnostics.lock().ok()?.clone();
        (!text.is_empty()).then_some(text)
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        if self.proxied {
            // Wakes the accept loop so it sees `stopping`.
            let _ = UnixStream::connect(&self.socket);
        }
        if let Some((control, host)) = &self.master {
            close_master(control, host);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Ends the ssh master connection behind `control`, if one is running.
fn close_master(control: &Path, host: &str) {
    if control.exists() {
        let _ = Command::new("ssh")
            .args(["-o", &format!("ControlPath={}", control.display()), "-O", "exit", "--", host])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Runs `ssh args`, waiting at most `timeout`: `(exit code, stdout, stderr)`.
fn run_ssh(args: &[String], timeout: Duration) -> Result<(Option<i32>, String, String), String> {
    let mut child = Command::new("ssh")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound { " (is the OpenSSH client installed and on PATH?)" } else { "" };
            format!("cannot run ssh: {e}{hint}")
        })?;
    let read_all = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = read_all(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = read_all(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < timeout => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("ssh did not finish within {} s", timeout.as_secs()));
            }
            Err(e) => return Err(format!("ssh: {e}")),
        }
    };
    Ok((status.code(), stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default()))
}

/// The fast way, when the remote engine listens on a unix socket: ask the remote `docker` CLI
/// which engine it uses (its DOCKER_HOST or context), and have the ssh master connection
/// forward that socket to one in `dir`, so each request is a channel on one connection rather
/// than a new `docker system dial-stdio` process. `Ok(None)`: not possible here (a TCP engine,
/// an old CLI, forwarding refused by sshd), use dial-stdio. `Err`: ssh itself failed (login
/// refused, unknown host key, no ssh): dial-stdio would fail the same way.
fn forward_engine_socket(
    target: &SshTarget,
    options: &[String],
    timeout: Duration,
    dir: &Path,
    control: &Path,
) -> Result<Option<PathBuf>, String> {
    const SSH_FAILED: i32 = 255;
    let inspect = ssh_command(target, options, timeout, &["docker", "context", "inspect", "--format", "'{{.Endpoints.docker.Host}}'"]);
    // Connecting, logging in and one CLI call.
    let (code, stdout, stderr) = run_ssh(&inspect, timeout * 2)?;
    if code == Some(SSH_FAILED) {
        let said = stderr.trim();
        return Err(format!("ssh exited with status 255: {}", if said.is_empty() { "nothing on stderr" } else { said }));
    }
    let Some(remote_socket) = stdout.trim().strip_prefix("unix://").filter(|_| code == Some(0)).map(str::to_string) else {
        return Ok(None);
    };
    let local = dir.join("docker.sock");
    let forward = format!("{}:{remote_socket}", local.display());
    let control_option = format!("ControlPath={}", control.display());
    let request = ["-o".to_string(), control_option, "-O".into(), "forward".into(), "-L".into(), forward, "--".into(), target.host.clone()];
    match run_ssh(&request, timeout) {
        Ok((Some(0), _, _)) => {}
        _ => return Ok(None),
    }
    // sshd may refuse stream forwarding (AllowStreamLocalForwarding no) only when it is used.
    if engine_answers(&local, timeout) {
        Ok(Some(local))
    } else {
        let _ = std::fs::remove_file(&local);
        Ok(None)
    }
}

/// True when an HTTP server answers `/_ping` on the unix socket `path` within `timeout`.
fn engine_answers(path: &Path, timeout: Duration) -> bool {
    let Ok(mut stream) = UnixStream::connect(path) else { return false };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    if stream.write_all(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n").is_err() {
        return false;
    }
    let mut reply = [0u8; 8];
    stream.read_exact(&mut reply).is_ok() && reply.starts_with(b"HTTP/1.")
}

/// A fresh 0700 directory under the system's temporary directory.
fn private_directory() -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    let mut last_error = None;
    for _ in 0..16 {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("rampart-ssh-{}-{}-{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let dir = base.join(name);
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free name")))
}

/// Copies until end of input or an error, passing on each read at once. (Not `io::copy`: from
/// the socket into ssh's stdin it did not pass a short request on here; this loop does.)
fn pump(from: &mut impl Read, to: &mut impl Write) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if to.write_all(&buffer[..n]).and_then(|()| to.flush()).is_err() {
                    return;
                }
            }
        }
    }
}

/// Carries one connection over its own `ssh` child until either side closes. When `ssh`
/// fails, what it said is recorded before the connection is closed, so the caller's error
/// and the diagnostics are in step.
fn carry(connection: UnixStream, program: &str, args: &[String], shared: &Shared) {
    let spawned = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::NotFound { " (is the OpenSSH client installed and on PATH?)" } else { "" };
            shared.record(&format!("cannot run {program}: {e}{hint}"));
            return;
        }
    };
    let (Some(mut to_child), Some(mut from_child), Some(mut child_errors)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        return;
    };
    let stderr_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = (&mut child_errors).take(64 * 1024).read_to_end(&mut text);
        // Drain the rest so ssh never blocks on a full pipe.
        let _ = std::io::copy(&mut child_errors, &mut std::io::sink());
        String::from_utf8_lossy(&text).into_owned()
    });
    if let Ok(mut requests) = connection.try_clone() {
        std::thread::spawn(move || {
            pump(&mut requests, &mut to_child);
            // Closing ssh's stdin tells the remote dial-stdio the client is done.
            drop(to_child);
        });
    }
    pump(&mut from_child, &mut &connection);
    let status = child.wait();
    match status {
        // Joined only on failure: a master connection that went to the background may hold
        // stderr open for as long as it lives.
        Ok(status) if !status.success() => {
            let said = stderr_reader.join().unwrap_or_default();
            let said = said.trim();
            let said = if said.is_empty() { "nothing on stderr".to_string() } else { said.to_string() };
            shared.record(&format!("ssh exited with {status}: {said}"));
        }
        Err(e) => shared.record(&format!("ssh: {e}")),
        Ok(_) => {}
    }
    let _ = connection.shutdown(std::net::Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ssh_urls_like_the_docker_cli() {
        let full = parse_ssh_url("ssh://root@127.0.0.1:2222").unwrap();
        assert_eq!(full, SshTarget { user: Some("root".into()), host: "127.0.0.1".into(), port: Some(2222) });
        let bare = parse_ssh_url("ssh://build-host/").unwrap();
        assert_eq!(bare, SshTarget { user: None, host: "build-host".into(), port: None });
        let v6 = parse_ssh_url("ssh://me@[::1]:22").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", Some(22)));
        for bad in ["ssh://host/var/run/docker.sock", "ssh://host:ssh", "ssh://-oProxyCommand=x", "ssh://@host", "ssh://"] {
            assert!(parse_ssh_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ssh_runs_dial_stdio_without_prompting() {
        let target = parse_ssh_url("ssh://root@h:2222").unwrap();
        let args = ssh_arguments(&target, &["-i".into(), "/k".into()], Duration::from_secs(7));
        let line = args.join(" ");
        assert!(line.starts_with("-i /k -o BatchMode=yes -o ConnectTimeout=7 -T"), "{line}");
        assert!(line.ends_with("-l root -p 2222 -- h docker system dial-stdio"), "{line}");
    }

    #[test]
    fn a_connection_is_carried_over_the_child_and_failures_are_recorded() {
        // `cat` stands in for ssh: whatever is sent comes back.
        let tunnel = Tunnel::start_command(private_directory().unwrap(), "cat".into(), Vec::new()).unwrap();
        let socket = tunnel.socket.clone();
        let mut stream = UnixStream::connect(&socket).unwrap();
        stream.write_all(b"ping").unwrap();
        let mut reply = [0u8; 4];
        stream.read_exact(&mut reply).unwrap();
        assert_eq!(&reply, b"ping");
        assert_eq!(tunnel.diagnostics(), None);
        drop(tunnel);
        assert!(!socket.exists(), "the private directory is removed");

        let failing = Tunnel::start_command(private_directory().unwrap(), "sh".into(), vec!["-c".into(), "echo 'Permission denied (publickey).' >&2; exit 255".into()]).unwrap();
        let mut stream = UnixStream::connect(&failing.socket).unwrap();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        let said = failing.diagnostics().unwrap();
        assert!(said.contains("Permission denied (publickey)") && said.contains("255"), "{said}");

        let missing = Tunnel::start_command(private_directory().unwrap(), "/nonexistent/ssh".into(), Vec::new()).unwrap();
        let mut stream = UnixStream::connect(&missing.socket).unwrap();
        let _ = stream.read_to_end(&mut rest);
        let said = missing.diagnostics().unwrap();
        assert!(said.contains("cannot run /nonexistent/ssh") && said.contains("OpenSSH"), "{said}");
    }
}
