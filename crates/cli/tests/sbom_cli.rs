//! `rampart sbom`: packages from dpkg, apk, Python and npm records in an image, written as
//! CycloneDX 1.6 (validated against the official schema, vendored in tests/schemas) and SPDX 2.3
//! (structure checked: no SPDX schema could be vendored, see tests/schemas/README.md).

use assert_cmd::Command;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    builder.append_data(&mut header, name, data).unwrap();
}

fn layer(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        append(&mut builder, name, data.as_bytes());
    }
    builder.into_inner().unwrap()
}

const STATUS_OLD: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\n";
const STATUS_NEW: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\n\
Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\n\n\
Package: removed\nStatus: deinstall ok config-files\nVersion: 1.0\n";

/// Three layers; the last rewrites the dpkg database, so the package list is the final one.
fn image_tar(dir: &Path) -> PathBuf {
    let layers = [
        layer(&[("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"), ("var/lib/dpkg/status", STATUS_OLD)]),
        layer(&[
            ("usr/lib/python3/dist-packages/Requests-2.31.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n\nbody"),
            ("app/node_modules/@babel/core/package.json", r#"{"name":"@babel/core","version":"7.24.0"}"#),
            ("app/node_modules/express/package.json", r#"{"name":"express","version":"4.19.2"}"#),
            ("app/package.json", r#"{"name":"my-app","version":"1.0.0"}"#),
        ]),
        layer(&[("var/lib/dpkg/status", STATUS_NEW)]),
    ];
    let mut image = tar::Builder::new(Vec::new());
    let mut names = Vec::new();
    for (i, data) in layers.iter().enumerate() {
        let name = format!("l{i}/layer.tar");
        append(&mut image, &name, data);
        names.push(name);
    }
    append(&mut image, "c.json", br#"{"config":{},"history":[{"created_by":"a"},{"created_by":"b"},{"created_by":"c"}]}"#);
    let manifest = serde_json::json!([{"Config": "c.json", "RepoTags": ["shop:2"], "Layers": names}]);
    append(&mut image, "manifest.json", &serde_json::to_vec(&manifest).unwrap());
    let path = dir.join("shop.tar");
    std::fs::write(&path, image.into_inner().unwrap()).unwrap();
    path
}

fn sbom(path: &Path, format: &str) -> Value {
    let output = Command::cargo_bin("rampart").unwrap().args(["sbom", "--format", format]).arg(path).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn cyclonedx_validator() -> jsonschema::Validator {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    let load = |name: &str| -> Value { serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap() };
    jsonschema::options()
        .with_resource(
            "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
            jsonschema::Resource::from_contents(load("spdx.SNAPSHOT.schema.json")).unwrap(),
        )
        .with_resource(
            "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
            jsonschema::Resource::from_contents(load("jsf-0.82.SNAPSHOT.schema.json")).unwrap(),
        )
        .build(&load("bom-1.6.SNAPSHOT.schema.json"))
        .expect("the official schema compiles")
}

#[test]
fn cyclonedx_lists_the_final_packages_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let bom = sbom(&image_tar(dir.path()), "cyclonedx");
    let validator = cyclonedx_validator();
    let errors: Vec<String> = validator.iter_errors(&bom).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "CycloneDX output violates the 1.6 schema:\n{}", errors.join("\n"));
    let purls: Vec<&str> = bom["components"].as_array().unwrap().iter().map(|c| c["purl"].as_str().unwrap()).collect();
    assert_eq!(
        purls,
        [
            "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12",
            "pkg:npm/%40babel/core@7.24.0",
            "pkg:npm/express@4.19.2",
            "pkg:pypi/requests@2.31.0",
        ]
    );
    let libc = &bom["components"][1];
    let property = |name: &str| libc["properties"].as_array().unwrap().iter().find(|p| p["name"] == name).map(|p| p["value"].clone());
    assert_eq!(property("rampart:layer"), Some(Value::from("2")));
    assert_eq!(property("rampart:source-package"), Some(Value::from("glibc")));
    assert_eq!(bom["metadata"]["component"]["name"], "shop:2");
    // The same image gives the same serial number.
    assert_eq!(bom["serialNumber"], sbom(&image_tar(dir.path()), "cyclonedx")["serialNumber"]);
    // The schema check can fail.
    let mut broken = bom.clone();
    broken["components"][0]["type"] = Value::from("not-a-type");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn spdx_document_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sbom(&image_tar(dir.path()), "spdx");
    assert_eq!(doc["spdxVersion"], "SPDX-2.3");
    assert_eq!(doc["dataLicense"], "CC0-1.0");
    assert_eq!(doc["SPDXID"], "SPDXRef-DOCUMENT");
    assert!(doc["documentNamespace"].as_str().unwrap().starts_with("urn:uuid:"));
    assert!(doc["creationInfo"]["created"].as_str().unwrap().ends_with('Z'));
    let packages = doc["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 6, "the image and five packages");
    let ids: HashSet<&str> = packages.iter().map(|p| p["SPDXID"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), packages.len(), "unique SPDX IDs");
    for package in packages {
        let id = package["SPDXID"].as_str().unwrap();
        assert!(id.starts_with("SPDXRef-") && id[8..].chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'), "{id}");
        assert_eq!(package["downloadLocation"], "NOASSERTION");
    }
    let relationships = doc["relationships"].as_array().unwrap();
    assert_eq!(relationships.len(), 6);
    for relationship in relationships {
        assert!(ids.contains(relationship["relatedSpdxElement"].as_str().unwrap()));
    }
}
