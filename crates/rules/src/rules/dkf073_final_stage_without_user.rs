//! DKF073: the final stage never sets a USER, so the image runs as root.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF073",
        name: "final-stage-without-user",
        title: "Set a non-root USER in the final stage",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["CKV_DOCKER_3"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags the final stage (the image `docker build` produces) when neither it nor a stage it is built \
                   `FROM` has a USER instruction. Build stages are not checked: building as root is normal and their \
                   user does not ship. Bases whose reference says they already run unprivileged (a `nonroot` tag or \
                   name, as distroless images use) are trusted; nothing else about a base image outside the file is \
                   known, and most official images default to root. Images that install or run `gosu`/`su-exec` are \
                   not flagged: their entrypoint starts as root only to hand the main process to an unprivileged \
                   user, as the official database images do. `FROM scratch` is flagged too: the binary then runs \
                   as uid 0, and `USER 65534` works without a passwd file.",
            why: "Without USER the container's main process runs as root. Root in a container shares the kernel with \
                  the host: a kernel bug, a mounted socket, a writable host path or an added capability turns a \
                  compromised application into a compromised host, and inside the container it can read and change \
                  everything.",
            example: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]",
            fix: "Create an unprivileged user (or use one the base provides) and switch to it with `USER` at the end of \
                  the final stage, preferably by numeric uid so that Kubernetes `runAsNonRoot` can verify it.\n\n```dockerfile\nRUN useradd --system --uid 10001 --no-create-home app\nUSER 10001\n```",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#user",
                "https://www.checkov.io/5.Policy%20Index/dockerfile.html",
            ],
            peer_notes: "checkov's CKV_DOCKER_3 passes when any stage has a USER, so a USER in a build stage hides a root final \
                         image (measured on this rule's fixtures); rampart looks only at what the final image inherits, and \
                         unlike checkov trusts `nonroot` bases and gosu/su-exec entrypoints. A USER that sets root is \
                         DKF028's (hadolint DL3002, trivy AVD-DS-0002).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    let Some(last) = df.stages.len().checked_sub(1) else { return };
    let history = helpers::stage_history(df, last);
    let sets_user = history.iter().any(|&i| matches!(df.instructions[i].kind, Kind::User { .. }));
    if sets_user || base_runs_unprivileged(df, last) || steps_down_at_start(df, &history) {
        return;
    }
    let from = &df.instructions[df.stages[last].from];
    out.report(from.span, "the final stage never sets USER: the container runs as root");
}

/// Programs an entrypoint uses to drop from root to an unprivileged user once it has prepared
/// the container (the official images' `exec gosu postgres "$@"` pattern).
const STEP_DOWN_TOOLS: &[&str] = &["gosu", "su-exec"];

/// True when the image installs or runs a step-down tool (`gosu`, `su-exec`): its entrypoint
/// starts as root only to hand the main process to an unprivileged user.
fn steps_down_at_start(df: &Dockerfile, history: &[usize]) -> bool {
    history.iter().any(|&i| {
        let Kind::Run(run) = &df.instructions[i].kind else { return false };
        let Some(script) = &run.script else { return false };
        helpers::commands_run(script).any(|(_, command)| {
            STEP_DOWN_TOOLS.contains(&command.name())
                || command.args.iter().any(|a| {
                    STEP_DOWN_TOOLS.iter().any(|tool| helpers::file_name(&a.value) == *tool)
                        || STEP_DOWN_TOOLS.contains(&a.value.split('=').next().unwrap_or_default())
                })
        })
    })
}

/// True when the image the final stage ultimately builds on says it runs unprivileged
/// (`gcr.io/distroless/static:nonroot`, `.../nonroot`).
fn base_runs_unprivileged(df: &Dockerfile, stage: usize) -> bool {
    let mut current = stage;
    // Walk `FROM <stage>` links down to the image; indices only decrease, so this ends.
    for _ in 0..=df.stages.len() {
        match &df.stages[current].base {
            BaseRef::Stage(parent) if *parent < current => current = *parent,
            BaseRef::Image(image) => {
                let reference = image.resolved.as_deref().unwrap_or(&image.raw).to_ascii_lowercase();
                return reference.contains("nonroot") || reference.contains("non-root");
            }
            _ => return false,
        }
    }
    false
}
