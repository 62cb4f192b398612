//! `docker run` command lines -> ContainerSpec: every flag syntax the CLI accepts, and errors.

use rampart_model::*;
use rampart_runargs::{parse_command_line, parse_shell_line, words_from_argv, ArgWord, RunCommand, Subcommand, Tool};

fn parse(line: &str) -> RunCommand {
    parse_shell_line(line, "<test>").unwrap_or_else(|e| panic!("{line}: {e} at {:?}", e.origin))
}

fn parse_err(line: &str) -> String {
    match parse_shell_line(line, "<test>") {
        Ok(command) => panic!("{line} parsed: {:?}", command.spec),
        Err(e) => e.message,
    }
}

#[test]
fn long_flags_with_equals_and_space() {
    let a = parse("docker run --name=web --user=1000 nginx");
    let b = parse("docker run --name web --user 1000 nginx");
    assert_eq!(a.spec.name.as_ref().map(|n| n.value.clone()), Some("web".into()));
    assert_eq!(a.spec.name.as_ref().map(|n| n.value.clone()), b.spec.name.as_ref().map(|n| n.value.clone()));
    assert_eq!(a.spec.user.as_ref().map(|u| u.user.clone()), Some(UserId::Id(1000)));
    assert_eq!(a.spec.object, "container:web");
    assert_eq!(a.spec.image.as_ref().map(|i| i.value.as_str()), Some("nginx"));
}

#[test]
fn short_flags_bundles_and_attached_values() {
    let c = parse("docker run -itd -p80:80 -e=A=1 -eB=2 -v /data:/data -u 0:0 -m 64m -w /srv -h box -l team=x busybox sh");
    assert_eq!(c.spec.ports.len(), 1);
    assert_eq!(c.spec.ports[0].container_port, PortRange::single(80));
    let env: Vec<(&str, Option<&str>)> = c.spec.env.iter().map(|e| (e.name.as_str(), e.value.value.as_deref())).collect();
    assert_eq!(env, vec![("A", Some("1")), ("B", Some("2"))]);
    assert_eq!(c.spec.mounts.len(), 1);
    assert!(c.spec.user.as_ref().is_some_and(|u| u.is_root()));
    assert_eq!(c.spec.resources.memory.as_ref().map(|m| m.value), Some(64 * 1024 * 1024));
    assert_eq!(c.spec.working_dir.as_ref().map(|w| w.value.as_str()), Some("/srv"));
    assert_eq!(c.spec.hostname.as_ref().map(|h| h.value.as_str()), Some("box"));
    assert_eq!(c.spec.labels[0].value, KeyValue::new("team", "x"));
    assert_eq!(c.spec.command.as_ref().map(|c| c.value.clone()), Some(vec!["sh".to_string()]));

    // `-dp 80:80`: a bool then a value flag whose value is the next word.
    let c = parse("docker run -dp 8080:80 nginx");
    assert_eq!(c.spec.ports[0].host_port, Some(PortRange::single(8080)));
    // `-P` publishes all.
    let c = parse("docker run -dP nginx");
    assert!(flag(&c.spec.publish_all));
}

#[test]
fn repeated_flags_accumulate_and_singletons_take_the_last() {
    let c = parse("docker run --cap-add NET_ADMIN --cap-add cap_sys_ptrace --cap-drop=all -p 80:80 -p 443:443 --user 1 --user 2 img");
    let added: Vec<&str> = c.spec.cap_add.iter().map(|c| c.name()).collect();
    assert_eq!(added, vec!["NET_ADMIN", "SYS_PTRACE"]);
    assert!(c.spec.drops_all_capabilities());
    assert_eq!(c.spec.ports.len(), 2);
    assert_eq!(c.spec.user.as_ref().map(|u| u.user.clone()), Some(UserId::Id(2)));
}

#[test]
fn booleans_take_values_only_with_equals() {
    assert!(!parse("docker run --privileged=false img").spec.is_privileged());
    assert!(parse("docker run --privileged=true img").spec.is_privileged());
    assert!(parse("docker run --privileged img").spec.is_privileged());
    // `--privileged false`: `false` is the image, as for the Docker CLI.
    let c = parse("docker run --privileged false");
    assert!(c.spec.is_privileged());
    assert_eq!(c.spec.image.as_ref().map(|i| i.value.as_str()), Some("false"));
    assert!(!parse("docker run -d=false --read-only=0 img").spec.is_read_only());
    assert!(parse_err("docker run --privileged=maybe img").contains("--privileged"));
}

