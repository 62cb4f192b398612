//! SBOM documents over a package list: CycloneDX 1.6 JSON and SPDX 2.3 JSON, written with
//! serde_json values shaped by the specifications (validated against the official schemas in
//! the CLI tests).
//!
//! Each package carries its name, version, purl, licence as its database states it, source
//! package and version, the layer that installed it (index and diff ID) and the file that
//! records it; dependencies between packages are written where the database knows them
//! (CycloneDX `dependencies`, SPDX `DEPENDS_ON`).

use crate::Package;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// What the document describes and when it was made.
pub struct SbomSubject<'a> {
    /// The image as the user named it (`app:1`, `image.tar`).
    pub name: &'a str,
    /// RFC 3339 UTC timestamp.
    pub created: &'a str,
    pub tool_version: &'a str,
    /// Each layer's uncompressed digest (`sha256:…`) by layer index, where known.
    pub layer_digests: &'a [Option<String>],
    /// What could not be read (package databases in unread formats...), said in the document.
    pub notices: &'a [String],
}

/// The index of the package each package depends on, by the purl and database
/// ([`Package::database`]) it was resolved in.
fn dependency_indexes(packages: &[Package]) -> Vec<Vec<usize>> {
    let mut by_purl: HashMap<(&str, &str), usize> = HashMap::new();
    for (index, p) in packages.iter().enumerate() {
        by_purl.entry((p.database(), p.purl.as_str())).or_insert(index);
    }
    packages
        .iter()
        .map(|p| {
            let mut indexes: Vec<usize> =
                p.depends_on.iter().filter_map(|purl| by_purl.get(&(p.database(), purl.as_str())).copied()).collect();
            indexes.sort_unstable();
            indexes.dedup();
            indexes
        })
        .collect()
}

/// `(name, value)` facts rampart adds to each package: where it came from.
fn provenance(subject: &SbomSubject<'_>, p: &Package) -> Vec<(&'static str, String)> {
    let mut out = vec![("rampart:layer", p.layer.to_string())];
    if let Some(Some(digest)) = subject.layer_digests.get(p.layer) {
        out.push(("rampart:layer-diff-id", digest.clone()));
    }
    out.push(("rampart:found-in", p.found_in.clone()));
    if let Some(source) = &p.source {
        out.push(("rampart:source-package", source.clone()));
    }
    if let Some(version) = &p.source_version {
        out.push(("rampart:source-version", version.clone()));
    }
    out
}

/// A stable UUID (version 5 layout) from the subject and packages: the same image gives the
/// same serial number, so SBOMs diff cleanly.
fn stable_uuid(subject: &SbomSubject<'_>, packages: &[Package]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(subject.name.as_bytes());
    for package in packages {
        hasher.update(package.purl.as_bytes());
        hasher.update([0]);
    }
    let mut bytes: [u8; 16] = hasher.finalize()[..16].try_into().expect("32-byte digest");
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

pub fn cyclonedx(subject: &SbomSubject<'_>, packages: &[Package]) -> Value {
    let bom_ref = |index: usize| format!("pkg-{index}");
    let components: Vec<Value> = packages
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let properties: Vec<Value> =
                provenance(subject, p).into_iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
            let mut component = json!({
                "type": "library",
                "bom-ref": bom_ref(index),
                "name": p.name,
                "purl": p.purl,
                "properties": properties,
            });
            if !p.version.is_empty() {
                component["version"] = json!(p.version);
            }
            if let Some(license) = &p.license {
                // As the database states it, which need not be an SPDX expression.
                component["licenses"] = json!([{"license": {"name": license}}]);
            }
            component
        })
        .collect();
    let dependencies: Vec<Value> = dependency_indexes(packages)
        .into_iter()
        .enumerate()
        .filter(|(_, on)| !on.is_empty())
        .map(|(index, on)| json!({"ref": bom_ref(index), "dependsOn": on.into_iter().map(bom_ref).collect::<Vec<_>>()}))
        .collect();
    let mut metadata = json!({
        "timestamp": subject.created,
        "tools": {"components": [{"type": "application", "name": "rampart", "version": subject.tool_version}]},
        "component": {"type": "container", "bom-ref": "image", "name": subject.name},
    });
    if !subject.notices.is_empty() {
        metadata["properties"] = subject.notices.iter().map(|n| json!({"name": "rampart:notice", "value": n})).collect();
    }
    let mut bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", stable_uuid(subject, packages)),
        "version": 1,
        "metadata": metadata,
        "components": components,
    });
    if !dependencies.is_empty() {
        bom["dependencies"] = json!(dependencies);
    }
    bom
}

pub fn spdx(subject: &SbomSubject<'_>, packages: &[Package]) -> Value {
    let mut spdx_packages = vec![json!({
        "name": subject.name,
        "SPDXID": "SPDXRef-Image",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": "CONTAINER",
    })];
    let mut relationships =
        vec![json!({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Image"})];
    // SPDX IDs allow letters, digits, `.` and `-` only.
    let spdx_id = |index: usize| format!("SPDXRef-Package-{}-{index}", packages[index].ecosystem);
    for (index, p) in packages.iter().enumerate() {
        let id = spdx_id(index);
        let mut package = json!({
            "name": p.name,
            "SPDXID": id,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "sourceInfo": format!("installed by layer {} ({}), recorded in {}", p.layer, subject.layer_digests.get(p.layer).cloned().flatten().unwrap_or_else(|| "diff ID unknown".to_string()), p.found_in),
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": p.purl}],
            "annotations": [{
                "annotationType": "OTHER",
                "annotator": format!("Tool: rampart-{}", subject.tool_version),
                "annotationDate": subject.created,
                "comment": provenance(subject, p).into_iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("\n"),
            }],
        });
        if !p.version.is_empty() {
            package["versionInfo"] = json!(p.version);
        }
        if let Some(source) = &p.source {
            let version = p.source_version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
            package["comment"] = json!(format!("source package: {source}{version}"));
        }
        if let Some(license) = &p.license {
            // Not necessarily a valid SPDX expression (`GPLv2+`), so not `licenseDeclared`.
            package["licenseComments"] = json!(format!("license as the package database states it: {license}"));
        }
        spdx_packages.push(package);
        relationships.push(json!({"spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    for (index, on) in dependency_indexes(packages).into_iter().enumerate() {
        for other in on {
            relationships.push(json!({"spdxElementId": spdx_id(index), "relationshipType": "DEPENDS_ON", "relatedSpdxElement": spdx_id(other)}));
        }
    }
    let mut creation_info = json!({"created": subject.created, "creators": [format!("Tool: rampart-{}", subject.tool_version)]});
    if !subject.notices.is_empty() {
        creation_info["comment"] = json!(format!("Not read: {}", subject.notices.join("; ")));
    }
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": subject.name,
        "documentNamespace": format!("urn:uuid:{}", stable_uuid(subject, packages)),
        "creationInfo": creation_info,
        "packages": spdx_packages,
        "relationships": relationships,
    })
}
