//! One layer tar, read once as a stream into a [`LayerRecord`]: every entry's metadata, in tar
//! order, with wanted files' content handed to the visitor on the way.

use crate::decompress::{guard_trip, peek, sniff, BlobKind, Counting, Guard, GuardTrip};
use crate::path::normalize_entry_path;
use crate::{ImageError, Limits, Visitor};
use std::io::{self, BufRead, BufReader, Read};

/// What a tar entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    /// Devices, FIFOs.
    Special,
}

/// One entry's metadata. `path` is normalised (relative to the image root, no leading `/`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntryMeta {
    pub path: String,
    pub kind: EntryKind,
    /// Permission bits with setuid/setgid/sticky (`0o7777`).
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    /// A symlink's target as written; a hard link's normalised target path.
    pub link: Option<String>,
}

/// A whiteout or an addition, in the order the layer lists them.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    Add(EntryMeta),
    /// `.wh.NAME`: the path removed from lower layers.
    Whiteout(String),
    /// `.wh..wh..opq` in a directory: its lower-layer content removed.
    Opaque(String),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct LayerRecord {
    pub changes: Vec<Change>,
    pub bytes: u64,
}

const WHITEOUT_PREFIX: &str = ".wh.";
const OPAQUE_MARKER: &str = ".wh..wh..opq";

/// Reads a (possibly compressed) layer blob. `entries_so_far` counts entries over the image for
/// [`Limits::max_entries`].
pub(crate) fn read_layer<R: Read>(
    blob: R,
    key: &str,
    limits: &Limits,
    entries_so_far: &mut u64,
    visitor: &mut dyn Visitor,
) -> Result<LayerRecord, ImageError> {
    visitor.layer_started(key);
    let (counted, compressed) = Counting::new(blob);
    let mut buffered = BufReader::new(counted);
    let head = peek(&mut buffered).map_err(ImageError::io(format!("reading layer {key}")))?;
    let corrupt = |detail: String| ImageError::Corrupt { layer: key.to_string(), detail };
    let decoded: Box<dyn Read + '_> = match sniff(&head) {
        BlobKind::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        BlobKind::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(buffered)
                .map_err(|e| corrupt(format!("bad zstd frame: {e}")))?,
        ),
        BlobKind::Tar => Box::new(buffered),
        BlobKind::Json | BlobKind::Other => {
            return Err(corrupt("not a tar, gzip or zstd stream".to_string()));
        }
    };
    let ratio_base = (!matches!(sniff(&head), BlobKind::Tar)).then_some(compressed);
    let mut guard = Guard::new(decoded, ratio_base, limits.max_layer_bytes, limits.max_compression_ratio);
    let result = walk_tar(&mut guard, key, limits, entries_so_far, visitor);
    let bytes = guard.produced();
    match result {
        Ok(mut record) => {
            // The tar reader stops at the end-of-archive blocks; what follows (padding, a second
            // gzip member of zeros) is read so a truncated compressed stream is still noticed.
            drain(&mut guard).map_err(|e| map_read_error(e, key, limits))?;
            record.bytes = guard.produced().max(bytes);
            Ok(record)
        }
        Err(WalkError::Io(e)) => Err(map_read_error(e, key, limits)),
        Err(WalkError::Image(e)) => Err(e),
    }
}

fn drain<R: Read>(reader: &mut R) -> io::Result<()> {
    io::copy(reader, &mut io::sink()).map(|_| ())
}

fn map_read_error(e: io::Error, key: &str, limits: &Limits) -> ImageError {
    match guard_trip(&e) {
        Some(GuardTrip::TooLarge(limit)) => ImageError::LimitExceeded {
            what: "uncompressed layer size",
            limit: *limit,
            place: format!("layer {key}"),
        },
        Some(GuardTrip::Ratio(_)) => ImageError::LimitExceeded {
            what: "decompression ratio",
            limit: limits.max_compression_ratio,
            place: format!("layer {key}"),
        },
        None => ImageError::Corrupt { layer: key.to_string(), detail: e.to_string() },
    }
}

