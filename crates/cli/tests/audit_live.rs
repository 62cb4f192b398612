//! `rampart audit` against a real Docker daemon: the containers of the live-audit fixture set
//! (risky shapes, created, running and exited, and one hardened), recreated here with the same
//! commands, then audited; the converted specs and the findings are checked.
//!
//! The daemon is the private one scripts/test.sh starts (as root) and names in
//! RAMPART_TEST_DOCKER_HOST. Without it these tests fail, unless RAMPART_SKIP_LIVE=1 says to
//! skip them on purpose. Images are built FROM scratch with a static busybox (nothing is pulled).

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use rampart_testsupport::{busybox, docker, live_docker_host};

fn docker_host() -> Option<String> {
    live_docker_host("the live audit tests")
}



/// A build context: bin/busybox with a few applet links made here (no RUN step, so building
/// does not start a container), and the Dockerfile.
fn build_image(host: &str, tag: &str, dockerfile: &str) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::copy(busybox(), bin.join("busybox")).unwrap();
    for applet in ["sh", "sleep", "true", "chmod"] {
        std::os::unix::fs::symlink("busybox", bin.join(applet)).unwrap();
    }
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    docker(host, &["build", "-q", "-t", tag, &dir.path().display().to_string()]);
}

/// Everything the tests share: the containers (created once), the audit's JSON report and the
/// snapshot it saved.
struct Audit {
    host: String,
    prefix: String,
    report: Value,
    snapshot: Value,
    snapshot_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Audit {
    fn name(&self, short: &str) -> String {
        format!("{}{short}", self.prefix)
    }

    /// The findings about `object` (`daemon`, `container:NAME`, `image:TAG`).
    fn findings_about<'a>(&'a self, object: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.report["findings"].as_array().unwrap().iter().filter(move |f| f["location"]["object"] == object)
    }

    /// Rule codes flagged for `object`.
    fn codes_about(&self, object: &str) -> BTreeSet<String> {
        self.findings_about(object).map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    }

    /// Rule codes flagged for the container named `short`.
    fn codes(&self, short: &str) -> BTreeSet<String> {
        self.codes_about(&format!("container:{}", self.name(short)))
    }

    fn container(&self, short: &str) -> &Value {
        let name = self.name(short);
        self.snapshot["containers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} is not in the snapshot"))
    }
}

