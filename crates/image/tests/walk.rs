//! The walker over small images built in memory: layouts, compression, whiteouts, links, and
//! bad input (each bad case must be a clear error, never a panic).

use rampart_image::{read_image_stream, EntryKind, EntryMeta, HiddenHow, ImageError, Limits, NoContent, Visitor};
use std::io::Write;

/// A layer entry for the builder.
enum E<'a> {
    File(&'a str, &'a [u8], u32),
    Dir(&'a str, u32),
    Symlink(&'a str, &'a str),
    Hardlink(&'a str, &'a str),
}

fn layer_tar(entries: &[E<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        match entry {
            E::File(path, data, mode) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(data.len() as u64);
                header.set_mode(*mode);
                builder.append_data(&mut header, path, *data).unwrap();
            }
            E::Dir(path, mode) => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                header.set_mode(*mode);
                builder.append_data(&mut header, path, &[][..]).unwrap();
            }
            E::Symlink(path, target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder.append_link(&mut header, path, target).unwrap();
            }
            E::Hardlink(path, target) => {
                header.set_entry_type(tar::EntryType::Link);
                header.set_size(0);
                builder.append_link(&mut header, path, target).unwrap();
            }
        }
    }
    builder.into_inner().unwrap()
}

/// Writes a raw header with an arbitrary name (the tar builder refuses `..`).
fn raw_entry_tar(name: &str, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut out = header.as_bytes().to_vec();
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512 + 1024, 0);
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn gzip_best(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

fn config_json(layers: usize, commands: &[&str]) -> Vec<u8> {
    let history: Vec<_> = commands.iter().map(|c| serde_json::json!({"created_by": c})).collect();
    let diff_ids: Vec<_> = (0..layers).map(|i| format!("sha256:{:064x}", i)).collect();
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"User": "app", "Env": ["PATH=/bin"], "ExposedPorts": {"22/tcp": {}}, "Labels": null},
        "history": history,
        "rootfs": {"type": "layers", "diff_ids": diff_ids}
    }))
    .unwrap()
}

/// A legacy `docker save` tar: `<n>/layer.tar`, `config.json`, then `manifest.json` last, as
/// Docker writes it (so the walker must keep layers until it knows their order).
fn legacy_save(layers: &[Vec<u8>], commands: &[&str]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut names = Vec::new();
    // Stored in reverse so the stream order differs from the image order.
    for (i, layer) in layers.iter().enumerate().rev() {
        let name = format!("layer{i}/layer.tar");
        append(&mut builder, &name, layer);
        names.push((i, name));
    }
    names.sort();
    append(&mut builder, "cfg.json", &config_json(layers.len(), commands));
    let manifest = serde_json::json!([{"Config": "cfg.json", "RepoTags": ["demo:1"], "Layers": names.iter().map(|(_, n)| n).collect::<Vec<_>>()}]);
    append(&mut builder, "manifest.json", &serde_json::to_vec(&manifest).unwrap());
    builder.into_inner().unwrap()
}

/// An OCI archive (what newer `docker save` and `buildx --output type=oci` write), without
/// `manifest.json`: index.json -> manifest blob -> config and layer blobs.
fn oci_archive(layers: &[Vec<u8>], commands: &[&str]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let digest = |i: usize| format!("{:064x}", 0x1000 + i);
    let config = config_json(layers.len(), commands);
    append(&mut builder, "blobs/sha256/cccc", &config);
    let layer_descriptors: Vec<_> = (0..layers.len())
        .map(|i| serde_json::json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{}", digest(i)), "size": layers[i].len()}))
        .collect();
    for (i, layer) in layers.iter().enumerate() {
        append(&mut builder, &format!("blobs/sha256/{}", digest(i)), layer);
    }
    let manifest = serde_json::json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:cccc", "size": config.len()},
        "layers": layer_descriptors});
    append(&mut builder, "blobs/sha256/aaaa", &serde_json::to_vec(&manifest).unwrap());
    let index = serde_json::json!({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:bbbb", "platform": {"os": "unknown", "architecture": "unknown"}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:aaaa", "platform": {"os": "linux", "architecture": "amd64"},
         "annotations": {"io.containerd.image.name": "docker.io/library/demo:1"}}]});
    append(&mut builder, "index.json", &serde_json::to_vec(&index).unwrap());
    append(&mut builder, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    builder.into_inner().unwrap()
}

fn append(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    builder.append_data(&mut header, name, data).unwrap();
}

