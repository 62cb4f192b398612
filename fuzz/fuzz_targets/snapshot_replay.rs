//! Feeds arbitrary bytes to `rampart audit --snapshot FILE`'s path: a saved snapshot is
//! untrusted input (it may come from another machine, or be edited). When the bytes are a
//! snapshot, every container, image and snapshot rule runs over it, the report is weighed and
//! its attack paths found, and it is rendered in every format and as a map. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_model::{Report, Snapshot};
use rampart_report::{render, Format, RenderOptions};
use rampart_rules::{check_container, check_image, check_snapshot, ContainerContext, ImageContext, Settings, SnapshotContext, RULES};

fuzz_target!(|data: &[u8]| {
    let Ok(snapshot) = serde_json::from_slice::<Snapshot>(data) else { return };
    let settings = Settings::default();
    let mut findings = Vec::new();
    for container in &snapshot.containers {
        findings.extend(check_container(&ContainerContext { spec: &container.spec, settings: &settings }, RULES.iter().copied()));
    }
    for image in &snapshot.images {
        if let Some(content) = &image.content {
            findings.extend(check_image(&ImageContext { image: content, settings: &settings }, RULES.iter().copied()));
        }
    }
    findings.extend(check_snapshot(&SnapshotContext { snapshot: &snapshot, settings: &settings }, RULES.iter().copied()));
    let mut report = Report::new(findings, Vec::new(), Vec::new(), 0, 0);
    report.weigh_context(&snapshot);
    let mut options = RenderOptions::plain();
    options.snapshot = Some(&snapshot);
    for format in [Format::Tty, Format::Json, Format::Sarif, Format::Junit, Format::Markdown, Format::Html] {
        let _ = render(&report, format, &options);
    }
    let map = rampart_report::architecture_map(&snapshot);
    let _ = rampart_report::render_dot(&map);
    let _ = rampart_report::render_mermaid(&map);
    let _ = rampart_report::render_svg(&map);
});
