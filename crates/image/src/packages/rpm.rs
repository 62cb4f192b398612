//! rpm's package database: the sqlite rpmdb (`rpmdb.sqlite`, rpm >= 4.16, every current Fedora,
//! RHEL 9, Rocky, Alma, Amazon Linux 2023) whose `Packages` table holds one rpm header blob per
//! installed package, and the Berkeley DB hash database (`Packages`: RHEL and UBI 8, CentOS 7,
//! Amazon Linux 2) holding the same blobs. The header is parsed here (index entries, then the
//! data store), every offset and count checked against the blob, so a hostile blob gives an
//! error, not a panic.
//!
//! SUSE's ndb (`Packages.db`) is not read: the caller says so in a notice instead of listing
//! nothing silently.

use super::bdb;
use rusqlite::{Connection, OpenFlags};

/// Where the sqlite rpmdb lives: `/var/lib/rpm` (RHEL 9, older Fedora) and
/// `/usr/lib/sysimage/rpm` (Fedora >= 36, where `/var/lib/rpm` is a symlink to it).
pub(crate) const SQLITE_DB_PATHS: [&str; 2] = ["var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite"];

/// Where the Berkeley DB rpmdb lives.
pub(crate) const BERKELEY_DB_PATHS: [&str; 2] = ["var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages"];

/// rpm databases in a format this reader does not parse: ndb (SUSE).
pub(crate) const UNREAD_DB_PATHS: [(&str, &str); 2] = [("var/lib/rpm/Packages.db", "ndb"), ("usr/lib/sysimage/rpm/Packages.db", "ndb")];

/// rpm's own bounds on a header (`hdrchkTags`, `hdrchkData` in rpm's header.c): more index
/// entries or data than this is not a header rpm would write.
const MAX_INDEX_ENTRIES: usize = 0xffff;
const MAX_DATA_BYTES: usize = 0x0fff_ffff;
/// Packages read from one database: a large distribution image has a few thousand.
const MAX_PACKAGES: usize = 100_000;

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_LICENSE: u32 = 1014;
const TAG_ARCH: u32 = 1022;
const TAG_SOURCERPM: u32 = 1044;
const TAG_PROVIDENAME: u32 = 1047;
const TAG_REQUIRENAME: u32 = 1049;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_STRING_ARRAY: u32 = 8;
const TYPE_I18NSTRING: u32 = 9;

/// One installed package as its header records it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RpmHeader {
    pub name: String,
    pub version: String,
    pub release: String,
    pub epoch: Option<u32>,
    pub arch: Option<String>,
    /// `rampart-hello-1.4.2-3.fc40.src.rpm`.
    pub source_rpm: Option<String>,
    pub license: Option<String>,
    pub provides: Vec<String>,
    pub requires: Vec<String>,
}

impl RpmHeader {
    /// `[epoch:]version-release`, the version rpm compares.
    pub fn evr(&self) -> String {
        let version_release = format!("{}-{}", self.version, self.release);
        match self.epoch {
            Some(epoch) => format!("{epoch}:{version_release}"),
            None => version_release,
        }
    }

    /// The source package's name and `version-release`, from `name-version-release.src.rpm`.
    pub fn source(&self) -> Option<(&str, &str)> {
        let stem = self.source_rpm.as_deref()?.strip_suffix(".rpm")?;
        let stem = stem.strip_suffix(".src").or_else(|| stem.strip_suffix(".nosrc"))?;
        let release_dash = stem.rfind('-')?;
        let version_dash = stem[..release_dash].rfind('-')?;
        let name = &stem[..version_dash];
        (!name.is_empty()).then(|| (name, &stem[version_dash + 1..]))
    }
}

