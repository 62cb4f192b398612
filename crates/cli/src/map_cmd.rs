//! `rampart map`: the architecture of a Docker host as a graph (DOT, Mermaid, JSON or SVG), from the
//! live engine or a snapshot saved with `rampart audit --save-snapshot`.

use crate::audit::{collect_live, load_snapshot, parse_seconds};
use crate::EXIT_ERROR;
use rampart_report::{architecture_map, render_dot, render_map_json, render_mermaid, render_svg};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct MapArgs {
    /// The engine to map [default: like the Docker CLI].
    #[arg(long, short = 'H', value_name = "HOST", conflicts_with = "snapshot")]
    host: Option<String>,
    /// Draw a snapshot saved with `rampart audit --save-snapshot` instead of a live engine.
    #[arg(long, value_name = "FILE")]
    snapshot: Option<PathBuf>,
    /// Seconds to wait for each engine request.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    timeout: Duration,
    /// Output format.
    #[arg(long, short = 'f', default_value = "dot", value_parser = ["dot", "mermaid", "json", "svg"])]
    format: String,
    /// Write the map to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: MapArgs) -> anyhow::Result<u8> {
    let snapshot = match &args.snapshot {
        Some(path) => load_snapshot(path)?,
        None => match collect_live(args.host.as_deref(), args.timeout) {
            Ok(snapshot) => snapshot,
            Err(failure) => {
                let _ = writeln!(anstream::stderr(), "rampart: {failure}");
                return Ok(EXIT_ERROR);
            }
        },
    };
    let map = architecture_map(&snapshot);
    let text = match args.format.as_str() {
        "mermaid" => render_mermaid(&map),
        "json" => render_map_json(&map),
        "svg" => render_svg(&map),
        _ => render_dot(&map),
    };
    crate::write_output(args.output.as_deref(), &text)?;
    Ok(0)
}
