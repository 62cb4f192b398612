use std::io;

/// Why an image could not be read. Every variant names the part of the image it is about.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{context}: {source}")]
    Io { context: String, source: io::Error },
    #[error("{0} is not a container image: no manifest.json, index.json or root file system found")]
    NotAnImage(String),
    #[error("the image manifest names {name}, which is not in the image")]
    MissingBlob { name: String },
    #[error("layer {layer} is truncated or corrupt: {detail}")]
    Corrupt { layer: String, detail: String },
    #[error("layer {layer} has an entry whose path escapes the image root: {path:?}")]
    UnsafePath { layer: String, path: String },
    #[error("{what} exceeds the limit of {limit} (in {place})")]
    LimitExceeded { what: &'static str, limit: u64, place: String },
    #[error("{name} is not valid JSON of the expected shape: {detail}")]
    BadJson { name: String, detail: String },
    #[error("{0}")]
    Unsupported(String),
}

impl ImageError {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(io::Error) -> ImageError {
        let context = context.into();
        move |source| ImageError::Io { context, source }
    }
}
