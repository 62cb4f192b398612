//! Installed packages, from the package databases in the final file system: dpkg (`status`,
//! and `status.d/` as distroless images have it), apk, Python `dist-info`/`egg-info`, npm
//! `package.json` under `node_modules`, rpm's sqlite and Berkeley DB databases, and Go executables' build
//! information. Each with the layer that wrote its database entry, and the packages it depends
//! on where the database records that (dpkg, apk, rpm, Go modules).

mod bdb;
mod gobuildinfo;
mod rpm;

use crate::facts::ContentCollector;
use crate::layer::{EntryKind, EntryMeta};
use crate::Image;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// `deb`, `apk`, `rpm`, `pypi`, `npm`, `golang`: the purl type.
    pub ecosystem: &'static str,
    pub name: String,
    pub version: String,
    /// The source package it was built from (dpkg `Source`, apk origin), when it differs.
    pub source: Option<String>,
    /// The source package's version when the database records one that differs from the
    /// binary's (dpkg `Source: glibc (2.36-9)` for binNMUs and packages versioned apart from
    /// their source). Advisories are keyed on the source version, so matching needs it.
    pub source_version: Option<String>,
    pub architecture: Option<String>,
    /// The layer that wrote the database record.
    pub layer: usize,
    /// Where the record is: `/var/lib/dpkg/status`, `/usr/lib/python3/dist-packages/x.dist-info/METADATA`,
    /// the Go executable.
    pub found_in: String,
    pub purl: String,
    /// The licence as the package's record states it (rpm `License`, apk `L:`, npm `license`,
    /// Python `License-Expression` or a short `License`), when it does.
    pub license: Option<String>,
    /// The purls of the packages this one depends on, found in the same database
    /// ([`Package::database`]: dpkg
    /// `Depends`/`Pre-Depends`, apk `D:`, rpm requires matched to provides, a Go binary's main
    /// module to the modules linked in). Empty where the database does not say.
    pub depends_on: Vec<String>,
    /// Names this package satisfies a dependency on (its own name is implied), and its
    /// dependencies as groups of alternatives, until they are resolved to purls.
    #[serde(skip)]
    provides: Vec<String>,
    #[serde(skip)]
    requires: Vec<Vec<String>>,
}

impl Package {
    /// The package database that records it: [`Package::found_in`], except that the files of
    /// dpkg's `status.d` directory are one database.
    pub fn database(&self) -> &str {
        match self.found_in.strip_prefix("/var/lib/dpkg/status.d/") {
            Some(_) => "/var/lib/dpkg/status.d",
            None => &self.found_in,
        }
    }
}

/// The packages of an image and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub packages: Vec<Package>,
    /// Package databases present but not read (an ndb rpmdb, a corrupt or cut database,
    /// a Go binary whose build information lies past the read limit): a short sentence each.
    pub notices: Vec<String>,
}

/// Smallest executable searched for Go build information: a stripped Go "hello world" is over
/// a megabyte, so smaller files are not Go binaries.
const MIN_GO_BINARY: u64 = 512 << 10;

fn may_be_go_binary(kind: EntryKind, mode: u32, size: u64) -> bool {
    kind == EntryKind::File && mode & 0o111 != 0 && size >= MIN_GO_BINARY
}

/// Whether the walker should read a file's content for the package list: package records
/// (but rpm's databases, which are streamed: they outgrow the walker's file read limit).
pub(crate) fn keeps(entry: &EntryMeta) -> bool {
    is_package_record(&entry.path) && !is_rpm_database(&entry.path)
}

/// Whether the walker should stream a file by for the package list: rpm's databases (read
/// whole, up to [`MAX_RPM_DATABASE`]) and executables that may be Go binaries (scanned in
/// bounded memory, whatever their size).
pub(crate) fn streams(entry: &EntryMeta) -> bool {
    entry.kind == EntryKind::File && is_rpm_database(&entry.path)
        || may_be_go_binary(entry.kind, entry.mode, entry.size) && !is_package_record(&entry.path)
}

