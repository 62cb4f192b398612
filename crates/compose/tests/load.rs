//! The compose loader on small fixture projects: every syntax the loader follows, with the
//! positions (and definition sites) it records, and the errors bad input gets.

use rampart_compose::{load, load_from, Diagnostic, LoadOptions, Loaded, MemoryFiles};
use rampart_model::{
    ComposeProject, ContainerSpec, EnvSource, EnvVar, MountKind, NamespaceMode, NetworkMode, Origin, Propagation,
    ResourceSource, RestartPolicy, SecurityOpt, Sourced,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

fn options(env: &[(&str, &str)]) -> LoadOptions {
    LoadOptions { environment: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), ..LoadOptions::default() }
}

fn load_ok(files: &[&str], env: &[(&str, &str)]) -> Loaded {
    let files: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    match load(&files, &options(env)) {
        Ok(loaded) => loaded,
        Err(e) => panic!("{e}"),
    }
}

fn load_err(file: &str, env: &[(&str, &str)]) -> Diagnostic {
    match load(&[fixture(file)], &options(env)) {
        Ok(_) => panic!("{file} loaded"),
        Err(e) => e,
    }
}

fn service<'a>(project: &'a ComposeProject, name: &str) -> &'a ContainerSpec {
    &project.service(name).unwrap_or_else(|| panic!("no service {name}")).spec
}

/// (file name, line, column) of an origin.
fn at<T>(value: &Sourced<T>) -> (String, u32, u32) {
    let origin = value.origin.as_ref().expect("an origin");
    (file_name(&origin.path), origin.line, origin.column)
}

fn defined_at<T>(value: &Sourced<T>) -> Option<(String, u32, u32)> {
    value.origin.as_ref().and_then(|o| o.defined_at.as_ref()).map(|d| (file_name(&d.path), d.line, d.column))
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn env<'a>(spec: &'a ContainerSpec, name: &str) -> &'a Sourced<EnvVar> {
    spec.env.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no variable {name}"))
}

#[test]
fn override_files_merge_by_the_compose_rules() {
    let loaded = load_ok(&["override/compose.yaml", "override/compose.override.yaml"], &[]);
    let web = service(&loaded.project, "web");
    // ports: keyed, the repeated "80:80" kept once, the override's new one appended.
    let ports: Vec<String> = web.ports.iter().map(|p| p.value.to_string()).collect();
    assert_eq!(ports, ["80:80/tcp", "443:443/tcp", "127.0.0.1:8080:8080/tcp"]);
    assert_eq!(at(&web.ports[2]), ("compose.override.yaml".into(), 5, 9));
    // environment: merged by name across the mapping and list forms; the override wins.
    assert_eq!(env(web, "LOG_LEVEL").value.value.as_deref(), Some("debug"));
    assert_eq!(at(env(web, "LOG_LEVEL")), ("compose.override.yaml".into(), 7, 9));
    assert_eq!(env(web, "DB_HOST").value.value.as_deref(), Some("db"));
    // command: replaced whole, the string form split like a shell would.
    assert_eq!(web.command.as_ref().map(|c| c.value.clone()), Some(vec!["nginx-debug".into(), "-g".into(), "daemon off;".into()]));
    assert_eq!(web.privileged.as_ref().map(at), Some(("compose.override.yaml".into(), 9, 17)));
    // `!reset` removed the base file's ports of db.
    let db = service(&loaded.project, "db");
    assert!(db.ports.is_empty());
    assert_eq!(db.user.as_ref().map(|u| u.value.raw.clone()), Some("postgres".into()));
    assert_eq!(loaded.project.files.len(), 2);
    assert_eq!(loaded.project.name.as_ref().map(|n| n.value.clone()), Some("shop".into()));
}

#[test]
fn dotenv_feeds_interpolation_and_the_process_environment_wins() {
    let loaded = load_ok(&["override/compose.yaml"], &[("DB_PASSWORD", "from-process")]);
    let web = service(&loaded.project, "web");
    assert_eq!(web.image.as_ref().map(|i| i.value.clone()), Some("nginx:1.25".into()));
    let password = env(service(&loaded.project, "db"), "POSTGRES_PASSWORD");
    assert_eq!(password.value.value.as_deref(), Some("from-process"));
    assert!(password.value.from_variable, "an interpolated value is not a literal of the file");
    assert!(!env(web, "LOG_LEVEL").value.from_variable);
}

