//! DMN016: engine plugins with host privileges.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DMN016",
        name: "plugin-with-host-privileges",
        title: "Know which engine plugins hold host privileges",
        severity: Severity::Medium,
        category: Category::Daemon,
        checklist: &[1],
        aliases: &[],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags enabled managed plugins (`docker plugin ls`) whose configuration grants host privileges: \
                   the host network, PID or IPC namespace, all devices, capabilities, host mounts or devices.",
            why: "A plugin runs as root outside any container policy; with these privileges it is as powerful as the \
                  daemon. Privileges are accepted once at `docker plugin install` and rarely reviewed, and a plugin \
                  image that is updated or replaced keeps them.",
            example: "docker plugin install --grant-all-permissions vieux/sshfs",
            fix: "Remove plugins that are not needed (`docker plugin rm`), install only from publishers you trust, and \
                  review `docker plugin inspect NAME --format '{{json .Config}}'` after every upgrade.",
            references: &["https://docs.docker.com/engine/extend/", "https://docs.docker.com/engine/extend/config/"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    let Some(plugins) = &cx.snapshot.plugins else { return };
    for plugin in plugins.iter().filter(|p| p.enabled && !p.privileges.is_empty()) {
        out.report_object(&format!("plugin:{}", plugin.name), format!("plugin {} holds host privileges", plugin.name))
            .set_evidence(plugin.privileges.join(", "));
    }
}
