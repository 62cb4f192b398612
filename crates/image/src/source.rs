//! Image sources: a tar stream (`docker save`, legacy or OCI layout, or an OCI archive), an
//! OCI layout or extracted `docker save` directory, or a plain root file system directory.

use crate::decompress::Counting;
use crate::fs::apply_layers;
use crate::layer::{head_of, looks_like_layer, read_layer, Change, EntryKind, EntryMeta, LayerRecord};
use crate::layout::{blob_path, ImageConfig, OciDocument, SaveManifestEntry};
use crate::path::normalize_entry_path;
use crate::{Image, ImageError, LayerInfo, Limits, Visitor};
use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::path::Path;

const ARCHIVE: &str = "the image archive";

/// Opens what `path` names: a directory with `index.json` or `manifest.json` is an image
/// layout, any other directory a root file system, a file an image tar.
pub fn open(path: &Path, limits: &Limits, visitor: &mut dyn Visitor) -> Result<Image, ImageError> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(ImageError::io(format!("opening {label}")))?;
    if meta.is_dir() {
        if path.join("index.json").is_file() || path.join("manifest.json").is_file() {
            read_layout_dir(path, &label, limits, visitor)
        } else {
            read_rootfs_dir(path, &label, limits, visitor)
        }
    } else {
        let file = std::fs::File::open(path).map_err(ImageError::io(format!("opening {label}")))?;
        read_image_stream(BufReader::with_capacity(256 << 10, file), &label, limits, visitor)
    }
}

/// Reads an image tar from a stream (a file, or the Engine API's image export), once, front to
/// back: layers are walked as they come, JSON documents kept, and the order applied at the end.
pub fn read_image_stream<R: Read>(reader: R, label: &str, limits: &Limits, visitor: &mut dyn Visitor) -> Result<Image, ImageError> {
    let mut archive = tar::Archive::new(reader);
    let mut json: HashMap<String, Vec<u8>> = HashMap::new();
    let mut records: HashMap<String, LayerRecord> = HashMap::new();
    let mut entries = 0u64;
    let not_an_image = |e: io::Error| ImageError::Corrupt { layer: ARCHIVE.to_string(), detail: format!("{label}: {e}") };
    for entry in archive.entries().map_err(not_an_image)? {
        let mut entry = entry.map_err(not_an_image)?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let Some(key) = normalize_entry_path(&raw) else {
            return Err(ImageError::UnsafePath { layer: ARCHIVE.to_string(), path: raw });
        };
        let size = entry.size();
        let (counted, consumed) = Counting::new(&mut entry);
        let mut blob = BufReader::with_capacity(64 << 10, counted);
        let head = head_of(&mut blob).map_err(ImageError::io(format!("reading {key} in {label}")))?;
        if looks_like_layer(&head) {
            if records.len() >= limits.max_layers {
                return Err(ImageError::LimitExceeded { what: "number of layers", limit: limits.max_layers as u64, place: label.to_string() });
            }
            if !records.contains_key(&key) {
                let record = read_layer(&mut blob, &key, limits, &mut entries, visitor)?;
                records.insert(key.clone(), record);
            }
        } else if crate::decompress::sniff(&head) == crate::decompress::BlobKind::Json && size <= limits.max_json_bytes {
            let mut bytes = Vec::with_capacity(size as usize);
            blob.read_to_end(&mut bytes).map_err(ImageError::io(format!("reading {key} in {label}")))?;
            json.insert(key.clone(), bytes);
        }
        io::copy(&mut blob, &mut io::sink()).map_err(ImageError::io(format!("reading {key} in {label}")))?;
        if consumed.get() < size {
            return Err(ImageError::Corrupt {
                layer: key,
                detail: format!("the archive ends after {} of its {size} bytes", consumed.get()),
            });
        }
    }
    let plan = plan_layers(label, limits, &mut |key| Ok(json.get(key).cloned()))?;
    let mut ordered = Vec::with_capacity(plan.layer_keys.len());
    for key in &plan.layer_keys {
        match records.get(key) {
            Some(record) => ordered.push(record),
            None => return Err(ImageError::MissingBlob { name: key.clone() }),
        }
    }
    Ok(assemble(label, plan, ordered.into_iter().cloned().collect()))
}

/// Fetches a JSON document by its key in the source; `None` when there is no such document.
type FetchJson<'a> = dyn FnMut(&str) -> Result<Option<Vec<u8>>, ImageError> + 'a;

/// What the manifest says: the config and the layers in order.
struct Plan {
    config: Option<ImageConfig>,
    layer_keys: Vec<String>,
    tags: Vec<String>,
}