#[test]
fn unset_variables_become_empty_with_a_warning() {
    let files = MemoryFiles::new().with("c/compose.yaml", "services:\n  web:\n    image: \"app:${TAG}\"\n");
    let loaded = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect("loads");
    assert_eq!(service(&loaded.project, "web").image.as_ref().map(|i| i.value.clone()), Some("app:".into()));
    let warning = loaded.warnings.iter().find(|w| w.message.contains("`TAG`")).expect("a warning");
    assert_eq!((warning.line, warning.column), (Some(3), Some(12)));
}

#[test]
fn every_interpolation_operator_in_a_file() {
    let text = "services:\n  web:\n    image: x\n    environment:\n      - A=${SET:-d}|${UNSET:-d}|${EMPTY:-d}\n      - B=${UNSET-d}|${EMPTY-d}\n      - C=${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}\n      - D=$SET|$${SET}|$$\n      - E=${EMPTY?}|${SET:?never}\n";
    let files = MemoryFiles::new().with("c/compose.yaml", text);
    let opts = options(&[("SET", "v"), ("EMPTY", "")]);
    let loaded = load_from(&[PathBuf::from("c/compose.yaml")], &opts, &files).expect("loads");
    let web = service(&loaded.project, "web");
    let value = |n: &str| env(web, n).value.value.clone().unwrap_or_default();
    assert_eq!(value("A"), "v|d|d");
    assert_eq!(value("B"), "d|");
    assert_eq!(value("C"), "alt||alt");
    assert_eq!(value("D"), "v|${SET}|$");
    assert_eq!(value("E"), "|v");
}

#[test]
fn anchors_and_merge_keys_record_where_values_were_defined() {
    let loaded = load_ok(&["anchors/compose.yaml"], &[]);
    let api = service(&loaded.project, "api");
    let read_only = api.read_only.as_ref().expect("read_only from the anchor");
    assert_eq!(at(read_only), ("compose.yaml".into(), 13, 10));
    assert_eq!(defined_at(read_only), Some(("compose.yaml".into(), 2, 14)));
    assert!(api.drops_all_capabilities());
    assert!(matches!(api.no_new_privileges().map(|o| &o.value), Some(SecurityOpt::NoNewPrivileges { enabled: true })));
    // An explicit key beats the merged one.
    let memory = api.resources.memory.as_ref().expect("memory");
    assert_eq!(memory.value, 512 * 1024 * 1024);
    assert_eq!(at(memory), ("compose.yaml".into(), 15, 16));
    assert_eq!(defined_at(memory), None);
    assert_eq!(api.resources.pids_limit.as_ref().map(|p| p.value), Some(100));
    // A plain alias: the use site is the alias, the definition the anchored value.
    let cron = service(&loaded.project, "cron");
    let cpus = cron.resources.nano_cpus.as_ref().expect("cpus");
    assert_eq!(cpus.value, 250_000_000);
    assert_eq!(at(cpus), ("compose.yaml".into(), 25, 13));
    assert_eq!(defined_at(cpus), Some(("compose.yaml".into(), 20, 24)));
    assert_eq!(cron.labels.first().map(|l| (l.value.key.clone(), l.value.value.clone())), Some(("team".into(), "payments".into())));
}

