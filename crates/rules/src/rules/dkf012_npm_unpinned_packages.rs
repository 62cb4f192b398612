//! DKF012: `npm install <package>` without a version.

use crate::prelude::*;

/// npm's spellings of `install`.
const INSTALL: &[&str] = &["install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add"];

/// npm options that take a separate value.
const NPM_VALUE_OPTIONS: &[&str] = &[
    "--prefix", "--registry", "--cache", "--userconfig", "--globalconfig", "-w", "--workspace", "--tag", "--omit",
    "--include", "--install-strategy", "--loglevel", "--save-prefix", "--before", "--otp", "-C",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF012",
        name: "npm-unpinned-packages",
        title: "Pin versions in npm install",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3016"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `npm install <package>` (and `npm i`, `npm add`) naming packages without a version \
                   (`express` rather than `express@4.19.2`), or with a moving dist-tag (`@latest`, `@next`). `npm \
                   install` and `npm ci` without packages (from package-lock.json), local folders, tarballs and git \
                   URLs pinned to a commit or tag (`#v1.2`) pass.",
            why: "An unpinned package is whatever the registry serves at build time, with all of its dependencies: \
                  a compromised or typo-squatted release enters the image without review, as has happened to popular \
                  npm packages, and the same Dockerfile builds different images.",
            example: "FROM node:20-slim\nRUN npm install -g pm2",
            fix: "Pin the version (`npm install -g pm2@5.3.1`), or for an application install from its lockfile \
                  with `npm ci`.",
            references: &[
                "https://docs.npmjs.com/cli/commands/npm-install",
                "https://github.com/hadolint/hadolint/wiki/DL3016",
            ],
            peer_notes: "Differences from DL3016: `pkg@latest` and other dist-tags (`@next`, `@beta`) are flagged, as \
                         they move; a GitHub shorthand (`user/repo`) needs a `#ref` like a git URL. Not flagged, \
                         where DL3016 flags: operands holding a variable (`$PKG`), whose version cannot be known.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for (_, npm) in helpers::invocations(script, &["npm"]) {
            let operands = helpers::operands(&npm.args, NPM_VALUE_OPTIONS);
            if operands.first().is_none_or(|sub| !INSTALL.contains(&sub.value.as_str())) {
                continue;
            }
            let unpinned: Vec<&str> =
                operands[1..].iter().map(|w| w.value.as_str()).filter(|p| package_pinned(p) == Some(false)).collect();
            if !unpinned.is_empty() {
                out.report(npm.span, format!("`npm install` without versions: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}

/// Whether an npm package spec pins a version; `None` for local folders, tarballs and URLs, and for
/// specs holding a variable without a visible version.
fn package_pinned(spec: &str) -> Option<bool> {
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with(['.', '/', '~']) || lower.starts_with("file:") {
        return None;
    }
    if [".tgz", ".tar.gz", ".tar"].iter().any(|ext| lower.ends_with(ext)) || lower.starts_with("http://") || lower.starts_with("https://") {
        return None;
    }
    if ["git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:"].iter().any(|p| lower.starts_with(p)) {
        return Some(spec.contains('#'));
    }
    // `@scope/name@version`: the version is after the `@` that follows the name.
    let unscoped = match spec.strip_prefix('@') {
        Some(rest) => rest.split_once('/').map_or(rest, |(_, name)| name),
        None => spec,
    };
    if !spec.starts_with('@') && unscoped.contains('/') && !unscoped.contains('@') {
        // GitHub shorthand `user/repo[#ref]`.
        return Some(unscoped.contains('#'));
    }
    let version = unscoped.split_once('@').map(|(_, version)| version);
    if helpers::has_expansion(spec) {
        return version.map(|_| true);
    }
    Some(version.is_some_and(|v| {
        v.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '^' | '~' | '<' | '>' | '=' | 'v')) || v.starts_with("npm:")
    }))
}

#[cfg(test)]
mod tests {
    use super::package_pinned;

    #[test]
    fn versions_tags_and_sources() {
        for pinned in ["express@4.19.2", "@angular/cli@17.3.0", "pm2@^5", "left-pad@~1.3.0", "x@npm:y@1.0.0", "user/repo#v1"] {
            assert_eq!(package_pinned(pinned), Some(true), "{pinned}");
        }
        for unpinned in ["express", "@angular/cli", "pm2@latest", "typescript@next", "user/repo", "git+https://github.com/a/b.git"] {
            assert_eq!(package_pinned(unpinned), Some(false), "{unpinned}");
        }
        for unknown in [".", "./pkg", "/tmp/x.tgz", "https://example.invalid/x.tgz", "$PKG"] {
            assert_eq!(package_pinned(unknown), None, "{unknown}");
        }
    }
}
