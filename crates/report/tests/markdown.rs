//! Markdown: a snapshot of the whole document, and a CommonMark parser's view of it to prove
//! that hostile strings stay text (no HTML, no links or images, no extra headings or lists).

mod common;

use common::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rampart_model::Report;
use rampart_report::{render, Format, RenderOptions};

fn markdown(report: &Report) -> String {
    render(report, Format::Markdown, &RenderOptions::plain())
}

fn events(md: &str) -> Vec<Event<'_>> {
    Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect()
}

#[test]
fn snapshot() {
    insta::assert_snapshot!(markdown(&report()));
}

#[test]
fn hostile_strings_render_as_text() {
    let md = markdown(&report());
    let events = events(&md);
    for event in &events {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => panic!("raw HTML reached the document: {html}"),
            Event::Start(Tag::Link { dest_url, .. }) => panic!("a link to {dest_url} reached the document"),
            Event::Start(Tag::Image { dest_url, .. }) => panic!("an image {dest_url} reached the document"),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                // Only the field labels (`**Severity:**` ...) and the summary are bold.
            }
            _ => {}
        }
    }
    // The hostile message comes out character for character (newline folded, ESC replaced).
    let expected = HOSTILE_MESSAGE.replace('\n', " ").replace('\u{1b}', "\u{FFFD}");
    let mut text_runs = Vec::new();
    let mut current = String::new();
    for event in &events {
        match event {
            Event::Text(t) | Event::Code(t) => current.push_str(t),
            Event::SoftBreak | Event::HardBreak => current.push('\n'),
            Event::End(_) => text_runs.push(std::mem::take(&mut current)),
            _ => {}
        }
    }
    assert!(text_runs.iter().any(|run| run.trim() == expected), "the hostile message did not survive as text:\n{md}");
    // Code-span evidence keeps its backticks literally.
    assert!(events.iter().any(|e| matches!(e, Event::Code(c) if c.as_ref() == "RUN echo `id` ``two`` <img src=x onerror=alert(1)>")));
    // The fix's lines stay lines of one list item, not a list or a heading of their own.
    assert!(text_runs.iter().any(|run| run.trim() == "line one\n- not a list\n1. not ordered either"), "{text_runs:#?}");
}

#[test]
fn findings_are_grouped_by_the_guides_sections() {
    let md = markdown(&report());
    let mut headings = Vec::new();
    let mut in_heading: Option<HeadingLevel> = None;
    let mut text = String::new();
    for event in events(&md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some(level);
                text.clear();
            }
            Event::Text(t) | Event::Code(t) if in_heading.is_some() => text.push_str(&t),
            Event::End(TagEnd::Heading(_)) => headings.push((in_heading.take().unwrap(), text.clone())),
            _ => {}
        }
    }
    let sections: Vec<&str> = headings.iter().filter(|(l, _)| *l == HeadingLevel::H2).map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        sections,
        ["Container isolation (3)", "Image hardening (1)", "Secrets management (1)", "Inputs that could not be analysed", "Notices"]
    );
    let findings = headings.iter().filter(|(l, _)| *l == HeadingLevel::H3).count();
    assert_eq!(findings, report().findings.len(), "one heading per finding, no injected ones: {headings:?}");
}

#[test]
fn summary_table_counts_by_section_and_severity() {
    let md = markdown(&report());
    assert!(md.contains("| Section | critical | high | medium | low | info | Total |"), "{md}");
    assert!(md.contains("| Container isolation | 0 | 0 | 3 | 0 | 0 | 3 |"), "{md}");
    assert!(md.contains("| Total | 1 | 0 | 3 | 0 | 1 | 5 |"), "{md}");
    let empty = markdown(&Report::new(vec![], vec![], vec![], 2, 0));
    assert!(empty.contains("**0 finding(s)** in 2 file(s)"), "{empty}");
    assert!(!empty.contains("| Section |"), "{empty}");
}

#[test]
fn an_audit_report_opens_with_the_checklist_table() {
    let mut audited = report();
    audited.checklist = vec![rampart_model::ChecklistAnswer {
        item: 2,
        title: "The Docker socket's permissions are minimal".into(),
        status: rampart_model::ChecklistStatus::Fail,
        evidence: vec!["/var/run/docker.sock is 666 root:docker | <b>x</b>".into()],
        findings: vec!["CTR005".into()],
    }];
    let md = markdown(&audited);
    let checklist = md.find("## Checklist").expect("a checklist section");
    assert_eq!(md.find("## "), Some(checklist), "the checklist is the first section");
    assert!(md.contains("| 2 | The Docker socket's permissions are minimal | **FAIL** |"), "{md}");
    // The table keeps its five columns and the evidence stays text.
    let row = md.lines().find(|l| l.starts_with("| 2 |")).unwrap();
    assert_eq!(row.matches(" | ").count(), 4, "{row}");
    assert!(events(&md).iter().all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))));
    // Reports about files have no checklist.
    assert!(!markdown(&report()).contains("## Checklist"));
}