/// `(short name, docker arguments after the name, what to do)`.
const CONTAINERS: &[(&str, &str, Action)] = &[
    ("default", "bb sleep 86400", Action::Run),
    ("privileged", "--privileged bb sleep 86400", Action::Create),
    ("cap-sysadmin", "--cap-add SYS_ADMIN bb sleep 86400", Action::Create),
    ("cap-all", "--cap-add ALL bb sleep 86400", Action::Create),
    ("cap-netadmin-ptrace", "--cap-add NET_ADMIN --cap-add SYS_PTRACE bb sleep 86400", Action::Create),
    ("dockersock", "-v SOCKET:/var/run/docker.sock bb sleep 86400", Action::Create),
    ("dockersock-ro-run", "-v /run:/host-run:ro bb sleep 86400", Action::Create),
    ("hostroot", "-v /:/host bb sleep 86400", Action::Create),
    ("hostroot-ro", "-v /:/host:ro bb sleep 86400", Action::Create),
    ("hostetc-mount", "--mount type=bind,source=/etc,target=/host-etc bb sleep 86400", Action::Create),
    ("mount-rshared", "--mount type=bind,source=SHARED,target=/shared,bind-propagation=rshared bb sleep 86400", Action::Create),
    ("net-host", "--net host bb sleep 86400", Action::Create),
    ("pid-host", "--pid host bb sleep 86400", Action::Create),
    ("ipc-host", "--ipc host bb sleep 86400", Action::Create),
    ("uts-host", "--uts host bb sleep 86400", Action::Create),
    ("userns-host", "--userns host bb sleep 86400", Action::Create),
    ("seccomp-unconfined", "--security-opt seccomp=unconfined bb sleep 86400", Action::Create),
    ("apparmor-unconfined", "--security-opt apparmor=unconfined bb sleep 86400", Action::Create),
    ("systempaths-unconfined", "--security-opt systempaths=unconfined bb sleep 86400", Action::Create),
    ("port-2375", "-p 0.0.0.0:2375:2375 bb sleep 86400", Action::Create),
    ("port-80-wildcard", "-p 80:80 bb sleep 86400", Action::Create),
    (
        "env-secret",
        "-e AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
         -e GITHUB_TOKEN=ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000 bb sleep 86400",
        Action::Create,
    ),
    ("user-0", "--user 0:0 bb sleep 86400", Action::Create),
    ("user-root", "--user root bb sleep 86400", Action::Create),
    ("restart-always", "--restart always bb sleep 86400", Action::Create),
    ("restart-unless-stopped", "--restart unless-stopped bb sleep 86400", Action::Create),
    ("restart-onfailure10", "--restart on-failure:10 bb sleep 86400", Action::Create),
    ("device-mem", "--device /dev/mem bb sleep 86400", Action::Create),
    ("device-vda", "--device /dev/vda bb sleep 86400", Action::Create),
    ("device-cgroup-rule", "--device-cgroup-rule=b_*:*_rwm bb sleep 86400", Action::Create),
    ("cgroup-parent", "--cgroup-parent aud-custom-parent bb sleep 86400", Action::Create),
    ("log-none", "--log-driver none bb sleep 86400", Action::Create),
    ("cpu-shares-only", "--cpu-shares 512 -m 64m bb sleep 86400", Action::Create),
    ("oom-kill-disable", "--oom-kill-disable bb sleep 86400", Action::Create),
    ("sloppy-image", "-P sloppy", Action::Create),
    ("sshd", "-p 0.0.0.0:2222:22 bb /usr/sbin/sshd -D", Action::Create),
    ("port-localhost", "-p 127.0.0.1:28080:80 bb sleep 86400", Action::Create),
    ("exited-dockersock", "-v SOCKET:/var/run/docker.sock bb true", Action::RunToExit),
    (
        "hardened",
        "--cap-drop ALL --read-only --tmpfs /tmp:rw,noexec,nosuid,size=16m --security-opt no-new-privileges \
         --user 65534:65534 --memory 128m --memory-swap 128m --cpus .5 --pids-limit 100 --restart on-failure:3 \
         --network NET -v VOLUME:/data --ulimit nofile=1024:1024 --log-opt max-size=10m --log-opt max-file=3 hardened",
        Action::Run,
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Create,
    Run,
    RunToExit,
}

fn audit() -> Option<&'static Audit> {
    static AUDIT: OnceLock<Option<Audit>> = OnceLock::new();
    AUDIT.get_or_init(|| docker_host().map(|host| set_up(&host))).as_ref()
}

/// Removes the containers of earlier runs whose test process is gone (their label names it),
/// so a developer's daemon does not fill up. Best effort: a failure here is not a test failure.
fn remove_leftovers(host: &str) {
    let Ok(output) = std::process::Command::new("docker")
        .args(["-H", host, "ps", "-a", "--filter", "label=rampart-test", "--format", "{{.ID}} {{.Label \"rampart-test\"}}"])
        .output()
    else {
        return;
    };
    let stale: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let (id, prefix) = line.split_once(' ')?;
            let pid = prefix.strip_prefix("rt")?.strip_suffix('-')?;
            (!Path::new("/proc").join(pid).exists()).then(|| id.to_string())
        })
        .collect();
    if !stale.is_empty() {
        let _ = std::process::Command::new("docker").args(["-H", host, "rm", "-f"]).args(&stale).output();
    }
}

