//! DKF048: no HEALTHCHECK for an image that serves on a port.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF048",
        name: "healthcheck-missing",
        title: "Define a HEALTHCHECK for images that serve a port",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[10],
        aliases: &["DL3057", "AVD-DS-0026", "CKV_DOCKER_2"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags the final stage when the image it produces EXPOSEs a port but neither it nor the stages it \
                   is built FROM define a HEALTHCHECK (`HEALTHCHECK NONE` counts as a deliberate choice). Build \
                   stages are not judged.",
            why: "Without a health check, Docker and compose only know whether the process is alive, not whether it \
                  answers: a hung server keeps receiving traffic, `depends_on: condition: service_healthy` cannot \
                  work, and nothing signals the failure.",
            example: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80",
            fix: "Add a probe that exercises the service: `HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS \
                  http://localhost/ || exit 1` (or a small built-in probe for images without curl). Under \
                  Kubernetes, which ignores HEALTHCHECK, configure liveness/readiness probes instead and write \
                  `HEALTHCHECK NONE`.",
            references: &["https://docs.docker.com/reference/dockerfile/#healthcheck", "https://github.com/hadolint/hadolint/wiki/DL3057"],
            peer_notes: "Narrower than DL3057 (off by default in hadolint), AVD-DS-0026 and CKV_DOCKER_2, which flag \
                         every Dockerfile without HEALTHCHECK: images that EXPOSE no port (command-line tools, build \
                         and base images, batch jobs) are not flagged, as there is nothing meaningful to probe. A \
                         HEALTHCHECK inherited from an external base image cannot be seen and is assumed absent.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    let Some(final_stage) = df.final_stage() else { return };
    let history = helpers::stage_history(df, final_stage.index);
    let kinds = || history.iter().map(|&i| &df.instructions[i].kind);
    let exposes = kinds().any(|k| matches!(k, Kind::Expose(ports) if !ports.is_empty()));
    let has_healthcheck = kinds().any(|k| matches!(k, Kind::Healthcheck(_)));
    if exposes && !has_healthcheck {
        let from = df.instructions.get(final_stage.from).map_or(Span::default(), |ins| ins.keyword_span);
        out.report(from, "the final image EXPOSEs a port but defines no HEALTHCHECK");
    }
}
