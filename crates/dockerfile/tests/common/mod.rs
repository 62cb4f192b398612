//! Helpers shared by the parser tests.
#![allow(dead_code)]

use rampart_dockerfile::{parse, Dockerfile, Instruction, Kind, ParseLimits, Run, ShellScript, Span};

pub fn parse_ok(text: &str) -> Dockerfile {
    match parse(text.as_bytes(), &ParseLimits::default()) {
        Ok(dockerfile) => dockerfile,
        Err(e) => panic!("expected {text:?} to parse, got: {e}"),
    }
}

pub fn text_at(dockerfile: &Dockerfile, span: Span) -> &str {
    &dockerfile.source[span.range()]
}

pub fn runs(dockerfile: &Dockerfile) -> Vec<(&Instruction, &Run)> {
    dockerfile
        .instructions
        .iter()
        .filter_map(|i| match &i.kind {
            Kind::Run(run) => Some((i, run)),
            _ => None,
        })
        .collect()
}

pub fn script_of(dockerfile: &Dockerfile, run_index: usize) -> &ShellScript {
    let runs = runs(dockerfile);
    let (_, run) = runs.get(run_index).unwrap_or_else(|| panic!("no RUN #{run_index}"));
    run.script.as_ref().unwrap_or_else(|| panic!("RUN #{run_index} has no script"))
}

/// One line per command: depth, joiner, pipeline, argv, redirects and the source text of its span.
pub fn render_script(dockerfile: &Dockerfile, script: &ShellScript) -> String {
    let mut out = String::new();
    if script.has_errors {
        out.push_str("(has errors)\n");
    }
    for command in &script.commands {
        let mut argv: Vec<String> = vec![command.program.value.clone()];
        argv.extend(command.args.iter().map(|a| if a.literal { a.value.clone() } else { format!("{}~", a.value) }));
        let env: Vec<String> = command.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let (line, column) = dockerfile.line_col(command.span.start);
        out.push_str(&format!(
            "{}{:?} p{} {}{}{} @{line}:{column} {:?}\n",
            "  ".repeat(command.depth as usize),
            command.joiner,
            command.pipeline,
            if env.is_empty() { String::new() } else { format!("[{}] ", env.join(" ")) },
            argv.join(" "),
            if command.redirects.is_empty() { String::new() } else { format!(" {{{}}}", command.redirects.join(", ")) },
            text_at(dockerfile, command.span),
        ));
    }
    out
}
