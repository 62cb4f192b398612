//! DKF077: private key material written inline in RUN or a heredoc.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF077",
        name: "private-key-in-dockerfile",
        title: "Do not write private keys into the image from the Dockerfile",
        severity: Severity::Critical,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags a private key block (`-----BEGIN [RSA|EC|OPENSSH|ENCRYPTED] PRIVATE KEY-----`, PGP private key \
                   blocks) inside a RUN (its words or heredoc) or a COPY/ADD heredoc, and RUN commands that write an \
                   SSH private key file (`echo \"$SSH_KEY\" > /root/.ssh/id_rsa`, `printf ... | tee ~/.ssh/id_ed25519`) \
                   unless the same RUN deletes it again or it is on a tmpfs/cache mount. (Keys in ENV, ARG and LABEL \
                   values are DKF063's.)",
            why: "A key in the Dockerfile is in the source repository and in `docker history`; a key file written by a \
                  RUN is in that layer for good, even if a later step deletes it. Everyone who can pull the image can \
                  take the key and use it wherever it is trusted (Git hosts, servers, signing).",
            example: "FROM alpine/git:2.45.2\nARG SSH_KEY\nRUN mkdir -p /root/.ssh && echo \"$SSH_KEY\" > /root/.ssh/id_ed25519 && git clone git@github.com:org/private.git",
            fix: "Revoke the key if it was committed, then use BuildKit's SSH forwarding (`RUN --mount=type=ssh ...`, built with `docker build --ssh default .`) or a secret mount, which never write the key into a layer.\n\n\
                  ```dockerfile\nRUN --mount=type=ssh git clone git@github.com:org/private.git\n\
                  RUN --mount=type=secret,id=key,target=/root/.ssh/id_ed25519 ./deploy.sh\n```",
            references: &["https://docs.docker.com/build/building/secrets/#ssh-mounts"],
            peer_notes: "No peer has this check; trivy's secret scanner finds key blocks in files but not as a Dockerfile \
                         finding.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for ins in &df.instructions {
        let mut texts: Vec<(&str, Span)> = Vec::new();
        match &ins.kind {
            Kind::Run(run) => {
                if let Some(script) = &run.script {
                    for command in &script.commands {
                        texts.extend(command.args.iter().map(|w| (w.value.as_str(), w.span)));
                    }
                }
                texts.extend(run.heredocs.iter().map(|h| (h.body.as_str(), h.span)));
            }
            Kind::Copy(copy) | Kind::Add(copy) => texts.extend(copy.heredocs.iter().map(|h| (h.body.as_str(), h.span))),
            _ => {}
        }
        // One finding per instruction for inline keys: a script's words and its heredoc body
        // hold the same key.
        if let Some((text, span, key)) = texts
            .iter()
            .find_map(|&(text, span)| secrets::find_private_keys(text).into_iter().next().map(|key| (text, span, key)))
        {
            let at = helpers::span_within(df, span, text, key.start, key.end);
            out.report(at, format!("{} holds a private key", ins.keyword)).set_evidence(key.redacted(text));
            continue;
        }
        let Kind::Run(run) = &ins.kind else { continue };
        let Some(script) = &run.script else { continue };
        for write in helpers::file_writes(script) {
            if !secrets::is_private_key_file(helpers::file_name(&write.path))
                || helpers::path_on_transient_mount(run, &write.path)
            {
                continue;
            }
            let removed_later = script.commands[write.index + 1..].iter().any(|c| helpers::removes(c, &write.path));
            if !removed_later {
                out.report(
                    write.command.span,
                    format!("a private key is written to {} and stays in the layer", write.path),
                );
            }
        }
    }
}
