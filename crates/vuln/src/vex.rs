//! Suppressing vulnerabilities with a reason: OpenVEX documents (statements with status
//! `not_affected` or `fixed`, products named by purl or by image) and rampart's ignore list
//! (TOML `[[vulnerabilities.ignore]]` entries: id, optional package, reason, optional expiry).
//! Pure: the caller reads the files and passes today's date.

use serde::Deserialize;
use std::path::Path;

/// The largest VEX or ignore file read.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum VexError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// What a suppression is matched against: one vulnerability of one package of one image.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub id: &'a str,
    pub aliases: &'a [String],
    pub package: &'a str,
    pub source_package: Option<&'a str>,
    pub purl: &'a str,
    /// Names the image goes by: `image:app:1`, `app:1`, the image ID.
    pub image_names: &'a [String],
}

/// Why a vulnerability is suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// `not_affected`, `fixed` or `ignored`.
    pub status: String,
    pub reason: String,
    pub source: String,
    pub expires: Option<String>,
    /// Which statement or entry it is, as [`Suppressions::described`] numbers them.
    pub index: usize,
}

/// An ignore entry whose expiry date has passed: it no longer suppresses, and the report says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    pub id: String,
    pub package: Option<String>,
    pub expires: String,
    pub reason: String,
    pub source: String,
    /// Which entry it is, as [`Suppressions::described`] numbers them.
    pub index: usize,
}

/// Every statement and ignore entry loaded from the `--vex` files.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    statements: Vec<Statement>,
    ignores: Vec<IgnoreEntry>,
}

#[derive(Debug, Clone)]
struct Statement {
    /// The vulnerability's name and aliases.
    ids: Vec<String>,
    products: Vec<Product>,
    status: String,
    reason: String,
    source: String,
}

#[derive(Debug, Clone)]
struct Product {
    id: String,
    /// Packages within the product (an image) the statement is about; empty: all of it.
    subcomponents: Vec<String>,
}

#[derive(Debug, Clone)]
struct IgnoreEntry {
    id: String,
    package: Option<String>,
    reason: String,
    expires: Option<String>,
    source: String,
}

