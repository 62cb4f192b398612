//! The 40 `docker run` / `docker create` commands the engine fixtures were made with (a 20.10
//! daemon; see the live-audit tests), parsed here, with what the daemon's inspect output showed
//! for them written as expectations. The inspect files themselves are not read: the numbers
//! below are copied from them.

use rampart_model::*;
use rampart_runargs::{parse_shell_line, RunCommand, Subcommand};

const COMMANDS: &[(&str, &str)] = &[
    ("aud-default", "docker run -d --name aud-default bb:1 sleep 86400"),
    ("aud-privileged", "docker create --name aud-privileged --privileged bb:1 sleep 86400"),
    ("aud-cap-sysadmin", "docker run -d --name aud-cap-sysadmin --cap-add SYS_ADMIN bb:1 sleep 86400"),
    ("aud-cap-all", "docker run -d --name aud-cap-all --cap-add ALL bb:1 sleep 86400"),
    ("aud-cap-netadmin-ptrace", "docker run -d --name aud-cap-netadmin-ptrace --cap-add NET_ADMIN --cap-add SYS_PTRACE bb:1 sleep 86400"),
    ("aud-dockersock", "docker run -d --name aud-dockersock -v /var/run/docker.sock:/var/run/docker.sock bb:1 sleep 86400"),
    ("aud-dockersock-ro-run", "docker run -d --name aud-dockersock-ro-run -v /run:/host-run:ro bb:1 sleep 86400"),
    ("aud-hostroot", "docker run -d --name aud-hostroot -v /:/host bb:1 sleep 86400"),
    ("aud-hostroot-ro", "docker run -d --name aud-hostroot-ro -v /:/host:ro bb:1 sleep 86400"),
    ("aud-hostetc-mount", "docker run -d --name aud-hostetc-mount --mount type=bind,source=/etc,target=/host-etc bb:1 sleep 86400"),
    (
        "aud-mount-rshared",
        "docker run -d --name aud-mount-rshared --mount type=bind,source=/srv/shared,target=/shared,bind-propagation=rshared bb:1 sleep 86400",
    ),
    ("aud-net-host", "docker run -d --name aud-net-host --net host bb:1 sleep 86400"),
    ("aud-pid-host", "docker run -d --name aud-pid-host --pid host bb:1 sleep 86400"),
    ("aud-ipc-host", "docker run -d --name aud-ipc-host --ipc host bb:1 sleep 86400"),
    ("aud-uts-host", "docker run -d --name aud-uts-host --uts host bb:1 sleep 86400"),
    ("aud-userns-host", "docker run -d --name aud-userns-host --userns host bb:1 sleep 86400"),
    ("aud-cgroupns-host", "docker run -d --name aud-cgroupns-host --cgroupns host bb:1 sleep 86400"),
    ("aud-seccomp-unconfined", "docker run -d --name aud-seccomp-unconfined --security-opt seccomp=unconfined bb:1 sleep 86400"),
    ("aud-apparmor-unconfined", "docker run -d --name aud-apparmor-unconfined --security-opt apparmor=unconfined bb:1 sleep 86400"),
    (
        "aud-systempaths-unconfined",
        "docker run -d --name aud-systempaths-unconfined --security-opt systempaths=unconfined bb:1 sleep 86400",
    ),
    ("aud-port-2375", "docker run -d --name aud-port-2375 -p 0.0.0.0:2375:2375 bb:1 sleep 86400"),
    ("aud-port-80-wildcard", "docker run -d --name aud-port-80-wildcard -p 80:80 bb:1 sleep 86400"),
    (
        "aud-env-secret",
        "docker run -d --name aud-env-secret -e AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE -e AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY -e GITHUB_TOKEN=ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000 bb:1 sleep 86400",
    ),
    ("aud-user-0", "docker run -d --name aud-user-0 --user 0:0 bb:1 sleep 86400"),
    ("aud-restart-always", "docker run -d --name aud-restart-always --restart always bb:1 sleep 86400"),
    ("aud-restart-unless-stopped", "docker run -d --name aud-restart-unless-stopped --restart unless-stopped bb:1 sleep 86400"),
    ("aud-restart-onfailure10", "docker run -d --name aud-restart-onfailure10 --restart on-failure:10 bb:1 sleep 86400"),
    ("aud-device-mem", "docker create --name aud-device-mem --device /dev/mem bb:1 sleep 86400"),
    ("aud-device-vda", "docker run -d --name aud-device-vda --device /dev/vda bb:1 sleep 86400"),
    ("aud-device-cgroup-rule", "docker run -d --name aud-device-cgroup-rule --device-cgroup-rule 'b *:* rwm' bb:1 sleep 86400"),
    ("aud-cgroup-parent", "docker run -d --name aud-cgroup-parent --cgroup-parent aud-custom-parent bb:1 sleep 86400"),
    ("aud-log-none", "docker run -d --name aud-log-none --log-driver none bb:1 sleep 86400"),
    ("aud-cpu-shares-only", "docker run -d --name aud-cpu-shares-only --cpu-shares 512 -m 64m bb:1 sleep 86400"),
    ("aud-oom-kill-disable", "docker run -d --name aud-oom-kill-disable --oom-kill-disable bb:1 sleep 86400"),
    ("aud-sloppy-image", "docker run -d --name aud-sloppy-image -P audit-bb-sloppy:1"),
    (
        "aud-exited-dockersock",
        "docker run -d --name aud-exited-dockersock -v /var/run/docker.sock:/var/run/docker.sock --privileged=false bb:1 true",
    ),
    (
        "aud-hardened",
        "docker run -d --name aud-hardened --cap-drop ALL --read-only --tmpfs /tmp:rw,noexec,nosuid,size=16m --security-opt no-new-privileges --user 65534:65534 --memory 128m --memory-swap 128m --cpus .5 --pids-limit 100 --restart on-failure:3 --network aud-net-isolated -v aud-vol:/data --ulimit nofile=1024:1024 --log-opt max-size=10m --log-opt max-file=3 audit-bb-hardened:1",
    ),
    (
        "aud-debian-sshd",
        "docker run -d --name aud-debian-sshd -p 0.0.0.0:2222:22 debian:bookworm-local sh -c 'mkdir -p /run/sshd && exec /usr/sbin/sshd -D'",
    ),
    ("aud-port-localhost", "docker run -d --name aud-port-localhost -p 127.0.0.1:28080:80 bb:1 sleep 86400"),
    ("aud-user-root", "docker run -d --name aud-user-root --user root debian:bookworm-local sleep 86400"),
];

