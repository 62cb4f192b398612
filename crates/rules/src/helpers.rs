//! Small queries many rules share. Add here what two rules would otherwise each write.

use rampart_dockerfile::{Dockerfile, Instruction, Kind, Run, ShellScript, Stage};

/// Every RUN instruction with its parsed payload, in file order (ONBUILD RUNs excluded).
pub fn runs(df: &Dockerfile) -> impl Iterator<Item = (&Instruction, &Run)> {
    df.instructions.iter().filter_map(|ins| match &ins.kind {
        Kind::Run(run) => Some((ins, run)),
        _ => None,
    })
}

/// Every RUN whose commands could be analysed, with its script.
pub fn run_scripts(df: &Dockerfile) -> impl Iterator<Item = (&Instruction, &Run, &ShellScript)> {
    runs(df).filter_map(|(ins, run)| run.script.as_ref().map(|script| (ins, run, script)))
}

/// The stage `ins` belongs to.
pub fn stage_of<'a>(df: &'a Dockerfile, ins: &Instruction) -> Option<&'a Stage> {
    ins.stage.and_then(|i| df.stages.get(i))
}

/// True when `ins` is in the last stage (the image `docker build` produces by default).
pub fn in_final_stage(df: &Dockerfile, ins: &Instruction) -> bool {
    ins.stage.is_some() && ins.stage == df.stages.len().checked_sub(1)
}

/// True when the RUN has a `--mount=type=cache` whose target is `path` or a parent of it, so
/// files left there do not end up in the image.
pub fn cache_mounted(run: &Run, path: &str) -> bool {
    run.mounts.iter().any(|m| {
        m.kind == "cache"
            && m.target.as_deref().is_some_and(|target| {
                let target = target.trim_end_matches('/');
                path == target || path.starts_with(&format!("{target}/"))
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Commands as they run: through wrappers, with their operands told apart from option values.
// ---------------------------------------------------------------------------------------------

use rampart_dockerfile as ast;
use std::borrow::Cow;

/// `command` as it runs, through wrappers: `sudo -u app apt-get install x`, `env
/// DEBIAN_FRONTEND=noninteractive apt-get ...`, `xargs apt-get install -y` and `nice -n 5 make` are
/// the wrapped commands. See [`ast::Command::unwrapped`]; for a command of a script,
/// [`ShellScript::command_as_run`] has it ready.
pub fn unwrap_command(command: &ast::Command) -> Cow<'_, ast::Command> {
    command.unwrapped()
}

/// Every command of `script` as it runs (see [`unwrap_command`]), with its index in
/// [`ShellScript::commands`].
pub fn commands_run(script: &ShellScript) -> impl Iterator<Item = (usize, Cow<'_, ast::Command>)> {
    (0..script.commands.len()).filter_map(|index| script.command_as_run(index).map(|command| (index, Cow::Borrowed(command))))
}

/// The commands of `script` named one of `names` (base name), seen through wrappers.
pub fn invocations<'a>(
    script: &'a ShellScript,
    names: &'a [&'a str],
) -> impl Iterator<Item = (usize, Cow<'a, ast::Command>)> + 'a {
    commands_run(script).filter(move |(_, command)| names.contains(&command.name()))
}

/// The operands of an argument list: what is neither an option nor an option's value.
/// `value_options` lists the options that take their value as the next argument (`-o`,
/// `--target-release`); `--opt=value` and short bundles ending in such an option (`-yt`) are
/// understood, and `--` ends the options.
pub fn operands<'a>(args: &'a [ast::ShellWord], value_options: &[&str]) -> Vec<&'a ast::ShellWord> {
    let mut found = Vec::new();
    let mut options_done = false;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let value = arg.value.as_str();
        i += 1;
        if options_done || value == "-" || !value.starts_with('-') {
            found.push(arg);
            continue;
        }
        if value == "--" {
            options_done = true;
            continue;
        }
        if value.starts_with("--") {
            if !value.contains('=') && value_options.contains(&value) {
                i += 1;
            }
            continue;
        }
        // A bundle of short options: the first one that takes a value takes the rest of the
        // bundle, or the next argument when it ends the bundle.
        let bundle = &value[1..];
        let takes_value = |letter: char| {
            value_options.iter().any(|option| option.strip_prefix('-').is_some_and(|rest| rest.chars().eq(std::iter::once(letter))))
        };
        if let Some((position, letter)) = bundle.char_indices().find(|&(_, letter)| takes_value(letter)) {
            if position + letter.len_utf8() == bundle.len() {
                i += 1;
            }
        }
    }
    found
}

/// The value of option `short`/`long` (`-u 1000`, `-u1000`, `--uid 1000`, `--uid=1000`), the last
/// one when it is repeated.
pub fn option_value<'a>(args: &'a [ast::ShellWord], short: &str, long: &str) -> Option<&'a str> {
    let mut found = None;
    let mut i = 0;
    while i < args.len() {
        let value = args[i].value.as_str();
        let next = args.get(i + 1).map(|a| a.value.as_str());
        i += 1;
        if value == "--" {
            break;
        }
        if !long.is_empty() {
            if value == long {
                found = next;
                continue;
            }
            if let Some(rest) = value.strip_prefix(long).and_then(|r| r.strip_prefix('=')) {
                found = Some(rest);
                continue;
            }
        }
        if value.starts_with("--") || !value.starts_with('-') || short.is_empty() {
            continue;
        }
        let letter = short.trim_start_matches('-');
        if let Some(position) = value[1..].find(letter) {
            let rest = &value[1 + position + letter.len()..];
            found = if rest.is_empty() { next } else { Some(rest) };
        }
    }
    found
}

/// A package manager's command line: its names and the options that take a separate value.
pub struct PackageTool {
    pub names: &'static [&'static str],
    pub value_options: &'static [&'static str],
}

pub const APT_GET: PackageTool = PackageTool {
    names: &["apt-get"],
    value_options: &[
        "-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-a",
        "--host-architecture", "-P", "--build-profiles", "--solver",
    ],
};

/// `apt`, `apt-get` and `aptitude`: what touches the package lists and caches alike.
pub const APT_FAMILY: PackageTool = PackageTool { names: &["apt-get", "apt", "aptitude"], value_options: APT_GET.value_options };

pub const APK: PackageTool = PackageTool {
    names: &["apk"],
    value_options: &[
        "-t", "--virtual", "-X", "--repository", "--repositories-file", "-p", "--root", "--arch", "--cache-dir",
        "--keys-dir", "--cache-max-age", "--timeout", "--from",
    ],
};

/// yum, dnf and microdnf share the rpm package spelling and most options.
pub const YUM: PackageTool = PackageTool { names: &["yum"], value_options: RPM_VALUE_OPTIONS };
pub const DNF: PackageTool = PackageTool { names: &["dnf", "dnf5", "microdnf"], value_options: RPM_VALUE_OPTIONS };
const RPM_VALUE_OPTIONS: &[&str] = &[
    "-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "--installroot", "--releasever", "--enablerepo",
    "--disablerepo", "--repo", "--repoid", "-x", "--exclude", "--setopt", "--forcearch", "--downloaddir", "--destdir",
    "--color", "--rpmverbosity", "--disableplugin", "--enableplugin", "--comment", "--advisory", "--advisories",
    "--bz", "--cve", "--sec-severity", "--secseverity", "--repofrompath", "--nobest", "--use-host-config",
];

pub const ZYPPER: PackageTool = PackageTool {
    names: &["zypper"],
    value_options: &[
        "-t", "--type", "-r", "--repo", "--from", "-R", "--root", "-D", "--reposd-path", "-C", "--cache-dir",
        "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "-c", "--config", "--download", "-x",
        "--installroot",
    ],
};

/// One call of a package manager: `apt-get -q install -y curl`.
pub struct PackageCall<'a> {
    /// Index in [`ShellScript::commands`].
    pub index: usize,
    pub command: Cow<'a, ast::Command>,
    tool: &'static PackageTool,
}

