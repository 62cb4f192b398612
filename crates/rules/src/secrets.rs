//! Recognising secrets in Dockerfile text: values shaped like a known credential (an AWS key id,
//! a GitHub token, a private key block, a URL with a password), names that say a variable holds
//! one (`DB_PASSWORD`, not `PASSWORD_FILE`), and values that are obviously placeholders.
//!
//! Written by hand rather than with regexes: the shapes are few, each is a fixed prefix followed
//! by a run of characters from a small set, and scanning for the prefixes keeps this fast on the
//! long RUN lines of real Dockerfiles.

use rampart_model::redact;

/// The kinds of credential recognised by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    AwsAccessKeyId,
    GitHubToken,
    GitLabToken,
    SlackToken,
    StripeLiveKey,
    GoogleApiKey,
    NpmToken,
    PyPiToken,
    DockerHubToken,
    HuggingFaceToken,
    OpenAiKey,
    AnthropicKey,
    PrivateKey,
    Jwt,
    UrlCredentials,
}

impl SecretKind {
    /// A short human description, used in messages.
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "an AWS access key id",
            SecretKind::GitHubToken => "a GitHub token",
            SecretKind::GitLabToken => "a GitLab personal access token",
            SecretKind::SlackToken => "a Slack token",
            SecretKind::StripeLiveKey => "a Stripe live secret key",
            SecretKind::GoogleApiKey => "a Google API key",
            SecretKind::NpmToken => "an npm access token",
            SecretKind::PyPiToken => "a PyPI API token",
            SecretKind::DockerHubToken => "a Docker Hub access token",
            SecretKind::HuggingFaceToken => "a Hugging Face token",
            SecretKind::OpenAiKey => "an OpenAI API key",
            SecretKind::AnthropicKey => "an Anthropic API key",
            SecretKind::PrivateKey => "a private key",
            SecretKind::Jwt => "a JSON Web Token",
            SecretKind::UrlCredentials => "a URL with a password",
        }
    }

    /// Tokens issued by a service (everything but key blocks and URL passwords).
    pub fn is_token(self) -> bool {
        !matches!(self, SecretKind::PrivateKey | SecretKind::UrlCredentials)
    }
}

/// One secret found in a text: its kind and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub kind: SecretKind,
    pub start: usize,
    pub end: usize,
}

impl SecretMatch {
    /// The matched text, redacted for reports: never the whole secret. For a private key only
    /// its header line is shown (the header reveals nothing).
    pub fn redacted(&self, text: &str) -> String {
        let matched = text.get(self.start..self.end).unwrap_or_default();
        match self.kind {
            SecretKind::PrivateKey => format!("{matched}…"),
            SecretKind::UrlCredentials => redact_url_password(matched),
            _ => redact(matched),
        }
    }
}

/// A token shape: a fixed prefix, then `min..=max` characters accepted by `body`.
struct TokenShape {
    prefix: &'static str,
    kind: SecretKind,
    body: fn(u8) -> bool,
    min: usize,
    max: usize,
    /// Prefix matched case-sensitively and must start a word (not follow a letter or digit).
    needs_boundary: bool,
}

fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
fn letters(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

const TOKEN_SHAPES: &[TokenShape] = &[
    // AWS access key ids: four-letter type prefix and 16 upper-case base32-ish characters.
    TokenShape {
        prefix: "AKIA",
        kind: SecretKind::AwsAccessKeyId,
        body: upper_alnum,
        min: 16,
        max: 16,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "ASIA",
        kind: SecretKind::AwsAccessKeyId,
        body: upper_alnum,
        min: 16,
        max: 16,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "ABIA",
        kind: SecretKind::AwsAccessKeyId,
        body: upper_alnum,
        min: 16,
        max: 16,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "ACCA",
        kind: SecretKind::AwsAccessKeyId,
        body: upper_alnum,
        min: 16,
        max: 16,
        needs_boundary: true,
    },
    TokenShape { prefix: "ghp_", kind: SecretKind::GitHubToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    TokenShape { prefix: "gho_", kind: SecretKind::GitHubToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    TokenShape { prefix: "ghu_", kind: SecretKind::GitHubToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    TokenShape { prefix: "ghs_", kind: SecretKind::GitHubToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    TokenShape { prefix: "ghr_", kind: SecretKind::GitHubToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    TokenShape {
        prefix: "github_pat_",
        kind: SecretKind::GitHubToken,
        body: alnum_underscore,
        min: 50,
        max: 120,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "glpat-",
        kind: SecretKind::GitLabToken,
        body: url_safe,
        min: 20,
        max: 64,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "xoxb-",
        kind: SecretKind::SlackToken,
        body: url_safe,
        min: 10,
        max: 200,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "xoxp-",
        kind: SecretKind::SlackToken,
        body: url_safe,
        min: 10,
        max: 200,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "xoxa-",
        kind: SecretKind::SlackToken,
        body: url_safe,
        min: 10,
        max: 200,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "xoxr-",
        kind: SecretKind::SlackToken,
        body: url_safe,
        min: 10,
        max: 200,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "xoxs-",
        kind: SecretKind::SlackToken,
        body: url_safe,
        min: 10,
        max: 200,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "sk_live_",
        kind: SecretKind::StripeLiveKey,
        body: alnum,
        min: 20,
        max: 247,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "rk_live_",
        kind: SecretKind::StripeLiveKey,
        body: alnum,
        min: 20,
        max: 247,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "AIza",
        kind: SecretKind::GoogleApiKey,
        body: url_safe,
        min: 35,
        max: 35,
        needs_boundary: true,
    },
    TokenShape { prefix: "npm_", kind: SecretKind::NpmToken, body: alnum, min: 36, max: 36, needs_boundary: true },
    // "pypi-" followed by the base64 of a macaroon header naming the index.
    TokenShape {
        prefix: "pypi-AgEIcHlwaS5vcmc",
        kind: SecretKind::PyPiToken,
        body: url_safe,
        min: 50,
        max: 300,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "dckr_pat_",
        kind: SecretKind::DockerHubToken,
        body: url_safe,
        min: 27,
        max: 64,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "hf_",
        kind: SecretKind::HuggingFaceToken,
        body: letters,
        min: 34,
        max: 34,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "sk-proj-",
        kind: SecretKind::OpenAiKey,
        body: url_safe,
        min: 40,
        max: 300,
        needs_boundary: true,
    },
    TokenShape {
        prefix: "sk-ant-",
        kind: SecretKind::AnthropicKey,
        body: url_safe,
        min: 40,
        max: 300,
        needs_boundary: true,
    },
];

/// What may start at a byte: for each byte value, a bit set of the [`TOKEN_SHAPES`] whose
/// prefix starts with it, and of the three other openings ([`PRIVATE_KEY_BIT`], [`JWT_BIT`],
/// [`URL_BIT`]). One pass over a text with this table finds every candidate position; building a
/// substring searcher per prefix per text cost more than the scan itself on short words.
const FIRST_BYTES: [u64; 256] = first_byte_table();
const PRIVATE_KEY_BIT: u32 = 61;
const JWT_BIT: u32 = 62;
const URL_BIT: u32 = 63;
const PRIVATE_KEY_BEGIN: &str = "-----BEGIN ";
const JWT_START: &str = "eyJ";
const URL_SEPARATOR: &str = "://";

const fn first_byte_table() -> [u64; 256] {
    assert!(TOKEN_SHAPES.len() < PRIVATE_KEY_BIT as usize, "one bit per token shape");
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < TOKEN_SHAPES.len() {
        table[TOKEN_SHAPES[i].prefix.as_bytes()[0] as usize] |= 1 << i;
        i += 1;
    }
    table[PRIVATE_KEY_BEGIN.as_bytes()[0] as usize] |= 1 << PRIVATE_KEY_BIT;
    table[JWT_START.as_bytes()[0] as usize] |= 1 << JWT_BIT;
    table[URL_SEPARATOR.as_bytes()[0] as usize] |= 1 << URL_BIT;
    table
}

/// Start offsets of `needle` in `text` (overlapping occurrences included), found with the
/// first-byte test before any comparison.
fn occurrences<'a>(text: &'a str, needle: &'static str) -> impl Iterator<Item = usize> + 'a {
    let bytes = text.as_bytes();
    let first = needle.as_bytes()[0];
    bytes
        .iter()
        .enumerate()
        .filter(move |&(i, &b)| b == first && bytes[i..].starts_with(needle.as_bytes()))
        .map(|(i, _)| i)
}

/// Finds every secret-shaped value in `text`, in order of position. Placeholders (`AKIA…EXAMPLE`,
/// `ghp_xxxxxxxx…`) are skipped.
pub fn find_secrets(text: &str) -> Vec<SecretMatch> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    for (start, &b) in bytes.iter().enumerate() {
        let mut candidates = FIRST_BYTES[b as usize];
        while candidates != 0 {
            let bit = candidates.trailing_zeros();
            candidates &= candidates - 1;
            let rest = &bytes[start..];
            match bit {
                PRIVATE_KEY_BIT if rest.starts_with(PRIVATE_KEY_BEGIN.as_bytes()) => found.extend(private_key_at(text, start)),
                JWT_BIT if rest.starts_with(JWT_START.as_bytes()) => found.extend(jwt_at(text, start)),
                URL_BIT if rest.starts_with(URL_SEPARATOR.as_bytes()) => {
                    found.extend(userinfo_at(text, start).map(|u| SecretMatch { kind: SecretKind::UrlCredentials, start: u.start, end: u.end }));
                }
                PRIVATE_KEY_BIT | JWT_BIT | URL_BIT => {}
                shape => found.extend(token_at(text, start, &TOKEN_SHAPES[shape as usize])),
            }
        }
    }
    found.sort_by_key(|m| (m.start, m.end));
    found
}

/// The token of `shape` starting at byte `start` of `text`, if one does.
fn token_at(text: &str, start: usize, shape: &TokenShape) -> Option<SecretMatch> {
    let bytes = text.as_bytes();
    if !bytes[start..].starts_with(shape.prefix.as_bytes()) {
        return None;
    }
    if shape.needs_boundary && start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let body_start = start + shape.prefix.len();
    let body_len = bytes[body_start..].iter().take_while(|&&b| (shape.body)(b)).count();
    if body_len < shape.min || body_len > shape.max {
        return None;
    }
    let end = body_start + body_len;
    // A token is followed by a separator, not by more word characters.
    if bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let token = &text[start..end];
    if is_placeholder(token) || !looks_random(&text[body_start..end]) {
        return None;
    }
    Some(SecretMatch { kind: shape.kind, start, end })
}

/// `-----BEGIN … PRIVATE KEY-----` and `-----BEGIN PGP PRIVATE KEY BLOCK-----` headers. The match
/// covers the header line only.
pub fn find_private_keys(text: &str) -> Vec<SecretMatch> {
    occurrences(text, PRIVATE_KEY_BEGIN).filter_map(|start| private_key_at(text, start)).collect()
}

/// The private key header starting at byte `start` (where `-----BEGIN ` is), if it is one.
fn private_key_at(text: &str, start: usize) -> Option<SecretMatch> {
    let rest = &text[start + PRIVATE_KEY_BEGIN.len()..];
    let label_len = rest.find("-----")?;
    let label = &rest[..label_len];
    if label.len() > 40 || !label.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
        return None;
    }
    if label.ends_with("PRIVATE KEY") || label == "PGP PRIVATE KEY BLOCK" {
        let end = start + PRIVATE_KEY_BEGIN.len() + label_len + "-----".len();
        return Some(SecretMatch { kind: SecretKind::PrivateKey, start, end });
    }
    None
}

/// A JSON Web Token starting at byte `start` (where `eyJ` is): three base64url segments, the
/// first two starting with `eyJ` (`{"`).
fn jwt_at(text: &str, start: usize) -> Option<SecretMatch> {
    let bytes = text.as_bytes();
    if start > 0 && url_safe(bytes[start - 1]) {
        return None;
    }
    let mut end = start;
    let mut segments = 0;
    loop {
        let len = bytes[end..].iter().take_while(|&&b| url_safe(b)).count();
        if len < 10 {
            break;
        }
        segments += 1;
        end += len;
        if segments == 3 || bytes.get(end) != Some(&b'.') {
            break;
        }
        // The second segment (the claims) is JSON too.
        if segments == 1 && !text[end + 1..].starts_with(JWT_START) {
            break;
        }
        end += 1;
    }
    (segments == 3).then_some(SecretMatch { kind: SecretKind::Jwt, start, end })
}

/// The parts of a URL's authority with a password in it: `scheme://user:password@host`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlUserinfo<'a> {
    pub user: &'a str,
    pub password: &'a str,
    /// Byte range of the whole URL in the text it was found in.
    pub start: usize,
    pub end: usize,
    /// Byte offset of the password in that text.
    pub password_start: usize,
}

/// Every URL in `text` whose authority carries a literal password (not a `$VAR`, not a
/// placeholder, not the user name repeated as in `postgres:postgres@`).
pub fn url_userinfos(text: &str) -> Vec<UrlUserinfo<'_>> {
    occurrences(text, URL_SEPARATOR).filter_map(|sep| userinfo_at(text, sep)).collect()
}

/// The URL around the `://` at byte `sep`, when its authority carries a literal password.
fn userinfo_at(text: &str, sep: usize) -> Option<UrlUserinfo<'_>> {
    let bytes = text.as_bytes();
    let scheme_start = text[..sep]
        .bytes()
        .rposition(|b| !(b.is_ascii_alphanumeric() || b == b'+' || b == b'.' || b == b'-'))
        .map_or(0, |i| i + 1);
    if scheme_start == sep || !bytes[scheme_start].is_ascii_alphabetic() {
        return None;
    }
    let authority_start = sep + URL_SEPARATOR.len();
    let authority_len = bytes[authority_start..]
        .iter()
        .take_while(|&&b| !matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>') && !b.is_ascii_whitespace())
        .count();
    let authority = &text[authority_start..authority_start + authority_len];
    let at = authority.rfind('@')?;
    let (userinfo, host) = (&authority[..at], &authority[at + 1..]);
    let (user, password) = userinfo.split_once(':')?;
    if host.is_empty() || password.is_empty() || is_reference(password) || is_placeholder(password) || password == user {
        return None;
    }
    let end = authority_start
        + authority_len
        + bytes[authority_start + authority_len..]
            .iter()
            .take_while(|&&b| !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b'`'))
            .count();
    let password_start = authority_start + user.len() + 1;
    Some(UrlUserinfo { user, password, start: scheme_start, end, password_start })
}

/// `https://user:s3cret@host/path` -> `https://user:s3…(sha256:…)@host/path`: the URL stays
/// recognisable, the password does not appear.
pub fn redact_url_password(url: &str) -> String {
    match url_userinfos(url).first() {
        Some(info) => {
            let password_end = info.password_start + info.password.len();
            format!("{}{}{}", &url[..info.password_start], redact(info.password), &url[password_end..])
        }
        None => redact(url),
    }
}

/// True when `value` refers to something else rather than being a value: a variable
/// (`$TOKEN`, `${TOKEN}`), a command substitution.
pub fn is_reference(value: &str) -> bool {
    value.contains('$') || value.contains('`')
}

/// True for values that visibly stand for "put the real value here": `changeme`, `<token>`,
/// `xxxxxxxx`, `your-api-key`, `AKIAIOSFODNN7EXAMPLE`, `***`. Such values reveal nothing, and
/// flagging them teaches users to ignore the rules that matter.
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
fn looks_random(body: &str) -> bool {
    let mut seen = [false; 256];
    let mut distinct = 0;
    for b in body.bytes() {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    distinct >= body.len().min(24) / 3
}

/// The words of a variable name, upper-cased: `DB_PASSWORD` -> `DB PASSWORD`,
/// `dbPassword` -> `DB PASSWORD`, `api.key` -> `API KEY`.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// True when a variable's name says it holds a secret: `DB_PASSWORD`, `GITHUB_TOKEN`,
/// `AWS_SECRET_ACCESS_KEY`, `apiKey`, `SECRET_KEY_BASE`, `SMTP_PASS`.
///
/// The secret word must end the name (optionally followed by an encoding word such as `BASE64`):
/// `PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH` name something *about* a
/// secret, not the secret. Identifiers are not secrets (`AWS_ACCESS_KEY_ID`, `CLIENT_ID`), nor
/// are names that say they are public (`PUBLIC_KEY`, `NEXT_PUBLIC_API_KEY`), nor a bare `KEY` or
/// `GPG_KEY` (official images put public key fingerprints there), nor `USERNAME`.
pub fn is_secret_name(name: &str) -> bool {
    let mut words = name_words(name);
    if words.iter().any(|w| w == "PUBLIC" || w == "PUB") {
        return false;
    }
    const ENCODINGS: &[&str] = &["BASE", "VALUE", "B64", "BASE64", "HEX", "RAW", "PLAIN", "PLAINTEXT", "STR", "STRING"];
    if words.len() > 1 && words.last().is_some_and(|w| ENCODINGS.contains(&w.as_str())) {
        words.pop();
    }
    let Some(last) = words.last() else { return false };
    let compound = words.len() > 1;
    const SECRET_WORDS: &[&str] = &[
        "PASSWORD",
        "PASSWORDS",
        "PASSWD",
        "PASSPHRASE",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "PRIVATEKEY",
        "SECRETKEY",
        "ACCESSKEY",
    ];
    if SECRET_WORDS.contains(&last.as_str()) {
        return true;
    }
    // `DB_PASS`, `DB_PWD`: short forms only count with a qualifier (`PWD` alone is the shell's
    // working directory).
    if compound && (last == "PASS" || last == "PWD" || last == "PW") {
        return true;
    }
    // Run-together words: `DBPASSWORD`, `AUTHTOKEN`, `CLIENTSECRET`.
    if ["PASSWORD", "PASSWD", "SECRET", "TOKEN"].iter().any(|w| last.len() > w.len() && last.ends_with(w)) {
        return true;
    }
    if last == "KEY" && words.len() > 1 {
        const KEY_QUALIFIERS: &[&str] = &[
            "API",
            "ACCESS",
            "SECRET",
            "PRIVATE",
            "ENCRYPTION",
            "MASTER",
            "APP",
            "AUTH",
            "LICENSE",
            "SSH",
            "DEPLOY",
            "SIGNING",
        ];
        return KEY_QUALIFIERS.contains(&words[words.len() - 2].as_str());
    }
    false
}

/// True when a value looks like a path to a file rather than the secret itself:
/// `/run/secrets/db`, `./creds.json`, `~/.ssh/id_rsa`.
pub fn looks_like_path(value: &str) -> bool {
    value.starts_with('/') || value.starts_with("./") || value.starts_with("../") || value.starts_with("~/")
}

/// True for switch values: `true`, `no`, `0`, `1`.
pub fn is_boolean(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "y" | "n"
    )
}

/// True when a literal value of a secret-named variable would be a real secret (not empty, a
/// reference, a path, a switch or a placeholder).
pub fn is_literal_secret_value(value: &str) -> bool {
    let value = value.trim();
    !(value.is_empty()
        || is_reference(value)
        || looks_like_path(value)
        || is_boolean(value)
        || is_placeholder(value)
        || value.contains("://") && url_userinfos(value).is_empty())
}

/// `text` with every secret-shaped value in it redacted: safe to show as evidence.
pub fn redact_secrets_in(text: &str) -> String {
    let mut shown = String::new();
    let mut at = 0;
    for found in find_secrets(text) {
        if found.start < at {
            continue;
        }
        shown.push_str(&text[at..found.start]);
        shown.push_str(&found.redacted(text));
        at = found.end;
    }
    shown.push_str(&text[at..]);
    shown
}

/// SSH private key file names (`id_rsa`, `id_ed25519`, and their security-key variants).
pub fn is_private_key_file(name: &str) -> bool {
    matches!(name, "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" | "identity")
}

/// What kind of credential a file or directory holds, judged by its path: `id_rsa`,
/// `server.key`, `tls-key.pem`, `.env`, `.npmrc`, `.aws/credentials`, `.docker/config.json`,
/// `kubeconfig`, a `.ssh` directory. `None` for public material (`id_rsa.pub`, `ca.pem`,
/// `repo.gpg.key`) and templates (`.env.example`).
pub fn credential_file(path: &str) -> Option<&'static str> {
    let trimmed = path.trim_end_matches('/');
    let name = trimmed.rsplit('/').next().unwrap_or(trimmed);
    let lower = name.to_ascii_lowercase();
    let parent = trimmed.rsplit('/').nth(1).unwrap_or_default();
    if is_private_key_file(name) {
        return Some("an SSH private key");
    }
    match lower.as_str() {
        ".ssh" => return Some("an SSH directory (private keys)"),
        ".gnupg" => return Some("a GnuPG home (private keys)"),
        ".env" => return Some("an environment file (application secrets)"),
        ".npmrc" => return Some("npm configuration (registry tokens)"),
        ".yarnrc.yml" => return Some("Yarn configuration (registry tokens)"),
        ".pypirc" => return Some("PyPI upload credentials"),
        ".netrc" | "_netrc" => return Some("a netrc file (passwords)"),
        ".git-credentials" => return Some("stored Git credentials"),
        ".htpasswd" => return Some("an htpasswd file (password hashes)"),
        ".pgpass" => return Some("a PostgreSQL password file"),
        ".aws" => return Some("an AWS configuration directory (access keys)"),
        ".kube" | "kubeconfig" => return Some("a Kubernetes configuration (cluster credentials)"),
        "credentials.json" | "application_default_credentials.json" => return Some("a cloud credentials file"),
        _ => {}
    }
    if lower == "credentials" && parent == ".aws" {
        return Some("AWS credentials");
    }
    if lower == "config.json" && parent == ".docker" {
        return Some("Docker registry credentials");
    }
    if lower == "config" && parent == ".kube" || lower.ends_with(".kubeconfig") {
        return Some("a Kubernetes configuration (cluster credentials)");
    }
    if let Some(variant) = lower.strip_prefix(".env.") {
        const TEMPLATES: &[&str] = &["example", "sample", "template", "dist", "defaults", "default", "tmpl", "tpl"];
        return (!TEMPLATES.iter().any(|t| variant.contains(t))).then_some("an environment file (application secrets)");
    }
    if (lower.starts_with("service-account") || lower.starts_with("serviceaccount")) && lower.ends_with(".json") {
        return Some("a cloud service account key");
    }
    let public = ["pub", "public", "gpg", "pgp", "asc", "release", "repo", "archive", "signing", "cert", "crt", "ca"]
        .iter()
        .any(|word| lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|part| part == *word));
    let extension = lower.rsplit_once('.').map(|(_, ext)| ext).unwrap_or_default();
    match extension {
        "p12" | "pfx" | "jks" | "keystore" | "ppk" => Some("a key store (private keys)"),
        "key" if !public => Some("a private key"),
        "pem" if !public && (lower.contains("key") || lower.contains("priv")) => Some("a private key"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<SecretKind> {
        find_secrets(text).into_iter().map(|m| m.kind).collect()
    }

    #[test]
    fn recognises_token_shapes() {
        assert_eq!(kinds("AKIAZ7Q3RTV5WXYB2C4D"), [SecretKind::AwsAccessKeyId]);
        assert_eq!(kinds("key=AKIAZ7Q3RTV5WXYB2C4D;"), [SecretKind::AwsAccessKeyId]);
        assert_eq!(kinds("ghp_R2d2C3p0BB8x9Kq7LmNoPqRsTuVwXyZ01234"), [SecretKind::GitHubToken]);
        assert_eq!(kinds("glpat-Ab3dEf6hIj9kLm2nOp5q"), [SecretKind::GitLabToken]);
        assert_eq!(kinds("xoxb-2841937510-AbCdEfGhIjKlMnOp"), [SecretKind::SlackToken]);
        assert_eq!(kinds("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), [SecretKind::StripeLiveKey]);
        assert_eq!(kinds("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl"), [SecretKind::PrivateKey]);
        assert_eq!(kinds("-----BEGIN RSA PRIVATE KEY-----"), [SecretKind::PrivateKey]);
        assert_eq!(
            kinds("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
            [SecretKind::Jwt]
        );
        assert_eq!(kinds("postgres://app:Zq8-v2Lk@db:5432/app"), [SecretKind::UrlCredentials]);
    }

    #[test]
    fn ignores_near_misses() {
        for text in [
            "AKIAIOSFODNN7EXAMPLE",                      // AWS's documented example
            "XAKIAZ7Q3RTV5WXYB2C4D",                     // not at a word start
            "AKIAZ7Q3RTV5WXYB2C4DE",                     // too long
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // placeholder
            "-----BEGIN CERTIFICATE-----",               // public
            "-----BEGIN PUBLIC KEY-----",                // public
            "https://user@example.invalid/repo.git",     // no password
            "https://x-access-token:${TOKEN}@host/repo", // a reference
            "postgres://postgres:postgres@db/app",       // user name repeated: a dev default
            "https://user:<password>@host/",             // placeholder
            "git@github.com:org/repo.git",               // ssh, no password
            "eyJhbGciOiJIUzI1NiJ9",                      // one segment is not a token
        ] {
            assert!(find_secrets(text).is_empty(), "{text}: {:?}", find_secrets(text));
        }
    }

    #[test]
    fn redaction_hides_the_secret() {
        let text = "url=https://deploy:Zq8v2LkP9@git.example.invalid/x.git";
        let m = &find_secrets(text)[0];
        let shown = m.redacted(text);
        assert!(!shown.contains("Zq8v2LkP9"), "{shown}");
        assert!(shown.starts_with("https://deploy:"), "{shown}");
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA";
        let shown = find_secrets(key)[0].redacted(key);
        assert!(!shown.contains("MIIE"), "{shown}");
        let token = "ghp_R2d2C3p0BB8x9Kq7LmNoPqRsTuVwXyZ01234";
        assert!(!find_secrets(token)[0].redacted(token).contains(token));
    }

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "GITHUB_TOKEN",
            "NPM_AUTH_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "apiKey",
            "dbPassword",
            "SECRET_KEY_BASE",
            "SMTP_PASS",
            "DB_PWD",
            "CLIENT_SECRET",
            "DBPASSWORD",
            "SSH_PRIVATE_KEY",
            "OPENAI_API_KEY",
            "HF_TOKEN",
            "credentials",
            "APIKEY",
        ] {
            assert!(is_secret_name(name), "{name} should be a secret name");
        }
        for name in [
            "USERNAME",
            "PASSWORD_FILE",
            "TOKEN_URL",
            "SECRET_NAME",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "GPG_KEY",
            "KEY",
            "PUBLIC_KEY",
            "NEXT_PUBLIC_API_KEY",
            "PWD",
            "PASS",
            "TOKENIZER_MODEL",
            "KEYCLOAK_VERSION",
            "BYPASS",
            "GOOGLE_APPLICATION_CREDENTIALS_FILE",
        ] {
            assert!(!is_secret_name(name), "{name} should not be a secret name");
        }
    }

    #[test]
    fn literal_secret_values() {
        for value in ["hunter2", "s3cr3t!", "12345678", "admin"] {
            assert!(is_literal_secret_value(value), "{value}");
        }
        for value in
            ["", "$DB_PASSWORD", "${TOKEN:-}", "/run/secrets/db", "changeme", "<your-token>", "true", "0", "xxxxxxxx"]
        {
            assert!(!is_literal_secret_value(value), "{value}");
        }
    }

    #[test]
    fn credential_files() {
        for path in [
            "id_rsa",
            "/root/.ssh/id_ed25519",
            ".ssh",
            "~/.ssh/",
            "server.key",
            "tls-key.pem",
            "privkey.pem",
            ".env",
            ".env.production",
            ".npmrc",
            ".pypirc",
            ".netrc",
            ".git-credentials",
            ".aws/credentials",
            "/root/.aws",
            ".docker/config.json",
            "kubeconfig",
            "prod.kubeconfig",
            ".kube/config",
            "cert.p12",
            "store.pfx",
        ] {
            assert!(credential_file(path).is_some(), "{path}");
        }
        for path in [
            "id_rsa.pub",
            "ca.pem",
            "cert.pem",
            "fullchain.pem",
            ".env.example",
            ".env.sample",
            "nodesource.gpg.key",
            "Release.key",
            "config.json",
            "app/config",
            "keys.txt",
            "package.json",
            "key.pub.pem",
        ] {
            assert!(credential_file(path).is_none(), "{path}");
        }
    }

    #[test]
    fn redacts_inside_text() {
        let text = "git clone https://bot:Zq8v2LkP9w@git.example.invalid/x.git && echo AKIAZ7Q3RTV5WXYB2C4D";
        let shown = redact_secrets_in(text);
        assert!(!shown.contains("Zq8v2LkP9w") && !shown.contains("AKIAZ7Q3RTV5WXYB2C4D"), "{shown}");
        assert!(shown.starts_with("git clone https://bot:"), "{shown}");
    }
}
