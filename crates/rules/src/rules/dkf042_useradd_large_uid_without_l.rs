//! DKF042: `useradd` with a large UID without `-l`.

use crate::prelude::*;

/// UIDs from here on make the lastlog/faillog files large; hadolint's threshold (more than five
/// digits) is kept so both tools agree.
const LARGE_UID: u64 = 100_000;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF042",
        name: "useradd-large-uid-without-l",
        title: "Use useradd -l with large UIDs",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3046"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `useradd -u UID` with a UID of 100000 or more and without `-l`/`--no-log-init`.",
            why: "useradd reserves a slot for the new UID in /var/log/lastlog and /var/log/faillog, files indexed by \
                  UID. They are sparse on disk, but image layers do not keep sparseness: a UID of 1000000 adds about \
                  300 MB of zeros to the image, and very large UIDs can exhaust the builder's disk.",
            example: "FROM debian:12\nRUN useradd -u 1000000 app",
            fix: "Add `-l` (`--no-log-init`): `useradd -l -u 1000000 app`.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#user",
                "https://github.com/hadolint/hadolint/wiki/DL3046",
            ],
            peer_notes: "Same check as DL3046 (UIDs longer than five digits). A UID given through a variable is not \
                         judged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for (_, useradd) in helpers::invocations(script, &["useradd"]) {
            if useradd.has_flag(&["-l", "--no-log-init"]) {
                continue;
            }
            let Some(uid) = helpers::option_value(&useradd.args, "-u", "--uid").and_then(|u| u.parse::<u64>().ok()) else { continue };
            if uid >= LARGE_UID {
                out.report(useradd.span, format!("`useradd -u {uid}` without `-l` writes a huge /var/log/lastlog into the image"));
            }
        }
    }
}