#[test]
fn extends_in_the_same_file_and_another_file() {
    let loaded = load_ok(&["extends/compose.yaml"], &[]);
    let web = service(&loaded.project, "web");
    let privileged = web.privileged.as_ref().expect("inherited");
    assert!(privileged.value);
    assert_eq!(at(privileged), ("compose.yaml".into(), 8, 14));
    assert_eq!(defined_at(privileged), Some(("compose.yaml".into(), 4, 17)));
    assert_eq!(env(web, "MODE").value.value.as_deref(), Some("web"));
    assert_eq!(web.image.as_ref().map(|i| i.value.clone()), Some("example/base:1".into()));
    assert_eq!(loaded.project.service("web").and_then(|s| s.extends.as_ref()).map(|e| e.value.clone()), Some("base".into()));

    let shared = service(&loaded.project, "shared");
    let user = shared.user.as_ref().expect("user from the other file");
    assert_eq!(user.value.raw, "1000:1000");
    assert_eq!(defined_at(user), Some(("base.yml".into(), 4, 11)));
    assert_eq!(at(user), ("compose.yaml".into(), 14, 7));
    // The other file's relative bind source is relative to that file.
    let mount = shared.mounts.first().expect("mount");
    assert_eq!(mount.value.kind, MountKind::Bind);
    assert_eq!(mount.value.source.as_deref(), Some("./common/data"));
    let host_path = mount.value.host_path.as_deref().unwrap_or_default();
    assert!(host_path.starts_with('/') && host_path.ends_with("tests/fixtures/extends/common/data"), "{host_path}");
    assert_eq!(shared.image.as_ref().map(|i| i.value.clone()), Some("example/shared:1".into()));
}

#[test]
fn project_level_networks_volumes_secrets_configs_and_profiles() {
    let loaded = load_ok(&["project/compose.yaml"], &[]);
    let project = &loaded.project;
    let back = project.network("back").expect("back");
    assert!(back.is_internal());
    assert_eq!(back.internal.as_ref().map(at), Some(("compose.yaml".into(), 36, 15)));
    assert!(project.network("legacy").is_some_and(|n| n.is_external()));
    assert!(!project.network("front").expect("front").is_internal());

    let app = service(project, "app");
    assert_eq!(app.networks.len(), 1);
    assert_eq!(app.networks[0].aliases, ["api"]);
    assert_eq!(project.networks_of(project.service("app").expect("app")).map(|n| n.name.as_str()).collect::<Vec<_>>(), ["back"]);
    assert_eq!(app.secrets[0].target, "/run/secrets/db_password");
    assert_eq!(service(project, "proxy").secrets[0].target, "/run/secrets/key.pem");
    assert_eq!(project.secret("db_password").map(|s| s.source.value.clone()), Some(ResourceSource::File("./db_password.txt".into())));
    assert_eq!(project.secret("tls_key").map(|s| s.source.value.clone()), Some(ResourceSource::Environment("TLS_KEY".into())));
    assert_eq!(project.configs.len(), 1);

    // env_file values come with their file and line; `environment:` wins for the same name.
    let level = env(app, "LEVEL");
    assert_eq!(level.value.value.as_deref(), Some("override"));
    assert_eq!(level.value.source, EnvSource::Compose);
    let greeting = env(app, "GREETING");
    assert_eq!(greeting.value.value.as_deref(), Some("hello # not a comment"));
    assert!(matches!(&greeting.value.source, EnvSource::EnvFile { path } if path.ends_with("app.env")));
    assert_eq!(at(greeting), ("app.env".into(), 3, 1));

    let db = project.service("db").expect("db");
    assert!(db.has_profiles());
    let mount = db.spec.mounts.iter().find(|m| m.value.kind == MountKind::Bind).expect("bind");
    assert_eq!(mount.value.propagation, Some(Propagation::Rshared));
    assert!(db.spec.mounts.iter().any(|m| m.value.kind == MountKind::Tmpfs && m.value.target == "/run"));
    // A service without `networks:` joins `default`, one with `network_mode` none.
    assert!(db.spec.networks.iter().any(|n| n.name == "default"));
    assert!(project.network("default").is_some());
    let sidecar = service(project, "sidecar");
    assert_eq!(sidecar.network_mode.as_ref().map(|m| m.value.clone()), Some(NetworkMode::Service("app".into())));
    assert!(sidecar.networks.is_empty());
}

#[test]
fn several_documents_in_one_file_are_merged_in_order() {
    let loaded = load_ok(&["multi/compose.yaml"], &[]);
    assert_eq!(service(&loaded.project, "web").user.as_ref().map(|u| u.value.raw.clone()), Some("nginx".into()));
    assert!(loaded.project.service("extra").is_some());
}

