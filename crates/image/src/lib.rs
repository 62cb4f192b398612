//! Reads container images without extracting them: `docker save` tars (the legacy
//! `manifest.json` layout and the OCI layout newer Docker writes), OCI image layout directories
//! and archives, and plain root file system directories.
//!
//! Each layer is read once, as a stream, and never written to disk. A [`Visitor`] sees every
//! entry and asks for the content of the files it cares about (read up to a cap); after the last
//! layer the walker applies whiteouts and opaque directories in layer order to give the final
//! file system, and lists what later layers hid (deleted or replaced files), which is still in
//! the image for anyone who pulls it.
//!
//! Layers may come in any order (a `docker save` stream writes blobs before the manifest that
//! orders them), so each layer is recorded on its own and merged once the order is known.

mod decompress;
mod error;
mod facts;
mod fs;
mod layer;
mod layout;
mod packages;
mod path;
pub mod sbom;
mod source;

pub use error::ImageError;
pub use facts::{image_content, now_utc, today_utc, ContentCollector};
pub use fs::{FileSystem, FsEntry, HiddenEntry, HiddenHow};
pub use layer::{EntryKind, EntryMeta};
pub use packages::{fuzz_package_readers, inventory, packages, Inventory, Package};
pub use layout::{Healthcheck, HistoryEntry, ImageConfig, RunConfig};
pub use path::normalize_entry_path;
pub use source::{open, read_image_stream};

/// Bounds on the work and memory one image may cost. Every one is checked while reading, so a
/// hostile image fails with [`ImageError::LimitExceeded`] instead of exhausting the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Uncompressed bytes in one layer.
    pub max_layer_bytes: u64,
    /// Entries over all layers.
    pub max_entries: u64,
    /// Layers in the image.
    pub max_layers: usize,
    /// Bytes of one file's content handed to a visitor; longer files are cut (and marked so).
    pub max_file_read: u64,
    /// Size of a JSON document (manifest, index, config).
    pub max_json_bytes: u64,
    /// Decompressed bytes per compressed byte of a layer, past the first MiB: a gzip bomb
    /// expands about a thousandfold, real layers rarely beyond twenty.
    pub max_compression_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_layer_bytes: 16 << 30,
            max_entries: 4_000_000,
            max_layers: 512,
            max_file_read: 16 << 20,
            max_json_bytes: 16 << 20,
            max_compression_ratio: 250,
        }
    }
}

/// Sees every layer entry while the image is read; asks for the content of the files it wants.
///
/// Layers arrive in the order the source stores them, which need not be the image's layer order:
/// `layer` is the layer's key in the source (`blobs/sha256/…`, `<id>/layer.tar`, `rootfs`);
/// [`Image::layer_by_key`] maps it to positions once the image is read.
pub trait Visitor {
    /// A layer begins (`layer` is its key in the source); once per layer, for progress display.
    fn layer_started(&mut self, _layer: &str) {}
    /// Whether to read this regular file's content (up to [`Limits::max_file_read`] bytes).
    fn wants(&mut self, _layer: &str, _entry: &EntryMeta) -> bool {
        false
    }
    /// The content of a wanted file; `truncated` when the file is longer than the cap.
    fn file(&mut self, _layer: &str, _entry: &EntryMeta, _content: &[u8], _truncated: bool) {}
    /// Whether to read this regular file as a stream instead, whatever its size, in bounded
    /// memory (a Go binary's build information may lie 100 MB in). Asked only when
    /// [`Visitor::wants`] said no.
    fn wants_stream(&mut self, _layer: &str, _entry: &EntryMeta) -> bool {
        false
    }
    /// The content of a file [`Visitor::wants_stream`] asked for. An error is a read error of
    /// the layer (the image is corrupt), so a visitor should only pass on the reader's errors.
    fn stream(&mut self, _layer: &str, _entry: &EntryMeta, _reader: &mut dyn std::io::Read) -> std::io::Result<()> {
        Ok(())
    }
}

/// A visitor that wants nothing: for reading just the file system and the config.
pub struct NoContent;
impl Visitor for NoContent {}

/// One layer of the image, in image order (index 0 is the base).
#[derive(Debug, Clone, serde::Serialize)]
pub struct LayerInfo {
    pub index: usize,
    /// Where the source stores it.
    pub key: String,
    /// The uncompressed digest the config lists (`rootfs.diff_ids`), when there is a config.
    pub diff_id: Option<String>,
    /// The history command that created it (`created_by`), when history lines up with layers.
    pub created_by: Option<String>,
    /// Uncompressed tar bytes and entries read.
    pub bytes: u64,
    pub entries: u64,
}

/// A read image: its config, layers, final file system and what layers hid.
#[derive(Debug)]
pub struct Image {
    /// What was opened, as the user named it.
    pub source: String,
    /// `None` for a root file system directory.
    pub config: Option<ImageConfig>,
    pub layers: Vec<LayerInfo>,
    pub fs: FileSystem,
    /// Files added by one layer and deleted or replaced by a later one, in layer order.
    pub hidden: Vec<HiddenEntry>,
    /// Repository tags the source names (`manifest.json` RepoTags, OCI ref names).
    pub tags: Vec<String>,
}

impl Image {
    /// Positions of the layer stored under `key` (a layer blob can appear more than once).
    pub fn layer_by_key(&self, key: &str) -> Vec<usize> {
        self.layers.iter().filter(|l| l.key == key).map(|l| l.index).collect()
    }
}
