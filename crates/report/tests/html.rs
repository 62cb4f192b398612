//! The HTML report over a report and a snapshot built in code with a hostile string in every
//! field an attacker can shape (container, image, network and volume names, mount paths,
//! labels, env, messages, evidence, fixes, paths, checklist and attack-path text): none of it
//! may become markup. The page is also checked for being self-contained.

mod common;

use rampart_model::*;
use rampart_report::{render, Format, RenderOptions};

/// Each payload is a classic way out of text, an attribute or a comment.
const PAYLOADS: [&str; 4] =
    ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "--><iframe src=javascript:alert(1)>"];

fn hostile(field: &str, index: usize) -> String {
    format!("{field}{}", PAYLOADS[index % PAYLOADS.len()])
}

fn hostile_snapshot() -> Snapshot {
    let mut spec = ContainerSpec { object: format!("container:{}", hostile("web", 0)), ..ContainerSpec::default() };
    spec.ports.push(Sourced::new(PortMapping::parse("8080:80").unwrap()));
    spec.network_mode = Some(Sourced::new(NetworkMode::Named(hostile("net", 1))));
    spec.labels.push(Sourced::new(KeyValue { key: hostile("label", 2), value: hostile("value", 3) }));
    spec.env.push(Sourced::new(EnvVar { name: hostile("ENV", 0), value: Some(hostile("val", 1)), from_variable: false, source: EnvSource::Flag }));
    spec.mounts.push(Sourced::new(Mount {
        kind: MountKind::Bind,
        source: Some(hostile("/srv/", 2)),
        host_path: Some(hostile("/srv/", 2)),
        target: hostile("/in/", 3),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    }));
    spec.mounts.push(Sourced::new(Mount {
        kind: MountKind::Volume,
        source: Some(hostile("vol", 0)),
        host_path: None,
        target: "/data".into(),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    }));
    spec.privileged = Some(Sourced::new(true));
    let mut snapshot = Snapshot {
        engine: EngineEndpoint { host: hostile("tcp://host", 1), chosen_by: hostile("by", 2), api_version: None, local: false },
        daemon: Some(DaemonFacts {
            server_version: hostile("27", 3),
            operating_system: hostile("Debian", 0),
            kernel_version: hostile("6.1", 1),
            ..DaemonFacts::default()
        }),
        containers: vec![ContainerFacts {
            id: "c1".into(),
            name: format!("/{}", hostile("web", 0)),
            state: hostile("running", 2),
            image: hostile("img:", 3),
            image_id: "sha256:aa".into(),
            spec,
        }],
        images: vec![ImageFacts {
            id: "sha256:aa".into(),
            tags: vec![hostile("app:", 1)],
            user: hostile("user", 2),
            base_os: Some(BaseOs {
                id: hostile("debian", 3),
                version_id: "12".into(),
                pretty_name: hostile("Debian GNU/Linux 12", 0),
                end_of_life: Some(hostile("2028-06-30", 1)),
                eol_status: EolStatus::Supported,
            }),
            ..ImageFacts::default()
        }],
        networks: vec![NetworkFacts { name: hostile("net", 1), driver: hostile("bridge", 2), ..NetworkFacts::default() }],
        ..Snapshot::default()
    };
    snapshot.daemon_config.hosts = Setting::known(vec![hostile("tcp://0.0.0.0:2375", 3)], "info");
    snapshot
}

fn hostile_report() -> Report {
    let meta = common::SUDO;
    let mut findings = Vec::new();
    for (i, category) in Category::ALL.into_iter().enumerate() {
        let mut f = Finding::new(&meta, hostile("message ", i), Location { object: Some(format!("container:{}", hostile("web", 0))), ..Location::default() });
        f.category = category;
        f.rule = hostile("R", i + 1);
        f.title = hostile("title ", i + 2);
        f.aliases = vec![hostile("alias", i + 3)];
        f.set_evidence(hostile("evidence ", i)).set_fix(hostile("fix\nline two ", i + 1));
        findings.push(f);
    }
    let mut on_file = Finding::new(&meta, hostile("vulnerable ", 2), Location { path: Some(hostile("dir/", 3)), line: Some(1), ..Location::default() });
    on_file.rule = "VUL001".into();
    findings.push(on_file);
    let errors = vec![InputError { path: hostile("broken", 0), line: Some(1), column: None, message: hostile("error ", 1) }];
    let notices = vec![Notice { kind: hostile("kind", 2), path: hostile("path", 3), line: None, message: hostile("notice ", 0) }];
    let mut report = Report::new(findings, errors, notices, 1, 0);
    for finding in &mut report.findings {
        if let Some(risk) = &mut finding.risk {
            risk.reasons.push(hostile("reason ", 1));
        }
    }
    report.checklist = CHECKLIST
        .iter()
        .map(|item| ChecklistAnswer {
            item: item.number,
            title: hostile(item.title, item.number as usize),
            status: ChecklistStatus::Fail,
            evidence: vec![hostile("evidence ", item.number as usize + 1)],
            findings: vec![hostile("R", 1)],
        })
        .collect();
    report.attack_paths = vec![AttackPath {
        title: hostile("title", 0),
        steps: vec![hostile("0.0.0.0:8080", 1), hostile("container ", 2), "host root".into()],
        findings: vec![hostile("CTR005 ", 3)],
        severity: Severity::Critical,
    }];
    report.vulnerability_scans = vec![VulnerabilityScan {
        image: hostile("image:", 1),
        status: VulnerabilityScanStatus::Failed,
        message: Some(hostile("cannot read ", 2)),
        ecosystems: vec![hostile("Debian:", 3)],
        vulnerabilities: 2,
        suppressed: vec![SuppressedVulnerability {
            id: hostile("CVE-", 0),
            package: hostile("pkg", 1),
            version: hostile("1", 2),
            status: "not_affected".into(),
            reason: hostile("reason ", 3),
            source: hostile("vex.json", 0),
            expires: None,
        }],
        ..VulnerabilityScan::default()
    }];
    report.images = vec![ImageSummary {
        object: hostile("image:", 0),
        id: hostile("sha256:", 1),
        tags: vec![hostile("tag", 2)],
        base_os: Some(BaseOs { id: hostile("alpine", 3), version_id: hostile("3", 0), pretty_name: String::new(), end_of_life: None, eol_status: EolStatus::Unknown }),
    }];
    report
}

