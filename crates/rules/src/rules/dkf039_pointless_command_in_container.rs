//! DKF039: commands that make no sense in an image build.

use crate::prelude::*;

const POINTLESS: &[&str] = &["ssh", "vim", "shutdown", "service", "ps", "free", "top", "kill", "mount", "ifconfig"];

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF039",
        name: "pointless-command-in-container",
        title: "Avoid interactive and system-management commands in RUN",
        severity: Severity::Info,
        category: Category::Image,
        checklist: &[3],
        aliases: &["DL3001"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags RUN commands that do nothing useful in an image build: `ssh`, `vim`, `shutdown`, `service`, \
                   `ps`, `free`, `top`, `kill`, `mount`, `ifconfig` (one finding per RUN). Version queries (`ssh -V`) \
                   are not flagged, nor a `service ... start` that the same RUN goes on to use, nor `kill` of a \
                   process the same RUN started in the background.",
            why: "A build step is not a machine: a service started in one RUN is gone at the next, `mount` and \
                  `shutdown` need privileges a build does not have, `ps`/`top`/`free` describe the builder, and an \
                  interactive editor waits for a terminal that is not there. Such commands usually mean the \
                  Dockerfile was written like a provisioning script, and the image will not behave as its author \
                  expects.",
            example: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends nginx && service nginx start",
            fix: "Start services from CMD/ENTRYPOINT (`CMD [\"nginx\", \"-g\", \"daemon off;\"]`), configure files with \
                  COPY or `sed`, and leave mounts to `docker run`/compose.",
            references: &["https://github.com/hadolint/hadolint/wiki/DL3001"],
            peer_notes: "Not flagged, where DL3001 flags: version queries (`vim --version`); `service X start` followed by \
                         commands in the same RUN that use the service (initialising a database during the build), \
                         and the matching `service X stop`; `kill` when the same RUN started a background process.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        let flagged: Vec<(usize, std::borrow::Cow<'_, Command>)> =
            helpers::invocations(script, POINTLESS).filter(|(index, command)| !justified(script, *index, command)).collect();
        let Some((_, first)) = flagged.first() else { continue };
        let mut names: Vec<&str> = flagged.iter().map(|(_, c)| c.name()).collect();
        names.dedup();
        let verb = if names.len() == 1 { "does" } else { "do" };
        out.report(first.span, format!("`{}` in RUN {verb} nothing useful in an image build", names.join("`, `")));
    }
}

/// The legitimate uses of these commands during a build.
fn justified(script: &ShellScript, index: usize, command: &Command) -> bool {
    if command.args.len() == 1 && matches!(command.args[0].value.as_str(), "-V" | "--version" | "-v" | "version") {
        return true;
    }
    match command.name() {
        "kill" => script.commands.iter().any(|c| c.joiner == Joiner::Background),
        "service" => {
            let action = helpers::operands(&command.args, &[]).get(1).map(|w| w.value.as_str());
            let starts = |c: &Command| {
                c.name() == "service" && helpers::operands(&c.args, &[]).get(1).is_some_and(|w| matches!(w.value.as_str(), "start" | "restart"))
            };
            match action {
                Some("start" | "restart") => index + 1 < script.commands.len(),
                Some("stop") => helpers::commands_run(script).take(index).any(|(_, c)| starts(&c)),
                _ => false,
            }
        }
        _ => false,
    }
}