#[test]
fn values_of_every_syntax_are_typed() {
    let text = r#"services:
  app:
    image: app
    user: "0:0"
    cap_add: [cap_sys_admin, NET_ADMIN]
    pid: host
    ipc: "service:db"
    userns_mode: host
    devices: ["/dev/fuse:/dev/fuse:rwm", {source: /dev/kvm, target: /dev/kvm, permissions: rw}]
    device_cgroup_rules: ["c *:* rmw"]
    ports: [{target: 80, published: "8080", host_ip: 0.0.0.0, protocol: udp}, "9000-9001:9000-9001"]
    expose: ["3000"]
    ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}
    restart: on-failure:3
    logging: {driver: none}
    healthcheck: {test: "curl -f localhost", interval: 1m30s, retries: 3}
    sysctls: {net.ipv4.ip_forward: 1}
    oom_kill_disable: "true"
    cpu_shares: 512
    memswap_limit: -1
    shm_size: 1g
    gpus: all
"#;
    let files = MemoryFiles::new().with("c/compose.yaml", text);
    let loaded = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect("loads");
    let app = service(&loaded.project, "app");
    assert!(app.user.as_ref().is_some_and(|u| u.value.is_root()));
    let caps: Vec<&str> = app.cap_add.iter().map(|c| c.value.name()).collect();
    assert_eq!(caps, ["SYS_ADMIN", "NET_ADMIN"]);
    assert_eq!(app.pid.as_ref().map(|p| p.value.clone()), Some(NamespaceMode::Host));
    assert_eq!(app.ipc.as_ref().map(|p| p.value.clone()), Some(NamespaceMode::Service("db".into())));
    assert_eq!(app.devices.len(), 2);
    assert!(app.device_cgroup_rules[0].value.is_wildcard());
    assert!(app.ports[0].value.binds_all_interfaces());
    assert_eq!(app.ports[0].value.to_string(), "0.0.0.0:8080:80/udp");
    assert_eq!(app.ports[1].value.to_string(), "9000-9001:9000-9001/tcp");
    assert_eq!(app.exposed_ports.len(), 1);
    assert_eq!(app.resources.ulimits.len(), 2);
    assert_eq!(app.restart.as_ref().map(|r| r.value), Some(RestartPolicy::OnFailure { max_retries: Some(3) }));
    assert_eq!(app.logging.driver.as_ref().map(|d| d.value.clone()), Some("none".into()));
    let health = app.healthcheck.as_ref().expect("healthcheck");
    assert_eq!(health.value.test, ["CMD-SHELL", "curl -f localhost"]);
    assert_eq!(health.value.interval, Some(90_000_000_000));
    assert_eq!(app.sysctls[0].value.value, "1");
    assert!(app.resources.oom_kill_disable.as_ref().is_some_and(|o| o.value), "a quoted boolean is cast like compose does");
    assert_eq!(app.resources.cpu_shares.as_ref().map(|c| c.value), Some(512));
    assert_eq!(app.resources.memory_swap.as_ref().map(|c| c.value), Some(-1));
    assert_eq!(app.resources.shm_size.as_ref().map(|c| c.value), Some(1024 * 1024 * 1024));
    assert_eq!(app.gpus.as_ref().map(|g| g.value.clone()), Some("all".into()));
    let origin: &Origin = app.ports[0].origin.as_ref().expect("origin");
    assert_eq!((origin.line, origin.column), (11, 13));
}

#[test]
fn values_the_engine_refuses_are_warnings_not_errors() {
    let text = "services:\n  app:\n    image: app\n    restart: sometimes\n    security_opt: [bogus]\n";
    let files = MemoryFiles::new().with("c/compose.yaml", text);
    let loaded = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect("loads");
    assert!(service(&loaded.project, "app").restart.is_none());
    assert!(loaded.warnings.iter().any(|w| w.line == Some(4) && w.message.contains("restart")));
    assert!(loaded.warnings.iter().any(|w| w.line == Some(5) && w.message.contains("security_opt")));
}

