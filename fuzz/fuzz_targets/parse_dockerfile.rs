//! Parses arbitrary bytes as a Dockerfile and walks everything the parser produced, checking
//! that every span lies inside the source and that position helpers and variable expansion
//! never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_dockerfile::{parse, CommandForm, Dockerfile, Instruction, Kind, ParseLimits, ShellScript, Span};

fn check_span(dockerfile: &Dockerfile, span: Span) {
    assert!(span.start <= span.end, "span {span:?} is reversed");
    assert!(span.end as usize <= dockerfile.source.len(), "span {span:?} past the end");
    let _ = dockerfile.line_col(span.start);
    let _ = dockerfile.line_col(span.end);
}

fn check_script(dockerfile: &Dockerfile, script: &ShellScript) {
    for command in &script.commands {
        check_span(dockerfile, command.span);
        check_span(dockerfile, command.program.span);
        for arg in &command.args {
            check_span(dockerfile, arg.span);
        }
        assert!(script.pipelines.get(command.pipeline).is_some(), "dangling pipeline index");
        assert!(script.scopes.get(command.scope).is_some(), "dangling scope index");
        let _ = command.name();
        let _ = command.has_flag(&["-y", "--yes", "-q"]);
    }
    for (index, scope) in script.scopes.iter().enumerate() {
        check_span(dockerfile, scope.span);
        assert!(scope.parent.is_none_or(|parent| parent < index), "scope {index} has a later parent");
    }
    for assignment in &script.assignments {
        check_span(dockerfile, assignment.span);
        check_span(dockerfile, assignment.value.span);
        assert!(assignment.position <= script.commands.len(), "assignment after the last command");
        let _ = script.variable_before(assignment.position, &assignment.name);
    }
    for index in 0..script.commands.len() {
        assert!(script.command_as_run(index).is_some(), "command {index} has no run form");
    }
}

fn check_form(dockerfile: &Dockerfile, form: &CommandForm) {
    match form {
        CommandForm::Exec(words) => words.iter().for_each(|w| check_span(dockerfile, w.span)),
        CommandForm::Shell(text) => {
            check_span(dockerfile, text.span);
            for i in 0..=text.text.len() {
                assert!(text.source_offset(i) as usize <= dockerfile.source.len());
            }
        }
    }
}

fn check_instruction(dockerfile: &Dockerfile, index: usize, instruction: &Instruction) {
    check_span(dockerfile, instruction.span);
    check_span(dockerfile, instruction.keyword_span);
    instruction.flags.iter().for_each(|f| check_span(dockerfile, f.span));
    match &instruction.kind {
        Kind::From { image, alias, .. } => {
            check_span(dockerfile, image.span);
            alias.iter().for_each(|a| check_span(dockerfile, a.span));
            let _ = dockerfile.expand(index, &image.value);
        }
        Kind::Run(run) => {
            check_form(dockerfile, &run.command);
            run.heredocs.iter().for_each(|h| check_span(dockerfile, h.span));
            run.mounts.iter().for_each(|m| check_span(dockerfile, m.span));
            if let Some(script) = &run.script {
                check_script(dockerfile, script);
            }
        }
        Kind::Copy(copy) | Kind::Add(copy) => {
            copy.sources.iter().for_each(|w| check_span(dockerfile, w.span));
            copy.heredocs.iter().for_each(|h| check_span(dockerfile, h.span));
            check_span(dockerfile, copy.dest.span);
        }
        Kind::Env(pairs) | Kind::Label(pairs) => {
            for pair in pairs {
                check_span(dockerfile, pair.key.span);
                check_span(dockerfile, pair.value.span);
                let _ = dockerfile.expand(index, &pair.value.value);
            }
        }
        Kind::Arg(decls) => {
            for decl in decls {
                check_span(dockerfile, decl.name.span);
                decl.default.iter().for_each(|d| check_span(dockerfile, d.span));
            }
        }
        Kind::Cmd(form) | Kind::Entrypoint(form) | Kind::Healthcheck(Some(form)) => check_form(dockerfile, form),
        Kind::Onbuild(inner) => check_instruction(dockerfile, index, inner),
        Kind::User { user, group } => {
            check_span(dockerfile, user.span);
            group.iter().for_each(|g| check_span(dockerfile, g.span));
        }
        Kind::Expose(words) | Kind::Shell(words) | Kind::Volume(words) => {
            words.iter().for_each(|w| check_span(dockerfile, w.span))
        }
        Kind::Workdir(word) | Kind::Stopsignal(word) | Kind::Maintainer(word) => check_span(dockerfile, word.span),
        Kind::Healthcheck(None) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = ParseLimits { max_bytes: 1 << 20, max_shell_depth: 8 };
    let Ok(dockerfile) = parse(data, &limits) else { return };
    for (index, instruction) in dockerfile.instructions.iter().enumerate() {
        check_instruction(&dockerfile, index, instruction);
    }
    for comment in &dockerfile.comments {
        check_span(&dockerfile, comment.span);
        assert_eq!(dockerfile.line_col(comment.span.start).0, comment.line);
    }
    for stage in &dockerfile.stages {
        assert!(stage.instructions.end <= dockerfile.instructions.len());
        let _ = dockerfile.stage_instructions(stage);
    }
    let _ = dockerfile.line_text(1);
});
