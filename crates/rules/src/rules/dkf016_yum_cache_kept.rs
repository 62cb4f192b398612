//! DKF016: yum leaving its cache in the image.

use crate::prelude::*;

const DOWNLOADING: &[&str] =
    &["install", "groupinstall", "localinstall", "reinstall", "update", "upgrade", "downgrade", "makecache", "group", "groups"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF016",
        name: "yum-cache-kept",
        title: "Run yum clean all in the RUN that installs",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3032", "AVD-DS-0015"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a RUN that installs or updates with yum and does not run `yum clean all` (or remove \
                   /var/cache/yum) after it, in the stages whose files end up in the final image. A cache or tmpfs \
                   mount on the cache directory passes.",
            why: "yum keeps repository metadata and downloaded packages under /var/cache/yum (on dnf-based systems \
                  /var/cache/dnf), commonly 100 MB or more, which ships in the layer unless the same RUN cleans it.",
            example: "FROM centos:7\nRUN yum install -y httpd",
            fix: "End the same RUN with `&& yum clean all && rm -rf /var/cache/yum`, or keep the cache out of the \
                  image with `RUN --mount=type=cache,target=/var/cache/yum ...`.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3032", "https://avd.aquasec.com/misconfig/ds015"],
            peer_notes: "Not flagged, where DL3032 flags: yum in a build stage the final image does not build on; \
                         `dnf clean all` or `rm -rf /var/cache/dnf` (yum is dnf on RHEL 8 and later); `rm -rf \
                         /var/cache/yum` written any way; the cache on a cache or tmpfs mount. Also flagged, where \
                         DL3032 only reads `install`: `update`, `upgrade`, `groupinstall` and `makecache`.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for (_, run, script) in helpers::shipped_run_scripts(df) {
        if helpers::RPM_CACHES.iter().any(|cache| helpers::path_on_transient_mount(run, cache)) {
            continue;
        }
        let downloads = |c: &Command| {
            c.name() == "yum"
                && helpers::operands(&c.args, helpers::YUM.value_options)
                    .first()
                    .is_some_and(|w| DOWNLOADING.contains(&w.value.as_str()))
        };
        if let Some((_, yum)) = helpers::left_uncleaned(script, downloads, helpers::cleans_rpm_cache) {
            out.report(yum.span, "yum leaves its cache in this layer: end the RUN with `yum clean all`");
        }
    }
}