impl PackageCall<'_> {
    /// The subcommand (`install`), the first operand.
    pub fn subcommand(&self) -> Option<&str> {
        operands(&self.command.args, self.tool.value_options).first().map(|w| w.value.as_str())
    }

    /// True when the subcommand is one of `subcommands`.
    pub fn is(&self, subcommands: &[&str]) -> bool {
        self.subcommand().is_some_and(|s| subcommands.contains(&s))
    }

    /// The operands after the subcommand: for `install`, the packages.
    pub fn packages(&self) -> Vec<&ast::ShellWord> {
        operands(&self.command.args, self.tool.value_options).into_iter().skip(1).collect()
    }
}

/// Every call of `tool` in `script`, through wrappers.
pub fn package_calls<'a>(script: &'a ShellScript, tool: &'static PackageTool) -> impl Iterator<Item = PackageCall<'a>> + 'a {
    invocations(script, tool.names).map(move |(index, command)| PackageCall { index, command, tool })
}

/// True when the command at `index` gets its answers through a pipe from `yes`, or from
/// `echo y`/`printf 'y\n'`, so it never waits for a prompt even without its `-y` flag.
pub fn answered_by_pipe(script: &ShellScript, index: usize) -> bool {
    let Some(command) = script.commands.get(index) else { return false };
    if command.joiner != ast::Joiner::Pipe {
        return false;
    }
    let Some(pipeline) = script.pipelines.get(command.pipeline) else { return false };
    let Some(position) = pipeline.commands.iter().position(|&i| i == index) else { return false };
    let Some(&previous) = position.checked_sub(1).and_then(|p| pipeline.commands.get(p)) else { return false };
    let Some(feeder) = script.command_as_run(previous) else { return false };
    match feeder.name() {
        "yes" => true,
        "echo" | "printf" => {
            feeder.positional().next().is_some_and(|w| w.value.trim_start().starts_with(['y', 'Y']))
        }
        _ => false,
    }
}

/// True when `command` deletes `path`, a directory above it or its contents: `rm -rf
/// /var/lib/apt/lists/*`, `rm -r /var/cache/apk`, `find /var/cache/yum -delete`.
pub fn removes(command: &ast::Command, path: &str) -> bool {
    let covers = |operand: &str| {
        let operand = operand.trim_end_matches('*').trim_end_matches('/');
        !operand.is_empty() && (path == operand || path.strip_prefix(operand).is_some_and(|rest| rest.starts_with('/')))
    };
    match command.name() {
        "rm" => command.positional().any(|w| covers(&w.value)),
        "find" => {
            let deletes = command.arg_values().any(|a| a == "-delete")
                || command.arg_values().collect::<Vec<_>>().windows(2).any(|w| w[0] == "-exec" && w[1] == "rm");
            deletes && command.positional().next().is_some_and(|w| covers(&w.value))
        }
        _ => false,
    }
}

/// True when a cache or tmpfs mount of this RUN has a target that `matches`: what the step writes
/// there stays out of the image.
pub fn transient_mount(run: &Run, matches: impl Fn(&str) -> bool) -> bool {
    run.mounts.iter().any(|m| {
        (m.kind == "cache" || m.kind == "tmpfs") && m.target.as_deref().is_some_and(|t| matches(t.trim_end_matches('/')))
    })
}

/// True when `path` is on a cache or tmpfs mount of this RUN (the mount's target is `path` or a
/// directory above it).
pub fn path_on_transient_mount(run: &Run, path: &str) -> bool {
    transient_mount(run, |target| path == target || path.strip_prefix(target).is_some_and(|rest| rest.starts_with('/')))
}

// ---------------------------------------------------------------------------------------------
// Stages: what ends up in the image, and what an instruction inherits.
// ---------------------------------------------------------------------------------------------

/// For each stage, whether its files end up in the image `docker build` produces by default: the
/// final stage and the stages it is built `FROM`, transitively. Other stages only contribute the
/// paths a `COPY --from` names, so caches left there never ship.
pub fn stages_in_final_image(df: &Dockerfile) -> Vec<bool> {
    let mut shipped = vec![false; df.stages.len()];
    let mut next = df.stages.len().checked_sub(1);
    while let Some(index) = next {
        if shipped[index] {
            break;
        }
        shipped[index] = true;
        next = match df.stages[index].base {
            ast::BaseRef::Stage(base) if base < df.stages.len() => Some(base),
            _ => None,
        };
    }
    shipped
}


/// Indices of the instructions in effect before instruction `index`, latest first: the earlier
/// instructions of its stage, then all of the stage it is built `FROM`, and so on. Nothing of a
/// base image outside this file is known.
pub fn inherited_before(df: &Dockerfile, index: usize) -> Vec<usize> {
    let mut found = Vec::new();
    let Some(mut stage) = df.instructions.get(index).and_then(|ins| ins.stage) else { return found };
    let mut end = index;
    let mut visited = vec![false; df.stages.len()];
    while let Some(current) = df.stages.get(stage) {
        if std::mem::replace(&mut visited[stage], true) {
            break;
        }
        let range = current.instructions.clone();
        found.extend((range.start..end.min(range.end)).rev());
        match current.base {
            ast::BaseRef::Stage(base) => {
                stage = base;
                end = usize::MAX;
            }
            _ => break,
        }
    }
    found
}

/// Indices of every instruction of stage `stage` and of the stages it is built `FROM`, latest
/// first: what shapes the image that stage produces.
pub fn stage_history(df: &Dockerfile, stage: usize) -> Vec<usize> {
    let Some(current) = df.stages.get(stage) else { return Vec::new() };
    let end = current.instructions.end;
    match end.checked_sub(1) {
        // `inherited_before(last)` lists everything before the last instruction; add the last.
        Some(last) if current.instructions.start < end => {
            let mut found = vec![last];
            found.extend(inherited_before(df, last));
            found
        }
        // A stage with nothing after its FROM: what its base stage left.
        _ => match current.base {
            ast::BaseRef::Stage(base) if base != stage => stage_history(df, base),
            _ => Vec::new(),
        },
    }
}

/// The index of every RUN with an analysed script, with its instruction, payload and script.
pub fn indexed_run_scripts(df: &Dockerfile) -> impl Iterator<Item = (usize, &Instruction, &Run, &ShellScript)> {
    df.instructions.iter().enumerate().filter_map(|(index, ins)| match &ins.kind {
        Kind::Run(run) => run.script.as_ref().map(|script| (index, ins, run, script)),
        _ => None,
    })
}

/// [`indexed_run_scripts`] of the stages whose files end up in the final image (see
/// [`stages_in_final_image`]): where a cache left behind ships.
pub fn shipped_run_scripts(df: &Dockerfile) -> impl Iterator<Item = (usize, &Run, &ShellScript)> {
    let shipped = stages_in_final_image(df);
    indexed_run_scripts(df)
        .filter(move |(_, ins, _, _)| ins.stage.and_then(|s| shipped.get(s)).copied().unwrap_or(false))
        .map(|(index, _, run, script)| (index, run, script))
}

/// True when environment variable `name` is set for instruction `index` by an `ENV`, or an `ARG`
/// with a default, that it inherits (a RUN sees both as environment variables).
pub fn env_set_before(df: &Dockerfile, index: usize, name: &str) -> bool {
    inherited_before(df, index).into_iter().any(|i| match &df.instructions[i].kind {
        Kind::Env(pairs) => pairs.iter().any(|kv| kv.key.value == name),
        Kind::Arg(decls) => decls.iter().any(|d| d.name.value == name && d.default.is_some()),
        _ => false,
    })
}

