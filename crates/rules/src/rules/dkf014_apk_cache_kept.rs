//! DKF014: `apk` leaving its index and cache in the image.

use crate::prelude::*;

const APK_CACHE: &str = "/var/cache/apk";

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF014",
        name: "apk-cache-kept",
        title: "Use apk add --no-cache",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3019", "AVD-DS-0025"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `apk add`/`apk upgrade` without `--no-cache` (or `--no-network`, which downloads nothing), \
                   and `apk update`, in the stages whose files end up in the final image, unless /var/cache/apk is removed later in the same RUN or is a cache \
                   or tmpfs mount.",
            why: "`apk update`, `apk add --update` and `apk add` without `--no-cache` store the repository indexes \
                  (and with a cache directory, the packages) under /var/cache/apk, which then ships in the layer.",
            example: "FROM alpine:3.20\nRUN apk update && apk add curl",
            fix: "Use `apk add --no-cache curl`: it fetches a fresh index without storing it, so `apk update` is not \
                  needed either. With BuildKit, `RUN --mount=type=cache,target=/var/cache/apk apk add curl` keeps a \
                  cache across builds without shipping it.",
            references: &[
                "https://github.com/gliderlabs/docker-alpine/blob/master/docs/usage.md#disabling-cache",
                "https://github.com/hadolint/hadolint/wiki/DL3019",
            ],
            peer_notes: "Not flagged, where DL3019 flags: `rm -rf /var/cache/apk/*` later in the same RUN (the cache \
                         never reaches the layer), and apk in a build stage that the final image does not build on. \
                         Flagged, where DL3019 is silent: `apk update` before an `apk add --no-cache`, since the index \
                         the update downloaded stays in /var/cache/apk.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        if helpers::path_on_transient_mount(run, APK_CACHE) || helpers::path_on_transient_mount(run, "/etc/apk/cache") {
            continue;
        }
        let caches = |c: &Command| {
            if c.name() != "apk" {
                return false;
            }
            let operands = helpers::operands(&c.args, helpers::APK.value_options);
            match operands.first().map(|w| w.value.as_str()) {
                Some("update") => true,
                Some("add" | "upgrade") => !c.has_flag(&["--no-cache", "--no-network"]),
                _ => false,
            }
        };
        let cleans = |c: &Command| helpers::removes(c, APK_CACHE);
        if let Some((_, apk)) = helpers::left_uncleaned(script, caches, cleans) {
            let message = if helpers::operands(&apk.args, helpers::APK.value_options).first().is_some_and(|w| w.value == "update") {
                "`apk update` stores the package index in /var/cache/apk; use `apk add --no-cache` instead"
            } else {
                "`apk` without `--no-cache` leaves its index in /var/cache/apk"
            };
            out.report(apk.span, message);
        }
    }
}
