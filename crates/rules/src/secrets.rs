//! What Dockerfile, compose and run-command rules need to know about secrets: values shaped like
//! a known credential (found by the shared scanner, `rampart-secrets`), names that say a variable
//! holds one (`DB_PASSWORD`, not `PASSWORD_FILE`), and values that are obviously placeholders.
//!
//! Shape detection lives in the scanner so that one rule table serves every front end; what
//! counts as a finding *here* (which kinds a rule reports, how a name is judged, how a message
//! reads) is rule policy and stays in this module.

use rampart_model::redact;
use rampart_secrets::{Match, RuleKind};

pub use rampart_secrets::is_placeholder;

/// The kinds of credential recognised by shape. The named kinds keep their own wording in
/// messages; every other service token is `Service`, worded by the scanner's rule.
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
    /// Another service's token, with the scanner rule's description ("a SendGrid API key").
    Service(&'static str),
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
            SecretKind::Service(description) => description,
        }
    }

    /// Tokens issued by a service (everything but key blocks and URL passwords).
    pub fn is_token(self) -> bool {
        !matches!(self, SecretKind::PrivateKey | SecretKind::UrlCredentials)
    }

    /// The kind of a scanner match, or `None` for the kinds these rules leave to others:
    /// assignments judged by their name (DKF064, SEC002 judge names) and credential file lines.
    fn of(found: &Match) -> Option<SecretKind> {
        let rule = found.rule;
        Some(match rule.kind {
            RuleKind::PrivateKey => SecretKind::PrivateKey,
            RuleKind::Jwt => SecretKind::Jwt,
            RuleKind::UrlCredentials => SecretKind::UrlCredentials,
            RuleKind::Token => match rule.id {
                "aws-access-key-id" => SecretKind::AwsAccessKeyId,
                "gitlab-pat" => SecretKind::GitLabToken,
                "slack-token" => SecretKind::SlackToken,
                "stripe-live-key" => SecretKind::StripeLiveKey,
                "gcp-api-key" => SecretKind::GoogleApiKey,
                "npm-access-token" => SecretKind::NpmToken,
                "pypi-upload-token" | "pypi-test-upload-token" => SecretKind::PyPiToken,
                "dockerhub-pat" => SecretKind::DockerHubToken,
                "huggingface-token" => SecretKind::HuggingFaceToken,
                "openai-api-key" => SecretKind::OpenAiKey,
                "anthropic-api-key" => SecretKind::AnthropicKey,
                _ if rule.family == "github" => SecretKind::GitHubToken,
                _ => SecretKind::Service(rule.description),
            },
            RuleKind::Assignment | RuleKind::Generic | RuleKind::CredentialFile => return None,
        })
    }
}

/// One secret found in a text: its kind and its byte range in the text (for a token the token,
/// for a URL the whole URL, for a private key its header line).
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

/// Finds every secret-shaped value in `text`, in order of position. Placeholders (`AKIA…EXAMPLE`,
/// `ghp_xxxxxxxx…`) are skipped.
pub fn find_secrets(text: &str) -> Vec<SecretMatch> {
    rampart_secrets::scan(text)
        .matches
        .iter()
        .filter_map(|found| {
            let kind = SecretKind::of(found)?;
            let (start, end) = match kind {
                SecretKind::PrivateKey => (found.range.start, found.range.start + header_len(&text[found.range.clone()])),
                SecretKind::UrlCredentials => (found.range.start, found.range.end),
                _ => (found.secret.start, found.secret.end),
            };
            Some(SecretMatch { kind, start, end })
        })
        .collect()
}

/// The length of a key block's first line (`-----BEGIN … PRIVATE KEY-----`, or PuTTY's
/// `PuTTY-User-Key-File-3: ssh-ed25519`), which is all a report shows of a key. Inside a JSON
/// string the header is followed by `\n`, not a line break.
fn header_len(block: &str) -> usize {
    let from_begin = block.find("-----BEGIN ").unwrap_or(0);
    match block[from_begin..].strip_prefix("-----BEGIN ").and_then(|rest| rest.find("-----")) {
        Some(label_end) => from_begin + "-----BEGIN ".len() + label_end + "-----".len(),
        None => block.find(['\n', '\\', '"']).unwrap_or(block.len()),
    }
}

/// `-----BEGIN … PRIVATE KEY-----` and `-----BEGIN PGP PRIVATE KEY BLOCK-----` headers (and other
/// private key formats the scanner knows). The match covers the header line only.
pub fn find_private_keys(text: &str) -> Vec<SecretMatch> {
    // Every private key the scanner knows starts with one of these: most texts have neither, and
    // checking costs far less than a full scan (rules ask this of every word of every RUN).
    if !text.contains("-----BEGIN") && !text.contains("PuTTY-User-Key-File-") {
        return Vec::new();
    }
    find_secrets(text).into_iter().filter(|m| m.kind == SecretKind::PrivateKey).collect()
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
    // A URL with a password has `://` and `@`; without them there is nothing to scan for.
    if !(text.contains("://") && text.contains('@')) {
        return Vec::new();
    }
    rampart_secrets::scan(text)
        .matches
        .iter()
        .filter(|found| found.rule.kind == RuleKind::UrlCredentials)
        .filter_map(|found| {
            let url = text.get(found.range.clone())?;
            let user_start = found.range.start + url.find("://")? + 3;
            Some(UrlUserinfo {
                user: text.get(user_start..found.secret.start.checked_sub(1)?)?,
                password: text.get(found.secret.clone())?,
                start: found.range.start,
                end: found.range.end,
                password_start: found.secret.start,
            })
        })
        .collect()
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

    /// `find_private_keys` and `url_userinfos` skip texts without these literals; every scanner
    /// rule of those kinds must need one, or the shortcut would hide a secret.
    #[test]
    fn shortcuts_cover_every_scanner_rule() {
        for rule in rampart_secrets::RULES {
            match rule.kind {
                RuleKind::PrivateKey => assert!(
                    rule.pattern.contains("-----BEGIN") || rule.pattern.contains("PuTTY-User-Key-File-"),
                    "{}: {}",
                    rule.id,
                    rule.pattern
                ),
                RuleKind::UrlCredentials => {
                    assert!(rule.pattern.contains("://") && rule.pattern.contains('@'), "{}: {}", rule.id, rule.pattern)
                }
                _ => {}
            }
        }
        assert_eq!(find_private_keys("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n").len(), 1);
        assert_eq!(url_userinfos("postgres://app:Zq8v2LkP9wXy@db.internal:5432/app").len(), 1);
    }

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
