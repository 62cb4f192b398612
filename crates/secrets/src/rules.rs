//! The rule table: one entry per credential shape, written from the token formats the issuing
//! services document (prefixes, lengths, alphabets). Each rule names the keywords the prefilter
//! looks for; a rule's regex only runs near a line where one of them appears.
//!
//! Conventions for patterns:
//! - a named group `secret` marks the secret inside a longer match; without it the whole match
//!   is the secret;
//! - token rules (`RuleKind::Token`) are checked for word edges in code (the secret must not
//!   touch an ASCII letter or digit on either side) rather than with `\b`, which counts `_` as a
//!   word character and would consume the separator between two adjacent tokens;
//! - keywords are matched ASCII-case-insensitively and must occur inside (or, for assignment
//!   rules, on the same line as) every match.

use crate::validate;

/// What a rule recognises, which decides how a caller words and filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// A token issued by a service, recognisable by its own shape (a prefix, a checksum part).
    Token,
    /// A service credential recognised only by the name it is assigned to
    /// (`TWILIO_AUTH_TOKEN = <32 hex>`).
    Assignment,
    /// A PEM, OpenSSH, PGP or PuTTY private key.
    PrivateKey,
    /// A JSON Web Token.
    Jwt,
    /// A URL whose authority carries a password.
    UrlCredentials,
    /// A secret-named key with a random-looking value (`password = "..."`), judged by entropy.
    Generic,
    /// A line of a credential file format (.netrc, .pgpass, htpasswd, Docker `auths`, Maven).
    CredentialFile,
}

/// One detection rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable identifier, kebab-case, family first (`github-pat`).
    pub id: &'static str,
    /// The service or format, for grouping (`github`).
    pub family: &'static str,
    /// What a match is, with an article: reads as "… holds a GitHub personal access token".
    pub description: &'static str,
    /// Lower-case strings of which at least one must appear for the regex to run.
    pub keywords: &'static [&'static str],
    pub pattern: &'static str,
    pub kind: RuleKind,
    /// Minimum Shannon entropy (bits per character) of the secret; 0 for none.
    pub min_entropy: f32,
    /// How many bytes past the end of the keyword's line a match may reach (0: same line).
    pub reach: usize,
    /// Extra validation of the secret's bytes (a checksum, a decoded `user:password`).
    pub check: Option<fn(&[u8]) -> bool>,
}

/// Rules are identified by their id.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl Eq for Rule {}

const fn token(
    id: &'static str,
    family: &'static str,
    description: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
) -> Rule {
    Rule { id, family, description, keywords, pattern, kind: RuleKind::Token, min_entropy: 0.0, reach: 0, check: None }
}

const fn assigned(
    id: &'static str,
    family: &'static str,
    description: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
    min_entropy: f32,
) -> Rule {
    Rule { id, family, description, keywords, pattern, kind: RuleKind::Assignment, min_entropy, reach: 0, check: None }
}

const fn file_line(
    id: &'static str,
    family: &'static str,
    description: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
) -> Rule {
    Rule {
        id,
        family,
        description,
        keywords,
        pattern,
        kind: RuleKind::CredentialFile,
        min_entropy: 0.0,
        reach: 0,
        check: None,
    }
}

/// `NAME ... = value` where NAME matches `$names` (case-insensitively) and the value matches
/// `$value` (case-sensitively), quoted or not, in shell, YAML, JSON, INI or code.
macro_rules! assign {
    ($names:literal, $value:literal) => {
        concat!(
            r#"(?i)(?:"#,
            $names,
            r#")[a-z0-9_.\-]{0,25}?["']?\s{0,5}(?::=|=>|\?=|=|:)\s{0,5}["']?(?P<secret>(?-i:"#,
            $value,
            r#"))(?:[\s"'`;,)\]}<>&\\|]|$)"#
        )
    };
}

