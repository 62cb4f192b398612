//! `rampart audit`: connects to the Docker engine (like the Docker CLI would), collects a
//! snapshot read-only, and checks every container (created and exited ones too) and the daemon.
//! `--save-snapshot FILE` keeps what was collected; `--snapshot FILE` replays it offline.
//!
//! With no engine reachable it still lints the Dockerfiles and compose files under the current
//! directory, says which engine it tried and why that failed, and exits 2 only when nothing at
//! all could be audited.

use crate::{exit_code, EXIT_ERROR};
use crate::image::{analyse, export_and_read, ReadBudget};
use crate::progress::Progress;
use rampart_engine::{collect, resolve_endpoint, CollectOptions, Endpoint, EngineError, Environment};
use rampart_model::{CollectorNote, Finding, ImageSummary, Notice, Report, Snapshot, Target, SNAPSHOT_VERSION};
use rampart_rules::image::image_object;
use rampart_report::Format;
use rampart_rules::checklist::answer_checklist;
use rampart_rules::{check_container, check_snapshot, ContainerContext, Settings, SnapshotContext, RULES};
use rampart_scan::{parse_size, scan, FailOn, ScanOptions};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// The engine to audit: unix:///path, tcp://host:port, ssh://[user@]host[:port] (runs
    /// `docker system dial-stdio` there with the system ssh; extra ssh options in
    /// RAMPART_SSH_OPTS) [default: like the Docker CLI: DOCKER_CONTEXT, DOCKER_HOST, the current
    /// context, /var/run/docker.sock].
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
    #[command(flatten)]
    report: crate::ReportArgs,
    /// Show only findings that are not in this earlier JSON report, and list what was fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Do not read the images containers use (their layers: files, secrets, packages, base
    /// OS); judge images by their config and history only.
    #[arg(long)]
    no_image_content: bool,
    /// Seconds to spend reading one image's export before giving up on it (a note says so);
    /// an export that sends nothing for half that time (at most 60 s) is given up sooner.
    #[arg(long, value_name = "SECONDS", default_value = "300", value_parser = parse_seconds)]
    image_timeout: Duration,
    /// Largest image export (the `docker save` stream) to read [default: 16GiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_image_size: Option<usize>,
    /// Show a progress line (images, layers, bytes) on standard error while images are read;
    /// only on a terminal.
    #[arg(long)]
    progress: bool,
    #[command(flatten)]
    vulnerabilities: crate::vulns::VulnArgs,
}

/// Images read at once: each read is one decompressing thread, and the machine may have few cores.
const IMAGE_READERS: usize = 2;

pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 3600")),
    }
}

pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    let format = args.report.format()?;
    let ignored = args.report.ignored_codes()?;
    let rules = || RULES.iter().copied().filter(|rule| !ignored.contains(&rule.meta.code));
    let fail_on = args.report.fail_on.unwrap_or(FailOn::DEFAULT);
    let baseline = args.baseline.as_deref().map(crate::load_baseline).transpose()?;

    // The images' packages are matched as they are read; a replayed snapshot keeps the matches.
    let reads_images = args.snapshot.is_none() && !args.no_image_content;
    let mut scanner = if reads_images { Some(crate::vulns::VulnerabilityScanner::open(&args.vulnerabilities)?) } else { None };
    let snapshot = match &args.snapshot {
        Some(path) => Ok(load_snapshot(path)?),
        None => connect_and_collect(args.host.as_deref(), args.timeout).map(|(mut snapshot, endpoint)| {
            if let Some(scanner) = scanner.as_mut() {
                let budget = ImageBudget {
                    timeout: args.image_timeout,
                    max_bytes: args.max_image_size.map_or(DEFAULT_MAX_IMAGE_BYTES, |size| size as u64),
                };
                let progress = Progress::new(args.progress);
                read_image_contents(&mut snapshot, &endpoint, &budget, scanner, &progress);
                progress.finish();
            }
            snapshot
        }),
    };
    let mut stderr = anstream::stderr();
    let (mut report, files, texts) = match &snapshot {
        Ok(snapshot) => {
            if let Some(path) = &args.save_snapshot {
                let json = serde_json::to_string_pretty(snapshot)?;
                std::fs::write(path, json).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            }
            let mut report = audit_snapshot(snapshot, rules());
            match scanner {
                Some(scanner) => scanner.finish(&mut report),
                None => report.notices.extend(crate::vulns::vex_not_applied(&args.vulnerabilities)),
            }
            (report, Vec::new(), HashMap::new())
        }
        Err(failure) => {
            let failure = failure.clone();
            let _ = writeln!(stderr, "rampart: {failure}");
            // Still useful: lint what is on disk here.
            let mut options = ScanOptions { paths: vec![PathBuf::from(".")], ..ScanOptions::default() };
            for rule in &args.report.ignore {
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
                print_report(&report, format, &args, &files, &texts, None)?;
                return Ok(EXIT_ERROR);
            }
            (report, files, texts)
        }
    };
    if let Some(baseline) = &baseline {
        rampart_report::apply_baseline(&mut report, baseline);
    }
    print_report(&report, format, &args, &files, &texts, snapshot.as_ref().ok())?;
    Ok(exit_code(&report, fail_on))
}

