//! `rampart audit --host ssh://...` against a real sshd and a real Docker daemon: the engine
//! socket the remote `docker` uses forwarded over one ssh connection, or, where that cannot be,
//! `docker system dial-stdio` run there for each request, as the Docker CLI does.
//!
//! scripts/setup.d/30-sshd.sh starts a private sshd on a loopback port whose authorized key
//! points the remote `docker` at the private test daemon, and exports RAMPART_TEST_SSH_HOST
//! (`ssh://root@127.0.0.1:PORT`) and RAMPART_TEST_SSH_OPTS (identity, known hosts). Without
//! them these tests fail, unless RAMPART_SKIP_LIVE=1 says to skip them on purpose.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use rampart_testsupport::{docker, live_docker_host, live_var};

struct Setup {
    docker_host: String,
    ssh_host: String,
    ssh_options: String,
}

/// The test daemon and the private sshd of scripts/setup.d/30-sshd.sh.
fn setup() -> Option<Setup> {
    let what = "the ssh audit tests";
    Some(Setup {
        docker_host: live_docker_host(what)?,
        ssh_host: live_var("RAMPART_TEST_SSH_HOST", what)?,
        ssh_options: live_var("RAMPART_TEST_SSH_OPTS", what)?,
    })
}



/// A privileged container made for this test (created, never started), in an image built
/// FROM scratch with a static busybox.
fn create_privileged_container(host: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let busybox = ["/bin/busybox", "/usr/bin/busybox"].iter().map(PathBuf::from).find(|p| p.exists()).expect("a static busybox");
    std::fs::create_dir(dir.path().join("bin")).unwrap();
    std::fs::copy(busybox, dir.path().join("bin/busybox")).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\nCOPY bin /bin\nCMD [\"/bin/busybox\", \"true\"]\n").unwrap();
    docker(host, &["build", "-q", "-t", "rampart-ssh-test:1", &dir.path().display().to_string()]);
    let _ = std::process::Command::new("docker").args(["-H", host, "rm", "-f", name]).output();
    docker(host, &["create", "--name", name, "--privileged", "rampart-ssh-test:1"]);
}

fn audit_over_ssh(host: &str, options: &str, extra: &[&str]) -> (std::process::Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(dir.path())
        .env("RAMPART_SSH_OPTS", options)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .args(["audit", "--host", host])
        .args(extra)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (output, started.elapsed())
}

#[test]
fn an_ssh_host_is_audited_over_a_forwarded_socket_or_dial_stdio() {
    let Some(setup) = setup() else { return };
    let name = "rampart-ssh-privileged";
    create_privileged_container(&setup.docker_host, name);
    let snapshot_dir = tempfile::tempdir().unwrap();
    let snapshot_path = snapshot_dir.path().join("snapshot.json");
    let (output, elapsed) = audit_over_ssh(
        &setup.ssh_host,
        &setup.ssh_options,
        &["--format", "json", "--save-snapshot", &snapshot_path.display().to_string()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "findings expected: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let object = format!("container:{name}");
    assert!(
        report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CTR001" && f["location"]["object"] == object.as_str()),
        "the privileged container seen over ssh is flagged: {report}"
    );
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot_path).unwrap()).unwrap();
    assert_eq!(snapshot["engine"]["host"], setup.ssh_host.as_str());
    assert_eq!(snapshot["engine"]["local"], false);
    assert!(snapshot["engine"]["api_version"].as_str().is_some_and(|v| v.starts_with("1.")), "{}", snapshot["engine"]);
    // The same daemon as the unix socket: the same containers.
    let over_ssh: Vec<&str> = snapshot["containers"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    let direct = docker(&setup.docker_host, &["ps", "-a", "--format", "{{.Names}}"]);
    let mut direct: Vec<&str> = direct.lines().collect();
    direct.sort();
    assert_eq!(over_ssh, direct);
    // Host files are not examined for a remote engine, and the report says so.
    assert!(
        report["notices"].as_array().unwrap().iter().any(|n| n["path"] == "host" && n["message"].as_str().unwrap().contains("not a local socket")),
        "{}",
        report["notices"]
    );
    eprintln!("audit over ssh (forwarded engine socket): {elapsed:?}");

    // ssh takes the first value of an option: this refuses the master connection rampart asks
    // for, so the socket cannot be forwarded and every request runs `docker system dial-stdio`.
    let fallback_path = snapshot_dir.path().join("fallback.json");
    let options = format!("{} -o ControlMaster=no", setup.ssh_options);
    let (output, elapsed) =
        audit_over_ssh(&setup.ssh_host, &options, &["--format", "json", "--save-snapshot", &fallback_path.display().to_string()]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let fallback: Value = serde_json::from_str(&std::fs::read_to_string(&fallback_path).unwrap()).unwrap();
    let names: Vec<&str> = fallback["containers"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, direct, "the same containers over dial-stdio");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CTR001" && f["location"]["object"] == object.as_str()),
        "flagged over dial-stdio too"
    );
    eprintln!("audit over ssh (dial-stdio per request): {elapsed:?}");
    docker(&setup.docker_host, &["rm", "-f", name]);
}

#[test]
fn an_ssh_login_that_fails_is_a_clear_error_with_what_ssh_said() {
    let Some(setup) = setup() else { return };
    // The authorized key is root's; "nobody" has none.
    let wrong_user = setup.ssh_host.replace("root@", "nobody@");
    let (output, elapsed) = audit_over_ssh(&wrong_user, &setup.ssh_options, &["--timeout", "5"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&wrong_user) && stderr.contains("Permission denied"), "{stderr}");
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");

    // A host key that does not match the known hosts file is refused, not accepted.
    let empty_known_hosts = tempfile::NamedTempFile::new().unwrap();
    let options = ssh_options_with_known_hosts(&setup.ssh_options, &empty_known_hosts.path().display().to_string());
    let (output, _) = audit_over_ssh(&setup.ssh_host, &options, &["--timeout", "5"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Host key verification failed") || stderr.contains("host key"), "{stderr}");
}

/// `options` with its known-hosts file replaced by `path`.
fn ssh_options_with_known_hosts(options: &str, path: &str) -> String {
    options
        .split_whitespace()
        .map(|word| if word.starts_with("UserKnownHostsFile=") { format!("UserKnownHostsFile={path}") } else { word.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}
