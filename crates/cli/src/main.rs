//! The `rampart` binary: argument parsing and exit codes only; the work is in the libraries.

mod audit;
mod check_run;
mod color;
mod db_cmd;
mod image;
mod map_cmd;
mod progress;
mod rules_cmd;
mod sbom;
mod vulns;

use clap::{Parser, Subcommand};
use rampart_model::{Report, RuleMeta};
use rampart_report::{render, Format, RenderOptions};
use rampart_scan::{find_config, parse_size, scan, Config, FailOn, ScanOptions};
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
    /// Audit a Docker host: the daemon's settings and every container (created and exited ones
    /// too), read-only. Finds the engine like the Docker CLI; --snapshot replays a saved audit.
    Audit(audit::AuditArgs),
    /// Draw the host's architecture: the daemon, containers, images, networks, published ports
    /// and mounts, as Graphviz DOT, Mermaid, JSON or SVG (live, or from --snapshot FILE).
    Map(map_cmd::MapArgs),
    /// Analyse Dockerfiles (and, later, compose files) under PATHs (default: the current directory).
    Scan(ScanArgs),
    /// Check one `docker run` / `docker create` / `podman run` command line:
    /// `rampart check-run -- docker run --privileged nginx`.
    CheckRun(check_run::CheckRunArgs),
    /// Check one image: a `docker save` tar, an OCI layout directory or archive, or a root
    /// file system directory (its config, history and files).
    Image(image::ImageArgs),
    /// List the packages installed in an image (dpkg, apk, Python, npm) as CycloneDX 1.6 or
    /// SPDX 2.3 JSON.
    Sbom(sbom::SbomArgs),
    /// The vulnerability advisory database: import OSV records, show its status.
    Db(db_cmd::DbArgs),
    /// List the rules, or show one rule's documentation.
    Rules {
        /// A rule code, name or peer alias (DKF001, sudo-in-run, DL3004).
        rule: Option<String>,
        /// Output format for the list: tty or json.
        #[arg(long, default_value = "tty")]
        format: String,
    },
}

/// The flags every command that writes a findings report takes: how to write it, when to fail,
/// and which rules to switch off.
#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Output format.
    #[arg(long, short = 'f', default_value = "tty", value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity: info, low, medium, high, critical,
    /// or never [default: medium, or `fail-on` in rampart.toml for scan].
    #[arg(long, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<FailOn>,
    /// Switch a rule off (code, name or peer ID such as DL3008 or CIS-5.4); repeat or separate
    /// with commas.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
}

impl ReportArgs {
    pub(crate) fn format(&self) -> anyhow::Result<Format> {
        self.format.parse().map_err(anyhow::Error::msg)
    }

    /// The codes of the rules `--ignore` names; an unknown name is an error.
    pub(crate) fn ignored_codes(&self) -> anyhow::Result<Vec<&'static str>> {
        self.ignore
            .iter()
            .map(|id| rampart_rules::find(id).map(|rule| rule.meta.code).ok_or_else(|| anyhow::anyhow!("--ignore: no rule is named `{id}`")))
            .collect()
    }
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories. Directories are searched for Dockerfile, Dockerfile.*, *.Dockerfile
    /// and Containerfile, honouring .gitignore; a file named here is analysed whatever its name.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    report: crate::ReportArgs,
    /// Largest file to read: bytes, or a size such as 512KB or 16MiB [default: 16MiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_file_size: Option<usize>,
    /// Read this config file instead of looking for rampart.toml in the current directory and
    /// its parents (up to the git root).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Do not read any rampart.toml.
    #[arg(long)]
    no_config: bool,
    /// Show only findings that are not in this earlier JSON report, and list what was fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Commands::Audit(args) => audit::run(args),
        Commands::Map(args) => map_cmd::run(args),
        Commands::Scan(args) => run_scan(args),
        Commands::CheckRun(args) => check_run::run(args),
        Commands::Image(args) => image::run(args),
        Commands::Sbom(args) => sbom::run(args),
        Commands::Db(args) => db_cmd::run(args),
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
    let format: Format = args.report.format()?;
    let config = load_config(&args)?;
    let mut options = ScanOptions {
        paths: if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths },
        ..ScanOptions::default()
    };
    if let Some(config) = &config {
        options.apply_config(config);
    }
    // Command-line flags win over the config file.
    for rule in &args.report.ignore {
        options.ignore_rule(rule);
    }
    if let Some(max) = args.max_file_size {
        options.limits.max_bytes = max;
    }
    let fail_on = args.report.fail_on.or(config.as_ref().and_then(|c| c.fail_on)).unwrap_or(FailOn::DEFAULT);
    let baseline = args.baseline.as_deref().map(load_baseline).transpose()?;
    let mut result = scan(&options);
    if let Some(baseline) = &baseline {
        rampart_report::apply_baseline(&mut result.report, baseline);
    }
    let sources: HashMap<&str, &str> = result.files.iter().map(|f| (f.path.as_str(), f.text.as_str())).collect();
    let source = |path: &str| sources.get(path).map(|s| s.to_string());
    let files: Vec<&str> = result.files.iter().map(|file| file.path.as_str()).collect();
    emit_report(&result.report, format, args.report.output.as_deref(), &files, &source)?;
    Ok(exit_code(&result.report, fail_on))
}

