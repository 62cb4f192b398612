//! The architecture map over a snapshot built in code: what it draws, and that hostile names
//! cannot break DOT or Mermaid.

use rampart_model::*;
use rampart_report::{architecture_map, render_dot, render_map_json, render_mermaid};

fn snapshot() -> Snapshot {
    let mut web = ContainerSpec { object: "container:web".into(), ..ContainerSpec::default() };
    web.ports.push(Sourced::new(PortMapping::parse("8080:80").unwrap()));
    web.ports.push(Sourced::new(PortMapping::parse("127.0.0.1:9090:90").unwrap()));
    web.network_mode = Some(Sourced::new(NetworkMode::Named("front".into())));
    web.mounts.push(Sourced::new(Mount {
        kind: MountKind::Bind,
        source: Some("/var/run/docker.sock".into()),
        host_path: Some("/var/run/docker.sock".into()),
        target: "/var/run/docker.sock".into(),
        read_only: true,
        propagation: None,
        options: Vec::new(),
    }));
    let mut db = ContainerSpec { object: "container:db".into(), ..ContainerSpec::default() };
    db.network_mode = Some(Sourced::new(NetworkMode::Named("back".into())));
    db.privileged = Some(Sourced::new(true));
    db.mounts.push(Sourced::new(Mount {
        kind: MountKind::Volume,
        source: Some("dbdata".into()),
        host_path: None,
        target: "/var/lib/db".into(),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    }));
    let mut snapshot = Snapshot {
        containers: vec![
            ContainerFacts { id: "1".into(), name: "/web".into(), state: "running".into(), image: "nginx:1".into(), image_id: "sha256:aa".into(), spec: web },
            ContainerFacts { id: "2".into(), name: "/db".into(), state: "exited".into(), image: "db".into(), image_id: "sha256:bb".into(), spec: db },
        ],
        images: vec![ImageFacts { id: "sha256:aa".into(), tags: vec!["nginx:1".into()], ..ImageFacts::default() }],
        networks: vec![
            NetworkFacts { name: "front".into(), driver: "bridge".into(), ..NetworkFacts::default() },
            NetworkFacts {
                name: "back".into(),
                driver: "bridge".into(),
                internal: true,
                options: vec![("com.docker.network.bridge.enable_icc".into(), "false".into())],
                ..NetworkFacts::default()
            },
        ],
        ..Snapshot::default()
    };
    snapshot.daemon_config.hosts = Setting::known(vec!["unix:///var/run/docker.sock".into()], "info");
    snapshot
}

#[test]
fn the_map_holds_containers_images_networks_ports_and_mounts() {
    let map = architecture_map(&snapshot());
    let node = |id: &str| map.nodes.iter().find(|n| n.id == id).unwrap_or_else(|| panic!("no node {id}: {:?}", map.nodes));
    let edge = |from: &str, to: &str| map.edges.iter().find(|e| e.from == from && e.to == to);
    assert_eq!(node("daemon").details, ["unix:///var/run/docker.sock"]);
    assert_eq!(node("image:sha256:aa").label, "nginx:1");
    assert_eq!(node("image:sha256:bb").label, "db", "an image the snapshot does not describe keeps the container's name for it");
    assert_eq!(node("network:front").details, ["bridge", "not internal", "icc on"]);
    assert_eq!(node("network:back").details, ["bridge", "internal", "icc off"]);
    assert_eq!(node("port:0.0.0.0:8080/tcp").details, ["every interface"]);
    assert_eq!(node("port:127.0.0.1:9090/tcp").details, ["one interface"]);
    assert!(node("container:db").details.contains(&"privileged".to_string()));
    assert_eq!(edge("port:0.0.0.0:8080/tcp", "container:web").map(|e| e.label.as_str()), Some("-> 80"));
    assert_eq!(edge("container:web", "host:/var/run/docker.sock").map(|e| e.label.as_str()), Some("/var/run/docker.sock (ro)"));
    assert_eq!(edge("container:db", "volume:dbdata").map(|e| e.label.as_str()), Some("/var/lib/db (rw)"));
    assert!(edge("container:db", "network:back").is_some());
    assert!(edge("container:db", "network:front").is_none());
    assert!(edge("daemon", "container:web").is_some());
    // The same snapshot draws the same map.
    assert_eq!(map, architecture_map(&snapshot()));
    let json: serde_json::Value = serde_json::from_str(&render_map_json(&map)).unwrap();
    assert_eq!(json["nodes"].as_array().unwrap().len(), map.nodes.len());
}

#[test]
fn hostile_names_cannot_break_dot_or_mermaid() {
    let mut hostile = snapshot();
    hostile.containers[0].name = "/x\"]; evil -> daemon; <script>alert(1)</script>\n#".into();
    let map = architecture_map(&hostile);
    let dot = render_dot(&map);
    assert!(dot.starts_with("digraph rampart {") && dot.ends_with("}\n"), "{dot}");
    assert!(dot.contains("\\\"]; evil -> daemon;"), "the quote is escaped: {dot}");
    // Every statement line is a node or an edge between quoted ids.
    for line in dot.lines().skip(3).filter(|l| *l != "}") {
        assert!(line.starts_with("  \"") && line.ends_with(';'), "{line}");
    }
    let mermaid = render_mermaid(&map);
    assert!(!mermaid.contains("<script>"), "{mermaid}");
    assert!(mermaid.contains("#lt;script#gt;"), "{mermaid}");
    assert!(mermaid.starts_with("flowchart LR\n"));
    for line in mermaid.lines().skip(1) {
        assert!(line.starts_with("  n"), "one statement a line: {line:?}");
    }
    let edges = mermaid.lines().filter(|l| l.contains("-->")).count();
    assert_eq!(edges, map.edges.len());
}
