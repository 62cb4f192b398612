//! `rampart image IMAGE`: one image, read from a `docker save` tar, an OCI layout directory or
//! archive, a root file system directory, or the engine's image export, checked with the image
//! rules; same formats, `--fail-on` and exit codes as `scan`.

use crate::exit_code;
use crate::progress::{Progress, Tracker};
use rampart_engine::Endpoint;
use rampart_image::{image_content, open, packages, read_image_stream, today_utc, ContentCollector, Image, ImageError, Limits, Package};
use rampart_model::{BaseOs, Finding, ImageContent, ImageFacts, ImageSummary, InputError, Report, Snapshot};
use rampart_rules::{check_image, check_snapshot, ImageContext, Rule, Settings, SnapshotContext, RULES};
use rampart_scan::{parse_size, FailOn};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct ImageArgs {
    /// A `docker save` tar (legacy or OCI layout), an OCI image layout directory or archive,
    /// a root file system directory, or else the name or ID of an image of the engine (streamed
    /// from its image export, never written to disk).
    image: PathBuf,
    /// The engine to export a named image from (like `docker -H`); default: as the Docker CLI
    /// finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context, the local socket).
    #[arg(long, short = 'H', value_name = "HOST")]
    host: Option<String>,
    #[command(flatten)]
    report: crate::ReportArgs,
    /// Largest uncompressed layer to read [default: 16GiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_layer_size: Option<usize>,
    /// Show a progress line (layers, bytes) on standard error while the image is read; only on
    /// a terminal.
    #[arg(long)]
    progress: bool,
    #[command(flatten)]
    vulnerabilities: crate::vulns::VulnArgs,
}

pub fn run(args: ImageArgs) -> anyhow::Result<u8> {
    let format = args.report.format()?;
    let ignored = args.report.ignored_codes()?;
    let mut limits = Limits::default();
    if let Some(size) = args.max_layer_size {
        limits.max_layer_bytes = size as u64;
    }
    let label = args.image.display().to_string();
    let rules: Vec<&Rule> = RULES.iter().copied().filter(|rule| !ignored.contains(&rule.meta.code)).collect();
    let mut scanner = crate::vulns::VulnerabilityScanner::open(&args.vulnerabilities)?;
    let progress = Progress::new(args.progress);
    let loaded = load_with_progress(&args.image, args.host.as_deref(), &limits, &progress);
    progress.finish();
    let (findings, errors, summary) = match loaded {
        Ok((image, collector)) => {
            let mut analysis = analyse(&image, &collector, &object_name(&image, &args.image));
            scanner.scan(&mut analysis.content, &analysis.packages, &image.tags);
            let findings = check(&analysis.content, &rules);
            let summary = ImageSummary {
                object: analysis.content.object.clone(),
                id: String::new(),
                tags: image.tags.clone(),
                base_os: analysis.base_os.clone(),
            };
            (findings, Vec::new(), Some(summary))
        }
        Err(message) => (Vec::new(), vec![InputError { path: label.clone(), line: None, column: None, message }], None),
    };
    let files = usize::from(errors.is_empty());
    let mut report = Report::new(findings, errors, Vec::new(), files, 0);
    report.images.extend(summary);
    scanner.finish(&mut report);
    crate::emit_report(&report, format, args.report.output.as_deref(), &[label.as_str()], &|_| None)?;
    Ok(exit_code(&report, args.report.fail_on.unwrap_or(FailOn::DEFAULT)))
}

/// What one image's content tells, shared by `rampart image` and `rampart audit` (which reads
/// the images its containers use): the facts the image rules judge, the installed packages,
/// and the base distribution with its end of life.
pub(crate) struct ImageAnalysis {
    pub content: ImageContent,
    /// For the vulnerability step and the SBOM.
    pub packages: Vec<Package>,
    pub base_os: Option<BaseOs>,
}

/// From a read image to its [`ImageAnalysis`]. `object` names it in findings (`image:app:1`).
/// Everything judged later (by [`check_content`]) is in `content`, so an audit snapshot that
/// keeps the content replays the same findings offline.
pub(crate) fn analyse(image: &Image, collector: &ContentCollector, object: &str) -> ImageAnalysis {
    let checked_on = today_utc();
    let content = image_content(image, collector, object, &checked_on);
    let packages = packages(image, collector);
    let base_os = content.os.as_ref().map(|os| rampart_rules::image_content::base_os(os, &checked_on));
    // The vulnerability step (crate::vulns) follows in the caller, which holds the database:
    // `packages` and `content.os` in, facts for the VUL rules added to `content` out, so
    // `image` and `audit` (live, or replayed from the content a snapshot kept) judge them alike.
    ImageAnalysis { content, packages, base_os }
}

/// The rules that judge an image's content (Target::Image: files, layers, secrets, history).
/// `audit` runs these on each image it read; the config rules (IMG001-IMG005) it runs over the
/// snapshot's images already.
pub(crate) fn check_content(content: &ImageContent, rules: &[&Rule]) -> Vec<Finding> {
    let settings = Settings::default();
    check_image(&ImageContext { image: content, settings: &settings }, rules.iter().copied())
}

/// Reads the image `target` names: a file or directory when one exists at that path, else an
/// image of the engine (found like the Docker CLI, or at `host`) streamed from its export.
pub(crate) fn load(target: &Path, host: Option<&str>, limits: &Limits) -> Result<(Image, ContentCollector), String> {
    load_with_progress(target, host, limits, &Progress::default())
}

