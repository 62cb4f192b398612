//! `rampart db import|update|status`: the advisory store.

use clap::Subcommand;
use rampart_vuln::{default_path, ArchiveLimits, Store};
use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

#[derive(clap::Args)]
pub struct DbArgs {
    /// The advisory database file [default: $XDG_DATA_HOME/rampart/advisories.db].
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Import OSV JSON files, directories of them and OSV's per-ecosystem all.zip archives, in
    /// one transaction: on any error the database keeps its previous contents.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Download OSV's all.zip for each ecosystem and import them in one transaction (partial
    /// downloads resume; a failed update leaves the database as it was).
    Update {
        /// Ecosystems, as OSV names them (Debian, Ubuntu, Alpine, PyPI, npm, Go, ...); repeat or
        /// separate with commas [default: those of the --from-image images, else those already
        /// in the database, else Debian, Ubuntu, Alpine, PyPI, npm and Go].
        #[arg(long = "ecosystem", value_delimiter = ',')]
        ecosystems: Vec<String>,
        /// Update the ecosystems these images need (from their os-release and installed
        /// packages): image tars, OCI layouts, root file system directories or engine image
        /// names; repeatable.
        #[arg(long = "from-image", value_name = "IMAGE")]
        from_images: Vec<PathBuf>,
        /// Where the archives are served: `{base}/{ecosystem}/all.zip` [default: OSV's public bucket].
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Show where the database is, how old it is and how many advisories it has per ecosystem.
    Status {
        /// Output format: tty or json.
        #[arg(long, default_value = "tty", value_parser = ["tty", "json"])]
        format: String,
    },
}

/// The ecosystems OSV publishes archives for when nothing says which are wanted.
const DEFAULT_ECOSYSTEMS: [&str; 6] = ["Debian", "Ubuntu", "Alpine", "PyPI", "npm", "Go"];

/// Which ecosystems `db update` downloads, and why: those named, else those the images need,
/// else those already in the database, else the defaults.
fn ecosystems_to_update(named: Vec<String>, images: &[PathBuf], store: &Store) -> anyhow::Result<(Vec<String>, String)> {
    let named: Vec<String> = named.into_iter().map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
    if !named.is_empty() {
        return Ok((named, "--ecosystem".into()));
    }
    if !images.is_empty() {
        let mut wanted = std::collections::BTreeSet::new();
        for target in images {
            let (image, collector) = crate::image::load(target, None, &rampart_image::Limits::default())
                .map_err(|e| anyhow::anyhow!("--from-image {}: {e}", target.display()))?;
            let analysis = crate::image::analyse(&image, &collector, &format!("image:{}", target.display()));
            let os = analysis.content.os.as_ref();
            for package in &analysis.packages {
                let ecosystem = rampart_vuln::osv_ecosystem(package.ecosystem, os.map(|o| o.id.as_str()), os.map(|o| o.version_id.as_str()));
                if let Some(ecosystem) = ecosystem {
                    wanted.insert(rampart_vuln::matcher::ecosystem_base(&ecosystem).to_string());
                }
            }
        }
        if wanted.is_empty() {
            anyhow::bail!("--from-image: no installed package of a known ecosystem in the images; name them with --ecosystem");
        }
        return Ok((wanted.into_iter().collect(), "what the images need".into()));
    }
    let existing: Vec<String> = store.status()?.per_ecosystem.into_keys().collect();
    if !existing.is_empty() {
        return Ok((existing, "those already in the database".into()));
    }
    Ok((DEFAULT_ECOSYSTEMS.iter().map(|e| e.to_string()).collect(), "the defaults; choose with --ecosystem or --from-image".into()))
}

pub fn run(args: DbArgs) -> anyhow::Result<u8> {
    let path = args.db.unwrap_or_else(default_path);
    match args.command {
        DbCommand::Import { paths } => {
            let mut store = Store::open(&path)?;
            let summary = store.import(&paths, &ArchiveLimits::default())?;
            let mut err = anstream::stderr();
            for example in &summary.skipped_examples {
                let _ = writeln!(err, "rampart: warning: skipped {example}");
            }
            let _ = writeln!(
                std::io::stdout(),
                "imported {} advisories into {} ({} withdrawn removed, {} documents skipped)",
                summary.imported,
                path.display(),
                summary.withdrawn,
                summary.skipped
            );
            Ok(0)
        }
        DbCommand::Update { ecosystems, from_images, base_url } => {
            let mut store = Store::open(&path)?;
            let (ecosystems, why) = ecosystems_to_update(ecosystems, &from_images, &store)?;
            let _ = writeln!(anstream::stderr(), "rampart: updating {} ({why})", ecosystems.join(", "));
            let base_url = base_url.unwrap_or_else(|| rampart_vuln::update::DEFAULT_BASE_URL.to_string());
            // Downloads are kept beside the database so that an interrupted one can resume.
            let cache = path.with_extension("downloads");
            let summary = rampart_vuln::update::update(&mut store, &base_url, &ecosystems, &cache)?;
            let _ = writeln!(
                std::io::stdout(),
                "updated {}: {} advisories imported, {} withdrawn removed, {} documents skipped",
                path.display(),
                summary.imported,
                summary.withdrawn,
                summary.skipped
            );
            Ok(0)
        }
        DbCommand::Status { format } => {
            let store = Store::open_read_only(&path)?;
            let status = store.status()?;
            let now = SystemTime::now();
            let age = status.age(now);
            let warning = status.staleness_warning(now);
            let mut out = std::io::stdout().lock();
            if format == "json" {
                let value = serde_json::json!({
                    "path": status.path.display().to_string(),
                    "updated_at": status.updated_at,
                    "age_seconds": age.map(|a| a.as_secs()),
                    "stale": warning.is_some(),
                    "advisories": status.advisories,
                    "per_ecosystem": status.per_ecosystem,
                });
                let _ = writeln!(out, "{}", serde_json::to_string_pretty(&value)?);
            } else {
                let _ = writeln!(out, "database:   {}", status.path.display());
                let updated = match age {
                    Some(age) => format!("{} days {} hours ago", age.as_secs() / 86_400, age.as_secs() % 86_400 / 3600),
                    None => "never".to_string(),
                };
                let _ = writeln!(out, "updated:    {updated}");
                let _ = writeln!(out, "advisories: {}", status.advisories);
                for (ecosystem, count) in &status.per_ecosystem {
                    let _ = writeln!(out, "  {ecosystem:<20} {count}");
                }
            }
            if let Some(warning) = warning {
                let _ = writeln!(anstream::stderr(), "rampart: warning: {warning}");
            }
            Ok(0)
        }
    }
}
