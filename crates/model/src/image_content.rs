//! What rampart read from an image itself (its config and its layers, from a `docker save` tar,
//! an OCI layout or a root file system): the facts the image rules judge. Collected by
//! crates/image; plain data, so every image rule is tested from a small JSON fixture.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageContent {
    /// How findings name the image: `image:<tag>` or `image:<path>`.
    pub object: String,
    /// The date the image was checked (`YYYY-MM-DD`): rules judge end-of-life dates against it
    /// rather than reading the clock.
    pub checked_on: String,
    /// False for a root file system directory: there is no config, so config rules say nothing.
    pub has_config: bool,
    /// Config.User; empty means root.
    pub user: String,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// `22/tcp`, `53/udp`, as the config lists them.
    pub exposed_ports: Vec<String>,
    /// Config.Healthcheck.Test; empty when the image defines none, `["NONE"]` when disabled.
    pub healthcheck: Vec<String>,
    /// Every history step, oldest first.
    pub history: Vec<HistoryStep>,
    /// `/etc/os-release` (or `/usr/lib/os-release`) of the final file system.
    pub os: Option<OsRelease>,
    /// Entries of the final file system (regular files, directories, links).
    pub files: Vec<ImageFile>,
    /// Files a layer added and a later layer deleted or replaced: gone from containers, still
    /// in the image.
    pub hidden: Vec<HiddenFile>,
    /// Secrets found in files of any layer, including files a later layer deleted.
    pub secrets: Vec<ImageSecret>,
    /// Known vulnerabilities of the installed packages, from the advisory database (empty when
    /// none was available: the report's vulnerability summary says whether it was).
    pub vulnerabilities: Vec<crate::PackageVulnerability>,
}

/// A secret in a file of one layer (redacted: never the whole value).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSecret {
    /// Absolute path in the image.
    pub path: String,
    pub line: usize,
    /// The layer whose copy of the file holds it.
    pub layer: usize,
    /// The later layer that deleted or replaced that copy: gone from containers, still in the
    /// image for anyone who pulls it.
    pub hidden_in: Option<usize>,
    /// The scanner's rule (`aws-access-key-id`) and what it matches ("an AWS access key ID").
    pub kind: String,
    pub description: String,
    pub redacted: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryStep {
    pub created_by: String,
    /// The layer it made (index, base first); `None` for steps that made none (ENV, LABEL).
    pub layer: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OsRelease {
    /// `ID`: `debian`, `ubuntu`, `alpine`, `rhel`, `rocky`, `almalinux`, `amzn`, ...
    pub id: String,
    /// `VERSION_ID`: `12`, `22.04`, `3.19.1`, `9.3`, `2023`.
    pub version_id: String,
    pub pretty_name: String,
    /// The layer the file came from.
    pub layer: usize,
}

/// An image's base distribution as its own `/etc/os-release` names it, with the end of its
/// security support from rampart's data table (crates/rules/src/image_content.rs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BaseOs {
    /// `ID`: `debian`, `alpine`, ...
    pub id: String,
    /// `VERSION_ID`: `12`, `3.19.1`; empty when the release has none (Debian testing).
    pub version_id: String,
    /// `PRETTY_NAME`: `Debian GNU/Linux 12 (bookworm)`.
    pub pretty_name: String,
    /// The end of security support (`YYYY-MM-DD`), when the table knows the release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<String>,
    /// `supported` (before its end of life on the day of the check), `end-of-life`, or
    /// `unknown` (a release the table does not list).
    pub eol_status: EolStatus,
}

impl BaseOs {
    /// How reports name it: `PRETTY_NAME`, else `ID VERSION_ID` (`alpine 3.19.1`).
    pub fn display_name(&self) -> String {
        if self.pretty_name.is_empty() {
            format!("{} {}", self.id, self.version_id).trim().to_string()
        } else {
            self.pretty_name.clone()
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EolStatus {
    Supported,
    EndOfLife,
    #[default]
    Unknown,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFileKind {
    #[default]
    File,
    Dir,
    Symlink,
    Hardlink,
    Special,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageFile {
    /// Absolute path in the image: `/usr/bin/sudo`.
    pub path: String,
    pub kind: ImageFileKind,
    /// Permission bits with setuid, setgid and sticky (`0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub size: u64,
    /// The layer that wrote it last.
    pub layer: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HiddenFile {
    pub path: String,
    pub size: u64,
    pub added_in: usize,
    pub hidden_in: usize,
    /// The history command of the layer that added it, when history lines up with layers.
    pub added_by: Option<String>,
}

impl ImageContent {
    /// The file at `path` (absolute), if the final file system has it.
    pub fn file(&self, path: &str) -> Option<&ImageFile> {
        self.files.iter().find(|f| f.path == path)
    }
}
