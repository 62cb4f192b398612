//! `rampart audit`: connects to the Docker engine (like the Docker CLI would), collects a
//! snapshot read-only, and checks every container (created and exited ones too) and the daemon.
//! `--save-snapshot FILE` keeps what was collected; `--snapshot FILE` replays it offline.
//!
//! With no engine reachable it still lints the Dockerfiles and compose files under the current
//! directory, says which engine it tried and why that failed, and exits 2 only when nothing at
//! all could be audited.

use crate::{exit_code, EXIT_ERROR};
use rampart_engine::{collect, resolve_endpoint, CollectOptions, EngineError, Environment};
use rampart_model::{Finding, Notice, Report, Snapshot, SNAPSHOT_VERSION};
use rampart_report::Format;
use rampart_rules::checklist::answer_checklist;
use rampart_rules::{check_container, check_snapshot, ContainerContext, Settings, SnapshotContext, RULES};
use rampart_scan::{scan, FailOn, ScanOptions};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct AuditArgs {
    /// The engine to audit: unix:///path, tcp://host:port [default: like the Docker CLI:
    /// DOCKER_CONTEXT, DOCKER_HOST, the current context, /var/run/docker.sock].
    #[arg(long, short = 'H', value_name = "HOST", conflicts_with = "snapshot")]
    host: Option<String>,
    /// Audit a snapshot saved with --save-snapshot instead of a live engine.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Also write what was collected to FILE (JSON), to replay later with --snapshot.
    #[arg(long, value_name = "FILE")]
    save_snapshot: Option<PathBuf>,
    /// Seconds to wait for each engine request.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    timeout: Duration,
    /// Output format.
    #[arg(long, short = 'f', default_value = "tty", value_parser = clap::builder::PossibleValuesParser::new(Format::NAMES))]
    format: String,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity: info, low, medium, high, critical,
    /// or never [default: medium].
    #[arg(long, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Switch a rule off (code, name or peer ID such as CIS-5.4); repeat or separate with commas.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Show only findings that are not in this earlier JSON report, and list what was fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
}

pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 3600")),
    }
}

pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let mut ignored = Vec::new();
    for id in &args.ignore {
        let rule = rampart_rules::find(id).ok_or_else(|| anyhow::anyhow!("--ignore: no rule is named `{id}`"))?;
        ignored.push(rule.meta.code);
    }
    let rules = || RULES.iter().copied().filter(|rule| !ignored.contains(&rule.meta.code));
    let fail_on = args.fail_on.unwrap_or(FailOn::DEFAULT);
    let baseline = args.baseline.as_deref().map(crate::load_baseline).transpose()?;

    let snapshot = match &args.snapshot {
        Some(path) => Ok(load_snapshot(path)?),
        None => collect_live(args.host.as_deref(), args.timeout),
    };
    let mut stderr = anstream::stderr();
    let (mut report, files, texts) = match snapshot {
        Ok(snapshot) => {
            if let Some(path) = &args.save_snapshot {
                let json = serde_json::to_string_pretty(&snapshot)?;
                std::fs::write(path, json).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            }
            (audit_snapshot(&snapshot, rules()), Vec::new(), HashMap::new())
        }
        Err(failure) => {
            let _ = writeln!(stderr, "rampart: {failure}");
            // Still useful: lint what is on disk here.
            let mut options = ScanOptions { paths: vec![PathBuf::from(".")], ..ScanOptions::default() };
            for rule in &args.ignore {
                options.ignore_rule(rule);
            }
            let result = scan(&options);
            let mut report = result.report;
            report.checklist = answer_checklist(None, &report.findings, Some(&failure));
            report.notices.insert(0, Notice { kind: "engine-unreachable".into(), path: String::new(), line: None, message: failure });
            let files: Vec<String> = result.files.iter().map(|f| f.path.clone()).collect();
            let texts: HashMap<String, String> = result.files.into_iter().map(|f| (f.path, f.text)).collect();
            if files.is_empty() && report.errors.is_empty() {
                let _ = writeln!(stderr, "rampart: nothing could be audited: no engine, and no Dockerfile or compose file under the current directory");
                print_report(&report, format, &args, &files, &texts)?;
                return Ok(EXIT_ERROR);
            }
            (report, files, texts)
        }
    };
    if let Some(baseline) = &baseline {
        rampart_report::apply_baseline(&mut report, baseline);
    }
    print_report(&report, format, &args, &files, &texts)?;
    Ok(exit_code(&report, fail_on))
}

fn print_report(
    report: &Report,
    format: Format,
    args: &AuditArgs,
    files: &[String],
    texts: &HashMap<String, String>,
) -> anyhow::Result<()> {
    let source = |path: &str| texts.get(path).cloned();
    let file_names: Vec<&str> = files.iter().map(String::as_str).collect();
    crate::emit_report(report, format, args.output.as_deref(), &file_names, &source)
}

/// Collects from the engine; on failure, a message naming the engine, what chose it, the
/// reason, and for a permission problem what to do about it.
pub(crate) fn collect_live(host: Option<&str>, timeout: Duration) -> Result<Snapshot, String> {
    let endpoint = resolve_endpoint(host, &Environment::from_process())
        .map_err(|e| format!("cannot find the engine to audit: {e}"))?;
    let mut options = CollectOptions::new(endpoint.clone());
    options.timeout = timeout;
    collect(&options).map_err(|error| {
        let mut message = format!("cannot audit the engine {} (chosen by {}): {error}", endpoint.host, endpoint.chosen_by);
        if error.is_permission_denied() {
            message.push_str(
                "\nhint: this user may not open the engine's socket. Run rampart with sudo, or add the user to \
                 the `docker` group, knowing that membership is equivalent to root on this host (any member can \
                 start a privileged container that mounts /).",
            );
        } else if matches!(error, EngineError::Timeout { .. }) {
            message.push_str(&format!("\nhint: raise --timeout (now {} s) if the engine is slow.", timeout.as_secs_f64()));
        }
        message
    })
}

pub(crate) fn load_snapshot(path: &PathBuf) -> anyhow::Result<Snapshot> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let snapshot: Snapshot =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: not a rampart snapshot: {e}", path.display()))?;
    if snapshot.snapshot_version > SNAPSHOT_VERSION {
        anyhow::bail!(
            "{}: snapshot version {} is newer than this rampart reads ({SNAPSHOT_VERSION})",
            path.display(),
            snapshot.snapshot_version
        );
    }
    Ok(snapshot)
}

/// Every container rule over every container, the snapshot rules over the whole snapshot; what
/// could not be collected becomes a notice.
pub fn audit_snapshot<'r>(snapshot: &Snapshot, rules: impl Iterator<Item = &'r rampart_rules::Rule> + Clone) -> Report {
    let settings = Settings::default();
    let mut findings: Vec<Finding> = Vec::new();
    for container in &snapshot.containers {
        let cx = ContainerContext { spec: &container.spec, settings: &settings };
        findings.extend(check_container(&cx, rules.clone()));
    }
    findings.extend(check_snapshot(&SnapshotContext { snapshot, settings: &settings }, rules));
    let notices = snapshot
        .notes
        .iter()
        .map(|note| Notice { kind: "not-collected".into(), path: note.collector.clone(), line: None, message: note.message.clone() })
        .collect();
    let mut report = Report::new(findings, Vec::new(), notices, 0, 0);
    report.weigh_context(snapshot);
    report.checklist = answer_checklist(Some(snapshot), &report.findings, None);
    report
}
