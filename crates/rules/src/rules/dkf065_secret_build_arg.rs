//! DKF065: a secret passed as a build argument instead of a BuildKit secret.

use crate::prelude::*;
use crate::secrets;
use rampart_dockerfile::Run;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF065",
        name: "secret-build-arg",
        title: "Pass build secrets with --mount=type=secret, not as ARG",
        severity: Severity::High,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &[],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags an ARG whose name says it holds a secret (the names DKF064 describes: `NPM_TOKEN`, \
                   `GITHUB_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`...) and that a later instruction of the same \
                   stage exposes: a RUN (BuildKit records every build argument in scope in the RUN's history entry, \
                   used or not: `RUN |1 NPM_TOKEN=npm_… /bin/sh -c npm ci`) or an ENV that copies it \
                   (`ENV NPM_TOKEN=$NPM_TOKEN`, which stores it in the image configuration). ARGs with a literal \
                   secret default are DKF064's.",
            why: "Build arguments are not secret: their values are kept in the image history (`docker history \
                  --no-trunc`), in the build cache, and in provenance attestations, so everyone who can pull the image \
                  or its cache can read the token. BuildKit secrets are mounted for one RUN only and never stored.",
            example: "FROM node:20-slim\nARG NPM_TOKEN\nCOPY .npmrc package*.json ./\nRUN npm ci",
            fix: "Drop the ARG and give the value to the one RUN that needs it as a BuildKit secret (`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci`, built with `docker build --secret id=npm_token,env=NPM_TOKEN .`).\n\n\
                  `env=` needs Dockerfile syntax 1.10+; with older syntax read the file instead: \
                  `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`.",
            references: &[
                "https://docs.docker.com/build/building/secrets/",
                "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
            ],
            peer_notes: "Trivy's AVD-DS-0031 and BuildKit's SecretsUsedInArgOrEnv flag any secret-named ARG of the final stage \
                         (alias kept on DKF064). rampart flags the ARG in any stage, because a build stage's history and \
                         cache leak as well, but only when something exposes the value; a global ARG that only feeds \
                         `FROM` is not flagged.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for stage in &df.stages {
        let indices: Vec<usize> = stage.instructions.clone().collect();
        for (position, &index) in indices.iter().enumerate() {
            let ins = &df.instructions[index];
            let Kind::Arg(decls) = &ins.kind else { continue };
            for decl in decls {
                let name = decl.name.value.as_str();
                let literal_default = decl.default.as_ref().is_some_and(|d| secrets::is_literal_secret_value(&d.value));
                if !secrets::is_secret_name(name) || literal_default {
                    continue;
                }
                let later = indices[position + 1..].iter().map(|&i| &df.instructions[i]);
                let Some(exposure) = later.filter_map(|later| exposure(later, name)).next() else { continue };
                out.report(decl.name.span, format!("build argument {name} holds a secret: {exposure}"));
            }
        }
    }
}

/// How instruction `ins` exposes build argument `name`, if it does.
fn exposure(ins: &Instruction, name: &str) -> Option<String> {
    match &ins.kind {
        Kind::Run(run) => {
            let uses = run_references(run, name);
            let how = if uses { "used by the RUN" } else { "recorded in the history of the RUN" };
            Some(format!("{how} on line {} (`docker history` shows its value)", ins.line))
        }
        Kind::Env(pairs) => pairs
            .iter()
            .any(|kv| helpers::references_variable(&kv.value.value, name))
            .then(|| format!("copied into the image's environment by ENV on line {}", ins.line)),
        _ => None,
    }
}

/// True when the RUN's commands or heredocs expand `$name`.
fn run_references(run: &Run, name: &str) -> bool {
    let in_script = run.script.as_ref().is_some_and(|script| {
        script.commands.iter().any(|c| {
            std::iter::once(&c.program).chain(&c.args).any(|w| helpers::references_variable(&w.value, name))
                || c.env.iter().any(|(_, value)| helpers::references_variable(value, name))
        })
    });
    let in_form = match &run.command {
        CommandForm::Exec(words) => words.iter().any(|w| helpers::references_variable(&w.value, name)),
        CommandForm::Shell(text) => helpers::references_variable(&text.text, name),
    };
    in_script || in_form || run.heredocs.iter().any(|h| helpers::references_variable(&h.body, name))
}
