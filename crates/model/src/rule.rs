//! Rule metadata: the data half of "rules are data plus a pure function".

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad a finding is on its own, before context (exposure, privilege) is weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity `{s}` (expected info, low, medium, high or critical)"))
    }
}

/// The section of the hardening guide a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Daemon,
    Isolation,
    Image,
    Network,
    Secrets,
    Runtime,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Daemon,
        Category::Isolation,
        Category::Image,
        Category::Network,
        Category::Secrets,
        Category::Runtime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Daemon => "daemon",
            Category::Isolation => "isolation",
            Category::Image => "image",
            Category::Network => "network",
            Category::Secrets => "secrets",
            Category::Runtime => "runtime",
        }
    }

    /// The guide's heading for this section, used by human-facing reports.
    pub fn heading(self) -> &'static str {
        match self {
            Category::Daemon => "Securing the Docker daemon",
            Category::Isolation => "Container isolation",
            Category::Image => "Image hardening",
            Category::Network => "Network segmentation",
            Category::Secrets => "Secrets management",
            Category::Runtime => "Runtime security",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of facts a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Dockerfile,
    /// A `ContainerSpec`: a `docker run` command line, a compose service or a live container.
    Container,
    /// A whole compose project: how its services, networks and secrets relate.
    Compose,
    /// A collected engine snapshot (crates/engine): the daemon, its configuration, the host.
    Engine,
    /// An image's config and content, read from its layers (crates/image).
    Image,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Dockerfile => "dockerfile",
            Target::Container => "container",
            Target::Compose => "compose",
            Target::Engine => "engine",
            Target::Image => "image",
        }
    }
}

/// A rule's documentation under the fixed headings every rule page uses.
#[derive(Debug, Clone, Copy)]
pub struct RuleDocs {
    /// What it does: one or two sentences on what the rule looks for.
    pub what: &'static str,
    /// Why it matters: the risk, concretely.
    pub why: &'static str,
    /// Example: a snippet that triggers the rule (Dockerfile, compose, ...).
    pub example: &'static str,
    /// Fix: exactly what to change, with the corrected snippet where that helps.
    pub fix: &'static str,
    /// References: URLs or document names (CIS section, hadolint wiki, ...).
    pub references: &'static [&'static str],
    /// Known differences from the peers the rule is aliased to (deliberate disagreements).
    pub peer_notes: &'static str,
}

/// Everything about a rule except its check.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable code (`DKF001`); never reused.
    pub code: &'static str,
    /// Kebab-case name (`sudo-in-run`), accepted wherever a code is.
    pub name: &'static str,
    /// One line, in the imperative or as a statement of the problem.
    pub title: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// Checklist items (1..=12) this rule informs.
    pub checklist: &'static [u8],
    /// Peer IDs for the same check: `DL3004`, `CKV_DOCKER_3`, `AVD-DS-0002`, `CIS-4.1`.
    pub aliases: &'static [&'static str],
    pub target: Target,
    pub docs: RuleDocs,
}

impl RuleMeta {
    /// True when `id` names this rule: its code, its name or one of its aliases (any case).
    pub fn is_named(&self, id: &str) -> bool {
        self.code.eq_ignore_ascii_case(id)
            || self.name.eq_ignore_ascii_case(id)
            || self.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(id))
    }
}
