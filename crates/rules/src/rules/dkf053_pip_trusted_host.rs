//! DKF053: pip told to trust a host without TLS verification.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF053",
        name: "pip-trusted-host",
        title: "Do not let pip skip certificate checks with --trusted-host",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["CKV2_DOCKER_4", "CKV2_DOCKER_16"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags pip's `--trusted-host` option (`pip`, `pip3`, `python -m pip`, behind wrappers), \
                   `pip config set global.trusted-host ...`, `trusted-host` written into a pip.conf, the \
                   `PIP_TRUSTED_HOST` variable (ENV, ARG default, or set in a RUN) and uv's equivalents \
                   (`--allow-insecure-host`, `UV_INSECURE_HOST`).",
            why: "A trusted host is reached over plain HTTP or with an unchecked certificate, so anyone on the network \
                  path of the build can serve their own packages, which pip installs and whose setup code runs at \
                  build time. Set with ENV, the setting stays in the image and applies to every later pip call, \
                  including ones at run time.",
            example: "FROM python:3.12-slim\nRUN pip install --trusted-host pypi.internal.example.invalid -r requirements.txt",
            fix: "Serve the index over HTTPS with a certificate the image trusts (install your CA with \
                  `update-ca-certificates` and, if needed, point pip at it with `--cert` or `PIP_CERT`), then drop \
                  `--trusted-host`/`PIP_TRUSTED_HOST`.",
            references: &["https://pip.pypa.io/en/stable/cli/pip/#cmdoption-trusted-host"],
            peer_notes: "checkov splits this into CKV2_DOCKER_4 (the RUN option) and CKV2_DOCKER_16 (the variable); both map here. \
                         Measured on this rule's fixtures: checkov also flags `--trusted-host` inside an `echo` string, and \
                         misses `pip config set`, pip.conf and uv; rampart reads pip's own arguments.",
        },
    },
    check: Check::Dockerfile(check),
};

const VARIABLES: &[&str] = &["PIP_TRUSTED_HOST", "UV_INSECURE_HOST"];

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            let uv_insecure = command.name() == "uv" && command.has_flag(&["--allow-insecure-host"]);
            let pip_args = helpers::pip_args(&command);
            let pip_insecure = pip_args.is_some_and(|args| {
                args.iter().any(|a| a.value == "--trusted-host" || a.value.starts_with("--trusted-host="))
                    || sets_trusted_host_config(args)
            });
            if uv_insecure || pip_insecure {
                out.report(command.span, "pip is told to trust a host without certificate verification")
                    .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let is_pip_conf = matches!(helpers::file_name(&write.path), "pip.conf" | "pip.ini");
            let trusts =
                write.lines().iter().any(|l| helpers::ini_setting(l).is_some_and(|(key, _)| key == "trusted-host"));
            if is_pip_conf && trusts {
                out.report(write.command.span, format!("`trusted-host` written to {}", write.path));
            }
        }
    }
    for setting in helpers::variable_settings(df) {
        if VARIABLES.contains(&setting.name.as_str()) && !setting.value.trim().is_empty() {
            out.report(
                setting.span,
                format!("{} makes pip trust `{}` without certificate verification", setting.name, setting.value),
            );
        }
    }
}

/// `pip config set global.trusted-host host` (any section).
fn sets_trusted_host_config(args: &[rampart_dockerfile::ShellWord]) -> bool {
    let operands = helpers::operands(args, &["--editor"]);
    let values: Vec<&str> = operands.iter().map(|w| w.value.as_str()).collect();
    matches!(values.as_slice(), ["config", "set", key, ..] if key.ends_with(".trusted-host"))
}