fn html() -> String {
    let snapshot = hostile_snapshot();
    let when = hostile("2026-11-28T00:00:00Z", 2);
    let options = RenderOptions { snapshot: Some(&snapshot), generated_at: Some(&when), ..RenderOptions::plain() };
    render(&hostile_report(), Format::Html, &options)
}

/// The elements the report writes itself; any other tag in the page came from data.
const OWN_TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "h3", "h4", "dl", "dt", "dd", "p", "span",
    "strong", "nav", "a", "section", "table", "thead", "tbody", "tr", "th", "td", "code", "br", "ol", "ul", "li", "article", "pre", "div",
    "footer", "svg", "g", "rect", "text", "path", "line",
];

#[test]
fn no_hostile_string_becomes_markup() {
    let page = html();
    for payload in PAYLOADS {
        assert!(!page.contains(payload), "a payload reached the page unescaped: {payload}");
    }
    // Every `<` opens one of the report's own elements; no attribute is an event handler and
    // no URL is javascript:.
    for (at, _) in page.match_indices('<') {
        let rest = &page[at + 1..];
        let name: String = rest.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-').collect();
        assert!(OWN_TAGS.contains(&name.as_str()), "a foreign tag `{name}` at {at}: {}", &page[at..(at + 60).min(page.len())]);
        let tag_end = rest.find('>').expect("a closed tag");
        let tag = &rest[..tag_end];
        assert!(!tag.to_ascii_lowercase().contains(" on"), "an event handler attribute: <{tag}>");
        assert!(!tag.to_ascii_lowercase().contains("javascript:"), "a javascript: URL: <{tag}>");
    }
    // The payloads are there, as text: an auditor must see what the container is called.
    assert!(page.contains("web&lt;script&gt;alert(1)&lt;/script&gt;"), "the container's name is shown escaped");
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") || page.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Nothing on the host leaks through fields the report does not show: labels and env values.
    assert!(!page.contains("label'&gt;") && !page.contains("ENV&lt;script"), "labels and env are not part of the report");
}

#[test]
fn the_page_is_self_contained_and_in_order() {
    let page = html();
    for external in ["<script", "<link", "src=\"http", "href=\"http", "url(", "@import", "@font-face"] {
        assert!(!page.contains(external), "the page loads something: {external}");
    }
    assert!(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"));
    let order = ["id=\"checklist\"", "id=\"attack-paths\"", "id=\"map\"", "id=\"findings\"", "id=\"images\"", "id=\"vulnerabilities\"", "id=\"secrets\"", "id=\"errors\"", "id=\"notices\""];
    let positions: Vec<usize> = order.iter().map(|id| page.find(id).unwrap_or_else(|| panic!("no section {id}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order: {positions:?}");
    // The twelve checklist items, each with its status.
    let checklist = &page[positions[0]..positions[1]];
    assert_eq!(checklist.matches("<span class=\"badge FAIL\">FAIL</span>").count(), 12);
    // Findings grouped under the guide's six headings.
    let findings = &page[positions[3]..positions[4]];
    let vulnerabilities = &page[positions[5]..positions[6]];
    assert!(vulnerabilities.contains("Suppressed (VEX or ignore list)") && vulnerabilities.contains("failed: cannot read "), "{vulnerabilities}");
    for category in Category::ALL {
        assert!(findings.contains(category.heading()), "no section {}", category.heading());
    }
    assert!(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "the map is inline SVG");
    assert_eq!(page, html(), "the same report renders the same page");
}

#[test]
fn a_report_without_a_host_has_no_map_and_still_renders() {
    let page = render(&common::report(), Format::Html, &RenderOptions::plain());
    assert!(!page.contains("<svg"), "no snapshot, no map");
    assert!(!page.contains("id=\"checklist\""), "no checklist in a report about files");
    assert!(page.contains("id=\"findings\"") && page.contains("Secrets management"));
    assert!(!page.contains("ghp_0123456789abcdefghij"), "the secret is not in the page whole");
    assert!(page.contains("ghp_…(sha256:"), "it is there redacted");
}