/// Largest rpm database read: one with a few thousand packages is a few hundred megabytes.
const MAX_RPM_DATABASE: u64 = 256 << 20;

fn is_rpm_database(path: &str) -> bool {
    rpm::SQLITE_DB_PATHS.contains(&path) || rpm::BERKELEY_DB_PATHS.contains(&path)
}

/// What to keep of a streamed file: an rpm database whole (cut at [`MAX_RPM_DATABASE`], which
/// the package list then reports), of an executable its Go build information as a small
/// record, if any.
pub(crate) fn streamed_content(entry: &EntryMeta, reader: &mut dyn std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    if is_rpm_database(&entry.path) {
        let mut content = Vec::new();
        reader.take(MAX_RPM_DATABASE).read_to_end(&mut content)?;
        return Ok(Some(content));
    }
    Ok(gobuildinfo::read_stream(reader)?.map(|found| gobuildinfo::to_record(&found)))
}

/// What to keep of a file [`keeps`] asked for: a package record whole; of an executable only its
/// Go build information, as a small record (`None` when it is not a Go binary), so the walk
/// never holds binaries in memory.
pub(crate) fn kept_content(entry: &EntryMeta, content: &[u8], truncated: bool) -> Option<Vec<u8>> {
    if is_package_record(&entry.path) {
        return Some(content.to_vec());
    }
    gobuildinfo::read(content, truncated).map(|found| gobuildinfo::to_record(&found))
}

/// Runs one of the package-record readers on `bytes`, the first byte choosing which: the
/// sqlite and Berkeley DB rpm databases, a bare rpm header, Go build information (from memory,
/// streamed, and through the record kept for it), dpkg, apk, Python and npm records. For the
/// `package_records` fuzz target (fuzz/); not part of the API. Returns how many packages the
/// record readers listed.
#[doc(hidden)]
pub fn fuzz_package_readers(bytes: &[u8]) -> usize {
    let Some((&selector, data)) = bytes.split_first() else { return 0 };
    let mut out = Vec::new();
    match selector % 7 {
        0 => return rpm::read_sqlite_db(data).map_or(0, |(headers, _)| headers.len()),
        1 => return rpm::read_berkeley_db(data).map_or(0, |(headers, _)| headers.len()),
        2 => return usize::from(rpm::parse_header(data).is_ok()),
        3 => {
            for found in [gobuildinfo::read(data, false), gobuildinfo::read_stream(data).ok().flatten()].into_iter().flatten() {
                if let Some(gobuildinfo::Found::BuildInfo(info)) = gobuildinfo::from_record(&gobuildinfo::to_record(&found)) {
                    go_packages(&info, &mut out);
                }
            }
        }
        4 => parse_dpkg(&String::from_utf8_lossy(data), false, &mut out),
        5 => parse_apk(&String::from_utf8_lossy(data), &mut out),
        _ => {
            let text = String::from_utf8_lossy(data);
            parse_python(&text, &mut out);
            parse_npm(&text, &mut out);
        }
    }
    out.len()
}

/// Whether the walker should keep a file's content for the package list.
pub(crate) fn is_package_record(path: &str) -> bool {
    if path == "var/lib/dpkg/status"
        || path == "lib/apk/db/installed"
        || rpm::SQLITE_DB_PATHS.contains(&path)
        || rpm::BERKELEY_DB_PATHS.contains(&path)
    {
        return true;
    }
    if let Some(name) = path.strip_prefix("var/lib/dpkg/status.d/") {
        return !name.contains('/') && !name.ends_with(".md5sums");
    }
    let (parent, file) = crate::path::split_parent(path);
    match file {
        "METADATA" => parent.ends_with(".dist-info"),
        "PKG-INFO" => parent.ends_with(".egg-info"),
        "package.json" => is_node_module_dir(parent),
        _ => path.ends_with(".egg-info") && !path.contains(".egg-info/"),
    }
}

