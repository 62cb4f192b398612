//! The advisory store: one SQLite file (in the user's data directory unless `--db` says
//! otherwise). Records are indexed by (ecosystem, package name) for matching. Every import is
//! one write transaction taken up front (`BEGIN IMMEDIATE`): a failed import rolls back and
//! leaves the previous contents intact, and a second process waits for the first (busy timeout)
//! instead of corrupting or failing.

use crate::matcher::{ecosystem_base, match_package, normalize_name, Package, Vulnerability};
use crate::osv::Record;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A scan warns when the store is older than this.
pub const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);
/// How long a writer waits for another process's import to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);
const SCHEMA_VERSION: &str = "2";
/// How much of the database file SQLite maps into memory instead of reading it page by page.
const MMAP_BYTES: u64 = 1 << 30;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the advisory database {path} is read-only: {reason}")]
    ReadOnly { path: PathBuf, reason: String },
    #[error("cannot open the advisory database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot create the directory for the advisory database {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("advisory database {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{path} was made by another rampart version (schema {found}); delete it and import again")]
    Schema { path: PathBuf, found: String },
    #[error("no advisory database at {0}: run `rampart db update` or `rampart db import`")]
    Missing(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    BadInput { path: PathBuf, message: String },
}

/// Limits on archives, against zip bombs: an OSV record is a few KiB, an all.zip a few hundred MiB
/// unpacked.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    pub max_entry_bytes: u64,
    pub max_total_bytes: u64,
    pub max_entries: usize,
    /// Unpacked bytes per packed byte, per entry (JSON packs 5-20x; bombs reach 1000x).
    pub max_ratio: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits { max_entry_bytes: 32 << 20, max_total_bytes: 8 << 30, max_entries: 2_000_000, max_ratio: 200 }
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    pub withdrawn: usize,
    /// Documents inside directories and archives that were not OSV records, with the first few
    /// reasons; they are skipped so that one odd record does not block every update.
    pub skipped: usize,
    pub skipped_examples: Vec<String>,
}

/// Age and contents of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub path: PathBuf,
    /// Seconds since the Unix epoch of the last successful import or update.
    pub updated_at: Option<u64>,
    pub advisories: u64,
    /// Advisories per ecosystem (without release: `Debian`, `PyPI`, ...).
    pub per_ecosystem: BTreeMap<String, u64>,
}

impl Status {
    pub fn age(&self, now: SystemTime) -> Option<Duration> {
        let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
        Some(Duration::from_secs(now.saturating_sub(self.updated_at?)))
    }

    /// The warning a scan prints when the data is stale (or was never imported).
    pub fn staleness_warning(&self, now: SystemTime) -> Option<String> {
        match self.age(now) {
            None => Some(format!("the advisory database {} has never been updated: run `rampart db update`", self.path.display())),
            Some(age) if age > STALE_AFTER => Some(format!(
                "the advisory database {} is {} days old: run `rampart db update`",
                self.path.display(),
                age.as_secs() / 86_400
            )),
            Some(_) => None,
        }
    }
}

