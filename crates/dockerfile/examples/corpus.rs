//! Parses every file in the directories given and prints the failures and totals:
//! `cargo run --release -p rampart-dockerfile --example corpus -- DIR...`.
//! Used by bench/corpus-parse.sh; also counts RUN scripts whose shell parse had errors.

use rampart_dockerfile::{parse, Kind, ParseLimits};
use std::time::Instant;

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: corpus DIR...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for dir in &dirs {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                eprintln!("{dir}: {e}");
                std::process::exit(2);
            }
        };
        for entry in entries.flatten() {
            if entry.path().is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let contents: Vec<(std::path::PathBuf, Vec<u8>)> =
        files.into_iter().filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b))).collect();
    let limits = ParseLimits::default();
    let started = Instant::now();
    let (mut parsed, mut failed, mut runs, mut scripts, mut with_errors, mut commands) = (0, 0, 0, 0, 0, 0);
    let verbose = std::env::var_os("CORPUS_VERBOSE").is_some();
    for (path, bytes) in &contents {
        match parse(bytes, &limits) {
            Ok(dockerfile) => {
                parsed += 1;
                for instruction in &dockerfile.instructions {
                    if let Kind::Run(run) = &instruction.kind {
                        runs += 1;
                        if let Some(script) = &run.script {
                            scripts += 1;
                            commands += script.commands.len();
                            if script.has_errors {
                                with_errors += 1;
                                if verbose {
                                    println!("shell errors: {}:{}", path.display(), instruction.line);
                                }
                            }
                        }
                    }
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {}: {e}", path.display());
            }
        }
    }
    let elapsed = started.elapsed();
    println!(
        "{} files: {parsed} parsed, {failed} failed in {:.1} ms; {runs} RUN, {scripts} with a shell script \
         ({commands} commands), {with_errors} with shell parse errors",
        contents.len(),
        elapsed.as_secs_f64() * 1000.0
    );
}
