//! CTR005: the Docker (or containerd, podman) socket inside a container.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR005",
        name: "engine-socket-mounted",
        title: "Do not mount the Docker socket into containers",
        severity: Severity::Critical,
        category: Category::Isolation,
        checklist: &[2, 6],
        aliases: &["CIS-5.32"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags mounts that put a container engine socket (`/var/run/docker.sock`, containerd, podman, CRI-O, \
                   rootless sockets) into a container: the socket itself, a directory above it (`-v /run:/host-run`, \
                   `-v /var/run:/x`), a socket path held in a variable, and `--use-api-socket`. Read-only mounts are \
                   flagged too.",
            why: "Whoever can talk to the engine can start a privileged container with the host's root file system \
                  mounted: the socket is root on the host. A read-only bind mount does not help, because connecting to a \
                  socket is not a write to the file system. A directory above the socket exposes it just the same.",
            example: "docker run -d -v /var/run/docker.sock:/var/run/docker.sock portainer/portainer-ce",
            fix: "Remove the mount. If the container must manage containers, put an authorising proxy in front of the \
                  engine that allows only the calls it needs (read-only listing, for example), or run it on a dedicated \
                  host. Mount a narrower directory than /run or /var/run.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.32",
                "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
            ],
            peer_notes: "docker-bench-security matches only the exact socket path; it misses `-v /run:/host-run:ro`, rootless \
                         socket paths and sockets of other engines.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    for mount in &cx.spec.mounts {
        if let Some(socket) = container::exposed_engine_socket(mount) {
            let access = if mount.read_only { " (read-only does not stop a socket connection)" } else { "" };
            out.report_value(mount, format!("mounts the container engine socket {socket} at {}{access}", mount.target))
                .set_evidence(format!("{} -> {}", mount.host_path.as_deref().unwrap_or(&socket), mount.target));
        }
    }
}