/// Every rule, specific ones first (when two rules claim the same secret the earlier wins).
pub static RULES: &[Rule] = &[
    // ---- AWS
    token(
        "aws-access-key-id",
        "aws",
        "an AWS access key id",
        &["akia", "asia", "abia", "acca", "a3t"],
        r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
    ),
    assigned(
        "aws-secret-access-key",
        "aws",
        "an AWS secret access key",
        &["aws", "secret_access_key", "secretaccesskey"],
        assign!(r"aws[_.\-]?(?:secret)?[_.\-]?(?:access)?[_.\-]?key|secret[_.\-]?access[_.\-]?key", r"[A-Za-z0-9/+=]{40}"),
        3.0,
    ),
    assigned(
        "aws-session-token",
        "aws",
        "an AWS session token",
        &["session_token", "sessiontoken", "security_token"],
        assign!(r"aws[_.\-]?(?:session|security)[_.\-]?token", r"[A-Za-z0-9/+=]{100,1200}"),
        3.5,
    ),
    token(
        "aws-mws-key",
        "aws",
        "an Amazon MWS auth token",
        &["amzn.mws."],
        r"amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ),
    // ---- Google Cloud
    token("gcp-api-key", "gcp", "a Google API key", &["aiza"], r"AIza[0-9A-Za-z_\-]{35}"),
    Rule {
        id: "gcp-service-account-key",
        family: "gcp",
        description: "a Google Cloud service account key",
        keywords: &["service_account"],
        pattern: r#"(?s)"type"\s*:\s*"service_account".{0,2000}?"private_key"\s*:\s*"(?P<secret>-----BEGIN[^"]{64,8192})""#,
        kind: RuleKind::PrivateKey,
        min_entropy: 0.0,
        reach: 8192,
        check: None,
    },
    token("gcp-oauth-client-secret", "gcp", "a Google OAuth client secret", &["gocspx-"], r"GOCSPX-[A-Za-z0-9_\-]{28}"),
    token("google-oauth-access-token", "gcp", "a Google OAuth access token", &["ya29."], r"ya29\.[0-9A-Za-z_\-]{60,300}"),
    // ---- Azure
    assigned(
        "azure-storage-account-key",
        "azure",
        "an Azure storage account key",
        &["accountkey"],
        assign!(r"accountkey", r"[A-Za-z0-9+/]{86}=="),
        4.0,
    ),
    Rule {
        id: "azure-sas-token",
        family: "azure",
        description: "an Azure shared access signature",
        keywords: &["sig="],
        pattern: r"sv=\d{4}-\d\d-\d\d[^\s\x22'<>]{0,300}?[?&]sig=(?P<secret>[A-Za-z0-9%+/]{40,120}(?:=|%3D){0,2})",
        kind: RuleKind::Token,
        min_entropy: 3.5,
        reach: 0,
        check: None,
    },
    Rule {
        id: "azure-sas-token-leading",
        family: "azure",
        description: "an Azure shared access signature",
        keywords: &["sig="],
        pattern: r"(?:^|[?&\s\x22'])sig=(?P<secret>[A-Za-z0-9%+/]{40,120}(?:=|%3D){0,2})[^\s\x22'<>]{0,300}?[?&]sv=\d{4}-\d\d-\d\d",
        kind: RuleKind::Token,
        min_entropy: 3.5,
        reach: 0,
        check: None,
    },
    token(
        "azure-entra-client-secret",
        "azure",
        "an Azure Entra ID client secret",
        &["q~"],
        r"[A-Za-z0-9_~.\-]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}",
    ),
    token(
        "azure-app-config-connection-string",
        "azure",
        "an Azure App Configuration connection string",
        &["azconfig.io"],
        r"Endpoint=https://[A-Za-z0-9\-]+\.azconfig\.io;Id=[^;\s]{2,64};Secret=(?P<secret>[A-Za-z0-9+/=]{30,120})",
    ),
    token(
        "azure-ai-services-key",
        "azure",
        "an Azure AI services key",
        &["jqqj99"],
        r"[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{18}ACOG[A-Za-z0-9]{4}",
    ),
    token(
        "azure-container-registry-key",
        "azure",
        "an Azure container registry key",
        &["jqqj99"],
        r"[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{18}AZCR[A-Za-z0-9]{4}",
    ),
    assigned(
        "azure-container-registry-password",
        "azure",
        "an Azure container registry password",
        &["azurecr.io"],
        r#"(?i)azurecr\.io[^\n]{0,60}?password["']?\s{0,5}[:=]\s{0,5}["']?(?P<secret>(?-i:[A-Za-z0-9+/=]{32,88}))"#,
        3.0,
    ),
    assigned(
        "azure-devops-pat",
        "azure",
        "an Azure DevOps personal access token",
        &["devops", "ado_"],
        assign!(r"azure[_.\-]?devops|devops|ado", r"[a-z2-7]{52}|[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}"),
        3.5,
    ),
    assigned(
        "azure-client-secret",
        "azure",
        "an Azure client secret",
        &["azure"],
        assign!(r"azure[_.\-]?client[_.\-]?secret|arm[_.\-]?client[_.\-]?secret", r"[A-Za-z0-9_~.\-]{34,40}"),
        3.5,
    ),
    // ---- GitHub
    token("github-pat", "github", "a GitHub personal access token", &["ghp_"], r"ghp_[0-9A-Za-z]{36}"),
    token("github-oauth-token", "github", "a GitHub OAuth access token", &["gho_"], r"gho_[0-9A-Za-z]{36}"),
    token("github-user-to-server-token", "github", "a GitHub user-to-server token", &["ghu_"], r"ghu_[0-9A-Za-z]{36}"),
    token("github-server-to-server-token", "github", "a GitHub server-to-server token", &["ghs_"], r"ghs_[0-9A-Za-z]{36}"),
    token(
        "github-app-installation-token",
        "github",
        "a GitHub App installation token",
        &["ghs_"],
        r"ghs_[0-9]{1,12}_eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
    ),
    token("github-refresh-token", "github", "a GitHub refresh token", &["ghr_"], r"ghr_[0-9A-Za-z]{36,76}"),
    token(
        "github-fine-grained-pat",
        "github",
        "a GitHub fine-grained personal access token",
        &["github_pat_"],
        r"github_pat_[0-9A-Za-z_]{50,120}",
    ),
    // ---- GitLab
    token("gitlab-pat", "gitlab", "a GitLab personal access token", &["glpat-"], r"glpat-[0-9A-Za-z_\-]{20,64}"),
    token("gitlab-deploy-token", "gitlab", "a GitLab deploy token", &["gldt-"], r"gldt-[0-9A-Za-z_\-]{20,64}"),
    token("gitlab-runner-token", "gitlab", "a GitLab runner authentication token", &["glrt-"], r"glrt-[0-9A-Za-z_\-]{20,64}"),
    token(
        "gitlab-runner-registration-token",
        "gitlab",
        "a GitLab runner registration token",
        &["gr1348941"],
        r"GR1348941[0-9A-Za-z_\-]{20}",
    ),
    token("gitlab-pipeline-trigger-token", "gitlab", "a GitLab pipeline trigger token", &["glptt-"], r"glptt-[0-9a-f]{40}"),
    token("gitlab-cicd-job-token", "gitlab", "a GitLab CI/CD job token", &["glcbt-"], r"glcbt-[0-9a-fA-F]{1,5}_[0-9A-Za-z_\-]{20}"),
    token("gitlab-feed-token", "gitlab", "a GitLab feed token", &["glft-"], r"glft-[0-9A-Za-z_\-]{20}"),
    token("gitlab-incoming-mail-token", "gitlab", "a GitLab incoming mail token", &["glimt-"], r"glimt-[0-9A-Za-z_\-]{25}"),
    token("gitlab-agent-token", "gitlab", "a GitLab Kubernetes agent token", &["glagent-"], r"glagent-[0-9A-Za-z_\-]{50}"),
    token("gitlab-oauth-secret", "gitlab", "a GitLab OAuth application secret", &["gloas-"], r"gloas-[0-9A-Za-z_\-]{64}"),
    token("gitlab-scim-token", "gitlab", "a GitLab SCIM token", &["glsoat-"], r"glsoat-[0-9A-Za-z_\-]{20}"),
    token("gitlab-feature-flag-token", "gitlab", "a GitLab feature flag client token", &["glffct-"], r"glffct-[0-9A-Za-z_\-]{20}"),
    // ---- Slack
    token("slack-config-token", "slack", "a Slack configuration token", &["xoxe.xox"], r"xoxe\.xox[bp]-\d-[A-Za-z0-9]{160,170}"),
    token("slack-config-refresh-token", "slack", "a Slack configuration refresh token", &["xoxe-"], r"xoxe-\d-[A-Za-z0-9]{140,150}"),
    token("slack-token", "slack", "a Slack token", &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"], r"xox[bpars]-[0-9A-Za-z\-]{10,200}"),
    token("slack-app-token", "slack", "a Slack app-level token", &["xapp-"], r"xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-z0-9]{60,70}"),
    token(
        "slack-webhook",
        "slack",
        "a Slack incoming webhook URL",
        &["hooks.slack.com"],
        r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9_]{8,12}/[A-Za-z0-9_]{8,12}/[A-Za-z0-9_]{20,30}|[A-Za-z0-9+/]{43,56})",
    ),
    // ---- payments and commerce
    token("stripe-live-key", "stripe", "a Stripe live secret key", &["sk_live_", "rk_live_"], r"[sr]k_live_[0-9A-Za-z]{20,247}"),
    token("stripe-webhook-secret", "stripe", "a Stripe webhook signing secret", &["whsec_"], r"whsec_[0-9A-Za-z]{32,64}"),
    token("square-access-token", "square", "a Square access token", &["sq0atp-", "eaaa"], r"(?:EAAA[A-Za-z0-9_\-]{60}|sq0atp-[A-Za-z0-9_\-]{22})"),
    token("square-oauth-secret", "square", "a Square OAuth secret", &["sq0csp-"], r"sq0csp-[A-Za-z0-9_\-]{43}"),
    token("shopify-access-token", "shopify", "a Shopify access token", &["shpat_"], r"shpat_[a-fA-F0-9]{32}"),
    token("shopify-custom-app-token", "shopify", "a Shopify custom app access token", &["shpca_"], r"shpca_[a-fA-F0-9]{32}"),
    token("shopify-private-app-token", "shopify", "a Shopify private app access token", &["shppa_"], r"shppa_[a-fA-F0-9]{32}"),
    token("shopify-shared-secret", "shopify", "a Shopify shared secret", &["shpss_"], r"shpss_[a-fA-F0-9]{32}"),
    token("flutterwave-secret-key", "flutterwave", "a Flutterwave secret key", &["flwseck"], r"FLWSECK(?:_TEST)?-[a-hA-H0-9]{32}-X"),
    token("shippo-api-token", "shippo", "a Shippo API token", &["shippo_"], r"shippo_live_[a-fA-F0-9]{40}"),
    token("easypost-api-key", "easypost", "an EasyPost API key", &["ezak"], r"EZAK[A-Za-z0-9]{54}"),
    token("duffel-api-token", "duffel", "a Duffel API token", &["duffel_"], r"duffel_live_[A-Za-z0-9_=\-]{43}"),
    // ---- messaging and mail
    assigned(
        "twilio-api-key",
        "twilio",
        "a Twilio API key or auth token",
        &["twilio"],
        assign!(r"twilio", r"SK[0-9a-fA-F]{32}|[0-9a-f]{32}"),
        3.0,
    ),
    token("sendgrid-api-key", "sendgrid", "a SendGrid API key", &["sg."], r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"),
    token("sendinblue-api-key", "brevo", "a Brevo (Sendinblue) API key", &["xkeysib-"], r"xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}"),
    assigned(
        "mailgun-api-key",
        "mailgun",
        "a Mailgun API key",
        &["mailgun"],
        assign!(r"mailgun", r"key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}"),
        3.0,
    ),
    token("mailchimp-api-key", "mailchimp", "a Mailchimp API key", &["-us"], r"[0-9a-f]{32}-us[0-9]{1,2}"),
    token("postman-api-key", "postman", "a Postman API key", &["pmak-"], r"PMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}"),
    token(
        "telegram-bot-token",
        "telegram",
        "a Telegram bot token",
        &[":aa"],
        r"(?:^|[^0-9])(?P<secret>[0-9]{8,10}:AA[0-9A-Za-z_\-]{33})",
    ),
    assigned(
        "discord-bot-token",
        "discord",
        "a Discord bot token",
        &["discord"],
        assign!(r"discord", r"[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}"),
        3.5,
    ),
    token(
        "discord-webhook",
        "discord",
        "a Discord webhook URL",
        &["discord.com/api/webhooks", "discordapp.com/api/webhooks"],
        r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/(?P<secret>[A-Za-z0-9_\-]{60,70})",
    ),
    token(
        "microsoft-teams-webhook",
        "microsoft",
        "a Microsoft Teams incoming webhook URL",
        &["webhook.office.com"],
        r"https://[a-z0-9]+\.webhook\.office\.com/webhookb2/[a-z0-9\-]{36}@[a-z0-9\-]{36}/IncomingWebhook/(?P<secret>[a-z0-9]{32})/[a-z0-9\-]{36}",
    ),
    // ---- package registries
    token("npm-access-token", "npm", "an npm access token", &["npm_"], r"npm_[0-9A-Za-z]{36}"),
    Rule {
        id: "npmrc-auth-token",
        family: "npm",
        description: "an npm registry token in .npmrc",
        keywords: &["_authtoken", "_auth=", "_password="],
        // `//host/:_authToken=...`, or `_auth=` / `_password=` at the start of a line.
        pattern: r"(?im)(?:^\s*|:)(?:_authToken|_auth|_password)\s*=\s*(?P<secret>[^\s$\x22'{}]{16,512})",
        kind: RuleKind::CredentialFile,
        min_entropy: 3.0,
        reach: 0,
        check: None,
    },
    token("pypi-upload-token", "pypi", "a PyPI API token", &["pypi-ageichlwas5vcmc"], r"pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_\-]{50,300}"),
    token(
        "pypi-test-upload-token",
        "pypi",
        "a TestPyPI API token",
        &["pypi-agendgvzdc5wexbplm9yzw"],
        r"pypi-AgENdGVzdC5weXBpLm9yZw[0-9A-Za-z_\-]{50,300}",
    ),
    token("rubygems-api-token", "rubygems", "a RubyGems API token", &["rubygems_"], r"rubygems_[0-9a-f]{48}"),
    token("nuget-api-key", "nuget", "a NuGet API key", &["oy2"], r"oy2[a-z0-9]{43}"),
    token("clojars-api-token", "clojars", "a Clojars deploy token", &["clojars_"], r"CLOJARS_[a-z0-9]{60}"),
    token(
        "private-packagist-token",
        "packagist",
        "a Private Packagist token",
        &["packagist_"],
        r"packagist_[ou][ru]t_[a-fA-F0-9]{68}",
    ),
    token("artifactory-api-key", "jfrog", "a JFrog Artifactory API key", &["akcp"], r"AKCp[A-Za-z0-9]{69}"),
    token(
        "artifactory-reference-token",
        "jfrog",
        "a JFrog Artifactory reference token",
        &["cmvmdgtuojaxoj"],
        r"cmVmdGtuOjAxOj[A-Za-z0-9]{50,64}",
    ),
    // ---- containers and infrastructure
    token("dockerhub-pat", "docker", "a Docker Hub access token", &["dckr_pat_"], r"dckr_pat_[0-9A-Za-z_\-]{27,64}"),
    token("dockerhub-org-token", "docker", "a Docker Hub organization access token", &["dckr_oat_"], r"dckr_oat_[0-9A-Za-z_\-]{27,64}"),
    Rule {
        id: "docker-config-auth",
        family: "docker",
        description: "a registry password in Docker's config.json auths",
        keywords: &["\"auth\""],
        pattern: r#""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{6,1024}={0,2})""#,
        kind: RuleKind::CredentialFile,
        min_entropy: 0.0,
        reach: 0,
        check: Some(validate::is_base64_user_password),
    },
    file_line(
        "docker-config-identity-token",
        "docker",
        "a registry identity token in Docker's config.json",
        &["identitytoken"],
        r#""identitytoken"\s*:\s*"(?P<secret>[^"\s]{16,4096})""#,
    ),
    file_line(
        "kubernetes-dockerconfig-secret",
        "docker",
        "registry credentials in a Kubernetes Secret (.dockerconfigjson)",
        &[".dockerconfigjson", ".dockercfg"],
        r#"\.docker(?:configjson|cfg)["']?\s*:\s*["']?(?P<secret>[A-Za-z0-9+/]{8,}={0,2})"#,
    ),
    token(
        "symfony-default-secret",
        "symfony",
        "Symfony's published default secret (anyone can forge signed data)",
        &["thistokenisnotsosecret", "thisezplatformtokenisnotsosecret"],
        r"ThisTokenIsNotSoSecretChangeIt|ThisEzPlatformTokenIsNotSoSecret_PleaseChangeIt",
    ),
    token("heroku-api-key-v2", "heroku", "a Heroku API key", &["hrku-"], r"HRKU-AA[0-9A-Za-z_\-]{58}"),
    assigned("heroku-api-key", "heroku", "a Heroku API key", &["heroku"], assign!(r"heroku", r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"), 3.0),
    token("digitalocean-pat", "digitalocean", "a DigitalOcean personal access token", &["dop_v1_"], r"dop_v1_[a-f0-9]{64}"),
    token("digitalocean-oauth-token", "digitalocean", "a DigitalOcean OAuth token", &["doo_v1_"], r"doo_v1_[a-f0-9]{64}"),
    token("digitalocean-refresh-token", "digitalocean", "a DigitalOcean refresh token", &["dor_v1_"], r"dor_v1_[a-f0-9]{64}"),
    token("vault-service-token", "hashicorp", "a HashiCorp Vault service token", &["hvs."], r"hvs\.[A-Za-z0-9_\-]{90,120}"),
    token("vault-batch-token", "hashicorp", "a HashiCorp Vault batch token", &["hvb."], r"hvb\.[A-Za-z0-9_\-]{138,300}"),
    assigned(
        "vault-legacy-token",
        "hashicorp",
        "a HashiCorp Vault token",
        &["vault"],
        assign!(r"vault[_.\-]?token", r"s\.[A-Za-z0-9]{24}"),
        3.0,
    ),
    token(
        "terraform-cloud-token",
        "hashicorp",
        "a Terraform Cloud API token",
        &[".atlasv1."],
        r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=\-]{60,70}",
    ),
    token("doppler-token", "doppler", "a Doppler token", &["dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit."], r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}"),
    token("pulumi-access-token", "pulumi", "a Pulumi access token", &["pul-"], r"pul-[a-f0-9]{40}"),
    token("fly-access-token", "fly", "a Fly.io access token", &["fo1_", "fm1a_", "fm1r_", "fm2_"], r"(?:fo1_[A-Za-z0-9_\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})"),
    token("planetscale-token", "planetscale", "a PlanetScale token or password", &["pscale_"], r"pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.\-]{32,64}"),
    token("databricks-token", "databricks", "a Databricks access token", &["dapi"], r"dapi[a-f0-9]{32}(?:-\d)?"),
    token("dynatrace-token", "dynatrace", "a Dynatrace API token", &["dt0c01."], r"dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}"),
    token("harness-token", "harness", "a Harness access token", &["pat.", "sat."], r"(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[0-9a-f]{24}\.[A-Za-z0-9]{20}"),
    token("infracost-api-token", "infracost", "an Infracost API token", &["ico-"], r"ico-[A-Za-z0-9]{32}"),
    token("render-api-key", "render", "a Render API key", &["rnd_"], r"rnd_[A-Za-z0-9]{32}"),
    token("netlify-pat", "netlify", "a Netlify personal access token", &["nfp_"], r"nfp_[A-Za-z0-9]{36}"),
    token("scalingo-api-token", "scalingo", "a Scalingo API token", &["tk-us-"], r"tk-us-[A-Za-z0-9_\-]{48}"),
    token("supabase-access-token", "supabase", "a Supabase access token", &["sbp_"], r"sbp_[a-f0-9]{40}"),
    token("supabase-secret-key", "supabase", "a Supabase secret key", &["sb_secret_"], r"sb_secret_[A-Za-z0-9_\-]{31,64}"),
    token(
        "cloudflare-origin-ca-key",
        "cloudflare",
        "a Cloudflare Origin CA key",
        &["v1.0-"],
        r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",
    ),
    assigned(
        "cloudflare-api-token",
        "cloudflare",
        "a Cloudflare API token or key",
        &["cloudflare", "cf_api"],
        assign!(r"cloudflare|cf_api", r"[A-Za-z0-9_\-]{40}|[a-f0-9]{37}"),
        3.5,
    ),
    assigned(
        "kubernetes-client-key-data",
        "kubernetes",
        "a Kubernetes client key in a kubeconfig",
        &["client-key-data"],
        r"client-key-data:\s*(?P<secret>[A-Za-z0-9+/]{64,}={0,2})",
        4.0,
    ),
    // ---- observability and developer services
    assigned(
        "datadog-api-key",
        "datadog",
        "a Datadog API or application key",
        &["datadog", "dd_api", "dd_app", "dd-api", "dd-app"],
        assign!(r"datadog|dd[_\-]api|dd[_\-]app", r"[a-f0-9]{40}|[a-f0-9]{32}"),
        3.0,
    ),
    token("newrelic-user-api-key", "newrelic", "a New Relic user API key", &["nrak-"], r"NRAK-[A-Z0-9]{27}"),
    token("newrelic-insert-key", "newrelic", "a New Relic insert key", &["nrii-"], r"NRII-[A-Za-z0-9_\-]{32}"),
    token("newrelic-browser-key", "newrelic", "a New Relic browser API key", &["nrjs-"], r"NRJS-[a-f0-9]{19}"),
    token("sentry-org-token", "sentry", "a Sentry organization token", &["sntrys_"], r"sntrys_eyJ[A-Za-z0-9+/=_\-]{60,300}"),
    token("sentry-user-token", "sentry", "a Sentry user token", &["sntryu_"], r"sntryu_[a-f0-9]{64}"),
    token("grafana-api-key", "grafana", "a Grafana API key", &["eyjrijoi"], r"eyJrIjoi[A-Za-z0-9]{70,400}={0,2}"),
    token("grafana-cloud-token", "grafana", "a Grafana Cloud token", &["glc_"], r"glc_[A-Za-z0-9+/]{32,400}={0,2}"),
    token("grafana-service-account-token", "grafana", "a Grafana service account token", &["glsa_"], r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    token("atlassian-api-token", "atlassian", "an Atlassian API token", &["atatt3"], r"ATATT3[A-Za-z0-9_\-=]{186}"),
    assigned(
        "atlassian-legacy-api-token",
        "atlassian",
        "an Atlassian API token",
        &["atlassian", "confluence", "jira"],
        assign!(r"atlassian|confluence|jira", r"[A-Za-z0-9]{24}"),
        3.5,
    ),
    token("linear-api-key", "linear", "a Linear API key", &["lin_api_"], r"lin_api_[A-Za-z0-9]{40}"),
    token("notion-integration-token", "notion", "a Notion integration token", &["ntn_"], r"ntn_[0-9]{11}[A-Za-z0-9]{35}"),
    assigned(
        "notion-legacy-token",
        "notion",
        "a Notion integration token",
        &["notion"],
        assign!(r"notion", r"secret_[A-Za-z0-9]{43}"),
        3.5,
    ),
    token("figma-pat", "figma", "a Figma personal access token", &["figd_"], r"figd_[A-Za-z0-9_\-]{40}"),
    token("airtable-pat", "airtable", "an Airtable personal access token", &["pat"], r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}"),
    token("contentful-pat", "contentful", "a Contentful personal access token", &["cfpat-"], r"CFPAT-[A-Za-z0-9_\-]{43}"),
    token("typeform-pat", "typeform", "a Typeform personal access token", &["tfp_"], r"tfp_[A-Za-z0-9_.=\-]{59}"),
    token("readme-api-token", "readme", "a ReadMe API token", &["rdme_"], r"rdme_[a-z0-9]{70}"),
    token("sourcegraph-access-token", "sourcegraph", "a Sourcegraph access token", &["sgp_"], r"sgp_(?:[a-f0-9]{16}|local)_[a-f0-9]{40}"),
    token("prefect-api-key", "prefect", "a Prefect API key", &["pnu_"], r"pnu_[A-Za-z0-9]{36}"),
    token("frameio-api-token", "frameio", "a Frame.io API token", &["fio-u-"], r"fio-u-[A-Za-z0-9_=\-]{64}"),
    token("mapbox-secret-token", "mapbox", "a Mapbox secret token", &["sk.eyj"], r"sk\.eyJ[A-Za-z0-9_\-]{50,120}\.[A-Za-z0-9_\-]{20,40}"),
    token("intra42-client-secret", "intra42", "a 42 Intra client secret", &["s-s4t2"], r"s-s4t2(?:ud|af)-[a-f0-9]{64}"),
    assigned(
        "okta-api-token",
        "okta",
        "an Okta API token",
        &["okta"],
        assign!(r"okta", r"00[A-Za-z0-9_\-]{40}"),
        3.5,
    ),
    assigned(
        "snyk-api-token",
        "snyk",
        "a Snyk API token",
        &["snyk"],
        assign!(r"snyk", r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        3.0,
    ),
    assigned(
        "dropbox-access-token",
        "dropbox",
        "a Dropbox access token",
        &["dropbox"],
        assign!(r"dropbox", r"sl\.[A-Za-z0-9_=\-]{130,200}|[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=\-]{43}"),
        3.5,
    ),
    assigned(
        "alibaba-secret-key",
        "alibaba",
        "an Alibaba Cloud access key secret",
        &["alibaba", "aliyun", "alicloud"],
        assign!(r"alibaba|aliyun|alicloud", r"[A-Za-z0-9]{30}"),
        3.5,
    ),
    token("alibaba-access-key-id", "alibaba", "an Alibaba Cloud access key id", &["ltai"], r"LTAI[A-Za-z0-9]{20}"),
    token("onepassword-service-account-token", "1password", "a 1Password service account token", &["ops_eyj"], r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}"),
    token(
        "onepassword-secret-key",
        "1password",
        "a 1Password account secret key",
        &["a3-"],
        r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
    ),
    token("age-secret-key", "age", "an age secret key", &["age-secret-key-1"], r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
    // ---- AI services
    token(
        "openai-api-key",
        "openai",
        "an OpenAI API key",
        &["t3blbkfj"],
        // Every OpenAI key carries the base64 of "OpenAI" (T3BlbkFJ) in its middle; the legacy form has
        // no dashes before it (which keeps `sk-ant-…` and `sk-or-v1-…` out).
        r"sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,74}|service-[A-Za-z0-9\-]{1,40}-[A-Za-z0-9_\-]{20,74}|[A-Za-z0-9]{20,48})T3BlbkFJ[A-Za-z0-9_\-]{20,74}",
    ),
    token("openai-ephemeral-key", "openai", "an OpenAI realtime client secret", &["ek_"], r"ek_[0-9a-f]{32}"),
    token("anthropic-api-key", "anthropic", "an Anthropic API key", &["sk-ant-"], r"sk-ant-(?:api|admin|sid|oat)[0-9]{2}-[A-Za-z0-9_\-]{40,300}"),
    token("huggingface-token", "huggingface", "a Hugging Face token", &["hf_"], r"hf_[A-Za-z0-9]{34}"),
    token("huggingface-org-token", "huggingface", "a Hugging Face organization token", &["api_org_"], r"api_org_[A-Za-z]{34}"),
    token("groq-api-key", "groq", "a Groq API key", &["gsk_"], r"gsk_[A-Za-z0-9]{52}"),
    token("perplexity-api-key", "perplexity", "a Perplexity API key", &["pplx-"], r"pplx-[A-Za-z0-9]{48}"),
    token("xai-api-key", "xai", "an xAI API key", &["xai-"], r"xai-[A-Za-z0-9]{80}"),
    token("replicate-api-token", "replicate", "a Replicate API token", &["r8_"], r"r8_[A-Za-z0-9]{37}"),
    token("langsmith-api-key", "langsmith", "a LangSmith API key", &["lsv2_"], r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),
    assigned(
        "cohere-api-key",
        "cohere",
        "a Cohere API key",
        &["cohere", "co_api"],
        assign!(r"cohere|co_api", r"[A-Za-z0-9]{40}"),
        3.5,
    ),
    assigned(
        "mistral-api-key",
        "mistral",
        "a Mistral API key",
        &["mistral"],
        assign!(r"mistral", r"[A-Za-z0-9]{32}"),
        3.5,
    ),
    // ---- keys, tokens and credentials of no one service
    Rule {
        id: "private-key",
        family: "private-key",
        description: "a private key",
        keywords: &["-----begin"],
        pattern: r"-----BEGIN[ A-Z0-9]{0,40} PRIVATE KEY(?: BLOCK)?-----|-----BEGIN PRIVATE KEY-----",
        kind: RuleKind::PrivateKey,
        min_entropy: 0.0,
        reach: 0,
        check: None,
    },
    Rule {
        id: "putty-private-key",
        family: "private-key",
        description: "a PuTTY private key",
        keywords: &["putty-user-key-file-"],
        pattern: r"PuTTY-User-Key-File-[23]: [a-z0-9\-]{3,40}",
        kind: RuleKind::PrivateKey,
        min_entropy: 0.0,
        reach: 0,
        check: None,
    },
    Rule {
        id: "jwt",
        family: "jwt",
        description: "a JSON Web Token",
        keywords: &["eyj"],
        pattern: r"eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
        kind: RuleKind::Jwt,
        min_entropy: 0.0,
        reach: 0,
        check: None,
    },
    Rule {
        id: "url-credentials",
        family: "url",
        description: "a URL with a password",
        keywords: &["://"],
        // The password may hold ':' and '@' (the host is after the last '@'); the user may not
        // hold ':'. The match runs to the end of the URL so callers can show it redacted.
        pattern: r"[A-Za-z][A-Za-z0-9+.\-]{0,30}://[^:/?#@\s\x22'`<>]*:(?P<secret>[^/?#\s\x22'`<>]+)@[^/?#@\s\x22'`<>]+[^\s\x22'`]*",
        kind: RuleKind::UrlCredentials,
        min_entropy: 0.0,
        reach: 0,
        check: None,
    },
    assigned(
        "basic-auth-header",
        "http-auth",
        "an HTTP basic authorization header",
        &["basic "],
        r"(?i)authorization\x22?\s*[:=]\s*\x22?basic\s+(?P<secret>(?-i:[A-Za-z0-9+/]{12,512}={0,2}))",
        3.0,
    ),
    assigned(
        "bearer-auth-header",
        "http-auth",
        "an HTTP bearer token",
        &["bearer "],
        r"(?i)authorization\x22?\s*[:=]\s*\x22?bearer\s+(?P<secret>(?-i:[A-Za-z0-9._~+/\-]{20,2048}={0,2}))",
        3.5,
    ),
    // ---- credential file formats
    Rule {
        id: "netrc-password",
        family: "netrc",
        description: "a password in a netrc file",
        keywords: &["machine"],
        pattern: r"(?m)^\s*machine\s+\S+\s+(?:login\s+\S+\s+)?password\s+(?P<secret>\S+)",
        kind: RuleKind::CredentialFile,
        min_entropy: 0.0,
        reach: 512,
        check: None,
    },
    file_line(
        "pgpass-password",
        "pgpass",
        "a password in a PostgreSQL password file",
        &[":5432:", ":*:"],
        // Five fields; a colon inside the password is escaped (`\:`), so an unescaped one means
        // another format (/etc/passwd and /etc/shadow lines have seven and nine fields).
        r"(?m)^[^:\s#]+:(?:[0-9]{1,5}|\*):[^:\s]+:[^:\s]+:(?P<secret>(?:[^\s:\\]|\\.)+)$",
    ),
    file_line(
        "htpasswd-hash",
        "htpasswd",
        "a password hash in an htpasswd file",
        &["$apr1$", "$2y$", "$2a$", "$2b$", "{sha}"],
        r"(?m)^[A-Za-z0-9._@\-]{1,64}:(?P<secret>\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\$2[aby]\$[0-9]{2}\$[./0-9A-Za-z]{53}|\{SHA\}[A-Za-z0-9+/]{27}=)\s*$",
    ),
    file_line(
        "maven-settings-password",
        "maven",
        "a plain-text password in Maven settings",
        &["<password>", "<passphrase>", "<master>"],
        r"<(?:password|passphrase|master)>\s*(?P<secret>[^<>{}$\s][^<>]{0,200}?)\s*</(?:password|passphrase|master)>",
    ),
    Rule {
        id: "generic-password",
        family: "generic",
        description: "a password or secret assigned in clear text",
        keywords: &["pass", "pwd", "secret", "token", "api_key", "apikey", "api-key", "access_key", "private_key", "credential"],
        pattern: r#"(?i)(?P<name>(?:[a-z0-9_.\-]{0,40}[_.\-])?(?:pass|pwd|pw)|[a-z0-9_.\-]{0,40}(?:password|passwd|passphrase|secret|token|api[_.\-]?key|access[_.\-]?key|private[_.\-]?key|credentials?))["']?\s{0,5}(?::=|=>|=|:)\s{0,5}["']?(?P<secret>[^\s"'`;,<>{}()\[\]\\|\-][^\s"'`;,<>{}()\[\]\\|]{7,199})"#,
        kind: RuleKind::Generic,
        min_entropy: 3.2,
        reach: 0,
        check: Some(validate::is_plausible_generic_value),
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
