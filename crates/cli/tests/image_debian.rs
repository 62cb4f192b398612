//! `rampart image` and `rampart audit` on a real Debian image: bookworm from `debootstrap
//! --variant=minbase`, `docker import`ed, and an application image built FROM it that plants fake
//! secrets (files, some deleted by a later layer; ENV; a LABEL; a build argument recorded in the
//! history). scripts/setup.d/20-debian-image.sh builds them on the private daemon and names them
//! in RAMPART_TEST_DEBIAN_* variables. Without them these tests fail, unless RAMPART_SKIP_LIVE=1
//! says to skip them on purpose.

use assert_cmd::Command;
use serde_json::Value;
use rampart_testsupport::live_var;

/// A variable of scripts/setup.d/20-debian-image.sh (or the test daemon's).
fn env(name: &str) -> Option<String> {
    live_var(name, "the Debian image tests")
}

fn rampart_json(args: &[&str]) -> (Option<i32>, Value) {
    let output = Command::cargo_bin("rampart").unwrap().args(args).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), report)
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

fn object(finding: &Value) -> &str {
    finding["location"]["object"].as_str().unwrap_or_default()
}

/// What the application image must show, whether read from its tar or in an audit.
fn assert_planted_secrets_found(report: &Value, object_prefix: &str) {
    let layer_secrets = findings(report, "IMG029");
    let about = |path: &str| -> Vec<&Value> {
        layer_secrets.iter().copied().filter(|f| object(f) == format!("{object_prefix}:{path}")).collect()
    };
    // Kept in the final file system.
    let aws = about("/root/.aws/credentials");
    assert!(aws.iter().any(|f| f["evidence"].as_str().unwrap().contains("aws-access-key-id")), "{aws:#?}");
    // Deleted by a later layer: both layers and both history commands are named.
    let key = about("/root/.ssh/id_ed25519");
    assert_eq!(key.len(), 1, "{layer_secrets:#?}");
    let message = key[0]["message"].as_str().unwrap();
    assert!(message.contains("a private key") && message.contains("added in layer") && message.contains("deleted in layer"), "{message}");
    assert!(message.contains("COPY") && message.contains("rm /root/.ssh/id_ed25519"), "{message}");
    let env_file: Vec<String> = about("/srv/app/.env").iter().map(|f| f["message"].as_str().unwrap().to_string()).collect();
    for kind in ["GitLab personal access token", "Slack"] {
        assert!(env_file.iter().any(|m| m.contains(kind) && m.contains("deleted in layer")), "{kind}: {env_file:#?}");
    }
    // The config: ENV, LABEL and the build argument in the history.
    let about_image = |rule: &str, says: &str| {
        findings(report, rule).iter().any(|f| object(f) == object_prefix && f["message"].as_str().unwrap().contains(says))
    };
    assert!(about_image("IMG003", "STRIPE_API_KEY"), "{:#?}", findings(report, "IMG003"));
    assert!(about_image("IMG030", "org.example.registry-token"), "{:#?}", findings(report, "IMG030"));
    assert!(about_image("IMG031", "DEPLOY_TOKEN"), "{:#?}", findings(report, "IMG031"));
    // Nothing is printed whole: the redacted forms end in an ellipsis and a hash, or a key header.
    let text = report.to_string();
    for finding in findings(report, "IMG029").iter().chain(&findings(report, "IMG031")).chain(&findings(report, "IMG030")) {
        let evidence = finding["evidence"].as_str().unwrap();
        assert!(evidence.contains('…'), "{evidence}");
    }
    assert!(!text.contains("BEGIN PRIVATE KEY-----\\n"), "a key body in the report");
}

fn assert_debian_12(image: &Value) {
    let os = &image["base_os"];
    assert_eq!(os["id"], "debian", "{image:#}");
    assert_eq!(os["version_id"], "12");
    assert!(os["pretty_name"].as_str().unwrap().contains("bookworm"));
    assert_eq!(os["end_of_life"], "2028-06-30");
    assert_eq!(os["eol_status"], "supported");
}

