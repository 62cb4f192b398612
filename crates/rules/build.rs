//! Generates the rule registry from the files in `src/rules/`: one rule per file, named
//! `<code>_<name>.rs` (e.g. `dkf001_sudo_in_run.rs`), each exporting `pub const RULE: Rule`.
//! Adding a rule is adding a file; nothing else needs editing.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time, not with env!(): the compiled build script can be shared between
    // checkouts of the workspace that use the same target directory.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("src/rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/rules exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter(|path| path.file_stem().and_then(|s| s.to_str()).is_some_and(is_rule_module))
        .collect();
    files.sort();

    let mut out = String::new();
    for path in &files {
        let module = path.file_stem().unwrap().to_str().unwrap();
        writeln!(out, "#[path = {:?}]\nmod {module};", path.display().to_string()).unwrap();
    }
    out.push_str("\n/// Every rule, in code order.\npub static RULES: &[&Rule] = &[\n");
    for path in &files {
        let module = path.file_stem().unwrap().to_str().unwrap();
        writeln!(out, "    &{module}::RULE,").unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("registry.rs");
    std::fs::write(target, out).unwrap();
}

/// `abc123_some_name`: three lowercase letters, three digits, an underscore.
fn is_rule_module(stem: &str) -> bool {
    let bytes = stem.as_bytes();
    bytes.len() > 7
        && bytes[..3].iter().all(u8::is_ascii_lowercase)
        && bytes[3..6].iter().all(u8::is_ascii_digit)
        && bytes[6] == b'_'
}
