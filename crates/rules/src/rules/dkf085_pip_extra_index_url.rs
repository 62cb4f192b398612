//! DKF085: pip's `--extra-index-url` (dependency confusion).

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF085",
        name: "pip-extra-index-url",
        title: "Beware pip's --extra-index-url: packages may come from either index",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags pip's `--extra-index-url` (on the command line, in `pip config set global.extra-index-url`, in \
                   a pip.conf, or as `PIP_EXTRA_INDEX_URL` in ENV, ARG or RUN).",
            why: "pip treats all indexes as one pool and installs the highest version it finds for a name, whichever \
                  index it comes from. If a package you get from your extra (often private) index has a name that is \
                  free on the public index, anyone can publish a higher version there and pip will install theirs \
                  (dependency confusion; the 2022 `torchtriton` compromise of PyTorch nightly builds happened this \
                  way).",
            example: "FROM python:3.12-slim\nRUN pip install --extra-index-url https://pkgs.example.invalid/simple internal-lib",
            fix: "Install from a single index that proxies the public one and your private packages \
                  (`--index-url https://pkgs.example.invalid/simple`), or pin with hashes (`--require-hashes`), or use \
                  a tool with index priority (uv's default `first-index` strategy). At least make sure every private \
                  package name is also registered publicly.",
            references: &[
                "https://pip.pypa.io/en/stable/cli/pip_install/#finding-packages",
                "https://pytorch.org/blog/compromised-nightly-dependency/",
            ],
            peer_notes: "No peer has this check. Rated low: it is a risk only when the extra index serves names that are \
                         free on the public index; commands with `--require-hashes` are not flagged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, _, script) in helpers::run_scripts(df) {
        for (_, command) in helpers::commands_run(script) {
            let Some(args) = helpers::pip_args(&command) else { continue };
            if args.iter().any(|a| a.value == "--require-hashes") {
                continue;
            }
            let extra =
                args.iter().any(|a| a.value == "--extra-index-url" || a.value.starts_with("--extra-index-url="));
            let operands: Vec<&str> =
                helpers::operands(args, &["--editor"]).into_iter().map(|w| w.value.as_str()).collect();
            let configured =
                matches!(operands.as_slice(), ["config", "set", key, ..] if key.ends_with(".extra-index-url"));
            if extra || configured {
                out.report(command.span, "pip may take any package from either index (dependency confusion)")
                    .set_evidence(helpers::evidence_snippet(df, command.span, 160));
            }
        }
        for write in helpers::file_writes(script) {
            let is_pip_conf = matches!(helpers::file_name(&write.path), "pip.conf" | "pip.ini");
            if is_pip_conf
                && write
                    .lines()
                    .iter()
                    .any(|l| helpers::ini_setting(l).is_some_and(|(key, _)| key == "extra-index-url"))
            {
                out.report(write.command.span, format!("`extra-index-url` written to {}", write.path));
            }
        }
    }
    for setting in helpers::variable_settings(df) {
        if setting.name == "PIP_EXTRA_INDEX_URL" && !setting.value.trim().is_empty() {
            out.report(
                setting.span,
                "PIP_EXTRA_INDEX_URL makes pip take packages from either index (dependency confusion)",
            );
        }
    }
}