fn read(bytes: &[u8]) -> Result<rampart_image::Image, ImageError> {
    read_image_stream(bytes, "test.tar", &Limits::default(), &mut NoContent)
}

fn three_layers(compress: fn(&[u8]) -> Vec<u8>) -> Vec<Vec<u8>> {
    vec![
        compress(&layer_tar(&[E::Dir("etc", 0o755), E::File("etc/os-release", b"ID=test\n", 0o644), E::Dir("tmp", 0o1777)])),
        compress(&layer_tar(&[E::Dir("app", 0o755), E::File("app/key.pem", b"-----BEGIN PRIVATE KEY-----", 0o600), E::File("app/run", b"x", 0o4755)])),
        compress(&layer_tar(&[E::File("app/.wh.key.pem", b"", 0o644), E::Symlink("app/link", "../../../etc/os-release")])),
    ]
}

#[test]
fn legacy_and_oci_layouts_give_the_same_file_system() {
    let commands = ["ADD rootfs /", "COPY key.pem /app/", "RUN rm /app/key.pem"];
    for compress in [(|d: &[u8]| d.to_vec()) as fn(&[u8]) -> Vec<u8>, gzip, zstd] {
        for bytes in [legacy_save(&three_layers(compress), &commands), oci_archive(&three_layers(compress), &commands)] {
            let image = read(&bytes).unwrap();
            assert_eq!(image.layers.len(), 3);
            assert!(image.fs.get("etc/os-release").is_some());
            assert!(image.fs.get("app/key.pem").is_none(), "the whiteout removes the key");
            let run = image.fs.get("app/run").unwrap();
            assert_eq!(run.mode, 0o4755);
            assert_eq!(run.layer, 1);
            assert_eq!(image.fs.get("tmp").unwrap().mode, 0o1777);
            assert_eq!(image.hidden.len(), 1, "{:?}", image.hidden);
            let key = &image.hidden[0];
            assert_eq!((key.path.as_str(), key.added_in, key.hidden_in, key.how), ("app/key.pem", 1, 2, HiddenHow::Deleted));
            assert_eq!(image.layers[1].created_by.as_deref(), Some("COPY key.pem /app/"));
            assert_eq!(image.config.as_ref().unwrap().config.user.as_deref(), Some("app"));
            // The symlink climbs above the root: inside the image it stops there.
            assert_eq!(image.fs.resolve("app/link").as_deref(), Some("etc/os-release"));
        }
    }
}

#[test]
fn tags_come_from_either_layout() {
    let commands = ["a", "b", "c"];
    assert_eq!(read(&legacy_save(&three_layers(gzip), &commands)).unwrap().tags, ["demo:1"]);
    assert_eq!(read(&oci_archive(&three_layers(gzip), &commands)).unwrap().tags, ["docker.io/library/demo:1"]);
}

#[test]
fn opaque_directory_hides_lower_content_but_not_its_own_layer() {
    let layers = vec![
        layer_tar(&[E::Dir("data", 0o755), E::File("data/old", b"1", 0o644), E::Dir("data/sub", 0o755), E::File("data/sub/deep", b"2", 0o644)]),
        layer_tar(&[E::Dir("data", 0o755), E::File("data/new", b"3", 0o644), E::File("data/.wh..wh..opq", b"", 0o644)]),
    ];
    let image = read(&legacy_save(&layers, &["a", "b"])).unwrap();
    let paths: Vec<&str> = image.fs.iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["data", "data/new"]);
    let hidden: Vec<&str> = image.hidden.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(hidden, ["data/old", "data/sub/deep"]);
}

#[test]
fn replaced_files_and_files_replacing_directories_are_recorded() {
    let layers = vec![
        layer_tar(&[E::File("a", b"old", 0o644), E::Dir("d", 0o755), E::File("d/inner", b"x", 0o644)]),
        layer_tar(&[E::File("a", b"new", 0o644), E::File("d", b"now a file", 0o644), E::Hardlink("b", "a")]),
    ];
    let image = read(&legacy_save(&layers, &["a", "b"])).unwrap();
    let hidden: Vec<_> = image.hidden.iter().map(|h| (h.path.as_str(), h.how)).collect();
    assert_eq!(hidden, [("a", HiddenHow::Replaced), ("d/inner", HiddenHow::Deleted)]);
    assert_eq!(image.fs.get("d").unwrap().kind, EntryKind::File);
    let link = image.fs.get("b").unwrap();
    assert_eq!((link.kind, link.link.as_deref(), link.size), (EntryKind::Hardlink, Some("a"), 3));
}