impl Suppressions {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty() && self.ignores.is_empty()
    }

    /// Reads a file: OpenVEX JSON (a `.json` file, or any file starting with `{`), else TOML
    /// with `[[vulnerabilities.ignore]]` (or top-level `[[ignore]]`) entries.
    pub fn load(&mut self, path: &Path) -> Result<(), VexError> {
        let name = path.display().to_string();
        let read_error = |message: String| VexError::Read { path: name.clone(), message };
        let meta = std::fs::metadata(path).map_err(|e| read_error(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(read_error(format!("larger than {MAX_FILE_BYTES} bytes")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| read_error(e.to_string()))?;
        if text.trim_start().starts_with('{') {
            self.add_openvex(&text, &name)
        } else {
            self.add_ignore_toml(&text, &name)
        }
    }

    /// Adds the statements of an OpenVEX document (v0.2.0, and the older string forms of
    /// `vulnerability` and `products`).
    pub fn add_openvex(&mut self, text: &str, source: &str) -> Result<(), VexError> {
        let invalid = |message: String| VexError::Invalid { path: source.to_string(), message };
        let document: OpenVexDocument =
            serde_json::from_str(text).map_err(|e| invalid(format!("not an OpenVEX document: {e}")))?;
        for (index, statement) in document.statements.into_iter().enumerate() {
            let ids = match statement.vulnerability {
                VexVulnerability::Name(name) => vec![name],
                VexVulnerability::Object { name, id, aliases } => name.into_iter().chain(id).chain(aliases).collect(),
            };
            if ids.iter().all(|id| id.trim().is_empty()) {
                return Err(invalid(format!("statement {}: no vulnerability name", index + 1)));
            }
            let status = statement.status.trim().to_ascii_lowercase();
            if !matches!(status.as_str(), "not_affected" | "affected" | "fixed" | "under_investigation") {
                return Err(invalid(format!("statement {}: unknown status `{}`", index + 1, statement.status)));
            }
            let justification = statement.justification.unwrap_or_default();
            let impact = statement.impact_statement.unwrap_or_default();
            if status == "not_affected" && justification.trim().is_empty() && impact.trim().is_empty() {
                return Err(invalid(format!(
                    "statement {}: not_affected needs a justification or an impact_statement (the reason it is suppressed)",
                    index + 1
                )));
            }
            let notes = statement.status_notes.unwrap_or_default();
            let reason = [justification.replace('_', " "), impact, notes]
                .into_iter()
                .map(|part| part.trim().to_string())
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(": ");
            let reason = if reason.is_empty() { format!("{status} per VEX") } else { reason };
            let products = statement
                .products
                .into_iter()
                .map(|product| match product {
                    VexProduct::Id(id) => Product { id, subcomponents: Vec::new() },
                    VexProduct::Object { id, subcomponents } => Product {
                        id: id.unwrap_or_default(),
                        subcomponents: subcomponents.into_iter().filter_map(|c| c.id()).collect(),
                    },
                })
                .collect();
            self.statements.push(Statement { ids, products, status, reason, source: source.to_string() });
        }
        Ok(())
    }

    /// Adds the entries of a TOML ignore list.
    pub fn add_ignore_toml(&mut self, text: &str, source: &str) -> Result<(), VexError> {
        let invalid = |message: String| VexError::Invalid { path: source.to_string(), message };
        let file: IgnoreFile = toml::from_str(text).map_err(|e| invalid(format!("not an ignore list: {e}")))?;
        let entries = file.vulnerabilities.map(|v| v.ignore).unwrap_or_default().into_iter().chain(file.ignore);
        for (index, entry) in entries.enumerate() {
            if entry.id.trim().is_empty() {
                return Err(invalid(format!("ignore entry {}: `id` is empty", index + 1)));
            }
            if entry.reason.trim().is_empty() {
                return Err(invalid(format!("ignore entry {} ({}): `reason` is required", index + 1, entry.id)));
            }
            if let Some(expires) = &entry.expires {
                if !is_date(expires) {
                    return Err(invalid(format!("ignore entry {} ({}): `expires` must be YYYY-MM-DD, not `{expires}`", index + 1, entry.id)));
                }
            }
            self.ignores.push(IgnoreEntry {
                id: entry.id.trim().to_string(),
                package: entry.package.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()),
                reason: entry.reason.trim().to_string(),
                expires: entry.expires,
                source: source.to_string(),
            });
        }
        Ok(())
    }

    /// The first statement or live ignore entry that suppresses `subject` on `today`
    /// (`YYYY-MM-DD`). VEX statements first; a later statement about the same vulnerability and
    /// product wins over an earlier one, as OpenVEX orders them.
    pub fn find(&self, subject: &Subject<'_>, today: &str) -> Option<Suppression> {
        let statement =
            self.statements.iter().enumerate().rev().find(|(_, s)| names_vulnerability(&s.ids, subject) && s.products_match(subject));
        if let Some((index, statement)) = statement {
            if matches!(statement.status.as_str(), "not_affected" | "fixed") {
                return Some(Suppression {
                    status: statement.status.clone(),
                    reason: statement.reason.clone(),
                    source: statement.source.clone(),
                    expires: None,
                    index,
                });
            }
        }
        let first_ignore = self.statements.len();
        self.ignores.iter().enumerate().filter(|(_, entry)| entry.applies_to(subject)).find(|(_, entry)| !entry.expired(today)).map(
            |(index, entry)| Suppression {
                status: "ignored".into(),
                reason: entry.reason.clone(),
                source: entry.source.clone(),
                expires: entry.expires.clone(),
                index: first_ignore + index,
            },
        )
    }

    /// Every statement and entry as (source file, what it names, whether it suppresses),
    /// numbered as [`Suppression::index`] and [`Expired::index`] refer to them: so the caller
    /// can say which suppressions matched nothing (`affected` statements suppress nothing).
    pub fn described(&self) -> Vec<(String, String, bool)> {
        let statements = self.statements.iter().map(|s| {
            let suppresses = matches!(s.status.as_str(), "not_affected" | "fixed");
            (s.source.clone(), format!("the VEX statement {} for {}", s.status, s.ids.join(" / ")), suppresses)
        });
        let ignores = self.ignores.iter().map(|entry| {
            let package = entry.package.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
            (entry.source.clone(), format!("the ignore entry for {}{package}", entry.id), true)
        });
        statements.chain(ignores).collect()
    }

    /// The ignore entries that would apply to `subject` but have expired.
    pub fn expired_for(&self, subject: &Subject<'_>, today: &str) -> Vec<Expired> {
        let first_ignore = self.statements.len();
        self.ignores
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.applies_to(subject) && entry.expired(today))
            .map(|(index, entry)| Expired {
                index: first_ignore + index,
                id: entry.id.clone(),
                package: entry.package.clone(),
                expires: entry.expires.clone().unwrap_or_default(),
                reason: entry.reason.clone(),
                source: entry.source.clone(),
            })
            .collect()
    }
}