/// `$XDG_DATA_HOME/rampart/advisories.db` (or the platform's data directory).
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::data_dir)
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("rampart").join("advisories.db")
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store for writing. A file without write permission is
    /// refused even for root, who could otherwise write to it: read-only means read-only.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().readonly() {
                return Err(StoreError::ReadOnly { path: path.into(), reason: "the file has no write permission".into() });
            }
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir { path: parent.into(), source })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.into(), source })?;
        let store = Store { conn, path: path.into() };
        store.configure()?;
        store.create_schema()?;
        Ok(store)
    }

    /// Opens an existing store for reading only (scans).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing(path.into()));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| StoreError::Open { path: path.into(), source })?;
        let store = Store { conn, path: path.into() };
        store.configure()?;
        store.check_schema()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, source: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::SqliteFailure(e, _) = &source {
            if e.code == rusqlite::ErrorCode::ReadOnly || e.code == rusqlite::ErrorCode::CannotOpen {
                return StoreError::ReadOnly { path: self.path.clone(), reason: source.to_string() };
            }
        }
        StoreError::Sqlite { path: self.path.clone(), source }
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.sqlite(e))?;
        // Matching reads thousands of pages of the file: mapping it saves a read() system call
        // per page. A read-only map costs address space, not memory.
        self.conn
            .execute_batch(&format!("PRAGMA mmap_size = {MMAP_BYTES}; PRAGMA cache_size = -32768;"))
            .map_err(|e| self.sqlite(e))
    }

    fn create_schema(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(
                // `affected` holds, per (ecosystem, package name, advisory), the advisory cut down
                // to what matching that package needs. WITHOUT ROWID clusters the rows by
                // package: matching one package is one seek and a short sequential read.
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE IF NOT EXISTS advisories (id TEXT PRIMARY KEY, modified TEXT);
                 CREATE TABLE IF NOT EXISTS affected (
                     ecosystem TEXT NOT NULL, name TEXT NOT NULL, advisory_id TEXT NOT NULL, entry TEXT NOT NULL,
                     PRIMARY KEY (ecosystem, name, advisory_id)) WITHOUT ROWID;
                 CREATE INDEX IF NOT EXISTS affected_by_advisory ON affected (advisory_id);",
            )
            .map_err(|e| self.sqlite(e))?;
        self.conn
            .execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', ?1)", [SCHEMA_VERSION])
            .map_err(|e| self.sqlite(e))?;
        self.check_schema()
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        let found: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |row| row.get(0))
            .optional()
            .map_err(|e| self.sqlite(e))?;
        match found {
            Some(v) if v == SCHEMA_VERSION => Ok(()),
            other => Err(StoreError::Schema { path: self.path.clone(), found: other.unwrap_or_else(|| "none".into()) }),
        }
    }

    /// Imports OSV JSON files, directories of them (recursively) and zip archives of them, all in
    /// one transaction.
    pub fn import(&mut self, sources: &[PathBuf], limits: &ArchiveLimits) -> Result<ImportSummary, StoreError> {
        let mut summary = ImportSummary::default();
        let path = self.path.clone();
        let sqlite = |source: rusqlite::Error| -> StoreError {
            match &source {
                rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::ReadOnly => {
                    StoreError::ReadOnly { path: path.clone(), reason: source.to_string() }
                }
                _ => StoreError::Sqlite { path: path.clone(), source },
            }
        };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(&sqlite)?;
        {
            let mut writer = Writer::new(&tx).map_err(&sqlite)?;
            for source in sources {
                import_path(source, true, limits, &mut |origin, bytes, explicit| {
                    match Record::from_json(bytes) {
                        Ok(record) => writer.put(&record, &mut summary).map_err(&sqlite),
                        Err(e) if explicit => Err(StoreError::BadInput { path: origin.into(), message: e.to_string() }),
                        Err(e) => {
                            summary.skipped += 1;
                            if summary.skipped_examples.len() < 5 {
                                summary.skipped_examples.push(format!("{}: {e}", origin.display()));
                            }
                            Ok(())
                        }
                    }
                })?;
            }
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('updated_at', ?1)", [now.to_string()]).map_err(&sqlite)?;
        tx.commit().map_err(&sqlite)?;
        Ok(summary)
    }

    pub fn status(&self) -> Result<Status, StoreError> {
        let updated_at: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'updated_at'", [], |row| row.get(0))
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let advisories: i64 = self.conn.query_row("SELECT COUNT(*) FROM advisories", [], |row| row.get(0)).map_err(|e| self.sqlite(e))?;
        let mut statement = self
            .conn
            .prepare("SELECT ecosystem, COUNT(DISTINCT advisory_id) FROM affected GROUP BY ecosystem ORDER BY ecosystem")
            .map_err(|e| self.sqlite(e))?;
        let per_ecosystem = statement
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect::<Result<BTreeMap<_, _>, _>>())
            .map_err(|e| self.sqlite(e))?;
        Ok(Status { path: self.path.clone(), updated_at: updated_at.and_then(|v| v.parse().ok()), advisories: advisories as u64, per_ecosystem })
    }

    /// The records filed under a package's advisory name in its ecosystem, each cut down to
    /// its entries for that name (and what severity and aliases need).
    pub fn candidates(&self, package: &Package) -> Result<Vec<Record>, StoreError> {
        self.candidates_under(ecosystem_base(&package.ecosystem), &package.advisory_name())
    }

    /// The records filed under `name` in ecosystem `base` (`Debian`, `PyPI`).
    fn candidates_under(&self, base: &str, name: &str) -> Result<Vec<Record>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT entry FROM affected WHERE ecosystem = ?1 AND name = ?2")
            .map_err(|e| self.sqlite(e))?;
        let mut rows = statement.query(params![base, name]).map_err(|e| self.sqlite(e))?;
        let mut records = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sqlite(e))? {
            let text = row.get_ref(0).and_then(|value| value.as_bytes().map_err(Into::into)).map_err(|e| self.sqlite(e))?;
            // Stored entries were made by the import; one that no longer parses is skipped, not fatal.
            if let Ok(record) = Record::from_json(text) {
                records.push(record);
            }
        }
        Ok(records)
    }

    /// Every vulnerability of every package.
    pub fn match_packages(&self, packages: &[Package]) -> Result<Vec<Vulnerability>, StoreError> {
        Ok(self.match_each(packages)?.into_iter().flatten().collect())
    }

    /// Each package's vulnerabilities, in the order of `packages`. Packages filed under the same
    /// advisory name (the binary packages of one Debian source) share one query and one parse;
    /// each group's records are dropped once the group is matched, so memory stays small.
    pub fn match_each(&self, packages: &[Package]) -> Result<Vec<Vec<Vulnerability>>, StoreError> {
        // One read transaction for all the queries, instead of taking and releasing the shared
        // lock around each of them; it also gives every package the same view of the data.
        let _read = self.conn.unchecked_transaction().map_err(|e| self.sqlite(e))?;
        let keys: Vec<(&str, String)> = packages.iter().map(|p| (ecosystem_base(&p.ecosystem), p.advisory_name())).collect();
        let mut order: Vec<usize> = (0..packages.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let mut out = vec![Vec::new(); packages.len()];
        for group in order.chunk_by(|&a, &b| keys[a] == keys[b]) {
            let (base, name) = &keys[group[0]];
            let records = self.candidates_under(base, name)?;
            if records.is_empty() {
                continue;
            }
            for &index in group {
                out[index] = match_package(&packages[index], &records);
            }
        }
        Ok(out)
    }
}

