//! CTR028: restart forever.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "CTR028",
        name: "restart-policy-unbounded",
        title: "Limit restarts with on-failure:5",
        severity: Severity::Low,
        category: Category::Runtime,
        checklist: &[11],
        aliases: &["CIS-5.15"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags restart policies that restart without bound: `always`, `unless-stopped`, `on-failure` with no \
                   count, and `on-failure:N` with N above 5.",
            why: "A container that crashes in a loop (a bad deploy, an exploit that kills it, a missing dependency) is \
                  restarted forever, burning CPU, filling logs and hiding the failure; a bounded policy stops it and lets \
                  monitoring see it.",
            example: "docker run -d --restart always app:1.0",
            fix: "Use `--restart on-failure:5` (compose: `deploy.restart_policy: {condition: on-failure, max_attempts: 5}`), \
                  and let an orchestrator or alert handle what keeps failing.",
            references: &[
                "CIS Docker Benchmark v1.6.0, 5.15",
                "https://docs.docker.com/engine/containers/start-containers-automatically/",
            ],
            peer_notes: "docker-bench-security checks only the retry count, so `always` (count 0) passes there.",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    let Some(restart) = &cx.spec.restart else { return };
    let message = match restart.value {
        RestartPolicy::Always | RestartPolicy::UnlessStopped => format!("restart policy `{}` restarts without bound", restart.value),
        RestartPolicy::OnFailure { max_retries: None } => "restart policy `on-failure` has no retry limit".to_string(),
        RestartPolicy::OnFailure { max_retries: Some(n) } if n > 5 => format!("restart policy allows {n} retries (5 at most)"),
        _ => return,
    };
    out.report_value(restart, message).set_evidence(format!("restart: {}", restart.value));
}