fn names_vulnerability(ids: &[String], subject: &Subject<'_>) -> bool {
    ids.iter().any(|id| {
        let id = id.trim();
        id.eq_ignore_ascii_case(subject.id) || subject.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(id))
    })
}

impl Statement {
    /// No products: the statement is about the vulnerability wherever it is. A product that is
    /// the package (by purl) matches; a product that is the image matches all its packages, or
    /// only its listed subcomponents.
    fn products_match(&self, subject: &Subject<'_>) -> bool {
        if self.products.is_empty() {
            return true;
        }
        self.products.iter().any(|product| {
            if purl_matches(&product.id, subject.purl) {
                return true;
            }
            image_matches(&product.id, subject.image_names)
                && (product.subcomponents.is_empty() || product.subcomponents.iter().any(|c| purl_matches(c, subject.purl)))
        })
    }
}

impl IgnoreEntry {
    fn applies_to(&self, subject: &Subject<'_>) -> bool {
        let id_matches = self.id.eq_ignore_ascii_case(subject.id) || subject.aliases.iter().any(|a| a.eq_ignore_ascii_case(&self.id));
        let package_matches = match &self.package {
            None => true,
            Some(package) if package.starts_with("pkg:") => purl_matches(package, subject.purl),
            Some(package) => package == subject.package || Some(package.as_str()) == subject.source_package,
        };
        id_matches && package_matches
    }

    fn expired(&self, today: &str) -> bool {
        // ISO dates compare as strings; the entry still holds on its expiry day.
        self.expires.as_deref().is_some_and(|expires| expires < today)
    }
}

/// A purl's parts, percent-decoded: type, namespace, name, version.
#[derive(Debug, PartialEq, Eq)]
struct Purl {
    kind: String,
    namespace: String,
    name: String,
    version: Option<String>,
}

