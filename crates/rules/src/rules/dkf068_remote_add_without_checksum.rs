//! DKF068: ADD of a remote URL without `--checksum`.

use crate::prelude::*;
use crate::secrets::redact_secrets_in;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF068",
        name: "remote-add-without-checksum",
        title: "Pin remote ADD sources with --checksum",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `ADD https://...` and `ADD http://...` without `--checksum=sha256:...`. Git sources \
                   (`ADD https://host/repo.git#ref`, `ADD git@host:repo`) are not flagged: they are pinned by their ref.",
            why: "Without a checksum the build takes whatever the server returns that day: a compromised or \
                  re-published release, or (over plain http) anything a network attacker injects, ends up in the \
                  image, and rebuilding the same Dockerfile gives different images.",
            example: "FROM debian:12\nADD https://downloads.example.invalid/tool-1.2.3.tar.gz /tmp/",
            fix: "Add the expected digest with `ADD --checksum=sha256:<digest> <url> <dest>` (Dockerfile syntax 1.6+), or download in a RUN and check it with `sha256sum -c`.\n\n\
                  ```dockerfile\n# syntax=docker/dockerfile:1\n\
                  ADD --checksum=sha256:<digest> https://downloads.example.invalid/tool-1.2.3.tar.gz /tmp/\n```",
            references: &["https://docs.docker.com/reference/dockerfile/#add---checksum"],
            peer_notes: "checkov's CKV_DOCKER_4 and hadolint's DL3020 flag ADD itself (use COPY for local files), a different \
                         check; no peer checks the integrity of remote ADD sources, so no alias.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let Kind::Add(add) = &ins.kind else { continue };
        if add.checksum.is_some() {
            continue;
        }
        for source in &add.sources {
            let url = source.value.as_str();
            let lower = url.to_ascii_lowercase();
            let is_http = lower.starts_with("http://") || lower.starts_with("https://");
            let is_git = lower.split(['#', '?']).next().is_some_and(|u| u.ends_with(".git"));
            if is_http && !is_git {
                let plain = if lower.starts_with("http://") { " over plain http" } else { "" };
                out.report(source.span, format!("ADD fetches {}{plain} without --checksum", redact_secrets_in(url)));
            }
        }
    }
}
