//! Feeds arbitrary bytes to the secret scanner (and, when they are UTF-8, to the rules' wrapper
//! that Dockerfile and container rules use). Nothing may panic; every range must lie inside the
//! input, the secret inside its match, and a redacted form must never hold a secret whole.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_secrets::{scan_bytes, Limits, RuleKind};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_bytes: 1 << 16, max_matches: 64 };
    let scan = scan_bytes(data, limits);
    assert!(scan.matches.len() <= limits.max_matches);
    let scanned = data.len().min(limits.max_bytes);
    for found in &scan.matches {
        assert!(found.range.start <= found.secret.start && found.secret.end <= found.range.end);
        assert!(found.range.end <= scanned);
        assert!(found.line >= 1);
        let shown = found.redacted(data);
        let secret = &data[found.secret.clone()];
        if found.rule.kind != RuleKind::PrivateKey && secret.len() >= 8 {
            assert!(!shown.as_bytes().windows(secret.len()).any(|w| w == secret), "{} shows its secret", found.rule.id);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for found in rampart_rules::secrets::find_secrets(text) {
            assert!(text.get(found.start..found.end).is_some());
            let _ = found.redacted(text);
        }
        let _ = rampart_rules::secrets::redact_secrets_in(text);
        for info in rampart_rules::secrets::url_userinfos(text) {
            let _ = rampart_rules::secrets::redact_url_password(&text[info.start..info.end]);
        }
    }
});