#[test]
fn attack_paths_follow_the_checklist_and_stay_text() {
    let mut audited = report();
    audited.checklist = vec![rampart_model::ChecklistAnswer {
        item: 2,
        title: "The Docker socket's permissions are minimal".into(),
        status: rampart_model::ChecklistStatus::Fail,
        evidence: vec![],
        findings: vec!["CTR005".into()],
    }];
    audited.attack_paths = vec![rampart_model::AttackPath {
        title: "0.0.0.0:8080->80/tcp -> container <script>x</script> (mounts /var/run/docker.sock) -> host root".into(),
        steps: vec![
            "0.0.0.0:8080->80/tcp".into(),
            "container <script>x</script> (mounts /var/run/docker.sock)".into(),
            "host root".into(),
        ],
        findings: vec!["CTR005 container:<script>x</script>".into()],
        severity: rampart_model::Severity::Critical,
    }];
    let md = markdown(&audited);
    let checklist = md.find("## Checklist").expect("a checklist section");
    let paths = md.find("## Attack paths").expect("an attack paths section");
    assert!(checklist < paths, "{md}");
    assert!(paths < md.find(SUDO.title).expect("findings are shown"), "the paths come before the findings");
    let line = md.lines().find(|l| l.starts_with("1. **critical**")).expect("the path as a numbered item");
    assert!(line.contains("host root") && line.contains(" → "), "{line}");
    assert!(events(&md).iter().all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))), "{md}");
    assert!(!markdown(&report()).contains("## Attack paths"));
}

/// An audited host with a hostile container name, an image with its base OS.
fn host() -> rampart_model::Snapshot {
    use rampart_model::*;
    let mut spec = ContainerSpec { object: "container:web".into(), ..ContainerSpec::default() };
    spec.network_mode = Some(Sourced::new(NetworkMode::Named("front".into())));
    Snapshot {
        engine: EngineEndpoint { host: "unix:///var/run/docker.sock".into(), ..EngineEndpoint::default() },
        daemon: Some(DaemonFacts { server_version: "27.5.1".into(), ..DaemonFacts::default() }),
        containers: vec![ContainerFacts {
            id: "1".into(),
            name: "/web```\n# injected <script>alert(1)</script>".into(),
            state: "running".into(),
            image: "app:1".into(),
            image_id: "sha256:aa".into(),
            spec,
        }],
        networks: vec![NetworkFacts { name: "front".into(), driver: "bridge".into(), ..NetworkFacts::default() }],
        ..Snapshot::default()
    }
}

#[test]
fn an_audit_carries_the_host_the_map_the_images_and_each_findings_risk() {
    use rampart_model::{BaseOs, EolStatus, ImageSummary};
    let snapshot = host();
    let mut report = report();
    report.images = vec![ImageSummary {
        object: "image:app:1".into(),
        id: "sha256:aa".into(),
        tags: vec!["app:1".into()],
        base_os: Some(BaseOs {
            id: "debian".into(),
            version_id: "10".into(),
            pretty_name: "Debian GNU/Linux 10 (buster)".into(),
            end_of_life: Some("2024-06-30".into()),
            eol_status: EolStatus::EndOfLife,
        }),
    }];
    let options = RenderOptions { snapshot: Some(&snapshot), generated_at: Some("2026-11-28T12:00:00Z"), ..RenderOptions::plain() };
    let md = render(&report, Format::Markdown, &options);
    assert!(md.contains("- **Host:** `unix:///var/run/docker.sock`") && md.contains("- **When:** 2026-11-28T12:00:00Z"), "{md}");
    assert!(md.contains("| `app:1` | Debian GNU/Linux 10 \\(buster\\) | **ended 2024-06-30** | 0 |"), "{md}");
    assert!(md.contains("- **Risk:** 80 (sensitive data)"), "{md}");
    // The map is one Mermaid code block, whatever the container's name holds; no heading or
    // HTML comes out of the name.
    let events = events(&md);
    let blocks: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info))) => Some(info.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(blocks, ["mermaid"]);
    let headings: Vec<String> = md.lines().filter(|l| l.starts_with('#')).map(String::from).collect();
    assert!(!headings.iter().any(|h| h.contains("injected")), "{headings:?}");
    assert!(!events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_))));
    let order = ["## Checklist", "## Architecture map", "## Image hardening", "## Images"];
    let at: Vec<usize> = order.iter().filter_map(|h| md.find(h)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}
