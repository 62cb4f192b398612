//! NET004: `-P`.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "NET004",
        name: "all-ports-published",
        title: "Publish only the ports that are needed",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["CIS-5.9"],
        target: Target::Container,
        docs: RuleDocs {
            what: "Flags `-P` / `--publish-all` (compose `publish_all: true`).",
            why: "Every port the image EXPOSEs, including debug and admin ports the author left in, is published on a \
                  random port on every host interface, without anyone deciding it should be reachable.",
            example: "docker run -d -P app:1.0",
            fix: "Replace `-P` with one `-p` per port that must be reachable, bound to an interface: \
                  `-p 127.0.0.1:8080:8080`.",
            references: &["CIS Docker Benchmark v1.6.0, 5.9"],
            peer_notes: "",
        },
    },
    check: Check::Container(check),
};

fn check(cx: &ContainerContext<'_>, out: &mut Sink<'_>) {
    if let Some(all) = cx.spec.publish_all.as_ref().filter(|p| p.value) {
        let exposed: Vec<String> = cx.spec.exposed_ports.iter().map(|p| format!("{}/{}", p.port, p.protocol.as_str())).collect();
        let detail = if exposed.is_empty() { String::new() } else { format!(" ({})", exposed.join(", ")) };
        out.report_value(all, format!("publishes every exposed port{detail} on random ports of every host interface"))
            .set_evidence("publish-all: true");
    }
}