/// True when `command` or an earlier command of the script (`export NAME=...`) sets variable
/// `name` for it.
pub fn env_set_in_script(script: &ShellScript, index: usize, name: &str) -> bool {
    let prefix = format!("{name}=");
    script.commands.get(index).is_some_and(|c| c.env.iter().any(|(k, _)| k == name))
        || commands_run(script).take(index + 1).any(|(_, c)| {
            c.env.iter().any(|(k, _)| k == name)
                || (c.name() == "export" && c.arg_values().any(|a| a.starts_with(&prefix)))
        })
}

/// The `SHELL` in effect for instruction `index` (BuildKit's default is `/bin/sh -c`).
pub fn active_shell(df: &Dockerfile, index: usize) -> Vec<String> {
    inherited_before(df, index)
        .into_iter()
        .find_map(|i| match &df.instructions[i].kind {
            Kind::Shell(words) => Some(words.iter().map(|w| w.value.clone()).collect()),
            _ => None,
        })
        .unwrap_or_else(|| vec!["/bin/sh".to_string(), "-c".to_string()])
}

// ---------------------------------------------------------------------------------------------
// Shells.
// ---------------------------------------------------------------------------------------------

pub use rampart_dockerfile::shell::program_base_name;

/// POSIX-style shells whose `-c` string rampart parses: the parser's list, and `busybox`, whose
/// `sh` applet takes a shell's options when images call it by its own name.
pub fn is_posix_shell(base_name: &str) -> bool {
    rampart_dockerfile::shell::is_posix_shell_name(base_name) || base_name == "busybox"
}

/// Shells with their own syntax (PowerShell, cmd) that no POSIX rule applies to.
pub fn is_non_posix_shell(base_name: &str) -> bool {
    matches!(base_name, "pwsh" | "powershell" | "cmd")
}

/// True when shell options `args` turn on pipefail: `-o pipefail`, or a bundle ending in `o`
/// followed by `pipefail` (`-eo pipefail`, `-euxo pipefail`), as in `SHELL [..., "-o",
/// "pipefail", "-c"]` or `set -euo pipefail`.
pub fn sets_pipefail<S: AsRef<str>>(args: &[S]) -> bool {
    args.windows(2).any(|pair| {
        let option = pair[0].as_ref();
        let is_o = option.strip_prefix('-').is_some_and(|letters| {
            !letters.starts_with('-') && letters.ends_with('o') && letters.chars().all(|c| c.is_ascii_alphabetic())
        });
        is_o && pair[1].as_ref() == "pipefail"
    })
}

/// For a command nested in a `sh -c`/`bash -c` string, the shell command whose string it is (the
/// innermost enclosing command that is a shell), by span containment. `None` for commands the
/// RUN's own shell runs (top level, subshells, `$( )`, compound bodies).
pub fn enclosing_shell(script: &ShellScript, index: usize) -> Option<usize> {
    let command = script.commands.get(index)?;
    script
        .commands
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            i != index
                && c.depth < command.depth
                && c.span.start <= command.span.start
                && command.span.end <= c.span.end
                && script.command_as_run(i).is_some_and(|run| is_posix_shell(&program_base_name(run.name())))
        })
        .max_by_key(|(_, c)| c.depth)
        .map(|(i, _)| i)
}

// ---------------------------------------------------------------------------------------------
// Package specifications.
// ---------------------------------------------------------------------------------------------

/// Whether an rpm package argument (yum, dnf) names a version: `name-version[-release]` where
/// the part after the last `-` starts with a digit (`nodejs-18.17.1`, `pkg-1.2-3.el8`), or an rpm
/// file. `None` when it is not a plain package name (a path, URL, `@group`) or is nothing but an
/// expansion (`$PKGS`).
pub fn rpm_package_pinned(value: &str) -> Option<bool> {
    if value.ends_with(".rpm") || value.contains('/') || value.starts_with('@') || value.starts_with('(') {
        return None;
    }
    if is_opaque_word(value) {
        return None;
    }
    let last = value.rsplit_once('-').map(|(_, last)| last);
    // `pkg-${VERSION}` pins through a variable; `python${PY}-devel` names no version.
    Some(last.is_some_and(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '$')))
}

/// True when a shell word's value still holds a variable or command substitution (`$PKG`,
/// `${V}`, `` `cmd` ``), so what it expands to is unknown. Globs do not count.
pub fn has_expansion(value: &str) -> bool {
    value.contains(['$', '`'])
}

/// True when `value` looks like an image reference rather than a stage name: it has a registry,
/// a namespace, a tag or a digest (`nginx:1.25`, `ghcr.io/x/y`, `x@sha256:...`).
pub fn looks_like_image_reference(value: &str) -> bool {
    value.contains(['/', ':', '.', '@'])
}

// ---------------------------------------------------------------------------------------------
// Security rules (DKF050 and up): what curl and wget download and where to, interpreters fed
// through a pipe, variables set to a value anywhere in the file, files written by
// `echo ... > file`, download verification.
// ---------------------------------------------------------------------------------------------

/// The last segment of a file path, case kept: `/root/.ssh/id_rsa` -> `id_rsa`, `keys/` -> `keys`.
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Interpreters that run a program read from standard input when given none: the POSIX shells,
/// Python, Perl, Ruby, Node.js and PHP.
pub fn is_interpreter(name: &str) -> bool {
    is_posix_shell(name) || is_python(name) || matches!(name, "perl" | "ruby" | "node" | "nodejs" | "php")
}

/// `python`, `python3`, `python3.12`, `pypy3`.
pub fn is_python(name: &str) -> bool {
    ["python", "pypy"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.')))
}

/// True when `command` (already unwrapped, see [`unwrap_command`]) runs a program it reads from
/// standard input: `sh`, `bash -s -- --flag`, `python3 -`; not `sh -c 'cmd'`, `bash script.sh`
/// or `python -m json.tool`, which read their program elsewhere and stdin as data.
pub fn runs_program_from_stdin(command: &ast::Command) -> bool {
    let name = command.name();
    let (value_options, inline_program): (&[&str], &[&str]) = if is_posix_shell(name) {
        (&["-o", "-O", "--rcfile", "--init-file"], &["-c"])
    } else if is_python(name) {
        (&["-W", "-X", "-Q"], &["-c", "-m"])
    } else if matches!(name, "perl" | "ruby") {
        (&["-I", "-r", "-x", "-C"], &["-e", "-E"])
    } else if matches!(name, "node" | "nodejs") {
        (&["-r", "--require", "--input-type"], &["-e", "--eval", "-p", "--print"])
    } else if name == "php" {
        (&["-c", "-d", "-z"], &["-r", "-f"])
    } else {
        return false;
    };
    if command.has_flag(inline_program) {
        return false;
    }
    if is_posix_shell(name) && command.has_flag(&["-s"]) {
        return true;
    }
    operands(&command.args, value_options).first().is_none_or(|program| program.value == "-")
}

/// `curl` and `wget`: the downloaders the security rules follow.
pub fn is_downloader(name: &str) -> bool {
    matches!(name, "curl" | "wget")
}

/// curl's options that take a separate value.
const CURL_VALUE_OPTIONS: &[&str] = &[
    "-o", "--output", "-H", "--header", "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "-u", "--user",
    "-x", "--proxy", "-e", "--referer", "-A", "--user-agent", "-b", "--cookie", "-c", "--cookie-jar", "-T",
    "--upload-file", "-w", "--write-out", "-K", "--config", "-m", "--max-time", "-r", "--range", "-X", "--request",
    "-E", "--cert", "-F", "--form", "-C", "--continue-at", "-Y", "--speed-limit", "-y", "--speed-time", "-z",
    "--time-cond", "-Q", "--quote", "-U", "--proxy-user", "-P", "--ftp-port", "-t", "--telnet-option", "--retry",
    "--retry-delay", "--retry-max-time", "--connect-timeout", "--cacert", "--capath", "--key", "--pass", "--proto",
    "--proto-redir", "--resolve", "--url", "--output-dir", "--oauth2-bearer", "--limit-rate", "--max-filesize",
    "--netrc-file", "--pinnedpubkey", "--unix-socket", "--interface",
];

/// wget's options that take a separate value.
const WGET_VALUE_OPTIONS: &[&str] = &[
    "-O", "--output-document", "-o", "--output-file", "-a", "--append-output", "-P", "--directory-prefix", "-t",
    "--tries", "-T", "--timeout", "-w", "--wait", "-e", "--execute", "-i", "--input-file", "-B", "--base", "-U",
    "--user-agent", "-Q", "--quota", "-l", "--level", "-A", "--accept", "-R", "--reject", "-D", "--domains", "-I",
    "--include-directories", "-X", "--exclude-directories", "--header", "--user", "--password", "--http-user",
    "--http-password", "--ftp-user", "--ftp-password", "--ca-certificate", "--ca-directory", "--certificate",
    "--private-key", "--post-data", "--post-file", "--method", "--body-data", "--referer", "--limit-rate",
    "--progress", "--secure-protocol", "--load-cookies", "--save-cookies",
];

/// The options of downloader `name` that take a separate value (empty for other programs).
pub fn downloader_value_options(name: &str) -> &'static [&'static str] {
    match name {
        "curl" => CURL_VALUE_OPTIONS,
        "wget" => WGET_VALUE_OPTIONS,
        _ => &[],
    }
}