#[test]
fn double_dash_and_the_command_after_the_image() {
    let c = parse("docker run -- nginx --privileged -p 1:1");
    assert!(!c.spec.is_privileged(), "flags after the image belong to the container's command");
    assert!(c.spec.ports.is_empty());
    assert_eq!(c.spec.command.as_ref().map(|c| c.value.len()), Some(3));
    let c = parse("docker run alpine ls -la");
    assert_eq!(c.spec.command.as_ref().map(|c| c.value.clone()), Some(vec!["ls".to_string(), "-la".to_string()]));
}

#[test]
fn tools_and_subcommands() {
    let c = parse("docker create --name x img");
    assert_eq!((c.tool, c.subcommand), (Tool::Docker, Subcommand::Create));
    let c = parse("docker container run img");
    assert_eq!(c.subcommand, Subcommand::Run);
    let c = parse("docker -H unix:///var/run/docker.sock --context=prod container create img");
    assert_eq!(c.subcommand, Subcommand::Create);
    let c = parse("/usr/bin/podman run --userns keep-id --pod mypod --secret dbpass,target=/run/secrets/db img");
    assert_eq!(c.tool, Tool::Podman);
    assert_eq!(c.spec.userns.as_ref().map(|u| u.value.clone()), Some(NamespaceMode::Other("keep-id".into())));
    assert_eq!(c.spec.secrets[0].target, "/run/secrets/db");
    assert!(parse_err("docker run --pod x img").contains("unknown flag: --pod"), "podman-only flags are not Docker's");
}

#[test]
fn isolation_flags() {
    let c = parse(
        "docker run --security-opt seccomp=unconfined --security-opt apparmor:unconfined --security-opt label=disable \
         --security-opt no-new-privileges --security-opt systempaths=unconfined --read-only --init --runtime runsc img",
    );
    assert!(matches!(&c.spec.seccomp().unwrap().value, SecurityOpt::Seccomp { profile } if profile == "unconfined"));
    assert!(matches!(&c.spec.apparmor().unwrap().value, SecurityOpt::AppArmor { profile } if profile == "unconfined"));
    assert!(matches!(c.spec.no_new_privileges().unwrap().value, SecurityOpt::NoNewPrivileges { enabled: true }));
    assert!(c.spec.system_paths().is_some());
    assert_eq!(c.spec.labels_selinux().count(), 1);
    assert!(c.spec.is_read_only());
    assert!(flag(&c.spec.init));
    assert_eq!(c.spec.runtime.as_ref().map(|r| r.value.as_str()), Some("runsc"));
    assert!(parse_err("docker run --security-opt seccomp img").contains("--security-opt"));
}

#[test]
fn namespaces() {
    let c = parse("docker run --net host --pid=host --ipc container:db --uts host --userns host --cgroupns private img");
    assert_eq!(c.spec.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Host));
    assert!(c.spec.pid.as_ref().is_some_and(|p| p.is_host()));
    assert_eq!(c.spec.ipc.as_ref().map(|p| p.value.clone()), Some(NamespaceMode::Container("db".into())));
    assert!(c.spec.uts.as_ref().is_some_and(|p| p.is_host()));
    assert!(c.spec.userns.as_ref().is_some_and(|p| p.is_host()));
    assert_eq!(c.spec.cgroupns.as_ref().map(|p| p.value.clone()), Some(NamespaceMode::Private));
    assert!(c.spec.networks.is_empty(), "host is not a network to attach to");

    let c = parse("docker run --network container:vpn img");
    assert_eq!(c.spec.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Container("vpn".into())));

    let c = parse("docker run --network backend --network-alias api --ip 10.0.0.5 --network name=front,alias=web img");
    assert_eq!(c.spec.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Named("backend".into())));
    let names: Vec<&str> = c.spec.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, vec!["backend", "front"]);
    assert_eq!(c.spec.networks[0].aliases, vec!["api".to_string()]);
    assert_eq!(c.spec.networks[0].ipv4_address.as_deref(), Some("10.0.0.5"));
    assert_eq!(c.spec.networks[1].aliases, vec!["web".to_string()]);
}

