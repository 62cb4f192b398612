//! Vulnerabilities in `rampart audit` against a real Docker daemon: an image built here FROM
//! scratch (a static busybox, a Debian 12 os-release and dpkg records, nothing pulled), a
//! container created from it, OSV records imported into a temporary database; the audit reads
//! the image through the engine's export and reports its vulnerabilities, the per-image summary
//! and checklist item 4.
//!
//! The daemon is the private one scripts/test.sh starts and names in RAMPART_TEST_DOCKER_HOST.
//! Without it this test fails, unless RAMPART_SKIP_LIVE=1 says to skip it on purpose.

use assert_cmd::Command;
use serde_json::{json, Value};
use rampart_testsupport::{busybox, docker, live_docker_host};

fn docker_host() -> Option<String> {
    live_docker_host("the live vulnerability audit test")
}



/// Removes the container when the test ends, passed or not.
struct Cleanup {
    host: String,
    container: String,
    image: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::process::Command::new("docker").args(["-H", &self.host, "rm", "-f", &self.container]).output();
        let _ = std::process::Command::new("docker").args(["-H", &self.host, "rmi", "-f", &self.image]).output();
    }
}

#[test]
fn audit_reports_the_vulnerabilities_of_the_images_containers_use() {
    let Some(host) = docker_host() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let context = dir.path().join("context");
    std::fs::create_dir_all(context.join("bin")).expect("mkdir");
    std::fs::create_dir_all(context.join("etc")).expect("mkdir");
    std::fs::create_dir_all(context.join("var/lib/dpkg")).expect("mkdir");
    std::fs::copy(busybox(), context.join("bin/busybox")).expect("copy busybox");
    std::os::unix::fs::symlink("busybox", context.join("bin/sh")).expect("link");
    std::fs::write(context.join("etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n").expect("write");
    std::fs::write(
        context.join("var/lib/dpkg/status"),
        "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n",
    )
    .expect("write");
    std::fs::write(context.join("Dockerfile"), "FROM scratch\nCOPY . /\nUSER 1000\nCMD [\"/bin/sh\"]\n").expect("write");
    let tag = format!("rampart-vulntest-{}:1", std::process::id());
    docker(&host, &["build", "-q", "--network", "none", "-t", &tag, &context.display().to_string()]);
    let container = docker(&host, &["create", "--label", "rampart-test=vuln", "--network", "none", "--read-only", "--cap-drop", "ALL", "--memory", "64m", &tag]);
    let _cleanup = Cleanup { host: host.clone(), container, image: tag.clone() };

    let records = dir.path().join("osv");
    std::fs::create_dir_all(&records).expect("mkdir");
    let record = json!({"id": "DEBIAN-CVE-2024-5535", "aliases": ["CVE-2024-5535"],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H"}],
        "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.14-1~deb12u1"}]}]}]});
    std::fs::write(records.join("a.json"), record.to_string()).expect("write");
    let db = dir.path().join("advisories.db");
    let output = Command::cargo_bin("rampart").expect("binary").args(["db", "import", "--db"]).arg(&db).arg(&records).output().expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let output = Command::cargo_bin("rampart")
        .expect("binary")
        .args(["audit", "-H", &host, "--format", "json", "--db"])
        .arg(&db)
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)));
    let object = format!("image:{tag}");
    let finding = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "VUL002" && f["location"]["object"].as_str().unwrap_or_default().starts_with(&format!("{object}:pkg:deb/debian/libssl3@")))
        .unwrap_or_else(|| panic!("no VUL002 finding for {object}: {report:#}"));
    assert_eq!(finding["severity"], "critical");
    assert!(finding["message"].as_str().unwrap_or_default().contains("CVE-2024-5535"));
    let scan = report["vulnerability_scans"]
        .as_array()
        .expect("vulnerability_scans")
        .iter()
        .find(|s| s["image"] == object.as_str())
        .unwrap_or_else(|| panic!("no vulnerability scan for {object}: {report:#}"));
    assert_eq!((scan["status"].as_str(), scan["critical"].as_u64(), scan["fixable"].as_u64()), (Some("scanned"), Some(1), Some(1)));
    let item = report["checklist"].as_array().expect("checklist").iter().find(|a| a["item"] == 4).expect("item 4");
    assert_eq!(item["status"], "FAIL");
    assert!(item["evidence"].as_array().expect("evidence").iter().any(|e| e.as_str().unwrap_or_default().contains("scanned for vulnerabilities")), "{item:#}");
}
