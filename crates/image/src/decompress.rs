//! Layer compression detected from magic bytes (media types lie, and legacy `docker save`
//! names every layer `layer.tar`), and a guard on what decompression may produce.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// What a blob's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlobKind {
    Gzip,
    Zstd,
    Tar,
    Json,
    Other,
}

/// Classifies a blob from its first bytes (up to 512).
pub(crate) fn sniff(head: &[u8]) -> BlobKind {
    if head.starts_with(&[0x1f, 0x8b]) {
        BlobKind::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        BlobKind::Zstd
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        BlobKind::Tar
    } else if head.len() >= 512 && tar_checksum_matches(&head[..512]) {
        // A pre-POSIX (v7) header has no magic; its checksum still identifies it.
        BlobKind::Tar
    } else if head.len() >= 512 && head[..512].iter().all(|&b| b == 0) {
        // An empty tar is just zero blocks.
        BlobKind::Tar
    } else if matches!(head.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[')) {
        BlobKind::Json
    } else {
        BlobKind::Other
    }
}

/// The header checksum: the sum of the block's bytes with the checksum field read as spaces.
fn tar_checksum_matches(block: &[u8]) -> bool {
    let field = &block[148..156];
    let text: String = field.iter().take_while(|&&b| b != 0 && b != b' ').map(|&b| b as char).collect();
    let Ok(stored) = u32::from_str_radix(text.trim(), 8) else { return false };
    let sum: u32 = block.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { b' ' as u32 } else { b as u32 }).sum();
    stored == sum && block[0] != 0
}

/// Peeks at up to 512 bytes without consuming them.
pub(crate) fn peek<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    // BufReader's buffer is 8 KiB and a first fill_buf returns what one read gave, which can be
    // short; the classification only needs what is there.
    let buf = reader.fill_buf()?;
    Ok(buf[..buf.len().min(512)].to_vec())
}

/// Counts bytes read through it into a shared cell.
pub(crate) struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R) -> (Counting<R>, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (Counting { inner, count: count.clone() }, count)
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Why a guard stopped a layer; carried inside an `io::Error` so the tar reader passes it up.
#[derive(Debug)]
pub(crate) enum GuardTrip {
    TooLarge(u64),
    Ratio(u64),
}

impl std::fmt::Display for GuardTrip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardTrip::TooLarge(limit) => write!(f, "layer larger than {limit} bytes uncompressed"),
            GuardTrip::Ratio(limit) => write!(f, "decompression ratio above {limit}:1 (a compression bomb?)"),
        }
    }
}
impl std::error::Error for GuardTrip {}

/// Stops a decompressed stream that grows past `max_bytes`, or past `max_ratio` times the
/// compressed bytes read so far (after a first MiB of slack).
pub(crate) struct Guard<R> {
    inner: R,
    produced: u64,
    compressed: Option<Rc<Cell<u64>>>,
    max_bytes: u64,
    max_ratio: u64,
}

const RATIO_SLACK: u64 = 1 << 20;

impl<R: Read> Guard<R> {
    pub(crate) fn new(inner: R, compressed: Option<Rc<Cell<u64>>>, max_bytes: u64, max_ratio: u64) -> Guard<R> {
        Guard { inner, produced: 0, compressed, max_bytes, max_ratio }
    }
    pub(crate) fn produced(&self) -> u64 {
        self.produced
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        if self.produced > self.max_bytes {
            return Err(io::Error::other(GuardTrip::TooLarge(self.max_bytes)));
        }
        if let Some(compressed) = &self.compressed {
            let allowed = compressed.get().saturating_mul(self.max_ratio).saturating_add(RATIO_SLACK);
            if self.produced > allowed {
                return Err(io::Error::other(GuardTrip::Ratio(self.max_ratio)));
            }
        }
        Ok(n)
    }
}

/// The guard's verdict inside an I/O error, if that is what stopped the read.
/// (The tar reader wraps the errors of the stream it reads, so the whole chain is searched.)
pub(crate) fn guard_trip(error: &io::Error) -> Option<&GuardTrip> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = error.get_ref().map(|e| e as _);
    while let Some(e) = current {
        if let Some(trip) = e.downcast_ref::<GuardTrip>() {
            return Some(trip);
        }
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            if let Some(trip) = inner.downcast_ref::<GuardTrip>() {
                return Some(trip);
            }
        }
        current = e.source();
    }
    None
}
