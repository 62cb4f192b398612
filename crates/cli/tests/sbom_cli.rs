//! `rampart sbom`: packages from dpkg, apk, rpm (sqlite and Berkeley DB), Python and npm records and Go binaries in an
//! image, written as CycloneDX 1.6 and SPDX 2.3, each validated against its official JSON schema
//! (vendored in tests/schemas, see its README).

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
    let files: Vec<(&str, &[u8])> = files.iter().map(|(name, data)| (*name, data.as_bytes())).collect();
    binary_layer(&files)
}

fn binary_layer(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in files {
        append(&mut builder, name, data);
    }
    builder.into_inner().unwrap()
}

/// A `docker save` tar (legacy layout) of `layers`, tagged `tag`.
fn save_tar(path: &Path, tag: &str, layers: &[Vec<u8>]) {
    let mut image = tar::Builder::new(Vec::new());
    let mut names = Vec::new();
    for (i, data) in layers.iter().enumerate() {
        let name = format!("l{i}/layer.tar");
        append(&mut image, &name, data);
        names.push(name);
    }
    let history: Vec<Value> = (0..layers.len()).map(|i| serde_json::json!({"created_by": format!("step {i}")})).collect();
    append(&mut image, "c.json", &serde_json::to_vec(&serde_json::json!({"config": {}, "history": history})).unwrap());
    let manifest = serde_json::json!([{"Config": "c.json", "RepoTags": [tag], "Layers": names}]);
    append(&mut image, "manifest.json", &serde_json::to_vec(&manifest).unwrap());
    std::fs::write(path, image.into_inner().unwrap()).unwrap();
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
    let path = dir.join("shop.tar");
    save_tar(&path, "shop:2", &layers);
    path
}

fn sbom(path: &Path, format: &str) -> Value {
    sbom_and_stderr(path, format).0
}

fn sbom_and_stderr(path: &Path, format: &str) -> (Value, String) {
    let output = Command::cargo_bin("rampart").unwrap().args(["sbom", "--format", format]).arg(path).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (serde_json::from_slice(&output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn assert_valid_cyclonedx(bom: &Value) {
    let errors: Vec<String> = cyclonedx_validator().iter_errors(bom).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "CycloneDX output violates the 1.6 schema:\n{}", errors.join("\n"));
}

fn component<'a>(bom: &'a Value, purl: &str) -> &'a Value {
    bom["components"].as_array().unwrap().iter().find(|c| c["purl"] == purl).unwrap_or_else(|| panic!("no component {purl} in {bom:#}"))
}

fn property(component: &Value, name: &str) -> Option<String> {
    component["properties"].as_array()?.iter().find(|p| p["name"] == name).and_then(|p| p["value"].as_str()).map(str::to_string)
}

/// The official SPDX 2.3 JSON schema (tests/schemas/README.md says where it comes from).
fn spdx_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/spdx-2.3.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options().build(&schema).expect("the official schema compiles")
}

fn assert_valid_spdx(doc: &Value) {
    let errors: Vec<String> = spdx_validator().iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "SPDX output violates the 2.3 schema:\n{}", errors.join("\n"));
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
fn spdx_document_validates_and_is_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = sbom(&image_tar(dir.path()), "spdx");
    assert_valid_spdx(&doc);
    // The schema check can fail.
    let mut broken = doc.clone();
    broken["packages"][1]["externalRefs"][0]["referenceCategory"] = Value::from("NOT-A-CATEGORY");
    assert!(!spdx_validator().is_valid(&broken));
    broken = doc.clone();
    broken.as_object_mut().unwrap().remove("documentNamespace");
    assert!(!spdx_validator().is_valid(&broken));
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

/// The sqlite rpmdb rpm itself wrote (crates/image/fixtures/rpm, see its README).
fn rpmdb_fixture() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../image/fixtures/rpm/rpmdb.sqlite")).unwrap()
}

