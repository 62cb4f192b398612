//! DKF070: setuid/setgid bits added to files (`chmod u+s`, `4755`).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF070",
        name: "setuid-setgid-mode",
        title: "Do not add setuid or setgid bits",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[5, 6],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags modes that add the setuid or setgid bit: `chmod u+s`, `g+s`, `+s`, `4755`, `2755`, `6755` (also \
                   recursive), the same modes given to `install -m`, and `COPY/ADD --chmod=4755`. Setgid on a directory \
                   (which only makes new files inherit the group) is not flagged when the RUN creates that directory \
                   (`mkdir -m 2775 /shared`, `mkdir /shared && chmod g+s /shared`).",
            why: "A setuid-root program runs as root whoever starts it, so any bug in it, or a way to make it run other \
                  code (environment, arguments, library paths), turns a non-root container process into root: the \
                  USER you set stops mattering, and root in the container is one kernel bug away from the host. \
                  Setgid gives the program's group the same way.",
            example: "FROM debian:12\nCOPY --chmod=4755 helper /usr/local/bin/helper",
            fix: "Drop the bit (`chmod 755`). If the program needs one privilege, give it that file capability instead \
                  (`setcap cap_net_bind_service=+ep /usr/local/bin/server`), or run the step that needs root at build \
                  time. Run containers with `--security-opt no-new-privileges` so remaining setuid binaries cannot \
                  raise privileges.",
            references: &["https://docs.docker.com/engine/security/#linux-kernel-capabilities"],
            peer_notes: "No peer has this check.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for change in helpers::mode_changes(cx.dockerfile) {
        let setgid = change.grants.setgid && !change.directories;
        let bits = match (change.grants.setuid, setgid) {
            (true, true) => "setuid and setgid bits",
            (true, false) => "the setuid bit",
            (false, true) => "the setgid bit",
            (false, false) => continue,
        };
        let paths = if change.paths.is_empty() { "files".to_string() } else { helpers::list_some(&change.paths, 3) };
        out.report(change.span, format!("mode {} adds {bits} to {paths}", change.mode));
    }
}
