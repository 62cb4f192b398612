//! CTR017: no `no-new-privileges`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR017",
        name: "no-new-privileges-not-set",
        title: "Set no-new-privileges",
        severity: Severity::Medium,
        category: Category::Isolation,
        checklist: &[6],
        aliases: &["CIS-5.26"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags containers without `--security-opt no-new-privileges` (also accepted: `=true`, `:true`), and those \
                   that set it to false. For live containers the engine collector folds in the daemon's \
                   `no-new-privileges` default.",
            why: "Without it a process in the container can gain privileges through setuid and setcap binaries (`su`, \
                  `sudo`, `ping` on older images, anything an attacker drops in), turning a foothold as an unprivileged \
                  user into root in the container.",
            example: "docker run -d --user 1000 app:1.0",
            fix: "Add `--security-opt no-new-privileges` (compose: `security_opt: [\"no-new-privileges:true\"]`), or set \
                  `\"no-new-privileges\": true` in /etc/docker/daemon.json for every container.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.26",
                "https://docs.docker.com/reference/cli/docker/container/run/#security-opt",
            ],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    match cx.spec.no_new_privileges() {
        Some(option) => {
            if matches!(option.value, SecurityOpt::NoNewPrivileges { enabled: false }) {
                out.report_value(option, "no-new-privileges is turned off: setuid binaries can raise privileges")
                    .set_evidence("no-new-privileges=false");
            }
        }
        None => {
            out.report_container("no-new-privileges is not set: setuid binaries can raise privileges");
        }
    }
}
