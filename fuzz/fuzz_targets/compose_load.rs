//! Feeds arbitrary text to the compose loader as one compose file (no other files exist, so
//! `extends` and `env_file` to other files fail cleanly), then runs every container rule over
//! each service. Nothing may panic; every position in the file must lie inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_compose::{load_text, LoadOptions, MemoryFiles};
use rampart_model::Origin;
use rampart_rules::{check_container, ContainerContext, Settings, RULES};
use std::path::Path;

const PATH: &str = "fuzz/compose.yaml";

/// Lines as YAML counts them: `\r\n`, a lone `\r` and `\n` all end a line.
fn line_count(text: &str) -> u32 {
    let breaks = text.replace("\r\n", "\n").bytes().filter(|&b| b == b'\n' || b == b'\r').count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}

fn check_origin(text: &str, origin: &Origin) {
    if origin.path != PATH {
        return;
    }
    let lines = line_count(text);
    assert!(origin.line >= 1 && origin.line <= lines, "line {} of {lines}", origin.line);
    assert!(origin.column >= 1);
    if let Some(defined) = &origin.defined_at {
        assert!(defined.line >= 1 && defined.line <= lines, "defined at line {} of {lines}", defined.line);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = LoadOptions {
        environment: [("SET".to_string(), "value".to_string())].into_iter().collect(),
        ..LoadOptions::default()
    };
    let files = MemoryFiles::new();
    let loaded = match load_text(Path::new(PATH), text, &options, &files) {
        Ok(loaded) => loaded,
        Err(error) => {
            if let Some(line) = error.line {
                if error.path == PATH {
                    let lines = line_count(text);
                    assert!(line >= 1 && line <= lines, "error line {line} of {lines}");
                }
            }
            return;
        }
    };
    let settings = Settings::default();
    for service in &loaded.project.services {
        let spec = &service.spec;
        if let Some(origin) = &spec.origin {
            check_origin(text, origin);
        }
        for port in &spec.ports {
            if let Some(origin) = &port.origin {
                check_origin(text, origin);
            }
        }
        for mount in &spec.mounts {
            if let Some(origin) = &mount.origin {
                check_origin(text, origin);
            }
            let _ = mount.absolute_host_path();
        }
        for var in &spec.env {
            if let Some(origin) = &var.origin {
                check_origin(text, origin);
            }
        }
        let cx = ContainerContext { spec, settings: &settings };
        let _ = check_container(&cx, RULES.iter().copied());
    }
});