#[test]
fn rpm_packages_from_the_sqlite_database_with_epoch_source_and_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fedora.tar");
    let db = rpmdb_fixture();
    save_tar(
        &path,
        "fedora-app:1",
        &[
            layer(&[("etc/os-release", "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=40\n")]),
            // Fedora's place for it; /var/lib/rpm is a symlink there.
            binary_layer(&[("usr/lib/sysimage/rpm/rpmdb.sqlite", &db)]),
        ],
    );
    let (bom, stderr) = sbom_and_stderr(&path, "cyclonedx");
    assert!(stderr.is_empty(), "{stderr}");
    assert_valid_cyclonedx(&bom);
    let hello = component(&bom, "pkg:rpm/fedora/rampart-hello@1.4.2-3.fc40?arch=x86_64&epoch=2&distro=fedora-40");
    assert_eq!(hello["version"], "2:1.4.2-3.fc40");
    assert_eq!(hello["licenses"][0]["license"]["name"], "MIT AND Apache-2.0");
    assert_eq!(property(hello, "rampart:layer").as_deref(), Some("1"));
    assert_eq!(property(hello, "rampart:found-in").as_deref(), Some("/usr/lib/sysimage/rpm/rpmdb.sqlite"));
    let tools = component(&bom, "pkg:rpm/fedora/rampart-hello-tools@1.4.2-3.fc40?arch=x86_64&epoch=2&distro=fedora-40");
    assert_eq!(property(tools, "rampart:source-package").as_deref(), Some("rampart-hello"));
    assert_eq!(property(tools, "rampart:source-version"), None, "same version-release as the source");
    component(&bom, "pkg:rpm/fedora/rampart-noarch@0.9-1?arch=noarch&distro=fedora-40");
    assert_eq!(bom["components"].as_array().unwrap().len(), 3);
    // rampart-hello-tools requires rampart-hello: the one dependency rpm recorded between them.
    assert_eq!(bom["dependencies"], serde_json::json!([{"ref": tools["bom-ref"], "dependsOn": [hello["bom-ref"]]}]));

    let doc = sbom(&path, "spdx");
    assert_valid_spdx(&doc);
    let relationships = doc["relationships"].as_array().unwrap();
    let depends: Vec<&Value> = relationships.iter().filter(|r| r["relationshipType"] == "DEPENDS_ON").collect();
    assert_eq!(depends.len(), 1);
    let name_of = |id: &Value| doc["packages"].as_array().unwrap().iter().find(|p| p["SPDXID"] == *id).unwrap()["name"].clone();
    assert_eq!((name_of(&depends[0]["spdxElementId"]), name_of(&depends[0]["relatedSpdxElement"])), ("rampart-hello-tools".into(), "rampart-hello".into()));
}

/// The Berkeley DB rpmdb of RHEL/UBI 8, CentOS 7 and Amazon Linux 2 (fixture written by Berkeley
/// DB's own db_load and read back by rpm, see crates/image/fixtures/rpm/README.md).
#[test]
fn rpm_packages_from_a_berkeley_db_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ubi8.tar");
    let db = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../image/fixtures/rpm/Packages")).unwrap();
    save_tar(&path, "ubi8:1", &[layer(&[("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"8.10\"\n")]), binary_layer(&[("var/lib/rpm/Packages", &db)])]);
    let (bom, stderr) = sbom_and_stderr(&path, "cyclonedx");
    assert!(stderr.is_empty(), "{stderr}");
    assert_valid_cyclonedx(&bom);
    let tools = component(&bom, "pkg:rpm/rhel/rampart-hello-tools@1.4.2-3.fc40?arch=x86_64&epoch=2&distro=rhel-8.10");
    assert_eq!(property(tools, "rampart:found-in").as_deref(), Some("/var/lib/rpm/Packages"));
    assert_eq!(bom["components"].as_array().unwrap().len(), 3);
    assert_eq!(bom["dependencies"].as_array().unwrap().len(), 1);
    assert_valid_spdx(&sbom(&path, "spdx"));
}

#[test]
fn an_rpm_database_that_is_not_read_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    // SUSE's ndb database is not read: said on stderr and in the document.
    let path = dir.path().join("suse.tar");
    save_tar(&path, "suse:15", &[layer(&[("etc/os-release", "ID=\"opensuse-leap\"\nVERSION_ID=\"15.6\"\n")]), binary_layer(&[("usr/lib/sysimage/rpm/Packages.db", b"RpmP....")])]);
    let (bom, stderr) = sbom_and_stderr(&path, "cyclonedx");
    assert!(stderr.contains("/usr/lib/sysimage/rpm/Packages.db: an rpm database in ndb format, which is not read"), "{stderr}");
    assert_valid_cyclonedx(&bom);
    assert_eq!(bom["components"].as_array().unwrap().len(), 0);
    assert_valid_spdx(&sbom(&path, "spdx"));
    let notice = &bom["metadata"]["properties"][0];
    assert_eq!(notice["name"], "rampart:notice");
    assert!(notice["value"].as_str().unwrap().contains("ndb"));
    // Databases that are not what their name says: a notice each, never a crash.
    let broken = dir.path().join("broken.tar");
    save_tar(
        &broken,
        "broken:1",
        &[binary_layer(&[("var/lib/rpm/rpmdb.sqlite", b"SQLite format 3\0 but cut here"), ("var/lib/rpm/Packages", &[0u8; 4096])])],
    );
    let (bom, stderr) = sbom_and_stderr(&broken, "cyclonedx");
    assert!(stderr.contains("/var/lib/rpm/rpmdb.sqlite: not a readable sqlite rpmdb"), "{stderr}");
    assert!(stderr.contains("/var/lib/rpm/Packages: not a readable Berkeley DB rpmdb"), "{stderr}");
    assert_eq!(bom["components"].as_array().unwrap().len(), 0);
}

