//! `rampart sbom IMAGE`: the packages installed in an image as CycloneDX 1.6 or SPDX 2.3 JSON.

use rampart_image::sbom::{cyclonedx, spdx, SbomSubject};
use rampart_image::{inventory, now_utc, Limits};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SbomArgs {
    /// A `docker save` tar (legacy or OCI layout), an OCI image layout directory or archive,
    /// a root file system directory, or else the name or ID of an image of the engine.
    image: PathBuf,
    /// The engine to export a named image from (like `docker -H`).
    #[arg(long, short = 'H', value_name = "HOST")]
    host: Option<String>,
    /// Document format.
    #[arg(long, short = 'f', default_value = "cyclonedx", value_parser = ["cyclonedx", "spdx"])]
    format: String,
    /// Write the document to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: SbomArgs) -> anyhow::Result<u8> {
    let (image, collector) =
        crate::image::load(&args.image, args.host.as_deref(), &Limits::default()).map_err(|e| anyhow::anyhow!("{}: {e}", args.image.display()))?;
    let found = inventory(&image, &collector);
    for notice in &found.notices {
        eprintln!("rampart sbom: not read: {notice}");
    }
    let fallback = args.image.file_name().map_or_else(|| args.image.display().to_string(), |n| n.to_string_lossy().into_owned());
    let name = image.tags.first().cloned().unwrap_or(fallback);
    let created = now_utc();
    let layer_digests: Vec<Option<String>> = image.layers.iter().map(|l| l.diff_id.clone()).collect();
    let subject = SbomSubject {
        name: &name,
        created: &created,
        tool_version: env!("CARGO_PKG_VERSION"),
        layer_digests: &layer_digests,
        notices: &found.notices,
    };
    let document = match args.format.as_str() {
        "spdx" => spdx(&subject, &found.packages),
        _ => cyclonedx(&subject, &found.packages),
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    crate::write_output(args.output.as_deref(), &text)?;
    Ok(0)
}
