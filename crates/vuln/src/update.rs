//! `rampart db update`: download OSV's per-ecosystem `all.zip` archives and import them.
//! Resumable (a partial download is continued with an HTTP Range request), verified (the length
//! the server announced; the MD5 the bucket sends in `x-goog-hash` when it sends one, over the
//! whole file; then every entry's CRC-32 while importing), atomic (all archives are downloaded
//! before one import transaction; any failure leaves the store as it was) and exclusive (a lock
//! file beside the database: a second update at the same time stops with a clear error instead
//! of writing into the same partial downloads).

use crate::store::{ArchiveLimits, ImportSummary, Store, StoreError};
use base64::Engine;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// OSV's public bucket (a project URL, not a package registry).
pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("downloading {url}: {message}")]
    Download { url: String, message: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("another `rampart db update` is running on this database (lock {0}); try again when it has finished")]
    Busy(PathBuf),
}

/// Held for the whole of an update: an exclusive lock on `<database>.lock`, released when dropped
/// (also when the process dies, as the kernel drops the lock with the file).
pub struct UpdateLock {
    _file: std::fs::File,
}

impl UpdateLock {
    /// Takes the lock for the database at `database`, or fails at once with [`UpdateError::Busy`].
    pub fn acquire(database: &Path) -> Result<UpdateLock, UpdateError> {
        let path = lock_path(database);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| UpdateError::Io { path: parent.into(), source })?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| UpdateError::Io { path: path.clone(), source })?;
        match file.try_lock() {
            Ok(()) => Ok(UpdateLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(UpdateError::Busy(path)),
            Err(std::fs::TryLockError::Error(source)) => Err(UpdateError::Io { path, source }),
        }
    }
}

/// `advisories.db` -> `advisories.db.lock`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// `{base}/{ecosystem}/all.zip`, the ecosystem's spaces percent-encoded (`Red Hat`).
pub fn archive_url(base_url: &str, ecosystem: &str) -> String {
    format!("{}/{}/all.zip", base_url.trim_end_matches('/'), ecosystem.replace(' ', "%20"))
}

/// Downloads every ecosystem's archive into `cache_dir` (continuing partial downloads), then
/// imports them all in one transaction, holding the database's [`UpdateLock`] throughout.
pub fn update(store: &mut Store, base_url: &str, ecosystems: &[String], cache_dir: &Path) -> Result<ImportSummary, UpdateError> {
    let _lock = UpdateLock::acquire(store.path())?;
    std::fs::create_dir_all(cache_dir).map_err(|source| UpdateError::Io { path: cache_dir.into(), source })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(600)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut archives = Vec::new();
    for ecosystem in ecosystems {
        let url = archive_url(base_url, ecosystem);
        let file_name = ecosystem.replace([' ', '/', ':'], "_");
        let done = cache_dir.join(format!("{file_name}.zip"));
        let partial = cache_dir.join(format!("{file_name}.zip.part"));
        download(&agent, &url, &partial)?;
        std::fs::rename(&partial, &done).map_err(|source| UpdateError::Io { path: done.clone(), source })?;
        archives.push(done);
    }
    Ok(store.import(&archives, &ArchiveLimits::default())?)
}

fn download(agent: &ureq::Agent, url: &str, partial: &Path) -> Result<(), UpdateError> {
    let fail = |message: String| UpdateError::Download { url: url.to_string(), message };
    let io = |source| UpdateError::Io { path: partial.into(), source };
    let have = std::fs::metadata(partial).map_or(0, |m| m.len());
    let mut request = agent.get(url);
    if have > 0 {
        request = request.header("Range", &format!("bytes={have}-"));
    }
    let response = request.call().map_err(|e| fail(e.to_string()))?;
    let status = response.status().as_u16();
    let append = match status {
        206 => true,
        200 => false,
        // The part we have is already the whole file.
        416 if have > 0 => return Ok(()),
        _ => return Err(fail(format!("HTTP {status}"))),
    };
    let expected = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The bucket's hash is of the whole object, also on a ranged (resumed) response.
    let expected_md5 = announced_md5(response.headers());
    let mut file = std::fs::OpenOptions::new().create(true).write(true).append(append).truncate(!append).open(partial).map_err(io)?;
    let mut body = response.into_body().into_reader();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut received: u64 = 0;
    loop {
        let n = match body.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return Err(fail(format!("interrupted after {received} bytes (run update again to resume): {e}"))),
        };
        file.write_all(&buffer[..n]).map_err(io)?;
        received += n as u64;
    }
    file.sync_all().map_err(io)?;
    drop(file);
    if let Some(expected) = expected {
        if received != expected {
            return Err(fail(format!("got {received} of {expected} bytes (run update again to resume)")));
        }
    }
    if let Some(expected) = expected_md5 {
        let actual = md5_of_file(partial).map_err(io)?;
        if actual != expected {
            // Resuming would keep the bad bytes: the next update downloads afresh.
            let _ = std::fs::remove_file(partial);
            return Err(fail(format!(
                "the download does not match the MD5 the server announced (x-goog-hash md5={}, got {}); it was deleted, run update again",
                base64::engine::general_purpose::STANDARD.encode(expected),
                base64::engine::general_purpose::STANDARD.encode(actual)
            )));
        }
    }
    Ok(())
}

/// The MD5 in `x-goog-hash` headers (`crc32c=...,md5=<base64>`, possibly one header per hash).
fn announced_md5(headers: &ureq::http::HeaderMap) -> Option<[u8; 16]> {
    headers
        .get_all("x-goog-hash")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|part| part.trim().strip_prefix("md5="))
        .and_then(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok())
        .and_then(|bytes| <[u8; 16]>::try_from(bytes.as_slice()).ok())
}

fn md5_of_file(path: &Path) -> std::io::Result<[u8; 16]> {
    use md5::Digest;
    let mut hasher = md5::Md5::new();
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().into())
}
