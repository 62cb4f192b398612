//! DMN014: swarm services take secrets from swarm secrets, not their environment.

use crate::prelude::*;
use crate::secrets;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN014",
        name: "swarm-secret-in-service-env",
        title: "Give swarm services their secrets as swarm secrets",
        severity: Severity::Medium,
        category: Category::Secrets,
        checklist: &[8],
        aliases: &["CIS-7.5"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags swarm services whose environment sets a secret-named variable (`*_PASSWORD`, `*_TOKEN`, \
                   `API_KEY`, ...) to a literal value, or holds a value shaped like a known token.",
            why: "A service's environment is stored in the swarm's Raft log in the service spec, shown by `docker service \
                  inspect` to every manager user, and copied into every task's container. Swarm secrets are \
                  encrypted, mounted as files in memory, and only in the tasks that need them.",
            example: "docker service create -e DB_PASSWORD=s3cr3t app:1",
            fix: "`printf %s \"$value\" | docker secret create db_password -`, then `docker service update \
                  --secret-add db_password --env-rm DB_PASSWORD` and read /run/secrets/db_password in the service \
                  (many images take `DB_PASSWORD_FILE`).",
            references: &["CIS Docker Benchmark v1.6.0, 7.5", "https://docs.docker.com/engine/swarm/secrets/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(swarm) = &cx.snapshot.swarm else { return };
    for service in &swarm.services {
        for entry in &service.env {
            let (name, value) = entry.split_once('=').unwrap_or((entry.as_str(), ""));
            let named = secrets::is_secret_name(name) && secrets::is_literal_secret_value(value);
            let shaped = !secrets::find_secrets(value).is_empty();
            if named || shaped {
                out.report_object(
                    &format!("service:{}", service.name),
                    format!("service {} has {name} in its environment instead of a swarm secret", service.name),
                )
                .set_evidence(format!("{name}={}", rampart_model::redact(value)));
            }
        }
    }
}
