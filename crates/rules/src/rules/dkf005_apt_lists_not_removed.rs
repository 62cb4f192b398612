//! DKF005: apt package lists left in the layer after `apt-get update`.

use crate::prelude::*;

const LISTS: &str = "/var/lib/apt/lists";

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF005",
        name: "apt-lists-not-removed",
        title: "Remove the apt lists in the RUN that downloads them",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3009"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that runs `apt-get update` (or `apt update`, `aptitude update`) without removing \
                   `/var/lib/apt/lists` later in the same RUN, in the stages whose files end up in the final image.",
            why: "`apt-get update` downloads the package indexes, typically 20 to 50 MB, into /var/lib/apt/lists. \
                  Removed in a later RUN they still ship in the earlier layer; left in place they ship for good, and \
                  later installs from the image then use stale indexes.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
            fix: "End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or keep the lists out of the image with \
                  `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#apt-get",
                "https://github.com/hadolint/hadolint/wiki/DL3009",
            ],
            peer_notes: "Like DL3009, only `update` (what writes the lists) triggers it, and only in the final stage \
                         and the stages it is built FROM: a build stage's lists never reach the image. Not flagged, \
                         where DL3009 flags: apt 3's `apt-get dist-clean`, which removes the lists and which the \
                         Debian trixie images use; a removal written differently from exactly `rm -rf \
                         /var/lib/apt/lists/*` (`rm -fr /var/lib/apt/lists`, `rm -rf /var/lib/apt`, `find \
                         /var/lib/apt/lists -delete`); the lists on a cache or tmpfs mount of /var/lib/apt/lists or \
                         a directory above it. Flagged, where DL3009 is silent: a removal that comes before the \
                         update in the same RUN, and updates in `RUN <<EOF` heredoc scripts and `sh -c` strings.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        if helpers::path_on_transient_mount(run, LISTS) {
            continue;
        }
        let updates = |c: &Command| {
            helpers::APT_FAMILY.names.contains(&c.name())
                && helpers::operands(&c.args, helpers::APT_FAMILY.value_options).first().is_some_and(|w| w.value == "update")
        };
        let cleans = |c: &Command| {
            helpers::removes(c, LISTS)
                || (helpers::APT_FAMILY.names.contains(&c.name())
                    && helpers::operands(&c.args, helpers::APT_FAMILY.value_options)
                        .first()
                        .is_some_and(|w| matches!(w.value.as_str(), "distclean" | "dist-clean")))
        };
        if let Some((_, update)) = helpers::left_uncleaned(script, updates, cleans) {
            out.report(
                update.span,
                format!("`{} update` leaves the package lists in this layer: remove {LISTS}/* in the same RUN", update.name()),
            );
        }
    }
}