/// The URLs an unwrapped `curl`/`wget` command fetches: its operands that look like URLs, and
/// curl's `--url`.
pub fn download_urls(command: &ast::Command) -> Vec<&str> {
    if !is_downloader(command.name()) {
        return Vec::new();
    }
    let mut urls: Vec<&str> = operands(&command.args, downloader_value_options(command.name()))
        .into_iter()
        .map(|w| w.value.as_str())
        .filter(|v| is_url(v))
        .collect();
    urls.extend(option_value(&command.args, "", "--url").filter(|v| is_url(v)));
    urls
}

/// `http://`, `https://`, `ftp://` URLs, what curl and wget fetch (scheme in any case).
pub fn is_url(value: &str) -> bool {
    let head = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    head.starts_with("http://") || head.starts_with("https://") || head.starts_with("ftp://")
}

/// True when an unwrapped `curl`/`wget` writes what it fetched to standard output (`curl URL`,
/// `curl -o- URL`, `wget -qO- URL`), where a pipe or a substitution picks it up; false when it
/// saves a file or its output is redirected to one.
pub fn downloads_to_stdout(command: &ast::Command) -> bool {
    if command.redirects.iter().any(|r| redirect_target(r).is_some_and(|(fd, _)| fd == 1)) {
        return false;
    }
    match command.name() {
        "curl" => match option_value(&command.args, "-o", "--output") {
            Some(target) => target == "-",
            None => !command.has_flag(&["-O", "--remote-name", "--remote-name-all"]),
        },
        "wget" => option_value(&command.args, "-O", "--output-document") == Some("-"),
        _ => false,
    }
}

/// The file an unwrapped `curl`/`wget` saves to, as written (`curl -o /tmp/x.sh`, `wget -O x.sh`,
/// `> x.sh`), or the name it derives from the URL (`curl -O URL`, `wget URL`). `None` when it
/// writes to standard output.
pub fn download_target(command: &ast::Command) -> Option<String> {
    if let Some((_, file)) = command.redirects.iter().filter_map(|r| redirect_target(r)).find(|(fd, _)| *fd == 1) {
        return Some(file);
    }
    let from_url = || download_urls(command).first().map(|url| url_file_name(url).to_string()).filter(|n| !n.is_empty());
    match command.name() {
        "curl" => match option_value(&command.args, "-o", "--output") {
            Some("-") => None,
            Some(target) => Some(target.to_string()),
            None if command.has_flag(&["-O", "--remote-name", "--remote-name-all"]) => from_url(),
            None => None,
        },
        "wget" => match option_value(&command.args, "-O", "--output-document") {
            Some("-") => None,
            Some(target) => Some(target.to_string()),
            None => from_url(),
        },
        _ => None,
    }
}

/// The last path segment of a URL, without query or fragment: `https://h/a/install.sh?x=1` ->
/// `install.sh`; empty when the URL has no path.
pub fn url_file_name(url: &str) -> &str {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = without_query.split_once("://").map_or(without_query, |(_, rest)| rest);
    match after_scheme.split_once('/') {
        Some((_, path)) => file_name(path),
        None => "",
    }
}

/// An output redirect as the shell analysis lists it (`> /dev/null`, `>>"$HOME/.npmrc"`,
/// `2>err.log`, `&>log`): the file descriptor it redirects and the target file, quotes removed.
/// `None` for input redirects and descriptor duplications (`2>&1`).
pub fn redirect_target(redirect: &str) -> Option<(u32, String)> {
    let text = redirect.trim();
    let (fd, rest) = if let Some(rest) = text.strip_prefix("&>>").or_else(|| text.strip_prefix("&>")) {
        (1, rest)
    } else {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let fd = text[..digits].parse().unwrap_or(1);
        let rest = &text[digits..];
        (fd, rest.strip_prefix(">>").or_else(|| rest.strip_prefix(">|")).or_else(|| rest.strip_prefix('>'))?)
    };
    let target = rest.trim();
    if target.is_empty() || target.starts_with('&') {
        return None;
    }
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|&q| target.strip_prefix(q).and_then(|t| t.strip_suffix(q)))
        .unwrap_or(target);
    Some((fd, unquoted.to_string()))
}

/// Text a RUN writes into a file with `echo`/`printf` and a redirect, or through `tee`.
#[derive(Debug, Clone)]
pub struct FileWrite<'a> {
    /// Index in [`ShellScript::commands`] of the command producing the text (`echo`, `printf`).
    pub index: usize,
    pub command: &'a ast::Command,
    /// The file, as written (`/etc/pip.conf`, `~/.npmrc`, `$HOME/.netrc`).
    pub path: String,
    /// The words making up the text (echo's options left out).
    pub words: &'a [ast::ShellWord],
}

impl FileWrite<'_> {
    /// The text written: the words joined by spaces (`\n` escapes left as written).
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// The lines of the text, split at real newlines and at `\n` escapes (`echo -e`, `printf`),
    /// with `\t` escapes read as tabs, trimmed.
    pub fn lines(&self) -> Vec<String> {
        let text = self.text().replace("\\t", "\t");
        text.split('\n').flat_map(|line| line.split("\\n")).map(|line| line.trim().to_string()).collect()
    }
}

/// A `key = value` line of an ini-style configuration file (pip.conf, .npmrc, yum.conf,
/// wgetrc), as a lower-cased key and the value without surrounding quotes.
pub fn ini_setting(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once('=')?;
    let value = value.trim();
    let value = ['"', '\'']
        .iter()
        .find_map(|&q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
        .unwrap_or(value);
    Some((key.trim().to_ascii_lowercase(), value.to_string()))
}

/// True for the ways configuration files and environment variables say "off": `0`, `false`,
/// `no`, `off` (any case).
pub fn is_off(value: &str) -> bool {
    matches!(value.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off")
}

/// Every `echo ... > file`, `printf ... >> file` and `echo ... | [sudo] tee [-a] file` of a script.
pub fn file_writes(script: &ShellScript) -> Vec<FileWrite<'_>> {
    let mut writes = Vec::new();
    for (index, command) in script.commands.iter().enumerate() {
        let words: &[ast::ShellWord] = match command.name() {
            "echo" => {
                let options = command.args.iter().take_while(|a| matches!(a.value.as_str(), "-e" | "-n" | "-E" | "-ne" | "-en")).count();
                &command.args[options..]
            }
            "printf" => &command.args,
            _ => continue,
        };
        for redirect in &command.redirects {
            if let Some((1, path)) = redirect_target(redirect) {
                writes.push(FileWrite { index, command, path, words });
            }
        }
        let rest_of_pipeline = script.commands[index + 1..]
            .iter()
            .take_while(|c| c.pipeline == command.pipeline && c.joiner == ast::Joiner::Pipe);
        for next in rest_of_pipeline {
            let next = unwrap_command(next);
            if next.name() == "tee" {
                for file in operands(&next.args, &[]) {
                    writes.push(FileWrite { index, command, path: file.value.clone(), words });
                }
            }
        }
    }
    writes
}

/// A variable given a value: `ENV NAME=value`, `ARG NAME=default`, or in a RUN `NAME=value cmd`,
/// `env NAME=value cmd`, `export NAME=value`, or `NAME=value` on its own.
#[derive(Debug, Clone)]
pub struct VariableSetting<'a> {
    pub instruction: &'a Instruction,
    pub name: String,
    pub value: String,
    /// The assignment (ENV/ARG, or a RUN's assignment statement) or the command carrying it.
    pub span: ast::Span,
}

