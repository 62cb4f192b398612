//! Feeds arbitrary bytes to the readers of package records found in images (the first byte
//! picks one: sqlite and Berkeley DB rpm databases, an rpm header, Go build information, dpkg,
//! apk, Python and npm records) and to the vulnerability suppression files (OpenVEX JSON and
//! the TOML ignore list), then asks the suppressions about one vulnerability. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_vuln::vex::{Subject, Suppressions};

fuzz_target!(|data: &[u8]| {
    let _ = rampart_image::fuzz_package_readers(data);
    let text = String::from_utf8_lossy(data);
    let mut suppressions = Suppressions::default();
    let _ = suppressions.add_openvex(&text, "fuzz.json");
    let _ = suppressions.add_ignore_toml(&text, "fuzz.toml");
    let aliases = ["GHSA-xxxx-yyyy-zzzz".to_string()];
    let names = ["image:app:1".to_string(), "app:1".to_string()];
    let subject = Subject {
        id: "CVE-2024-0001",
        aliases: &aliases,
        package: "zlib1g",
        source_package: Some("zlib"),
        purl: "pkg:deb/debian/zlib1g@1.2.13?arch=amd64",
        image_names: &names,
    };
    let _ = suppressions.find(&subject, "2026-11-28");
    let _ = suppressions.expired_for(&subject, "2026-11-28");
    let _ = suppressions.described();
});
