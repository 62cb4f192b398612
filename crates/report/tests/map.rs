//! The architecture map over a snapshot built in code: what it draws, and that hostile names
//! cannot break DOT or Mermaid.

use rampart_model::*;
use rampart_report::{architecture_map, render_dot, render_map_json, render_mermaid, render_svg};

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
    let mut on_host = snapshot();
    on_host.networks.push(NetworkFacts { name: "host".into(), driver: "host".into(), ..NetworkFacts::default() });
    on_host.networks.push(NetworkFacts { name: "none".into(), driver: "null".into(), ..NetworkFacts::default() });
    on_host.containers[1].spec.network_mode = Some(Sourced::new(NetworkMode::Host));
    let host_map = architecture_map(&on_host);
    let host = host_map.nodes.iter().find(|n| n.id == "network:host").expect("the host network is drawn when a container uses it");
    assert_eq!(host.details, ["the host's network stack"]);
    // A container that joined a network by (short) ID is drawn on that network, by name.
    let mut by_id = snapshot();
    by_id.networks[0].id = "3f2a9c1b7e0d5a6b7c8d9e0f".into();
    by_id.containers[0].spec.network_mode = Some(Sourced::new(NetworkMode::Named("3f2a9c1b7e0d".into())));
    let id_map = architecture_map(&by_id);
    assert!(id_map.edges.iter().any(|e| e.from == "container:web" && e.to == "network:front"));
    assert!(!id_map.nodes.iter().any(|n| n.id.contains("3f2a9c1b7e0d")), "{:?}", id_map.nodes);
    assert!(!host_map.nodes.iter().any(|n| n.id == "network:none"), "the unused built-in none network is left out");
    assert_eq!(host_map.edges.iter().find(|e| e.from == "container:db" && e.to == "network:host").and_then(|e| e.warning.as_deref()), Some("host network"));
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

#[test]
fn dangerous_links_and_the_base_os_are_on_the_map() {
    let mut snapshot = snapshot();
    snapshot.images[0].base_os = Some(BaseOs {
        id: "debian".into(),
        version_id: "10".into(),
        pretty_name: "Debian GNU/Linux 10 (buster)".into(),
        end_of_life: Some("2024-06-30".into()),
        eol_status: EolStatus::EndOfLife,
    });
    let map = architecture_map(&snapshot);
    let image = map.nodes.iter().find(|n| n.id == "image:sha256:aa").unwrap();
    assert_eq!(image.details[0], "base Debian GNU/Linux 10 (buster) (end of life)");
    let warning = |from: &str, to: &str| map.edges.iter().find(|e| e.from == from && e.to == to).and_then(|e| e.warning.clone());
    assert_eq!(warning("container:web", "host:/var/run/docker.sock").as_deref(), Some("Docker socket"));
    assert_eq!(warning("port:0.0.0.0:8080/tcp", "container:web").as_deref(), Some("published on every interface"));
    assert_eq!(warning("port:127.0.0.1:9090/tcp", "container:web"), None);
    assert_eq!(warning("container:db", "volume:dbdata"), None);
    let db = map.nodes.iter().find(|n| n.id == "container:db").unwrap();
    assert_eq!(db.warning.as_deref(), Some("privileged"));
    for text in [render_dot(&map), render_mermaid(&map), render_map_json(&map), render_svg(&map)] {
        assert!(text.contains("Debian GNU/Linux 10 (buster)"), "base OS missing: {text}");
    }
    let dot = render_dot(&map);
    assert!(dot.contains("\"container:web\" -> \"host:/var/run/docker.sock\" [label=\"/var/run/docker.sock (ro)\", color=\"#c62828\", penwidth=2];"), "{dot}");
}

/// `count` containers over four networks, a few with ports and mounts.
fn host_with(count: usize) -> Snapshot {
    let mut snapshot = snapshot();
    snapshot.containers.clear();
    for i in 0..count {
        let mut spec = ContainerSpec { object: format!("container:c{i}"), ..ContainerSpec::default() };
        spec.network_mode = Some(Sourced::new(NetworkMode::Named(["front", "back", "bridge", "host"][i % 4].into())));
        if i % 3 == 0 {
            spec.ports.push(Sourced::new(PortMapping::parse(&format!("{}:80", 8000 + i)).unwrap()));
        }
        if i % 5 == 0 {
            spec.mounts.push(Sourced::new(Mount {
                kind: MountKind::Bind,
                source: Some(format!("/srv/c{i}")),
                host_path: Some(format!("/srv/c{i}")),
                target: "/srv".into(),
                read_only: true,
                propagation: None,
                options: Vec::new(),
            }));
        }
        let name = format!("/c{i}");
        snapshot.containers.push(ContainerFacts { id: i.to_string(), name, state: "running".into(), image: format!("img{}", i % 7), image_id: format!("sha256:{}", i % 7), spec });
    }
    snapshot
}

#[derive(Debug)]
struct Box_ {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// The boxes of the drawn nodes (the daemon's banner and the legend left out).
fn node_boxes(svg: &str) -> Vec<Box_> {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the SVG is not well-formed XML: {e}\n{svg}"));
    document
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class").is_some_and(|c| c.starts_with("rm-node") && !c.contains("rm-daemon")))
        .map(|g| {
            let rect = g.children().find(|c| c.has_tag_name("rect")).expect("a node has a box");
            let number = |name: &str| rect.attribute(name).unwrap().parse::<f64>().unwrap();
            Box_ { x: number("x"), y: number("y"), width: number("width"), height: number("height") }
        })
        .collect()
}

#[test]
fn the_svg_map_is_well_formed_and_no_two_boxes_overlap_at_5_and_50_containers() {
    for count in [5, 50] {
        let map = architecture_map(&host_with(count));
        let svg = render_svg(&map);
        let boxes = node_boxes(&svg);
        let drawn = map.nodes.iter().filter(|n| n.kind != "daemon").count();
        assert_eq!(boxes.len(), drawn, "every node but the daemon is a box ({count} containers)");
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
                assert!(apart, "{a:?} overlaps {b:?} at {count} containers");
            }
        }
        assert_eq!(svg, render_svg(&architecture_map(&host_with(count))), "the same host draws the same SVG");
        // Every link but the daemon's is a path.
        let paths = svg.matches("<path ").count();
        assert_eq!(paths, map.edges.iter().filter(|e| e.from != "daemon").count());
        // A map of fifty containers grows down, not sideways.
        let document = roxmltree::Document::parse(&svg).unwrap();
        let width: f64 = document.root_element().attribute("width").unwrap().parse().unwrap();
        assert!(width < 1400.0, "{width}");
    }
}

#[test]
fn hostile_names_are_text_in_the_svg() {
    let mut hostile = snapshot();
    hostile.containers[0].name = "/\"><script>alert(1)</script>".into();
    hostile.networks[0].name = "<img src=x onerror=alert(1)>".into();
    if let Some(mode) = hostile.containers[0].spec.network_mode.as_mut() {
        mode.value = NetworkMode::Named("<img src=x onerror=alert(1)>".into());
    }
    let svg = render_svg(&architecture_map(&hostile));
    let document = roxmltree::Document::parse(&svg).expect("well-formed");
    assert!(!document.descendants().any(|n| n.has_tag_name("script") || n.has_tag_name("img")), "{svg}");
    let texts: String = document.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    assert!(texts.contains("\"><script>alert(1)</script>"), "the name is shown as it is: {texts}");
    assert!(texts.contains("<img src=x onerror=alert(1)>"));
}
