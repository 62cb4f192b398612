//! Words of a command line -> [`RunCommand`]: which tool, which subcommand, and the spec.

use crate::flags::{self, Arity, FlagDef};
use crate::mount::{parse_mount, parse_tmpfs};
use crate::{ArgWord, RunArgsError};
use rampart_model::{
    parse_go_bool, parse_go_duration, parse_nano_cpus, parse_ram_bytes, parse_volume_short, Capability, ContainerSpec,
    Device, DeviceCgroupRule, EnvSource, EnvVar, ExposedPort, Healthcheck, KeyValue, Mount, MountKind, NamespaceMode,
    NetworkAttachment, NetworkMode, Origin, PortMapping, RestartPolicy, SecretRef, SecurityOpt, Sourced, SpecSource,
    Ulimit, User,
};

/// The program that runs the container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Docker,
    Podman,
}

impl Tool {
    pub fn as_str(self) -> &'static str {
        match self {
            Tool::Docker => "docker",
            Tool::Podman => "podman",
        }
    }

    /// `docker`, `/usr/bin/docker`, `podman`.
    pub fn from_program(program: &str) -> Option<Tool> {
        match program.rsplit('/').next().unwrap_or(program) {
            "docker" => Some(Tool::Docker),
            "podman" => Some(Tool::Podman),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subcommand {
    /// Creates and starts.
    Run,
    /// Creates only; the container exists (and will run when started).
    Create,
}

/// A parsed `docker run` / `docker create` / `podman run` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunCommand {
    pub tool: Tool,
    pub subcommand: Subcommand,
    pub spec: ContainerSpec,
}

/// Options of the `docker` and `podman` programs themselves (before the subcommand) that take a
/// value.
const DOCKER_GLOBAL_VALUE: &[&str] =
    &["-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"];
const DOCKER_GLOBAL_BOOL: &[&str] = &["-D", "--debug", "--tls", "--tlsverify"];
const PODMAN_GLOBAL_VALUE: &[&str] = &[
    "-c", "--connection", "--url", "--identity", "--root", "--runroot", "--storage-driver", "--storage-opt",
    "--cgroup-manager", "--events-backend", "--log-level", "--network-cmd-path", "--runtime", "--tmpdir", "--module",
    "--imagestore", "--hooks-dir", "--conmon", "--ssh", "--network-config-dir", "--volumepath", "--db-backend",
];
const PODMAN_GLOBAL_BOOL: &[&str] = &["-r", "--remote", "--syslog", "--noout", "--transient-store", "--debug", "-D"];

/// Where the container command starts in `words` (which start with the program): the tool, the
/// subcommand and the index of the first word after it. `None` when the words are not a
/// `run`/`create` of docker or podman (`docker ps`, `docker compose up`, `ls`).
pub(crate) fn locate(words: &[ArgWord]) -> Option<(Tool, Subcommand, usize)> {
    let tool = Tool::from_program(&words.first()?.value)?;
    let (value_options, bool_options) = match tool {
        Tool::Docker => (DOCKER_GLOBAL_VALUE, DOCKER_GLOBAL_BOOL),
        Tool::Podman => (PODMAN_GLOBAL_VALUE, PODMAN_GLOBAL_BOOL),
    };
    let mut i = 1;
    while let Some(word) = words.get(i) {
        let value = word.value.as_str();
        if !value.starts_with('-') {
            break;
        }
        let name = value.split_once('=').map_or(value, |(name, _)| name);
        if value_options.contains(&name) {
            i += if value.contains('=') { 1 } else { 2 };
        } else if bool_options.contains(&name) {
            i += 1;
        } else {
            // An option we do not know: we cannot tell whether it takes a value, so we cannot
            // find the subcommand reliably.
            return None;
        }
    }
    let mut subcommand = words.get(i)?.value.as_str();
    if subcommand == "container" {
        i += 1;
        subcommand = words.get(i)?.value.as_str();
    }
    let subcommand = match subcommand {
        "run" => Subcommand::Run,
        "create" => Subcommand::Create,
        _ => return None,
    };
    Some((tool, subcommand, i + 1))
}

/// Parses a whole command line, starting with the program: `docker run ...`, `docker -H x
/// container create ...`, `podman run ...`.
pub fn parse_command_line(words: &[ArgWord]) -> Result<RunCommand, RunArgsError> {
    let origin = span_of(words);
    let (tool, subcommand, start) = locate(words).ok_or_else(|| {
        RunArgsError::new(
            "not a container command: expected `docker run`, `docker create`, `docker container run|create` or `podman run|create`",
            origin.as_ref(),
        )
    })?;
    let mut command = parse_args(tool, subcommand, &words[start..])?;
    command.spec.origin = origin;
    Ok(command)
}

/// The origin covering `words`, from the first word's start to the last word's end.
pub(crate) fn span_of(words: &[ArgWord]) -> Option<Origin> {
    let first = words.first()?.origin.as_ref()?;
    let last = words.last()?.origin.as_ref()?;
    let mut origin = Origin::at(first.path.clone(), first.line, first.column);
    if let (Some(line), Some(column)) = (last.end_line, last.end_column) {
        origin = origin.with_end(line, column);
    }
    Some(origin)
}

/// Parses the words after `run` / `create`: flags, the image, the command.
pub fn parse_args(tool: Tool, subcommand: Subcommand, args: &[ArgWord]) -> Result<RunCommand, RunArgsError> {
    let mut builder = Builder::new(tool);
    let mut i = 0;
    let mut image_index = None;
    while i < args.len() {
        let word = &args[i];
        let text = word.value.as_str();
        i += 1;
        if text == "--" {
            image_index = Some(i);
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            let def = flags::by_long(canonical(name), tool == Tool::Podman)
                .ok_or_else(|| RunArgsError::new(format!("unknown flag: --{name}"), word.origin.as_ref()))?;
            match def.arity {
                Arity::Bool => {
                    let on = match inline {
                        None => true,
                        Some(v) => parse_go_bool(v).ok_or_else(|| {
                            RunArgsError::new(format!("invalid argument \"{v}\" for \"--{name}\" flag: expected true or false"), word.origin.as_ref())
                        })?,
                    };
                    builder.apply_bool(def, on, word)?;
                }
                Arity::Value => {
                    let value = match inline {
                        Some(v) => ArgWord { value: v.to_string(), ..word.clone() },
                        None => {
                            let next = args.get(i).ok_or_else(|| {
                                RunArgsError::new(format!("flag needs an argument: --{name}"), word.origin.as_ref())
                            })?;
                            i += 1;
                            next.clone()
                        }
                    };
                    builder.apply_value(def, &value)?;
                }
            }
            continue;
        }
        if text.len() > 1 && text.starts_with('-') {
            // A bundle of shorthands: `-itd`, `-dp` (value in the next word), `-p80:80`, `-e=A=1`.
            let letters = &text[1..];
            let mut rest = letters;
            while let Some(letter) = rest.chars().next() {
                rest = &rest[letter.len_utf8()..];
                let def = flags::by_short(letter).ok_or_else(|| {
                    RunArgsError::new(format!("unknown shorthand flag: '{letter}' in {text}"), word.origin.as_ref())
                })?;
                let inline = rest.strip_prefix('=');
                match def.arity {
                    Arity::Bool => match inline {
                        Some(v) => {
                            let on = parse_go_bool(v).ok_or_else(|| {
                                RunArgsError::new(format!("invalid argument \"{v}\" for \"-{letter}\" flag: expected true or false"), word.origin.as_ref())
                            })?;
                            builder.apply_bool(def, on, word)?;
                            rest = "";
                        }
                        None => builder.apply_bool(def, true, word)?,
                    },
                    Arity::Value => {
                        let attached = inline.unwrap_or(rest);
                        let value = if attached.is_empty() && inline.is_none() {
                            let next = args.get(i).ok_or_else(|| {
                                RunArgsError::new(format!("flag needs an argument: '{letter}' in -{letter}"), word.origin.as_ref())
                            })?;
                            i += 1;
                            next.clone()
                        } else {
                            ArgWord { value: attached.to_string(), ..word.clone() }
                        };
                        builder.apply_value(def, &value)?;
                        rest = "";
                    }
                }
            }
            continue;
        }
        image_index = Some(i - 1);
        break;
    }
    let image_index = image_index.filter(|&index| index < args.len()).ok_or_else(|| {
        let what = match subcommand {
            Subcommand::Run => "run",
            Subcommand::Create => "create",
        };
        RunArgsError::new(
            format!("\"{} {what}\" requires an image: no image name after the flags", tool.as_str()),
            args.last().and_then(|w| w.origin.as_ref()),
        )
    })?;
    let image = &args[image_index];
    builder.spec.image = Some(sourced(image.value.clone(), image));
    let command = &args[image_index + 1..];
    if !command.is_empty() {
        let origin = span_of(command);
        builder.spec.command = Some(Sourced::with_origin(command.iter().map(|w| w.value.clone()).collect(), origin));
    }
    let spec = builder.finish()?;
    Ok(RunCommand { tool, subcommand, spec })
}

/// Hidden and deprecated spellings the CLI still accepts.
fn canonical(name: &str) -> &str {
    match name {
        "net" => "network",
        "net-alias" => "network-alias",
        "dns-opt" => "dns-option",
        other => other,
    }
}

fn sourced<T>(value: T, word: &ArgWord) -> Sourced<T> {
    Sourced::with_origin(value, word.origin.clone())
}

/// Fills a spec flag by flag.
struct Builder {
    tool: Tool,
    spec: ContainerSpec,
    /// `--network-alias`, `--ip`, `--ip6`: they apply to the network given with `--network`,
    /// whatever the order of the flags.
    aliases: Vec<String>,
    ipv4: Option<String>,
    ipv6: Option<String>,
    /// The first health flag other than `--no-healthcheck`, for the conflict Docker reports.
    health_option: Option<ArgWord>,
    no_healthcheck: Option<ArgWord>,
}

impl Builder {
    fn new(tool: Tool) -> Builder {
        Builder {
            tool,
            spec: ContainerSpec::new(SpecSource::RunCommand, format!("{} run", tool.as_str())),
            aliases: Vec::new(),
            ipv4: None,
            ipv6: None,
            health_option: None,
            no_healthcheck: None,
        }
    }

    fn apply_bool(&mut self, def: &FlagDef, on: bool, word: &ArgWord) -> Result<(), RunArgsError> {
        let value = Some(sourced(on, word));
        match def.long {
            "privileged" => self.spec.privileged = value,
            "read-only" => self.spec.read_only = value,
            "init" => self.spec.init = value,
            "publish-all" => self.spec.publish_all = value,
            "oom-kill-disable" => self.spec.resources.oom_kill_disable = value,
            "no-healthcheck" if on => {
                self.no_healthcheck = Some(word.clone());
                self.healthcheck(word).test = vec!["NONE".to_string()];
            }
            // Docker 28: bind-mounts the engine's socket (and the caller's registry
            // credentials) into the container at /var/run/docker.sock.
            "use-api-socket" if on => self.spec.mounts.push(sourced(
                Mount {
                    kind: MountKind::Bind,
                    source: Some("/var/run/docker.sock".to_string()),
                    host_path: Some("/var/run/docker.sock".to_string()),
                    target: "/var/run/docker.sock".to_string(),
                    read_only: false,
                    propagation: None,
                    options: vec![KeyValue::new("use-api-socket", "")],
                },
                word,
            )),
            _ => {}
        }
        Ok(())
    }

    fn apply_value(&mut self, def: &FlagDef, word: &ArgWord) -> Result<(), RunArgsError> {
        let raw = word.value.as_str();
        let spec = &mut self.spec;
        match def.long {
            "name" => {
                spec.object = format!("container:{raw}");
                spec.name = Some(sourced(raw.to_string(), word));
            }
            "cap-add" | "cap-drop" => {
                // Docker takes one capability per flag, podman a comma list; the list form is
                // read for both (Docker would reject it, so nothing valid is misread).
                let caps = raw.split(',').filter_map(Capability::parse).map(|c| sourced(c, word));
                if def.long == "cap-add" {
                    spec.cap_add.extend(caps);
                } else {
                    spec.cap_drop.extend(caps);
                }
            }
            "user" => spec.user = User::parse(raw).map(|u| sourced(u, word)),
            "group-add" => spec.group_add.push(sourced(raw.to_string(), word)),
            "security-opt" => {
                if let Some(opt) = checked(word, SecurityOpt::parse(raw))? {
                    spec.security_opt.push(sourced(opt, word));
                }
            }
            "runtime" => spec.runtime = Some(sourced(raw.to_string(), word)),
            "network" => self.network(word)?,
            "network-alias" => self.aliases.push(raw.to_string()),
            "ip" => self.ipv4 = Some(raw.to_string()),
            "ip6" => self.ipv6 = Some(raw.to_string()),
            "pid" => spec.pid = Some(sourced(NamespaceMode::parse(raw), word)),
            "ipc" => spec.ipc = Some(sourced(NamespaceMode::parse(raw), word)),
            "uts" => spec.uts = Some(sourced(NamespaceMode::parse(raw), word)),
            "userns" => spec.userns = Some(sourced(NamespaceMode::parse(raw), word)),
            "cgroupns" => spec.cgroupns = Some(sourced(NamespaceMode::parse(raw), word)),
            "volume" => {
                if let Some(mount) = checked(word, parse_volume_short(raw))? {
                    spec.mounts.push(sourced(mount, word));
                }
            }
            "mount" => {
                if let Some(mount) = checked(word, parse_mount(raw, self.tool == Tool::Podman))? {
                    spec.mounts.push(sourced(mount, word));
                }
            }
            "tmpfs" => {
                if let Some(mount) = checked(word, parse_tmpfs(raw))? {
                    spec.mounts.push(sourced(mount, word));
                }
            }
            "volumes-from" => spec.volumes_from.push(sourced(raw.to_string(), word)),
            "device" => {
                // CDI names (`vendor.com/class=name`) are not paths.
                let device = if !raw.starts_with('/') && raw.contains('=') {
                    Ok(Device { host_path: raw.to_string(), container_path: String::new(), permissions: "rwm".to_string() })
                } else {
                    Device::parse(raw)
                };
                if let Some(device) = checked(word, device)? {
                    spec.devices.push(sourced(device, word));
                }
            }
            "device-cgroup-rule" => {
                if let Some(rule) = checked(word, DeviceCgroupRule::parse(raw))? {
                    spec.device_cgroup_rules.push(sourced(rule, word));
                }
            }
            "gpus" => spec.gpus = Some(sourced(raw.to_string(), word)),
            "publish" => {
                if let Some(port) = checked(word, PortMapping::parse(raw))? {
                    spec.ports.push(sourced(port, word));
                }
            }
            "expose" => {
                if let Some(port) = checked(word, ExposedPort::parse(raw))? {
                    spec.exposed_ports.push(sourced(port, word));
                }
            }
            "memory" => spec.resources.memory = checked(word, parse_ram_bytes(raw))?.map(|v| sourced(v, word)),
            "memory-swap" => {
                let bytes = if raw.trim() == "-1" { Ok(-1) } else { parse_ram_bytes(raw) };
                spec.resources.memory_swap = checked(word, bytes)?.map(|v| sourced(v, word));
            }
            "memory-reservation" => {
                spec.resources.memory_reservation = checked(word, parse_ram_bytes(raw))?.map(|v| sourced(v, word))
            }
            "shm-size" => spec.resources.shm_size = checked(word, parse_ram_bytes(raw))?.map(|v| sourced(v, word)),
            "cpus" => spec.resources.nano_cpus = checked(word, parse_nano_cpus(raw))?.map(|v| sourced(v, word)),
            "cpu-quota" => spec.resources.cpu_quota = checked(word, parse_int(raw))?.map(|v| sourced(v, word)),
            "cpu-period" => spec.resources.cpu_period = checked(word, parse_int(raw))?.map(|v| sourced(v, word)),
            "cpu-shares" => spec.resources.cpu_shares = checked(word, parse_int(raw))?.map(|v| sourced(v, word)),
            "cpuset-cpus" => spec.resources.cpuset_cpus = Some(sourced(raw.to_string(), word)),
            "pids-limit" => spec.resources.pids_limit = checked(word, parse_int(raw))?.map(|v| sourced(v, word)),
            "oom-score-adj" => spec.resources.oom_score_adj = checked(word, parse_int(raw))?.map(|v| sourced(v, word)),
            "ulimit" => {
                if let Some(ulimit) = checked(word, Ulimit::parse(raw))? {
                    spec.resources.ulimits.push(sourced(ulimit, word));
                }
            }
            "restart" => spec.restart = checked(word, RestartPolicy::parse(raw))?.map(|p| sourced(p, word)),
            "log-driver" => spec.logging.driver = Some(sourced(raw.to_string(), word)),
            "log-opt" => {
                let option = KeyValue::parse(raw);
                if option.key.is_empty() || !raw.contains('=') {
                    if !word.has_expansion {
                        return Err(RunArgsError::new(format!("invalid --log-opt `{raw}`: expected KEY=VALUE"), word.origin.as_ref()));
                    }
                } else {
                    spec.logging.options.push(sourced(option, word));
                }
            }
            "health-cmd" => {
                self.health_option.get_or_insert_with(|| word.clone());
                self.healthcheck(word).test = vec!["CMD-SHELL".to_string(), raw.to_string()];
            }
            "health-interval" | "health-timeout" | "health-start-period" | "health-start-interval" => {
                self.health_option.get_or_insert_with(|| word.clone());
                if let Some(nanos) = checked(word, parse_go_duration(raw))? {
                    let check = self.healthcheck(word);
                    let slot = match def.long {
                        "health-interval" => &mut check.interval,
                        "health-timeout" => &mut check.timeout,
                        "health-start-period" => &mut check.start_period,
                        _ => &mut check.start_interval,
                    };
                    *slot = Some(nanos);
                }
            }
            "health-retries" => {
                self.health_option.get_or_insert_with(|| word.clone());
                let retries = raw.trim().parse::<u32>().map_err(|_| format!("invalid --health-retries `{raw}`: expected a count"));
                if let Some(retries) = checked(word, retries)? {
                    self.healthcheck(word).retries = Some(retries);
                }
            }
            "env" => {
                let (name, value) = match raw.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (raw, None),
                };
                if name.is_empty() {
                    return Err(RunArgsError::new(format!("invalid environment variable `{raw}`: no name"), word.origin.as_ref()));
                }
                let from_variable = word.has_expansion && value.as_deref().is_some_and(|v| v.contains(['$', '`']));
                spec.env.push(sourced(
                    EnvVar { name: name.to_string(), value, from_variable, source: EnvSource::Flag },
                    word,
                ));
            }
            "env-file" => spec.env_files.push(sourced(raw.to_string(), word)),
            "secret" => {
                // podman: `--secret NAME[,target=...]`.
                let mut fields = raw.split(',');
                let name = fields.next().unwrap_or_default().to_string();
                let target = fields
                    .filter_map(|f| f.strip_prefix("target="))
                    .next()
                    .map_or_else(|| format!("/run/secrets/{name}"), str::to_string);
                spec.secrets.push(sourced(SecretRef { source: name, target }, word));
            }
            "sysctl" => spec.sysctls.push(sourced(KeyValue::parse(raw), word)),
            "cgroup-parent" => spec.cgroup_parent = Some(sourced(raw.to_string(), word)),
            "label" => spec.labels.push(sourced(KeyValue::parse(raw), word)),
            "hostname" => spec.hostname = Some(sourced(raw.to_string(), word)),
            "workdir" => spec.working_dir = Some(sourced(raw.to_string(), word)),
            "entrypoint" => {
                // `--entrypoint ""` resets the image's entrypoint.
                let entrypoint = if raw.is_empty() { Vec::new() } else { vec![raw.to_string()] };
                spec.entrypoint = Some(sourced(entrypoint, word));
            }
            _ => {}
        }
        Ok(())
    }

    /// `--network host`, `--network mynet`, `--network name=mynet,alias=web,ip=10.0.0.5`.
    fn network(&mut self, word: &ArgWord) -> Result<(), RunArgsError> {
        let raw = word.value.as_str();
        let mut attachment = NetworkAttachment { name: raw.to_string(), aliases: Vec::new(), ipv4_address: None, ipv6_address: None };
        if raw.contains('=') {
            let mut name = None;
            for field in raw.split(',') {
                match field.split_once('=') {
                    Some(("name", v)) => name = Some(v.to_string()),
                    Some(("alias", v)) => attachment.aliases.push(v.to_string()),
                    Some(("ip", v)) => attachment.ipv4_address = Some(v.to_string()),
                    Some(("ip6", v)) => attachment.ipv6_address = Some(v.to_string()),
                    Some((_, _)) => {}
                    None => {
                        return Err(RunArgsError::new(format!("invalid --network `{raw}`: expected KEY=VALUE fields"), word.origin.as_ref()))
                    }
                }
            }
            attachment.name = name.ok_or_else(|| RunArgsError::new(format!("invalid --network `{raw}`: no name="), word.origin.as_ref()))?;
        }
        let mode = NetworkMode::parse(&attachment.name);
        if self.spec.network_mode.is_none() {
            self.spec.network_mode = Some(sourced(mode.clone(), word));
        }
        if matches!(mode, NetworkMode::Named(_) | NetworkMode::Bridge | NetworkMode::Default) {
            self.spec.networks.push(sourced(attachment, word));
        }
        Ok(())
    }

    fn healthcheck(&mut self, word: &ArgWord) -> &mut Healthcheck {
        &mut self.spec.healthcheck.get_or_insert_with(|| sourced(Healthcheck::default(), word)).value
    }

    fn finish(mut self) -> Result<ContainerSpec, RunArgsError> {
        if let (Some(no), Some(_)) = (&self.no_healthcheck, &self.health_option) {
            return Err(RunArgsError::new("--no-healthcheck conflicts with --health-* options", no.origin.as_ref()));
        }
        if let Some(first) = self.spec.networks.first_mut() {
            first.value.aliases.append(&mut self.aliases);
            if self.ipv4.is_some() {
                first.value.ipv4_address = self.ipv4.take();
            }
            if self.ipv6.is_some() {
                first.value.ipv6_address = self.ipv6.take();
            }
        }
        Ok(self.spec)
    }
}

/// A flag's parsed value; a value that does not parse is an error, unless the word holds a
/// shell expansion (`-p "$PORT:80"`), whose real value is only known when the script runs: that
/// value is skipped.
fn checked<T>(word: &ArgWord, parsed: Result<T, String>) -> Result<Option<T>, RunArgsError> {
    match parsed {
        Ok(value) => Ok(Some(value)),
        Err(_) if word.has_expansion => Ok(None),
        Err(message) => Err(RunArgsError::new(message, word.origin.as_ref())),
    }
}

fn parse_int(raw: &str) -> Result<i64, String> {
    raw.trim().parse::<i64>().map_err(|_| format!("invalid number `{raw}`"))
}
