//! One positive and one negative sample per rule.
//!
//! Samples are templates expanded at run time: `{a:36}` becomes 36 pseudo-random letters and
//! digits, so no real-looking token sits in the repository for other scanners to flag. The
//! negative of each sample is the same template with every random part written as `x` (a
//! placeholder): it must not be reported by that rule.

use rampart_secrets::{rule, scan, RULES};

/// A small deterministic generator (xorshift), seeded per sample.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, alphabet: &[u8]) -> char {
        alphabet[(self.next() % alphabet.len() as u64) as usize] as char
    }
}

fn alphabet(class: &str) -> &'static [u8] {
    match class {
        "a" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "A" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0234567",
        "U" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "L" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "l" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "h" => b"0123456789abcdef",
        "d" => b"0123456789",
        "u" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        "b" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        "z" => b"abcdefghijklmnopqrstuvwxyz234567",
        "bech" => b"qpzry9x8gf2tvdw0s3jn54khce6mua7l",
        "B" => b"QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
        other => panic!("unknown class {other}"),
    }
}

/// Expands `{class:count}` parts; `placeholder` writes them as `x` instead.
fn expand(template: &str, seed: u64, placeholder: bool) -> String {
    let mut random = Random(seed | 1);
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let inner = &rest[open + 1..close];
        let Some((class, count)) = inner.split_once(':').and_then(|(c, n)| n.parse::<usize>().ok().map(|n| (c, n))) else {
            out.push_str(&rest[..=open]);
            rest = &rest[open + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        let letters = alphabet(class);
        for _ in 0..count {
            out.push(if placeholder { 'x' } else { random.pick(letters) });
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn seed_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// (rule id, sample template): the sample must be reported by that rule.
const SAMPLES: &[(&str, &str)] = &[
    ("aws-access-key-id", "aws_access_key_id = AKIA{A:16}"),
    ("aws-secret-access-key", "AWS_SECRET_ACCESS_KEY={b:40}"),
    ("aws-session-token", "aws_session_token = {b:180}"),
    ("aws-mws-key", "amzn.mws.{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("gcp-api-key", "key: AIza{u:35}"),
    ("gcp-service-account-key", "{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n{b:120}\\n-----END PRIVATE KEY-----\\n\"\n}"),
    ("gcp-oauth-client-secret", "GOCSPX-{u:28}"),
    ("google-oauth-access-token", "ya29.{u:120}"),
    ("azure-storage-account-key", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey={a:86}==;EndpointSuffix=core.windows.net"),
    ("azure-sas-token", "https://a.blob.core.windows.net/c?sv=2023-11-03&sr=b&sp=r&sig={a:43}%3D"),
    ("azure-sas-token-leading", "?sig={a:43}%3D&se=2024-01-01&sv=2023-11-03"),
    ("azure-entra-client-secret", "client_secret={a:3}8Q~{u:34}"),
    ("azure-app-config-connection-string", "Endpoint=https://store.azconfig.io;Id=a1b2;Secret={a:44}"),
    ("azure-ai-services-key", "{a:52}JQQJ99{a:18}ACOG{a:4}"),
    ("azure-container-registry-key", "{a:52}JQQJ99{a:18}AZCR{a:4}"),
    ("azure-container-registry-password", "reg.azurecr.io password: {a:32}"),
    ("azure-devops-pat", "AZURE_DEVOPS_TOKEN={z:52}"),
    ("azure-client-secret", "AZURE_CLIENT_SECRET={a:36}"),
    ("github-pat", "GITHUB_TOKEN=ghp_{a:36}"),
    ("github-oauth-token", "gho_{a:36}"),
    ("github-user-to-server-token", "ghu_{a:36}"),
    ("github-server-to-server-token", "ghs_{a:36}"),
    ("github-app-installation-token", "ghs_{d:5}_eyJ{u:20}.eyJ{u:30}.{u:40}"),
    ("github-refresh-token", "ghr_{a:76}"),
    ("github-fine-grained-pat", "github_pat_{a:22}_{a:59}"),
    ("gitlab-pat", "glpat-{u:20}"),
    ("gitlab-deploy-token", "gldt-{u:20}"),
    ("gitlab-runner-token", "glrt-{u:20}"),
    ("gitlab-runner-registration-token", "GR1348941{u:20}"),
    ("gitlab-pipeline-trigger-token", "glptt-{h:40}"),
    ("gitlab-cicd-job-token", "glcbt-{h:2}_{u:20}"),
    ("gitlab-feed-token", "glft-{u:20}"),
    ("gitlab-incoming-mail-token", "glimt-{u:25}"),
    ("gitlab-agent-token", "glagent-{u:50}"),
    ("gitlab-oauth-secret", "gloas-{u:64}"),
    ("gitlab-scim-token", "glsoat-{u:20}"),
    ("gitlab-feature-flag-token", "glffct-{u:20}"),
    ("slack-token", "xoxb-{d:12}-{d:13}-{a:24}"),
    ("slack-config-token", "xoxe.xoxp-1-{a:164}"),
    ("slack-config-refresh-token", "xoxe-1-{a:146}"),
    ("slack-app-token", "xapp-1-{A:11}-{d:13}-{l:64}"),
    ("slack-webhook", "https://hooks.slack.com/services/T{A:8}/B{A:10}/{a:24}"),
    ("stripe-live-key", "sk_live_{a:24}"),
    ("stripe-webhook-secret", "whsec_{a:32}"),
    ("square-access-token", "sq0atp-{u:22}"),
    ("square-oauth-secret", "sq0csp-{u:43}"),
    ("shopify-access-token", "shpat_{h:32}"),
    ("shopify-custom-app-token", "shpca_{h:32}"),
    ("shopify-private-app-token", "shppa_{h:32}"),
    ("shopify-shared-secret", "shpss_{h:32}"),
    ("flutterwave-secret-key", "FLWSECK-{h:32}-X"),
    ("shippo-api-token", "shippo_live_{h:40}"),
    ("easypost-api-key", "EZAK{a:54}"),
    ("duffel-api-token", "duffel_live_{u:43}"),
    ("twilio-api-key", "TWILIO_API_KEY=SK{h:32}"),
    ("sendgrid-api-key", "SG.{u:22}.{u:43}"),
    ("sendinblue-api-key", "xkeysib-{h:64}-{a:16}"),
    ("mailgun-api-key", "MAILGUN_API_KEY=key-{h:32}"),
    ("mailchimp-api-key", "{h:32}-us14"),
    ("postman-api-key", "PMAK-{h:24}-{h:34}"),
    ("telegram-bot-token", "bot{d:9}:AA{u:33}"),
    ("discord-bot-token", "DISCORD_TOKEN=M{a:25}.{u:6}.{u:38}"),
    ("discord-webhook", "https://discord.com/api/webhooks/{d:18}/{u:68}"),
    ("microsoft-teams-webhook", "https://acme.webhook.office.com/webhookb2/{h:8}-{h:4}-{h:4}-{h:4}-{h:12}@{h:8}-{h:4}-{h:4}-{h:4}-{h:12}/IncomingWebhook/{h:32}/{h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("npm-access-token", "npm_{a:36}"),
    ("npmrc-auth-token", "//npm.example.invalid/:_authToken={u:40}"),
    ("pypi-upload-token", "pypi-AgEIcHlwaS5vcmc{u:70}"),
    ("pypi-test-upload-token", "pypi-AgENdGVzdC5weXBpLm9yZw{u:70}"),
    ("rubygems-api-token", "rubygems_{h:48}"),
    ("nuget-api-key", "oy2{l:43}"),
    ("clojars-api-token", "CLOJARS_{l:60}"),
    ("private-packagist-token", "packagist_uut_{h:68}"),
    ("artifactory-api-key", "AKCp{a:69}"),
    ("artifactory-reference-token", "cmVmdGtuOjAxOj{a:50}"),
    ("dockerhub-pat", "dckr_pat_{u:27}"),
    ("dockerhub-org-token", "dckr_oat_{u:32}"),
    // "auth" is base64("ci-bot:" + 12 random characters), built by the test below.
    ("docker-config-auth", "{\"auths\":{\"r.example.invalid\":{\"auth\":\"@AUTH@\"}}}"),
    ("docker-config-identity-token", "{\"identitytoken\": \"{u:40}\"}"),
    ("kubernetes-dockerconfig-secret", "data:\n  .dockerconfigjson: eyJ{b:60}\n"),
    ("symfony-default-secret", "parameters:\n  secret: ThisTokenIsNotSoSecretChangeIt\n"),
    ("heroku-api-key-v2", "HRKU-AA{u:58}"),
    ("heroku-api-key", "HEROKU_API_KEY={h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("digitalocean-pat", "dop_v1_{h:64}"),
    ("digitalocean-oauth-token", "doo_v1_{h:64}"),
    ("digitalocean-refresh-token", "dor_v1_{h:64}"),
    ("vault-service-token", "hvs.{u:95}"),
    ("vault-batch-token", "hvb.{u:140}"),
    ("vault-legacy-token", "VAULT_TOKEN=s.{a:24}"),
    ("terraform-cloud-token", "{a:14}.atlasv1.{u:67}"),
    ("doppler-token", "dp.pt.{a:43}"),
    ("pulumi-access-token", "pul-{h:40}"),
    ("fly-access-token", "fo1_{u:43}"),
    ("planetscale-token", "pscale_tkn_{u:43}"),
    ("databricks-token", "dapi{h:32}"),
    ("dynatrace-token", "dt0c01.{A:24}.{A:64}"),
    ("harness-token", "pat.{u:22}.{h:24}.{a:20}"),
    ("infracost-api-token", "ico-{a:32}"),
    ("render-api-key", "rnd_{a:32}"),
    ("netlify-pat", "nfp_{a:36}"),
    ("scalingo-api-token", "tk-us-{u:48}"),
    ("supabase-access-token", "sbp_{h:40}"),
    ("supabase-secret-key", "sb_secret_{u:32}"),
    ("cloudflare-origin-ca-key", "v1.0-{h:24}-{h:146}"),
    ("cloudflare-api-token", "CLOUDFLARE_API_TOKEN={u:40}"),
    ("kubernetes-client-key-data", "    client-key-data: {b:120}="),
    ("datadog-api-key", "DD_API_KEY={h:32}"),
    ("newrelic-user-api-key", "NRAK-{A:27}"),
    ("newrelic-insert-key", "NRII-{u:32}"),
    ("newrelic-browser-key", "NRJS-{h:19}"),
    ("sentry-org-token", "sntrys_eyJ{u:80}"),
    ("sentry-user-token", "sntryu_{h:64}"),
    ("grafana-api-key", "eyJrIjoi{a:80}"),
    ("grafana-cloud-token", "glc_{a:60}"),
    ("grafana-service-account-token", "glsa_{a:32}_{h:8}"),
    ("atlassian-api-token", "ATATT3{u:186}"),
    ("atlassian-legacy-api-token", "JIRA_API_TOKEN={a:24}"),
    ("linear-api-key", "lin_api_{a:40}"),
    ("notion-integration-token", "ntn_{d:11}{a:35}"),
    ("notion-legacy-token", "NOTION_TOKEN=secret_{a:43}"),
    ("figma-pat", "figd_{u:40}"),
    ("airtable-pat", "pat{a:14}.{h:64}"),
    ("contentful-pat", "CFPAT-{u:43}"),
    ("typeform-pat", "tfp_{u:59}"),
    ("readme-api-token", "rdme_{l:70}"),
    ("sourcegraph-access-token", "sgp_{h:16}_{h:40}"),
    ("prefect-api-key", "pnu_{a:36}"),
    ("frameio-api-token", "fio-u-{u:64}"),
    ("mapbox-secret-token", "sk.eyJ{u:60}.{u:22}"),
    ("intra42-client-secret", "s-s4t2ud-{h:64}"),
    ("okta-api-token", "OKTA_API_TOKEN=00{u:40}"),
    ("snyk-api-token", "SNYK_TOKEN={h:8}-{h:4}-{h:4}-{h:4}-{h:12}"),
    ("dropbox-access-token", "DROPBOX_TOKEN=sl.{u:140}"),
    ("alibaba-secret-key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET={a:30}"),
    ("alibaba-access-key-id", "LTAI{a:20}"),
    ("onepassword-service-account-token", "ops_eyJ{b:260}"),
    ("onepassword-secret-key", "A3-{A:6}-{A:11}-{A:5}-{A:5}-{A:5}"),
    ("age-secret-key", "AGE-SECRET-KEY-1{B:58}"),
    ("openai-api-key", "sk-proj-{u:40}T3BlbkFJ{u:40}"),
    ("openai-ephemeral-key", "ek_{h:32}"),
    ("anthropic-api-key", "sk-ant-api03-{u:93}AA"),
    ("huggingface-token", "hf_{L:34}"),
    ("huggingface-org-token", "api_org_{L:34}"),
    ("groq-api-key", "gsk_{a:52}"),
    ("perplexity-api-key", "pplx-{a:48}"),
    ("xai-api-key", "xai-{a:80}"),
    ("replicate-api-token", "r8_{a:37}"),
    ("langsmith-api-key", "lsv2_pt_{h:32}_{h:10}"),
    ("cohere-api-key", "COHERE_API_KEY={a:40}"),
    ("mistral-api-key", "MISTRAL_API_KEY={a:32}"),
    ("private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\n{b:70}\n{b:70}\n-----END OPENSSH PRIVATE KEY-----\n"),
    ("putty-private-key", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"),
    ("jwt", "Authorization=eyJ{u:20}.eyJ{u:40}.{u:43}"),
    ("url-credentials", "DATABASE_URL=postgres://app:{a:16}@db.internal:5432/app"),
    ("basic-auth-header", "Authorization: Basic {b:32}"),
    ("bearer-auth-header", "\"Authorization\": \"Bearer {u:40}\""),
    ("netrc-password", "machine git.example.invalid\n  login ci\n  password {a:20}\n"),
    ("pgpass-password", "db.internal:5432:app:app:{a:20}\n"),
    ("htpasswd-hash", "admin:$apr1${a:8}${a:22}\n"),
    ("maven-settings-password", "<server><id>r</id><password>{a:16}</password></server>"),
    ("generic-password", "db_password = \"{a:20}\""),
];

fn docker_auth(seed: u64, placeholder: bool) -> String {
    let password = expand("{a:12}", seed, placeholder);
    let plain = format!("ci-bot:{password}");
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in plain.as_bytes().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { table[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

fn sample(id: &str, template: &str, placeholder: bool) -> String {
    let seed = seed_of(id);
    expand(template, seed, placeholder).replace("@AUTH@", &docker_auth(seed, placeholder))
}

fn rule_ids(text: &str) -> Vec<&'static str> {
    scan(text).matches.iter().map(|m| m.rule.id).collect()
}

#[test]
fn every_rule_has_a_sample() {
    for rule in RULES {
        assert!(SAMPLES.iter().any(|(id, _)| *id == rule.id), "no sample for {}", rule.id);
    }
    for (id, _) in SAMPLES {
        assert!(rule(id).is_some(), "sample for unknown rule {id}");
    }
}

#[test]
fn positive_samples_are_found_by_their_rule() {
    let mut failures = Vec::new();
    for (id, template) in SAMPLES {
        let text = sample(id, template, false);
        let found = rule_ids(&text);
        if !found.contains(id) {
            failures.push(format!("{id}: {found:?} in {text:?}"));
        }
    }
    assert!(failures.is_empty(), "{} samples missed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn placeholder_samples_are_not_found() {
    let mut failures = Vec::new();
    for (id, template) in SAMPLES {
        if *id == "putty-private-key" || *id == "symfony-default-secret" {
            continue; // no random part: the header alone is the finding
        }
        let text = sample(id, template, true);
        let found = rule_ids(&text);
        if found.contains(id) {
            failures.push(format!("{id}: {text:?}"));
        }
    }
    assert!(failures.is_empty(), "placeholders reported:\n{}", failures.join("\n"));
}

#[test]
fn samples_inside_longer_words_are_not_tokens() {
    // A token glued to letters on both sides is part of something else (an identifier, base64).
    for (id, template) in SAMPLES {
        let Some(found_rule) = rule(id) else { continue };
        // Only samples that are the bare token: the others have separators of their own.
        if found_rule.kind != rampart_secrets::RuleKind::Token
            || found_rule.pattern.contains("(?P<secret>")
            || template.contains(char::is_whitespace)
        {
            continue;
        }
        let text = format!("Q{}Q", sample(id, template, false));
        assert!(!rule_ids(&text).contains(id), "{id} matched inside {text:?}");
    }
}

#[test]
fn near_misses_are_not_reported() {
    for text in [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "-----BEGIN CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----",
        "https://user@example.invalid/repo.git",
        "https://x-access-token:${TOKEN}@host/repo",
        "postgres://postgres:postgres@db/app",
        "https://user:<password>@host/",
        "git@github.com:org/repo.git",
        "eyJhbGciOiJIUzI1NiJ9",
        "password = \"changeme\"",
        "password: ${DB_PASSWORD}",
        "password_file = /run/secrets/db",
        "token = get_token_from_vault",
        "PASSWORD_MIN_LENGTH=12",
        "{\"auths\":{\"r\":{\"auth\":\"dXNlcg==\"}}}",
        "<password>${env.REPO_PASS}</password>",
        "<password>{COQLCE6DU6GtcS5P=}</password>",
        "MYSQL_PASSWORD=${DB_USER_PASS:-}",
        "TOKEN=1234567890",
        "POSTGRES_PASSWORD=ChooseYourOwnPasswordHere1234",
        "mitmdump --mode reverse:https://httpbin.org:443@8443",
        // System account files are not .pgpass files, and qualified names are not passwords.
        "root:*:20000:0:99999:7:::",
        "root:*:0:0:root:/root:/bin/bash",
        "daemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::",
        "\t$newpwd = Win32::GetFullPathName($newdir);",
        "    $pwd = Dos::GetCwd();",
        "\"hashed_secret\": \"8c3f1e2a9b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e\"",
    ] {
        assert!(scan(text).matches.is_empty(), "{text}: {:?}", rule_ids(text));
    }
}

#[test]
fn findings_are_redacted_and_positioned() {
    for (id, template) in SAMPLES {
        let text = format!("first line\n{}\n", sample(id, template, false));
        for found in scan(&text).matches {
            let secret = &text[found.secret.clone()];
            let shown = found.redacted(text.as_bytes());
            assert!(!shown.contains(secret) || found.rule.kind == rampart_secrets::RuleKind::PrivateKey && !shown.contains('\n'), "{id}: {shown} shows {secret}");
            assert!(found.range.start <= found.secret.start && found.secret.end <= found.range.end, "{id}");
            assert_eq!(found.line, 1 + text[..found.range.start].matches('\n').count(), "{id}");
            assert!(found.line >= 2, "{id}");
        }
    }
}

#[test]
fn a_key_on_one_line_shows_only_its_header() {
    let body = expand("{b:64}", 7, false);
    let text = format!("-----BEGIN PRIVATE KEY-----{body}-----END PRIVATE KEY-----");
    let found = &scan(&text).matches[0];
    assert_eq!(found.redacted(text.as_bytes()), "-----BEGIN PRIVATE KEY-----…");
}

#[test]
fn npmrc_tokens_are_not_env_passwords() {
    let env = sample("generic-password", "DB_PASSWORD={a:22}", false);
    assert_eq!(rule_ids(&env), ["generic-password"]);
}

#[test]
fn one_finding_per_secret() {
    // The generic assignment rule yields to the specific token rule on the same value.
    let text = sample("github-pat", "api_token = ghp_{a:36}", false);
    assert_eq!(rule_ids(&text), ["github-pat"]);
}
