//! HST005: put the engine's data root on its own partition.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "HST005",
        name: "data-root-shares-system-partition",
        title: "Put the engine's data root on its own partition",
        severity: Severity::Low,
        category: Category::Daemon,
        checklist: &[11],
        aliases: &["CIS-1.1.1"],
        target: Target::Engine,
        docs: RuleDocs {
            what: "Flags a data root (`/info` DockerRootDir, usually /var/lib/docker) on the same file system as `/`.",
            why: "Images, container layers, logs and volumes grow with what containers do: on the root file system a single container writing without limit fills the host's disk and stops the host, not just the engine.",
            example: "/var/lib/docker on the same file system as /",
            fix: "Mount a dedicated file system at the data root (or set `data-root` in daemon.json to one) and move the data while the daemon is stopped.",
            references: &["CIS Docker Benchmark v1.6.0, 1.1.1"],
            peer_notes: "",
        },
    },
    check: Check::Snapshot(check),
};

fn check(cx: &SnapshotContext<'_>, out: &mut Sink<'_>) {
    if cx.snapshot.host.data_root_separate == Some(false) {
        let root = cx.snapshot.daemon.as_ref().map_or("the data root", |d| d.docker_root_dir.as_str());
        out.report_object(&format!("host:{root}"), format!("{root} is on the same file system as /"));
    }
}
