//! Installed packages, from the package databases in the final file system: dpkg (`status`,
//! and `status.d/` as distroless images have it), apk, Python `dist-info`/`egg-info`, npm
//! `package.json` under `node_modules`. Each with the layer that wrote its database entry.
//! (rpm's sqlite database is not read yet.)

use crate::facts::ContentCollector;
use crate::Image;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// `deb`, `apk`, `pypi`, `npm`: the purl type.
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
    /// Where the record is: `/var/lib/dpkg/status`, `/usr/lib/python3/dist-packages/x.dist-info/METADATA`.
    pub found_in: String,
    pub purl: String,
}

/// Whether the walker should keep a file's content for the package list.
pub(crate) fn is_package_record(path: &str) -> bool {
    if path == "var/lib/dpkg/status" || path == "lib/apk/db/installed" {
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
    let distro = os_distro(image, collected);
    let mut out = Vec::new();
    for (path, entry) in image.fs.iter() {
        if !is_package_record(path) {
            continue;
        }
        let Some(layer) = image.layers.get(entry.layer) else { continue };
        let Some(content) = collected.content(&layer.key, path) else { continue };
        let text = String::from_utf8_lossy(content);
        let found_in = format!("/{path}");
        let before = out.len();
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
        for package in &mut out[before..] {
            package.layer = entry.layer;
            package.found_in.clone_from(&found_in);
            package.purl = purl(package, distro.as_deref());
        }
    }
    out.sort_by(|a, b| (a.ecosystem, &a.name, &a.version).cmp(&(b.ecosystem, &b.name, &b.version)));
    out.dedup_by(|a, b| a.ecosystem == b.ecosystem && a.name == b.name && a.version == b.version && a.found_in == b.found_in);
    out
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
    }
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
        out.push(new_package("pypi", name, version));
    }
}

pub(crate) fn parse_npm(text: &str, out: &mut Vec<Package>) {
    #[derive(serde::Deserialize)]
    struct PackageJson {
        name: Option<String>,
        version: Option<String>,
    }
    if let Ok(PackageJson { name: Some(name), version: Some(version) }) = serde_json::from_str::<PackageJson>(text) {
        if !name.is_empty() && !version.is_empty() {
            out.push(new_package("npm", &name, &version));
        }
    }
}

/// The package URL (purl spec): `pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12`.
pub fn purl(package: &Package, distro: Option<&str>) -> String {
    let (namespace, name) = match package.ecosystem {
        "deb" => (distro.and_then(|d| d.split('-').next()).map(str::to_string), package.name.clone()),
        "apk" => (Some(distro.and_then(|d| d.split('-').next()).unwrap_or("alpine").to_string()), package.name.clone()),
        // PEP 503 normalisation, as the purl spec asks for pypi.
        "pypi" => (None, package.name.to_ascii_lowercase().replace(['_', '.'], "-")),
        "npm" => match package.name.split_once('/') {
            Some((scope, name)) if scope.starts_with('@') => (Some(scope.to_string()), name.to_string()),
            _ => (None, package.name.clone()),
        },
        _ => (None, package.name.clone()),
    };
    let mut out = format!("pkg:{}/", package.ecosystem);
    if let Some(namespace) = namespace {
        out.push_str(&encode(&namespace));
        out.push('/');
    }
    out.push_str(&encode(&name));
    out.push('@');
    out.push_str(&encode(&package.version));
    let mut qualifiers = Vec::new();
    if let Some(arch) = &package.architecture {
        qualifiers.push(format!("arch={}", encode(arch)));
    }
    if matches!(package.ecosystem, "deb" | "apk") {
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
        parse_python("Metadata-Version: 2.1\nName: Flask_Login\nVersion: 0.6.3\n\nName: not-this\n", &mut py);
        assert_eq!(purl(&py[0], None), "pkg:pypi/flask-login@0.6.3");
        let mut npm = Vec::new();
        parse_npm(r#"{"name": "@babel/core", "version": "7.24.0"}"#, &mut npm);
        parse_npm(r#"{"name": "broken""#, &mut npm);
        assert_eq!(npm.len(), 1);
        assert_eq!(purl(&npm[0], None), "pkg:npm/%40babel/core@7.24.0");
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
        ] {
            assert!(is_package_record(yes), "{yes}");
        }
        for no in ["var/lib/dpkg/status-old", "app/package.json", "app/node_modules/express/lib/package.json", "var/lib/dpkg/status.d/base.md5sums"] {
            assert!(!is_package_record(no), "{no}");
        }
    }
}
