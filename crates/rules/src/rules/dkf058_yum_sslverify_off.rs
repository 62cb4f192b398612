//! DKF058: yum/dnf told not to check repository certificates (`sslverify=0`).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF058",
        name: "yum-sslverify-off",
        title: "Do not turn off yum/dnf certificate checks (sslverify)",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_15"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `--setopt=sslverify=0` (also `--setopt=<repo>.sslverify=false`, `no`, `off`, as one word or two) on \
                   `yum`, `dnf`, `microdnf`, `tdnf` and `yum-config-manager`/`dnf config-manager`, `sslverify=0` written into \
                   a `.repo` file, `yum.conf` or `dnf.conf`, and `sed` edits that set it there.",
            why: "Repository metadata and packages are then fetched over TLS without checking the server, so anyone on \
                  the network path can serve different metadata. Package signatures (gpgcheck) still protect the \
                  packages themselves when they are on, but not metadata-only attacks such as holding back security \
                  updates, and many repositories that need this workaround have gpgcheck off too.",
            example: "FROM rockylinux:9\nRUN dnf install -y --setopt=sslverify=false nginx",
            fix: "Remove the option. For a repository behind a private CA, install the CA \
                  (`cp corp.crt /etc/pki/ca-trust/source/anchors/ && update-ca-trust`) or set `sslcacert=` in the .repo \
                  file.",
            references: &["https://dnf.readthedocs.io/en/latest/conf_ref.html#sslverify-label"],
            peer_notes: "checkov's CKV2_DOCKER_15 only looks at `yum-config-manager`/`dnf config-manager --setopt` (measured: it \
                         misses `--setopt=sslverify=false` on `dnf install` and `microdnf`, configuration files and `sed` \
                         edits).",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            let name = command.name();
            let package_manager = matches!(name, "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager");
            if package_manager && setopts(&command).any(turns_off) {
                out.report(
                    command.span,
                    format!("`{name}` is told not to check repository certificates (sslverify off)"),
                )
                .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
            // `sed -i 's/sslverify=1/sslverify=0/' /etc/yum.conf`: the replacement sets it.
            if name == "sed" && command.args.iter().any(|a| sed_sets_off(&a.value)) {
                out.report(command.span, "sed sets sslverify off in a yum/dnf configuration")
                    .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let file = helpers::file_name(&write.path);
            let is_config = file.ends_with(".repo") || matches!(file, "yum.conf" | "dnf.conf");
            if is_config && write.lines().iter().any(|line| turns_off(line)) {
                out.report(write.command.span, format!("`sslverify` turned off in {}", write.path));
            }
        }
    }
}

/// The values of every `--setopt` (`--setopt=a=b` and `--setopt a=b`).
fn setopts<'a>(command: &'a Command) -> impl Iterator<Item = &'a str> + 'a {
    command.args.iter().enumerate().filter_map(move |(i, arg)| match arg.value.strip_prefix("--setopt") {
        Some("") => command.args.get(i + 1).map(|v| v.value.as_str()),
        Some(rest) => rest.strip_prefix('='),
        None => None,
    })
}

/// `sslverify=0`, `<repo>.sslverify=false`, `sslverify = no`.
fn turns_off(setting: &str) -> bool {
    helpers::ini_setting(setting)
        .is_some_and(|(key, value)| (key == "sslverify" || key.ends_with(".sslverify")) && helpers::is_off(&value))
}

/// A sed script whose replacement sets sslverify off: `s/sslverify=1/sslverify=0/`.
fn sed_sets_off(script: &str) -> bool {
    let Some(body) = script.strip_prefix('s') else { return false };
    let Some(delimiter) = body.chars().next() else { return false };
    let parts: Vec<&str> = body[delimiter.len_utf8()..].split(delimiter).collect();
    parts.get(1).is_some_and(|replacement| turns_off(replacement))
}
