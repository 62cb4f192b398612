//! `rampart audit` when the engine is missing, hangs or answers nonsense: a clear message naming
//! the engine, no hang past the timeout, exit 2 only when nothing could be audited. The broken
//! engines here are tiny unix-socket listeners (no daemon needed).

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::time::{Duration, Instant};

fn audit(cwd: &Path, host: &str, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(cwd)
        .args(["audit", "--host", host])
        .args(extra)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

/// A listener that answers every connection with `reply` (or never, when `None`).
fn fake_engine(path: &Path, reply: Option<&'static str>) {
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            match reply {
                Some(reply) => {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer);
                    let _ = stream.write_all(reply.as_bytes());
                }
                // Accept and keep the connection open without a byte in reply.
                None => held.push(stream),
            }
        }
    });
}

#[test]
fn a_missing_socket_with_nothing_else_to_audit_exits_2_naming_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let output = audit(dir.path(), "unix:///nonexistent/rampart/docker.sock", &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unix:///nonexistent/rampart/docker.sock") && stderr.contains("--host"), "{stderr}");
    assert!(stderr.contains("no socket") && stderr.contains("nothing could be audited"), "{stderr}");
}

#[test]
fn without_an_engine_the_dockerfiles_here_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian:12\nRUN sudo apt-get update\n").unwrap();
    let output = audit(dir.path(), "unix:///nonexistent/rampart/docker.sock", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "DKF001"), "{report}");
    let notice = &report["notices"][0];
    assert_eq!(notice["kind"], "engine-unreachable");
    assert!(notice["message"].as_str().unwrap().contains("/nonexistent/rampart/docker.sock"), "{notice}");
}

#[test]
fn an_engine_that_never_answers_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent.sock");
    fake_engine(&socket, None);
    let started = Instant::now();
    let output = audit(dir.path(), &format!("unix://{}", socket.display()), &["--timeout", "1"]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did not answer within"), "{stderr}");
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
}

#[test]
fn a_garbled_reply_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("garbled.sock");
    fake_engine(&socket, Some("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\nnot json!!"));
    let output = audit(dir.path(), &format!("unix://{}", socket.display()), &["--timeout", "5"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unexpected reply") && stderr.contains("/version"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_reply_without_an_api_version_is_not_taken_for_a_docker_daemon() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("other.sock");
    fake_engine(&socket, Some("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"Version\":\"1.0\"}"));
    let output = audit(dir.path(), &format!("unix://{}", socket.display()), &["--timeout", "5"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is this a Docker daemon?"), "{stderr}");
}

#[test]
fn a_snapshot_that_is_not_one_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    std::fs::write(&path, "[1, 2]").unwrap();
    let output = Command::cargo_bin("rampart").unwrap().args(["audit", "--snapshot"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a rampart snapshot"), "{stderr}");
}

fn running_as_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn a_socket_this_user_may_not_open_gets_the_docker_group_hint() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let socket = dir.path().join("docker.sock");
    fake_engine(&socket, None);
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o600)).unwrap();
    let rampart = assert_cmd::cargo::cargo_bin("rampart");
    let host = format!("unix://{}", socket.display());
    // Root opens any socket: drop to nobody for the attempt (setpriv is installed by scripts/test.sh).
    let mut command = if running_as_root() {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&rampart);
        command
    } else {
        std::process::Command::new(&rampart)
    };
    let output = command.current_dir(dir.path()).args(["audit", "--timeout", "5", "--host", &host]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.to_lowercase().contains("permission denied"), "{stderr}");
    assert!(stderr.contains("`docker` group") && stderr.contains("equivalent to root"), "{stderr}");
}

/// A minimal engine: answers by request path, one request per connection.
fn scripted_engine(path: &Path, answer: fn(&str) -> (u16, String)) {
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let head = String::from_utf8_lossy(&request);
            let target = head.split(' ').nth(1).unwrap_or("/").to_string();
            let (status, body) = answer(&target);
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
}