/// Every variable setting in the file, in file order.
pub fn variable_settings(df: &Dockerfile) -> Vec<VariableSetting<'_>> {
    let mut settings = Vec::new();
    for ins in &df.instructions {
        let mut push = |name: &str, value: &str, span: ast::Span| {
            settings.push(VariableSetting { instruction: ins, name: name.to_string(), value: value.to_string(), span })
        };
        match &ins.kind {
            Kind::Env(pairs) => {
                for pair in pairs {
                    push(&pair.key.value, &pair.value.value, ast::Span { start: pair.key.span.start, end: pair.value.span.end.max(pair.key.span.end) });
                }
            }
            Kind::Arg(decls) => {
                for decl in decls {
                    if let Some(default) = &decl.default {
                        push(&decl.name.value, &default.value, ast::Span { start: decl.name.span.start, end: default.span.end.max(decl.name.span.end) });
                    }
                }
            }
            Kind::Run(Run { script: Some(script), .. }) => {
                for assignment in &script.assignments {
                    push(&assignment.name, &assignment.value.value, assignment.span);
                }
                for (_, command) in commands_run(script) {
                    for (name, value) in &command.env {
                        push(name, value, command.span);
                    }
                    if matches!(command.name(), "export" | "declare" | "typeset" | "readonly" | "local") {
                        for (name, value) in command.arg_values().filter_map(|a| a.split_once('=')) {
                            if is_variable_name(name) {
                                push(name, value, command.span);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    settings
}

fn is_variable_name(name: &str) -> bool {
    name.bytes().enumerate().all(|(i, b)| b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit())) && !name.is_empty()
}

/// True when `text` expands variable `name`: `$NAME` or `${NAME...}`, not `$NAMES` or `\$NAME`.
pub fn references_variable(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices('$').any(|(at, _)| {
        if at > 0 && bytes[at - 1] == b'\\' {
            return false;
        }
        let rest = &text[at + 1..];
        match rest.strip_prefix('{') {
            Some(braced) => braced
                .strip_prefix(name)
                .is_some_and(|after| after.starts_with(['}', ':', '-', '+', '=', '?', '#', '%', '/', '^', ','])),
            None => rest.strip_prefix(name).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')),
        }
    })
}

/// True when the script checks what it downloads: a checksum tool in check mode
/// (`sha256sum -c`, `shasum -a 256 --check`), a checksum computed inside a substitution (to be
/// compared) or piped into `grep`/`cmp`/`diff`, or a signature check (`gpg --verify`, `gpgv`,
/// `cosign verify-blob`, `minisign -V`, `openssl dgst -verify`).
pub fn verifies_downloads(script: &ShellScript) -> bool {
    commands_run(script).any(|(index, command)| {
        let has_arg = |wanted: &[&str]| command.arg_values().any(|a| wanted.contains(&a));
        match command.name() {
            "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "shasum" | "b2sum" | "md5sum" => {
                let piped_into_comparison = script.commands[index + 1..]
                    .iter()
                    .take_while(|c| c.pipeline == command.pipeline && c.joiner == ast::Joiner::Pipe)
                    .any(|c| matches!(c.name(), "grep" | "cmp" | "diff"));
                command.has_flag(&["-c", "--check"]) || command.depth > 0 || piped_into_comparison
            }
            "openssl" => has_arg(&["-verify"]),
            "gpg" | "gpg2" => has_arg(&["--verify", "--verify-files"]),
            "gpgv" | "gpgv2" => true,
            "cosign" => has_arg(&["verify-blob", "verify"]),
            "minisign" | "signify" => command.has_flag(&["-V"]),
            _ => false,
        }
    })
}

/// The source text of `span` as evidence: line continuations and the comment lines inside them
/// removed, whitespace collapsed, secret-shaped values redacted (before shortening, so that a
/// cut never leaves part of a secret readable), shortened to `max` characters.
pub fn evidence_snippet(df: &Dockerfile, span: ast::Span, max: usize) -> String {
    let text = df.source.get(span.range()).unwrap_or_default();
    let logical: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.strip_suffix(df.escape).unwrap_or(line))
        .collect();
    let one_line = logical.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let redacted = crate::secrets::redact_secrets_in(&one_line);
    if redacted.chars().count() <= max {
        redacted
    } else {
        let cut: String = redacted.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The span of bytes `start..end` of `text`, a value found at `span`: exact when `text` is the
/// source there verbatim (a heredoc body, an unquoted word), else all of `span`.
pub fn span_within(df: &Dockerfile, span: ast::Span, text: &str, start: usize, end: usize) -> ast::Span {
    if df.source.get(span.range()) == Some(text) && start <= end && end <= text.len() {
        ast::Span::new(span.start as usize + start, span.start as usize + end)
    } else {
        span
    }
}

/// True when an EXPOSE entry (`22`, `22/tcp`, `20-25/udp`) covers `port`.
pub fn expose_covers(entry: &str, port: u32) -> bool {
    let numbers = entry.split('/').next().unwrap_or(entry);
    match numbers.split_once('-') {
        Some((low, high)) => matches!((low.parse::<u32>(), high.parse::<u32>()), (Ok(l), Ok(h)) if l <= port && port <= h),
        None => numbers.parse::<u32>() == Ok(port),
    }
}

/// The arguments of a pip invocation after `pip` (`pip3 install x`, `python3 -m pip install x`,
/// `pip3.12 ...`), for an unwrapped command; `None` when the command is not pip.
pub fn pip_args(command: &ast::Command) -> Option<&[ast::ShellWord]> {
    let name = command.name();
    let is_pip = name.strip_prefix("pip").is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    if is_pip {
        return Some(&command.args);
    }
    if is_python(name) {
        let module = command.args.iter().position(|a| a.value == "-m")?;
        if command.args.get(module + 1).is_some_and(|m| m.value == "pip") {
            return command.args.get(module + 2..);
        }
    }
    None
}

/// What a file mode grants, for the bits the security rules look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModeGrants {
    /// Others may write (`o+w`, `a+w`, `777`, `666`).
    pub world_writable: bool,
    pub setuid: bool,
    pub setgid: bool,
    pub sticky: bool,
}

/// Reads a chmod-style mode: octal (`0755`, `4755`) or symbolic clauses (`u+s`, `a=rwx,o-w`).
/// A symbolic `+w` without `ugoa` is filtered by the umask (022 in builds) and so does not make
/// a file world-writable. `None` when `mode` is neither (a variable, `--reference=f`).
pub fn mode_grants(mode: &str) -> Option<ModeGrants> {
    if !mode.is_empty() && mode.len() <= 5 && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        let bits = u32::from_str_radix(mode, 8).ok()?;
        return Some(ModeGrants {
            world_writable: bits & 0o002 != 0,
            setuid: bits & 0o4000 != 0,
            setgid: bits & 0o2000 != 0,
            sticky: bits & 0o1000 != 0,
        });
    }
    let mut grants = ModeGrants::default();
    for clause in mode.split(',') {
        let who_len = clause.bytes().take_while(|b| b"ugoa".contains(b)).count();
        let (who, mut actions) = clause.split_at(who_len);
        if actions.is_empty() {
            return None;
        }
        while let Some(op) = actions.chars().next() {
            if !"+-=".contains(op) {
                return None;
            }
            let perms_len = actions[1..].bytes().take_while(|b| b"rwxXstugo".contains(b)).count();
            let perms = &actions[1..1 + perms_len];
            actions = &actions[1 + perms_len..];
            if op == '-' {
                continue;
            }
            let everyone = who.is_empty() || who.contains('a');
            if perms.contains('w') && (who.contains('o') || who.contains('a')) {
                grants.world_writable = true;
            }
            if perms.contains('s') {
                grants.setuid |= everyone || who.contains('u');
                grants.setgid |= everyone || who.contains('g');
            }
            grants.sticky |= perms.contains('t');
        }
    }
    Some(grants)
}

/// A file mode set by the Dockerfile: `chmod`, `install -m`, `mkdir -m` in a RUN, or
/// `COPY/ADD --chmod`.
#[derive(Debug, Clone)]
pub struct ModeChange<'a> {
    pub instruction: &'a Instruction,
    /// The command or the instruction's `--chmod` flag.
    pub span: ast::Span,
    pub mode: String,
    pub grants: ModeGrants,
    /// The paths it applies to, as written.
    pub paths: Vec<String>,
    /// True when every path is known to be a directory (`mkdir -m`, `install -d`, or a `chmod`
    /// of paths an earlier `mkdir` of the same RUN created).
    pub directories: bool,
}

/// Every mode the Dockerfile sets, in file order.
pub fn mode_changes(df: &Dockerfile) -> Vec<ModeChange<'_>> {
    let mut changes = Vec::new();
    for ins in &df.instructions {
        match &ins.kind {
            Kind::Copy(copy) | Kind::Add(copy) => {
                let Some(mode) = copy.chmod.as_deref() else { continue };
                let Some(grants) = mode_grants(mode) else { continue };
                let span = ins.flags.iter().find(|f| f.name == "chmod").map_or(ins.span, |f| f.span);
                let paths = vec![copy.dest.value.clone()];
                changes.push(ModeChange { instruction: ins, span, mode: mode.to_string(), grants, paths, directories: false });
            }
            Kind::Run(Run { script: Some(script), .. }) => {
                let mut made_directories: Vec<String> = Vec::new();
                for (index, command) in commands_run(script) {
                    let (mode, paths, directories) = match command.name() {
                        "chmod" => {
                            let mut operands = operands(&command.args, &[]).into_iter();
                            let Some(mode) = operands.next() else { continue };
                            let mut paths: Vec<String> = operands.map(|w| w.value.clone()).collect();
                            let finder = find_running(script, index);
                            if let Some(find) = finder {
                                // `find /srv -exec chmod 777 {} +`: the paths are what find lists.
                                // The starting points: after `-H`/`-L`/`-P`, before the expression.
                                let roots: Vec<&str> = find
                                    .arg_values()
                                    .skip_while(|a| matches!(*a, "-H" | "-L" | "-P"))
                                    .take_while(|a| !a.starts_with(['-', '(', '!']))
                                    .collect();
                                let root = if roots.is_empty() { ".".to_string() } else { roots.join(" ") };
                                let listed = format!("what `find {root}` lists");
                                paths = paths.into_iter().map(|p| if p == "{}" { listed.clone() } else { p }).collect();
                            }
                            let directories = if let Some(find) = finder {
                                finds_only_directories(find)
                            } else if paths.is_empty() {
                                fed_directories_by_find(script, index)
                            } else {
                                paths.iter().all(|p| made_directories.iter().any(|d| d == p.trim_end_matches('/')))
                            };
                            (mode.value.clone(), paths, directories)
                        }
                        "mkdir" | "install" => {
                            let is_directory = command.name() == "mkdir" || command.has_flag(&["-d", "--directory"]);
                            let value_options: &[&str] = &["-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix"];
                            let mut paths: Vec<String> = operands(&command.args, value_options).into_iter().map(|w| w.value.clone()).collect();
                            if !is_directory {
                                // `install SRC... DEST`: the mode applies to what lands at DEST.
                                paths = paths.split_off(paths.len().saturating_sub(1));
                            }
                            if is_directory {
                                made_directories.extend(command.args.iter().map(|a| a.value.trim_end_matches('/').to_string()));
                            }
                            let Some(mode) = option_value(&command.args, "-m", "--mode") else { continue };
                            (mode.to_string(), paths, is_directory)
                        }
                        _ => continue,
                    };
                    if let Some(grants) = mode_grants(&mode) {
                        changes.push(ModeChange { instruction: ins, span: command.span, mode, grants, paths, directories });
                    }
                }
            }
            _ => {}
        }
    }
    changes
}

/// True when the command at `index` is run by `xargs` on what `find ... -type d` lists earlier in
/// the same pipeline (`find /opt -type d | xargs chmod g+s`): it only touches directories.
fn fed_directories_by_find(script: &ShellScript, index: usize) -> bool {
    let Some(command) = script.commands.get(index) else { return false };
    if command.name() != "xargs" {
        return false;
    }
    script.commands[..index]
        .iter()
        .rev()
        .take_while(|c| c.pipeline == command.pipeline)
        .any(|c| c.name() == "find" && finds_only_directories(c))
}

/// `find ... -type d`: it lists directories only.
fn finds_only_directories(find: &ast::Command) -> bool {
    find.args.windows(2).any(|pair| pair[0].value == "-type" && pair[1].value == "d")
}

/// For a command `find -exec` runs (`find /srv -exec chmod 777 {} +`), that `find` command.
pub fn find_running(script: &ShellScript, index: usize) -> Option<&ast::Command> {
    let command = script.commands.get(index)?;
    if script.scope_kind(command.scope) != ast::ScopeKind::FindExec {
        return None;
    }
    script.commands[..index]
        .iter()
        .rev()
        .find(|c| c.name() == "find" && c.span.start <= command.span.start && command.span.end <= c.span.end)
}

/// True when an instruction that instruction `index` inherits writes `needle` (case-insensitive)
/// into a configuration file under `path_prefix`: `echo 'APT::Get::Assume-Yes "true";' >
/// /etc/apt/apt.conf.d/90yes` (or `printf`, `| tee`), a COPY/ADD heredoc to such a file, or a RUN
/// heredoc body that mentions it. Package-manager settings made once this way apply to every later
/// command; options given on one command line do not count.
pub fn config_written_before(df: &Dockerfile, index: usize, path_prefix: &str, needle: &str) -> bool {
    let needle = needle.to_ascii_lowercase();
    let mentions = |text: &str| text.to_ascii_lowercase().contains(&needle);
    inherited_before(df, index).into_iter().any(|i| match &df.instructions[i].kind {
        Kind::Run(run) => {
            run.heredocs.iter().any(|h| mentions(&h.body))
                || run.script.as_ref().is_some_and(|s| {
                    file_writes(s).iter().any(|w| w.path.starts_with(path_prefix) && mentions(&w.text()))
                })
        }
        Kind::Copy(copy) | Kind::Add(copy) => {
            copy.dest.value.starts_with(path_prefix) && copy.heredocs.iter().any(|h| mentions(&h.body))
        }
        _ => false,
    })
}

/// The first command of `script` that `leaves` files behind with no later command that `cleans`
/// them up (`apt-get update` without a later `rm -rf /var/lib/apt/lists/*`), seen through
/// wrappers. A clean-up only counts after what it cleans.
pub fn left_uncleaned<'a>(
    script: &'a ShellScript,
    leaves: impl Fn(&ast::Command) -> bool,
    cleans: impl Fn(&ast::Command) -> bool,
) -> Option<(usize, Cow<'a, ast::Command>)> {
    let mut pending = None;
    for (index, command) in commands_run(script) {
        if cleans(&command) {
            pending = None;
        } else if pending.is_none() && leaves(&command) {
            pending = Some((index, command));
        }
    }
    pending
}