#[test]
fn mounts_of_every_syntax() {
    let c = parse(
        "docker run -v /var/run/docker.sock:/var/run/docker.sock:ro -v data:/data -v /anon \
         --mount type=bind,source=/etc,target=/host-etc,readonly --mount type=tmpfs,target=/cache \
         --tmpfs /tmp:rw,noexec,size=16m --volumes-from other img",
    );
    let kinds: Vec<MountKind> = c.spec.mounts.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, vec![MountKind::Bind, MountKind::Volume, MountKind::Volume, MountKind::Bind, MountKind::Tmpfs, MountKind::Tmpfs]);
    assert!(c.spec.mounts[0].read_only);
    assert_eq!(c.spec.mounts[3].host_path.as_deref(), Some("/etc"));
    assert!(c.spec.mounts[3].read_only);
    assert_eq!(c.spec.volumes_from[0].value, "other");

    let c = parse("docker run --mount type=bind,source=/srv/shared,target=/shared,bind-propagation=rshared img");
    assert_eq!(c.spec.mounts[0].propagation, Some(Propagation::Rshared));

    // Docker 28's --use-api-socket mounts the engine socket.
    let c = parse("docker run --use-api-socket img");
    assert_eq!(c.spec.mounts[0].host_path.as_deref(), Some("/var/run/docker.sock"));

    // A variable as the source is a host path we cannot see.
    let c = parse(r#"docker run -v "$PWD:/src" img"#);
    assert_eq!(c.spec.mounts[0].kind, MountKind::Bind);
    assert_eq!(c.spec.mounts[0].absolute_host_path(), None);
}

#[test]
fn devices_ports_and_limits() {
    let c = parse(
        "docker run --device /dev/mem --device=/dev/sda:/dev/xvda:r --device nvidia.com/gpu=all --device-cgroup-rule 'b *:* rwm' \
         --gpus all -p 127.0.0.1::80 -p '[::1]:8443:443/udp' --expose 9000-9001 -P=false \
         --memory 128m --memory-swap -1 --memory-reservation 64m --cpus .5 --cpu-quota 50000 --cpu-period 100000 -c 512 \
         --cpuset-cpus 0-1 --pids-limit 100 --ulimit nofile=1024:2048 --oom-kill-disable --oom-score-adj 500 --shm-size 1g img",
    );
    let s = &c.spec;
    assert_eq!(s.devices.len(), 3);
    assert_eq!(s.devices[1].container_path, "/dev/xvda");
    assert!(s.device_cgroup_rules[0].is_wildcard());
    assert_eq!(s.gpus.as_ref().map(|g| g.value.as_str()), Some("all"));
    assert_eq!(s.ports[0].host_port, None);
    assert!(s.ports[1].is_loopback());
    assert_eq!(s.ports[1].protocol, Protocol::Udp);
    assert_eq!(s.exposed_ports[0].port, PortRange { start: 9000, end: 9001 });
    assert!(!flag(&s.publish_all));
    let r = &s.resources;
    assert!(r.has_memory_limit() && r.has_cpu_cap() && r.has_pids_limit());
    assert_eq!(r.memory_swap.as_ref().map(|m| m.value), Some(-1));
    assert_eq!(r.nano_cpus.as_ref().map(|n| n.value), Some(500_000_000));
    assert_eq!(r.cpu_shares.as_ref().map(|n| n.value), Some(512));
    assert_eq!(r.ulimits[0].hard, 2048);
    assert!(flag(&r.oom_kill_disable));
    assert_eq!(r.shm_size.as_ref().map(|n| n.value), Some(1 << 30));
}

#[test]
fn restart_logging_health_env_and_the_rest() {
    let c = parse(
        "docker run --restart on-failure:3 --log-driver none --log-opt max-size=10m --health-cmd 'curl -f localhost' \
         --health-interval 30s --health-retries 3 -e PASSWORD=hunter2 -e HOME --env-file ./.env --sysctl net.ipv4.ip_forward=1 \
         --cgroup-parent /custom --entrypoint /bin/sh --group-add 0 img",
    );
    let s = &c.spec;
    assert_eq!(s.restart.as_ref().map(|r| r.value), Some(RestartPolicy::OnFailure { max_retries: Some(3) }));
    assert_eq!(s.logging.driver.as_ref().map(|d| d.value.as_str()), Some("none"));
    assert_eq!(s.logging.options[0].value, KeyValue::new("max-size", "10m"));
    let health = &s.healthcheck.as_ref().unwrap().value;
    assert_eq!(health.test, vec!["CMD-SHELL".to_string(), "curl -f localhost".to_string()]);
    assert_eq!(health.interval, Some(30_000_000_000));
    assert_eq!(health.retries, Some(3));
    assert!(!health.is_disabled());
    assert_eq!(s.env[0].value.value.as_deref(), Some("hunter2"));
    assert_eq!(s.env[1].value.value, None, "`-e HOME` passes the caller's value through");
    assert_eq!(s.env[0].source, EnvSource::Flag);
    assert_eq!(s.env_files[0].value, "./.env");
    assert_eq!(s.sysctls[0].value, KeyValue::new("net.ipv4.ip_forward", "1"));
    assert_eq!(s.cgroup_parent.as_ref().map(|c| c.value.as_str()), Some("/custom"));
    assert_eq!(s.entrypoint.as_ref().map(|e| e.value.clone()), Some(vec!["/bin/sh".to_string()]));
    assert_eq!(s.group_add[0].value, "0");

    let c = parse("docker run --no-healthcheck img");
    assert!(c.spec.healthcheck.as_ref().is_some_and(|h| h.is_disabled()));
    assert!(parse_err("docker run --no-healthcheck --health-cmd true img").contains("conflicts"));

    let c = parse("docker run --restart unless-stopped img");
    assert_eq!(c.spec.restart.as_ref().map(|r| r.value), Some(RestartPolicy::UnlessStopped));
}