/// Why a database or a header could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RpmError {
    #[error("not a readable sqlite rpmdb: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("not a readable Berkeley DB rpmdb: {0}")]
    Berkeley(#[from] bdb::BdbError),
    #[error("bad rpm header (package {hnum}): {detail}")]
    Header { hnum: i64, detail: &'static str },
    #[error("more than {MAX_PACKAGES} packages")]
    TooMany,
}

/// The packages in a sqlite rpmdb, given the database file's bytes. The bytes are opened in
/// memory (sqlite's deserialize), read-only: nothing is written anywhere. Headers that do not
/// parse are returned as errors next to the good ones.
pub(crate) fn read_sqlite_db(bytes: &[u8]) -> Result<(Vec<RpmHeader>, Vec<RpmError>), RpmError> {
    // rpm keeps its database in WAL mode (file format bytes 18 and 19 are 2); sqlite's in-memory
    // file cannot open WAL, and the image has no -wal file to replay anyway (rpm checkpoints on
    // close). Bytes of 1 say "rollback journal": the same pages, readable from memory.
    let split = bytes.len().min(100);
    let mut head = bytes[..split].to_vec();
    if head.len() == 100 && head[18] == 2 && head[19] == 2 {
        head[18] = 1;
        head[19] = 1;
    }
    let mut connection = Connection::open_with_flags(":memory:", OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    // The file is untrusted: its schema's triggers and views may not call functions with side
    // effects, and corrupt pages are caught early.
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    connection.deserialize_read_exact(rusqlite::MAIN_DB, std::io::Read::chain(head.as_slice(), &bytes[split..]), bytes.len(), true)?;
    connection.pragma_update(None, "cell_size_check", true)?;
    let mut statement = connection.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")?;
    let mut rows = statement.query([])?;
    let mut headers = Vec::new();
    let mut errors = Vec::new();
    while let Some(row) = rows.next()? {
        if headers.len() + errors.len() >= MAX_PACKAGES {
            return Err(RpmError::TooMany);
        }
        let hnum: i64 = row.get(0)?;
        let blob = row.get_ref(1)?.as_blob_or_null().map_err(rusqlite::Error::from)?.unwrap_or_default();
        match parse_header(blob) {
            Ok(header) => headers.push(header),
            Err(detail) => errors.push(RpmError::Header { hnum, detail }),
        }
    }
    Ok((headers, errors))
}

/// The packages in a Berkeley DB rpmdb (`Packages`), given the file's bytes.
pub(crate) fn read_berkeley_db(bytes: &[u8]) -> Result<(Vec<RpmHeader>, Vec<RpmError>), RpmError> {
    let (values, undecodable) = bdb::hash_values(bytes)?;
    if values.len() > MAX_PACKAGES {
        return Err(RpmError::TooMany);
    }
    let mut headers = Vec::new();
    let mut errors: Vec<RpmError> = (0..undecodable).map(|_| RpmError::Header { hnum: -1, detail: "a database item that does not decode" }).collect();
    for (index, value) in values.iter().enumerate() {
        // rpm keeps a 4-byte counter (the next package number) next to the headers.
        if value.len() <= 8 {
            continue;
        }
        match parse_header(value) {
            Ok(header) => headers.push(header),
            Err(detail) => errors.push(RpmError::Header { hnum: index as i64, detail }),
        }
    }
    Ok((headers, errors))
}

/// One index entry of a header: what the tag is and where its value is in the data store.
struct IndexEntry {
    tag: u32,
    kind: u32,
    offset: usize,
    count: usize,
}

/// Parses a header blob as the rpmdb stores it: `il` and `dl` (big-endian u32), `il` index
/// entries of 16 bytes (tag, type, offset, count), then `dl` bytes of data.
pub(crate) fn parse_header(blob: &[u8]) -> Result<RpmHeader, &'static str> {
    let word = |at: usize| -> Option<u32> { blob.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])) };
    let (Some(il), Some(dl)) = (word(0), word(4)) else { return Err("shorter than its 8-byte preamble") };
    let (il, dl) = (il as usize, dl as usize);
    if il == 0 || il > MAX_INDEX_ENTRIES {
        return Err("index entry count out of range");
    }
    if dl > MAX_DATA_BYTES {
        return Err("data store size out of range");
    }
    let data_start = 8 + il * 16;
    if blob.len() < data_start + dl {
        return Err("shorter than its index and data store");
    }
    let data = &blob[data_start..data_start + dl];
    let mut header = RpmHeader::default();
    for i in 0..il {
        let at = 8 + i * 16;
        let (Some(tag), Some(kind), Some(offset), Some(count)) = (word(at), word(at + 4), word(at + 8), word(at + 12)) else {
            return Err("index entry outside the blob");
        };
        let entry = IndexEntry { tag, kind, offset: offset as usize, count: count as usize };
        match entry.tag {
            TAG_NAME => header.name = string(data, &entry)?,
            TAG_VERSION => header.version = string(data, &entry)?,
            TAG_RELEASE => header.release = string(data, &entry)?,
            TAG_EPOCH => header.epoch = Some(int32(data, &entry)?),
            TAG_LICENSE => header.license = Some(string(data, &entry)?),
            TAG_ARCH => header.arch = Some(string(data, &entry)?),
            TAG_SOURCERPM => header.source_rpm = Some(string(data, &entry)?),
            TAG_PROVIDENAME => header.provides = strings(data, &entry)?,
            TAG_REQUIRENAME => header.requires = strings(data, &entry)?,
            _ => {}
        }
    }
    if header.name.is_empty() || header.version.is_empty() {
        return Err("no name or version");
    }
    Ok(header)
}