/// For every stage, each instruction matching `matches` after the first one in that stage, as
/// `(first, repeat)` instruction indices: only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage
/// takes effect.
pub fn repeats_in_stages(df: &Dockerfile, matches: impl Fn(&Kind) -> bool) -> Vec<(usize, usize)> {
    let mut repeats = Vec::new();
    for stage in &df.stages {
        let mut first = None;
        for index in stage.instructions.clone() {
            if !matches(&df.instructions[index].kind) {
                continue;
            }
            match first {
                None => first = Some(index),
                Some(first) => repeats.push((first, index)),
            }
        }
    }
    repeats
}

/// `a, b, c` for the first `max` items and `(and N more)` for the rest.
pub fn list_some<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if items.len() > max {
        text.push_str(&format!(" (and {} more)", items.len() - max));
    }
    text
}

/// pip's options that take a separate value (global and `install` options).
const PIP_VALUE_OPTIONS: &[&str] = &[
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f",
    "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--trusted-host", "--platform", "--python-version",
    "--implementation", "--abi", "--progress-bar", "--upgrade-strategy", "--only-binary", "--no-binary", "--log",
    "--log-file", "--cache-dir", "--proxy", "--timeout", "--retries", "--exists-action", "--cert", "--client-cert",
    "--config-settings", "-C", "--global-option", "--install-option", "--report", "--python", "--root-user-action",
    "--use-feature", "--use-deprecated", "--keyring-provider", "--build-constraint", "--group", "-b", "--build",
];

