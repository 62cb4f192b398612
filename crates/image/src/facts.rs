//! From a read image to the facts the image rules judge ([`ImageContent`]): config, history
//! lined up with layers, the final file system, what layers hid, and `/etc/os-release`.

use crate::layer::{EntryKind, EntryMeta};
use crate::{Image, Visitor};
use rampart_model::{HiddenFile, HistoryStep, ImageContent, ImageFile, ImageFileKind, OsRelease};
use std::collections::HashMap;

/// Files whose content the facts need, by path in the image.
const WANTED: &[&str] = &["etc/os-release", "usr/lib/os-release"];

/// A visitor that keeps the content of the few small files the facts read, per layer (a later
/// layer may replace them; the final file system decides which copy counts).
#[derive(Default)]
pub struct ContentCollector {
    files: HashMap<(String, String), Vec<u8>>,
    /// Secrets per (layer key, path): files are scanned as they stream by, not kept.
    secrets: Vec<(String, String, Vec<FoundSecret>)>,
    /// Told when a layer begins (progress display).
    on_layer: Option<Box<dyn FnMut() + Send>>,
}

/// Largest file scanned for secrets: configuration and key files are small; big text files are
/// mostly data and logs.
const MAX_SECRET_SCAN: u64 = 1 << 20;

struct FoundSecret {
    line: usize,
    kind: &'static str,
    description: &'static str,
    redacted: String,
}

impl ContentCollector {
    /// A collector that calls `hook` as each layer begins.
    pub fn with_layer_hook(hook: impl FnMut() + Send + 'static) -> ContentCollector {
        ContentCollector { on_layer: Some(Box::new(hook)), ..ContentCollector::default() }
    }

    /// The content `layer` (its key) wrote at `path`.
    pub fn content(&self, layer: &str, path: &str) -> Option<&[u8]> {
        self.files.get(&(layer.to_string(), path.to_string())).map(Vec::as_slice)
    }

    /// The content of `path` in the final file system (symlinks followed inside the image).
    pub fn final_content(&self, image: &Image, path: &str) -> Option<(&[u8], usize)> {
        let resolved = image.fs.resolve(path)?;
        let entry = image.fs.get(&resolved)?;
        let layer = image.layers.get(entry.layer)?;
        self.content(&layer.key, &resolved).map(|c| (c, entry.layer))
    }
}

impl Visitor for ContentCollector {
    fn layer_started(&mut self, _layer: &str) {
        if let Some(hook) = &mut self.on_layer {
            hook();
        }
    }
    fn wants(&mut self, _layer: &str, entry: &EntryMeta) -> bool {
        keeps(entry) || scans_for_secrets(entry)
    }
    fn wants_stream(&mut self, _layer: &str, entry: &EntryMeta) -> bool {
        crate::packages::streams(entry)
    }
    fn stream(&mut self, layer: &str, entry: &EntryMeta, reader: &mut dyn std::io::Read) -> std::io::Result<()> {
        if let Some(kept) = crate::packages::streamed_content(entry, reader)? {
            self.files.insert((layer.to_string(), entry.path.clone()), kept);
        }
        Ok(())
    }
    fn file(&mut self, layer: &str, entry: &EntryMeta, content: &[u8], truncated: bool) {
        if scans_for_secrets(entry) {
            let scan = rampart_secrets::scan_bytes(content, rampart_secrets::Limits { max_bytes: MAX_SECRET_SCAN as usize, max_matches: 20 });
            let found: Vec<FoundSecret> = scan
                .matches
                .iter()
                .map(|m| FoundSecret { line: m.line, kind: m.rule.id, description: m.rule.description, redacted: m.redacted(content) })
                .collect();
            if !found.is_empty() {
                self.secrets.push((layer.to_string(), entry.path.clone(), found));
            }
        }
        if WANTED.contains(&entry.path.as_str()) && entry.size <= 64 << 10 {
            self.files.insert((layer.to_string(), entry.path.clone()), content.to_vec());
        } else if crate::packages::keeps(entry) || crate::packages::streams(entry) {
            // Package records whole; of executables (read here when small enough to be scanned
            // for secrets too) only their Go build information.
            if let Some(kept) = crate::packages::kept_content(entry, content, truncated) {
                self.files.insert((layer.to_string(), entry.path.clone()), kept);
            }
        }
    }
}

fn keeps(entry: &EntryMeta) -> bool {
    (WANTED.contains(&entry.path.as_str()) && entry.size <= 64 << 10) || crate::packages::keeps(entry)
}

fn scans_for_secrets(entry: &EntryMeta) -> bool {
    entry.size > 0 && entry.size <= MAX_SECRET_SCAN && rampart_secrets::paths::skip_reason(&entry.path).is_none()
}