#[test]
fn image_finds_the_planted_secrets_and_none_on_plain_debian() {
    let (Some(app_tar), Some(debian_tar), Some(app)) =
        (env("RAMPART_TEST_DEBIAN_APP_TAR"), env("RAMPART_TEST_DEBIAN_TAR"), env("RAMPART_TEST_DEBIAN_APP_IMAGE"))
    else {
        return;
    };
    let (code, report) = rampart_json(&["image", &app_tar, "--format", "json"]);
    assert_eq!(code, Some(1), "{report:#}");
    assert_planted_secrets_found(&report, &format!("image:{app}"));
    assert_debian_12(&report["images"][0]);

    let (_, plain) = rampart_json(&["image", &debian_tar, "--format", "json", "--fail-on", "never"]);
    for rule in ["IMG003", "IMG029", "IMG030", "IMG031"] {
        assert!(findings(&plain, rule).is_empty(), "{rule} on plain Debian: {:#?}", findings(&plain, rule));
    }
    assert!(plain["errors"].as_array().unwrap().is_empty(), "{plain:#}");
    assert_debian_12(&plain["images"][0]);
}

#[test]
fn audit_reads_the_images_its_containers_use() {
    let (Some(host), Some(app), Some(debian)) =
        (env("RAMPART_TEST_DOCKER_HOST"), env("RAMPART_TEST_DEBIAN_APP_IMAGE"), env("RAMPART_TEST_DEBIAN_IMAGE"))
    else {
        return;
    };
    let docker = |args: &[&str]| {
        let output = std::process::Command::new("docker").arg("-H").arg(&host).args(args).output().unwrap();
        assert!(output.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    };
    let name = "rampart-image-debian-audit";
    let _ = std::process::Command::new("docker").args(["-H", &host, "rm", "-f", name]).output();
    docker(&["create", "--name", name, &app, "sleep", "60"]);

    // The planted values, as the engine shows them: none may appear whole in a report.
    let inspect = std::process::Command::new("docker").args(["-H", &host, "image", "inspect", &app]).output().unwrap();
    let inspect: Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let config = &inspect[0]["Config"];
    let stripe = config["Env"].as_array().unwrap().iter().filter_map(|e| e.as_str()?.strip_prefix("STRIPE_API_KEY=")).next().unwrap().to_string();
    let label = config["Labels"]["org.example.registry-token"].as_str().unwrap().to_string();
    let history = std::process::Command::new("docker").args(["-H", &host, "history", "--no-trunc", "--format", "{{.CreatedBy}}", &app]).output().unwrap();
    let history = String::from_utf8(history.stdout).unwrap();
    let token = history.split_whitespace().find_map(|w| w.strip_prefix("DEPLOY_TOKEN=")).unwrap().to_string();
    let planted = [stripe, label, token];

    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("snapshot.json");
    let (_, report) = rampart_json(&["audit", "-H", &host, "--format", "json", "--save-snapshot", saved.to_str().unwrap()]);
    let app_object = format!("image:{app}");
    assert_planted_secrets_found(&report, &app_object);
    for value in &planted {
        assert!(value.len() > 20 && !report.to_string().contains(value.as_str()), "{value} is in the report");
    }
    let images = report["images"].as_array().unwrap();
    let app_image = images.iter().find(|i| i["object"] == app_object).unwrap_or_else(|| panic!("{images:#?}"));
    assert_debian_12(app_image);
    // An image no container uses is listed, but its layers are not read.
    if let Some(unused) = images.iter().find(|i| i["object"] == format!("image:{debian}")) {
        let used = report.to_string().contains(&format!("\"image:{debian}:"));
        assert!(used || unused.get("base_os").is_none(), "{unused:#}");
    }

    // Replaying the saved snapshot judges the saved content again, offline.
    let (_, replayed) = rampart_json(&["audit", "--snapshot", saved.to_str().unwrap(), "--format", "json"]);
    assert_planted_secrets_found(&replayed, &app_object);
    assert_eq!(findings(&replayed, "IMG029").len(), findings(&report, "IMG029").len());

    // --no-image-content: config and history only.
    let (_, config_only) = rampart_json(&["audit", "-H", &host, "--format", "json", "--no-image-content"]);
    assert!(findings(&config_only, "IMG029").iter().all(|f| !object(f).starts_with(&app_object)), "layers were read");
    let app_image = config_only["images"].as_array().unwrap().iter().find(|i| i["object"] == app_object).unwrap();
    assert!(app_image.get("base_os").is_none(), "{app_image:#}");
    assert!(findings(&config_only, "IMG003").iter().any(|f| object(f) == app_object), "config rules still run");

    // A limit that the export exceeds becomes a note, and the rest of the audit goes on.
    let (_, limited) = rampart_json(&["audit", "-H", &host, "--format", "json", "--max-image-size", "1MiB"]);
    let notes: Vec<&Value> = limited["notices"].as_array().unwrap().iter().filter(|n| n["path"] == format!("image content {app_object}")).collect();
    assert_eq!(notes.len(), 1, "{:#}", limited["notices"]);
    assert!(notes[0]["message"].as_str().unwrap().contains("limit"), "{notes:#?}");
    assert!(findings(&limited, "IMG003").iter().any(|f| object(f) == app_object));

    let (_, late) = rampart_json(&["audit", "-H", &host, "--format", "json", "--image-timeout", "0.001"]);
    let notes: Vec<&Value> = late["notices"].as_array().unwrap().iter().filter(|n| n["path"] == format!("image content {app_object}")).collect();
    assert_eq!(notes.len(), 1, "{:#}", late["notices"]);
    assert!(notes[0]["message"].as_str().unwrap().contains("time limit"), "{notes:#?}");

    docker(&["rm", "-f", name]);
}

/// A proxy in front of the daemon that passes everything through, except that it stops relaying
/// an image export's answer after its first MiB and holds the connection open: an engine that
/// hangs in the middle of a `docker save` stream.
fn stalling_proxy(upstream: &str, listen: &std::path::Path) {
    use std::io::{Read, Write};
    use std::os::unix::net::{UnixListener, UnixStream};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let listener = UnixListener::bind(listen).unwrap();
    let upstream = upstream.trim_start_matches("unix://").to_string();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = UnixStream::connect(&upstream) else { return };
            let exporting = Arc::new(AtomicBool::new(false));
            let (mut client_read, mut server_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let seen = exporting.clone();
            std::thread::spawn(move || {
                let mut buffer = [0u8; 8192];
                while let Ok(n) = client_read.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buffer[..n]);
                    if text.starts_with("GET ") && text.lines().next().is_some_and(|line| line.contains("/get ")) {
                        seen.store(true, Ordering::SeqCst);
                    }
                    if server_write.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            });
            let (mut server_read, mut client_write) = (server, client);
            std::thread::spawn(move || {
                let mut buffer = [0u8; 65536];
                let mut relayed = 0usize;
                while let Ok(n) = server_read.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    if exporting.load(Ordering::SeqCst) && relayed > 1 << 20 {
                        // Hang: keep both ends open, send nothing more.
                        std::thread::sleep(std::time::Duration::from_secs(3600));
                    }
                    relayed += n;
                    if client_write.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
}

#[test]
fn an_engine_that_hangs_mid_export_is_given_up_when_it_stops_sending() {
    let (Some(host), Some(app)) = (env("RAMPART_TEST_DOCKER_HOST"), env("RAMPART_TEST_DEBIAN_APP_IMAGE")) else { return };
    let name = "rampart-image-debian-stall";
    let _ = std::process::Command::new("docker").args(["-H", &host, "rm", "-f", name]).output();
    let created = std::process::Command::new("docker").args(["-H", &host, "create", "--name", name, &app, "sleep", "60"]).output().unwrap();
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let dir = tempfile::tempdir().unwrap();
    let proxy = dir.path().join("stall.sock");
    stalling_proxy(&host, &proxy);

    let started = std::time::Instant::now();
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["audit", "--format", "json", "--image-timeout", "40", "--host"])
        .arg(format!("unix://{}", proxy.display()))
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let _ = std::process::Command::new("docker").args(["-H", &host, "rm", "-f", name]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    let collector = format!("image content image:{app}");
    let note = report["notices"].as_array().unwrap().iter().find(|n| n["path"] == collector.as_str());
    let note = note.unwrap_or_else(|| panic!("no notice for {collector}: {:#}", report["notices"]));
    let message = note["message"].as_str().unwrap();
    // Given up after half the image timeout without a byte (20 s), not the whole 40 s. Every
    // image a container uses stalls behind this proxy; two are read at a time.
    assert!(message.contains("sent nothing for 20 s"), "{message}");
    let stalled = report["notices"].as_array().unwrap().iter().filter(|n| n["message"].as_str().unwrap_or_default().contains("sent nothing")).count();
    let bound = std::time::Duration::from_secs(20 * stalled.div_ceil(2) as u64 + 15);
    assert!(elapsed < bound, "the audit took {elapsed:?} for {stalled} stalled images");
    // The rest of the audit went on: the container and the image's config were judged.
    assert!(findings(&report, "IMG003").iter().any(|f| object(f) == format!("image:{app}")), "{:#}", report["findings"]);
}
