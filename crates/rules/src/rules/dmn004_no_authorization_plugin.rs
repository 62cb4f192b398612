//! DMN004: use an authorization plugin for daemon access.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN004",
        name: "no-authorization-plugin",
        title: "Use an authorization plugin for daemon access",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[1],
        aliases: &["CIS-2.12"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a daemon with no authorization plugin (`/info` Plugins.Authorization is empty).",
            why: "Without one, every client that can reach the socket may do everything: start privileged containers, mount the host, read secrets. A plugin can allow only what each user needs.",
            example: "{ \"authorization-plugins\": [] }",
            fix: "Configure an authorization plugin (`\"authorization-plugins\": [\"opa-docker-authz\"]`), or keep the set of users who reach the socket to administrators.",
            references: &["CIS Docker Benchmark v1.6.0, 2.12", "https://docs.docker.com/engine/extend/plugins_authorization/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let plugins = &cx.snapshot.daemon_config.authorization_plugins;
    if plugins.value.as_ref().is_some_and(|p| p.is_empty()) {
        out.report_object("daemon", "no authorization plugin: every client of the socket may do anything")
            .set_evidence(plugins.evidence.clone());
    }
}