fn set_up(host: &str) -> Audit {
    remove_leftovers(host);
    // Names unique to this run, so a daemon used twice (or by parallel runs) never collides.
    let prefix = format!("rt{}-", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    let image = |name: &str| format!("{prefix}{name}:1");
    build_image(host, &image("bb"), "FROM scratch\nCOPY bin /bin\nCMD [\"/bin/sh\"]\n");
    build_image(
        host,
        &image("sloppy"),
        "FROM scratch\nCOPY bin /bin\nENV API_TOKEN=sk_live_FAKEFAKEFAKE1234567890 DB_PASSWORD=hunter2\n\
         ADD bin/busybox /usr/sbin/sshd\nRUN chmod 4755 /bin/busybox\nEXPOSE 22 2375\nCMD [\"/usr/sbin/sshd\"]\n",
    );
    build_image(
        host,
        &image("hardened"),
        "FROM scratch\nCOPY bin /bin\nUSER 65534:65534\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"/bin/true\"]\n\
         CMD [\"/bin/sleep\", \"86400\"]\n",
    );
    let network = format!("{prefix}net");
    let volume = format!("{prefix}vol");
    docker(host, &["network", "create", &network]);
    docker(host, &["volume", "create", &volume]);
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let socket = host.trim_start_matches("unix://");
    for (short, args, action) in CONTAINERS {
        let name = format!("{prefix}{short}");
        let mut argv: Vec<String> = vec![
            match action {
                Action::Create => "create".into(),
                Action::Run | Action::RunToExit => "run".into(),
            },
            "--name".into(),
            name.clone(),
            "--label".into(),
            format!("rampart-test={prefix}"),
        ];
        if *action == Action::Run {
            argv.push("-d".into());
        }
        for word in args.split_whitespace() {
            let word = match word {
                "bb" | "sloppy" | "hardened" => image(word),
                "NET" => network.clone(),
                _ => word
                    .replace("SOCKET", socket)
                    .replace("SHARED", &shared.display().to_string())
                    .replace("VOLUME", &volume)
                    .replace("b_*:*_rwm", "b *:* rwm"),
            };
            argv.push(word);
        }
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        docker(host, &argv);
    }
    let snapshot_path = dir.path().join("snapshot.json");
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .current_dir(dir.path())
        .args(["audit", "--host", host, "--format", "json", "--save-snapshot"])
        .arg(&snapshot_path)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "risky containers must fail the audit: {}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot_path).unwrap()).unwrap();
    Audit { host: host.to_string(), prefix, report, snapshot, snapshot_path, _dir: dir }
}

#[test]
fn every_risky_container_is_flagged_for_its_risk() {
    let Some(audit) = audit() else { return };
    let expected: &[(&str, &[&str])] = &[
        ("default", &["CTR018", "CTR024", "NET005", "CTR030", "CTR017"]),
        ("privileged", &["CTR001"]),
        ("cap-sysadmin", &["CTR002"]),
        ("cap-all", &["CTR003"]),
        ("cap-netadmin-ptrace", &["CTR002"]),
        ("dockersock", &["CTR005"]),
        ("dockersock-ro-run", &["CTR005"]),
        ("hostroot", &["CTR006"]),
        ("hostroot-ro", &["CTR006"]),
        ("hostetc-mount", &["CTR007"]),
        ("mount-rshared", &["CTR020"]),
        ("net-host", &["NET001"]),
        ("pid-host", &["CTR008"]),
        ("ipc-host", &["CTR009"]),
        ("uts-host", &["CTR010"]),
        ("userns-host", &["CTR011"]),
        ("seccomp-unconfined", &["CTR013"]),
        ("apparmor-unconfined", &["CTR014"]),
        ("systempaths-unconfined", &["CTR016"]),
        ("port-2375", &["NET002", "NET006"]),
        ("port-80-wildcard", &["NET002", "NET003"]),
        ("env-secret", &["SEC002"]),
        ("user-0", &["CTR018"]),
        ("user-root", &["CTR018"]),
        ("restart-always", &["CTR028"]),
        ("restart-unless-stopped", &["CTR028"]),
        ("restart-onfailure10", &["CTR028"]),
        ("device-mem", &["CTR021"]),
        ("device-vda", &["CTR021"]),
        ("device-cgroup-rule", &["CTR023"]),
        ("cgroup-parent", &["CTR029"]),
        ("log-none", &["RUN001"]),
        ("cpu-shares-only", &["CTR025"]),
        ("oom-kill-disable", &["CTR027"]),
        ("sloppy-image", &["NET004", "SEC002", "CTR018", "CTR030", "CTR031"]),
        ("sshd", &["CTR031", "NET002"]),
        ("exited-dockersock", &["CTR005"]),
    ];
    let mut missing = BTreeMap::new();
    for (short, codes) in expected {
        let got = audit.codes(short);
        let absent: Vec<&str> = codes.iter().copied().filter(|c| !got.contains(*c)).collect();
        if !absent.is_empty() {
            missing.insert(*short, (absent, got));
        }
    }
    assert!(missing.is_empty(), "containers not flagged for their risk (missing, got): {missing:#?}");
    // Loopback-only publishing is not an exposure.
    let localhost = audit.codes("port-localhost");
    assert!(!localhost.contains("NET002") && localhost.contains("CTR024"), "{localhost:?}");
}

#[test]
fn created_running_and_exited_containers_are_all_audited() {
    let Some(audit) = audit() else { return };
    assert_eq!(audit.container("privileged")["state"], "created");
    assert_eq!(audit.container("default")["state"], "running");
    // `docker run` of `true` returns once the container has exited.
    assert_eq!(audit.container("exited-dockersock")["state"], "exited");
    let ours = audit.snapshot["containers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"].as_str().unwrap().starts_with(&audit.prefix))
        .count();
    assert_eq!(ours, CONTAINERS.len());
}

