//! DKF046: yarn install leaving its cache in the image.

use crate::prelude::*;

/// yarn options that take a separate value.
const YARN_VALUE_OPTIONS: &[&str] = &[
    "--cache-folder", "--modules-folder", "--cwd", "--network-timeout", "--mutex", "--registry", "--global-folder",
    "--link-folder", "--use-yarnrc", "--network-concurrency", "--mode",
];

/// Where yarn keeps its cache for root, in the forms a script removes it.
const YARN_CACHES: &[&str] = &[
    "/usr/local/share/.cache/yarn", "/root/.cache/yarn", "~/.cache/yarn", "$HOME/.cache/yarn", "${HOME}/.cache/yarn",
    "/root/.yarn/berry/cache", "~/.yarn/berry/cache",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF046",
        name: "yarn-cache-kept",
        title: "Run yarn cache clean in the RUN that installs",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3060"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `yarn install` (also bare `yarn`, `yarn add` and `yarn global add`) with no `yarn cache clean` \
                   (or removal of the cache directory) after it in the same RUN, in the stages whose files end up in \
                   the final image. A cache or tmpfs mount on yarn's cache directory passes.",
            why: "yarn keeps a copy of every package tarball it fetched in its global cache \
                  (/usr/local/share/.cache/yarn for root), often larger than node_modules itself, and it ships in \
                  the layer.",
            example: "FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile",
            fix: "End the same RUN with `&& yarn cache clean`, or keep the cache out of the image with `RUN \
                  --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`.",
            references: &["https://classic.yarnpkg.com/en/docs/cli/cache", "https://github.com/hadolint/hadolint/wiki/DL3060"],
            peer_notes: "Like DL3060, only the final stage and the stages it is built FROM count. Not flagged, where \
                         DL3060 flags: removing the cache directory with `rm -rf`, and cache or tmpfs mounts on \
                         /usr/local/share/.cache/yarn or Yarn Berry's cache. Also flagged, where DL3060 only reads \
                         `yarn install`: bare `yarn`, `yarn add` and `yarn global add`.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        let mounted = helpers::transient_mount(run, |t| {
            t.ends_with("/.cache/yarn") || t.ends_with("/.yarn/berry/cache") || t.ends_with("/.yarn/cache")
        });
        if mounted {
            continue;
        }
        let installs = |c: &Command| {
            if c.name() != "yarn" {
                return false;
            }
            let operands = helpers::operands(&c.args, YARN_VALUE_OPTIONS);
            let words: Vec<&str> = operands.iter().map(|w| w.value.as_str()).take(2).collect();
            let cache_on_mount = helpers::option_value(&c.args, "", "--cache-folder")
                .is_some_and(|dir| helpers::path_on_transient_mount(run, dir.trim_end_matches('/')));
            let query = c.has_flag(&["--version", "-v", "--help", "-h"]);
            !cache_on_mount && !query && matches!(words.as_slice(), [] | ["install", ..] | ["add", ..] | ["global", "add"])
        };
        let cleans = |c: &Command| {
            let yarn_clean = c.name() == "yarn"
                && helpers::operands(&c.args, YARN_VALUE_OPTIONS).iter().map(|w| w.value.as_str()).take(2).eq(["cache", "clean"]);
            yarn_clean || YARN_CACHES.iter().any(|cache| helpers::removes(c, cache))
        };
        if let Some((_, yarn)) = helpers::left_uncleaned(script, installs, cleans) {
            out.report(yarn.span, "yarn leaves its package cache in this layer: end the RUN with `yarn cache clean`");
        }
    }
}
