//! DKF037: CMD or ENTRYPOINT in shell form.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF037",
        name: "shell-form-cmd",
        title: "Use the exec (JSON) form for CMD and ENTRYPOINT",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[3],
        aliases: &["DL3025"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags CMD and ENTRYPOINT written in shell form (`CMD node server.js`) unless the command starts with \
                   `exec`, or the stage's SHELL is PowerShell or cmd.",
            why: "Shell form runs `/bin/sh -c \"...\"`, so the shell is PID 1 and your process its child: `docker \
                  stop`'s SIGTERM goes to the shell, which does not pass it on, and the container is killed after the \
                  timeout without a graceful shutdown. A shell-form ENTRYPOINT also ignores CMD and `docker run` \
                  arguments.",
            example: "FROM node:20-slim\nCMD node server.js",
            fix: "Use the exec form: `CMD [\"node\", \"server.js\"]`. If shell features are needed, put them in a \
                  script that ends with `exec \"$@\"`, or write `CMD exec node server.js`.",
            references: &[
                "https://docs.docker.com/reference/dockerfile/#shell-and-exec-form",
                "https://github.com/hadolint/hadolint/wiki/DL3025",
            ],
            peer_notes: "Not flagged, where DL3025 flags: a shell form starting with `exec` (the shell replaces \
                         itself with the process, which then gets the signals), stages whose SHELL is PowerShell or \
                         cmd, `HEALTHCHECK CMD` in shell form, which is not PID 1 and receives no stop signal, and a \
                         valid JSON array that DL3025 misreads as shell form (hadolint 2.15 does so for an escaped \
                         backslash before an escaped quote, `[\"/a\\\\\\\"b\"]`).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, ins) in df.instructions.iter().enumerate() {
        let (Kind::Cmd(CommandForm::Shell(text)) | Kind::Entrypoint(CommandForm::Shell(text))) = &ins.kind else { continue };
        if text.text.split_whitespace().next() == Some("exec") {
            continue;
        }
        let shell = helpers::active_shell(df, index);
        if shell.first().is_some_and(|program| helpers::is_non_posix_shell(&helpers::program_base_name(program))) {
            continue;
        }
        out.report(
            ins.keyword_span,
            format!("{} in shell form runs under `/bin/sh -c`, which does not pass stop signals on: use the JSON form", ins.keyword),
        );
    }
}
