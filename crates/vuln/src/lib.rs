//! rampart's vulnerability side: version order per ecosystem, OSV records, matching packages
//! against them, and the SQLite advisory store.

pub mod version;
pub mod cvss;
pub mod matcher;
pub mod osv;
pub mod store;
pub mod update;
pub mod vex;

pub use cvss::Level;
pub use matcher::{evaluate, match_package, osv_ecosystem, Package, Verdict, Vulnerability};
pub use osv::Record;
pub use store::{default_path, ArchiveLimits, ImportSummary, Status, Store, StoreError};
