//! Paths not worth scanning for secrets, for callers that walk file systems (image layers, build
//! contexts). The scanner itself never sees paths: which files to read is the caller's policy,
//! and this is the default one, in the spirit of gitleaks' and trivy's path allowlists.

/// Why a path is skipped, or `None` to scan it. `path` uses `/` separators, with or without a
/// leading `/`.
pub fn skip_reason(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let extension = name.rsplit_once('.').map(|(_, ext)| ext).unwrap_or_default();
    const MEDIA_AND_ARCHIVES: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "svgz", "tif", "tiff", "mp3", "mp4", "ogg", "wav", "avi",
        "mov", "woff", "woff2", "ttf", "otf", "eot", "pdf", "gz", "tgz", "bz2", "xz", "zst", "zip", "jar", "war", "7z",
        "rar", "whl", "deb", "rpm", "apk", "so", "a", "o", "dll", "exe", "pyc", "pyo", "class", "mo", "db", "sqlite",
    ];
    if MEDIA_AND_ARCHIVES.contains(&extension) {
        return Some("binary or compressed format");
    }
    // Lock files and checksum lists are long runs of hashes that look random by design.
    const LOCK_FILES: &[&str] = &[
        "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "go.sum", "cargo.lock", "poetry.lock", "pipfile.lock",
        "composer.lock", "gemfile.lock", "packages.lock.json", "sha256sums", "md5sums",
    ];
    if LOCK_FILES.contains(&name) || name.ends_with(".md5sums") {
        return Some("lock or checksum file");
    }
    // Test data and documentation shipped inside packages: keys and tokens there are examples.
    const TEST_AND_DOC_DIRS: &[&str] = &[
        "/testdata/", "/test/fixtures/", "/tests/fixtures/", "/__tests__/", "/test/data/", "/tests/data/",
        "/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/site-packages/test/",
    ];
    let rooted = if lower.starts_with('/') { lower.clone() } else { format!("/{lower}") };
    if TEST_AND_DOC_DIRS.iter().any(|dir| rooted.contains(dir)) {
        return Some("test data or documentation");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_formats_locks_tests_and_docs() {
        for path in [
            "app/logo.png",
            "/usr/lib/x86_64-linux-gnu/libz.so",
            "srv/node_modules/x/package-lock.json",
            "go.sum",
            "/usr/share/doc/openssl/README",
            "usr/lib/python3/dist-packages/foo/testdata/key.pem",
            "var/lib/dpkg/info/libc6.md5sums",
        ] {
            assert!(skip_reason(path).is_some(), "{path}");
        }
    }

    #[test]
    fn scans_configuration_and_code() {
        for path in ["/root/.docker/config.json", "app/.env", "etc/app/settings.py", "home/u/.ssh/id_rsa", "srv/test.py"] {
            assert!(skip_reason(path).is_none(), "{path}");
        }
    }
}
