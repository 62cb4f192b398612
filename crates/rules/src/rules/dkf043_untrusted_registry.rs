//! DKF043: a base image from a registry outside `trusted_registries`.

use crate::prelude::*;
use rampart_dockerfile::ImageRef;

/// Host names that all mean Docker Hub.
const DOCKER_HUB_ALIASES: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF043",
        name: "untrusted-registry",
        title: "Build only FROM trusted registries",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3026"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "When `trusted_registries` is set in rampart.toml, flags every FROM whose image is not under one of \
                   them. An entry is a registry host (`docker.io`, `ghcr.io`), a host and path prefix \
                   (`ghcr.io/acme`, `docker.io/library` for official images), or a wildcard host (`*.corp.example`). \
                   Images without a registry are Docker Hub's. Silent when the list is empty; `scratch`, other \
                   stages and references whose variables have no default are not judged.",
            why: "The base image is code you run with full trust. Restricting it to registries your organisation \
                  controls or vets keeps typo-squatted, abandoned or unscanned images out, and makes mirrors and \
                  scanning policies effective.",
            example: "# rampart.toml: trusted_registries = [\"registry.corp.example\"]\nFROM docker.io/library/python:3.12-slim",
            fix: "Pull the base image through a trusted registry or mirror (`FROM \
                  registry.corp.example/library/python:3.12-slim`), or add its registry to `trusted_registries` once it \
                  has been vetted.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3026"],
            peer_notes: "Like DL3026 with its `trustedRegistries` setting. Entries may also name a path prefix \
                         (`ghcr.io/acme`), and a reference built from ARG defaults is judged by what it resolves to \
                         (DL3026 reads it as written). `COPY --from` of external images is not checked here.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let trusted = &cx.settings.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let df = cx.dockerfile;
    for stage in &df.stages {
        let BaseRef::Image(image) = &stage.base else { continue };
        let Some(resolved) = &image.resolved else { continue };
        let location = registry_path(image);
        if !trusted.iter().any(|entry| is_trusted(entry, &location)) {
            out.report(
                helpers::from_image_span(df, stage),
                format!("`{resolved}` comes from `{}`, which is not in trusted_registries", location.0),
            );
        }
    }
}

/// The image's registry host (Docker Hub's aliases folded to `docker.io`) and repository path
/// (`library/` added to Docker Hub's official images).
fn registry_path(image: &ImageRef) -> (String, String) {
    let registry = image.registry.as_deref().unwrap_or("docker.io").to_ascii_lowercase();
    let registry = if DOCKER_HUB_ALIASES.contains(&registry.as_str()) { "docker.io".to_string() } else { registry };
    let repository = image.repository.clone().unwrap_or_default();
    let repository = if registry == "docker.io" && !repository.contains('/') { format!("library/{repository}") } else { repository };
    (registry, repository)
}

/// True when `entry` (`host`, `host/path-prefix`, `*.domain`) covers the image.
fn is_trusted(entry: &str, (registry, repository): &(String, String)) -> bool {
    let entry = entry.trim().trim_end_matches('/').to_ascii_lowercase();
    let (host, prefix) = match entry.split_once('/') {
        Some((host, prefix)) => (host.to_string(), Some(prefix.to_string())),
        None => (entry.clone(), None),
    };
    let host = if DOCKER_HUB_ALIASES.contains(&host.as_str()) { "docker.io".to_string() } else { host };
    let host_matches = match host.strip_prefix('*') {
        Some(suffix) => registry.ends_with(suffix),
        None => host == *registry,
    };
    host_matches
        && prefix.is_none_or(|prefix| *repository == prefix || repository.starts_with(&format!("{prefix}/")))
}

#[cfg(test)]
mod tests {
    use super::is_trusted;

    fn at(registry: &str, repository: &str) -> (String, String) {
        (registry.to_string(), repository.to_string())
    }

    #[test]
    fn entries_match_hosts_prefixes_and_wildcards() {
        assert!(is_trusted("docker.io", &at("docker.io", "library/debian")));
        assert!(is_trusted("index.docker.io", &at("docker.io", "library/debian")));
        assert!(is_trusted("docker.io/library", &at("docker.io", "library/debian")));
        assert!(!is_trusted("docker.io/library", &at("docker.io", "someone/debian")));
        assert!(is_trusted("ghcr.io/acme", &at("ghcr.io", "acme/tools/app")));
        assert!(!is_trusted("ghcr.io/acme", &at("ghcr.io", "acmecorp/app")));
        assert!(is_trusted("*.corp.example", &at("registry.corp.example", "base/python")));
        assert!(!is_trusted("*.corp.example", &at("corp.example.evil.io", "base/python")));
        assert!(!is_trusted("quay.io", &at("docker.io", "library/debian")));
    }
}
