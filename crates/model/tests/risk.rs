//! Risk ranking and attack paths over snapshots built in code.

use rampart_model::*;

fn finding(rule: &str, severity: Severity, category: Category, object: &str) -> Finding {
    Finding {
        rule: rule.into(),
        aliases: Vec::new(),
        severity,
        category,
        checklist: vec![1],
        title: format!("{rule} title"),
        message: format!("{rule} on {object}"),
        location: Location { object: Some(object.into()), ..Location::default() },
        evidence: None,
        fix: None,
        risk: None,
    }
}

fn container(name: &str) -> ContainerFacts {
    let spec = ContainerSpec { object: format!("container:{name}"), ..ContainerSpec::default() };
    ContainerFacts { id: format!("id-{name}"), name: format!("/{name}"), state: "running".into(), spec, ..ContainerFacts::default() }
}

fn publish(c: &mut ContainerFacts, raw: &str) {
    c.spec.ports.push(Sourced::new(PortMapping::parse(raw).expect("valid port")));
}

fn privileged(c: &mut ContainerFacts) {
    c.spec.privileged = Some(Sourced::new(true));
}

fn mount_socket(c: &mut ContainerFacts) {
    c.spec.mounts.push(Sourced::new(Mount {
        kind: MountKind::Bind,
        source: Some("/var/run/docker.sock".into()),
        host_path: Some("/var/run/docker.sock".into()),
        target: "/var/run/docker.sock".into(),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    }));
}

fn join(c: &mut ContainerFacts, network: &str) {
    c.spec.network_mode = Some(Sourced::new(NetworkMode::Named(network.into())));
}

fn report(snapshot: &Snapshot, findings: Vec<Finding>) -> Report {
    let mut report = Report::new(findings, Vec::new(), Vec::new(), 0, 0);
    report.weigh_context(snapshot);
    report
}

#[test]
fn an_exposed_privileged_container_outranks_the_same_on_an_internal_network() {
    let mut exposed = container("front");
    privileged(&mut exposed);
    publish(&mut exposed, "8080:80");
    let mut internal = container("back");
    privileged(&mut internal);
    join(&mut internal, "private");
    let snapshot = Snapshot { containers: vec![internal, exposed], ..Snapshot::default() };
    let findings = vec![
        finding("CTR001", Severity::High, Category::Isolation, "container:back"),
        finding("CTR001", Severity::High, Category::Isolation, "container:front"),
    ];
    let report = report(&snapshot, findings);
    let first = &report.findings[0];
    assert_eq!(first.location.object.as_deref(), Some("container:front"));
    let (front, back) = (first.risk.clone().unwrap(), report.findings[1].risk.clone().unwrap());
    assert!(front.score > back.score, "{front:?} vs {back:?}");
    assert!(front.reasons.iter().any(|r| r.contains("every interface") && r.contains("0.0.0.0:8080->80/tcp")), "{front:?}");
    assert!(front.reasons.contains(&"privileged".to_string()));
    assert!(!back.reasons.iter().any(|r| r.contains("every interface")), "{back:?}");
}

#[test]
fn context_can_lift_a_finding_above_a_more_severe_one_but_info_stays_at_the_bottom() {
    let mut web = container("web");
    mount_socket(&mut web);
    publish(&mut web, "80");
    web.spec.cap_add.push(Sourced::new(Capability::parse("sys_admin").unwrap()));
    let snapshot = Snapshot { containers: vec![web], ..Snapshot::default() };
    let findings = vec![
        finding("DMN003", Severity::High, Category::Daemon, "daemon"),
        finding("CTR024", Severity::Medium, Category::Runtime, "container:web"),
        finding("CTR099", Severity::Info, Category::Runtime, "container:web"),
    ];
    let report = report(&snapshot, findings);
    let order: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(order, ["CTR024", "DMN003", "CTR099"]);
    let info = report.findings[2].risk.as_ref().unwrap();
    assert_eq!(info.score, 0);
    assert_eq!(info.reasons, ["severity info"]);
    let top = report.findings[0].risk.as_ref().unwrap();
    assert!(top.score <= MAX_RISK);
    assert!(top.reasons.iter().any(|r| r.contains("Docker socket")), "{top:?}");
    assert!(top.reasons.iter().any(|r| r == "capability SYS_ADMIN"), "{top:?}");
}

