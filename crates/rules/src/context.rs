//! What a rule sees (the facts and the user's settings) and where it reports.

use rampart_dockerfile::{Dockerfile, Span};
use rampart_model::{ComposeProject, ContainerSpec, Finding, ImageContent, Location, Origin, RuleMeta, Snapshot, Sourced};

/// User settings that change what some rules consider a problem (from `rampart.toml`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Registries images may come from (`docker.io`, `ghcr.io/myorg`). Empty: any registry.
    pub trusted_registries: Vec<String>,
}

/// A Dockerfile and where it came from.
pub struct DockerfileContext<'a> {
    pub dockerfile: &'a Dockerfile,
    /// The path as the user named it (or as found under a directory).
    pub path: &'a str,
    pub settings: &'a Settings,
}

/// One container's spec (from a `docker run` line, a compose service or a live container).
pub struct ContainerContext<'a> {
    pub spec: &'a ContainerSpec,
    pub settings: &'a Settings,
}

/// A loaded compose project, for rules about how its services, networks and secrets relate.
pub struct ProjectContext<'a> {
    pub project: &'a ComposeProject,
    pub settings: &'a Settings,
}

/// A collected engine snapshot, for daemon and host rules.
pub struct SnapshotContext<'a> {
    pub snapshot: &'a Snapshot,
    pub settings: &'a Settings,
}

/// What was read from one image (a `docker save` tar, an OCI layout, a root file system).
pub struct ImageContext<'a> {
    pub image: &'a ImageContent,
    pub settings: &'a Settings,
}

impl ProjectContext<'_> {
    /// How findings name the project when a value has no position: `compose:<name>`, or the
    /// project's first file.
    pub fn object(&self) -> String {
        let name = self.project.name.as_ref().map(|n| n.value.clone());
        format!("compose:{}", name.or_else(|| self.project.files.first().cloned()).unwrap_or_default())
    }
}

/// What a sink's findings are about: a Dockerfile (positions from spans), a container
/// (positions from the [`Origin`]s its values carry, else the container object), or a compose
/// project (origins, else the project object).
enum Subject<'a> {
    Dockerfile { dockerfile: &'a Dockerfile, path: &'a str },
    Container { spec: &'a ContainerSpec },
    Project { object: String },
}