/// The NUL-terminated string at `offset`, and where the next one starts.
fn c_string(data: &[u8], offset: usize) -> Result<(String, usize), &'static str> {
    let rest = data.get(offset..).ok_or("string offset outside the data store")?;
    let end = rest.iter().position(|&b| b == 0).ok_or("string without its terminating NUL")?;
    Ok((String::from_utf8_lossy(&rest[..end]).into_owned(), offset + end + 1))
}

/// A STRING, or the first of an I18NSTRING (the untranslated text) or STRING_ARRAY.
fn string(data: &[u8], entry: &IndexEntry) -> Result<String, &'static str> {
    match entry.kind {
        TYPE_STRING | TYPE_I18NSTRING | TYPE_STRING_ARRAY if entry.count >= 1 => Ok(c_string(data, entry.offset)?.0),
        _ => Err("a string tag of another type"),
    }
}

fn strings(data: &[u8], entry: &IndexEntry) -> Result<Vec<String>, &'static str> {
    if entry.kind != TYPE_STRING_ARRAY && entry.kind != TYPE_STRING {
        return Err("a string array tag of another type");
    }
    // Each string takes at least its NUL, so a count beyond the data store is a lie.
    if entry.count > data.len() {
        return Err("string array count larger than the data store");
    }
    let mut out = Vec::with_capacity(entry.count);
    let mut offset = entry.offset;
    for _ in 0..entry.count {
        let (text, next) = c_string(data, offset)?;
        out.push(text);
        offset = next;
    }
    Ok(out)
}

