//! DKF069: files or directories made world-writable (`chmod 777`, `o+w`).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF069",
        name: "world-writable-mode",
        title: "Do not make files world-writable",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[5],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags modes that let every user write: `chmod` with an octal mode whose last digit includes write \
                   (`777`, `666`, `0777`, `-R 777`) or a symbolic mode granting `w` to `o` or `a` (`o+w`, `a+rwx`, \
                   `ugo=rwx`), the same modes given to `install -m` and `mkdir -m`, and `COPY/ADD --chmod`. A mode with \
                   the sticky bit (`1777`, `+t`), the standard for shared directories like /tmp, is not flagged.",
            why: "In a world-writable file or directory any process of the container, whatever its user, can replace \
                  code, configuration or data. Running as a non-root USER then no longer separates anything: a \
                  compromised low-privilege process can plant a binary or script that root (or the application) runs \
                  later, or tamper with what the application trusts.",
            example: "FROM debian:12\nRUN mkdir -p /app && chmod -R 777 /app",
            fix: "Give ownership to the user that needs to write, with a narrow mode: \
                  `COPY --chown=app:app --chmod=755 . /app` or `chown -R app:app /app/data && chmod 750 /app/data`. \
                  For a shared scratch directory use the sticky bit: `chmod 1777 /shared`.",
            references: &["https://wiki.sei.cmu.edu/confluence/display/c/FIO06-C.+Create+files+with+appropriate+access+permissions"],
            peer_notes: "No peer has this check. `chmod +w` (no who letter) is not flagged: the umask (022) keeps it from \
                         reaching group and others.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for change in helpers::mode_changes(cx.dockerfile) {
        if change.grants.world_writable && !change.grants.sticky {
            let paths =
                if change.paths.is_empty() { "files".to_string() } else { helpers::list_some(&change.paths, 3) };
            out.report(change.span, format!("mode {} makes {paths} writable by every user", change.mode));
        }
    }
}