#[test]
fn the_hardened_container_has_no_finding_at_medium_or_above() {
    let Some(audit) = audit() else { return };
    let object = format!("container:{}", audit.name("hardened"));
    let serious: Vec<&Value> = audit
        .findings_about(&object)
        .filter(|f| ["medium", "high", "critical"].contains(&f["severity"].as_str().unwrap()))
        .collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

#[test]
fn live_inspect_becomes_the_container_spec() {
    let Some(audit) = audit() else { return };
    let hardened = &audit.container("hardened")["spec"];
    assert_eq!(hardened["source"], "engine");
    assert_eq!(hardened["object"], format!("container:{}", audit.name("hardened")));
    assert_eq!(hardened["user"]["value"]["raw"], "65534:65534");
    assert_eq!(hardened["read_only"]["value"], true);
    assert_eq!(hardened["cap_drop"][0]["value"], "ALL");
    let resources = &hardened["resources"];
    assert_eq!(resources["memory"]["value"], 128 * 1024 * 1024);
    assert_eq!(resources["nano_cpus"]["value"], 500_000_000);
    assert_eq!(resources["pids_limit"]["value"], 100);
    assert_eq!(hardened["restart"]["value"], serde_json::json!({"policy": "on-failure", "max_retries": 3}));
    assert_eq!(hardened["healthcheck"]["value"]["test"], serde_json::json!(["CMD", "/bin/true"]));
    assert!(hardened["security_opt"].to_string().contains("no-new-privileges"), "{}", hardened["security_opt"]);
    // API zeros are "no limit", not a limit of 0.
    let default = &audit.container("default")["spec"];
    assert!(default["resources"].get("memory").is_none(), "{}", default["resources"]);
    assert!(default.get("user").is_none(), "empty Config.User stays unset (root)");
    // A created container's published ports come from HostConfig.PortBindings.
    let port = &audit.container("port-2375")["spec"]["ports"][0]["value"];
    assert_eq!((port["host_ip"].as_str(), port["container_port"]["start"].as_u64()), (Some("0.0.0.0"), Some(2375)));
    // A bind mount exposes its host path.
    let hostroot = &audit.container("hostroot")["spec"]["mounts"][0]["value"];
    assert_eq!((hostroot["host_path"].as_str(), hostroot["target"].as_str()), (Some("/"), Some("/host")));
}

#[test]
fn a_saved_snapshot_replays_to_the_same_findings() {
    let Some(audit) = audit() else { return };
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["audit", "--format", "json", "--snapshot"])
        .arg(&audit.snapshot_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let replay: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(replay["findings"], audit.report["findings"]);
}

/// A unix-socket proxy in front of the daemon that records what the client sends.
fn recording_proxy(upstream: &str, listen: &Path) -> Arc<Mutex<Vec<u8>>> {
    let listener = UnixListener::bind(listen).unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let upstream = upstream.trim_start_matches("unix://").to_string();
    let recorded = log.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let Ok(mut server) = UnixStream::connect(&upstream) else { return };
            let (mut client_read, mut server_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            let recorded = recorded.clone();
            std::thread::spawn(move || {
                let mut buffer = [0u8; 8192];
                while let Ok(n) = client_read.read(&mut buffer) {
                    if n == 0 || server_write.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                    recorded.lock().unwrap().extend_from_slice(&buffer[..n]);
                }
                let _ = server_write.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut server, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    log
}

#[test]
fn requests_on_the_wire_carry_the_negotiated_api_version() {
    let Some(audit) = audit() else { return };
    let dir = tempfile::tempdir().unwrap();
    let proxy = dir.path().join("proxy.sock");
    let log = recording_proxy(&audit.host, &proxy);
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["audit", "--format", "json", "--host"])
        .arg(format!("unix://{}", proxy.display()))
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let server_api = docker(&audit.host, &["version", "--format", "{{.Server.APIVersion}}"]);
    let sent = String::from_utf8_lossy(&log.lock().unwrap()).to_string();
    let paths: Vec<&str> = sent
        .lines()
        .filter_map(|line| line.strip_prefix("GET ").or_else(|| line.strip_prefix("HEAD ")))
        .filter_map(|rest| rest.split(' ').next())
        .collect();
    assert_eq!(paths.first(), Some(&"/version"), "negotiation starts unversioned: {paths:?}");
    // rampart speaks the daemon's version, capped at the newest it knows (1.51).
    let minor: u32 = server_api.strip_prefix("1.").and_then(|m| m.parse().ok()).expect("API version 1.x");
    let prefix = format!("/v1.{}/", minor.min(51));
    // Each image export (audit reads the images containers use) opens its own connection and
    // negotiates again with an unversioned /version; every other request carries the version.
    let unversioned: Vec<&&str> = paths[1..].iter().filter(|p| **p != "/version" && !p.starts_with(&prefix)).collect();
    assert!(paths.iter().any(|p| p.starts_with(&format!("{prefix}images/")) && p.ends_with("/get")), "no image export: {paths:?}");
    assert!(unversioned.is_empty(), "requests without {prefix}: {unversioned:?}");
    assert!(paths.iter().any(|p| p.starts_with(&format!("{prefix}containers/json"))), "{paths:?}");
    // One inspect per container (this test's and any others on the daemon).
    let inspects = paths.iter().filter(|p| p.contains("/containers/") && p.ends_with("/json") && !p.ends_with("containers/json"));
    assert!(inspects.count() >= CONTAINERS.len(), "{paths:?}");
}

fn running_as_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn the_daemon_settings_are_judged_with_their_evidence() {
    let Some(audit) = audit() else { return };
    let daemon_codes = audit.codes_about("daemon");
    // A daemon started with defaults on a unix socket: icc on, no userns, no authz plugin, no
    // live restore; but no TCP listener, no insecure registry beyond 127.0.0.0/8, no experimental.
    for code in ["DMN002", "DMN003", "DMN004", "DMN005"] {
        assert!(daemon_codes.contains(code), "{code} missing from {daemon_codes:?}");
    }
    for code in ["DMN001", "DMN008", "DMN009"] {
        assert!(!daemon_codes.contains(code), "{code} in {daemon_codes:?}");
    }
    let host = &audit.snapshot["host"];
    let socket = audit.host.trim_start_matches("unix://");
    assert_eq!(host["socket"]["path"], socket);
    if running_as_root() {
        // The dockerd serving this socket was found by its --host, so flag defaults are known.
        let argv = host["dockerd_command_line"].to_string();
        assert!(argv.contains(socket), "{argv}");
        assert!(daemon_codes.contains("DMN006") && daemon_codes.contains("DMN007"), "{daemon_codes:?}");
        // The data root's file system was compared with /'s; the DOCKER-USER chain (which the
        // daemon creates) was read.
        assert!(host["data_root_separate"].is_boolean(), "{host}");
        assert!(host["docker_user_chain"].to_string().contains("DOCKER-USER"), "{host}");
    } else {
        // Without the command line these stay unknown: no finding either way.
        assert!(!daemon_codes.contains("DMN006") && !daemon_codes.contains("DMN007"), "{daemon_codes:?}");
    }
}

#[test]
fn the_checklist_is_answered_for_the_host() {
    let Some(audit) = audit() else { return };
    let answers = audit.report["checklist"].as_array().expect("an audit report answers the checklist");
    assert_eq!(answers.len(), 12);
    let status = |item: usize| answers[item - 1]["status"].as_str().unwrap();
    let findings = |item: usize| answers[item - 1]["findings"].to_string();
    // Only a unix socket: access is restricted.
    assert_eq!(status(1), "PASS", "{}", answers[0]);
    // The socket is mounted into containers.
    assert_eq!(status(2), "FAIL");
    assert!(findings(2).contains("CTR005"));
    // The hardened container passes what the others fail: some but not all are flagged.
    for item in [5, 6, 7, 11] {
        assert_eq!(status(item), "PARTIAL", "item {item}: {}", answers[item - 1]);
    }
    assert!(findings(5).contains("CTR018") && findings(11).contains("CTR024"));
    assert_eq!(status(8), "FAIL");
    assert!(findings(8).contains("SEC002"));
    assert_eq!(status(9), "FAIL");
    assert!(findings(9).contains("NET001") && findings(9).contains("DMN002"));
    // Not checked yet: said so, never PASS.
    assert_eq!(status(4), "UNKNOWN");
    // Up to date: FAIL when a release in the vulnerability table matches, else UNKNOWN (the table
    // is small); never PASS. The evidence names the versions either way.
    assert!(["FAIL", "UNKNOWN"].contains(&status(12)), "{}", answers[11]);
    assert!(answers[11]["evidence"].to_string().contains("Engine"), "{}", answers[11]);
    // Processes are listed on a local engine: monitors are found or their absence is a FAIL.
    assert_ne!(status(10), "UNKNOWN");
}

#[test]
fn the_terminal_report_starts_with_the_checklist() {
    let Some(audit) = audit() else { return };
    let output = Command::cargo_bin("rampart")
        .unwrap()
        .args(["audit", "--format", "tty", "--snapshot"])
        .arg(&audit.snapshot_path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("Checklist\n   1. PASS "), "{}", &text[..text.len().min(400)]);
    assert!(text.contains(" 2. FAIL    The Docker socket's permissions are minimal"), "{text}");
}

#[test]
fn images_are_judged_from_their_config_and_history() {
    let Some(audit) = audit() else { return };
    let codes = |image: &str| -> BTreeSet<String> {
        // Findings name an image by its first tag; a rebuilt image can carry the tags of
        // earlier runs too, so look the image up by this run's tag.
        let tag = format!("{}{image}", audit.prefix);
        let facts = audit.snapshot["images"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == tag.as_str()))
            .unwrap_or_else(|| panic!("{tag} is not in the snapshot"));
        let first = facts["tags"].as_array().unwrap().iter().filter_map(|t| t.as_str()).find(|t| *t != "<none>:<none>").unwrap();
        audit.codes_about(&format!("image:{first}"))
    };
    let sloppy = codes("sloppy:1");
    for code in ["IMG001", "IMG002", "IMG003", "IMG004", "IMG005"] {
        assert!(sloppy.contains(code), "{code} missing for the sloppy image: {sloppy:?}");
    }
    let hardened = codes("hardened:1");
    assert!(hardened.is_empty(), "{hardened:?}");
    let plain = codes("bb:1");
    assert!(plain.contains("IMG001") && plain.contains("IMG002") && !plain.contains("IMG005"), "{plain:?}");
}
