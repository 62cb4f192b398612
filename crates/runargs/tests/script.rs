//! Finding container command lines in shell scripts, Makefiles and Markdown.

use rampart_model::*;
use rampart_runargs::script::Found;
use rampart_runargs::{find_run_commands, SourceKind, Subcommand};

fn find(text: &str, kind: SourceKind) -> Found {
    find_run_commands(text, "f", kind)
}

/// (line, column) where each found command starts.
fn starts(found: &Found) -> Vec<(u32, u32)> {
    found.commands.iter().map(|c| c.spec.origin.as_ref().map_or((0, 0), |o| (o.line, o.column))).collect()
}

#[test]
fn shell_scripts() {
    let script = r#"#!/bin/sh
set -eu
# docker run --privileged commented-out
docker pull nginx
docker run -d \
  --name web \
  --privileged \
  nginx
id=$(sudo -E docker create --cap-add ALL busybox)
if true; then FOO=1 exec docker run --rm alpine echo hi; fi
cat <<EOF > other.sh
docker run --pid host in-a-heredoc
EOF
sh -c 'docker run --net host alpine'
docker compose run web
podman run -d --userns host img 2>&1 | tee log
"#;
    let found = find(script, SourceKind::Shell);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(starts(&found), vec![(5, 1), (9, 14), (10, 26), (14, 7), (16, 1)]);
    let web = &found.commands[0].spec;
    assert!(web.is_privileged());
    let privileged = web.privileged.as_ref().and_then(|p| p.origin.clone()).unwrap();
    assert_eq!((privileged.line, privileged.column), (7, 3), "values point at their own line on continuations");
    assert_eq!(web.origin.as_ref().and_then(|o| o.end_line), Some(8));
    assert_eq!(found.commands[1].subcommand, Subcommand::Create);
    assert!(found.commands[1].spec.cap_add[0].is_all());
    assert_eq!(
        found.commands[3].spec.network_mode.as_ref().map(|n| n.value.clone()),
        Some(NetworkMode::Host),
        "commands inside `sh -c` strings are found"
    );
    assert!(found.commands[4].spec.userns.as_ref().is_some_and(|u| u.is_host()));
}

#[test]
fn makefiles() {
    let makefile = "IMAGE := app\nRUN_DOCKER = docker run --privileged not-a-recipe\n\nrun:\n\t@docker run --rm \\\n\t\t-v $$PWD:/src \\\n\t\t-p 8080:80 $(IMAGE)\n\ntest:\n\t-docker run -e TOKEN=abc $(IMAGE) make test\n";
    let found = find(makefile, SourceKind::Makefile);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(starts(&found), vec![(5, 3), (10, 3)]);
    let first = &found.commands[0].spec;
    assert_eq!(first.mounts[0].source.as_deref(), Some("$PWD"), "`$$` is make's escape for `$`");
    assert_eq!(first.ports[0].host_port, Some(PortRange::single(8080)));
    let port = first.ports[0].origin.clone().unwrap();
    assert_eq!((port.line, port.column), (7, 6));
    assert_eq!(found.commands[1].spec.env[0].name, "TOKEN");
}

#[test]
fn markdown() {
    let readme = "# App\n\nRun it with `docker run --privileged -p 80:80 app` or read on.\n\n```bash\n$ docker run -d \\\n    --net host app\n```\n\n```console\n$ docker run --pid host app\nlots of output docker run --ipc host not-a-command\n# docker run --uts host root-prompt\n```\n\n```python\nos.system(\"docker run --userns host x\")\n```\n\n~~~sh\ndocker create --cap-add SYS_ADMIN app\n~~~\n";
    let found = find(readme, SourceKind::Markdown);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(starts(&found), vec![(3, 14), (6, 3), (11, 3), (13, 3), (21, 1)]);
    assert!(found.commands[0].spec.is_privileged());
    assert_eq!(found.commands[1].spec.network_mode.as_ref().map(|n| n.value.clone()), Some(NetworkMode::Host));
    assert!(found.commands[3].spec.uts.as_ref().is_some_and(|u| u.is_host()));
    assert_eq!(found.commands[4].subcommand, Subcommand::Create);
}

#[test]
fn unclosed_fence_runs_to_the_end() {
    let found = find("```\ndocker run --privileged x\n", SourceKind::Markdown);
    assert_eq!(starts(&found), vec![(2, 1)]);
}

#[test]
fn broken_input_gives_errors_with_positions() {
    let found = find("echo ok\ndocker run -e 'A=b nginx\n", SourceKind::Shell);
    assert!(found.commands.is_empty());
    let error = &found.errors[0];
    assert!(error.message.contains("unterminated single quote"), "{}", error.message);
    let origin = error.origin.clone().unwrap();
    assert_eq!((origin.line, origin.column), (2, 15));

    let found = find("docker run --bogus img\n", SourceKind::Shell);
    assert_eq!(found.errors[0].message, "unknown flag: --bogus");
    assert_eq!(found.errors[0].origin.as_ref().map(|o| (o.line, o.column)), Some((1, 12)));

    // A broken shell block that has nothing to do with containers is none of our business.
    let found = find("```sh\necho 'oops\n```\n\n```sh\ndocker run ok\n```\n", SourceKind::Markdown);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(found.commands.len(), 1);
}

#[test]
fn files_without_container_commands_cost_nothing() {
    let found = find(&"echo hello\n".repeat(10_000), SourceKind::Shell);
    assert!(found.commands.is_empty() && found.errors.is_empty());
}

#[test]
fn kinds_are_detected_from_names_and_shebangs() {
    assert_eq!(SourceKind::detect("deploy.sh", ""), Some(SourceKind::Shell));
    assert_eq!(SourceKind::detect("Makefile", ""), Some(SourceKind::Makefile));
    assert_eq!(SourceKind::detect("rules.mk", ""), Some(SourceKind::Makefile));
    assert_eq!(SourceKind::detect("README.md", ""), Some(SourceKind::Markdown));
    assert_eq!(SourceKind::detect("run", "#!/usr/bin/env bash\n"), Some(SourceKind::Shell));
    assert_eq!(SourceKind::detect("run", "#!/bin/sh -e\n"), Some(SourceKind::Shell));
    assert_eq!(SourceKind::detect("run.py", "#!/usr/bin/env python3\n"), None);
    assert_eq!(SourceKind::detect("notes.txt", "docker run x"), None);
}
