use super::*;

#[test]
fn capabilities_are_normalised() {
    for raw in ["SYS_ADMIN", "sys_admin", "CAP_SYS_ADMIN", "cap_sys_admin", " Cap_Sys_Admin "] {
        assert_eq!(Capability::parse(raw), Some(Capability("SYS_ADMIN".into())), "{raw}");
    }
    assert!(Capability::parse("all").is_some_and(|c| c.is_all()));
    assert!(Capability::parse("CAP_ALL").is_some_and(|c| c.is_all()));
    assert_eq!(Capability::parse("  "), None);
}

#[test]
fn users_are_split_and_root_is_detected() {
    let root_forms = ["0", "root", "0:0", "root:root", "0:1000", "root:"];
    for raw in root_forms {
        assert!(User::parse(raw).is_some_and(|u| u.is_root()), "{raw} is root");
    }
    for raw in ["1000", "app", "65534:65534", "1000:0", "rootless", "00x"] {
        assert!(User::parse(raw).is_some_and(|u| !u.is_root()), "{raw} is not root");
    }
    assert_eq!(User::parse(""), None);
    assert_eq!(User::parse("  "), None);
    let user = User::parse("app:staff").unwrap();
    assert_eq!(user.user, UserId::Name("app".into()));
    assert_eq!(user.group, Some(UserId::Name("staff".into())));
    let numeric = User::parse("65534:65534").unwrap();
    assert_eq!(numeric.user, UserId::Id(65534));
    assert_eq!(numeric.group, Some(UserId::Id(65534)));
    // Too large for a uid: kept as a name rather than wrapped to something else.
    assert_eq!(User::parse("99999999999").unwrap().user, UserId::Name("99999999999".into()));
}

