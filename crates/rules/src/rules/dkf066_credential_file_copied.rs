//! DKF066: COPY/ADD of key material or credential files into the image.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF066",
        name: "credential-file-copied",
        title: "Do not copy private keys or credential files into the image",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags COPY and ADD whose source is key material or a credential file, judged by its name: SSH private \
                   keys (`id_rsa`, `id_ed25519`...) and `.ssh` directories, `*.key` and `*key*.pem`/`*priv*.pem`, key \
                   stores (`.p12`, `.pfx`, `.jks`, `.keystore`, `.ppk`), `.env` and `.env.<stage>` files, `.npmrc`, \
                   `.yarnrc.yml`, `.pypirc`, `.netrc`, `.git-credentials`, `.htpasswd`, `.pgpass`, `.aws` and \
                   `.aws/credentials`, `.docker/config.json`, kubeconfigs (`.kube/config`, `kubeconfig`), \
                   `credentials.json`, `service-account*.json`, `.gnupg`; and COPY/ADD whose destination is an SSH \
                   private key or a cloud credential path (`/root/.ssh/id_rsa`, `/root/.aws/credentials`).",
            why: "A copied file is stored in the layer for good: deleting it in a later step hides it from the file \
                  system but not from `docker save`, and everyone who can pull the image (or its build cache, for a \
                  build stage) can extract the key or token. SSH keys, cloud credentials and registry tokens give \
                  access far beyond the container.",
            example: "FROM golang:1.22\nCOPY id_ed25519 /root/.ssh/id_ed25519\nRUN git clone git@github.com:org/private.git",
            fix: "Do not copy the file: give it to the step that needs it with a BuildKit SSH or secret mount (`RUN --mount=type=ssh ...`, `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc ...`), and keep it out of the build context with `.dockerignore`.\n\n\
                  ```dockerfile\nRUN --mount=type=ssh git clone git@github.com:org/private.git\n\
                  RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n```\n\n\
                  Build with `docker build --ssh default --secret id=npmrc,src=$HOME/.npmrc .`, and give containers \
                  their credentials at run time.",
            references: &["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/build/concepts/context/#dockerignore-files"],
            peer_notes: "Trivy's AVD-DS-0031 only notices a credential file when an ENV such as GOOGLE_APPLICATION_CREDENTIALS \
                         points at it; hadolint and checkov have no such check. rampart judges by name, so public \
                         material is not flagged: `id_rsa.pub`, certificates (`cert.pem`, `ca.pem`, `*.crt`), repository \
                         signing keys (`*.gpg.key`, `Release.key`) and templates (`.env.example`, `.env.sample`). A broad \
                         `COPY . .` cannot be judged without the build context and its `.dockerignore`, so it is not \
                         flagged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let (Kind::Copy(copy) | Kind::Add(copy)) = &ins.kind else { continue };
        let copied =
            copy.sources.iter().find_map(|source| secrets::credential_file(&source.value).map(|kind| (source, kind)));
        if let Some((source, kind)) = copied {
            out.report(source.span, format!("{} copies `{}`, {kind}, into the image", ins.keyword, source.value));
            continue;
        }
        let dest = &copy.dest.value;
        if !dest.ends_with('/') && is_sensitive_destination(dest) {
            if let Some(kind) = secrets::credential_file(dest) {
                out.report(copy.dest.span, format!("{} writes {kind} to `{dest}` in the image", ins.keyword));
            }
        }
    }
}

/// Destinations whose name alone says a credential is being installed: SSH private keys and
/// cloud/registry credential files. (A `.env` destination is often a template being copied.)
fn is_sensitive_destination(dest: &str) -> bool {
    let name = helpers::file_name(dest);
    secrets::is_private_key_file(name)
        || dest.ends_with(".aws/credentials")
        || dest.ends_with(".docker/config.json")
        || dest.ends_with(".kube/config")
        || matches!(name, ".git-credentials" | ".netrc")
}