/// `…/node_modules/name` or `…/node_modules/@scope/name`.
fn is_node_module_dir(dir: &str) -> bool {
    let (parent, _) = crate::path::split_parent(dir);
    let (grandparent, scope) = crate::path::split_parent(parent);
    parent.ends_with("node_modules") && (parent == "node_modules" || parent.ends_with("/node_modules"))
        || scope.starts_with('@') && (grandparent == "node_modules" || grandparent.ends_with("/node_modules"))
}

/// The packages of `image`'s final file system.
pub fn packages(image: &Image, collected: &ContentCollector) -> Vec<Package> {
    inventory(image, collected).packages
}

/// The packages of `image`'s final file system, with notices for databases not read.
pub fn inventory(image: &Image, collected: &ContentCollector) -> Inventory {
    let distro = os_distro(image, collected);
    let mut out = Vec::new();
    let mut notices = Vec::new();
    let mut rpm_db_read = false;
    for (path, entry) in image.fs.iter() {
        let record = is_package_record(path);
        if !record && !may_be_go_binary(entry.kind, entry.mode, entry.size) {
            continue;
        }
        let Some(layer) = image.layers.get(entry.layer) else { continue };
        let Some(content) = collected.content(&layer.key, path) else { continue };
        let found_in = format!("/{path}");
        let before = out.len();
        if !record {
            match gobuildinfo::from_record(content) {
                Some(gobuildinfo::Found::BuildInfo(info)) => go_packages(&info, &mut out),
                Some(gobuildinfo::Found::BeyondReadLimit) => notices.push(format!(
                    "{found_in}: a Go binary ({} bytes) whose build information lies past the part read (the file read limit); its modules are not listed",
                    entry.size
                )),
                None => {}
            }
        } else if rpm::SQLITE_DB_PATHS.contains(&path) {
            rpm_db_read |= read_rpm_db(content, entry.size, &found_in, rpm::read_sqlite_db, &mut out, &mut notices);
        } else if rpm::BERKELEY_DB_PATHS.contains(&path) {
            rpm_db_read |= read_rpm_db(content, entry.size, &found_in, rpm::read_berkeley_db, &mut out, &mut notices);
        } else {
            let text = String::from_utf8_lossy(content);
            if path == "var/lib/dpkg/status" || path.starts_with("var/lib/dpkg/status.d/") {
                // status.d records (distroless) have no Status field: they are installed by definition.
                parse_dpkg(&text, path != "var/lib/dpkg/status", &mut out);
            } else if path == "lib/apk/db/installed" {
                parse_apk(&text, &mut out);
            } else if path.ends_with("/package.json") {
                parse_npm(&text, &mut out);
            } else {
                parse_python(&text, &mut out);
            }
        }
        for package in &mut out[before..] {
            package.layer = entry.layer;
            package.found_in.clone_from(&found_in);
            package.purl = purl(package, distro.as_deref());
        }
    }
    // Dependencies resolve within one database: distroless images keep one dpkg record per
    // file in status.d, so the files of that directory are one database.
    out.sort_by(|a, b| a.database().cmp(b.database()));
    for group in out.chunk_by_mut(|a, b| a.database() == b.database()) {
        resolve_dependencies(group);
    }
    if !rpm_db_read {
        for (path, format) in rpm::UNREAD_DB_PATHS {
            if image.fs.get(path).is_some() {
                notices.push(format!("/{path}: an rpm database in {format} format, which is not read; its packages are not listed"));
            }
        }
    }
    out.sort_by(|a, b| (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version)));
    out.dedup_by(|a, b| a.ecosystem == b.ecosystem && a.name == b.name && a.version == b.version && a.found_in == b.found_in);
    Inventory { packages: out, notices }
}

/// The headers in an rpm database file, and the ones that could not be read.
type RpmDbReader = fn(&[u8]) -> Result<(Vec<rpm::RpmHeader>, Vec<rpm::RpmError>), rpm::RpmError>;