#[test]
fn security_opts_accept_both_separators() {
    let cases = [
        ("seccomp=unconfined", SecurityOpt::Seccomp { profile: "unconfined".into() }),
        ("seccomp:unconfined", SecurityOpt::Seccomp { profile: "unconfined".into() }),
        ("apparmor=unconfined", SecurityOpt::AppArmor { profile: "unconfined".into() }),
        ("apparmor:docker-default", SecurityOpt::AppArmor { profile: "docker-default".into() }),
        ("label=disable", SecurityOpt::Label { value: "disable".into() }),
        ("label:disable", SecurityOpt::Label { value: "disable".into() }),
        ("label=type:spc_t", SecurityOpt::Label { value: "type:spc_t".into() }),
        ("label:type:spc_t", SecurityOpt::Label { value: "type:spc_t".into() }),
        ("no-new-privileges", SecurityOpt::NoNewPrivileges { enabled: true }),
        ("no-new-privileges=true", SecurityOpt::NoNewPrivileges { enabled: true }),
        ("no-new-privileges:true", SecurityOpt::NoNewPrivileges { enabled: true }),
        ("no-new-privileges=false", SecurityOpt::NoNewPrivileges { enabled: false }),
        ("no-new-privileges:1", SecurityOpt::NoNewPrivileges { enabled: true }),
        ("systempaths=unconfined", SecurityOpt::SystemPaths { value: "unconfined".into() }),
        ("seccomp=/etc/docker/seccomp.json", SecurityOpt::Seccomp { profile: "/etc/docker/seccomp.json".into() }),
        ("writable-cgroups=true", SecurityOpt::Other { key: "writable-cgroups".into(), value: "true".into() }),
    ];
    for (raw, want) in cases {
        assert_eq!(SecurityOpt::parse(raw), Ok(want), "{raw}");
    }
    for bad in ["seccomp", "seccomp=", "no-new-privileges=maybe", "label:", ""] {
        assert!(SecurityOpt::parse(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn namespace_and_network_modes() {
    assert_eq!(NamespaceMode::parse("host"), NamespaceMode::Host);
    assert_eq!(NamespaceMode::parse(""), NamespaceMode::Private);
    assert_eq!(NamespaceMode::parse("private"), NamespaceMode::Private);
    assert_eq!(NamespaceMode::parse("shareable"), NamespaceMode::Shareable);
    assert_eq!(NamespaceMode::parse("container:db"), NamespaceMode::Container("db".into()));
    assert_eq!(NamespaceMode::parse("service:db"), NamespaceMode::Service("db".into()));
    assert_eq!(NetworkMode::parse("host"), NetworkMode::Host);
    assert_eq!(NetworkMode::parse("default"), NetworkMode::Default);
    assert_eq!(NetworkMode::parse("bridge"), NetworkMode::Bridge);
    assert_eq!(NetworkMode::parse("none"), NetworkMode::None);
    assert_eq!(NetworkMode::parse("container:vpn"), NetworkMode::Container("vpn".into()));
    assert_eq!(NetworkMode::parse("service:vpn"), NetworkMode::Service("vpn".into()));
    assert_eq!(NetworkMode::parse("backend"), NetworkMode::Named("backend".into()));
}

#[test]
fn ports_in_every_form() {
    let p = PortMapping::parse("80").unwrap();
    assert_eq!((p.host_ip.as_deref(), p.host_port, p.container_port.start), (None, None, 80));
    assert!(p.binds_all_interfaces());

    let p = PortMapping::parse("8080:80").unwrap();
    assert_eq!((p.host_port, p.container_port), (Some(PortRange::single(8080)), PortRange::single(80)));

    let p = PortMapping::parse("127.0.0.1:8080:80/udp").unwrap();
    assert_eq!(p.host_ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(p.protocol, Protocol::Udp);
    assert!(p.is_loopback() && !p.binds_all_interfaces());

    let p = PortMapping::parse("127.0.0.1::80").unwrap();
    assert_eq!((p.host_ip.as_deref(), p.host_port), (Some("127.0.0.1"), None));

    let p = PortMapping::parse("[::1]:8080:80").unwrap();
    assert_eq!(p.host_ip.as_deref(), Some("::1"));
    assert!(p.is_loopback());

    let p = PortMapping::parse("::1:8080:80").unwrap();
    assert_eq!(p.host_ip.as_deref(), Some("::1"));

    let p = PortMapping::parse("[::]:443:443").unwrap();
    assert!(p.binds_all_interfaces());
    let p = PortMapping::parse("0.0.0.0:2375:2375").unwrap();
    assert!(p.binds_all_interfaces());

    let p = PortMapping::parse("8000-8010:9000-9010/sctp").unwrap();
    assert_eq!(p.host_port, Some(PortRange { start: 8000, end: 8010 }));
    assert_eq!(p.container_port, PortRange { start: 9000, end: 9010 });
    assert_eq!(p.protocol, Protocol::Sctp);
    assert_eq!(p.to_string(), "8000-8010:9000-9010/sctp");

    // A host range for one container port: Docker picks a free port in the range.
    assert!(PortMapping::parse("8000-8010:80").is_ok());

    for bad in ["", "80:", "abc", "70000:80", "80/icmp", "1.2.3:80:80", "8000-8010:80-82", "90-80:80"] {
        assert!(PortMapping::parse(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn short_volume_syntax() {
    let m = parse_volume_short("/var/run/docker.sock:/var/run/docker.sock").unwrap();
    assert_eq!(m.kind, MountKind::Bind);
    assert_eq!(m.host_path.as_deref(), Some("/var/run/docker.sock"));
    assert!(!m.read_only);

    let m = parse_volume_short("/:/host:ro").unwrap();
    assert!(m.read_only);
    assert_eq!(m.absolute_host_path().as_deref(), Some("/"));

    let m = parse_volume_short("/srv:/srv:ro,rshared,z").unwrap();
    assert_eq!(m.propagation, Some(Propagation::Rshared));
    assert!(m.read_only);
    assert_eq!(m.options, vec![KeyValue::new("z", "")]);

    let m = parse_volume_short("data:/data").unwrap();
    assert_eq!((m.kind, m.source.as_deref(), m.host_path.as_deref()), (MountKind::Volume, Some("data"), None));

    let m = parse_volume_short("/data").unwrap();
    assert_eq!((m.kind, m.source.as_deref(), m.target.as_str()), (MountKind::Volume, None, "/data"));

    let m = parse_volume_short("./src:/app").unwrap();
    assert_eq!(m.kind, MountKind::Bind);
    assert_eq!(m.absolute_host_path(), None, "relative paths are not resolved here");

    let m = parse_volume_short(r"\\.\pipe\docker_engine:\\.\pipe\docker_engine").unwrap();
    assert_eq!(m.kind, MountKind::Npipe);

    let m = parse_volume_short(r"C:\data:C:\data:ro").unwrap();
    assert_eq!((m.kind, m.source.as_deref(), m.target.as_str(), m.read_only), (MountKind::Bind, Some(r"C:\data"), r"C:\data", true));

    let m = parse_volume_short("/var/run/:/run/host").unwrap();
    assert_eq!(m.absolute_host_path().as_deref(), Some("/var/run"));
    let m = parse_volume_short("/var/lib/../run/./docker.sock:/s").unwrap();
    assert_eq!(m.absolute_host_path().as_deref(), Some("/var/run/docker.sock"));

    for bad in ["", "/a:/b:c:d", "/foo:rw", "/a:relative", "/a:/b:bogus", ":/b"] {
        assert!(parse_volume_short(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn sizes_durations_and_cpus() {
    assert_eq!(parse_ram_bytes("128m"), Ok(128 * 1024 * 1024));
    assert_eq!(parse_ram_bytes("128MB"), Ok(128 * 1024 * 1024));
    assert_eq!(parse_ram_bytes("1g"), Ok(1024 * 1024 * 1024));
    assert_eq!(parse_ram_bytes("1.5GiB"), Ok(1536 * 1024 * 1024));
    assert_eq!(parse_ram_bytes("512"), Ok(512));
    assert_eq!(parse_ram_bytes("64k"), Ok(65536));
    for bad in ["", "m", "-1", "12x", "1.2.3m", ".5g", "1mm"] {
        assert!(parse_ram_bytes(bad).is_err(), "{bad} should be rejected");
    }
    assert_eq!(parse_go_duration("30s"), Ok(30_000_000_000));
    assert_eq!(parse_go_duration("1m30s"), Ok(90_000_000_000));
    assert_eq!(parse_go_duration("1.5h"), Ok(5_400_000_000_000));
    assert_eq!(parse_go_duration("300ms"), Ok(300_000_000));
    assert_eq!(parse_go_duration("0"), Ok(0));
    for bad in ["", "10", "-5s", "5 s", "5x", "s"] {
        assert!(parse_go_duration(bad).is_err(), "{bad} should be rejected");
    }
    assert_eq!(parse_nano_cpus(".5"), Ok(500_000_000));
    assert_eq!(parse_nano_cpus("2"), Ok(2_000_000_000));
    assert_eq!(parse_nano_cpus("1.25"), Ok(1_250_000_000));
    for bad in ["", ".", "-1", "1.0000000001", "x", "1e3"] {
        assert!(parse_nano_cpus(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn devices_rules_ulimits_restart() {
    let d = Device::parse("/dev/mem").unwrap();
    assert_eq!((d.host_path.as_str(), d.container_path.as_str(), d.permissions.as_str()), ("/dev/mem", "/dev/mem", "rwm"));
    let d = Device::parse("/dev/sda:r").unwrap();
    assert_eq!((d.container_path.as_str(), d.permissions.as_str()), ("/dev/sda", "r"));
    let d = Device::parse("/dev/sda:/dev/xvda:rw").unwrap();
    assert_eq!((d.container_path.as_str(), d.permissions.as_str()), ("/dev/xvda", "rw"));
    assert!(Device::parse("/dev/sda:/dev/xvda:bogus").is_err());
    assert!(Device::parse("").is_err());

    let rule = DeviceCgroupRule::parse("b *:* rwm").unwrap();
    assert!(rule.is_wildcard());
    assert_eq!(rule.to_string(), "b *:* rwm");
    assert!(DeviceCgroupRule::parse("a *:* rwm").unwrap().is_wildcard());
    assert!(!DeviceCgroupRule::parse("c 1:3 mr").unwrap().is_wildcard());
    assert!(!DeviceCgroupRule::parse("c 189:* rwm").unwrap().is_wildcard(), "one major number, all minors");
    for bad in ["", "x 1:3 r", "c 1:3", "c 1-3 r", "c 1:3 rwx"] {
        assert!(DeviceCgroupRule::parse(bad).is_err(), "{bad} should be rejected");
    }

    assert_eq!(Ulimit::parse("nofile=1024:2048"), Ok(Ulimit { name: "nofile".into(), soft: 1024, hard: 2048 }));
    assert_eq!(Ulimit::parse("nproc=64"), Ok(Ulimit { name: "nproc".into(), soft: 64, hard: 64 }));
    assert!(Ulimit::parse("nofile=2048:1024").is_err());
    assert!(Ulimit::parse("nofile").is_err());

    assert_eq!(RestartPolicy::parse("always"), Ok(RestartPolicy::Always));
    assert_eq!(RestartPolicy::parse("on-failure:10"), Ok(RestartPolicy::OnFailure { max_retries: Some(10) }));
    assert_eq!(RestartPolicy::parse("on-failure"), Ok(RestartPolicy::OnFailure { max_retries: None }));
    assert_eq!(RestartPolicy::parse("on-failure:0"), Ok(RestartPolicy::OnFailure { max_retries: None }));
    assert_eq!(RestartPolicy::parse("no"), Ok(RestartPolicy::No));
    for bad in ["sometimes", "always:3", "on-failure:x"] {
        assert!(RestartPolicy::parse(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn spec_round_trips_through_json() {
    let origin = Origin::at("deploy.sh", 3, 11).with_end(3, 23);
    let mut spec = ContainerSpec::new(SpecSource::RunCommand, "docker run");
    spec.privileged = Some(Sourced::at(true, origin.clone()));
    spec.cap_add.push(Sourced::new(Capability::parse("net_admin").unwrap()));
    spec.mounts.push(Sourced::at(parse_volume_short("/:/host:ro").unwrap(), origin.clone()));
    spec.ports.push(Sourced::new(PortMapping::parse("127.0.0.1:80:80").unwrap()));
    spec.restart = Some(Sourced::new(RestartPolicy::OnFailure { max_retries: Some(3) }));
    spec.security_opt.push(Sourced::new(SecurityOpt::NoNewPrivileges { enabled: true }));
    spec.env.push(Sourced::new(EnvVar { name: "A".into(), value: Some("b".into()), from_variable: false, source: EnvSource::Flag }));
    let json = serde_json::to_string(&spec).expect("serialises");
    let back: ContainerSpec = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, spec);
    assert!(back.is_privileged());
    assert_eq!(back.privileged.as_ref().and_then(|p| p.origin.clone()), Some(origin));
    // Unset fields are left out, so a live snapshot of many containers stays small.
    assert!(!json.contains("\"user\""), "{json}");
}