/// Prepared statements for one import transaction.
struct Writer<'t> {
    delete_affected: rusqlite::Statement<'t>,
    delete_advisory: rusqlite::Statement<'t>,
    insert_advisory: rusqlite::Statement<'t>,
    insert_affected: rusqlite::Statement<'t>,
}

impl<'t> Writer<'t> {
    fn new(tx: &'t rusqlite::Transaction<'_>) -> rusqlite::Result<Self> {
        Ok(Writer {
            delete_affected: tx.prepare("DELETE FROM affected WHERE advisory_id = ?1")?,
            delete_advisory: tx.prepare("DELETE FROM advisories WHERE id = ?1")?,
            insert_advisory: tx.prepare("INSERT OR REPLACE INTO advisories (id, modified) VALUES (?1, ?2)")?,
            insert_affected: tx.prepare("INSERT OR REPLACE INTO affected (ecosystem, name, advisory_id, entry) VALUES (?1, ?2, ?3, ?4)")?,
        })
    }

    fn put(&mut self, record: &Record, summary: &mut ImportSummary) -> rusqlite::Result<()> {
        self.delete_affected.execute([&record.id])?;
        if record.is_withdrawn() {
            self.delete_advisory.execute([&record.id])?;
            summary.withdrawn += 1;
            return Ok(());
        }
        self.insert_advisory.execute(params![record.id, record.modified])?;
        let mut keys: Vec<(String, String)> = Vec::new();
        for affected in &record.affected {
            let Some(package) = &affected.package else { continue };
            let base = ecosystem_base(&package.ecosystem);
            let key = (base.to_string(), normalize_name(base, &package.name));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        for (base, name) in keys {
            let entry = match_entry(record, &base, &name);
            let text = serde_json::to_string(&entry).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            self.insert_affected.execute(params![base, name, record.id, text])?;
        }
        summary.imported += 1;
        Ok(())
    }
}

/// What matching one package against `record` reads: the id, aliases and summary, the
/// severity vectors and words, and only the `affected` entries about that package. The long
/// description, references and other database-specific data are dropped.
fn match_entry(record: &Record, base: &str, name: &str) -> Record {
    let severity_word = |value: &Option<serde_json::Value>| -> Option<serde_json::Value> {
        let word = value.as_ref()?.get("severity")?.clone();
        Some(serde_json::json!({ "severity": word }))
    };
    let affected = record
        .affected
        .iter()
        .filter(|affected| {
            affected.package.as_ref().is_some_and(|p| ecosystem_base(&p.ecosystem) == base && normalize_name(base, &p.name) == name)
        })
        .map(|affected| crate::osv::Affected {
            package: affected.package.clone(),
            severity: affected.severity.clone(),
            ranges: affected.ranges.clone(),
            versions: affected.versions.clone(),
            ecosystem_specific: severity_word(&affected.ecosystem_specific),
            database_specific: severity_word(&affected.database_specific),
        })
        .collect();
    Record {
        id: record.id.clone(),
        modified: None,
        published: None,
        withdrawn: None,
        aliases: record.aliases.clone(),
        summary: record.summary.clone(),
        details: None,
        severity: record.severity.clone(),
        affected,
        database_specific: severity_word(&record.database_specific),
    }
}

/// Receives each document found: where it came from, its bytes, and whether it was named directly.
type DocumentSink<'a> = dyn FnMut(&Path, &[u8], bool) -> Result<(), StoreError> + 'a;

/// Calls `each(origin, bytes, explicit)` for every JSON document under `path`: the file itself,
/// the `.json` files of a directory (recursively) and of `.zip` archives. `explicit` is true for
/// a JSON file named directly.
fn import_path(
    path: &Path,
    explicit: bool,
    limits: &ArchiveLimits,
    each: &mut DocumentSink<'_>,
) -> Result<(), StoreError> {
    let read_error = |source| StoreError::Read { path: path.into(), source };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(read_error)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            let is_candidate = entry.is_dir() || entry.extension().is_some_and(|e| e == "json" || e == "zip");
            if is_candidate {
                import_path(&entry, false, limits, each)?;
            }
        }
        return Ok(());
    }
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut magic = [0u8; 4];
    let has_zip_magic = (&file).take(4).read(&mut magic).map_err(read_error)? == 4 && magic == *b"PK\x03\x04";
    // A `.zip` without the magic is a damaged archive, not a JSON document.
    let is_zip = has_zip_magic || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        return import_zip(path, file, limits, each);
    }
    if meta.len() > limits.max_entry_bytes {
        return Err(StoreError::BadInput { path: path.into(), message: format!("larger than {} bytes; not an OSV record", limits.max_entry_bytes) });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    each(path, &bytes, explicit)
}

