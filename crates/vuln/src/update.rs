//! `rampart db update`: download OSV's per-ecosystem `all.zip` archives and import them.
//! Resumable (a partial download is continued with an HTTP Range request), verified (the length
//! the server announced, then every entry's CRC-32 while importing) and atomic (all archives are
//! downloaded before one import transaction; any failure leaves the store as it was).

use crate::store::{ArchiveLimits, ImportSummary, Store, StoreError};
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
}

/// `{base}/{ecosystem}/all.zip`, the ecosystem's spaces percent-encoded (`Red Hat`).
pub fn archive_url(base_url: &str, ecosystem: &str) -> String {
    format!("{}/{}/all.zip", base_url.trim_end_matches('/'), ecosystem.replace(' ', "%20"))
}

/// Downloads every ecosystem's archive into `cache_dir` (continuing partial downloads), then
/// imports them all in one transaction.
pub fn update(store: &mut Store, base_url: &str, ecosystems: &[String], cache_dir: &Path) -> Result<ImportSummary, UpdateError> {
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
    if let Some(expected) = expected {
        if received != expected {
            return Err(fail(format!("got {received} of {expected} bytes (run update again to resume)")));
        }
    }
    Ok(())
}
