//! DKF025: `gem install` without a version.

use crate::prelude::*;

/// gem's options that take a separate value.
const GEM_VALUE_OPTIONS: &[&str] = &[
    "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s", "-P", "--trust-policy", "--platform",
    "-g", "--file", "--build-root", "--target-rbconfig", "-p", "--http-proxy",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF025",
        name: "gem-unpinned-packages",
        title: "Pin versions in gem install",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3028"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `gem install` naming gems without a version: neither `-v`/`--version` nor `gem:version`. \
                   Local `.gem` files, paths and words holding a variable are not judged.",
            why: "An unpinned gem is whatever rubygems serves at build time, with its dependencies: a compromised or \
                  typo-squatted release enters the image without review, and the same Dockerfile builds different \
                  images.",
            example: "FROM ruby:3.3-slim\nRUN gem install bundler",
            fix: "Pin the version: `gem install bundler -v 2.5.11` (or `gem install bundler:2.5.11`), and install an \
                  application's gems from its Gemfile.lock with `bundle install`.",
            references: &["https://guides.rubygems.org/command-reference/#gem-install", "https://github.com/hadolint/hadolint/wiki/DL3028"],
            peer_notes: "Not flagged, where DL3028 flags: local `.gem` files and paths, and `$GEM` operands whose \
                         version cannot be known.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for (_, gem) in helpers::invocations(script, &["gem"]) {
            let operands = helpers::operands(&gem.args, GEM_VALUE_OPTIONS);
            if operands.first().is_none_or(|sub| !matches!(sub.value.as_str(), "install" | "i")) {
                continue;
            }
            if helpers::option_value(&gem.args, "-v", "--version").is_some() {
                continue;
            }
            let unpinned: Vec<&str> = operands[1..]
                .iter()
                .map(|w| w.value.as_str())
                .filter(|g| !(g.contains(':') || g.ends_with(".gem") || g.contains('/') || helpers::has_expansion(g)))
                .collect();
            if !unpinned.is_empty() {
                out.report(gem.span, format!("`gem install` without versions: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}
