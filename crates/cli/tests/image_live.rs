//! `rampart image NAME` and `rampart sbom NAME` against a real engine: the image is streamed
//! from the engine's image export (no tar on disk). Built FROM scratch with Debian's static
//! busybox; nothing is pulled.
//!
//! The daemon is the private one scripts/test.sh starts (as root) and names in
//! RAMPART_TEST_DOCKER_HOST. Without it this test fails, unless RAMPART_SKIP_LIVE=1 says to skip
//! it on purpose.

use assert_cmd::Command;
use serde_json::Value;
use rampart_testsupport::{docker, live_docker_host};

fn docker_host() -> Option<String> {
    live_docker_host("the live image test")
}


#[test]
fn an_engine_image_is_streamed_from_the_export_and_checked() {
    let Some(host) = docker_host() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("/bin/busybox", dir.path().join("busybox")).expect("busybox-static is installed");
    std::fs::write(dir.path().join("os-release"), "ID=debian\nVERSION_ID=\"10\"\nPRETTY_NAME=\"Debian GNU/Linux 10 (buster)\"\n").unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM scratch\nCOPY busybox /bin/busybox\nCOPY os-release /etc/os-release\n\
         RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox mkdir -p /var/lib/dpkg && /bin/busybox printf 'Package: busybox-static\\\\nStatus: install ok installed\\\\nVersion: 1:1.35.0-4\\\\nArchitecture: amd64\\\\n' > /var/lib/dpkg/status\"]\n\
         EXPOSE 22\nLABEL org.opencontainers.image.base.name=gcr.io/distroless/static-debian12\n",
    )
    .unwrap();
    let tag = "rampart-image-live-test:export";
    docker(&host, &["build", "-q", "-t", tag, dir.path().to_str().unwrap()]);

    let output = Command::cargo_bin("rampart").unwrap().args(["image", tag, "--host", &host, "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)));
    assert_eq!(output.status.code(), Some(1), "{report:#}");
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    // IMG032: the label says distroless, yet busybox (a shell) is in the image.
    for expected in ["IMG001", "IMG020", "IMG028", "IMG032"] {
        assert!(rules.contains(&expected), "{expected} not in {rules:?}");
    }

    let output = Command::cargo_bin("rampart").unwrap().args(["sbom", tag, "--host", &host]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bom: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(bom["components"][0]["purl"], "pkg:deb/debian/busybox-static@1%3A1.35.0-4?arch=amd64&distro=debian-10");

    // An image the engine does not have is an input error, exit 2.
    let output = Command::cargo_bin("rampart").unwrap().args(["image", "rampart-no-such-image:0", "--host", &host, "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    docker(&host, &["rmi", "-f", tag]);
}
