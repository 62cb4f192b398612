//! Value tests shared by every rule: placeholders, references, entropy, and the few formats that
//! need decoding (`"auth"` in Docker's config.json is base64 of `user:password`).

/// True when `value` refers to something else rather than being a value: a variable
/// (`$TOKEN`, `${TOKEN}`), a command substitution, a template (`{{ .token }}`, `%(pw)s`).
pub fn is_reference(value: &str) -> bool {
    value.contains('$') || value.contains('`') || value.contains("{{") || value.contains("%(")
}

/// True for values that visibly stand for "put the real value here": `changeme`, `<token>`,
/// `xxxxxxxx`, `your-api-key`, `AKIAIOSFODNN7EXAMPLE`, `***`. Such values reveal nothing, and
/// flagging them teaches users to ignore the findings that matter.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return true;
    }
    const EXACT: &[&str] = &[
        "none",
        "null",
        "nil",
        "undefined",
        "unset",
        "empty",
        "-",
        "secret",
        "password",
        "passwd",
        "pass",
        "token",
        "apikey",
        "api_key",
        "key",
        "todo",
        "tbd",
        "string",
        "value",
    ];
    if EXACT.contains(&lower.as_str()) {
        return true;
    }
    const CONTAINS: &[&str] = &[
        "example",
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "placeholder",
        "dummy",
        "replace",
        "your_",
        "your-",
        "yourtoken",
        "yourpassword",
        "yourkey",
        "yourown",
        "<",
        ">",
        "xxxx",
        "****",
        "…",
        "...",
        "todo",
        "fixme",
        "redacted",
        "fake",
        "insert",
        "sample",
        "notreal",
        "not-a-real",
        "not_a_real",
    ];
    if CONTAINS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // One character repeated, separators aside (`aaaaaaaa`, `00000000-0000-0000-0000-000000000000`).
    let mut significant = lower.chars().filter(|c| c.is_ascii_alphanumeric());
    let first = significant.next();
    lower.chars().count() >= 4 && first.is_some() && significant.all(|c| Some(c) == first)
}

/// A random token uses many distinct characters; `ghp_aaaa…` or `AKIA0000…` do not.
pub fn looks_random(body: &[u8]) -> bool {
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in body {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    distinct >= body.len().min(24) / 3
}

/// Shannon entropy of the bytes, in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f32 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f32;
    counts.iter().filter(|&&c| c > 0).map(|&c| c as f32 / len).map(|p| -p * p.log2()).sum()
}

/// The body of a key block that stands for a key rather than being one: `...`, `xxxx`,
/// `<your key here>`, or fewer than 20 base64 characters. Real key material is long base64,
/// where these sequences practically never occur.
pub fn is_placeholder_key_material(block: &[u8]) -> bool {
    // Keys inside JSON or YAML strings have escaped line breaks.
    let text = String::from_utf8_lossy(block).to_ascii_lowercase().replace("\\n", "\n");
    let body: String = text.lines().filter(|line| !line.trim_start().starts_with("-----")).collect::<Vec<_>>().join("\n");
    let base64_chars = body.bytes().filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/').count();
    ["xxxx", "...", "…", "<", ">"].iter().any(|p| body.contains(p)) || base64_chars < 20
}

/// Standard base64 (padding optional), or `None` when `text` is not base64.
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    }
    let body = text.strip_suffix(b"==").or_else(|| text.strip_suffix(b"=")).unwrap_or(text);
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= value(b)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// `"auth"` values in Docker's config.json: base64 of `user:password` with a real password.
pub fn is_base64_user_password(secret: &[u8]) -> bool {
    let Some(decoded) = decode_base64(secret) else { return false };
    let Ok(text) = std::str::from_utf8(&decoded) else { return false };
    let Some((user, password)) = text.split_once(':') else { return false };
    !user.is_empty()
        && !password.is_empty()
        && text.chars().all(|c| !c.is_control())
        && !is_placeholder(password)
        && !is_reference(password)
}