/// [`load`], reporting layers and bytes to `progress`.
pub(crate) fn load_with_progress(target: &Path, host: Option<&str>, limits: &Limits, progress: &Progress) -> Result<(Image, ContentCollector), String> {
    let label = target.display().to_string();
    if target.is_file() {
        let file = std::fs::File::open(target).map_err(|e| format!("opening {label}: {e}"))?;
        let size = file.metadata().map(|m| m.len()).ok();
        let tracker = progress.start(&label, size);
        let mut collector = collector_for(&tracker);
        let budget = ReadBudget::default();
        let mut reader = BoundedReader { inner: &mut std::io::BufReader::with_capacity(256 << 10, file), read: 0, budget: &budget, tracker };
        let image = read_image_stream(&mut reader, &label, limits, &mut collector).map_err(|e| e.to_string())?;
        reader.tracker.done();
        return Ok((image, collector));
    }
    if target.exists() {
        let tracker = progress.start(&label, None);
        let mut collector = collector_for(&tracker);
        let image = open(target, limits, &mut collector).map_err(|e| e.to_string())?;
        tracker.done();
        return Ok((image, collector));
    }
    let name = target.display().to_string();
    let looks_like_path = name.starts_with('/') || name.starts_with("./") || name.starts_with("../") || name.ends_with(".tar") || name.ends_with(".tar.gz");
    if looks_like_path {
        return Err(format!("{name}: no such file or directory"));
    }
    let endpoint = rampart_engine::resolve_endpoint(host, &rampart_engine::Environment::from_process())
        .map_err(|e| format!("{name} is not a file or directory, and no engine to ask for it: {e}"))?;
    export_and_read(&endpoint, &name, limits, &ReadBudget::default(), progress.start(&name, None))
        .map_err(|e| format!("{name} is not a file or directory, and {e}"))
}

/// A collector that tells `tracker` when each layer begins.
fn collector_for(tracker: &Tracker) -> ContentCollector {
    let layers = tracker.clone();
    ContentCollector::with_layer_hook(move || layers.layer_started())
}

/// Bounds on one image export beyond [`Limits`]: the bytes of the whole `docker save` stream
/// and a deadline, both checked as the stream is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReadBudget {
    pub max_bytes: Option<u64>,
    pub deadline: Option<Instant>,
    /// Bytes read so far, for a watcher on another thread to see that the stream moves.
    pub bytes_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Streams image `name` (name, tag or ID) from the engine's export into the image reader,
/// never holding it whole in memory or on disk.
pub(crate) fn export_and_read(endpoint: &Endpoint, name: &str, limits: &Limits, budget: &ReadBudget, tracker: Tracker) -> Result<(Image, ContentCollector), String> {
    let limits = limits.clone();
    let budget = budget.clone();
    let label = name.to_string();
    let (result, collector) = rampart_engine::export_image(endpoint, name, Duration::from_secs(30), move |reader| {
        let mut collector = collector_for(&tracker);
        let mut bounded = BoundedReader { inner: reader, read: 0, budget: &budget, tracker };
        let result = read_image_stream(&mut bounded, &label, &limits, &mut collector);
        bounded.tracker.done();
        (result, collector)
    })
    .map_err(|e| format!("the engine cannot export it: {e}"))?;
    let image = result.map_err(|e: ImageError| e.to_string())?;
    Ok((image, collector))
}

/// A reader that fails once its [`ReadBudget`] is spent, so a huge or slow export ends with a
/// clear error instead of running on; it also reports the bytes it reads for `--progress`.
struct BoundedReader<'a, R: Read + ?Sized> {
    inner: &'a mut R,
    read: u64,
    budget: &'a ReadBudget,
    tracker: Tracker,
}

impl<R: Read + ?Sized> Read for BoundedReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(max) = self.budget.max_bytes {
            if self.read > max {
                return Err(std::io::Error::other(format!("the image export is larger than the limit of {max} bytes")));
            }
        }
        if self.budget.deadline.is_some_and(|deadline| Instant::now() > deadline) {
            return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "reading the image export took longer than its time limit"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.budget.bytes_read.store(self.read, std::sync::atomic::Ordering::Relaxed);
        self.tracker.add_bytes(n as u64);
        Ok(n)
    }
}

/// `image:<first tag>`, else `image:<file name>`.
fn object_name(image: &Image, path: &Path) -> String {
    match image.tags.first() {
        Some(tag) => format!("image:{tag}"),
        None => format!("image:{}", path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())),
    }
}

/// The image content rules, and the config and history rules written for the engine
/// snapshot's images (IMG001-IMG005), run over the same config so nothing is judged twice
/// by two implementations.
fn check(content: &ImageContent, rules: &[&Rule]) -> Vec<Finding> {
    let mut findings = check_content(content, rules);
    if content.has_config {
        let tag = content.object.strip_prefix("image:").unwrap_or(&content.object).to_string();
        let facts = ImageFacts {
            id: String::new(),
            tags: vec![tag],
            user: content.user.clone(),
            healthcheck: content.healthcheck.clone(),
            env: content.env.clone(),
            history: content.history.iter().map(|step| step.created_by.clone()).collect(),
            ..ImageFacts::default()
        };
        let snapshot = Snapshot { images: vec![facts], ..Snapshot::default() };
        let image_rules = rules.iter().copied().filter(|rule| rule.meta.code.starts_with("IMG"));
        let settings = Settings::default();
        findings.extend(check_snapshot(&SnapshotContext { snapshot: &snapshot, settings: &settings }, image_rules));
    }
    findings
}
