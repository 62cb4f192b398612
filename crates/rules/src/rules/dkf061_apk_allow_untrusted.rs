//! DKF061: `apk add --allow-untrusted`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF061",
        name: "apk-allow-untrusted",
        title: "Do not let apk install packages with untrusted signatures",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_7"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apk` commands with `--allow-untrusted` (behind wrappers, in `sh -c` strings and heredocs).",
            why: "apk then installs packages and indexes whose signatures it cannot check against the keys in \
                  `/etc/apk/keys`, so a mirror, proxy or network attacker can substitute them; their install scripts \
                  run as root during the build.",
            example: "FROM alpine:3.20\nRUN apk add --no-cache --allow-untrusted /tmp/vendor-agent.apk",
            fix: "Install the repository's public key into `/etc/apk/keys/` (from a source you trust, checked by \
                  fingerprint) and drop `--allow-untrusted`. For packages you build yourself, sign them with \
                  `abuild-sign` and ship your public key the same way.",
            references: &["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper"],
            peer_notes: "Same check as checkov's CKV2_DOCKER_7, read from apk's own arguments (measured: checkov also flags the \
                         option quoted in an `echo` string).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for call in helpers::package_calls(script, &helpers::APK) {
            if call.command.args.iter().any(|a| a.value == "--allow-untrusted") {
                out.report(
                    call.command.span,
                    "`apk --allow-untrusted` installs packages without checking their signatures",
                )
                .set_evidence(helpers::evidence_snippet(df, call.command.span, 160));
            }
        }
    }
}