fn assert_position(error: &Diagnostic, file: &str, line: u32, column: u32, needle: &str) {
    assert_eq!(file_name(&error.path), file, "{error}");
    assert_eq!((error.line, error.column), (Some(line), Some(column)), "{error}");
    assert!(error.message.contains(needle), "`{needle}` not in: {error}");
}

#[test]
fn bad_input_gets_an_error_with_file_line_and_column() {
    assert_position(&load_err("bad/invalid-yaml.yml", &[]), "invalid-yaml.yml", 5, 5, "invalid YAML");
    assert_position(&load_err("bad/unknown-key.yml", &[]), "unknown-key.yml", 4, 5, "unknown key `privilegd`");
    assert_position(&load_err("bad/ports-mapping.yml", &[]), "ports-mapping.yml", 5, 7, "services.web.ports must be a list");
    assert_position(&load_err("bad/version1.yml", &[]), "version1.yml", 1, 1, "version 1 compose file");
    assert_position(&load_err("bad/required-variable.yml", &[]), "required-variable.yml", 5, 16, "set API_KEY in .env");
    assert_position(&load_err("bad/extends-cycle.yml", &[]), "extends-cycle.yml", 4, 14, "`extends` cycle: a -> b -> a");
    assert_position(&load_err("bad/extends-missing-file.yml", &[]), "extends-missing-file.yml", 4, 13, "not-there.yml");
    // The same file with the variable set loads.
    assert!(load(&[fixture("bad/required-variable.yml")], &options(&[("API_KEY", "k")])).is_ok());
}

#[test]
fn an_alias_bomb_fails_fast_with_a_position() {
    let mut text = String::from("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, name) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 10].join(",");
        text.push_str(&format!("x-{name}: &{name} [{refs}]\n"));
    }
    text.push_str("services:\n  web:\n    image: nginx\n");
    let files = MemoryFiles::new().with("c/compose.yaml", text);
    let start = std::time::Instant::now();
    let error = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect_err("bomb");
    assert!(error.message.contains("alias bomb"), "{error}");
    assert!(error.line.is_some_and(|l| l >= 5) && error.column.is_some(), "{error}");
    // Not a timing assertion of the loader's speed: a bomb that expanded would take minutes.
    assert!(start.elapsed().as_secs() < 60);
}

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("compose.yaml");
    let mut text = String::from("services:\n  web:\n    image: nginx\n    labels:\n");
    while text.len() < 20 * 1024 * 1024 {
        text.push_str(&format!("      label{}: \"{}\"\n", text.len(), "x".repeat(100)));
    }
    std::fs::write(&path, &text).expect("write");
    let error = load(std::slice::from_ref(&path), &LoadOptions::default()).expect_err("too large");
    assert!(error.message.contains("over the") && error.message.contains("limit"), "{error}");
    // A larger limit reads it.
    let roomy = LoadOptions {
        max_file_size: 32 * 1024 * 1024,
        yaml: rampart_compose::yaml::YamlLimits { max_nodes: 1_000_000 },
        ..LoadOptions::default()
    };
    let loaded = load(&[path], &roomy).expect("loads with a larger limit");
    assert!(loaded.project.services[0].spec.labels.len() > 100_000 / 2);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("services:\n  web:\n    image: nginx\n    x-deep: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let files = MemoryFiles::new().with("c/compose.yaml", text);
    let error = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect_err("too deep");
    assert_eq!(error.line, Some(4), "{error}");
}

#[test]
fn missing_required_env_files_are_errors_and_optional_ones_are_not() {
    let files = MemoryFiles::new().with("c/compose.yaml", "services:\n  web:\n    image: nginx\n    env_file: [missing.env]\n");
    let error = load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).expect_err("missing");
    assert_eq!((error.line, error.column), (Some(4), Some(16)), "{error}");
    let files = MemoryFiles::new().with("c/compose.yaml", "services:\n  web:\n    image: nginx\n    env_file: [{path: missing.env, required: false}]\n");
    assert!(load_from(&[PathBuf::from("c/compose.yaml")], &LoadOptions::default(), &files).is_ok());
}

