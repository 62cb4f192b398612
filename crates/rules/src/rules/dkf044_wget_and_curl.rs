//! DKF044: both wget and curl used in one stage.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF044",
        name: "wget-and-curl",
        title: "Use either wget or curl, not both",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL4001", "AVD-DS-0014"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags the RUN instructions of a stage that use curl or wget once the stage has used both (each \
                   stage on its own, as a stage installs its own tools).",
            why: "Two download tools doing the same job means two packages to install, patch and scan (both have a \
                  steady stream of CVEs), and two sets of TLS and proxy behaviour to reason about.",
            example: "FROM debian:12\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN wget -qO /tmp/b.tgz https://example.com/b.tgz",
            fix: "Pick one tool for the stage (curl is the more common in base images) and rewrite the other \
                  downloads with it.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL4001"],
            peer_notes: "Same check as DL4001 (per stage; flagged from the RUN where the second tool appears). curl and \
                         wget are matched as commands run, also through `sudo` and `busybox wget`; installing them \
                         (`apt-get install curl wget`) is not using them.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    let df = cx.dockerfile;
    for stage in &df.stages {
        let mut first_use: [Option<u32>; 2] = [None, None];
        for ins in df.stage_instructions(stage) {
            let Kind::Run(rampart_dockerfile::Run { script: Some(script), .. }) = &ins.kind else { continue };
            let uses: Vec<_> = helpers::invocations(script, &["curl", "wget"]).collect();
            for (_, command) in &uses {
                let slot = usize::from(command.name() == "wget");
                first_use[slot].get_or_insert(ins.line);
            }
            if let ([Some(curl), Some(wget)], Some((_, first))) = (first_use, uses.first()) {
                out.report(first.span, format!("this stage uses both curl (line {curl}) and wget (line {wget}): pick one"));
            }
        }
    }
}
