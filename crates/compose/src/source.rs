//! Where the loader reads files from: the file system with a size limit, or memory (tests and
//! the fuzz target).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    TooLarge { size: u64, limit: u64 },
    Other(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "file is {size} bytes, over the {limit}-byte limit (raise it with --max-file-size)")
            }
            ReadError::Other(message) => f.write_str(message),
        }
    }
}

/// Reads files for the loader.
pub trait FileSource {
    /// The whole text of `path`, refusing files over `max_bytes`.
    fn read(&self, path: &Path, max_bytes: u64) -> Result<String, ReadError>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl FileSource for FileSystem {
    fn read(&self, path: &Path, max_bytes: u64) -> Result<String, ReadError> {
        use std::io::Read;
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Other(format!("cannot read: {e}")),
        })?;
        if !meta.is_file() {
            return Err(ReadError::Other("cannot read: not a regular file".into()));
        }
        if meta.len() > max_bytes {
            return Err(ReadError::TooLarge { size: meta.len(), limit: max_bytes });
        }
        let file = std::fs::File::open(path).map_err(|e| ReadError::Other(format!("cannot read: {e}")))?;
        let mut bytes = Vec::new();
        // One byte more than allowed tells a file that grew since the metadata was read.
        file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| ReadError::Other(format!("cannot read: {e}")))?;
        if bytes.len() as u64 > max_bytes {
            return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: max_bytes });
        }
        String::from_utf8(bytes).map_err(|e| {
            ReadError::Other(format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
        })
    }
}

/// Files held in memory, by path.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    files: HashMap<PathBuf, String>,
}

impl MemoryFiles {
    pub fn new() -> MemoryFiles {
        MemoryFiles::default()
    }

    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> MemoryFiles {
        self.files.insert(path.into(), text.into());
        self
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, path: &Path, max_bytes: u64) -> Result<String, ReadError> {
        let text = self.files.get(&crate::paths::normalize(path)).or_else(|| self.files.get(path)).ok_or(ReadError::NotFound)?;
        if text.len() as u64 > max_bytes {
            return Err(ReadError::TooLarge { size: text.len() as u64, limit: max_bytes });
        }
        Ok(text.clone())
    }
}
