//! DKF075: an SSH server installed in the image.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF075",
        name: "ssh-server-installed",
        title: "Do not install an SSH server in the image",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags package installs of an SSH server in a stage that ends up in the final image: \
                   `openssh-server` (apt, yum/dnf, apk, zypper), `dropbear` and its Debian parts, `tinysshd`, and on \
                   Alpine and Arch the `openssh` package (which includes sshd there). SSH clients \
                   (`openssh-client`, `openssh-clients`) are not flagged, nor installs in build stages that do not ship.",
            why: "An SSH daemon in a container is another network-facing service with its own vulnerabilities, host \
                  keys baked into the image (shared by every container of it), and credentials to manage; it bypasses \
                  the access control and audit of `docker exec` and usually means running an init system as root.",
            example: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y openssh-server",
            fix: "Drop the SSH server; use `docker exec`/`kubectl exec` for shells and `docker cp` or volumes for files. \
                  If the container's purpose is to be an SSH endpoint (a bastion, a Git server), keep it and document \
                  the exception with `# rampart ignore=DKF075 reason=...`.",
            references: &["https://docs.docker.com/engine/reference/commandline/exec/"],
            peer_notes: "No peer checks the installed packages; trivy's AVD-DS-0004 and checkov's CKV_DOCKER_1 look at \
                         `EXPOSE 22` (rampart's DKF071).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    let tools: [(&helpers::PackageTool, &[&str]); 5] = [
        (&helpers::APT_FAMILY, &["install"]),
        (&helpers::APK, &["add"]),
        (&helpers::YUM, &["install"]),
        (&helpers::DNF, &["install"]),
        (&helpers::ZYPPER, &["install", "in"]),
    ];
    for (_, _, script) in helpers::shipped_run_scripts(df) {
        for (tool, subcommands) in tools {
            for call in helpers::package_calls(script, tool) {
                if !call.is(subcommands) {
                    continue;
                }
                let server = call.packages().into_iter().find(|p| is_ssh_server(call.command.name(), &p.value));
                if let Some(package) = server {
                    out.report(call.command.span, format!("`{}` installs an SSH server", package.value));
                }
            }
        }
        // pacman -S openssh (Arch ships sshd in the openssh package).
        for (_, command) in helpers::commands_run(script) {
            if command.name() == "pacman" && command.has_flag(&["-S"]) {
                if let Some(package) =
                    helpers::operands(&command.args, &["--config", "--root"]).into_iter().find(|p| p.value == "openssh")
                {
                    out.report(command.span, format!("`{}` installs an SSH server", package.value));
                }
            }
        }
    }
}

/// SSH server package names, with any version pin (`openssh-server=1:9.2p1-2`,
/// `openssh-server-8.7p1`).
fn is_ssh_server(manager: &str, package: &str) -> bool {
    let name = package.split(['=', '~', '<', '>', '/']).next().unwrap_or(package);
    let is = |wanted: &str| {
        name == wanted
            || name
                .strip_prefix(wanted)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit()))
    };
    let servers = ["openssh-server", "dropbear", "dropbear-bin", "dropbear-run", "tinysshd", "openssh-server-pam"];
    servers.iter().any(|s| is(s)) || (manager == "apk" && is("openssh"))
}