/// Where a command is installed (`PATH`, then the sbin directories root's PATH has).
fn installed(command: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path.split(':').chain(["/usr/sbin", "/usr/bin", "/sbin", "/bin"]).map(|dir| Path::new(dir).join(command)).find(|p| p.is_file());
    found
}

/// Go build information read from real Go binaries: Debian's docker.io brings runc and dockerd,
/// which the live tests install (scripts/test.sh). runc's main package is
/// github.com/opencontainers/runc, and the Go version in its build information is also the
/// runtime's `runtime.buildVersion` string, elsewhere in the binary.
#[test]
fn go_build_information_of_real_binaries() {
    if std::env::var("RAMPART_TEST_DOCKER_HOST").map_or(true, |h| h.is_empty()) {
        if std::env::var("RAMPART_SKIP_LIVE").as_deref() == Ok("1") {
            eprintln!("RAMPART_SKIP_LIVE=1: the Go binary test was skipped");
            return;
        }
        panic!("the Go binary test reads the runc and dockerd that docker.io installs: run `bash scripts/test.sh` as root, or set RAMPART_SKIP_LIVE=1");
    }
    let runc = installed("runc").expect("runc is installed with docker.io");
    let dockerd = installed("dockerd").expect("dockerd is installed");
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("usr/bin")).unwrap();
    std::fs::copy(&runc, root.path().join("usr/bin/runc")).unwrap();
    std::fs::copy(&dockerd, root.path().join("usr/bin/dockerd")).unwrap();
    let (bom, stderr) = sbom_and_stderr(root.path(), "cyclonedx");
    assert_valid_cyclonedx(&bom);
    assert_valid_spdx(&sbom(root.path(), "spdx"));
    let components = bom["components"].as_array().unwrap();
    let from = |file: &str| -> Vec<&Value> { components.iter().filter(|c| property(c, "rampart:found-in").as_deref() == Some(file)).collect() };

    let runc_packages = from("/usr/bin/runc");
    let main = runc_packages.iter().find(|c| c["name"] == "github.com/opencontainers/runc").unwrap_or_else(|| panic!("{runc_packages:#?}"));
    assert!(main["purl"].as_str().unwrap().starts_with("pkg:golang/github.com/opencontainers/runc"));
    let stdlib = runc_packages.iter().find(|c| c["name"] == "stdlib").expect("the Go standard library");
    let go_version = format!("go{}", stdlib["version"].as_str().unwrap());
    let binary = std::fs::read(&runc).unwrap();
    let occurrences = binary.windows(go_version.len()).filter(|w| *w == go_version.as_bytes()).count();
    assert!(occurrences >= 2, "{go_version} in the build information and as runtime.buildVersion: found {occurrences}");
    let main_ref = &main["bom-ref"];
    let main_depends = bom["dependencies"].as_array().unwrap().iter().find(|d| d["ref"] == *main_ref).expect("main module's dependencies");
    assert!(main_depends["dependsOn"].as_array().unwrap().contains(&stdlib["bom-ref"]));

    // dockerd is a Go binary too: listed, or said not to be read; never silently nothing.
    assert!(!from("/usr/bin/dockerd").is_empty() || stderr.contains("/usr/bin/dockerd: a Go binary"), "{stderr}");
}

/// Distroless images keep one dpkg record per file in status.d: dependencies still resolve
/// across those files, which together are one database.
#[test]
fn distroless_status_d_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("distroless.tar");
    save_tar(
        &path,
        "distroless:12",
        &[layer(&[
            ("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
            ("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\nSource: glibc\n"),
            ("var/lib/dpkg/status.d/libssl3", "Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nSource: openssl\nDepends: libc6 (>= 2.34)\n"),
            ("var/lib/dpkg/status.d/libssl3.md5sums", "0123  usr/lib/x86_64-linux-gnu/libssl.so.3\n"),
        ])],
    );
    let bom = sbom(&path, "cyclonedx");
    assert_valid_cyclonedx(&bom);
    let libc = component(&bom, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12");
    let libssl = component(&bom, "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12");
    assert_eq!(property(libssl, "rampart:source-package").as_deref(), Some("openssl"));
    assert_eq!(bom["dependencies"], serde_json::json!([{"ref": libssl["bom-ref"], "dependsOn": [libc["bom-ref"]]}]));
    let doc = sbom(&path, "spdx");
    assert_valid_spdx(&doc);
    assert_eq!(doc["relationships"].as_array().unwrap().iter().filter(|r| r["relationshipType"] == "DEPENDS_ON").count(), 1);
}
