//! The JSON documents that describe an image: `docker save`'s `manifest.json`, OCI `index.json`
//! and manifests, and the image config. Own structs, tolerant of missing fields: real images
//! omit most of them, and a strict model would reject images Docker runs happily.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One image in a `docker save` `manifest.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct SaveManifestEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
}

/// An OCI index (`index.json`, or a nested index blob) or image manifest: the same struct
/// reads both, since an index has `manifests` and a manifest has `config` and `layers`.
#[derive(Debug, Deserialize)]
pub(crate) struct OciDocument {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
    #[serde(default)]
    pub config: Option<Descriptor>,
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

/// The image config: how containers of the image run, and how it was built.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub config: RunConfig,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
}

/// `config` in the image config.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunConfig {
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub env: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub exposed_ports: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub healthcheck: Option<Healthcheck>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub entrypoint: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub cmd: Vec<String>,
    #[serde(default)]
    pub working_dir: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Healthcheck {
    /// `["NONE"]` disables a base image's check; `["CMD", …]` / `["CMD-SHELL", …]`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub test: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HistoryEntry {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    /// True for instructions that made no layer (ENV, LABEL, …).
    #[serde(default)]
    pub empty_layer: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

impl ImageConfig {
    /// `created_by` of the history entry that made each layer, when history and layers line
    /// up (one non-empty entry per layer); otherwise none, rather than a wrong attribution.
    pub fn layer_commands(&self, layer_count: usize) -> Vec<Option<String>> {
        let made_layers: Vec<&HistoryEntry> = self.history.iter().filter(|h| !h.empty_layer).collect();
        if made_layers.len() == layer_count {
            made_layers.iter().map(|h| h.created_by.clone()).collect()
        } else {
            vec![None; layer_count]
        }
    }
}

/// `sha256:abc` -> `blobs/sha256/abc`, refusing anything that is not a plain algorithm and hex.
pub(crate) fn blob_path(digest: &str) -> Option<String> {
    let (algorithm, hex) = digest.split_once(':')?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'+' || b == b'-' || b == b'.');
    (plain(algorithm) && hex.bytes().all(|b| b.is_ascii_hexdigit()) && !hex.is_empty() && !algorithm.starts_with('.'))
        .then(|| format!("blobs/{algorithm}/{hex}"))
}