/// Renders `report` in `format` (colour only on a terminal) and writes it to `output` or
/// standard output. Input errors are part of every format; they also go to stderr, where CI logs
/// show them, unless the terminal report on stdout already lists them.
pub(crate) fn emit_report(
    report: &Report,
    format: Format,
    output: Option<&std::path::Path>,
    files: &[&str],
    source: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<()> {
    emit_host_report(report, format, output, files, source, None)
}

/// [`emit_report`] for a report about an audited host: HTML and Markdown also draw `snapshot`'s
/// map and name the host in their header.
pub(crate) fn emit_host_report(
    report: &Report,
    format: Format,
    output: Option<&std::path::Path>,
    files: &[&str],
    source: &dyn Fn(&str) -> Option<String>,
    snapshot: Option<&rampart_model::Snapshot>,
) -> anyhow::Result<()> {
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    let color = color::use_color_from_env(to_terminal);
    let rules: Vec<&RuleMeta> = rampart_rules::RULES.iter().map(|rule| &rule.meta).collect();
    let now = rampart_image::now_utc();
    let options = RenderOptions { color, source, rules: &rules, files, snapshot, generated_at: Some(&now) };
    let text = render(report, format, &options);
    if output.is_some() || format != Format::Tty {
        let mut stderr = anstream::stderr();
        for error in &report.errors {
            let _ = writeln!(stderr, "rampart: error: {}", describe_input_error(error));
        }
    }
    write_output(output, &text)
}

/// Writes `text` to `output`, or to standard output when there is none.
pub(crate) fn write_output(output: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// The config named with `--config`, else the nearest rampart.toml, else none (`--no-config`).
/// A config that cannot be read or has a mistake stops the run: scanning with half a policy
/// would report the wrong things.
fn load_config(args: &ScanArgs) -> anyhow::Result<Option<Config>> {
    let path = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(path.clone())
    } else {
        let cwd = std::env::current_dir().map_err(|e| anyhow::anyhow!("cannot read the current directory: {e}"))?;
        find_config(&cwd)
    };
    match path {
        Some(path) => Ok(Some(Config::load(&path)?)),
        None => Ok(None),
    }
}

fn describe_input_error(error: &rampart_model::InputError) -> String {
    match (error.line, error.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", error.path, error.message),
        (Some(line), None) => format!("{}:{line}: {}", error.path, error.message),
        _ => format!("{}: {}", error.path, error.message),
    }
}

/// 2 when an input could not be read or parsed, else 1 when a finding reaches `fail_on`.
fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if report.findings.iter().any(|f| fail_on.is_reached_by(f.severity)) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// Reads an earlier `--format json` report for `--baseline`.
fn load_baseline(path: &std::path::Path) -> anyhow::Result<rampart_model::Report> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("--baseline: cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("--baseline: {} is not a rampart JSON report: {e}", path.display()))
}