/// For a `pip install` (`pip`, `pip3`, `pip3.12`, `python3 -m pip`, `uv pip`), the arguments
/// after pip (see [`pip_args`]) and the requirement operands after `install`. `None` for anything
/// else.
pub fn pip_install(command: &ast::Command) -> Option<(&[ast::ShellWord], Vec<&ast::ShellWord>)> {
    let args = match pip_args(command) {
        Some(args) => args,
        None if command.name() == "uv" && command.args.first().is_some_and(|a| a.value == "pip") => &command.args[1..],
        None => return None,
    };
    let operands = operands(args, PIP_VALUE_OPTIONS);
    if operands.first().is_none_or(|sub| sub.value != "install") {
        return None;
    }
    Some((args, operands.into_iter().skip(1).collect()))
}

/// Where yum, dnf, dnf5 and microdnf keep metadata and downloaded packages.
pub const RPM_CACHES: &[&str] = &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"];

/// True when `command` empties the yum/dnf cache: `yum clean all`, `dnf clean all`, `microdnf
/// clean all`, or removing one of [`RPM_CACHES`]. On RHEL 8 and later yum is dnf, so either
/// tool's clean-up counts for both.
pub fn cleans_rpm_cache(command: &ast::Command) -> bool {
    let rpm_tool = YUM.names.contains(&command.name()) || DNF.names.contains(&command.name());
    let clean_all = rpm_tool && {
        let operands = operands(&command.args, RPM_VALUE_OPTIONS);
        operands.first().is_some_and(|w| w.value == "clean") && operands.iter().any(|w| w.value == "all")
    };
    clean_all || RPM_CACHES.iter().any(|cache| removes(command, cache))
}

/// True when a yum/dnf command line answers its prompts itself: `-y`, `--assumeyes`,
/// `--setopt=assumeyes=1`.
pub fn rpm_assumes_yes(command: &ast::Command) -> bool {
    command.has_flag(&["-y", "--assumeyes"])
        || command.arg_values().any(|a| {
            let lower = a.to_ascii_lowercase();
            lower.strip_prefix("--setopt=").unwrap_or(&lower).strip_prefix("assumeyes=").is_some_and(|v| matches!(v, "1" | "true" | "yes"))
        })
}