enum WalkError {
    Io(io::Error),
    Image(ImageError),
}

impl From<io::Error> for WalkError {
    fn from(e: io::Error) -> WalkError {
        WalkError::Io(e)
    }
}

fn walk_tar<R: Read>(
    reader: R,
    key: &str,
    limits: &Limits,
    entries_so_far: &mut u64,
    visitor: &mut dyn Visitor,
) -> Result<LayerRecord, WalkError> {
    let mut archive = tar::Archive::new(reader);
    let mut record = LayerRecord::default();
    let mut content = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        *entries_so_far += 1;
        if *entries_so_far > limits.max_entries {
            return Err(WalkError::Image(ImageError::LimitExceeded {
                what: "number of entries",
                limit: limits.max_entries,
                place: format!("layer {key}"),
            }));
        }
        // path() applies GNU long names and PAX `path` records.
        let raw_path = entry.path_bytes();
        let raw_path = String::from_utf8_lossy(&raw_path).into_owned();
        let unsafe_path = || WalkError::Image(ImageError::UnsafePath { layer: key.to_string(), path: raw_path.clone() });
        let Some(path) = normalize_entry_path(&raw_path) else { return Err(unsafe_path()) };
        let header = entry.header();
        let entry_type = header.entry_type();
        let kind = match entry_type {
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => EntryKind::File,
            tar::EntryType::Directory => EntryKind::Dir,
            tar::EntryType::Symlink => EntryKind::Symlink,
            tar::EntryType::Link => EntryKind::Hardlink,
            tar::EntryType::Char | tar::EntryType::Block | tar::EntryType::Fifo => EntryKind::Special,
            // PAX and GNU extension headers are consumed by the reader; anything else unknown
            // is kept as a special entry so it still shows in the file system.
            _ => EntryKind::Special,
        };
        let (parent, name) = crate::path::split_parent(&path);
        if name == OPAQUE_MARKER {
            record.changes.push(Change::Opaque(parent.to_string()));
            continue;
        }
        if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
            if hidden.is_empty() || hidden == "." || hidden == ".." {
                return Err(unsafe_path());
            }
            record.changes.push(Change::Whiteout(crate::path::join(parent, hidden)));
            continue;
        }
        if path.is_empty() && kind != EntryKind::Dir {
            return Err(unsafe_path());
        }
        let link = match kind {
            EntryKind::Symlink => entry.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned()),
            EntryKind::Hardlink => {
                let target = entry.link_name_bytes().map(|l| String::from_utf8_lossy(&l).into_owned()).unwrap_or_default();
                match normalize_entry_path(&target) {
                    Some(t) if !t.is_empty() => Some(t),
                    _ => {
                        return Err(WalkError::Image(ImageError::UnsafePath { layer: key.to_string(), path: target }));
                    }
                }
            }
            _ => None,
        };
        let meta = EntryMeta {
            path,
            kind,
            mode: header.mode().unwrap_or(0) & 0o7777,
            uid: header.uid().unwrap_or(0),
            gid: header.gid().unwrap_or(0),
            size: entry.size(),
            link,
        };
        if kind == EntryKind::File && visitor.wants(key, &meta) {
            content.clear();
            let cap = limits.max_file_read;
            (&mut entry).take(cap).read_to_end(&mut content)?;
            let truncated = meta.size > content.len() as u64;
            visitor.file(key, &meta, &content, truncated);
            if content.capacity() > (1 << 20) {
                // One big file should not keep its buffer for the rest of the image.
                content = Vec::new();
            }
        } else if kind == EntryKind::File && visitor.wants_stream(key, &meta) {
            visitor.stream(key, &meta, &mut entry)?;
        }
        record.changes.push(Change::Add(meta));
    }
    Ok(record)
}

/// Whether a blob's first bytes look like a layer (a tar, compressed or not).
pub(crate) fn looks_like_layer(head: &[u8]) -> bool {
    matches!(sniff(head), BlobKind::Gzip | BlobKind::Zstd | BlobKind::Tar)
}

/// Peeks a blob's first bytes.
pub(crate) fn head_of<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    peek(reader)
}