/// Reads the manifest (`manifest.json` first: Docker writes both it and `index.json`, and its
/// `Layers` are already the layer paths), falling back to the OCI index.
fn plan_layers(
    label: &str,
    limits: &Limits,
    fetch: &mut FetchJson<'_>,
) -> Result<Plan, ImageError> {
    if let Some(bytes) = fetch("manifest.json")? {
        let manifest: Vec<SaveManifestEntry> = parse_json("manifest.json", &bytes)?;
        let Some(first) = manifest.into_iter().next() else {
            return Err(ImageError::BadJson { name: "manifest.json".into(), detail: "lists no image".into() });
        };
        let config = load_config(&first.config, fetch)?;
        let mut layer_keys = Vec::new();
        for layer in &first.layers {
            let key = normalize_entry_path(layer).ok_or_else(|| ImageError::UnsafePath { layer: "manifest.json".into(), path: layer.clone() })?;
            layer_keys.push(key);
        }
        check_layer_count(layer_keys.len(), limits, label)?;
        return Ok(Plan { config: Some(config), layer_keys, tags: first.repo_tags.unwrap_or_default() });
    }
    let Some(bytes) = fetch("index.json")? else {
        return Err(ImageError::NotAnImage(label.to_string()));
    };
    let mut document: OciDocument = parse_json("index.json", &bytes)?;
    let mut tags = Vec::new();
    // An index may point to further indexes (multi-platform images); a few levels at most.
    for _ in 0..4 {
        if let Some(config) = document.config.take() {
            let config_key = blob_path(&config.digest).ok_or_else(|| bad_digest(&config.digest))?;
            let config = load_config(&config_key, fetch)?;
            let mut layer_keys = Vec::new();
            for layer in &document.layers {
                layer_keys.push(blob_path(&layer.digest).ok_or_else(|| bad_digest(&layer.digest))?);
            }
            check_layer_count(layer_keys.len(), limits, label)?;
            return Ok(Plan { config: Some(config), layer_keys, tags });
        }
        let Some(chosen) = choose_manifest(&document) else {
            return Err(ImageError::BadJson { name: "index.json".into(), detail: "names no image manifest".into() });
        };
        for key in ["io.containerd.image.name", "org.opencontainers.image.ref.name"] {
            if let Some(name) = chosen.annotations.get(key) {
                tags.push(name.clone());
            }
        }
        let key = blob_path(&chosen.digest).ok_or_else(|| bad_digest(&chosen.digest))?;
        let bytes = fetch(&key)?.ok_or(ImageError::MissingBlob { name: key.clone() })?;
        document = parse_json(&key, &bytes)?;
        let _ = &document.media_type;
    }
    Err(ImageError::Unsupported("image indexes nested more than four deep".into()))
}

/// The manifest to read from an index: the first for linux/amd64, else the first that is not
/// an attestation (BuildKit lists those with platform unknown/unknown).
fn choose_manifest(index: &OciDocument) -> Option<&crate::layout::Descriptor> {
    let usable: Vec<_> = index
        .manifests
        .iter()
        .filter(|d| d.platform.as_ref().is_none_or(|p| p.os != "unknown"))
        .filter(|d| !d.media_type.contains("attestation"))
        .collect();
    usable
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(|p| p.os == "linux" && p.architecture == "amd64"))
        .or(usable.first())
        .copied()
}

fn bad_digest(digest: &str) -> ImageError {
    ImageError::BadJson { name: "image manifest".into(), detail: format!("invalid digest {digest:?}") }
}

fn check_layer_count(count: usize, limits: &Limits, label: &str) -> Result<(), ImageError> {
    if count > limits.max_layers {
        return Err(ImageError::LimitExceeded { what: "number of layers", limit: limits.max_layers as u64, place: label.to_string() });
    }
    Ok(())
}

fn load_config(
    key: &str,
    fetch: &mut FetchJson<'_>,
) -> Result<ImageConfig, ImageError> {
    let key = normalize_entry_path(key).ok_or_else(|| ImageError::UnsafePath { layer: "manifest".into(), path: key.to_string() })?;
    let bytes = fetch(&key)?.ok_or(ImageError::MissingBlob { name: key.clone() })?;
    parse_json(&key, &bytes)
}

fn parse_json<T: serde::de::DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T, ImageError> {
    serde_json::from_slice(bytes).map_err(|e| ImageError::BadJson { name: name.to_string(), detail: e.to_string() })
}