fn print_report(
    report: &Report,
    format: Format,
    args: &AuditArgs,
    files: &[String],
    texts: &HashMap<String, String>,
    snapshot: Option<&Snapshot>,
) -> anyhow::Result<()> {
    let source = |path: &str| texts.get(path).cloned();
    let file_names: Vec<&str> = files.iter().map(String::as_str).collect();
    crate::emit_host_report(report, format, args.report.output.as_deref(), &file_names, &source, snapshot)
}

/// Collects from the engine; on failure, a message naming the engine, what chose it, the
/// reason, and for a permission problem what to do about it.
pub(crate) fn collect_live(host: Option<&str>, timeout: Duration) -> Result<Snapshot, String> {
    connect_and_collect(host, timeout).map(|(snapshot, _)| snapshot)
}

/// [`collect_live`], also giving the endpoint it chose (the image reads go to the same engine).
fn connect_and_collect(host: Option<&str>, timeout: Duration) -> Result<(Snapshot, Endpoint), String> {
    let endpoint = resolve_endpoint(host, &Environment::from_process())
        .map_err(|e| format!("cannot find the engine to audit: {e}"))?;
    let mut options = CollectOptions::new(endpoint.clone());
    options.timeout = timeout;
    collect(&options).map(|snapshot| (snapshot, endpoint.clone())).map_err(|error| {
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
    let content_rules: Vec<&rampart_rules::Rule> = rules.clone().filter(|rule| rule.meta.target == Target::Image).collect();
    for image in &snapshot.images {
        if let Some(content) = &image.content {
            findings.extend(crate::image::check_content(content, &content_rules));
        }
    }
    findings.extend(check_snapshot(&SnapshotContext { snapshot, settings: &settings }, rules));
    let notices = snapshot
        .notes
        .iter()
        .map(|note| Notice { kind: "not-collected".into(), path: note.collector.clone(), line: None, message: note.message.clone() })
        .collect();
    let mut report = Report::new(findings, Vec::new(), notices, 0, 0);
    report.images = snapshot
        .images
        .iter()
        .map(|image| ImageSummary { object: image_object(image), id: image.id.clone(), tags: image.tags.clone(), base_os: image.base_os.clone() })
        .collect();
    report.weigh_context(snapshot);
    report.checklist = answer_checklist(Some(snapshot), &report.findings, None);
    report
}

/// The longest an image export may send nothing before it is given up (at most half of
/// `--image-timeout`).
const MAX_IDLE: Duration = Duration::from_secs(60);

/// One image being read.
struct Running {
    object: String,
    /// The deadline plus a grace period: past it the read is abandoned.
    give_up_at: Instant,
    /// Bytes of the export read so far (updated by the reader).
    bytes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    seen: u64,
    last_change: Instant,
    started: Instant,
}

/// Default for `--max-image-size`: the export of one image.
const DEFAULT_MAX_IMAGE_BYTES: u64 = 16 << 30;

/// What reading one image's export may cost.
struct ImageBudget {
    timeout: Duration,
    max_bytes: u64,
}

/// Reads the content of each distinct image the snapshot's containers use (streamed from the
/// engine's export, [`IMAGE_READERS`] at a time, each within `budget`) into the snapshot's image
/// facts: what the image content rules judge, and the base OS. An image that cannot be read
/// becomes a note, and the rest of the audit goes on.
fn read_image_contents(
    snapshot: &mut Snapshot,
    endpoint: &Endpoint,
    budget: &ImageBudget,
    scanner: &mut crate::vulns::VulnerabilityScanner,
    progress: &Progress,
) {
    let mut wanted: Vec<String> = snapshot.containers.iter().map(|c| c.image_id.clone()).filter(|id| !id.is_empty()).collect();
    wanted.sort();
    wanted.dedup();
    let mut jobs: std::collections::VecDeque<(usize, String)> = std::collections::VecDeque::new();
    for id in wanted {
        match snapshot.images.iter().position(|image| image.id == id) {
            Some(index) => jobs.push_back((index, image_object(&snapshot.images[index]))),
            // Removed between listing containers and listing images: nothing to read.
            None => snapshot.notes.push(CollectorNote { collector: format!("image content {id}"), message: "a container uses this image, but the engine no longer lists it".into() }),
        }
    }
    progress.expect(jobs.len());
    let limits = rampart_image::Limits::default();
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut running: HashMap<usize, Running> = HashMap::new();
    // Past the reader's own deadline, a stalled stream gets this long to fail on its own before
    // it is given up (its thread is left behind, blocked on the engine, and ends with rampart).
    let grace = Duration::from_secs(5);
    // An export that sends nothing for this long is given up before its deadline: a daemon
    // that hangs should not cost the whole --image-timeout.
    let idle_limit = (budget.timeout / 2).min(MAX_IDLE);
    loop {
        while running.len() < IMAGE_READERS {
            let Some((index, object)) = jobs.pop_front() else { break };
            let started = Instant::now();
            let read_budget = ReadBudget { max_bytes: Some(budget.max_bytes), deadline: Some(started + budget.timeout), ..ReadBudget::default() };
            let (endpoint, limits, sender, id, name) = (endpoint.clone(), limits.clone(), sender.clone(), snapshot.images[index].id.clone(), object.clone());
            let tracker = progress.start(object.strip_prefix("image:").unwrap_or(&object), None);
            let bytes = std::sync::Arc::clone(&read_budget.bytes_read);
            running.insert(index, Running { object, give_up_at: started + budget.timeout + grace, bytes, seen: 0, last_change: started, started });
            std::thread::spawn(move || {
                let result = export_and_read(&endpoint, &id, &limits, &read_budget, tracker).map(|(image, collector)| analyse(&image, &collector, &name));
                // The receiver is gone only when the audit stopped waiting for this image.
                let _ = sender.send((index, result));
            });
        }
        if running.is_empty() {
            break;
        }
        // Wake at least once a second to look for stalled exports.
        match receiver.recv_timeout(Duration::from_secs(1)) {
            Ok((index, result)) => {
                let Some(read) = running.remove(&index) else { continue };
                let image = &mut snapshot.images[index];
                match result {
                    Ok(mut analysis) => {
                        scanner.scan(&mut analysis.content, &analysis.packages, &image.tags);
                        image.base_os = analysis.base_os;
                        image.content = Some(Box::new(analysis.content));
                    }
                    Err(message) => snapshot.notes.push(CollectorNote { collector: format!("image content {}", read.object), message }),
                }
            }
            Err(_) => {
                let now = Instant::now();
                let mut given_up = Vec::new();
                for (index, read) in running.iter_mut() {
                    let bytes = read.bytes.load(std::sync::atomic::Ordering::Relaxed);
                    if bytes != read.seen {
                        read.seen = bytes;
                        read.last_change = now;
                    }
                    let past_deadline = now.duration_since(read.started) >= budget.timeout;
                    let idle = now.duration_since(read.last_change) >= idle_limit;
                    // An export that is both idle and past its deadline (a daemon slow to send
                    // the first byte of a short --image-timeout) is reported as out of time.
                    if now >= read.give_up_at || (idle && past_deadline) {
                        given_up.push((*index, format!("the engine's export did not finish within the time limit of {} s (--image-timeout)", budget.timeout.as_secs_f64())));
                    } else if idle {
                        given_up.push((
                            *index,
                            format!("the engine sent nothing for {} s after {bytes} bytes of the export; given up", idle_limit.as_secs_f64()),
                        ));
                    }
                }
                for (index, message) in given_up {
                    if let Some(read) = running.remove(&index) {
                        snapshot.notes.push(CollectorNote { collector: format!("image content {}", read.object), message });
                    }
                }
            }
        }
    }
}