fn int32(data: &[u8], entry: &IndexEntry) -> Result<u32, &'static str> {
    if entry.kind != TYPE_INT32 || entry.count < 1 {
        return Err("an integer tag of another type");
    }
    let bytes = data.get(entry.offset..entry.offset.saturating_add(4)).ok_or("integer outside the data store")?;
    Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header blob from (tag, type, count, data) entries, laid out as rpm does.
    fn blob(entries: &[(u32, u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut data = Vec::new();
        for (tag, kind, count, value) in entries {
            if *kind == TYPE_INT32 {
                while data.len() % 4 != 0 {
                    data.push(0);
                }
            }
            for word in [*tag, *kind, data.len() as u32, *count] {
                index.extend_from_slice(&word.to_be_bytes());
            }
            data.extend_from_slice(value);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(data);
        out
    }

    fn text(s: &str) -> Vec<u8> {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    }

    #[test]
    fn parses_a_header_and_its_source_rpm() {
        let header = parse_header(&blob(&[
            (TAG_NAME, TYPE_STRING, 1, text("openssl-libs")),
            (TAG_VERSION, TYPE_STRING, 1, text("3.0.7")),
            (TAG_RELEASE, TYPE_STRING, 1, text("27.el9")),
            (TAG_EPOCH, TYPE_INT32, 1, 1u32.to_be_bytes().to_vec()),
            (TAG_ARCH, TYPE_STRING, 1, text("x86_64")),
            (TAG_SOURCERPM, TYPE_STRING, 1, text("openssl-3.0.7-27.el9.src.rpm")),
            (TAG_REQUIRENAME, TYPE_STRING_ARRAY, 2, [text("libc.so.6()(64bit)"), text("ca-certificates")].concat()),
        ]))
        .unwrap();
        assert_eq!(header.evr(), "1:3.0.7-27.el9");
        assert_eq!(header.source(), Some(("openssl", "3.0.7-27.el9")));
        assert_eq!(header.requires, ["libc.so.6()(64bit)", "ca-certificates"]);
        assert_eq!(header.arch.as_deref(), Some("x86_64"));
    }

    #[test]
    fn bad_headers_are_errors_not_panics() {
        let good = blob(&[(TAG_NAME, TYPE_STRING, 1, text("a")), (TAG_VERSION, TYPE_STRING, 1, text("1"))]);
        assert!(parse_header(&good).is_ok());
        // Every truncation of a good blob, and every single-byte corruption, is handled.
        for cut in 0..good.len() {
            assert!(parse_header(&good[..cut]).is_err(), "cut at {cut}");
        }
        for at in 0..good.len() {
            for value in [0x00, 0x7f, 0xff] {
                let mut bad = good.clone();
                bad[at] = value;
                let _ = parse_header(&bad);
            }
        }
        assert_eq!(parse_header(&[0, 0, 0, 0, 0, 0, 0, 0]), Err("index entry count out of range"));
        assert_eq!(parse_header(&[0xff; 8]), Err("index entry count out of range"));
        // A string without its NUL, an offset past the data, an absurd array count.
        assert!(parse_header(&blob(&[(TAG_NAME, TYPE_STRING, 1, b"abc".to_vec())])).is_err());
        let mut far = blob(&[(TAG_NAME, TYPE_STRING, 1, text("a"))]);
        far[16..20].copy_from_slice(&1000u32.to_be_bytes());
        assert_eq!(parse_header(&far), Err("string offset outside the data store"));
        assert_eq!(
            parse_header(&blob(&[(TAG_REQUIRENAME, TYPE_STRING_ARRAY, u32::MAX, text("x"))])),
            Err("string array count larger than the data store")
        );
        assert_eq!(parse_header(&blob(&[(TAG_EPOCH, TYPE_STRING, 1, text("1"))])), Err("an integer tag of another type"));
    }

    /// Random corruptions of a real header from rpm's own database: never a panic.
    #[test]
    fn random_corruptions_never_panic() {
        let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rpm/rpmdb.sqlite")).unwrap();
        // The blob of the first package, as rpm wrote it.
        let mut db = Connection::open_with_flags(":memory:", OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut head = bytes.clone();
        head[18] = 1;
        head[19] = 1;
        db.deserialize_read_exact(rusqlite::MAIN_DB, head.as_slice(), head.len(), true).unwrap();
        let blob: Vec<u8> = db.query_row("SELECT blob FROM Packages ORDER BY hnum LIMIT 1", [], |row| row.get(0)).unwrap();
        assert_eq!(parse_header(&blob).unwrap().name, "rampart-hello");
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let mut bad = blob.clone();
            for _ in 0..1 + next() % 6 {
                let at = (next() % bad.len() as u64) as usize;
                bad[at] = next() as u8;
            }
            let cut = if next() % 4 == 0 { (next() % bad.len() as u64) as usize } else { bad.len() };
            let _ = parse_header(&bad[..cut]);
        }
    }

    #[test]
    fn source_rpm_names() {
        let with = |s: &str| RpmHeader { source_rpm: Some(s.to_string()), ..RpmHeader::default() };
        assert_eq!(with("glibc-2.34-100.el9_4.2.src.rpm").source(), Some(("glibc", "2.34-100.el9_4.2")));
        assert_eq!(with("python-pip-21.3.1-1.fc40.nosrc.rpm").source(), Some(("python-pip", "21.3.1-1.fc40")));
        assert_eq!(with("(none)").source(), None);
        assert_eq!(with("-1-2.src.rpm").source(), None);
    }

    /// The database rpm itself wrote (fixtures/rpm/README.md), against `rpm -qa`'s answer.
    #[test]
    fn reads_the_database_rpm_wrote_as_rpm_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rpm");
        let bytes = std::fs::read(dir.join("rpmdb.sqlite")).unwrap();
        assert_eq!(&bytes[18..20], [2, 2], "rpm wrote it in WAL mode");
        let (mut headers, errors) = read_sqlite_db(&bytes).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        headers.sort_by(|a, b| a.name.cmp(&b.name));
        let expected = std::fs::read_to_string(dir.join("rpm-qa.tsv")).unwrap();
        let expected: Vec<&str> = expected.lines().collect();
        assert_eq!(headers.len(), expected.len());
        assert_eq!(expected.len(), 3);
        for (header, line) in headers.iter().zip(expected) {
            let rpm: Vec<&str> = line.split('\t').collect();
            let none = |s: &str| (s != "(none)").then(|| s.to_string());
            assert_eq!(header.name, rpm[0]);
            assert_eq!(header.epoch.map(|e| e.to_string()), none(rpm[1]));
            assert_eq!((header.version.as_str(), header.release.as_str()), (rpm[2], rpm[3]));
            assert_eq!(header.arch, none(rpm[4]));
            assert_eq!(header.source_rpm, none(rpm[5]));
            assert_eq!(header.license, none(rpm[6]));
            let requires: Vec<&str> = rpm[7].split(',').filter(|r| !r.is_empty()).collect();
            assert_eq!(header.requires, requires);
            assert!(header.provides.contains(&header.name), "rpm adds the package's own name to its provides");
        }
        // A database cut short is an error, not a panic.
        assert!(read_sqlite_db(&bytes[..bytes.len() / 2]).map(|(h, _)| h.len() < 3).unwrap_or(true));
    }

    /// The Berkeley DB database (fixtures/rpm/README.md: written by Berkeley DB's db_load, read
    /// by rpm's own bdb_ro backend) gives the same packages as the sqlite one.
    #[test]
    fn berkeley_db_gives_what_sqlite_gives() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rpm");
        let (mut from_sqlite, _) = read_sqlite_db(&std::fs::read(dir.join("rpmdb.sqlite")).unwrap()).unwrap();
        let (mut from_berkeley, errors) = read_berkeley_db(&std::fs::read(dir.join("Packages")).unwrap()).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        from_sqlite.sort_by(|a, b| a.name.cmp(&b.name));
        from_berkeley.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(from_berkeley.len(), 3);
        assert_eq!(from_berkeley, from_sqlite);
        assert!(matches!(read_berkeley_db(b"not a database"), Err(RpmError::Berkeley(_))));
    }

    #[test]
    fn not_a_database_is_an_error() {
        assert!(read_sqlite_db(b"").is_err());
        assert!(read_sqlite_db(&[0u8; 4096]).is_err());
        assert!(read_sqlite_db(b"SQLite format 3\0 and then nothing sensible").is_err());
    }
}
