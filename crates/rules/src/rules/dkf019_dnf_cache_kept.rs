//! DKF019: dnf/microdnf leaving its cache in the image.

use crate::prelude::*;

const DOWNLOADING: &[&str] = &[
    "install", "in", "groupinstall", "localinstall", "reinstall", "rei", "upgrade", "up", "update", "upgrade-minimal",
    "up-min", "downgrade", "distro-sync", "makecache", "group", "groups", "module",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF019",
        name: "dnf-cache-kept",
        title: "Run dnf clean all in the RUN that installs",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3040", "AVD-DS-0019"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that installs or upgrades with `dnf`, `dnf5` or `microdnf` and does not run `dnf clean \
                   all`/`microdnf clean all` (or remove the cache directory) after it, in the stages whose files end \
                   up in the final image. A cache or tmpfs mount on the cache directory passes.",
            why: "dnf keeps repository metadata and downloaded packages under /var/cache/dnf (/var/cache/libdnf5 for \
                  dnf5, /var/cache/yum for microdnf), commonly 100 MB or more, which ships in the layer unless the \
                  same RUN cleans it.",
            example: "FROM fedora:40\nRUN dnf install -y httpd",
            fix: "End the same RUN with `&& dnf clean all`, or keep the cache out of the image with `RUN \
                  --mount=type=cache,target=/var/cache/dnf ...`.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3040", "https://avd.aquasec.com/misconfig/ds019"],
            peer_notes: "Not flagged, where DL3040 flags: dnf in a build stage the final image does not build on; a \
                         clean-up written as `yum clean all` or `rm -rf /var/cache/dnf` (DL3040 only knows dnf5's \
                         directory); a cache or tmpfs mount on /var/cache/dnf or /var/cache/yum; and a RUN that does \
                         end with `dnf clean all` (or `microdnf clean all`) after its last install but has an `rm \
                         -rf` of any other path before the install: hadolint 2.15 then reports DL3040 anyway (`rm \
                         -rf /tmp/x.rpm && dnf install -y a-1 && dnf clean all` is flagged there, measured). The \
                         order of the commands is what counts here.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        let mounted = helpers::RPM_CACHES.iter().any(|cache| helpers::path_on_transient_mount(run, cache))
            || helpers::transient_mount(run, |t| t.ends_with("/.cache/libdnf5"));
        if mounted {
            continue;
        }
        let downloads = |c: &Command| {
            helpers::DNF.names.contains(&c.name())
                && helpers::operands(&c.args, helpers::DNF.value_options)
                    .first()
                    .is_some_and(|w| DOWNLOADING.contains(&w.value.as_str()))
        };
        if let Some((_, dnf)) = helpers::left_uncleaned(script, downloads, helpers::cleans_rpm_cache) {
            out.report(dnf.span, format!("`{}` leaves its cache in this layer: end the RUN with `{} clean all`", dnf.name(), dnf.name()));
        }
    }
}