fn command(name: &str) -> RunCommand {
    let (_, line) = COMMANDS.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no command {name}"));
    parse_shell_line(line, "engine").unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_command_parses_with_its_name() {
    assert_eq!(COMMANDS.len(), 40);
    for (name, line) in COMMANDS {
        let parsed = parse_shell_line(line, "engine").unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.spec.name.as_ref().map(|n| n.value.as_str()), Some(*name));
        assert_eq!(parsed.spec.object, format!("container:{name}"));
    }
}

#[test]
fn specs_match_what_the_daemon_recorded() {
    // HostConfig.Privileged true, and created (not started).
    let c = command("aud-privileged");
    assert!(c.spec.is_privileged());
    assert_eq!(c.subcommand, Subcommand::Create);
    // --privileged=false: HostConfig.Privileged false.
    assert!(!command("aud-exited-dockersock").spec.is_privileged());
    // HostConfig.CapAdd ["ALL"], ["NET_ADMIN", "SYS_PTRACE"].
    assert!(command("aud-cap-all").spec.cap_add[0].is_all());
    let caps: Vec<String> = command("aud-cap-netadmin-ptrace").spec.cap_add.iter().map(|c| c.value.to_string()).collect();
    assert_eq!(caps, vec!["NET_ADMIN", "SYS_PTRACE"]);
    // Mounts: Type bind, Source /srv/shared, Propagation rshared.
    let m = &command("aud-mount-rshared").spec.mounts[0];
    assert_eq!((m.kind, m.host_path.as_deref(), m.propagation), (MountKind::Bind, Some("/srv/shared"), Some(Propagation::Rshared)));
    // Binds ["/run:/host-run:ro"]: RW false.
    let m = &command("aud-dockersock-ro-run").spec.mounts[0];
    assert!(m.read_only && m.host_path.as_deref() == Some("/run"));
    // NetworkMode "host"; PidMode "host"; UsernsMode "host"; CgroupnsMode "host".
    assert_eq!(command("aud-net-host").spec.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Host));
    assert!(command("aud-pid-host").spec.pid.as_ref().is_some_and(|p| p.is_host()));
    assert!(command("aud-userns-host").spec.userns.as_ref().is_some_and(|p| p.is_host()));
    assert!(command("aud-cgroupns-host").spec.cgroupns.as_ref().is_some_and(|p| p.is_host()));
    // PortBindings {"80/tcp": [{"HostIp": "", "HostPort": "80"}]}.
    let p = &command("aud-port-80-wildcard").spec.ports[0];
    assert_eq!((p.host_ip.as_deref(), p.host_port, p.container_port), (None, Some(PortRange::single(80)), PortRange::single(80)));
    // {"HostIp": "127.0.0.1", "HostPort": "28080"}.
    assert!(command("aud-port-localhost").spec.ports[0].is_loopback());
    // Devices [{"PathOnHost": "/dev/mem", "PathInContainer": "/dev/mem", "CgroupPermissions": "rwm"}].
    let d = &command("aud-device-mem").spec.devices[0];
    assert_eq!((d.host_path.as_str(), d.container_path.as_str(), d.permissions.as_str()), ("/dev/mem", "/dev/mem", "rwm"));
    // DeviceCgroupRules ["b *:* rwm"].
    assert_eq!(command("aud-device-cgroup-rule").spec.device_cgroup_rules[0].to_string(), "b *:* rwm");
    // RestartPolicy {"Name": "on-failure", "MaximumRetryCount": 10}.
    let restart = command("aud-restart-onfailure10").spec.restart.map(|r| r.value);
    assert_eq!(restart, Some(RestartPolicy::OnFailure { max_retries: Some(10) }));
    // CpuShares 512, Memory 67108864.
    let r = command("aud-cpu-shares-only").spec.resources;
    assert_eq!((r.cpu_shares.map(|s| s.value), r.memory.map(|m| m.value)), (Some(512), Some(67_108_864)));
    // User "0:0" and "root".
    assert!(command("aud-user-0").spec.user.is_some_and(|u| u.is_root()));
    assert!(command("aud-user-root").spec.user.is_some_and(|u| u.is_root()));
    // Config.Cmd ["sh", "-c", "mkdir -p /run/sshd && exec /usr/sbin/sshd -D"].
    let cmd = command("aud-debian-sshd").spec.command.map(|c| c.value).unwrap();
    assert_eq!(cmd, vec!["sh", "-c", "mkdir -p /run/sshd && exec /usr/sbin/sshd -D"]);
    // Config.Env holds the three variables as given.
    let env: Vec<String> = command("aud-env-secret").spec.env.iter().map(|e| e.name.clone()).collect();
    assert_eq!(env, vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"]);
    // PublishAllPorts true.
    assert!(flag(&command("aud-sloppy-image").spec.publish_all));
}