/// Collects one rule's findings, filling in the rule's metadata and turning spans into
/// lines and columns.
pub struct Sink<'a> {
    meta: &'a RuleMeta,
    subject: Subject<'a>,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub fn new(meta: &'a RuleMeta, cx: &DockerfileContext<'a>) -> Sink<'a> {
        Sink { meta, subject: Subject::Dockerfile { dockerfile: cx.dockerfile, path: cx.path }, findings: Vec::new() }
    }

    /// A sink for container rules.
    pub fn for_container(meta: &'a RuleMeta, cx: &ContainerContext<'a>) -> Sink<'a> {
        Sink { meta, subject: Subject::Container { spec: cx.spec }, findings: Vec::new() }
    }

    /// A sink for findings about a named object without file positions (`daemon`,
    /// `host:/var/run/docker.sock`); `Sink::report_object` can name another one.
    pub fn for_object(meta: &'a RuleMeta, object: &str) -> Sink<'a> {
        Sink { meta, subject: Subject::Project { object: object.to_string() }, findings: Vec::new() }
    }

    /// Reports a finding about `object` (`daemon`, `host:/etc/docker/daemon.json`).
    pub fn report_object(&mut self, object: &str, message: impl Into<String>) -> &mut Finding {
        self.push(object_location(object, None), message.into())
    }

    /// Reports a finding about a file inside the image named `object` (`image:app:1`). The
    /// object is `image:app:1:/usr/bin/sudo`: the location's `path` means a file on the
    /// scanning machine (SARIF makes it a link), which an in-image path is not.
    pub fn report_image_file(&mut self, object: &str, path: &str, message: impl Into<String>) -> &mut Finding {
        self.push(object_location(&format!("{object}:{path}"), None), message.into())
    }

    /// A sink for compose project rules.
    pub fn for_project(meta: &'a RuleMeta, cx: &ProjectContext<'a>) -> Sink<'a> {
        Sink { meta, subject: Subject::Project { object: cx.object() }, findings: Vec::new() }
    }

    /// Reports a finding at `span` and returns it so the caller can add evidence and a fix.
    /// Without an explicit fix the first paragraph of the rule's Fix docs is used.
    /// (Spans are Dockerfile positions; on a container sink the finding names the container.)
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        let location = match self.subject {
            Subject::Dockerfile { dockerfile, path } => {
                let (line, column) = dockerfile.line_col(span.start);
                let (end_line, end_column) = dockerfile.line_col(span.end.max(span.start));
                Location {
                    path: Some(path.to_string()),
                    line: Some(line),
                    column: Some(column),
                    end_line: Some(end_line),
                    end_column: Some(end_column),
                    object: None,
                }
            }
            Subject::Container { spec } => container_location(spec, spec.origin.as_ref()),
            Subject::Project { ref object } => object_location(object, None),
        };
        self.push(location, message.into())
    }

    /// Reports a finding at `value`'s origin: the file position it was written at, or, for a
    /// value without one (a live container), the container itself.
    pub fn report_value<T>(&mut self, value: &Sourced<T>, message: impl Into<String>) -> &mut Finding {
        self.report_at(value.origin.as_ref(), message)
    }

    /// Reports a finding at `origin`, or at the container when there is none.
    pub fn report_at(&mut self, origin: Option<&Origin>, message: impl Into<String>) -> &mut Finding {
        let mut message = message.into();
        if let Some(defined) = origin.and_then(|o| o.defined_at.as_ref()) {
            message.push_str(&format!(" (defined at {defined})"));
        }
        let location = match self.subject {
            Subject::Container { spec } => container_location(spec, origin),
            Subject::Project { ref object } => object_location(object, origin),
            Subject::Dockerfile { path, .. } => match origin {
                Some(origin) => origin.location(),
                None => Location { path: Some(path.to_string()), ..Location::default() },
            },
        };
        self.push(location, message)
    }

    /// Reports a finding about the container as a whole, typically about something it lacks
    /// (no memory limit): at the definition's origin (the `docker run` command, the compose
    /// service's key), or at the container object.
    pub fn report_container(&mut self, message: impl Into<String>) -> &mut Finding {
        let origin = match self.subject {
            Subject::Container { spec } => spec.origin.as_ref(),
            Subject::Dockerfile { .. } | Subject::Project { .. } => None,
        };
        self.report_at(origin, message)
    }

    fn push(&mut self, location: Location, message: String) -> &mut Finding {
        let mut finding = Finding::new(self.meta, message, location);
        finding.fix = Some(default_fix(self.meta.docs.fix));
        self.findings.push(finding);
        self.findings.last_mut().expect("just pushed")
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

/// Where a container finding goes: `origin` when there is one, always naming the container
/// object so findings can be grouped per container (`container:web`, `service:web`).
fn container_location(spec: &ContainerSpec, origin: Option<&Origin>) -> Location {
    let object = if spec.object.is_empty() { "container" } else { spec.object.as_str() };
    object_location(object, origin)
}

/// `origin`'s location when there is one, naming `object` either way.
fn object_location(object: &str, origin: Option<&Origin>) -> Location {
    let mut location = origin.map(Origin::location).unwrap_or_default();
    location.object = Some(object.to_string());
    location
}

/// The fix a finding carries when its rule gives none: the first paragraph of the rule's Fix
/// docs, and the paragraphs after it while one ends with `:` (it introduces the example that
/// follows, which the finding must not cut off).
fn default_fix(docs_fix: &str) -> String {
    let mut fix = String::new();
    for paragraph in docs_fix.trim().split("\n\n") {
        if !fix.is_empty() {
            fix.push_str("\n\n");
        }
        fix.push_str(paragraph.trim_end());
        if !paragraph.trim_end().ends_with(':') {
            break;
        }
    }
    fix
}

#[cfg(test)]
mod default_fix_tests {
    use super::default_fix;

    #[test]
    fn stops_after_the_first_paragraph() {
        assert_eq!(default_fix("Use COPY.\n\nMore details."), "Use COPY.");
    }

    #[test]
    fn keeps_the_example_a_paragraph_introduces() {
        assert_eq!(
            default_fix("Check it first:\n\n```\nsha256sum -c\n```\n\nWhy."),
            "Check it first:\n\n```\nsha256sum -c\n```"
        );
    }
}

