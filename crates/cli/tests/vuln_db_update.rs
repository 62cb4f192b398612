//! `rampart db update` end to end against a loopback HTTP server started here: the ecosystems
//! come from the images named with --from-image, then from what the database already has; a
//! second update while one is running stops with a clear error and leaves the database as the
//! first one made it.

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

fn rampart() -> Command {
    Command::cargo_bin("rampart").expect("the rampart binary is built")
}

fn archive(ecosystem: &str, name: &str, count: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..count {
        let id = format!("{}-{i}", ecosystem.to_ascii_uppercase());
        let record = serde_json::json!({"id": id, "affected": [{"package": {"ecosystem": ecosystem, "name": format!("{name}{i}")},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.0"}]}]}]});
        zip.start_file(format!("{id}.json"), options).expect("entry");
        zip.write_all(record.to_string().as_bytes()).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

/// Serves `/Debian/all.zip` and `/PyPI/all.zip` (404 for the rest) and logs each path. With a
/// gate, every request waits until the gate is opened.
fn serve(gate: Option<mpsc::Receiver<()>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let log = Arc::new(Mutex::new(Vec::new()));
    let thread_log = Arc::clone(&log);
    let debian = archive("Debian:12", "deb", 3);
    let pypi = archive("PyPI", "py", 2);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            thread_log.lock().expect("log").push(path.clone());
            if let Some(gate) = &gate {
                let _ = gate.recv();
            }
            let body: &[u8] = match path.as_str() {
                "/Debian/all.zip" => &debian,
                "/PyPI/all.zip" => &pypi,
                _ => {
                    let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    continue;
                }
            };
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    (base, log)
}

/// A root file system with Debian 12 dpkg records and one Python package.
fn rootfs(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("rootfs");
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).expect("mkdir");
    std::fs::create_dir_all(root.join("usr/lib/python3/dist-packages/six-1.16.0.dist-info")).expect("mkdir");
    std::fs::write(root.join("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n").expect("write");
    std::fs::write(root.join("var/lib/dpkg/status"), "Package: gzip\nStatus: install ok installed\nVersion: 1.12-1\n").expect("write");
    std::fs::write(root.join("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"), "Name: six\nVersion: 1.16.0\n").expect("write");
    root
}

fn advisories(db: &Path) -> u64 {
    let output = rampart().args(["db", "status", "--format", "json", "--db"]).arg(db).output().expect("run");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    status["advisories"].as_u64().unwrap_or(0)
}

#[test]
fn ecosystems_come_from_the_images_then_from_the_database() {
    let (base, log) = serve(None);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("advisories.db");
    let root = rootfs(dir.path());

    let output = rampart().args(["db", "update", "--base-url", &base, "--from-image"]).arg(&root).arg("--db").arg(&db).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("updating Debian, PyPI (what the images need)"));
    assert_eq!(*log.lock().expect("log"), ["/Debian/all.zip", "/PyPI/all.zip"]);
    assert_eq!(advisories(&db), 5);

    log.lock().expect("log").clear();
    let output = rampart().args(["db", "update", "--base-url", &base, "--db"]).arg(&db).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("(those already in the database)"));
    assert_eq!(*log.lock().expect("log"), ["/Debian/all.zip", "/PyPI/all.zip"]);
}

#[test]
fn a_second_update_while_one_runs_stops_and_the_first_completes() {
    let (gate, wait) = mpsc::channel();
    let (base, log) = serve(Some(wait));
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("advisories.db");

    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("rampart"))
        .args(["db", "update", "--ecosystem", "Debian", "--base-url", &base, "--db"])
        .arg(&db)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start the first update");
    // The first update holds the lock once its request has reached the (waiting) server.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while log.lock().expect("log").is_empty() {
        assert!(std::time::Instant::now() < deadline, "the first update never sent its request");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = rampart().args(["db", "update", "--ecosystem", "Debian", "--base-url", &base, "--db"]).arg(&db).output().expect("run");
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("another `rampart db update` is running"), "{stderr}");
    assert_eq!(log.lock().expect("log").len(), 1, "the second update downloaded nothing");

    gate.send(()).expect("open the gate");
    let status = first.wait().expect("first update ends");
    assert!(status.success(), "the first update completes");
    assert_eq!(advisories(&db), 3);
}