/// Reads an rpm database with `read` into `out`; whether it could be read. What could not be
/// read is a notice.
fn read_rpm_db(content: &[u8], size: u64, found_in: &str, read: RpmDbReader, out: &mut Vec<Package>, notices: &mut Vec<String>) -> bool {
    if (content.len() as u64) < size {
        notices.push(format!(
            "{found_in}: the rpm database is larger ({size} bytes) than the {} bytes read; its packages are not listed",
            content.len()
        ));
        return false;
    }
    match read(content) {
        Ok((headers, errors)) => {
            if let Some(first) = errors.first() {
                notices.push(format!("{found_in}: {} rpm header(s) could not be read ({first})", errors.len()));
            }
            for header in headers {
                let mut package = new_package("rpm", &header.name, &header.evr());
                if let Some((source, source_version)) = header.source() {
                    package.source = (source != header.name).then(|| source.to_string());
                    let own = format!("{}-{}", header.version, header.release);
                    package.source_version = (source_version != own).then(|| source_version.to_string());
                }
                package.architecture = header.arch.clone().filter(|a| !a.is_empty() && a != "(none)");
                package.license = header.license.clone().filter(|l| !l.is_empty());
                package.provides = header.provides;
                package.requires = header.requires.into_iter().map(|r| vec![r]).collect();
                out.push(package);
            }
            true
        }
        Err(e) => {
            notices.push(format!("{found_in}: {e}; its packages are not listed"));
            false
        }
    }
}

/// A Go binary's packages: its main module (or, built outside module mode, its main package's
/// path), the Go standard library it was built with, and every module linked in.
fn go_packages(info: &gobuildinfo::BuildInfo, out: &mut Vec<Package>) {
    // Without a module version (built outside module mode, or `(devel)` without VCS data),
    // the version the build stamped with the linker, as syft does.
    let stamped = info.ldflags_version.as_deref().unwrap_or_default();
    let main = match (&info.main, &info.path) {
        (Some(module), _) if module.version.is_empty() || module.version == "(devel)" => {
            Some(new_package("golang", &module.path, if stamped.is_empty() { &module.version } else { stamped }))
        }
        (Some(module), _) => Some(new_package("golang", &module.path, &module.version)),
        (None, Some(path)) => Some(new_package("golang", path, stamped)),
        (None, None) => None,
    };
    // `go1.22.5 X:boringcrypto` -> `1.22.5`, the version Go's advisories name.
    let go_version = info.go_version.split_whitespace().next().unwrap_or_default();
    let stdlib = new_package("golang", "stdlib", go_version.strip_prefix("go").unwrap_or(go_version));
    let deps: Vec<Package> = info.deps.iter().map(|m| new_package("golang", &m.path, &m.version)).collect();
    if let Some(mut main) = main {
        // The binary links every module of its build list: the main module depends on them.
        main.requires = std::iter::once(&stdlib).chain(&deps).map(|p| vec![p.name.clone()]).collect();
        out.push(main);
    }
    out.push(stdlib);
    out.extend(deps);
}

/// Turns each package's dependency names into the purls of the packages (of the same database)
/// that provide them: the first alternative present wins, as the package manager would.
fn resolve_dependencies(packages: &mut [Package]) {
    let mut providers: HashMap<&str, usize> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        providers.entry(package.name.as_str()).or_insert(index);
        for name in &package.provides {
            providers.entry(name.as_str()).or_insert(index);
        }
    }
    let resolved: Vec<Vec<String>> = packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            let mut purls: Vec<String> = Vec::new();
            for group in &package.requires {
                let Some(&provider) = group.iter().find_map(|name| providers.get(name.as_str())) else { continue };
                let purl = &packages[provider].purl;
                if provider != index && !purls.contains(purl) {
                    purls.push(purl.clone());
                }
            }
            purls
        })
        .collect();
    for (package, depends_on) in packages.iter_mut().zip(resolved) {
        package.depends_on = depends_on;
        package.provides = Vec::new();
        package.requires = Vec::new();
    }
}