fn import_zip(
    path: &Path,
    file: std::fs::File,
    limits: &ArchiveLimits,
    each: &mut DocumentSink<'_>,
) -> Result<(), StoreError> {
    let bad = |message: String| StoreError::BadInput { path: path.into(), message };
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| bad(format!("not a readable zip archive: {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(bad(format!("{} entries, more than the limit of {}", archive.len(), limits.max_entries)));
    }
    let mut total: u64 = 0;
    let mut buffer = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| bad(format!("entry {index}: {e}")))?;
        if entry.is_dir() || !entry.name().ends_with(".json") {
            continue;
        }
        let name = entry.name().to_string();
        let packed = entry.compressed_size().max(1);
        buffer.clear();
        // Declared sizes can lie: count what actually comes out.
        let read = (&mut entry)
            .take(limits.max_entry_bytes + 1)
            .read_to_end(&mut buffer)
            .map_err(|e| bad(format!("{name}: damaged entry: {e}")))? as u64;
        if read > limits.max_entry_bytes {
            return Err(bad(format!("{name} unpacks to more than {} bytes: refusing a possible zip bomb", limits.max_entry_bytes)));
        }
        if read > 64 * 1024 && read / packed > limits.max_ratio {
            return Err(bad(format!("{name} unpacks {}x: refusing a possible zip bomb", read / packed)));
        }
        total += read;
        if total > limits.max_total_bytes {
            return Err(bad(format!("unpacks to more than {} bytes: refusing a possible zip bomb", limits.max_total_bytes)));
        }
        each(&path.join(&name), &buffer, false)?;
    }
    Ok(())
}