#[test]
fn long_names_and_pax_headers() {
    let long = format!("{}/file.txt", "d".repeat(300));
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(2);
    header.set_mode(0o644);
    builder.append_data(&mut header, &long, &b"hi"[..]).unwrap(); // GNU long name
    let pax_name = format!("{}/pax.txt", "p".repeat(200));
    builder.append_pax_extensions([("path", pax_name.as_bytes())]).unwrap();
    let mut header = tar::Header::new_ustar();
    header.set_path("short-placeholder").unwrap();
    header.set_size(1);
    header.set_mode(0o600);
    header.set_cksum();
    builder.append(&header, &b"x"[..]).unwrap();
    let layer = builder.into_inner().unwrap();
    let image = read(&legacy_save(&[layer], &["a"])).unwrap();
    assert!(image.fs.get(&long).is_some());
    assert_eq!(image.fs.get(&pax_name).map(|e| e.mode), Some(0o600));
    assert!(image.fs.get("short-placeholder").is_none());
}

#[derive(Default)]
struct Collect {
    seen: Vec<(String, String, bool)>,
}

impl Visitor for Collect {
    fn wants(&mut self, _layer: &str, entry: &EntryMeta) -> bool {
        entry.path.ends_with(".pem") || entry.path == "big"
    }
    fn file(&mut self, layer: &str, entry: &EntryMeta, content: &[u8], truncated: bool) {
        self.seen.push((layer.to_string(), format!("{}={}", entry.path, String::from_utf8_lossy(content)), truncated));
    }
}

#[test]
fn visitor_gets_wanted_content_capped_including_deleted_files() {
    let mut layers = three_layers(gzip);
    layers.push(layer_tar(&[E::File("big", &[b'z'; 100], 0o644)]));
    let bytes = legacy_save(&layers, &["a", "b", "c", "d"]);
    let mut visitor = Collect::default();
    let limits = Limits { max_file_read: 10, ..Limits::default() };
    let image = read_image_stream(&bytes[..], "t", &limits, &mut visitor).unwrap();
    visitor.seen.sort();
    assert_eq!(visitor.seen.len(), 2);
    assert_eq!(visitor.seen[0], ("layer1/layer.tar".to_string(), "app/key.pem=-----BEGIN".to_string(), true));
    assert_eq!(visitor.seen[1], ("layer3/layer.tar".to_string(), "big=zzzzzzzzzz".to_string(), true));
    assert_eq!(image.layer_by_key("layer1/layer.tar"), [1]);
}

// ---- bad input: clear errors ----

#[test]
fn a_tar_that_is_not_an_image() {
    let bytes = layer_tar(&[E::File("readme.txt", b"hello", 0o644)]);
    assert!(matches!(read(&bytes), Err(ImageError::NotAnImage(_))));
    assert!(read(b"not a tar at all, just text that goes on for a while").is_err());
}

#[test]
fn manifest_naming_a_missing_layer() {
    let mut builder = tar::Builder::new(Vec::new());
    append(&mut builder, "cfg.json", &config_json(1, &["a"]));
    append(&mut builder, "manifest.json", br#"[{"Config":"cfg.json","Layers":["gone/layer.tar"]}]"#);
    let err = read(&builder.into_inner().unwrap()).unwrap_err();
    assert!(matches!(&err, ImageError::MissingBlob { name } if name == "gone/layer.tar"), "{err}");
}

#[test]
fn dotdot_in_a_layer_is_refused_and_absolute_paths_normalised() {
    let bad = raw_entry_tar("../../etc/cron.d/x", b"boom");
    let err = read(&legacy_save(&[bad], &["a"])).unwrap_err();
    assert!(matches!(&err, ImageError::UnsafePath { path, .. } if path == "../../etc/cron.d/x"), "{err}");
    let absolute = raw_entry_tar("/etc/abs", b"ok");
    let image = read(&legacy_save(&[absolute], &["a"])).unwrap();
    assert!(image.fs.get("etc/abs").is_some());
    let hard = layer_tar(&[E::File("a", b"1", 0o644)]);
    let mut hard_escape = hard[..hard.len() - 1024].to_vec();
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..1].copy_from_slice(b"b");
    header.as_old_mut().linkname[..9].copy_from_slice(b"../../etc");
    header.set_entry_type(tar::EntryType::Link);
    header.set_size(0);
    header.set_cksum();
    hard_escape.extend_from_slice(header.as_bytes());
    hard_escape.resize(hard_escape.len() + 1024, 0);
    assert!(matches!(read(&legacy_save(&[hard_escape], &["a"])), Err(ImageError::UnsafePath { .. })));
}

