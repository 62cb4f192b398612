//! The flags `docker run` / `docker create` and `podman run` / `podman create` accept: name,
//! one-letter shorthand and whether they take a value. What each flag does to the spec is in
//! `parse.rs`; flags not modelled there are accepted and ignored (they do not change isolation,
//! exposure, secrets or limits: `--dns`, `--stop-timeout`, ...).

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// `--flag`, `--flag=false`; never the next word.
    Bool,
    /// `--flag value`, `--flag=value`.
    Value,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct FlagDef {
    /// Canonical long name, without dashes.
    pub long: &'static str,
    pub short: Option<char>,
    pub arity: Arity,
}

const fn value(long: &'static str) -> FlagDef {
    FlagDef { long, short: None, arity: Arity::Value }
}

const fn boolean(long: &'static str) -> FlagDef {
    FlagDef { long, short: None, arity: Arity::Bool }
}

const fn short_value(long: &'static str, short: char) -> FlagDef {
    FlagDef { long, short: Some(short), arity: Arity::Value }
}

const fn short_bool(long: &'static str, short: char) -> FlagDef {
    FlagDef { long, short: Some(short), arity: Arity::Bool }
}

/// `docker run --help` of Docker 28, with the hidden and deprecated flags the CLI still accepts.
pub(crate) const DOCKER_FLAGS: &[FlagDef] = &[
    value("add-host"),
    value("annotation"),
    short_value("attach", 'a'),
    value("blkio-weight"),
    value("blkio-weight-device"),
    value("cap-add"),
    value("cap-drop"),
    value("cgroup-parent"),
    value("cgroupns"),
    value("cidfile"),
    value("cpu-count"),
    value("cpu-percent"),
    value("cpu-period"),
    value("cpu-quota"),
    value("cpu-rt-period"),
    value("cpu-rt-runtime"),
    short_value("cpu-shares", 'c'),
    value("cpus"),
    value("cpuset-cpus"),
    value("cpuset-mems"),
    short_bool("detach", 'd'),
    value("detach-keys"),
    value("device"),
    value("device-cgroup-rule"),
    value("device-read-bps"),
    value("device-read-iops"),
    value("device-write-bps"),
    value("device-write-iops"),
    boolean("disable-content-trust"),
    value("dns"),
    value("dns-opt"),
    value("dns-option"),
    value("dns-search"),
    value("domainname"),
    value("entrypoint"),
    short_value("env", 'e'),
    value("env-file"),
    value("expose"),
    value("gpus"),
    value("group-add"),
    value("health-cmd"),
    value("health-interval"),
    value("health-retries"),
    value("health-start-interval"),
    value("health-start-period"),
    value("health-timeout"),
    boolean("help"),
    short_value("hostname", 'h'),
    boolean("init"),
    short_bool("interactive", 'i'),
    value("io-maxbandwidth"),
    value("io-maxiops"),
    value("ip"),
    value("ip6"),
    value("ipc"),
    value("isolation"),
    value("kernel-memory"),
    short_value("label", 'l'),
    value("label-file"),
    value("link"),
    value("link-local-ip"),
    value("log-driver"),
    value("log-opt"),
    value("mac-address"),
    short_value("memory", 'm'),
    value("memory-reservation"),
    value("memory-swap"),
    value("memory-swappiness"),
    value("mount"),
    value("name"),
    value("net"),
    value("net-alias"),
    value("network"),
    value("network-alias"),
    boolean("no-healthcheck"),
    boolean("oom-kill-disable"),
    value("oom-score-adj"),
    value("pid"),
    value("pids-limit"),
    value("platform"),
    boolean("privileged"),
    short_value("publish", 'p'),
    short_bool("publish-all", 'P'),
    value("pull"),
    short_bool("quiet", 'q'),
    boolean("read-only"),
    value("restart"),
    boolean("rm"),
    value("runtime"),
    value("security-opt"),
    value("shm-size"),
    boolean("sig-proxy"),
    value("stop-signal"),
    value("stop-timeout"),
    value("storage-opt"),
    value("sysctl"),
    value("tmpfs"),
    short_bool("tty", 't'),
    value("ulimit"),
    boolean("use-api-socket"),
    short_value("user", 'u'),
    value("userns"),
    value("uts"),
    short_value("volume", 'v'),
    value("volume-driver"),
    value("volumes-from"),
    short_value("workdir", 'w'),
];

/// Flags only podman has (podman accepts the Docker flags above too).
pub(crate) const PODMAN_FLAGS: &[FlagDef] = &[
    value("arch"),
    value("authfile"),
    value("cert-dir"),
    value("cgroup-conf"),
    value("cgroups"),
    value("chrootdirs"),
    value("conmon-pidfile"),
    value("creds"),
    value("decryption-key"),
    boolean("env-host"),
    value("env-merge"),
    value("gidmap"),
    value("group-entry"),
    value("health-log-destination"),
    value("health-max-log-count"),
    value("health-max-log-size"),
    value("health-on-failure"),
    value("health-startup-cmd"),
    value("health-startup-interval"),
    value("health-startup-retries"),
    value("health-startup-success"),
    value("health-startup-timeout"),
    value("hostuser"),
    boolean("http-proxy"),
    value("image-volume"),
    value("init-path"),
    boolean("no-hosts"),
    value("os"),
    boolean("passwd"),
    value("passwd-entry"),
    value("personality"),
    value("pidfile"),
    value("pod"),
    value("pod-id-file"),
    value("preserve-fd"),
    value("preserve-fds"),
    boolean("read-only-tmpfs"),
    boolean("replace"),
    value("requires"),
    value("retry"),
    value("retry-delay"),
    boolean("rootfs"),
    value("sdnotify"),
    value("seccomp-policy"),
    value("secret"),
    value("shm-size-systemd"),
    value("subgidname"),
    value("subuidname"),
    value("systemd"),
    value("timeout"),
    boolean("tls-verify"),
    value("tz"),
    value("uidmap"),
    value("umask"),
    value("unsetenv"),
    boolean("unsetenv-all"),
    value("variant"),
];

/// The flag named `--long`; podman's own flags only when `podman`.
pub(crate) fn by_long(long: &str, podman: bool) -> Option<&'static FlagDef> {
    DOCKER_FLAGS
        .iter()
        .find(|f| f.long == long)
        .or_else(|| podman.then(|| PODMAN_FLAGS.iter().find(|f| f.long == long)).flatten())
}

/// The flag with shorthand `short` (podman has the same shorthands as Docker).
pub(crate) fn by_short(short: char) -> Option<&'static FlagDef> {
    DOCKER_FLAGS.iter().find(|f| f.short == Some(short))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_shorthands_are_unique() {
        let mut longs = HashSet::new();
        let mut shorts = HashSet::new();
        for flag in DOCKER_FLAGS {
            assert!(longs.insert(flag.long), "duplicate --{}", flag.long);
            if let Some(short) = flag.short {
                assert!(shorts.insert(short), "duplicate -{short}");
            }
        }
        let mut podman = HashSet::new();
        for flag in PODMAN_FLAGS {
            assert!(podman.insert(flag.long), "duplicate podman --{}", flag.long);
            assert!(flag.short.is_none(), "podman-only shorthands are not modelled");
        }
    }
}
