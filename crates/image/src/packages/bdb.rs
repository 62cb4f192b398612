//! The values of a Berkeley DB hash database, read straight from its pages: rpm's `Packages`
//! database before rpm 4.16 (RHEL and UBI 8, CentOS 7, Amazon Linux 2) is one, keyed by package
//! number, each value an rpm header. Only what that needs is read: the metadata page, hash
//! pages (key/value pairs, values on the page or on a chain of overflow pages). Every page
//! number, offset and length is checked against the file, and overflow chains are bounded by
//! the page count, so a hostile file gives an error, not a panic or a loop.

/// The hash access method's magic number, at offset 12 of the metadata page.
const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;
const H_KEYDATA: u8 = 1;
const H_OFFPAGE: u8 = 3;
/// Metadata flags of a database with page checksums or encryption: their pages carry more
/// than the plain header, which this reader does not handle.
const DBMETA_CHKSUM: u8 = 0x01;
/// Largest value read (an rpm header is limited to 256 MiB by rpm itself).
const MAX_VALUE: usize = 0x1000_0000;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum BdbError {
    #[error("not a Berkeley DB hash database")]
    NotHash,
    #[error("Berkeley DB with page checksums or encryption, which is not read")]
    Checksummed,
    #[error("Berkeley DB page size {0} is not a power of two from 512 to 65536")]
    PageSize(u32),
}

struct Pages<'a> {
    bytes: &'a [u8],
    page_size: usize,
    big_endian: bool,
}

impl<'a> Pages<'a> {
    fn page(&self, number: u32) -> Option<&'a [u8]> {
        let start = (number as usize).checked_mul(self.page_size)?;
        self.bytes.get(start..start.checked_add(self.page_size)?)
    }
    fn count(&self) -> usize {
        self.bytes.len() / self.page_size
    }
    fn u16_at(&self, page: &[u8], at: usize) -> Option<u16> {
        let b: [u8; 2] = page.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }
    fn u32_at(&self, page: &[u8], at: usize) -> Option<u32> {
        let b: [u8; 4] = page.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }

    /// A value stored on a chain of overflow pages, `length` bytes long.
    fn overflow(&self, first: u32, length: usize) -> Option<Vec<u8>> {
        if length > MAX_VALUE {
            return None;
        }
        let mut out = Vec::with_capacity(length.min(self.bytes.len()));
        let mut number = first;
        // Each page is visited at most once: a chain longer than the file loops.
        for _ in 0..self.count() {
            let page = self.page(number)?;
            if page[25] != P_OVERFLOW {
                return None;
            }
            let used = self.u16_at(page, 22)? as usize;
            out.extend_from_slice(page.get(PAGE_HEADER..PAGE_HEADER.checked_add(used)?)?);
            number = self.u32_at(page, 16)?;
            if number == 0 || out.len() >= length {
                break;
            }
        }
        (out.len() >= length).then(|| {
            out.truncate(length);
            out
        })
    }
}

/// Every value of the hash database in `bytes`, in page order. Items that do not decode are
/// counted in the second result rather than failing the whole database.
pub(crate) fn hash_values(bytes: &[u8]) -> Result<(Vec<Vec<u8>>, usize), BdbError> {
    let word = |at: usize, big: bool| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let big_endian = match (word(12, false), word(12, true)) {
        (Some(HASH_MAGIC), _) => false,
        (_, Some(HASH_MAGIC)) => true,
        _ => return Err(BdbError::NotHash),
    };
    if bytes.get(25) != Some(&P_HASHMETA) {
        return Err(BdbError::NotHash);
    }
    if bytes.get(24).is_some_and(|&alg| alg != 0) || bytes.get(26).is_some_and(|&flags| flags & DBMETA_CHKSUM != 0) {
        return Err(BdbError::Checksummed);
    }
    let page_size = word(20, big_endian).unwrap_or(0);
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(BdbError::PageSize(page_size));
    }
    let pages = Pages { bytes, page_size: page_size as usize, big_endian };
    let mut values = Vec::new();
    let mut bad = 0;
    for number in 1..pages.count() {
        let Some(page) = pages.page(number as u32) else { break };
        if page[25] != P_HASH && page[25] != P_HASH_UNSORTED {
            continue;
        }
        let entries = pages.u16_at(page, 20).unwrap_or(0) as usize;
        // Entries alternate key, value; each is an offset into the page, and an item on the
        // page ends where the item before it (at a higher offset) begins.
        let offsets: Vec<usize> = (0..entries).map_while(|i| pages.u16_at(page, PAGE_HEADER + 2 * i)).map(usize::from).collect();
        for pair in (0..offsets.len()).step_by(2) {
            let Some(&value_at) = offsets.get(pair + 1) else { break };
            let end = offsets[pair];
            let value = match page.get(value_at) {
                Some(&H_KEYDATA) if value_at < end && end <= page.len() => Some(page[value_at + 1..end].to_vec()),
                Some(&H_OFFPAGE) => pages
                    .u32_at(page, value_at + 4)
                    .zip(pages.u32_at(page, value_at + 8))
                    .and_then(|(first, length)| pages.overflow(first, length as usize)),
                _ => None,
            };
            match value {
                Some(value) => values.push(value),
                None => bad += 1,
            }
        }
    }
    Ok((values, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rpm/Packages")).unwrap()
    }

    #[test]
    fn reads_the_database_berkeley_db_wrote() {
        let (values, bad) = hash_values(&fixture()).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(values.len(), 3);
        // Each value is an rpm header: il and dl in its first 8 bytes, then the rest.
        for value in &values {
            let il = u32::from_be_bytes(value[..4].try_into().unwrap()) as usize;
            let dl = u32::from_be_bytes(value[4..8].try_into().unwrap()) as usize;
            assert_eq!(value.len(), 8 + 16 * il + dl);
        }
    }

    #[test]
    fn hostile_databases_are_errors_or_skipped_items() {
        assert_eq!(hash_values(b""), Err(BdbError::NotHash));
        assert_eq!(hash_values(&[0u8; 4096]), Err(BdbError::NotHash));
        let good = fixture();
        let mut bad_size = good.clone();
        bad_size[20..24].copy_from_slice(&1000u32.to_le_bytes());
        assert_eq!(hash_values(&bad_size), Err(BdbError::PageSize(1000)));
        let mut checksummed = good.clone();
        checksummed[26] |= DBMETA_CHKSUM;
        assert_eq!(hash_values(&checksummed), Err(BdbError::Checksummed));
        // Every cut, and random corruptions: no panic, no loop.
        for cut in (0..good.len()).step_by(97) {
            let _ = hash_values(&good[..cut]);
        }
        let mut state = 0x1234_5678_9abc_def1u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5000 {
            let mut bad = good.clone();
            for _ in 0..1 + next() % 8 {
                // Corrupt page headers and item offsets more often than data.
                let page = (next() % (good.len() / 4096) as u64) as usize * 4096;
                let at = page + (next() % 64) as usize;
                bad[at] = next() as u8;
            }
            let _ = hash_values(&bad);
        }
        // An overflow chain that points at itself ends.
        let pages = Pages { bytes: &good, page_size: 4096, big_endian: false };
        let overflow = (1..pages.count() as u32).find(|&n| pages.page(n).unwrap()[25] == P_OVERFLOW).unwrap();
        let mut looped = good.clone();
        let at = overflow as usize * 4096 + 16;
        looped[at..at + 4].copy_from_slice(&overflow.to_le_bytes());
        let pages = Pages { bytes: &looped, page_size: 4096, big_endian: false };
        assert_eq!(pages.overflow(overflow, 1 << 20), None);
    }
}