fn os_distro(image: &Image, collected: &ContentCollector) -> Option<String> {
    let (text, layer) = ["etc/os-release", "usr/lib/os-release"].iter().find_map(|p| collected.final_content(image, p))?;
    let release = crate::facts::parse_os_release(&String::from_utf8_lossy(text), layer)?;
    Some(if release.version_id.is_empty() { release.id } else { format!("{}-{}", release.id, release.version_id) })
}

fn new_package(ecosystem: &'static str, name: &str, version: &str) -> Package {
    Package {
        ecosystem,
        name: name.to_string(),
        version: version.to_string(),
        source: None,
        source_version: None,
        architecture: None,
        layer: 0,
        found_in: String::new(),
        purl: String::new(),
        license: None,
        depends_on: Vec::new(),
        provides: Vec::new(),
        requires: Vec::new(),
    }
}

/// Names in a Debian relationship field, as groups of alternatives:
/// `libc6 (>= 2.34), debconf | debconf-2.0, python3:any` -> `[[libc6], [debconf, debconf-2.0], [python3]]`.
fn debian_relations(field: &str) -> Vec<Vec<String>> {
    field
        .split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|alternative| {
                    let name = alternative.split(['(', '[', '<']).next()?.trim();
                    let name = name.split(':').next()?.trim();
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|group| !group.is_empty())
        .collect()
}

/// An apk dependency or provide without its version constraint: `so:libc.musl-x86_64.so.1=1`
/// -> `so:libc.musl-x86_64.so.1`, `busybox>=1.36` -> `busybox`. Conflicts (`!name`) are none.
fn apk_name(token: &str) -> Option<String> {
    if token.starts_with('!') {
        return None;
    }
    let name = token.split(['=', '<', '>', '~']).next()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// RFC 822-style paragraphs separated by blank lines; continuation lines start with a space.
fn paragraphs(text: &str) -> impl Iterator<Item = Vec<(&str, &str)>> {
    text.split("\n\n").map(|block| {
        block
            .lines()
            .filter(|line| !line.starts_with(' ') && !line.starts_with('\t'))
            .filter_map(|line| line.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect()
    })
}

fn field<'a>(paragraph: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    paragraph.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
}

pub(crate) fn parse_dpkg(text: &str, installed_by_definition: bool, out: &mut Vec<Package>) {
    for paragraph in paragraphs(text) {
        let (Some(name), Some(version)) = (field(&paragraph, "Package"), field(&paragraph, "Version")) else { continue };
        let installed = installed_by_definition
            || field(&paragraph, "Status").is_some_and(|s| s.split_whitespace().last() == Some("installed"));
        if !installed {
            continue;
        }
        let mut package = new_package("deb", name, version);
        // `Source: name` or `Source: name (version)`.
        if let Some(source_field) = field(&paragraph, "Source") {
            let mut words = source_field.split_whitespace();
            package.source = words.next().filter(|s| *s != name).map(str::to_string);
            package.source_version = words
                .next()
                .and_then(|v| v.strip_prefix('(')?.strip_suffix(')'))
                .filter(|v| !v.is_empty() && *v != version)
                .map(str::to_string);
        }
        package.architecture = field(&paragraph, "Architecture").map(str::to_string);
        package.requires = ["Pre-Depends", "Depends"].iter().filter_map(|f| field(&paragraph, f)).flat_map(debian_relations).collect();
        package.provides = field(&paragraph, "Provides").map(debian_relations).unwrap_or_default().into_iter().flatten().collect();
        out.push(package);
    }
}

pub(crate) fn parse_apk(text: &str, out: &mut Vec<Package>) {
    for block in text.split("\n\n") {
        let mut package = new_package("apk", "", "");
        for line in block.lines() {
            match line.split_once(':') {
                Some(("P", v)) => package.name = v.to_string(),
                Some(("V", v)) => package.version = v.to_string(),
                Some(("o", v)) => package.source = Some(v.to_string()),
                Some(("A", v)) => package.architecture = Some(v.to_string()),
                Some(("L", v)) if !v.is_empty() => package.license = Some(v.to_string()),
                Some(("D", v)) => package.requires = v.split_whitespace().filter_map(apk_name).map(|n| vec![n]).collect(),
                Some(("p", v)) => package.provides = v.split_whitespace().filter_map(apk_name).collect(),
                _ => {}
            }
        }
        if package.source.as_deref() == Some(package.name.as_str()) {
            package.source = None;
        }
        if !package.name.is_empty() && !package.version.is_empty() {
            out.push(package);
        }
    }
}

pub(crate) fn parse_python(text: &str, out: &mut Vec<Package>) {
    // Only the header block: the description after the first blank line may contain anything.
    let header = text.split("\n\n").next().unwrap_or_default();
    let paragraph: Vec<(&str, &str)> = header.lines().filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim(), v.trim())).collect();
    if let (Some(name), Some(version)) = (field(&paragraph, "Name"), field(&paragraph, "Version")) {
        let mut package = new_package("pypi", name, version);
        // PEP 639's SPDX expression, else the free-text `License` when it is one short line
        // (some projects paste the whole licence text there).
        package.license = field(&paragraph, "License-Expression")
            .or_else(|| field(&paragraph, "License").filter(|l| l.len() <= 100))
            .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case("UNKNOWN"))
            .map(str::to_string);
        out.push(package);
    }
}

