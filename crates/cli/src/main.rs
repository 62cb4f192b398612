//! The `rampart` binary: argument parsing and exit codes only; the work is in the libraries.

mod rules_cmd;

use clap::{Parser, Subcommand};
use rampart_model::{Report, Severity};
use rampart_report::{render, Format, RenderOptions};
use rampart_scan::{scan, ScanOptions};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or
/// input errors.
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(name = "rampart", version, about = "Audits Docker deployments and helps harden them.")]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Analyse Dockerfiles (and, later, compose files) under PATHs (default: the current directory).
    Scan(ScanArgs),
    /// List the rules, or show one rule's documentation.
    Rules {
        /// A rule code, name or peer alias (DKF001, sudo-in-run, DL3004).
        rule: Option<String>,
        /// Output format for the list: tty or json.
        #[arg(long, default_value = "tty")]
        format: String,
    },
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories. Directories are searched for Dockerfile, Dockerfile.*, *.Dockerfile
    /// and Containerfile, honouring .gitignore; a file named here is analysed whatever its name.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', default_value = "tty", value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Largest file to read, in bytes.
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<usize>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Commands::Scan(args) => run_scan(args),
        Commands::Rules { rule, format } => rules_cmd::run(rule.as_deref(), &format),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "rampart: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run_scan(args: ScanArgs) -> anyhow::Result<u8> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let mut options = ScanOptions {
        paths: if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths },
        ..ScanOptions::default()
    };
    if let Some(max) = args.max_file_size {
        options.limits.max_bytes = max;
    }
    let fail_on = args.fail_on.unwrap_or(Severity::Medium);
    let result = scan(&options);
    let sources: HashMap<&str, &str> = result.files.iter().map(|f| (f.path.as_str(), f.text.as_str())).collect();
    let source = |path: &str| sources.get(path).map(|s| s.to_string());
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = render(&result.report, format, &RenderOptions { color, source: &source });
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
        }
    }
    Ok(exit_code(&result.report, fail_on))
}

/// 2 when an input could not be read or parsed, else 1 when a finding reaches `fail_on`.
fn exit_code(report: &Report, fail_on: Severity) -> u8 {
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if report.findings.iter().any(|f| f.severity >= fail_on) {
        EXIT_FINDINGS
    } else {
        0
    }
}
