//! IMG028: the image's distribution release is past its end of life.

use crate::image_content::base_os;
use rampart_model::EolStatus;
use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IMG028",
        name: "end-of-life-base-os",
        title: "Rebuild on a distribution release that still gets security fixes",
        severity: Severity::High,
        category: Category::Image,
        checklist: &[3, 12],
        aliases: &[],
        target: Target::Image,
        docs: RuleDocs {
            what: "Reads `/etc/os-release` from the image and flags a Debian, Ubuntu, Alpine, RHEL, CentOS, Rocky, AlmaLinux or Amazon Linux release whose security support ended before the day of the check (a data table in the rules; releases it does not list are not flagged).",
            why: "After its end of life a release gets no security fixes: every vulnerability found since stays open in the image, and scanners stop reporting some of them.",
            example: "FROM debian:10",
            fix: "Move the `FROM` line to a supported release (`debian:12`, `ubuntu:24.04`, `alpine:3.22`) and rebuild; rebuild regularly so base fixes reach the image.",
            references: &["https://endoflife.date/", "https://wiki.debian.org/LTS", "https://alpinelinux.org/releases/"],
            peer_notes: "trivy reports an EOL OS as a warning in its scan log, not as a finding.",
        },
    },
    check: Check::Image(check),
};

fn check(cx: &ImageContext<'_>, out: &mut Sink<'_>) {
    let image = cx.image;
    let Some(os) = &image.os else { return };
    // Judged against the check date in the facts, never the clock; without one nothing is claimed.
    let base = base_os(os, &image.checked_on);
    let (EolStatus::EndOfLife, Some(eol)) = (base.eol_status, &base.end_of_life) else { return };
    out.report_object(&image.object, format!("{} reached its end of life on {eol}", base.display_name()))
        .set_evidence(format!("/etc/os-release: ID={} VERSION_ID={} (layer {}); checked on {}", os.id, os.version_id, os.layer, image.checked_on));
}
