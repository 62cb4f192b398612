//! CTR018: the container's process runs as root.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR018",
        name: "runs-as-root",
        title: "Do not run containers as root",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[5],
        aliases: &["CIS-4.1"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags an explicit root user in any spelling (`--user 0`, `root`, `0:0`, `root:root`, `0:1000`), and live \
                   containers with no user (the image's default, root). For command lines and compose services without a \
                   user, the image's USER decides: the Dockerfile and image rules check that.",
            why: "Root in a container is root on the host's kernel with a few restrictions around it: any escape (a kernel \
                  bug, a mounted socket, a writable host path) is a host root compromise, and files it writes to mounts \
                  are owned by root.",
            example: "docker run -d --user 0:0 app:1.0",
            fix: "Run as an unprivileged user: `--user 10001:10001` (compose: `user: \"10001:10001\"`), or create a user in \
                  the image with `USER`.",
            references: &["CIS Docker Benchmark v1.6.0, 4.1", "https://docs.docker.com/engine/security/#linux-kernel-capabilities"],
            peer_notes: "docker-bench-security only looks at the image's user; it misses a numeric `--user 0:0` at run time.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let spec = cx.spec;
    match &spec.user {
        Some(user) if user.is_root() => {
            out.report_value(user, format!("runs as root (user {})", user.raw)).set_evidence(format!("user: {}", user.raw));
        }
        None if container::root_user(spec) => {
            out.report_container("runs as root: no user is set and the image has none");
        }
        _ => {}
    }
}