#[test]
fn bare_environment_names_take_the_compose_environment() {
    let files = MemoryFiles::new().with("c/compose.yaml", "services:\n  web:\n    image: nginx\n    environment: [TOKEN, OTHER]\n");
    let opts = LoadOptions { environment: HashMap::from([("TOKEN".to_string(), "t".to_string())]), ..LoadOptions::default() };
    let loaded = load_from(&[PathBuf::from("c/compose.yaml")], &opts, &files).expect("loads");
    let web = service(&loaded.project, "web");
    assert_eq!(env(web, "TOKEN").value.value.as_deref(), Some("t"));
    assert!(env(web, "TOKEN").value.from_variable);
    assert_eq!(env(web, "OTHER").value.value, None);
}

#[test]
fn relative_bind_sources_expose_the_resolved_host_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("a/b");
    std::fs::create_dir_all(&project).expect("mkdir");
    let depth = project.components().count() + 2;
    let escape = vec![".."; depth].join("/");
    let text = format!("services:\n  web:\n    image: nginx\n    volumes:\n      - {escape}/etc:/host-etc\n      - ./data:/data\n");
    std::fs::write(project.join("compose.yaml"), text).expect("write");
    let loaded = load(&[project.join("compose.yaml")], &LoadOptions::default()).expect("loads");
    let web = service(&loaded.project, "web");
    assert_eq!(web.mounts[0].value.host_path.as_deref(), Some("/etc"));
    assert_eq!(web.mounts[0].value.source.as_deref(), Some(format!("{escape}/etc").as_str()));
    assert_eq!(web.mounts[1].value.host_path, Some(project.join("data").display().to_string()));
}

#[test]
fn include_adds_the_other_projects_resources() {
    let loaded = load_ok(&["include/compose.yaml"], &[]);
    let db = service(&loaded.project, "db");
    assert_eq!(at(db.image.as_ref().expect("image")), ("compose.yaml".into(), 3, 12));
    assert!(db.image.as_ref().and_then(|i| i.origin.as_ref()).is_some_and(|o| o.path.ends_with("include/db/compose.yaml")));
    let host_path = db.mounts[0].value.host_path.clone().unwrap_or_default();
    assert!(host_path.ends_with("include/db/data"), "{host_path}");
    assert!(loaded.project.network("storage").is_some_and(|n| n.is_internal()));

    let files = MemoryFiles::new()
        .with("p/compose.yaml", "include: [other.yaml]\nservices:\n  db:\n    image: mine\n")
        .with("p/other.yaml", "services:\n  db:\n    image: theirs\n");
    let error = load_from(&[PathBuf::from("p/compose.yaml")], &LoadOptions::default(), &files).expect_err("conflict");
    assert_eq!((error.line, error.column), (Some(3), Some(3)), "{error}");
    let files = MemoryFiles::new()
        .with("p/compose.yaml", "include: [other.yaml]\nservices: {}\n")
        .with("p/other.yaml", "include: [compose.yaml]\nservices: {}\n");
    let error = load_from(&[PathBuf::from("p/compose.yaml")], &LoadOptions::default(), &files).expect_err("cycle");
    assert!(error.message.contains("`include` cycle"), "{error}");
}

#[test]
fn override_tag_replaces_and_reset_clears_what_extends_inherits() {
    let files = MemoryFiles::new()
        .with("p/compose.yaml", "services:\n  web:\n    image: nginx\n    environment: {A: '1', B: '2'}\n    cap_add: [NET_ADMIN]\n")
        .with("p/override.yaml", "services:\n  web:\n    environment: !override {C: '3'}\n")
        .with(
            "p/extends.yaml",
            "services:\n  base:\n    image: nginx\n    cap_add: [SYS_ADMIN]\n    user: root\n  child:\n    extends: base\n    cap_add: !reset []\n    user: !override app\n",
        );
    let files_list = [PathBuf::from("p/compose.yaml"), PathBuf::from("p/override.yaml")];
    let loaded = load_from(&files_list, &LoadOptions::default(), &files).expect("loads");
    let web = service(&loaded.project, "web");
    let names: Vec<&str> = web.env.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["C"]);
    assert_eq!(web.cap_add.len(), 1, "untouched keys still merge");

    let loaded = load_from(&[PathBuf::from("p/extends.yaml")], &LoadOptions::default(), &files).expect("loads");
    let child = service(&loaded.project, "child");
    assert!(child.cap_add.is_empty(), "{:?}", child.cap_add);
    assert_eq!(child.user.as_ref().map(|u| u.value.raw.clone()), Some("app".into()));
    assert_eq!(service(&loaded.project, "base").cap_add.len(), 1);
}

