//! Scans files with the secret scanner and prints one line per finding, tab-separated:
//! `path  rule-id  family  line  redacted`, or `path  -skipped-  binary` / `path  -truncated-`.
//! With `--repeat N`, scans everything N times and prints the throughput instead (for
//! bench/secrets.py; timings belong in benchmarks, not tests).
//!
//!     cargo run --release -p rampart-secrets --example scan -- [--repeat N] FILE...

use std::time::Instant;

use rampart_secrets::{scan_bytes, Limits, Skipped};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 0usize;
    if args.first().map(String::as_str) == Some("--repeat") {
        repeat = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1);
        args.drain(..2.min(args.len()));
    }
    let files: Vec<(String, Vec<u8>)> = args
        .into_iter()
        .filter_map(|path| match std::fs::read(&path) {
            Ok(data) => Some((path, data)),
            Err(error) => {
                eprintln!("{path}: {error}");
                None
            }
        })
        .collect();
    if repeat > 0 {
        // Throughput over whole files: no size limit, or a long file would be measured by its
        // first 16 MiB.
        let limits = Limits { max_bytes: usize::MAX, ..Limits::default() };
        let bytes: usize = files.iter().map(|(_, data)| data.len()).sum();
        let started = Instant::now();
        let mut found = 0;
        for _ in 0..repeat {
            for (_, data) in &files {
                found += scan_bytes(data, limits).matches.len();
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        let megabytes = (bytes * repeat) as f64 / 1e6;
        println!("{megabytes:.1} MB in {seconds:.3} s: {:.1} MB/s, {found} findings", megabytes / seconds);
        return;
    }
    for (path, data) in &files {
        let scan = scan_bytes(data, Limits::default());
        if scan.skipped == Some(Skipped::Binary) {
            println!("{path}\t-skipped-\tbinary");
            continue;
        }
        if scan.truncated {
            println!("{path}\t-truncated-");
        }
        for found in &scan.matches {
            println!("{path}\t{}\t{}\t{}\t{}", found.rule.id, found.rule.family, found.line, found.redacted(data));
        }
    }
}
