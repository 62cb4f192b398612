//! DKF060: yum/dnf/rpm/zypper told to install packages without checking signatures.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF060",
        name: "rpm-no-signature-check",
        title: "Do not install rpm packages without checking their signatures",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_9", "CKV2_DOCKER_10"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `--nogpgcheck` and `--setopt=[<repo>.]gpgcheck=0` on `yum`, `dnf`, `microdnf` and `tdnf`, \
                   `rpm --nosignature`/`--nodigest`/`--nofiledigest`/`--noverify`, `zypper --no-gpg-checks`, and \
                   `gpgcheck=0` written into a `.repo` file, `yum.conf` or `dnf.conf`.",
            why: "The package signature is what ties a package to its vendor. Without the check, a mirror, proxy or \
                  network attacker can substitute any package, and its scriptlets run as root during the build; the \
                  substituted code then ships in the image.",
            example: "FROM rockylinux:9\nRUN dnf install -y --nogpgcheck https://downloads.example.invalid/agent.rpm",
            fix: "Import the vendor's signing key and keep checking: `rpm --import https://vendor.example.invalid/RPM-GPG-KEY` \
                  (verify its fingerprint), or add `gpgkey=` with `gpgcheck=1` to the .repo file.",
            references: &["https://dnf.readthedocs.io/en/latest/command_ref.html#options", "https://rpm.org/docs/4.19.x/man/rpm.8"],
            peer_notes: "checkov's CKV2_DOCKER_9 (`--nogpgcheck`) and CKV2_DOCKER_10 (rpm's options) both map here (measured: \
                         they miss `--setopt=gpgcheck=0`, zypper and repository files, and CKV2_DOCKER_10 matches any word \
                         starting with `--nosignature`).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            let unsafe_flags: &[&str] = match command.name() {
                "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => &["--nogpgcheck"],
                "rpm" => &["--nosignature", "--nodigest", "--nofiledigest", "--noverify"],
                "zypper" => &["--no-gpg-checks", "--no-gpg-check"],
                _ => continue,
            };
            let flag = command.args.iter().find(|a| unsafe_flags.contains(&a.value.as_str())).map(|a| a.value.clone());
            let setopt = command
                .args
                .iter()
                .enumerate()
                .filter_map(|(i, a)| match a.value.strip_prefix("--setopt") {
                    Some("") => command.args.get(i + 1).map(|v| v.value.as_str()),
                    Some(rest) => rest.strip_prefix('='),
                    None => None,
                })
                .find(|s| turns_gpgcheck_off(s))
                .map(|s| format!("--setopt={s}"));
            if let Some(what) = flag.or(setopt) {
                out.report(
                    command.span,
                    format!("`{} {what}` installs packages without checking their signatures", command.name()),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let file = helpers::file_name(&write.path);
            let is_config = file.ends_with(".repo") || matches!(file, "yum.conf" | "dnf.conf");
            if is_config && write.lines().iter().any(|line| turns_gpgcheck_off(line)) {
                out.report(write.command.span, format!("`gpgcheck=0` written to {}", write.path));
            }
        }
    }
}

/// `gpgcheck=0`, `<repo>.gpgcheck=false`, `localpkg_gpgcheck=0`, `repo_gpgcheck` is left alone
/// (it is off by default and checks metadata only).
fn turns_gpgcheck_off(setting: &str) -> bool {
    helpers::ini_setting(setting).is_some_and(|(key, value)| {
        let key = key.rsplit('.').next().unwrap_or(&key);
        matches!(key, "gpgcheck" | "localpkg_gpgcheck" | "pkg_gpgcheck") && helpers::is_off(&value)
    })
}
