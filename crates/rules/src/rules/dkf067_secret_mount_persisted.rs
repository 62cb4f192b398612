//! DKF067: a BuildKit secret copied out of its mount into the layer.

use crate::prelude::*;
use rampart_dockerfile::{Run, ShellScript};

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF067",
        name: "secret-mount-persisted",
        title: "Do not copy a mounted secret into the image",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a `RUN --mount=type=secret` that copies the secret out of its mount into the file system: \
                   `cp`/`install`/`rsync` of the secret file (`/run/secrets/<id>` or the mount's `target=`), \
                   `cat <secret> > file`, or `echo \"$(cat <secret>)\" > file`, unless the destination is on a \
                   tmpfs/cache mount or the same RUN deletes it again.",
            why: "A secret mount exists only while the RUN runs and is never stored; the copy is an ordinary file in \
                  the layer, and everyone who can pull the image (or its build cache) can read it. This defeats the \
                  reason for using the secret mount.",
            example: "FROM node:20-slim\nRUN --mount=type=secret,id=npmrc cp /run/secrets/npmrc /root/.npmrc && npm ci",
            fix: "Mount the secret where the tool looks for it (`--mount=type=secret,id=npmrc,target=/root/.npmrc`) so no copy is needed, or delete the copy in the same RUN.\n\n\
                  ```dockerfile\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```",
            references: &["https://docs.docker.com/build/building/secrets/#target"],
            peer_notes: "No peer has this check.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::run_scripts(df) {
        let secret_paths = secret_paths(run);
        if secret_paths.is_empty() {
            continue;
        }
        let is_secret = |value: &str| secret_paths.iter().any(|p| p == value);
        for (index, command) in helpers::commands_run(script) {
            let destination = match command.name() {
                "cp" | "install" | "rsync" => {
                    let value_options: &[&str] = &[
                        "-m",
                        "--mode",
                        "-o",
                        "--owner",
                        "-g",
                        "--group",
                        "-t",
                        "--target-directory",
                        "-S",
                        "--suffix",
                    ];
                    let operands = helpers::operands(&command.args, value_options);
                    let copies_secret =
                        operands.len() >= 2 && operands[..operands.len() - 1].iter().any(|w| is_secret(&w.value));
                    copies_secret.then(|| operands[operands.len() - 1].value.clone())
                }
                "cat" if command.positional().any(|w| is_secret(&w.value)) => command
                    .redirects
                    .iter()
                    .filter_map(|r| helpers::redirect_target(r))
                    .find(|(fd, _)| *fd == 1)
                    .map(|(_, file)| file),
                _ => None,
            };
            if let Some(destination) = destination {
                if persists(run, script, index, &destination) {
                    out.report(
                        command.span,
                        format!("the mounted secret is copied to {destination}, which stays in the layer"),
                    );
                }
            }
        }
        for write in helpers::file_writes(script) {
            let embeds_secret = write
                .words
                .iter()
                .any(|w| w.value.contains("$(") && secret_paths.iter().any(|p| w.value.contains(p.as_str())));
            if embeds_secret && persists(run, script, write.index, &write.path) {
                out.report(
                    write.command.span,
                    format!("the mounted secret is written to {}, which stays in the layer", write.path),
                );
            }
        }
    }
}

/// The file paths of the RUN's secret mounts: `target=`/`dst=`, or `/run/secrets/<id>`. A
/// secret exposed only as an environment variable (`env=`) has none.
fn secret_paths(run: &Run) -> Vec<String> {
    run.mounts
        .iter()
        .filter(|m| m.kind == "secret")
        .filter_map(|m| {
            let option =
                |names: &[&str]| m.options.iter().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.clone());
            if let Some(target) = m.target.clone().or_else(|| option(&["target", "dst", "destination"])) {
                return Some(target);
            }
            if option(&["env"]).is_some() {
                return None;
            }
            option(&["id"]).map(|id| format!("/run/secrets/{id}"))
        })
        .collect()
}

/// True when a file written at command `index` stays in the layer: not on a tmpfs/cache mount,
/// not `/dev/null`, not deleted later in the script.
fn persists(run: &Run, script: &ShellScript, index: usize, path: &str) -> bool {
    path != "/dev/null"
        && !helpers::path_on_transient_mount(run, path)
        && !script.commands[index + 1..].iter().any(|c| helpers::removes(c, path))
}