/// Reports each yum/dnf call of the Dockerfile's RUN scripts for which `prompts` says the action
/// asks for confirmation and nothing answers it (`-y`, `--setopt=assumeyes=1`, `yes |`, or an
/// earlier instruction writing `assumeyes` into /etc). DKF015 (yum) and DKF018 (dnf) differ only
/// in the tool and its actions.
pub fn report_rpm_prompts(
    cx: &crate::DockerfileContext<'_>,
    out: &mut crate::Sink<'_>,
    tool: &'static PackageTool,
    prompts: fn(&PackageCall<'_>) -> bool,
) {
    let df = cx.dockerfile;
    for (index, _, _, script) in indexed_run_scripts(df) {
        for call in package_calls(script, tool) {
            if !prompts(&call) || rpm_assumes_yes(&call.command) || answered_by_pipe(script, call.index) {
                continue;
            }
            if config_written_before(df, index, "/etc/", "assumeyes") {
                continue;
            }
            out.report(
                call.command.span,
                format!("`{} {}` without `-y`: the build fails at its prompt", call.command.name(), action_words(&call)),
            );
        }
    }
}

/// The packages of a yum/dnf install that name no version (see [`rpm_package_pinned`]).
pub fn unpinned_rpm_packages(packages: &[String]) -> Vec<&str> {
    packages.iter().map(String::as_str).filter(|p| rpm_package_pinned(p) == Some(false)).collect()
}

/// The package operands of `call` in instruction `index`, with a lone variable (`$PKGS`,
/// `${PKGS}`) replaced by the words of its value: set earlier in the same RUN (`PKGS="curl git"
/// && apt-get install $PKGS`, `export PKGS=...`), or else by an inherited ENV or ARG default
/// (`ENV PKGS="curl git"`). Variables in that value are followed the same way (a few levels
/// deep). A variable whose value is unknown, or is a command's output, is kept as written; see
/// [`is_opaque_word`].
pub fn expand_package_operands(df: &Dockerfile, index: usize, script: &ShellScript, call: &PackageCall<'_>) -> Vec<String> {
    let mut expanded = Vec::new();
    for operand in call.packages() {
        expand_word(df, index, script, call.index, &operand.value, 0, &mut expanded);
    }
    expanded
}

/// Adds the words `value` stands for to `out` (see [`expand_package_operands`]).
fn expand_word(df: &Dockerfile, index: usize, script: &ShellScript, command: usize, value: &str, level: u32, out: &mut Vec<String>) {
    const MAX_LEVELS: u32 = 4;
    let known = lone_variable(value)
        .filter(|_| level < MAX_LEVELS)
        .and_then(|name| script.variable_before(command, name).or_else(|| inherited_variable(df, index, name)))
        .filter(|v| !v.contains("$(") && !v.contains('`'));
    match known {
        Some(words) => {
            for word in shell_split(&words) {
                expand_word(df, index, script, command, word, level + 1, out);
            }
        }
        None => out.push(value.to_string()),
    }
}

/// The words of a variable's value as the shell splits it unquoted, keeping `${...}` whole.
fn shell_split(value: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut braces = 0u32;
    for (i, c) in value.char_indices() {
        match c {
            '{' if value[..i].ends_with('$') || braces > 0 => braces += 1,
            '}' if braces > 0 => braces -= 1,
            c if c.is_whitespace() && braces == 0 => {
                if let Some(s) = start.take() {
                    words.push(&value[s..i]);
                }
                continue;
            }
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.push(&value[s..]);
    }
    words
}

/// True when a word is nothing but an expansion: `$PKGS`, `${PKGS:-x}`, `$(cat list)`, or a
/// backtick substitution. What it names cannot be judged; a word that mixes text and expansions
/// (`curl=${CURL_VERSION}`, `tool-${V}`) is judged by its text.
pub fn is_opaque_word(value: &str) -> bool {
    let closes_at_end = |open: &str, close: char| {
        value.strip_prefix(open).and_then(|rest| rest.strip_suffix(close)).is_some_and(|inner| {
            // The opening's own closer is the last character: `${A}` but not `${A}-${B}`.
            let mut depth = 1i32;
            inner.chars().all(|c| {
                match c {
                    '{' | '(' => depth += 1,
                    '}' | ')' => depth -= 1,
                    _ => {}
                }
                depth > 0
            })
        })
    };
    lone_variable(value).is_some()
        || closes_at_end("${", '}')
        || closes_at_end("$(", ')')
        || (value.len() > 1 && value.starts_with('`') && value.ends_with('`') && !value[1..value.len() - 1].contains('`'))
}

/// `NAME` for a word that is only a variable: `$NAME` or `${NAME}`.
fn lone_variable(value: &str) -> Option<&str> {
    value
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
        .or_else(|| value.strip_prefix('$'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// The value an ENV, or an ARG default, inherited by instruction `index` gives variable `name`.
fn inherited_variable(df: &Dockerfile, index: usize, name: &str) -> Option<String> {
    inherited_before(df, index).into_iter().find_map(|i| match &df.instructions[i].kind {
        Kind::Env(pairs) => pairs.iter().rev().find(|kv| kv.key.value == name).map(|kv| Some(kv.value.value.clone())),
        Kind::Arg(decls) => decls.iter().rev().find(|d| d.name.value == name).map(|d| d.default.as_ref().map(|w| w.value.clone())),
        _ => None,
    })?
}

/// The image word of `stage`'s FROM instruction, where a finding about its base belongs (the whole
/// instruction if the FROM is missing).
pub fn from_image_span(df: &Dockerfile, stage: &Stage) -> ast::Span {
    match df.instructions.get(stage.from) {
        Some(Instruction { kind: Kind::From { image, .. }, .. }) => image.span,
        Some(ins) => ins.span,
        None => ast::Span::default(),
    }
}

/// True for an absolute path in a Linux or Windows container: `/app`, `C:\app`, `c:/app`, `\app`.
pub fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with(['/', '\\']) || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// A package call's action as a reader would say it: `install`, or `group install` / `module
/// enable` for the tools whose actions take two words.
pub fn action_words(call: &PackageCall<'_>) -> String {
    match call.subcommand() {
        Some(sub @ ("group" | "groups" | "module")) => match call.packages().first() {
            Some(action) => format!("{sub} {}", action.value),
            None => sub.to_string(),
        },
        Some(sub) => sub.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod security_helper_tests {
    use super::*;

    #[test]
    fn reads_modes() {
        let grants = |mode: &str| mode_grants(mode).unwrap_or_else(|| panic!("{mode} should parse"));
        assert!(grants("777").world_writable && !grants("777").sticky);
        assert!(grants("0666").world_writable);
        assert!(grants("1777").world_writable && grants("1777").sticky);
        assert!(!grants("775").world_writable && !grants("755").setuid);
        assert!(grants("4755").setuid && !grants("4755").setgid);
        assert!(grants("2755").setgid && !grants("2755").setuid);
        assert!(grants("a+rwx").world_writable && grants("o+w").world_writable && grants("u=rwx,go=rwx").world_writable);
        assert!(!grants("+w").world_writable, "umask keeps +w from others");
        assert!(!grants("o-w").world_writable && !grants("go-rwx").world_writable);
        assert!(grants("u+s").setuid && !grants("u+s").setgid);
        assert!(grants("g+s").setgid && !grants("g+s").setuid);
        assert!(grants("+s").setuid && grants("+s").setgid);
        assert!(!grants("u-s").setuid);
        assert!(grants("a+rwxt").sticky);
        assert_eq!(mode_grants("$MODE"), None);
        assert_eq!(mode_grants("--reference=/etc/passwd"), None);
        assert_eq!(mode_grants("9755"), None);
    }

    #[test]
    fn reads_redirects() {
        assert_eq!(redirect_target("> /dev/null"), Some((1, "/dev/null".to_string())));
        assert_eq!(redirect_target(">>\"$HOME/.npmrc\""), Some((1, "$HOME/.npmrc".to_string())));
        assert_eq!(redirect_target("2>err.log"), Some((2, "err.log".to_string())));
        assert_eq!(redirect_target("&>all.log"), Some((1, "all.log".to_string())));
        assert_eq!(redirect_target("2>&1"), None);
        assert_eq!(redirect_target("< input"), None);
    }

    #[test]
    fn finds_variable_references() {
        assert!(references_variable("https://x:${TOKEN}@h", "TOKEN"));
        assert!(references_variable("$TOKEN", "TOKEN"));
        assert!(references_variable("${TOKEN:-none}", "TOKEN"));
        assert!(references_variable("a=$TOKEN;", "TOKEN"));
        assert!(!references_variable("$TOKENS", "TOKEN"));
        assert!(!references_variable("${TOKEN_URL}", "TOKEN"));
        assert!(!references_variable("\\$TOKEN", "TOKEN"));
        assert!(!references_variable("TOKEN", "TOKEN"));
    }

    #[test]
    fn operands_skip_option_values() {
        let words = |text: &str| -> Vec<ast::ShellWord> {
            text.split_whitespace()
                .map(|w| ast::ShellWord { raw: w.to_string(), value: w.to_string(), literal: true, span: ast::Span::default() })
                .collect()
        };
        let values = |text: &str, options: &[&str]| -> Vec<String> {
            operands(&words(text), options).into_iter().map(|w| w.value.clone()).collect()
        };
        let apt = APT_GET.value_options;
        assert_eq!(values("-yt bookworm-backports install curl", apt), ["install", "curl"]);
        assert_eq!(values("-ty bookworm install curl", apt), ["bookworm", "install", "curl"], "-t takes the rest of the bundle");
        assert_eq!(values("-o Dpkg::Options::=x --target-release=b install -- -weird", apt), ["install", "-weird"]);
        assert_eq!(values("-q - install", apt), ["-", "install"]);
        assert_eq!(values("-é x", &["-é"]), Vec::<String>::new(), "a multi-byte short option");
    }

    #[test]
    fn package_words() {
        for opaque in ["$PKGS", "${PKGS}", "${PKGS:-curl}", "$(cat /pkgs)", "`cat /pkgs`"] {
            assert!(is_opaque_word(opaque), "{opaque}");
        }
        for judged in ["curl", "curl=${V}", "tool-${V}", "${A}-${B}", "$(a)-$(b)", "x$PKG"] {
            assert!(!is_opaque_word(judged), "{judged}");
        }
        assert_eq!(shell_split("  bash \n curl=${V:-1 2}  tzdata "), ["bash", "curl=${V:-1 2}", "tzdata"]);
        assert_eq!(rpm_package_pinned("httpd-${HTTPD_VERSION}"), Some(true));
        assert_eq!(rpm_package_pinned("python${PY}-devel"), Some(false));
        assert_eq!(rpm_package_pinned("${PKGS}"), None);
        assert_eq!(rpm_package_pinned("git-2.45.2"), Some(true));
    }

    #[test]
    fn names_files_and_ports() {
        assert_eq!(url_file_name("https://h.invalid/a/install.sh?x=1#y"), "install.sh");
        assert_eq!(url_file_name("https://h.invalid"), "");
        assert_eq!(file_name("/root/.ssh/"), ".ssh");
        assert!(expose_covers("22", 22) && expose_covers("22/tcp", 22) && expose_covers("20-25/udp", 22));
        assert!(!expose_covers("2222", 22) && !expose_covers("$PORT", 22) && !expose_covers("23-30", 22));
        assert!(is_python("python3.12") && is_python("python") && !is_python("pythonista"));
        assert_eq!(ini_setting(" sslverify = 'False' "), Some(("sslverify".to_string(), "False".to_string())));
        assert!(is_off("False") && is_off("0") && !is_off("1"));
    }
}