pub(crate) fn parse_npm(text: &str, out: &mut Vec<Package>) {
    #[derive(serde::Deserialize)]
    struct PackageJson {
        name: Option<String>,
        version: Option<String>,
        /// An SPDX expression, or the deprecated `{"type": "MIT"}` object.
        license: Option<serde_json::Value>,
    }
    if let Ok(PackageJson { name: Some(name), version: Some(version), license }) = serde_json::from_str::<PackageJson>(text) {
        if !name.is_empty() && !version.is_empty() {
            let mut package = new_package("npm", &name, &version);
            package.license = match license {
                Some(serde_json::Value::String(text)) => Some(text),
                Some(serde_json::Value::Object(object)) => object.get("type").and_then(|t| t.as_str()).map(str::to_string),
                _ => None,
            }
            .filter(|l| !l.is_empty());
            out.push(package);
        }
    }
}

/// The package URL (purl spec): `pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12`,
/// `pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&epoch=1&distro=fedora-40`,
/// `pkg:golang/golang.org/x/net@v0.24.0`.
pub fn purl(package: &Package, distro: Option<&str>) -> String {
    let distro_id = || distro.and_then(|d| d.split('-').next()).map(str::to_string);
    let (namespace, name) = match package.ecosystem {
        "deb" | "rpm" => (distro_id(), package.name.clone()),
        "apk" => (Some(distro_id().unwrap_or_else(|| "alpine".to_string())), package.name.clone()),
        // PEP 503 normalisation, as the purl spec asks for pypi.
        "pypi" => (None, package.name.to_ascii_lowercase().replace(['_', '.'], "-")),
        "npm" => match package.name.split_once('/') {
            Some((scope, name)) if scope.starts_with('@') => (Some(scope.to_string()), name.to_string()),
            _ => (None, package.name.clone()),
        },
        // A module path: the last element is the name, the rest the namespace.
        "golang" => match package.name.rsplit_once('/') {
            Some((namespace, name)) => (Some(namespace.to_string()), name.to_string()),
            None => (None, package.name.clone()),
        },
        _ => (None, package.name.clone()),
    };
    // rpm's epoch is a qualifier in a purl, not part of the version.
    let (epoch, version) = match package.version.split_once(':') {
        Some((epoch, rest)) if package.ecosystem == "rpm" && !epoch.is_empty() && epoch.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(epoch), rest)
        }
        _ => (None, package.version.as_str()),
    };
    let mut out = format!("pkg:{}/", package.ecosystem);
    if let Some(namespace) = namespace {
        // Namespace segments keep their slashes (`golang.org/x`), each segment encoded.
        out.push_str(&namespace.split('/').map(encode).collect::<Vec<_>>().join("/"));
        out.push('/');
    }
    out.push_str(&encode(&name));
    if !version.is_empty() {
        out.push('@');
        out.push_str(&encode(version));
    }
    let mut qualifiers = Vec::new();
    if let Some(arch) = &package.architecture {
        qualifiers.push(format!("arch={}", encode(arch)));
    }
    if let Some(epoch) = epoch {
        qualifiers.push(format!("epoch={epoch}"));
    }
    if matches!(package.ecosystem, "deb" | "apk" | "rpm") {
        if let Some(distro) = distro {
            qualifiers.push(format!("distro={}", encode(distro)));
        }
    }
    if !qualifiers.is_empty() {
        out.push('?');
        out.push_str(&qualifiers.join("&"));
    }
    out
}