#[test]
fn env_file_option_replaces_the_default_dotenv() {
    let files = MemoryFiles::new()
        .with("p/compose.yaml", "services:\n  web:\n    image: \"nginx:${TAG:-latest}\"\n")
        .with("p/.env", "TAG=from-dotenv\n")
        .with("p/ci.env", "TAG=from-ci\n");
    let opts = LoadOptions { env_files: Some(vec![PathBuf::from("p/ci.env")]), ..LoadOptions::default() };
    let loaded = load_from(&[PathBuf::from("p/compose.yaml")], &opts, &files).expect("loads");
    assert_eq!(service(&loaded.project, "web").image.as_ref().map(|i| i.value.clone()), Some("nginx:from-ci".into()));
    let loaded = load_from(&[PathBuf::from("p/compose.yaml")], &LoadOptions::default(), &files).expect("loads");
    assert_eq!(service(&loaded.project, "web").image.as_ref().map(|i| i.value.clone()), Some("nginx:from-dotenv".into()));
    let opts = LoadOptions { env_files: Some(vec![PathBuf::from("p/missing.env")]), ..LoadOptions::default() };
    let error = load_from(&[PathBuf::from("p/compose.yaml")], &opts, &files).expect_err("a named env file must exist");
    assert!(error.path.ends_with("missing.env"), "{error}");
}

#[test]
fn long_extends_chains_are_refused_before_they_exhaust_the_stack() {
    // Each service extends the next one, so resolving the first walks the whole chain.
    let mut text = String::from("services:\n");
    for i in 0..5000 {
        text.push_str(&format!("  s{i}:\n    extends: s{}\n", i + 1));
    }
    text.push_str("  s5000:\n    image: x\n");
    let files = MemoryFiles::new().with("p/compose.yaml", text);
    // Run where a scan runs it: on a thread with a small stack.
    let error = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || load_from(&[PathBuf::from("p/compose.yaml")], &LoadOptions::default(), &files).map(|_| ()))
        .expect("thread")
        .join()
        .expect("no stack overflow")
        .expect_err("too long");
    assert!(error.message.contains("chain longer than"), "{error}");
}

#[test]
fn interpolation_output_is_bounded() {
    let value = "v".repeat(4096);
    let text = format!("services:\n  web:\n    image: x\n    labels:\n{}", (0..20_000).map(|i| format!("      l{i}: $BIG$BIG\n")).collect::<String>());
    let files = MemoryFiles::new().with("p/compose.yaml", text);
    let opts = LoadOptions { environment: HashMap::from([("BIG".to_string(), value)]), ..LoadOptions::default() };
    let error = load_from(&[PathBuf::from("p/compose.yaml")], &opts, &files).expect_err("too much");
    assert!(error.message.contains("interpolation has produced more than"), "{error}");
    assert!(error.line.is_some_and(|l| l > 4), "{error}");
}

#[test]
fn large_keyed_lists_load_in_reasonable_time() {
    // Not a timing assertion: quadratic de-duplication of 50 000 entries would take minutes.
    let text = format!(
        "services:\n  web:\n    image: x\n    cap_add:\n{}    environment:\n{}",
        (0..50_000).map(|i| format!("      - CAP_{i}\n")).collect::<String>(),
        (0..50_000).map(|i| format!("      - VAR_{i}=x\n")).collect::<String>()
    );
    let files = MemoryFiles::new().with("p/compose.yaml", text);
    let loaded = load_from(&[PathBuf::from("p/compose.yaml")], &LoadOptions::default(), &files).expect("loads");
    let web = service(&loaded.project, "web");
    assert_eq!((web.cap_add.len(), web.env.len()), (50_000, 50_000));
}