fn assemble(label: &str, plan: Plan, records: Vec<LayerRecord>) -> Image {
    let (fs, hidden) = apply_layers(&records);
    let commands = plan.config.as_ref().map(|c| c.layer_commands(records.len())).unwrap_or_else(|| vec![None; records.len()]);
    let diff_ids: Vec<String> = plan.config.as_ref().and_then(|c| c.rootfs.as_ref()).map(|r| r.diff_ids.clone()).unwrap_or_default();
    let layers = records
        .iter()
        .zip(&plan.layer_keys)
        .enumerate()
        .map(|(index, (record, key))| LayerInfo {
            index,
            key: key.clone(),
            diff_id: diff_ids.get(index).cloned(),
            created_by: commands.get(index).cloned().flatten(),
            bytes: record.bytes,
            entries: record.changes.len() as u64,
        })
        .collect();
    Image { source: label.to_string(), config: plan.config, layers, fs, hidden, tags: plan.tags }
}

/// An OCI image layout or an extracted `docker save` directory.
fn read_layout_dir(dir: &Path, label: &str, limits: &Limits, visitor: &mut dyn Visitor) -> Result<Image, ImageError> {
    let mut fetch = |key: &str| -> Result<Option<Vec<u8>>, ImageError> {
        let path = dir.join(key);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.len() > limits.max_json_bytes => {
                Err(ImageError::LimitExceeded { what: "JSON document size", limit: limits.max_json_bytes, place: key.to_string() })
            }
            Ok(_) => std::fs::read(&path).map(Some).map_err(ImageError::io(format!("reading {}", path.display()))),
            Err(_) => Ok(None),
        }
    };
    let plan = plan_layers(label, limits, &mut fetch)?;
    let mut entries = 0;
    let mut records: Vec<LayerRecord> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for key in &plan.layer_keys {
        if let Some(&at) = seen.get(key.as_str()) {
            records.push(records[at].clone());
            continue;
        }
        let path = dir.join(key);
        let file = std::fs::File::open(&path).map_err(|_| ImageError::MissingBlob { name: key.clone() })?;
        records.push(read_layer(BufReader::with_capacity(256 << 10, file), key, limits, &mut entries, visitor)?);
        seen.insert(key, records.len() - 1);
    }
    Ok(assemble(label, plan, records))
}

/// A root file system directory: one layer, no config. Symlinks are recorded, never followed,
/// and nothing outside `root` is read.
fn read_rootfs_dir(root: &Path, label: &str, limits: &Limits, visitor: &mut dyn Visitor) -> Result<Image, ImageError> {
    use std::os::unix::fs::MetadataExt;
    const KEY: &str = "rootfs";
    let mut record = LayerRecord::default();
    let mut pending = vec![String::new()];
    let mut content = Vec::new();
    let mut count = 0u64;
    while let Some(dir) = pending.pop() {
        let full = root.join(&dir);
        let listing = std::fs::read_dir(&full).map_err(ImageError::io(format!("listing {}", full.display())))?;
        let mut names: Vec<String> = listing.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        for name in names {
            count += 1;
            if count > limits.max_entries {
                return Err(ImageError::LimitExceeded { what: "number of entries", limit: limits.max_entries, place: label.to_string() });
            }
            let rel = crate::path::join(&dir, &name);
            let path = root.join(&rel);
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            let file_type = meta.file_type();
            let (kind, link) = if file_type.is_dir() {
                (EntryKind::Dir, None)
            } else if file_type.is_symlink() {
                (EntryKind::Symlink, std::fs::read_link(&path).ok().map(|t| t.to_string_lossy().into_owned()))
            } else if file_type.is_file() {
                (EntryKind::File, None)
            } else {
                (EntryKind::Special, None)
            };
            let entry = EntryMeta { path: rel.clone(), kind, mode: meta.mode() & 0o7777, uid: meta.uid() as u64, gid: meta.gid() as u64, size: meta.len(), link };
            if kind == EntryKind::File && visitor.wants(KEY, &entry) {
                content.clear();
                if let Ok(file) = std::fs::File::open(&path) {
                    // A read error mid-file (a file that vanished) leaves what was read.
                    let _ = file.take(limits.max_file_read).read_to_end(&mut content);
                    visitor.file(KEY, &entry, &content, entry.size > content.len() as u64);
                }
            } else if kind == EntryKind::File && visitor.wants_stream(KEY, &entry) {
                if let Ok(file) = std::fs::File::open(&path) {
                    // As above: a file that cannot be read is skipped, not an error of the image.
                    let _ = visitor.stream(KEY, &entry, &mut std::io::BufReader::new(file));
                }
            }
            if kind == EntryKind::Dir {
                pending.push(rel);
            }
            record.changes.push(Change::Add(entry));
        }
    }
    let plan = Plan { config: None, layer_keys: vec![KEY.to_string()], tags: Vec::new() };
    Ok(assemble(label, plan, vec![record]))
}
