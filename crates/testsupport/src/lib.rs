//! What rampart's live tests share (a dev-dependency only): the setup `scripts/test.sh` made for
//! them, the docker CLI against the private test daemon, and the static busybox their images
//! are built from.
//!
//! A live test must never pass by not running: when its setup is missing it fails, unless
//! `RAMPART_SKIP_LIVE=1` says to skip it on purpose.

use std::path::PathBuf;

/// The private test daemon's address, set by scripts/test.sh.
pub const DOCKER_HOST: &str = "RAMPART_TEST_DOCKER_HOST";

/// The value of `name`, one of the variables scripts/test.sh and its scripts/setup.d steps
/// export for the live tests; `None` when `RAMPART_SKIP_LIVE=1` (after saying on stderr that
/// `what` was skipped). Panics when it is missing otherwise.
pub fn live_var(name: &str, what: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Some(value),
        _ if std::env::var("RAMPART_SKIP_LIVE").as_deref() == Ok("1") => {
            eprintln!("RAMPART_SKIP_LIVE=1: {what} skipped");
            None
        }
        _ => panic!(
            "{what} need {name}: run `bash scripts/test.sh` as root (it starts a private Docker daemon and runs \
             the scripts/setup.d steps that set it), or set RAMPART_SKIP_LIVE=1 to skip them"
        ),
    }
}

/// The private test daemon, or `None` when skipping was asked for (see [`live_var`]).
pub fn live_docker_host(what: &str) -> Option<String> {
    live_var(DOCKER_HOST, what)
}

/// Runs the docker CLI against `host` (the classic builder, which needs no BuildKit state):
/// its trimmed standard output, or what it said when it failed.
pub fn try_docker(host: &str, args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new("docker")
        .arg("-H")
        .arg(host)
        .args(args)
        .env("DOCKER_BUILDKIT", "0")
        .output()
        .map_err(|e| format!("cannot run the docker CLI: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(format!(
            "docker {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// [`try_docker`] for steps a test cannot go on without: panics with what docker said.
pub fn docker(host: &str, args: &[&str]) -> String {
    try_docker(host, args).unwrap_or_else(|error| panic!("{error}"))
}

/// Debian's static busybox, from which the test images are built `FROM scratch` (nothing can be
/// pulled).
pub fn busybox() -> PathBuf {
    ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .expect("a static busybox (Debian: busybox-static) is needed to build test images")
}