#[test]
fn without_context_risk_keeps_severity_order_and_weighs_secrets_within_it() {
    let findings = vec![
        finding("DKF010", Severity::High, Category::Image, "image:x"),
        finding("SEC001", Severity::High, Category::Secrets, "image:x"),
        finding("DKF001", Severity::Critical, Category::Image, "image:x"),
        finding("DKF020", Severity::Low, Category::Image, "image:x"),
    ];
    let report = Report::new(findings, Vec::new(), Vec::new(), 1, 0);
    let order: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(order, ["DKF001", "SEC001", "DKF010", "DKF020"]);
    assert!(report.findings[1].risk.as_ref().unwrap().reasons.contains(&"sensitive data".to_string()));
    // The JSON carries the score and reasons.
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["findings"][0]["risk"]["score"].as_u64().is_some());
    assert!(json.get("attack_paths").is_none(), "no snapshot, no attack paths");
}

#[test]
fn exposed_container_with_the_socket_is_a_path_to_host_root() {
    let mut web = container("web");
    mount_socket(&mut web);
    publish(&mut web, "0.0.0.0:8080:80");
    let snapshot = Snapshot { containers: vec![web], ..Snapshot::default() };
    let report = report(&snapshot, vec![finding("CTR005", Severity::Critical, Category::Isolation, "container:web")]);
    assert_eq!(report.attack_paths.len(), 1, "{:?}", report.attack_paths);
    let path = &report.attack_paths[0];
    assert_eq!(path.title, "0.0.0.0:8080->80/tcp -> container web (mounts /var/run/docker.sock) -> host root");
    assert_eq!(path.findings, ["CTR005 container:web"]);
    assert_eq!(path.severity, Severity::Critical);
}

#[test]
fn a_privileged_container_without_a_way_in_is_no_path() {
    let mut back = container("back");
    privileged(&mut back);
    join(&mut back, "private");
    let mut local = container("local");
    mount_socket(&mut local);
    publish(&mut local, "127.0.0.1:9000:9000");
    let snapshot = Snapshot {
        containers: vec![back, local],
        networks: vec![NetworkFacts { name: "private".into(), internal: true, ..NetworkFacts::default() }],
        ..Snapshot::default()
    };
    let report = report(&snapshot, vec![finding("CTR001", Severity::High, Category::Isolation, "container:back")]);
    assert!(report.attack_paths.is_empty(), "{:?}", report.attack_paths);
}

#[test]
fn daemon_on_tcp_without_tls_is_a_path_only_with_its_finding() {
    let mut snapshot = Snapshot::default();
    snapshot.daemon_config.hosts = Setting::known(vec!["unix:///var/run/docker.sock".into(), "tcp://0.0.0.0:2375".into()], "daemon.json");
    let with = report(&snapshot, vec![finding("DMN001", Severity::Critical, Category::Daemon, "daemon")]);
    assert_eq!(with.attack_paths.len(), 1);
    assert_eq!(with.attack_paths[0].title, "daemon on tcp://0.0.0.0:2375 without TLS client verification -> host root");
    let without = report(&snapshot, Vec::new());
    assert!(without.attack_paths.is_empty());
}

#[test]
fn lateral_path_over_a_shared_network_follows_icc() {
    let build = |icc: Option<&str>| {
        let mut front = container("a");
        publish(&mut front, "8080:80");
        join(&mut front, "app");
        let mut back = container("b");
        back.spec.cap_add.push(Sourced::new(Capability::parse("SYS_ADMIN").unwrap()));
        join(&mut back, "app");
        let options = icc.map(|v| vec![("com.docker.network.bridge.enable_icc".to_string(), v.to_string())]).unwrap_or_default();
        Snapshot {
            containers: vec![front, back],
            networks: vec![NetworkFacts { name: "app".into(), driver: "bridge".into(), options, ..NetworkFacts::default() }],
            ..Snapshot::default()
        }
    };
    let on = report(&build(None), vec![finding("CTR002", Severity::High, Category::Isolation, "container:b")]);
    assert_eq!(on.attack_paths.len(), 1, "{:?}", on.attack_paths);
    let path = &on.attack_paths[0];
    assert_eq!(path.steps, ["0.0.0.0:8080->80/tcp", "container a", "network app (icc on)", "container b (has SYS_ADMIN)", "host root"]);
    assert_eq!(path.findings, ["CTR002 container:b"]);
    assert_eq!(path.severity, Severity::High);
    let off = report(&build(Some("false")), Vec::new());
    assert!(off.attack_paths.is_empty(), "{:?}", off.attack_paths);
}