fn parse_purl(text: &str) -> Option<Purl> {
    let rest = text.trim().strip_prefix("pkg:")?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (path, version) = match rest.rsplit_once('@') {
        // An `@` in the name part would be a scope, which purl encodes as %40.
        Some((path, version)) if path.contains('/') => (path, Some(percent_decode(version))),
        _ => (rest, None),
    };
    let mut segments = path.trim_matches('/').split('/');
    let kind = segments.next()?.to_ascii_lowercase();
    let mut parts: Vec<String> = segments.map(percent_decode).collect();
    let name = parts.pop().filter(|n| !n.is_empty())?;
    let (namespace, name) = match kind.as_str() {
        // PyPI names compare PEP 503-normalised, deb/apk namespaces case-insensitively.
        "pypi" => (parts.join("/"), crate::matcher::normalize_name("PyPI", &name)),
        _ => (parts.join("/").to_ascii_lowercase(), name),
    };
    Some(Purl { kind, namespace, name, version: version.filter(|v| !v.is_empty()) })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A product purl matches a package's when type, namespace and name agree and, if the product
/// names a version, the version too (qualifiers such as `arch` are ignored).
fn purl_matches(product: &str, package_purl: &str) -> bool {
    match (parse_purl(product), parse_purl(package_purl)) {
        (Some(product), Some(package)) => {
            product.kind == package.kind
                && product.namespace == package.namespace
                && product.name == package.name
                && product.version.as_ref().is_none_or(|v| Some(v) == package.version.as_ref())
        }
        _ => false,
    }
}

/// A product names the image: as findings name it (`image:app:1`), by reference (`app:1`), by
/// ID, or as an OCI purl (`pkg:oci/app@sha256:...?tag=1`, matched by name and tag or digest).
fn image_matches(product: &str, image_names: &[String]) -> bool {
    let product = product.trim();
    if product.is_empty() {
        return false;
    }
    if let Some(oci) = product.strip_prefix("pkg:oci/") {
        let (path, qualifiers) = oci.split_once('?').unwrap_or((oci, ""));
        let (name, digest) = path.split_once('@').map_or((path, None), |(n, d)| (n, Some(percent_decode(d))));
        let tag = qualifiers.split('&').find_map(|q| q.strip_prefix("tag=")).map(percent_decode);
        return image_names.iter().any(|image| {
            let image = image.strip_prefix("image:").unwrap_or(image);
            let (repository, image_tag) = split_reference(image);
            let last = repository.rsplit('/').next().unwrap_or(repository);
            let same_name = last.eq_ignore_ascii_case(name);
            same_name && tag.as_deref().is_none_or(|t| Some(t) == image_tag)
                || digest.as_deref().is_some_and(|d| image == d)
        });
    }
    let stripped = product.strip_prefix("image:").unwrap_or(product);
    image_names.iter().any(|image| {
        let image = image.strip_prefix("image:").unwrap_or(image);
        image == stripped || image.strip_prefix("docker.io/library/") == Some(stripped) || stripped.strip_prefix("docker.io/library/") == Some(image)
    })
}

/// `registry:5000/app:1` -> (`registry:5000/app`, Some(`1`)).
fn split_reference(reference: &str) -> (&str, Option<&str>) {
    let reference = reference.split('@').next().unwrap_or(reference);
    match reference.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
        _ => (reference, None),
    }
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

#[derive(Deserialize)]
struct OpenVexDocument {
    // Required: another JSON document (a CycloneDX VEX, a report) must not pass as a VEX with
    // no statements.
    statements: Vec<VexStatement>,
}

#[derive(Deserialize)]
struct VexStatement {
    vulnerability: VexVulnerability,
    #[serde(default)]
    products: Vec<VexProduct>,
    status: String,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    impact_statement: Option<String>,
    #[serde(default)]
    status_notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VexVulnerability {
    Name(String),
    Object {
        #[serde(default)]
        name: Option<String>,
        #[serde(default, rename = "@id")]
        id: Option<String>,
        #[serde(default)]
        aliases: Vec<String>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VexProduct {
    Id(String),
    Object {
        #[serde(default, rename = "@id")]
        id: Option<String>,
        #[serde(default)]
        subcomponents: Vec<VexComponent>,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VexComponent {
    Id(String),
    Object {
        #[serde(default, rename = "@id")]
        id: Option<String>,
        #[serde(default)]
        identifiers: Option<serde_json::Map<String, serde_json::Value>>,
    },
}

impl VexComponent {
    fn id(self) -> Option<String> {
        match self {
            VexComponent::Id(id) => Some(id),
            VexComponent::Object { id, identifiers } => {
                id.or_else(|| identifiers.and_then(|i| i.get("purl").and_then(|p| p.as_str()).map(String::from)))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreFile {
    #[serde(default)]
    vulnerabilities: Option<IgnoreSection>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSection {
    #[serde(default)]
    ignore: Vec<RawIgnore>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    id: String,
    #[serde(default)]
    package: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(aliases: &'a [String], images: &'a [String]) -> Subject<'a> {
        Subject {
            id: "CVE-2023-45853",
            aliases,
            package: "zlib1g",
            source_package: Some("zlib"),
            purl: "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12",
            image_names: images,
        }
    }

    #[test]
    fn openvex_not_affected_by_purl_and_by_image_subcomponent() {
        let images = vec!["image:app:1".to_string()];
        let aliases = vec!["DLA-1".to_string()];
        let mut vex = Suppressions::default();
        vex.add_openvex(
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
                {"vulnerability": {"name": "CVE-2023-45853"}, "products": [{"@id": "pkg:deb/debian/zlib1g"}],
                 "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                 "impact_statement": "minizip is not used"}]}"#,
            "vex.json",
        )
        .unwrap();
        let found = vex.find(&subject(&aliases, &images), "2026-11-28").expect("suppressed");
        assert_eq!(found.status, "not_affected");
        assert_eq!(found.reason, "vulnerable code not in execute path: minizip is not used");

        let mut by_image = Suppressions::default();
        by_image
            .add_openvex(
                r#"{"statements": [{"vulnerability": "DLA-1", "status": "fixed",
                    "products": [{"@id": "pkg:oci/app?tag=1", "subcomponents": [{"@id": "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1"}]}]}]}"#,
                "v.json",
            )
            .unwrap();
        assert_eq!(by_image.find(&subject(&aliases, &images), "2026-11-28").map(|s| s.status), Some("fixed".into()));
        let other_image = vec!["image:other:1".to_string()];
        assert!(by_image.find(&subject(&aliases, &other_image), "2026-11-28").is_none());
    }

    #[test]
    fn a_later_affected_statement_wins_and_other_versions_do_not_match() {
        let images = vec!["image:app:1".to_string()];
        let mut vex = Suppressions::default();
        vex.add_openvex(
            r#"{"statements": [
                {"vulnerability": "CVE-2023-45853", "products": ["image:app:1"], "status": "not_affected", "justification": "component_not_present"},
                {"vulnerability": "CVE-2023-45853", "products": ["image:app:1"], "status": "affected"}]}"#,
            "v.json",
        )
        .unwrap();
        assert!(vex.find(&subject(&[], &images), "2026-11-28").is_none());
        let mut versioned = Suppressions::default();
        versioned
            .add_openvex(
                r#"{"statements": [{"vulnerability": "CVE-2023-45853", "products": ["pkg:deb/debian/zlib1g@1:1.2.11"], "status": "fixed"}]}"#,
                "v.json",
            )
            .unwrap();
        assert!(versioned.find(&subject(&[], &images), "2026-11-28").is_none());
    }

    #[test]
    fn invalid_vex_is_a_clear_error() {
        let mut vex = Suppressions::default();
        let missing_reason = vex.add_openvex(r#"{"statements": [{"vulnerability": "CVE-1", "status": "not_affected"}]}"#, "v.json");
        assert!(missing_reason.unwrap_err().to_string().contains("justification"));
        let bad_status = vex.add_openvex(r#"{"statements": [{"vulnerability": "CVE-1", "status": "maybe"}]}"#, "v.json");
        assert!(bad_status.unwrap_err().to_string().contains("unknown status `maybe`"));
        assert!(vex.add_openvex("{", "v.json").is_err());
        let not_openvex = vex.add_openvex(r#"{"bomFormat": "CycloneDX", "vulnerabilities": []}"#, "bom.json");
        assert!(not_openvex.unwrap_err().to_string().contains("missing field `statements`"));
    }

    #[test]
    fn ignore_entries_need_a_reason_and_stop_at_their_expiry() {
        let images = vec!["image:app:1".to_string()];
        let mut list = Suppressions::default();
        list.add_ignore_toml(
            "[[vulnerabilities.ignore]]\nid = \"CVE-2023-45853\"\npackage = \"zlib\"\nreason = \"minizip unused\"\nexpires = \"2026-12-31\"\n",
            "ignore.toml",
        )
        .unwrap();
        let live = list.find(&subject(&[], &images), "2026-12-31").expect("still valid on its expiry day");
        assert_eq!((live.status.as_str(), live.reason.as_str()), ("ignored", "minizip unused"));
        assert!(list.find(&subject(&[], &images), "2027-01-01").is_none());
        assert_eq!(list.expired_for(&subject(&[], &images), "2027-01-01")[0].expires, "2026-12-31");
        assert!(list.expired_for(&subject(&[], &images), "2026-12-01").is_empty());

        let mut bad = Suppressions::default();
        assert!(bad.add_ignore_toml("[[ignore]]\nid = \"CVE-1\"\n", "i.toml").unwrap_err().to_string().contains("reason"));
        assert!(bad.add_ignore_toml("[[ignore]]\nid = \"CVE-1\"\nreason = \"x\"\nexpires = \"soon\"\n", "i.toml").is_err());
        assert!(bad.add_ignore_toml("[[ignore]]\nid = \"CVE-1\"\nreasn = \"x\"\n", "i.toml").is_err());
    }

    #[test]
    fn purls_compare_decoded_without_qualifiers() {
        assert!(purl_matches("pkg:pypi/Jinja2", "pkg:pypi/jinja2@2.11.2"));
        assert!(purl_matches("pkg:npm/%40babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0"));
        assert!(!purl_matches("pkg:npm/core", "pkg:npm/%40babel/core@7.0.0"));
        assert!(!purl_matches("not a purl", "pkg:npm/x@1"));
        assert_eq!(percent_decode("1%3A2%"), "1:2%");
    }
}
