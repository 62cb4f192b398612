//! `rampart image IMAGE`: one image, read from a `docker save` tar, an OCI layout directory or
//! archive, a root file system directory, or the engine's image export, checked with the image
//! rules; same formats, `--fail-on` and exit codes as `scan`.

use crate::exit_code;
use rampart_image::{image_content, open, read_image_stream, today_utc, ContentCollector, Image, ImageError, Limits};
use rampart_model::{ImageContent, ImageFacts, InputError, Report, Snapshot};
use rampart_report::Format;
use rampart_rules::{check_image, check_snapshot, ImageContext, Rule, Settings, SnapshotContext, RULES};
use rampart_scan::{parse_size, FailOn};
use std::path::{Path, PathBuf};

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
    /// Switch a rule off (code, name or peer ID); repeat or separate with commas.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Largest uncompressed layer to read [default: 16GiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_layer_size: Option<usize>,
}

pub fn run(args: ImageArgs) -> anyhow::Result<u8> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let mut ignored = Vec::new();
    for id in &args.ignore {
        let rule = rampart_rules::find(id).ok_or_else(|| anyhow::anyhow!("--ignore: no rule is named `{id}`"))?;
        ignored.push(rule.meta.code);
    }
    let mut limits = Limits::default();
    if let Some(size) = args.max_layer_size {
        limits.max_layer_bytes = size as u64;
    }
    let label = args.image.display().to_string();
    let (findings, errors) = match load(&args.image, args.host.as_deref(), &limits) {
        Ok((image, collector)) => {
            let content = image_content(&image, &collector, &object_name(&image, &args.image), &today_utc());
            let rules: Vec<&Rule> = RULES.iter().copied().filter(|rule| !ignored.contains(&rule.meta.code)).collect();
            (check(&content, &rules), Vec::new())
        }
        Err(message) => (Vec::new(), vec![InputError { path: label.clone(), line: None, column: None, message }]),
    };
    let files = usize::from(errors.is_empty());
    let report = Report::new(findings, errors, Vec::new(), files, 0);
    crate::emit_report(&report, format, args.output.as_deref(), &[label.as_str()], &|_| None)?;
    Ok(exit_code(&report, args.fail_on.unwrap_or(FailOn::DEFAULT)))
}

/// Reads the image `target` names: a file or directory when one exists at that path, else an
/// image of the engine (found like the Docker CLI, or at `host`) streamed from its export.
pub(crate) fn load(target: &Path, host: Option<&str>, limits: &Limits) -> Result<(Image, ContentCollector), String> {
    let mut collector = ContentCollector::default();
    if target.exists() {
        let image = open(target, limits, &mut collector).map_err(|e| e.to_string())?;
        return Ok((image, collector));
    }
    let name = target.display().to_string();
    let looks_like_path = name.starts_with('/') || name.starts_with("./") || name.starts_with("../") || name.ends_with(".tar") || name.ends_with(".tar.gz");
    if looks_like_path {
        return Err(format!("{name}: no such file or directory"));
    }
    let endpoint = rampart_engine::resolve_endpoint(host, &rampart_engine::Environment::from_process())
        .map_err(|e| format!("{name} is not a file or directory, and no engine to ask for it: {e}"))?;
    let limits = limits.clone();
    let label = name.clone();
    let (result, collector) = rampart_engine::export_image(&endpoint, &name, std::time::Duration::from_secs(30), move |reader| {
        let result = read_image_stream(reader, &label, &limits, &mut collector);
        (result, collector)
    })
    .map_err(|e| format!("{name} is not a file or directory, and the engine cannot export it: {e}"))?;
    let image = result.map_err(|e: ImageError| e.to_string())?;
    Ok((image, collector))
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
fn check(content: &ImageContent, rules: &[&Rule]) -> Vec<rampart_model::Finding> {
    let settings = Settings::default();
    let mut findings = check_image(&ImageContext { image: content, settings: &settings }, rules.iter().copied());
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
        findings.extend(check_snapshot(&SnapshotContext { snapshot: &snapshot, settings: &settings }, image_rules));
    }
    findings
}
