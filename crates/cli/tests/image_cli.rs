//! `rampart image`: an image tar or a root file system directory in, the same report formats
//! and exit codes as `scan`.

use assert_cmd::Command;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn rampart() -> Command {
    Command::cargo_bin("rampart").expect("the rampart binary is built")
}

fn json_report(target: &Path, extra: &[&str]) -> (i32, Value) {
    let output = rampart().arg("image").arg(target).args(["--format", "json"]).args(extra).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap_or(-1), report)
}

fn rule_objects(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["location"]["object"].as_str().unwrap_or_default().to_string()))
        .collect();
    found.sort();
    found
}

#[test]
fn a_root_file_system_directory_is_checked_for_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("rootfs");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("usr/bin")).unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::write(root.join("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 9 (stretch)\"\nID=debian\nVERSION_ID=\"9\"\n").unwrap();
    std::fs::write(root.join("usr/bin/sudo"), "binary").unwrap();
    std::fs::set_permissions(root.join("shared"), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (code, report) = json_report(&root, &[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        rule_objects(&report),
        [
            ("IMG022".to_string(), "image:rootfs:/shared".to_string()),
            ("IMG024".to_string(), "image:rootfs:/usr/bin/sudo".to_string()),
            ("IMG028".to_string(), "image:rootfs".to_string()),
        ]
    );
    // No config: the config rules (root user, no healthcheck) say nothing about a directory.
    let (code, report) = json_report(&root, &["--ignore", "IMG022,IMG024,IMG028"]);
    assert_eq!(code, 0, "{report:#}");
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8], mode: u32) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(mode);
    builder.append_data(&mut header, name, data).unwrap();
}

#[test]
fn a_docker_save_tar_is_checked_for_config_history_and_files() {
    let mut layer = tar::Builder::new(Vec::new());
    append(&mut layer, "usr/sbin/sshd", b"elf", 0o755);
    append(&mut layer, "usr/bin/passwd", b"elf", 0o4755);
    append(&mut layer, "root/.aws/credentials", b"[default]\naws_access_key_id = AKIAZ4QW7RX2LMN3PQ5T\n", 0o600);
    let layer = layer.into_inner().unwrap();
    let mut cleanup = tar::Builder::new(Vec::new());
    append(&mut cleanup, "root/.aws/.wh.credentials", b"", 0o644);
    let cleanup = cleanup.into_inner().unwrap();
    let config = serde_json::json!({
        "config": {"ExposedPorts": {"22/tcp": {}}, "Env": ["PATH=/usr/bin"]},
        "history": [{"created_by": "/bin/sh -c curl -fsSL https://example.com/install.sh | sh"}, {"created_by": "/bin/sh -c rm /root/.aws/credentials"}],
        "rootfs": {"type": "layers", "diff_ids": ["sha256:00", "sha256:01"]}
    });
    let mut image = tar::Builder::new(Vec::new());
    append(&mut image, "abc/layer.tar", &layer, 0o644);
    append(&mut image, "def/layer.tar", &cleanup, 0o644);
    append(&mut image, "cfg.json", &serde_json::to_vec(&config).unwrap(), 0o644);
    append(&mut image, "manifest.json", br#"[{"Config":"cfg.json","RepoTags":["demo:1"],"Layers":["abc/layer.tar","def/layer.tar"]}]"#, 0o644);
    let dir = tempfile::tempdir().unwrap();
    let tar_path = dir.path().join("demo.tar");
    std::fs::write(&tar_path, image.into_inner().unwrap()).unwrap();
    let (code, report) = json_report(&tar_path, &[]);
    assert_eq!(code, 1);
    let found = rule_objects(&report);
    for expected in [
        ("IMG001", "image:demo:1"),
        ("IMG002", "image:demo:1"),
        ("IMG020", "image:demo:1"),
        ("IMG021", "image:demo:1"),
        ("IMG025", "image:demo:1:/usr/sbin/sshd"),
        ("IMG027", "image:demo:1"),
        ("IMG029", "image:demo:1:/root/.aws/credentials"),
    ] {
        assert!(found.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} not in {found:?}");
    }
    // The deleted key: both layers named, the value redacted.
    let secret = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "IMG029").unwrap();
    let message = secret["message"].as_str().unwrap();
    assert!(message.contains("added in layer 0 (") && message.contains("deleted in layer 1 (`/bin/sh -c rm /root/.aws/credentials`)"), "{message}");
    assert!(!secret.to_string().contains("AKIAZ4QW7RX2LMN3PQ5T"), "the key is printed whole: {secret}");
    // --progress draws only on a terminal: piped, standard error stays empty.
    let output = rampart().arg("image").arg(&tar_path).args(["--format", "json", "--progress"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    // SARIF and the other formats take the same report.
    let output = rampart().arg("image").arg(&tar_path).args(["--format", "sarif"]).output().unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(sarif["runs"][0]["results"].as_array().unwrap().len() >= 6);
}

#[test]
fn bad_images_are_input_errors_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_image = dir.path().join("plain.tar");
    let mut builder = tar::Builder::new(Vec::new());
    append(&mut builder, "readme.txt", b"hello", 0o644);
    std::fs::write(&not_image, builder.into_inner().unwrap()).unwrap();
    let (code, report) = json_report(&not_image, &[]);
    assert_eq!(code, 2);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("is not a container image"), "{message}");
    let (code, report) = json_report(&dir.path().join("missing.tar"), &[]);
    assert_eq!(code, 2);
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("no such file or directory"), "{report:#}");
}
