//! Programs that run another command given in their arguments (`sudo`, `env`, `xargs`,
//! `timeout`, ...): which command actually runs. Used by the shell analysis (a `sudo bash -c`
//! string is a script) and by rules, which judge the command as it runs.

use crate::shell::Command;
use std::borrow::Cow;

/// A program that runs the command given in its arguments, the options of its own that take a
/// separate value (so that value is not taken for the wrapped command) and how many operands of
/// its own come before the wrapped command (`timeout 30 cmd`, `gosu user cmd`).
struct Wrapper {
    name: &'static str,
    value_options: &'static [&'static str],
    leading_operands: usize,
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        value_options: &[
            "-u", "--user", "-g", "--group", "-C", "--close-from", "-h", "--host", "-p", "--prompt", "-r", "--role",
            "-t", "--type", "-U", "--other-user", "-D", "--chdir", "-R", "--chroot", "-T", "--command-timeout",
        ],
        leading_operands: 0,
    },
    Wrapper { name: "doas", value_options: &["-u", "-C"], leading_operands: 0 },
    Wrapper { name: "env", value_options: &["-u", "--unset", "-C", "--chdir"], leading_operands: 0 },
    Wrapper { name: "nice", value_options: &["-n", "--adjustment"], leading_operands: 0 },
    Wrapper { name: "ionice", value_options: &["-c", "--class", "-n", "--classdata"], leading_operands: 0 },
    Wrapper { name: "nohup", value_options: &[], leading_operands: 0 },
    Wrapper { name: "time", value_options: &["-f", "--format", "-o", "--output"], leading_operands: 0 },
    Wrapper { name: "timeout", value_options: &["-s", "--signal", "-k", "--kill-after"], leading_operands: 1 },
    Wrapper { name: "exec", value_options: &["-a"], leading_operands: 0 },
    Wrapper { name: "command", value_options: &[], leading_operands: 0 },
    Wrapper {
        name: "xargs",
        value_options: &[
            "-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "--max-lines", "-n", "--max-args", "-P",
            "--max-procs", "-s", "--max-chars", "--process-slot-var",
        ],
        leading_operands: 0,
    },
    Wrapper { name: "stdbuf", value_options: &["-i", "--input", "-o", "--output", "-e", "--error"], leading_operands: 0 },
    Wrapper { name: "fakeroot", value_options: &["-l", "--lib", "--faked", "-s", "-i"], leading_operands: 0 },
    Wrapper { name: "eatmydata", value_options: &[], leading_operands: 0 },
    Wrapper { name: "unbuffer", value_options: &[], leading_operands: 0 },
    Wrapper { name: "gosu", value_options: &[], leading_operands: 1 },
    Wrapper { name: "su-exec", value_options: &[], leading_operands: 1 },
    Wrapper { name: "busybox", value_options: &[], leading_operands: 0 },
    Wrapper { name: "chroot", value_options: &["--userspec", "--groups"], leading_operands: 1 },
];

/// `command` as it runs: `sudo -u app apt-get install x`, `env DEBIAN_FRONTEND=noninteractive
/// apt-get ...`, `xargs apt-get install -y` and `nice -n 5 make` are the wrapped commands (with
/// the wrapper's span, and `env`'s assignments moved to [`Command::env`]). Anything else,
/// including `command -v apt-get` (a lookup, not a run) and a wrapper with no command after it,
/// is returned as it is.
pub(crate) fn unwrap(command: &Command) -> Cow<'_, Command> {
    let mut current = Cow::Borrowed(command);
    // Wrappers nest (`sudo env X=1 nice cmd`); a few levels are all that real scripts use.
    for _ in 0..8 {
        // Every rule unwraps every command: compute the base name once, not once per wrapper.
        let name = current.name();
        let Some(wrapper) = WRAPPERS.iter().find(|w| w.name == name) else { break };
        if wrapper.name == "command" && current.has_flag(&["-v", "-V"]) {
            break;
        }
        let mut env = Vec::new();
        let mut leading = wrapper.leading_operands;
        let mut wrapped = None;
        let mut i = 0;
        while i < current.args.len() {
            let value = current.args[i].value.as_str();
            if value == "--" {
                wrapped = (i + 1 < current.args.len()).then_some(i + 1);
                break;
            }
            if value.starts_with('-') && value.len() > 1 {
                if wrapper.value_options.contains(&value) {
                    i += 1;
                }
                i += 1;
                continue;
            }
            if wrapper.name == "env" {
                if let Some((name, assigned)) = value.split_once('=') {
                    env.push((name.to_string(), assigned.to_string()));
                    i += 1;
                    continue;
                }
            }
            if leading > 0 {
                leading -= 1;
                i += 1;
                continue;
            }
            wrapped = Some(i);
            break;
        }
        let Some(start) = wrapped else { break };
        let mut inner = current.as_ref().clone();
        inner.env.extend(env);
        inner.program = inner.args[start].clone();
        inner.args.drain(..=start);
        current = Cow::Owned(inner);
    }
    current
}
