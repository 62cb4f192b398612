//! Secrets are never printed whole: a short prefix and a hash identify one without revealing it.

use sha2::{Digest, Sha256};

/// Redacts `secret` to at most four leading characters (fewer for short values) plus the first
/// eight hex digits of its SHA-256, e.g. `AKIA…(sha256:1f2e3d4c)`. The hash lets a user match a
/// finding to the secret they hold without the report carrying it.
pub fn redact(secret: &str) -> String {
    let visible = match secret.chars().count() {
        0..=7 => 0,
        8..=15 => 2,
        _ => 4,
    };
    let prefix: String = secret.chars().take(visible).collect();
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{prefix}…(sha256:{hex})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_contains_the_whole_secret() {
        for secret in ["hunter2", "AKIAIOSFODNN7EXAMPLE", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "12345678"] {
            let shown = redact(secret);
            assert!(!shown.contains(secret), "{shown} leaks {secret}");
            assert!(shown.contains("sha256:"), "{shown}");
        }
        assert!(redact("AKIAIOSFODNN7EXAMPLE").starts_with("AKIA…"));
        assert!(redact("short").starts_with('…'));
    }

    #[test]
    fn same_secret_same_redaction() {
        assert_eq!(redact("s3cr3t-value-1"), redact("s3cr3t-value-1"));
        assert_ne!(redact("s3cr3t-value-1"), redact("s3cr3t-value-2"));
    }
}
