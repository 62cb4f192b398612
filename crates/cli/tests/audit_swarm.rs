//! `rampart audit` of daemons the shared test daemon cannot be: second private dockerds started
//! here (root needed).
//!
//! A swarm manager: one is made a one-node swarm (`docker swarm init` works offline), given a secret and a service
//! that publishes a port through the routing mesh and keeps a password in its environment; the
//! audit must collect the swarm and flag them. The shared test daemon is never made a swarm
//! manager: the other live tests depend on it as it is.
//!
//! Socket activation: one is started by systemd-socket-activate with `-H fd://`, so its TCP
//! listener is on no command line and in no daemon.json; the audit must find it in /proc.
//!
//! Runs when the live tests run (RAMPART_TEST_DOCKER_HOST set, as scripts/test.sh does as root);
//! RAMPART_SKIP_LIVE=1 skips it on purpose.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use rampart_testsupport::{docker, live_docker_host};



/// A dockerd of its own (socket, data root, exec root, pidfile in a temporary directory; no
/// default bridge and no iptables rules, so it cannot disturb the shared test daemon), stopped
/// and removed on drop.
struct PrivateDaemon {
    dir: PathBuf,
    host: String,
    process: std::process::Child,
}

impl PrivateDaemon {
    fn start() -> PrivateDaemon {
        PrivateDaemon::start_with(&[], &[])
    }

