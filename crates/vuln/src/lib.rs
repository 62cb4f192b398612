//! rampart's vulnerability side: version order per ecosystem, OSV records, matching packages
//! against them, and the SQLite advisory store.

pub mod version;
