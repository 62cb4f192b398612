//! The HTML report of a real audit, opened in a real browser. A live audit of the private test
//! daemon (RAMPART_TEST_DOCKER_HOST, started by scripts/test.sh) with objects whose names,
//! labels and paths hold `<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>`, is
//! written with `--format html`, then headless Chromium (RAMPART_TEST_CHROMIUM, installed by
//! scripts/setup.d/40-chromium.sh) loads it: no console message (a blocked script or image
//! would log one), the payloads only as text in the DOM, and a screenshot of the page.
//!
//! Without the daemon or the browser these tests fail, unless RAMPART_SKIP_LIVE=1 says to skip
//! them on purpose. Set RAMPART_HTML_SCREENSHOT=FILE to keep the screenshot for a look.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use rampart_testsupport::{live_docker_host, live_var, try_docker as docker};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// The daemon and the browser, or `None` when skipping was asked for explicitly.
fn live_setup() -> Option<(String, PathBuf)> {
    let what = "the HTML browser test";
    Some((live_docker_host(what)?, PathBuf::from(live_var("RAMPART_TEST_CHROMIUM", what)?)))
}


/// Removes what the test made, whatever happens to it.
struct Cleanup {
    host: String,
    containers: Vec<String>,
    networks: Vec<String>,
    image: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for container in &self.containers {
            let _ = docker(&self.host, &["rm", "-f", container]);
        }
        for network in &self.networks {
            let _ = docker(&self.host, &["network", "rm", network]);
        }
        let _ = docker(&self.host, &["rmi", &self.image]);
    }
}

/// Creates a bridge network on a subnet of its own in 10.200.0.0/13: on a machine where other
/// daemons hold many bridges, the engine's default address pools run out ("could not find an
/// available, non-overlapping IPv4 address pool"). Tries a few subnets; returns the network's ID.
fn create_network(host: &str, name: &str, index: usize) -> String {
    let seed = std::process::id() as usize;
    let mut last_error = String::new();
    for attempt in 0..8 {
        let slot = (seed * 7 + index * 131 + attempt * 977) % 2048;
        let subnet = format!("10.{}.{}.0/24", 200 + slot / 256, slot % 256);
        match docker(host, &["network", "create", "--subnet", &subnet, name]) {
            Ok(id) => return id,
            Err(error) => last_error = error,
        }
    }
    panic!("cannot create network {name}: {last_error}");
}

/// A FROM scratch image with a static busybox: nothing is pulled.
fn build_image(host: &str, tag: &str) {
    let busybox = ["/bin/busybox", "/usr/bin/busybox"].iter().map(PathBuf::from).find(|p| p.exists()).expect("a static busybox (Debian: busybox-static)");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bin")).unwrap();
    std::fs::copy(busybox, dir.path().join("bin/busybox")).unwrap();
    std::os::unix::fs::symlink("busybox", dir.path().join("bin/sleep")).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\nCOPY bin /bin\nCMD [\"/bin/sleep\", \"86400\"]\n").unwrap();
    docker(host, &["build", "-q", "-t", tag, &dir.path().display().to_string()]).unwrap();
}