    /// `launcher` runs before dockerd (it must exec it); `extra` are more dockerd arguments.
    fn start_with(launcher: &[&str], extra: &[&str]) -> PrivateDaemon {
        let dir = PathBuf::from(
            String::from_utf8(std::process::Command::new("mktemp").args(["-d", "/tmp/rampart-swarm.XXXXXX"]).output().unwrap().stdout)
                .unwrap()
                .trim(),
        );
        let host = format!("unix://{}/docker.sock", dir.display());
        let log = std::fs::File::create(dir.join("dockerd.log")).unwrap();
        let mut command = match launcher.split_first() {
            Some((program, args)) => {
                let mut command = std::process::Command::new(program);
                command.args(args).arg("dockerd");
                command
            }
            None => std::process::Command::new("dockerd"),
        };
        let process = command
            .args(extra)
            .args(["--host", &host, "--bridge", "none", "--iptables=false", "--ip6tables=false"])
            .arg("--data-root")
            .arg(dir.join("data"))
            .arg("--exec-root")
            .arg(dir.join("exec"))
            .arg("--pidfile")
            .arg(dir.join("docker.pid"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("dockerd");
        let daemon = PrivateDaemon { dir, host, process };
        let started = Instant::now();
        loop {
            // A socket-activated daemon starts on its first connection.
            if let Some(address) = launcher.iter().skip_while(|a| **a != "-l").nth(1) {
                let _ = std::net::TcpStream::connect(address);
            }
            let ready = std::process::Command::new("docker").args(["-H", &daemon.host, "version"]).output();
            if ready.is_ok_and(|o| o.status.success()) {
                break;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let log = std::fs::read_to_string(daemon.dir.join("dockerd.log")).unwrap_or_default();
                panic!("the swarm test's dockerd did not start: {log}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        daemon
    }
}

impl Drop for PrivateDaemon {
    fn drop(&mut self) {
        // Leaving the swarm removes the ingress network; docker_gwbridge is a host interface.
        let quiet = |args: &[&str]| {
            let _ = std::process::Command::new("docker").arg("-H").arg(&self.host).args(args).output();
        };
        quiet(&["swarm", "leave", "--force"]);
        quiet(&["network", "rm", "docker_gwbridge"]);
        terminate(&mut self.process);
        // dockerd leaves mounts under its data and exec roots: unmount them before removing.
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        let mut points: Vec<&str> = mounts
            .lines()
            .filter_map(|line| line.split_whitespace().nth(1))
            .filter(|point| Path::new(point).starts_with(&self.dir))
            .collect();
        points.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for point in points {
            let _ = std::process::Command::new("umount").args(["-l", point]).output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// SIGTERM (dockerd shuts down cleanly on it), then SIGKILL after 20 s.
fn terminate(child: &mut std::process::Child) {
    let _ = std::process::Command::new("kill").arg(child.id().to_string()).output();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_swarm_manager_is_audited_with_its_services_secrets_and_settings() {
    if live_docker_host("the swarm audit tests").is_none() {
        return;
    }
    let daemon = PrivateDaemon::start();
    let host = daemon.host.as_str();
    // Port 0: no fixed port, so nothing else on the machine is in the way.
    docker(host, &["swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", "127.0.0.1:0"]);

    let context = tempfile::tempdir().unwrap();
    let busybox = ["/bin/busybox", "/usr/bin/busybox"].iter().map(PathBuf::from).find(|p| p.exists()).expect("a static busybox");
    std::fs::create_dir(context.path().join("bin")).unwrap();
    std::fs::copy(busybox, context.path().join("bin/busybox")).unwrap();
    std::fs::write(context.path().join("Dockerfile"), "FROM scratch\nCOPY bin /bin\n").unwrap();
    docker(host, &["build", "-q", "-t", "rampart-swarm:1", &context.path().display().to_string()]);
    let secret_file = context.path().join("secret");
    std::fs::write(&secret_file, "not-a-real-secret").unwrap();
    docker(host, &["secret", "create", "db_password", &secret_file.display().to_string()]);
    docker(host, &["config", "create", "app_config", &secret_file.display().to_string()]);
    docker(
        host,
        &["service", "create", "--detach", "--name", "web", "--publish", "8080:80", "--env", "DB_PASSWORD=s3cr3t-Pa55word",
          "--secret", "db_password", "rampart-swarm:1", "/bin/busybox", "sleep", "1000"],
    );
    docker(
        host,
        &["service", "create", "--detach", "--name", "worker", "--publish", "mode=host,target=9000,published=9000",
          "--env", "DB_PASSWORD_FILE=/run/secrets/db_password", "--secret", "db_password", "rampart-swarm:1",
          "/bin/busybox", "sleep", "1000"],
    );

    let out = tempfile::tempdir().unwrap();
    let snapshot_path = out.path().join("snapshot.json");
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(out.path())
        .args(["audit", "--host", host, "--format", "json", "--save-snapshot", &snapshot_path.display().to_string()])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "findings expected: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot_path).unwrap()).unwrap();

    let swarm = &snapshot["swarm"];
    assert_eq!(swarm["autolock"], false, "{swarm}");
    assert_eq!((swarm["managers"].as_u64(), swarm["nodes"].as_u64()), (Some(1), Some(1)), "{swarm}");
    assert_eq!(swarm["secrets"], serde_json::json!(["db_password"]));
    assert_eq!(swarm["configs"], serde_json::json!(["app_config"]));
    let services = swarm["services"].as_array().unwrap();
    let names: Vec<&str> = services.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["web", "worker"]);
    assert_eq!(services[0]["secrets"], serde_json::json!(["db_password"]));
    assert_eq!(services[0]["ports"][0]["mode"], "ingress");
    assert_eq!(services[1]["ports"][0]["mode"], "host");
    // No plugin is installed, and that is known (not unknown).
    assert_eq!(snapshot["plugins"], serde_json::json!([]));

    let flagged = |rule: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["location"]["object"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(flagged("DMN012"), ["swarm"], "autolock off");
    assert_eq!(flagged("DMN013"), ["service:web"], "only the ingress-published service");
    assert_eq!(flagged("DMN014"), ["service:web"], "only the password in the environment");
    assert!(flagged("DMN015").is_empty(), "one node: overlay traffic never leaves the host");
    // The secret's value never appears in the report.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("s3cr3t-Pa55word"));
}

#[test]
fn a_tcp_listener_that_socket_activation_hides_is_found_in_proc() {
    if live_docker_host("the swarm audit tests").is_none() {
        return;
    }
    let activate = ["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"]
        .iter()
        .find(|p| Path::new(p).exists())
        .expect("systemd-socket-activate (Debian: systemd) is needed for this test");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let address = format!("127.0.0.1:{port}");
    let daemon = PrivateDaemon::start_with(&[activate, "-l", &address], &["-H", "fd://"]);

    let out = tempfile::tempdir().unwrap();
    let snapshot_path = out.path().join("snapshot.json");
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(out.path())
        .args(["audit", "--host", &daemon.host, "--format", "json", "--save-snapshot", &snapshot_path.display().to_string()])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "findings expected: {stderr}");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot_path).unwrap()).unwrap();
    assert_eq!(snapshot["host"]["dockerd_tcp_listeners"], serde_json::json!([address]), "{}", snapshot["host"]);
    let command_line = snapshot["host"]["dockerd_command_line"].to_string();
    assert!(!command_line.contains(&port.to_string()), "the port is on no command line: {command_line}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let dmn001: Vec<&Value> = report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "DMN001").collect();
    assert_eq!(dmn001.len(), 1, "{report}");
    assert!(dmn001[0]["message"].as_str().unwrap().contains(&format!("tcp://{address}")), "{}", dmn001[0]);
    assert!(dmn001[0]["evidence"].as_str().unwrap().contains("/proc"), "{}", dmn001[0]);
}