/// Percent-encodes everything but the purl spec's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_apk_python_npm_records() {
        let mut out = Vec::new();
        parse_dpkg(
            "Package: libc6\nStatus: install ok installed\nSource: glibc (2.36-9)\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nDescription: x\n more\n\n\
             Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n",
            false,
            &mut out,
        );
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].name.as_str(), out[0].source.as_deref()), ("libc6", Some("glibc")));
        assert_eq!(out[0].source_version.as_deref(), Some("2.36-9"));
        assert_eq!((out[1].name.as_str(), out[1].source.as_deref(), out[1].source_version.as_deref()), ("bash", None, None));
        out[0].purl = purl(&out[0], Some("debian-12"));
        assert_eq!(out[0].purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
        let mut apk = Vec::new();
        parse_apk("C:Q1x\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nP:busybox-binsh\nV:1.36.1-r5\no:busybox\n", &mut apk);
        assert_eq!(apk.len(), 2);
        assert_eq!(apk[1].source.as_deref(), Some("busybox"));
        assert_eq!(purl(&apk[0], Some("alpine-3.19.1")), "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1");
        let mut py = Vec::new();
        parse_python("Metadata-Version: 2.1\nName: Flask_Login\nVersion: 0.6.3\nLicense: MIT\n\nName: not-this\n", &mut py);
        parse_python("Metadata-Version: 2.4\nName: attrs\nVersion: 25.1.0\nLicense: x\nLicense-Expression: MIT\n", &mut py);
        parse_python("Metadata-Version: 1.0\nName: old\nVersion: 1\nLicense: UNKNOWN\n", &mut py);
        assert_eq!(purl(&py[0], None), "pkg:pypi/flask-login@0.6.3");
        let licenses: Vec<Option<&str>> = py.iter().map(|p| p.license.as_deref()).collect();
        assert_eq!(licenses, [Some("MIT"), Some("MIT"), None]);
        let mut npm = Vec::new();
        parse_npm(r#"{"name": "@babel/core", "version": "7.24.0", "license": "MIT"}"#, &mut npm);
        parse_npm(r#"{"name": "old", "version": "1.0.0", "license": {"type": "BSD-3-Clause", "url": "x"}}"#, &mut npm);
        parse_npm(r#"{"name": "broken""#, &mut npm);
        assert_eq!(npm.len(), 2);
        assert_eq!(purl(&npm[0], None), "pkg:npm/%40babel/core@7.24.0");
        assert_eq!((npm[0].license.as_deref(), npm[1].license.as_deref()), (Some("MIT"), Some("BSD-3-Clause")));
    }

    #[test]
    fn dependencies_resolve_within_a_database() {
        let mut out = Vec::new();
        parse_dpkg(
            "Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10\nDepends: libc6 (>= 2.34), libcurl4 (= 7.88.1-10) | libcurl-gnutls, missing-one\n\n\
             Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nPre-Depends: libgcc-s1:amd64\n\n\
             Package: libcurl-gnutls\nStatus: install ok installed\nVersion: 7.88.1-10\nProvides: libcurl4\n\n\
             Package: libgcc-s1\nStatus: install ok installed\nVersion: 12.2.0-14\n",
            false,
            &mut out,
        );
        for package in &mut out {
            package.purl = purl(package, Some("debian-12"));
        }
        resolve_dependencies(&mut out);
        let depends = |name: &str| out.iter().find(|p| p.name == name).unwrap().depends_on.clone();
        assert_eq!(depends("curl"), ["pkg:deb/debian/libc6@2.36-9?distro=debian-12", "pkg:deb/debian/libcurl-gnutls@7.88.1-10?distro=debian-12"]);
        assert_eq!(depends("libc6"), ["pkg:deb/debian/libgcc-s1@12.2.0-14?distro=debian-12"]);
        assert!(depends("libgcc-s1").is_empty());

        let mut apk = Vec::new();
        parse_apk("P:musl\nV:1.2.4-r2\np:so:libc.musl-x86_64.so.1=1\n\nP:busybox\nV:1.36.1-r15\nD:so:libc.musl-x86_64.so.1 !busybox-old\n", &mut apk);
        for package in &mut apk {
            package.purl = purl(package, Some("alpine-3.19.1"));
        }
        resolve_dependencies(&mut apk);
        assert_eq!(apk[1].depends_on, ["pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.19.1"]);
    }

    #[test]
    fn go_and_rpm_purls() {
        let mut module = new_package("golang", "golang.org/x/net", "v0.24.0");
        assert_eq!(purl(&module, Some("debian-12")), "pkg:golang/golang.org/x/net@v0.24.0");
        module.name = "github.com/opencontainers/runc".into();
        module.version = String::new();
        assert_eq!(purl(&module, None), "pkg:golang/github.com/opencontainers/runc");
        let mut rpm = new_package("rpm", "bash", "1:5.2.26-3.fc40");
        rpm.architecture = Some("x86_64".into());
        assert_eq!(purl(&rpm, Some("fedora-40")), "pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&epoch=1&distro=fedora-40");
        rpm.version = "5.2.26-3.fc40".into();
        assert_eq!(purl(&rpm, None), "pkg:rpm/bash@5.2.26-3.fc40?arch=x86_64");
    }

    /// rpm databases are streamed, so the walker's file read limit does not cut them.
    #[test]
    fn rpm_database_larger_than_the_file_read_limit() {
        let root = tempfile::tempdir().unwrap();
        let db_dir = root.path().join("var/lib/rpm");
        std::fs::create_dir_all(&db_dir).unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rpm/rpmdb.sqlite");
        std::fs::copy(&fixture, db_dir.join("rpmdb.sqlite")).unwrap();
        let limits = crate::Limits { max_file_read: 64 << 10, ..crate::Limits::default() };
        assert!(std::fs::metadata(&fixture).unwrap().len() > limits.max_file_read);
        let mut collector = ContentCollector::default();
        let image = crate::open(root.path(), &limits, &mut collector).unwrap();
        let found = inventory(&image, &collector);
        assert!(found.notices.is_empty(), "{:?}", found.notices);
        assert_eq!(found.packages.iter().filter(|p| p.ecosystem == "rpm").count(), 3);
    }

    #[test]
    fn which_files_are_package_records() {
        for yes in [
            "var/lib/dpkg/status",
            "var/lib/dpkg/status.d/base",
            "lib/apk/db/installed",
            "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
            "usr/lib/python3.11/site-packages/six-1.16.0.egg-info/PKG-INFO",
            "app/node_modules/express/package.json",
            "node_modules/@babel/core/package.json",
            "var/lib/rpm/rpmdb.sqlite",
            "usr/lib/sysimage/rpm/rpmdb.sqlite",
            "var/lib/rpm/Packages",
        ] {
            assert!(is_package_record(yes), "{yes}");
        }
        for no in ["var/lib/dpkg/status-old", "app/package.json", "app/node_modules/express/lib/package.json", "var/lib/dpkg/status.d/base.md5sums"] {
            assert!(!is_package_record(no), "{no}");
        }
    }
}