/// Runs Chromium headless on `page` with `args`, within two minutes: (stdout, stderr).
fn chromium(binary: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut child = std::process::Command::new(binary)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().unwrap() {
            Some(status) => {
                let stdout = std::fs::read_to_string(out.path()).unwrap();
                let stderr = std::fs::read_to_string(err.path()).unwrap();
                assert!(status.success(), "chromium failed ({status}): {stderr}");
                return (stdout, stderr);
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                panic!("chromium did not finish within 120 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR", "not a PNG");
    let number = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

#[test]
fn a_live_audit_with_hostile_names_loads_in_chromium_without_running_anything() {
    let Some((host, browser)) = live_setup() else { return };
    let unique = format!("rampart-html-{}", std::process::id());
    let image = format!("{unique}:bb");
    build_image(&host, &image);
    let mut cleanup = Cleanup { host: host.clone(), containers: Vec::new(), networks: Vec::new(), image: image.clone() };

    // Networks take any name: both payloads become network names on the map.
    let script_network = format!("{unique}{SCRIPT}");
    let img_network = format!("{unique}{IMG}");
    // `--network` reads its value as CSV, so containers join them by ID.
    let mut network_ids = Vec::new();
    for (index, network) in [&script_network, &img_network].into_iter().enumerate() {
        network_ids.push(create_network(&host, network, index));
        cleanup.networks.push(network.clone());
    }
    // Labels, env, a host path and a mount target take anything. The engine refuses such
    // container names today; if it ever takes one, the name is tested too.
    let mount = format!("/tmp/{unique}{IMG}:/data{SCRIPT}");
    let (script_label, img_label, greeting) = (format!("evil={SCRIPT}"), format!("img={IMG}"), format!("GREETING={SCRIPT}"));
    let create_front = |name: &str| {
        docker(
            &host,
            &[
                "create", "--name", name, "--network", &network_ids[0], "--label", &script_label, "--label", &img_label, "-e", &greeting,
                "-p", "0.0.0.0:18473:80", "--privileged", "-v", &mount, &image,
            ],
        )
    };
    let front = match create_front(&format!("{unique}{SCRIPT}")) {
        Ok(_) => format!("{unique}{SCRIPT}"),
        Err(refused) => {
            assert!(refused.contains("Invalid container name"), "{refused}");
            create_front(&format!("{unique}-front")).unwrap();
            format!("{unique}-front")
        }
    };
    cleanup.containers.push(front.clone());
    let back = format!("{unique}-back");
    docker(&host, &["create", "--name", &back, "--network", &network_ids[1], "--label", &format!("evil={IMG}"), "-v", "/var/run/docker.sock:/var/run/docker.sock", &image]).unwrap();
    cleanup.containers.push(back.clone());
    // With the real Debian image of scripts/setup.d/20-debian-image.sh, the audit reads its base
    // OS and the page shows it on the map and in the images table.
    let debian = std::env::var("RAMPART_TEST_DEBIAN_IMAGE").ok().filter(|image| !image.is_empty());
    if let Some(image) = &debian {
        let name = format!("{unique}-debian");
        docker(&host, &["create", "--name", &name, "--network", &network_ids[1], image, "sleep", "86400"]).unwrap();
        cleanup.containers.push(name);
    } else {
        eprintln!("RAMPART_TEST_DEBIAN_IMAGE is not set: the base OS part of the HTML test is left out");
    }

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    Command::cargo_bin("rampart")
        .unwrap()
        .args(["audit", "-H", &host, "--fail-on", "never", "--format", "html", "-o"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();

    // The file: self-contained, the payloads written as text.
    for external in ["<script", "<link", "src=\"http", "href=\"http", "url(", "@import"] {
        assert!(!html.contains(external), "the page loads something: {external}");
    }
    assert!(!html.contains(SCRIPT) && !html.contains(IMG), "a payload reached the file unescaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the hostile network name is shown, escaped");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains(&format!("container:{front}")) && html.contains(&format!(">{back}</text>")), "both containers are in the report and on the map");
    if debian.is_some() {
        assert!(html.contains(">base Debian GNU/Linux 12 (bookworm)</text>"), "the map shows the image's base OS");
        assert!(html.contains("<td>Debian GNU/Linux 12 (bookworm)</td>"), "the images table shows it");
    }
    // A container that joined a network by ID is drawn on the named network, not on a second node.
    for id in &network_ids {
        assert!(!html.contains(&format!("network:{}", &id[..12])), "network {id} is drawn by its ID");
    }

    // The console check can fail: on this browser, a page whose script the same policy blocks
    // logs a console message that the check sees.
    let control = dir.path().join("control.html");
    std::fs::write(&control, "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><p>x</p><script>1</script>").unwrap();
    let (_, log) = chromium(&browser, &control, &["--dump-dom"]);
    assert!(log.lines().any(|line| line.contains(":CONSOLE")), "a blocked script is not logged as a console message here: {log}");

    // The browser: nothing logged to the console (a blocked script, handler or image would be),
    // and the DOM holds no element made from a payload.
    let (dom, log) = chromium(&browser, &page, &["--dump-dom"]);
    let console: Vec<&str> = log.lines().filter(|line| line.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert!(dom.contains("id=\"checklist\"") && dom.contains("<svg"), "the DOM is the report: {}", &dom[..dom.len().min(400)]);
    assert!(!dom.contains("<script") && !dom.contains("<img") && !dom.contains("onerror=\""), "a payload became an element");
    assert!(!dom.contains("<iframe") && !dom.contains("<link"), "the DOM loads nothing");
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the payload is text in the DOM");

    // A screenshot of the page's top: the checklist and the map fit in it.
    let shot = dir.path().join("report.png");
    let (_, log) = chromium(&browser, &page, &["--hide-scrollbars", "--window-size=1440,3000", &format!("--screenshot={}", shot.display())]);
    let console: Vec<&str> = log.lines().filter(|line| line.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    assert_eq!(png_size(&png), (1440, 3000));
    assert!(png.len() > 100_000, "a page of tables and a map is more than {} bytes of PNG", png.len());
    if let Ok(keep) = std::env::var("RAMPART_HTML_SCREENSHOT") {
        std::fs::copy(&shot, &keep).unwrap();
        std::fs::copy(&page, Path::new(&keep).with_extension("html")).unwrap();
    }
}