#[test]
fn env_values_from_variables_are_marked() {
    let c = parse(r#"docker run -e "DB_PASSWORD=$DB_PASSWORD" -e TOKEN=literal -e 'KEY=$NOT_EXPANDED' img"#);
    assert!(c.spec.env[0].from_variable);
    assert!(!c.spec.env[1].from_variable);
    assert!(!c.spec.env[2].from_variable, "single quotes keep `$` literal");
    assert_eq!(c.spec.env[2].value.value.as_deref(), Some("$NOT_EXPANDED"));
}

#[test]
fn values_point_at_their_words() {
    let argv: Vec<String> = ["docker", "run", "--privileged", "-p", "80:80", "nginx"].iter().map(|s| s.to_string()).collect();
    let (line, words) = words_from_argv(&argv, "<command line>");
    assert_eq!(line, "docker run --privileged -p 80:80 nginx");
    let c = parse_command_line(&words).unwrap();
    let privileged = c.spec.privileged.as_ref().and_then(|p| p.origin.clone()).unwrap();
    assert_eq!((privileged.line, privileged.column, privileged.end_column), (1, 12, Some(24)));
    let port = c.spec.ports[0].origin.clone().unwrap();
    assert_eq!(port.column, 28);
    let whole = c.spec.origin.clone().unwrap();
    assert_eq!((whole.column, whole.end_column), (1, Some(39)));
    // Arguments that need quoting are shown quoted, and columns follow.
    let argv: Vec<String> = ["docker", "run", "-e", "A=b c", "x"].iter().map(|s| s.to_string()).collect();
    let (line, words) = words_from_argv(&argv, "p");
    assert_eq!(line, "docker run -e 'A=b c' x");
    assert_eq!(words[4].origin.as_ref().map(|o| o.column), Some(23));
}

#[test]
fn clear_errors_for_bad_command_lines() {
    assert_eq!(parse_err("docker run --frobnicate img"), "unknown flag: --frobnicate");
    assert!(parse_err("docker run -itx img").contains("unknown shorthand flag: 'x' in -itx"));
    assert_eq!(parse_err("docker run --name"), "flag needs an argument: --name");
    assert!(parse_err("docker run -e").contains("flag needs an argument"));
    assert!(parse_err("docker run -d").contains("requires an image"));
    assert!(parse_err("docker run --").contains("requires an image"));
    assert!(parse_err("docker run -p 99999:80 img").contains("invalid port"));
    assert!(parse_err("docker run -v /a:/b:bogus img").contains("invalid volume"));
    assert!(parse_err("docker run --mount type=bind,target=/x img").contains("source"));
    assert!(parse_err("docker run --restart sometimes img").contains("restart"));
    assert!(parse_err("docker run -m lots img").contains("invalid size"));
    assert!(parse_err("docker run --cpus x img").contains("CPU"));
    assert!(parse_err("docker run --device-cgroup-rule 'q 1:1 r' img").contains("device cgroup rule"));
    assert!(parse_err("docker run --ulimit nofile img").contains("ulimit"));
    assert!(parse_err("docker run --health-interval 5 img").contains("duration"));
    assert!(parse_err("docker run -e =x img").contains("environment"));
    assert!(parse_err("docker run --log-opt nokey img").contains("--log-opt"));
    assert!(parse_err("docker ps").contains("no `docker run`"));
    assert!(parse_err("docker run 'unterminated img").contains("unterminated"));
    // Errors carry where.
    let error = parse_shell_line("docker run --frobnicate img", "f").unwrap_err();
    assert_eq!(error.origin.map(|o| o.column), Some(12));
    // Not a container command at all.
    assert!(parse_command_line(&[ArgWord::literal("ls")]).is_err());
}

#[test]
fn expansions_that_cannot_be_checked_are_skipped_not_errors() {
    let c = parse(r#"docker run -p "$PORT:80" -m "$MEM" --restart "$POLICY" img"#);
    assert!(c.spec.ports.is_empty());
    assert!(c.spec.resources.memory.is_none());
    assert!(c.spec.restart.is_none());
}
