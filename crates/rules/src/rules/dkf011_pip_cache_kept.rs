//! DKF011: `pip install` keeping its download cache in the image.

use crate::prelude::*;

/// Where pip keeps its cache for root, in the forms a script removes it.
const ROOT_PIP_CACHE: &[&str] = &["/root/.cache/pip", "~/.cache/pip", "$HOME/.cache/pip", "${HOME}/.cache/pip"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF011",
        name: "pip-cache-kept",
        title: "Use pip install --no-cache-dir",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3042"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `pip install` (also `pip3`, `python -m pip`) without `--no-cache-dir`, in the stages whose \
                   files end up in the final image, unless the cache is kept out of the layer another way: \
                   `PIP_NO_CACHE_DIR` set by ENV, ARG or on the command, a cache or tmpfs mount on `~/.cache/pip` (or \
                   `~/.cache`), or `pip cache purge`/`rm -rf ~/.cache/pip` later in the same RUN.",
            why: "pip keeps every wheel it downloaded or built in ~/.cache/pip. In an image that cache is dead weight, \
                  often as large as the installed packages themselves, and it ships in the layer.",
            example: "FROM python:3.12-slim\nRUN pip install flask==3.0.3",
            fix: "Add `--no-cache-dir` (`pip install --no-cache-dir flask==3.0.3`), set `ENV PIP_NO_CACHE_DIR=1` once, \
                  or use `RUN --mount=type=cache,target=/root/.cache/pip pip install ...` to keep a cache across \
                  builds without shipping it.",
            references: &[
                "https://pip.pypa.io/en/stable/topics/caching/",
                "https://github.com/hadolint/hadolint/wiki/DL3042",
            ],
            peer_notes: "Not flagged, where DL3042 flags: pip in a build stage that the final image does not build on \
                         (its cache never ships; only the paths a `COPY --from` names do); a cache removed later in \
                         the same RUN (`pip cache purge`, `rm -rf /root/.cache/pip`); `--cache-dir` pointing at a \
                         cache or tmpfs mount.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (index, run, script) in helpers::shipped_run_scripts(df) {
        let mounted = helpers::transient_mount(run, |t| t.ends_with("/.cache/pip") || t.ends_with("/.cache"));
        if mounted || helpers::env_set_before(df, index, "PIP_NO_CACHE_DIR") {
            continue;
        }
        let keeps_cache = |c: &Command| {
            let Some((pip_args, _)) = helpers::pip_install(c) else { return false };
            let no_cache = pip_args.iter().any(|a| a.value == "--no-cache-dir" || a.value.starts_with("--no-cache-dir="));
            let cache_elsewhere = helpers::option_value(pip_args, "", "--cache-dir")
                .is_some_and(|dir| helpers::path_on_transient_mount(run, dir.trim_end_matches('/')));
            !no_cache && !cache_elsewhere
        };
        let purges = |c: &Command| {
            ROOT_PIP_CACHE.iter().any(|path| helpers::removes(c, path))
                || (helpers::operands(&c.args, &[]).iter().map(|w| w.value.as_str()).collect::<Vec<_>>() == ["cache", "purge"]
                    && c.name().starts_with("pip"))
        };
        let Some((at, pip)) = helpers::left_uncleaned(script, keeps_cache, purges) else { continue };
        if helpers::env_set_in_script(script, at, "PIP_NO_CACHE_DIR") {
            continue;
        }
        out.report(pip.span, "`pip install` without `--no-cache-dir` leaves its download cache in the image");
    }
}
