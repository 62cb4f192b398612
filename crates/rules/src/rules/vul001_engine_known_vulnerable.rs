//! VUL001: the engine, runc or containerd is a release with a known vulnerability.

use crate::engine_releases::{compare_debian, is_distribution_build, upstream_affected, Component, ADVISORIES};
use crate::prelude::*;
use std::cmp::Ordering;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "VUL001",
        name: "engine-known-vulnerable",
        title: "Keep the engine, runc and containerd past known vulnerable releases",
        severity: Severity::High,
        category: Category::Daemon,
        checklist: &[12],
        aliases: &["CIS-1.2.2"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Matches the versions the engine reports (`/version`, `/info`) for Docker Engine, runc and containerd \
                   against a small table of releases with known vulnerabilities (CVE-2019-5736, CVE-2024-21626, \
                   CVE-2024-41110, ...). Distribution builds backport fixes without changing the upstream version, so \
                   for them the installed package revision decides (read from dpkg on the audited host): a revision \
                   known to carry the fix clears the finding, a revision known not to carry it (published before \
                   the CVE, for instance) is affected, and otherwise the finding says how sure it is (probable; \
                   possible and low severity when the revision could not be read).",
            why: "Container escapes in runc and containerd (CVE-2019-5736, CVE-2024-21626) turn any container, or a \
                  malicious image, into root on the host; engine bugs bypass authorization plugins or isolation.",
            example: "docker version  # Server: 20.10.7, runc 1.0.0-rc93",
            fix: "Upgrade the engine packages (`apt-get install --only-upgrade docker-ce containerd.io` or your \
                  distribution's docker.io, runc and containerd) and restart the daemon; on distribution builds check \
                  the distribution's security tracker for the CVE.",
            references: &[
                "https://github.com/opencontainers/runc/security/advisories",
                "https://github.com/moby/moby/security/advisories",
                "https://security-tracker.debian.org/tracker/CVE-2024-41110",
            ],
            peer_notes: "docker-bench-security (1.2.2) only prints the version for a manual check.",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(daemon) = &cx.snapshot.daemon else { return };
    for advisory in ADVISORIES {
        let (version, commit) = match advisory.component {
            Component::Engine => (Some(&daemon.server_version).filter(|v| !v.is_empty()), None),
            Component::Runc => (daemon.runc_version.as_ref(), daemon.runc_commit.as_ref()),
            Component::Containerd => (daemon.containerd_version.as_ref(), daemon.containerd_commit.as_ref()),
        };
        let Some(version) = version else { continue };
        if !upstream_affected(version, advisory.fixed_in) {
            continue;
        }
        let component = advisory.component.name();
        let fixed = advisory.fixed_in.join(", ");
        if !is_distribution_build(version) {
            out.report_object("daemon", format!("{component} {version} is affected by {}: {}", advisory.cve, advisory.summary))
                .set_evidence(format!("upstream build {version}; fixed in {fixed} (certain)"));
            continue;
        }
        // The package version: dpkg's on the host, else a commit ID that is one (Debian's runc
        // and containerd report `1.1.5+ds1-1+deb12u1`).
        let from_dpkg = cx.snapshot.host.packages.as_ref().and_then(|packages| {
            packages.iter().find(|(name, _)| advisory.component.packages().contains(&name.as_str())).cloned()
        });
        let package = from_dpkg.or_else(|| {
            let commit = commit.filter(|c| c.contains('-') && is_distribution_build(c))?;
            Some((advisory.component.packages()[0].to_string(), commit.clone()))
        });
        match package {
            Some((name, installed)) => {
                let backported = advisory.backports.iter().any(|(package, fixed)| {
                    *package == name
                        && upstream_of(fixed) == upstream_of(&installed)
                        && compare_debian(&installed, fixed) != Ordering::Less
                });
                if backported {
                    continue;
                }
                let known_unfixed = advisory.known_unfixed.iter().find(|known| {
                    known.package == name
                        && upstream_of(known.version) == upstream_of(&installed)
                        && compare_debian(&installed, known.version) != Ordering::Greater
                });
                if let Some(known) = known_unfixed {
                    out.report_object(
                        "daemon",
                        format!("{component} {installed} is affected by {}: {}", advisory.cve, advisory.summary),
                    )
                    .set_evidence(format!(
                        "distribution package {name} {installed}: upstream {version} is affected (fixed in {fixed}) and \
                         {} is known not to carry the fix: {} (near certain for this revision; a later one may carry the fix)",
                        known.version, known.why
                    ));
                    continue;
                }
                out.report_object(
                    "daemon",
                    format!("{component} {installed} is probably affected by {}: {}", advisory.cve, advisory.summary),
                )
                .set_evidence(format!(
                    "distribution package {name} {installed}: upstream {version} is affected (fixed in {fixed}) and this \
                     revision is not known to carry the fix (probable; check the distribution's security tracker)"
                ));
            }
            None => {
                let finding = out.report_object(
                    "daemon",
                    format!("{component} {version} may be affected by {}: {}", advisory.cve, advisory.summary),
                );
                finding.set_evidence(format!(
                    "distribution build {version}: upstream is affected (fixed in {fixed}), but distributions backport \
                     fixes and the package revision could not be read (possible; check the distribution's security tracker)"
                ));
                finding.severity = Severity::Low;
            }
        }
    }
}

/// A Debian version without its revision: `1.1.5+ds1-1+deb12u1` -> `1.1.5+ds1`.
fn upstream_of(version: &str) -> &str {
    version.rsplit_once('-').map_or(version, |(upstream, _)| upstream)
}
