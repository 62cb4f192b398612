//! DKF029: ADD of local files where COPY would do.

use crate::prelude::*;

/// Extensions of what ADD may unpack: tar archives, plain or compressed. ADD recognises archives by
/// content, so a compressed single file is kept as a possible archive too.
const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz",
    ".tlz", ".tar.lzma", ".tar.z", ".taz", ".tz", ".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".z",
];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF029",
        name: "add-instead-of-copy",
        title: "Use COPY instead of ADD for local files",
        severity: Severity::Low,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3020", "AVD-DS-0005", "CKV_DOCKER_4"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags ADD whose sources are all local files or directories (or heredocs) that ADD does nothing \
                   special with. ADD of URLs and git repositories (judged by the remote-ADD rule) and of local tar \
                   archives (which ADD unpacks) is left alone, as is a source given through a variable.",
            why: "ADD does more than copy: it fetches URLs and silently unpacks anything that looks like a tar \
                  archive. Using it for plain files hides that behaviour where a reader does not expect it, and a \
                  file that later turns into an archive gets unpacked into the image. COPY does exactly what it says.",
            example: "FROM debian:12\nADD app/ /opt/app/\nADD config.yml /etc/app/",
            fix: "Replace ADD with COPY: `COPY app/ /opt/app/`. Keep ADD only to unpack a local tar archive, or use \
                  `ADD --checksum=sha256:... URL` to fetch a pinned download.",
            references: &[
                "https://docs.docker.com/build/building/best-practices/#add-or-copy",
                "https://github.com/hadolint/hadolint/wiki/DL3020",
            ],
            peer_notes: "Not flagged, where DL3020 flags: git sources (`git@...`, `https://....git`) and sources given \
                         through a variable (`ADD $ARTIFACT /opt/`), which may be archives or URLs. Also flagged, where \
                         DL3020 is silent: ADD of a heredoc (`ADD <<EOF /etc/motd`), which COPY supports too.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let Kind::Add(add) = &ins.kind else { continue };
        if add.checksum.is_some() || (add.sources.is_empty() && add.heredocs.is_empty()) {
            continue;
        }
        let needs_add = add.sources.iter().any(|source| {
            let value = source.value.to_ascii_lowercase();
            is_remote(&value) || ARCHIVE_EXTENSIONS.iter().any(|ext| value.ends_with(ext)) || helpers::has_expansion(&value)
        });
        if !needs_add {
            out.report(ins.keyword_span, "ADD of local files: use COPY, which does not fetch URLs or unpack archives");
        }
    }
}

/// URLs and git repositories: what only ADD can fetch.
fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@") || source.ends_with(".git")
}
