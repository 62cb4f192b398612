//! Loads every compose file of a directory, each alone (as `docker compose -f FILE config`
//! would, with an empty environment), and prints the ones that fail with their position, then a
//! summary with the time taken. A panic is reported as such and makes the exit code 2.
//!
//! cargo run --release -p rampart-compose --example load_corpus -- DIR
//! With a file instead of a directory, prints the loaded project as JSON (for a look at origins).

use rampart_compose::{load, LoadOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: load_corpus DIR");
        std::process::exit(64);
    };
    if std::path::Path::new(&dir).is_file() {
        match load(&[PathBuf::from(&dir)], &LoadOptions::default()) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    eprintln!("warning: {warning}");
                }
                println!("{}", serde_json::to_string_pretty(&loaded.project).unwrap_or_default());
            }
            Err(error) => println!("{error}"),
        }
        return;
    }
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(66);
        }
    };
    files.sort();
    let options = LoadOptions::default();
    let (mut loaded, mut failed, mut panicked, mut services) = (0, 0, 0, 0);
    let start = Instant::now();
    for file in &files {
        let outcome = std::panic::catch_unwind(|| load(std::slice::from_ref(file), &options));
        match outcome {
            Ok(Ok(project)) => {
                loaded += 1;
                services += project.project.services.len();
            }
            Ok(Err(error)) => {
                failed += 1;
                println!("{error}");
            }
            Err(_) => {
                panicked += 1;
                println!("{}: PANIC", file.display());
            }
        }
    }
    let elapsed = start.elapsed();
    println!(
        "{} files: {loaded} loaded ({services} services), {failed} rejected, {panicked} panics, in {:.1} ms",
        files.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    if panicked > 0 {
        std::process::exit(2);
    }
}