/// The facts about `image` for the image rules. `object` names it in findings
/// (`image:app:1`); `checked_on` is today's date (`YYYY-MM-DD`), for end-of-life rules.
pub fn image_content(image: &Image, collected: &ContentCollector, object: &str, checked_on: &str) -> ImageContent {
    let mut content = ImageContent { object: object.to_string(), checked_on: checked_on.to_string(), ..ImageContent::default() };
    if let Some(config) = &image.config {
        let run = &config.config;
        content.has_config = true;
        content.user = run.user.clone().unwrap_or_default();
        content.env = run.env.clone();
        content.labels = run.labels.clone();
        content.exposed_ports = run.exposed_ports.keys().cloned().collect();
        content.healthcheck = run.healthcheck.as_ref().map(|h| h.test.clone()).unwrap_or_default();
        let lined_up = config.history.iter().filter(|h| !h.empty_layer).count() == image.layers.len();
        let mut layer = 0;
        for step in &config.history {
            let made = (!step.empty_layer && lined_up).then(|| {
                layer += 1;
                layer - 1
            });
            content.history.push(HistoryStep { created_by: step.created_by.clone().unwrap_or_default(), layer: made });
        }
    }
    content.files = image
        .fs
        .iter()
        .map(|(path, entry)| ImageFile {
            path: format!("/{path}"),
            kind: file_kind(entry.kind),
            mode: entry.mode,
            uid: entry.uid,
            size: entry.size,
            layer: entry.layer,
        })
        .collect();
    content.hidden = image
        .hidden
        .iter()
        .map(|h| HiddenFile {
            path: format!("/{}", h.path),
            size: h.size,
            added_in: h.added_in,
            hidden_in: h.hidden_in,
            added_by: image.layers.get(h.added_in).and_then(|l| l.created_by.clone()),
        })
        .collect();
    for (key, path, found) in &collected.secrets {
        for layer in image.layer_by_key(key) {
            let current = image.fs.get(path).is_some_and(|e| e.layer == layer);
            let hidden_in = if current {
                None
            } else {
                image.hidden.iter().find(|h| h.path == *path && h.added_in == layer).map(|h| h.hidden_in)
            };
            if !current && hidden_in.is_none() {
                continue; // overwritten within its own layer: not in the image
            }
            for secret in found {
                content.secrets.push(rampart_model::ImageSecret {
                    path: format!("/{path}"),
                    line: secret.line,
                    layer,
                    hidden_in,
                    kind: secret.kind.to_string(),
                    description: secret.description.to_string(),
                    redacted: secret.redacted.clone(),
                });
            }
        }
    }
    content.secrets.sort_by(|a, b| (a.layer, &a.path, a.line).cmp(&(b.layer, &b.path, b.line)));
    content.os = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|path| collected.final_content(image, path))
        .and_then(|(text, layer)| parse_os_release(&String::from_utf8_lossy(text), layer));
    content
}

fn file_kind(kind: EntryKind) -> ImageFileKind {
    match kind {
        EntryKind::File => ImageFileKind::File,
        EntryKind::Dir => ImageFileKind::Dir,
        EntryKind::Symlink => ImageFileKind::Symlink,
        EntryKind::Hardlink => ImageFileKind::Hardlink,
        EntryKind::Special => ImageFileKind::Special,
    }
}

/// `KEY=value` lines, values optionally quoted (os-release(5)).
pub(crate) fn parse_os_release(text: &str, layer: usize) -> Option<OsRelease> {
    let mut release = OsRelease { layer, ..OsRelease::default() };
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once('=') else { continue };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
        match key {
            "ID" => release.id = value,
            "VERSION_ID" => release.version_id = value,
            "PRETTY_NAME" => release.pretty_name = value,
            _ => {}
        }
    }
    (!release.id.is_empty()).then_some(release)
}

/// Today's date in UTC (`YYYY-MM-DD`), for [`ImageContent::checked_on`].
pub fn today_utc() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date((seconds / 86_400) as i64)
}

/// Now in UTC as RFC 3339 (`2026-11-28T13:50:00Z`), for SBOM timestamps.
pub fn now_utc() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let time = seconds % 86_400;
    format!("{}T{:02}:{:02}:{:02}Z", civil_date((seconds / 86_400) as i64), time / 3600, time / 60 % 60, time % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_os_release() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_785), "2026-11-28");
        let release = parse_os_release("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n", 0).unwrap();
        assert_eq!((release.id.as_str(), release.version_id.as_str()), ("debian", "12"));
        assert_eq!(release.pretty_name, "Debian GNU/Linux 12 (bookworm)");
        assert!(parse_os_release("NAME=x\n", 0).is_none());
    }
}
