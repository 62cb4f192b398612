//! Feeds arbitrary text to the `docker run` front end: the finder in all three modes (shell,
//! Makefile, Markdown) and the argv parser on NUL-separated words, then runs every container
//! rule over each spec found. Nothing may panic; every position must lie inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_model::Origin;
use rampart_rules::{check_container, ContainerContext, Settings, RULES};
use rampart_runargs::{find_run_commands, parse_command_line, ArgWord, RunCommand, SourceKind};

fn check_origin(text: &str, origin: &Origin) {
    let lines = text.split('\n').count() as u32;
    assert!(origin.line >= 1 && origin.line <= lines, "line {} of {lines}", origin.line);
    assert!(origin.column >= 1);
    if let Some(end) = origin.end_line {
        assert!(end >= origin.line && end <= lines, "end line {end} of {lines}");
    }
}

fn check_command(text: &str, command: &RunCommand, settings: &Settings) {
    let spec = &command.spec;
    if let Some(origin) = &spec.origin {
        check_origin(text, origin);
    }
    for mount in &spec.mounts {
        if let Some(origin) = &mount.origin {
            check_origin(text, origin);
        }
        let _ = mount.absolute_host_path();
    }
    let cx = ContainerContext { spec, settings };
    for finding in check_container(&cx, RULES.iter().copied()) {
        assert!(finding.location.object.is_some(), "container findings name the container");
    }
    // Specs are plain data: they survive a JSON round trip unchanged.
    let json = serde_json::to_string(spec).expect("serialisable");
    let back: rampart_model::ContainerSpec = serde_json::from_str(&json).expect("deserialisable");
    assert_eq!(&back, spec);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let settings = Settings::default();
    for kind in [SourceKind::Shell, SourceKind::Makefile, SourceKind::Markdown] {
        let found = find_run_commands(&text, "fuzz", kind);
        for command in &found.commands {
            check_command(&text, command, &settings);
        }
        for error in &found.errors {
            if let Some(origin) = &error.origin {
                check_origin(&text, origin);
            }
        }
    }
    // Words as a program would receive them: `docker\0run\0--privileged\0img`.
    let words: Vec<ArgWord> = text.split('\0').map(ArgWord::literal).collect();
    let mut argv = vec![ArgWord::literal("docker"), ArgWord::literal("run")];
    argv.extend(words.iter().cloned());
    for candidate in [&words, &argv] {
        if let Ok(command) = parse_command_line(candidate) {
            let cx = ContainerContext { spec: &command.spec, settings: &settings };
            let _ = check_container(&cx, RULES.iter().copied());
        }
    }
});