#[test]
fn a_container_removed_between_list_and_inspect_is_skipped_with_a_notice() {
    fn answer(target: &str) -> (u16, String) {
        let path = target.split('?').next().unwrap_or(target);
        let ok = |body: &str| (200, body.to_string());
        match path {
            "/version" => ok(r#"{"ApiVersion":"1.41","MinAPIVersion":"1.12","Version":"20.10.24","Os":"linux"}"#),
            "/v1.41/info" => ok("{}"),
            "/v1.41/containers/json" => ok(r#"[{"Id":"aaaaaaaaaaaaaaaa","Names":["/gone"]},{"Id":"bbbbbbbbbbbbbbbb","Names":["/here"]}]"#),
            "/v1.41/containers/aaaaaaaaaaaaaaaa/json" => (404, r#"{"message":"No such container: aaaaaaaaaaaaaaaa"}"#.into()),
            "/v1.41/containers/bbbbbbbbbbbbbbbb/json" => ok(
                r#"{"Id":"bbbbbbbbbbbbbbbb","Name":"/here","State":{"Status":"running"},"Config":{"Image":"x"},"HostConfig":{"Privileged":true},"SomeFutureField":{"x":1}}"#,
            ),
            "/v1.41/images/json" | "/v1.41/networks" => ok("[]"),
            "/v1.41/volumes" => ok(r#"{"Volumes":[],"Warnings":[]}"#),
            _ => (404, r#"{"message":"page not found"}"#.into()),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("engine.sock");
    scripted_engine(&socket, answer);
    let output = audit(dir.path(), &format!("unix://{}", socket.display()), &["--format", "json", "--timeout", "5"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "CTR001" && f["location"]["object"] == "container:here"), "{report}");
    assert!(!findings.iter().any(|f| f["location"]["object"] == "container:gone"));
    let notices = report["notices"].to_string();
    assert!(notices.contains("aaaaaaaaaaaa") && notices.contains("removed while the audit ran"), "{notices}");
}

/// Runs `openssl` with `args` in `dir`; panics with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let output = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("this test needs the openssl command (Debian: openssl): {e}"));
    assert!(output.status.success(), "openssl {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
}

/// A certificate authority `name`.pem/.key and a certificate `leaf` it signed for 127.0.0.1.
fn certificate_authority_and_leaf(dir: &Path, name: &str, leaf: &str) {
    openssl(dir, &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", &format!("/CN={name}"),
        "-keyout", &format!("{name}.key"), "-out", &format!("{name}.pem")]);
    openssl(dir, &["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", &format!("{leaf}.key"),
        "-out", &format!("{leaf}.csr")]);
    std::fs::write(dir.join(format!("{leaf}.ext")), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n").unwrap();
    openssl(dir, &["x509", "-req", "-in", &format!("{leaf}.csr"), "-CA", &format!("{name}.pem"), "-CAkey", &format!("{name}.key"),
        "-CAcreateserial", "-days", "2", "-extfile", &format!("{leaf}.ext"), "-out", &format!("{leaf}.pem")]);
}

/// Kills the TLS server when the test ends, whatever happens.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_tls_engine_whose_certificate_another_ca_signed_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // The server's certificate comes from one CA; the client trusts only another one.
    certificate_authority_and_leaf(dir.path(), "server-ca", "server");
    let client_dir = dir.path().join("client");
    std::fs::create_dir(&client_dir).unwrap();
    certificate_authority_and_leaf(&client_dir, "ca", "cert");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = std::process::Command::new("openssl")
        .current_dir(dir.path())
        .args(["s_server", "-quiet", "-accept", &format!("127.0.0.1:{port}"), "-cert", "server.pem", "-key", "server.key", "-www"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let _server = KillOnDrop(server);
    let ready = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(ready.elapsed() < Duration::from_secs(20), "openssl s_server did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }

    let started = Instant::now();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env("DOCKER_TLS_VERIFY", "1")
        .env("DOCKER_CERT_PATH", &client_dir)
        .args(["audit", "--host", &format!("tcp://127.0.0.1:{port}"), "--timeout", "5"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("tcp://127.0.0.1:{port}")), "{stderr}");
    let lower = stderr.to_ascii_lowercase();
    assert!(lower.contains("certificate") && (lower.contains("unknown") || lower.contains("issuer")), "names the certificate problem: {stderr}");
    assert!(stderr.contains(&client_dir.join("ca.pem").display().to_string()), "names the CA it was checked against: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}