#[test]
fn the_hardened_container_matches_its_inspect() {
    let s = command("aud-hardened").spec;
    assert!(s.drops_all_capabilities()); // CapDrop ["ALL"]
    assert!(s.is_read_only()); // ReadonlyRootfs true
    let tmpfs = &s.mounts[0]; // Tmpfs {"/tmp": "rw,noexec,nosuid,size=16m"}
    assert_eq!((tmpfs.kind, tmpfs.target.as_str()), (MountKind::Tmpfs, "/tmp"));
    let options: Vec<String> = tmpfs.options.iter().map(|o| if o.value.is_empty() { o.key.clone() } else { format!("{}={}", o.key, o.value) }).collect();
    assert_eq!(options, vec!["noexec", "nosuid", "size=16m"]);
    assert!(matches!(s.no_new_privileges().map(|o| &o.value), Some(SecurityOpt::NoNewPrivileges { enabled: true })));
    assert_eq!(s.user.as_ref().map(|u| u.raw.as_str()), Some("65534:65534"));
    let r = &s.resources;
    assert_eq!(r.memory.as_ref().map(|m| m.value), Some(134_217_728)); // Memory
    assert_eq!(r.memory_swap.as_ref().map(|m| m.value), Some(134_217_728)); // MemorySwap
    assert_eq!(r.nano_cpus.as_ref().map(|m| m.value), Some(500_000_000)); // NanoCpus
    assert_eq!(r.pids_limit.as_ref().map(|m| m.value), Some(100)); // PidsLimit
    assert_eq!(r.ulimits[0].value, Ulimit { name: "nofile".into(), soft: 1024, hard: 1024 });
    assert_eq!(s.restart.as_ref().map(|r| r.value), Some(RestartPolicy::OnFailure { max_retries: Some(3) }));
    assert_eq!(s.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Named("aud-net-isolated".into())));
    let volume = &s.mounts[1]; // Mounts: Type volume, Name aud-vol, Destination /data
    assert_eq!((volume.kind, volume.source.as_deref(), volume.target.as_str()), (MountKind::Volume, Some("aud-vol"), "/data"));
    let log: Vec<(String, String)> = s.logging.options.iter().map(|o| (o.key.clone(), o.value.value.clone())).collect();
    assert_eq!(log, vec![("max-size".into(), "10m".into()), ("max-file".into(), "3".into())]);
}
