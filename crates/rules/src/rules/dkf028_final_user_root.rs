//! DKF028: the final image's last USER is root.

use crate::prelude::*;

/// Programs that start as root and drop to another user before running the service.
const PRIVILEGE_DROPPERS: &[&str] = &["gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst", "setuidgid"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF028",
        name: "final-user-root",
        title: "The last USER of the final image must not be root",
        severity: Severity::High,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["DL3002", "AVD-DS-0002"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags the last `USER` of the image `docker build` produces (its final stage, or the stage it is \
                   built FROM when the final stage sets none) when it is `root` or UID 0. Build stages may run as \
                   root. An ENTRYPOINT or CMD that drops privileges itself (`gosu`, `su-exec`, `setpriv`, \
                   `runuser`) is not flagged.",
            why: "A process running as root in the container is root on the host's kernel: a container escape, a \
                  mounted host path or the Docker socket turn an application bug into host compromise. Setting USER \
                  root last is an explicit choice to run that way.",
            example: "FROM debian:12\nRUN useradd -r app\nUSER app\nRUN id\nUSER root\nCMD [\"/app/server\"]",
            fix: "End the final stage with a non-root user: `RUN useradd -r -u 10001 app` and `USER 10001` (a \
                  numeric UID lets Kubernetes' runAsNonRoot verify it). Switch to root only around the steps that \
                  need it.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#user",
                "https://github.com/hadolint/hadolint/wiki/DL3002",
            ],
            peer_notes: "Not flagged, where DL3002 flags: the last USER of a build stage the final image does not \
                         build on, and an image whose ENTRYPOINT/CMD starts with a privilege-dropping tool (gosu, \
                         su-exec, setpriv, runuser, s6-setuidgid, chpst). Flagged, where DL3002 is silent: a final \
                         stage without USER built FROM a stage whose last USER is root. `USER ${VAR}` is not judged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    let Some(final_stage) = df.final_stage() else { return };
    let history = helpers::stage_history(df, final_stage.index);
    let last_user = history.iter().map(|&i| &df.instructions[i]).find_map(|ins| match &ins.kind {
        Kind::User { user, .. } => Some((ins, user)),
        _ => None,
    });
    let Some((ins, user)) = last_user else { return };
    if !matches!(user.value.as_str(), "root" | "0") || drops_privileges(df, &history) {
        return;
    }
    out.report(ins.span, format!("the image runs as `{}`: end the final stage with a non-root USER", user.value));
}

/// True when the image's ENTRYPOINT (or, without one, its CMD) runs a privilege-dropping tool.
fn drops_privileges(df: &Dockerfile, history: &[usize]) -> bool {
    let entry = history.iter().map(|&i| &df.instructions[i].kind).find_map(|kind| match kind {
        Kind::Entrypoint(form) => Some(form),
        _ => None,
    });
    let command = entry.or_else(|| {
        history.iter().map(|&i| &df.instructions[i].kind).find_map(|kind| match kind {
            Kind::Cmd(form) => Some(form),
            _ => None,
        })
    });
    let words: Vec<&str> = match command {
        Some(CommandForm::Exec(words)) => words.iter().map(|w| w.value.as_str()).collect(),
        Some(CommandForm::Shell(text)) => text.text.split_whitespace().collect(),
        None => Vec::new(),
    };
    words.iter().take(4).any(|w| PRIVILEGE_DROPPERS.contains(&helpers::program_base_name(w).as_str()))
}
