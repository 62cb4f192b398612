//! The final file system: layers applied in order, whiteouts and opaque directories included,
//! with a record of every file a later layer hid.

use crate::layer::{Change, EntryKind, EntryMeta, LayerRecord};
use std::collections::BTreeMap;

/// One path of the final file system.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FsEntry {
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub link: Option<String>,
    /// The layer (image order) that wrote it last.
    pub layer: usize,
}

/// How a later layer hid a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HiddenHow {
    /// A whiteout, an opaque directory, or a non-directory put over one of its parents.
    Deleted,
    /// Written again at the same path.
    Replaced,
}

/// A file (or symlink) that layer `added_in` wrote and layer `hidden_in` deleted or replaced:
/// invisible in a container, still in the image.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HiddenEntry {
    pub path: String,
    pub kind: EntryKind,
    pub size: u64,
    pub added_in: usize,
    pub hidden_in: usize,
    pub how: HiddenHow,
}

/// Paths (relative, no leading `/`; the root is not listed) to entries.
#[derive(Debug, Clone, Default)]
pub struct FileSystem {
    entries: BTreeMap<String, FsEntry>,
}

impl FileSystem {
    pub fn get(&self, path: &str) -> Option<&FsEntry> {
        self.entries.get(path.trim_start_matches('/'))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FsEntry)> {
        self.entries.iter().map(|(p, e)| (p.as_str(), e))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Follows symlinks in `path` the way the kernel would inside the container: absolute
    /// targets start at the image root and `..` stops at it, so a link can never lead out of
    /// the image. `None` for a dangling path or a loop (more than 40 links, as Linux).
    pub fn resolve(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = path.split('/').filter(|p| !p.is_empty()).rev().map(str::to_string).collect();
        let mut resolved: Vec<String> = Vec::new();
        let mut links_followed = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "." => continue,
                ".." => {
                    resolved.pop();
                    continue;
                }
                _ => {}
            }
            resolved.push(part);
            let current = resolved.join("/");
            let Some(entry) = self.entries.get(&current) else {
                // A parent directory a layer never listed (tar entries need not come with their
                // directories) is a plain directory; the last component must exist.
                if pending.is_empty() {
                    return None;
                }
                continue;
            };
            if entry.kind == EntryKind::Symlink {
                links_followed += 1;
                if links_followed > 40 {
                    return None;
                }
                let target = entry.link.clone().unwrap_or_default();
                resolved.pop();
                if target.starts_with('/') {
                    resolved.clear();
                }
                pending.extend(target.split('/').filter(|p| !p.is_empty()).rev().map(str::to_string));
            }
        }
        Some(resolved.join("/"))
    }

    /// Removes `path` and everything under it, recording hidden files.
    fn remove_tree(&mut self, path: &str, layer: usize, hidden: &mut Vec<HiddenEntry>) {
        if let Some(old) = self.entries.remove(path) {
            note_hidden(path, &old, layer, HiddenHow::Deleted, hidden);
        }
        self.remove_children(path, layer, hidden);
    }

    fn remove_children(&mut self, dir: &str, layer: usize, hidden: &mut Vec<HiddenEntry>) {
        let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let children: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, _)| p.clone())
            .collect();
        for child in children {
            if let Some(old) = self.entries.remove(&child) {
                note_hidden(&child, &old, layer, HiddenHow::Deleted, hidden);
            }
        }
    }
}

fn note_hidden(path: &str, old: &FsEntry, layer: usize, how: HiddenHow, hidden: &mut Vec<HiddenEntry>) {
    if matches!(old.kind, EntryKind::File | EntryKind::Symlink | EntryKind::Hardlink) && old.layer != layer {
        hidden.push(HiddenEntry { path: path.to_string(), kind: old.kind, size: old.size, added_in: old.layer, hidden_in: layer, how });
    }
}

/// Applies `layers` (image order) to an empty file system. Within one layer, whiteouts and
/// opaque markers apply to lower layers only (OCI image spec, "whiteouts"), so they go first.
pub(crate) fn apply_layers<'a>(layers: impl IntoIterator<Item = &'a LayerRecord>) -> (FileSystem, Vec<HiddenEntry>) {
    let mut fs = FileSystem::default();
    let mut hidden = Vec::new();
    for (index, record) in layers.into_iter().enumerate() {
        for change in &record.changes {
            match change {
                Change::Whiteout(path) => fs.remove_tree(path, index, &mut hidden),
                Change::Opaque(dir) => fs.remove_children(dir, index, &mut hidden),
                Change::Add(_) => {}
            }
        }
        for change in &record.changes {
            if let Change::Add(meta) = change {
                add(&mut fs, meta, index, &mut hidden);
            }
        }
    }
    (fs, hidden)
}

fn add(fs: &mut FileSystem, meta: &EntryMeta, layer: usize, hidden: &mut Vec<HiddenEntry>) {
    if meta.path.is_empty() {
        return; // the root directory itself
    }
    // A non-directory on a parent's path replaces it as tar extraction would (mkdir -p).
    let mut parent = meta.path.as_str();
    while let Some(i) = parent.rfind('/') {
        parent = &parent[..i];
        if fs.entries.get(parent).is_some_and(|e| e.kind != EntryKind::Dir) {
            let parent = parent.to_string();
            fs.remove_tree(&parent, layer, hidden);
        }
    }
    let (kind, size, mode, link) = match meta.kind {
        // A hard link shares its target's content; keep the target's size when it is known.
        EntryKind::Hardlink => {
            let target = meta.link.as_deref().and_then(|t| fs.entries.get(t));
            (EntryKind::Hardlink, target.map_or(0, |t| t.size), target.map_or(meta.mode, |t| t.mode), meta.link.clone())
        }
        kind => (kind, meta.size, meta.mode, meta.link.clone()),
    };
    if let Some(old) = fs.entries.get(&meta.path) {
        if old.kind == EntryKind::Dir && kind != EntryKind::Dir {
            let path = meta.path.clone();
            fs.remove_tree(&path, layer, hidden);
        } else if old.kind != EntryKind::Dir {
            let old = old.clone();
            note_hidden(&meta.path, &old, layer, HiddenHow::Replaced, hidden);
        }
    }
    fs.entries.insert(meta.path.clone(), FsEntry { kind, mode, uid: meta.uid, gid: meta.gid, size, link, layer });
}
