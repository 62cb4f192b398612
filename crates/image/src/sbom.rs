//! SBOM documents over a package list: CycloneDX 1.6 JSON and SPDX 2.3 JSON, written with
//! serde_json values shaped by the specifications (validated against the official CycloneDX
//! schema in the CLI tests).

use crate::Package;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// What the document describes and when it was made.
pub struct SbomSubject<'a> {
    /// The image as the user named it (`app:1`, `image.tar`).
    pub name: &'a str,
    /// RFC 3339 UTC timestamp.
    pub created: &'a str,
    pub tool_version: &'a str,
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
    let components: Vec<Value> = packages
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let mut properties = vec![
                json!({"name": "rampart:layer", "value": p.layer.to_string()}),
                json!({"name": "rampart:found-in", "value": p.found_in}),
            ];
            if let Some(source) = &p.source {
                properties.push(json!({"name": "rampart:source-package", "value": source}));
            }
            json!({
                "type": "library",
                "bom-ref": format!("pkg-{index}"),
                "name": p.name,
                "version": p.version,
                "purl": p.purl,
                "properties": properties,
            })
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", stable_uuid(subject, packages)),
        "version": 1,
        "metadata": {
            "timestamp": subject.created,
            "tools": {"components": [{"type": "application", "name": "rampart", "version": subject.tool_version}]},
            "component": {"type": "container", "bom-ref": "image", "name": subject.name},
        },
        "components": components,
    })
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
    for (index, p) in packages.iter().enumerate() {
        let id = format!("SPDXRef-Package-{}-{index}", p.ecosystem);
        let mut package = json!({
            "name": p.name,
            "SPDXID": id,
            "versionInfo": p.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "sourceInfo": format!("layer {} ({})", p.layer, p.found_in),
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": p.purl}],
        });
        if let Some(source) = &p.source {
            package["comment"] = json!(format!("source package: {source}"));
        }
        spdx_packages.push(package);
        relationships.push(json!({"spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": subject.name,
        "documentNamespace": format!("urn:uuid:{}", stable_uuid(subject, packages)),
        "creationInfo": {"created": subject.created, "creators": [format!("Tool: rampart-{}", subject.tool_version)]},
        "packages": spdx_packages,
        "relationships": relationships,
    })
}
