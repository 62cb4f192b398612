//! `rampart map --snapshot FILE`: a saved snapshot drawn offline in each format.

use assert_cmd::Command;
use serde_json::{json, Value};

fn saved_snapshot(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let snapshot = json!({
        "snapshot_version": 1,
        "containers": [{
            "id": "abc", "name": "/web", "state": "running", "image": "nginx:1", "image_id": "sha256:aa",
            "spec": {
                "object": "container:web",
                "ports": [{ "value": { "host_ip": "0.0.0.0", "host_port": { "start": 8080, "end": 8080 }, "container_port": { "start": 80, "end": 80 } } }],
                "network_mode": { "value": { "mode": "named", "target": "front" } }
            }
        }],
        "networks": [{ "id": "n1", "name": "front", "driver": "bridge", "internal": false, "options": [] }]
    });
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, snapshot.to_string()).unwrap();
    path
}

fn map(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("rampart").unwrap().arg("map").args(args).assert()
}

#[test]
fn a_snapshot_is_drawn_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_snapshot(&dir);
    let path = path.to_str().unwrap();

    let output = map(&["--snapshot", path, "--format", "json"]).success().get_output().stdout.clone();
    let graph: Value = serde_json::from_slice(&output).unwrap();
    let ids: Vec<&str> = graph["nodes"].as_array().unwrap().iter().filter_map(|n| n["id"].as_str()).collect();
    for id in ["daemon", "container:web", "image:sha256:aa", "network:front", "port:0.0.0.0:8080/tcp"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }

    let dot = String::from_utf8(map(&["--snapshot", path]).success().get_output().stdout.clone()).unwrap();
    assert!(dot.starts_with("digraph rampart {"), "DOT is the default: {dot}");
    assert!(dot.contains("\"port:0.0.0.0:8080/tcp\" -> \"container:web\""), "{dot}");

    let mermaid = String::from_utf8(map(&["--snapshot", path, "-f", "mermaid"]).success().get_output().stdout.clone()).unwrap();
    assert!(mermaid.starts_with("flowchart LR\n") && mermaid.contains("network: front"), "{mermaid}");

    let out = dir.path().join("map.svg");
    map(&["--snapshot", path, "-f", "svg", "-o", out.to_str().unwrap()]).success();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>\n"), "{svg}");
    assert!(svg.contains(">0.0.0.0:8080/tcp</text>") && svg.contains(">front</text>") && svg.contains(">web</text>"), "{svg}");
}

#[test]
fn a_missing_snapshot_or_unknown_format_is_a_clear_error() {
    let out = map(&["--snapshot", "/nonexistent/snap.json"]).failure().get_output().clone();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/snap.json"));
    let out = map(&["--snapshot", "x.json", "--format", "png"]).failure().get_output().clone();
    assert_eq!(out.status.code(), Some(2));
}
