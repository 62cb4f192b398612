//! DKF022: zypper leaving its cache in the image.

use crate::prelude::*;

const ZYPP_CACHE: &str = "/var/cache/zypp";
const DOWNLOADING: &[&str] = &[
    "install", "in", "update", "up", "patch", "dist-upgrade", "dup", "source-install", "si", "refresh", "ref",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF022",
        name: "zypper-cache-kept",
        title: "Run zypper clean in the RUN that installs",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3036", "AVD-DS-0020"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that installs, updates or refreshes with zypper and does not run `zypper clean` (or \
                   `zypper cc`, or remove /var/cache/zypp) after it, in the stages whose files end up in the final \
                   image. A cache or tmpfs mount on /var/cache/zypp passes.",
            why: "zypper keeps repository metadata and downloaded packages under /var/cache/zypp, which ships in the \
                  layer unless the same RUN cleans it.",
            example: "FROM opensuse/leap:15.6\nRUN zypper -n install httpd",
            fix: "End the same RUN with `&& zypper clean --all`, or keep the cache out of the image with `RUN \
                  --mount=type=cache,target=/var/cache/zypp ...`.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3036", "https://avd.aquasec.com/misconfig/ds020"],
            peer_notes: "Not flagged, where DL3036 flags: zypper in a build stage the final image does not build on, \
                         and `rm -rf /var/cache/zypp` as the clean-up. Also flagged, where DL3036 only reads \
                         `install`: `update`, `patch`, `dist-upgrade` and `refresh`.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        if helpers::path_on_transient_mount(run, ZYPP_CACHE) {
            continue;
        }
        let subcommand_in = |c: &Command, wanted: &[&str]| {
            c.name() == "zypper"
                && helpers::operands(&c.args, helpers::ZYPPER.value_options).first().is_some_and(|w| wanted.contains(&w.value.as_str()))
        };
        let downloads = |c: &Command| subcommand_in(c, DOWNLOADING);
        let cleans = |c: &Command| subcommand_in(c, &["clean", "cc"]) || helpers::removes(c, ZYPP_CACHE);
        if let Some((_, zypper)) = helpers::left_uncleaned(script, downloads, cleans) {
            out.report(zypper.span, "zypper leaves its cache in this layer: end the RUN with `zypper clean --all`");
        }
    }
}