#[test]
fn truncated_layers_are_errors() {
    let layer = gzip(&layer_tar(&[E::File("f", &[7u8; 5000], 0o644)]));
    let cut = layer[..layer.len() / 2].to_vec();
    let err = read(&legacy_save(&[cut], &["a"])).unwrap_err();
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err}");
    // An uncompressed layer cut inside a file's data.
    let plain = layer_tar(&[E::File("f", &[7u8; 5000], 0o644)]);
    let err = read(&legacy_save(&[plain[..2048].to_vec()], &["a"])).unwrap_err();
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err}");
    // The whole archive cut in the middle of a layer blob.
    let whole = legacy_save(&[plain], &["a"]);
    let err = read(&whole[..3000]).unwrap_err();
    assert!(matches!(err, ImageError::Corrupt { .. }), "{err}");
}

#[test]
fn gzip_bomb_and_size_limits() {
    let zeros = vec![0u8; 64 << 20];
    let bomb = gzip_best(&layer_tar(&[E::File("zeros", &zeros, 0o644)]));
    assert!(bomb.len() < (1 << 20), "the bomb compresses well: {}", bomb.len());
    let err = read(&legacy_save(std::slice::from_ref(&bomb), &["a"])).unwrap_err();
    assert!(matches!(err, ImageError::LimitExceeded { what: "decompression ratio", .. }), "{err}");
    let limits = Limits { max_compression_ratio: u64::MAX, max_layer_bytes: 1 << 20, ..Limits::default() };
    let err = read_image_stream(&legacy_save(&[bomb], &["a"])[..], "t", &limits, &mut NoContent).unwrap_err();
    assert!(matches!(err, ImageError::LimitExceeded { what: "uncompressed layer size", .. }), "{err}");
    let many: Vec<E<'_>> = (0..50).map(|_| E::Dir("d", 0o755)).collect();
    let limits = Limits { max_entries: 20, ..Limits::default() };
    let err = read_image_stream(&legacy_save(&[layer_tar(&many)], &["a"])[..], "t", &limits, &mut NoContent).unwrap_err();
    assert!(matches!(err, ImageError::LimitExceeded { what: "number of entries", .. }), "{err}");
}

#[test]
fn bad_json_and_bad_digests() {
    let mut builder = tar::Builder::new(Vec::new());
    append(&mut builder, "manifest.json", b"{ not json");
    let err = read(&builder.into_inner().unwrap()).unwrap_err();
    assert!(matches!(err, ImageError::BadJson { .. }), "{err}");
    let mut builder = tar::Builder::new(Vec::new());
    append(&mut builder, "index.json", br#"{"manifests":[{"digest":"sha256:../../etc/passwd"}]}"#);
    let err = read(&builder.into_inner().unwrap()).unwrap_err();
    assert!(matches!(err, ImageError::BadJson { .. }), "{err}");
}

#[test]
fn rootfs_directory_and_oci_layout_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/os-release"), "ID=alpine\n").unwrap();
    std::os::unix::fs::symlink("/../../../../etc/shadow", root.join("escape")).unwrap();
    let image = rampart_image::open(&root, &Limits::default(), &mut NoContent).unwrap();
    assert!(image.config.is_none());
    assert_eq!(image.fs.get("escape").unwrap().kind, EntryKind::Symlink);
    assert_eq!(image.fs.resolve("escape"), None, "dangling inside the image, never the host's file");
    // An OCI layout directory: the archive unpacked.
    let archive = oci_archive(&three_layers(gzip), &["a", "b", "c"]);
    let layout = dir.path().join("layout");
    tar::Archive::new(&archive[..]).unpack(&layout).unwrap();
    let image = rampart_image::open(&layout, &Limits::default(), &mut NoContent).unwrap();
    assert_eq!(image.hidden.len(), 1);
    std::fs::remove_file(layout.join(format!("blobs/sha256/{:064x}", 0x1001))).unwrap();
    let err = rampart_image::open(&layout, &Limits::default(), &mut NoContent).unwrap_err();
    assert!(matches!(err, ImageError::MissingBlob { .. }), "{err}");
}