/// Values of secret-named keys that are not a secret whatever their entropy: references, paths,
/// URLs, function calls and obvious code.
pub fn is_plausible_generic_value(secret: &[u8]) -> bool {
    let Ok(value) = std::str::from_utf8(secret) else { return false };
    let is_path = value.starts_with('/') || value.starts_with("./") || value.starts_with("../") || value.starts_with("~/");
    // `Win32::GetCwd` (`$pwd = Win32::GetCwd();` in Perl's Cwd.pm): a qualified name, not a secret.
    let is_code = value.contains("://")
        || value.contains("::")
        || value.starts_with("os.")
        || value.starts_with("process.")
        || value.starts_with("env.")
        || value.starts_with("self.")
        || value.starts_with("this.")
        || value.starts_with("config.")
        || value.starts_with("settings.")
        || value.starts_with("req.")
        || value.ends_with(".txt")
        || value.ends_with(".json")
        || value.ends_with(".yaml")
        || value.ends_with(".yml")
        || value.ends_with(".pem")
        || value.ends_with(".key")
        || value.ends_with(".crt");
    // Code identifiers such as `get_password_from_vault` or `SecretKeyRef` are words, not secrets:
    // a secret mixes in digits or symbols.
    let is_identifier = value.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.' || b == b'-');
    // Short numbers are ports, ids, timestamps or `1234567890`, not secrets.
    let is_number = value.len() < 16 && value.bytes().all(|b| b.is_ascii_digit());
    !(is_path || is_code || is_identifier || is_number)
}

/// Key names that end in a secret word but hold something about the secret, not the secret:
/// `hashed_secret` (a digest), `token_type`, `password_hash`.
pub fn names_something_else(name: &[u8]) -> bool {
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    ["hash", "digest", "checksum", "sha1", "sha256", "md5", "fingerprint", "salt"].iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        assert_eq!(decode_base64(b"dXNlcjpwYXNz").as_deref(), Some(&b"user:pass"[..]));
        assert_eq!(decode_base64(b"dXNlcg==").as_deref(), Some(&b"user"[..]));
        assert_eq!(decode_base64(b"dXNlcg").as_deref(), Some(&b"user"[..]));
        assert!(decode_base64(b"d").is_none());
        assert!(decode_base64(b"d!==").is_none());
    }

    #[test]
    fn docker_auth_needs_user_and_password() {
        assert!(is_base64_user_password(b"Ym90OnE3UnQyeDlM")); // bot:q7Rt2x9L
        assert!(!is_base64_user_password(b"Ym90Og==")); // bot:
        assert!(!is_base64_user_password(b"Ym90")); // bot
        assert!(!is_base64_user_password(b"dXNlcjpjaGFuZ2VtZQ==")); // user:changeme
    }

    #[test]
    fn entropy_orders_values() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!(shannon_entropy(b"abcd") > 1.99);
        assert!(shannon_entropy(b"Q7rT2x9LmN4v") > shannon_entropy(b"passwordpass"));
    }

    #[test]
    fn placeholders_and_references() {
        for value in ["changeme", "<token>", "xxxxxxxx", "your-api-key", "AKIAIOSFODNN7EXAMPLE", "0000-0000"] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["q7Rt2x9L", "hunter2"] {
            assert!(!is_placeholder(value), "{value}");
        }
        assert!(is_reference("${TOKEN}") && is_reference("{{ .pw }}") && !is_reference("abc"));
    }

    #[test]
    fn generic_values() {
        assert!(is_plausible_generic_value(b"Q7rT2x9LmN4v"));
        for value in ["/run/secrets/db", "https://vault/x", "os.environ", "get_password_from_vault", "key.pem"] {
            assert!(!is_plausible_generic_value(value.as_bytes()), "{value}");
        }
    }
}
