//! Feeds arbitrary bytes to the image reader: as a whole image tar (outer archive, manifests,
//! JSON), and wrapped as the one layer of a well-formed `docker save` tar so the layer walker
//! (decompression, tar headers, whiteouts) is reached on every input. Nothing may panic; what
//! is read must stay inside the image root and within the limits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rampart_image::{read_image_stream, EntryMeta, Image, Limits, Visitor};

struct WantAll;
impl Visitor for WantAll {
    fn wants(&mut self, _layer: &str, _entry: &EntryMeta) -> bool {
        true
    }
    fn file(&mut self, _layer: &str, entry: &EntryMeta, content: &[u8], truncated: bool) {
        assert!(content.len() as u64 <= 4096);
        assert!(truncated == (entry.size > content.len() as u64));
    }
}

fn limits() -> Limits {
    Limits {
        max_layer_bytes: 8 << 20,
        max_entries: 10_000,
        max_layers: 16,
        max_file_read: 4096,
        max_json_bytes: 1 << 20,
        max_compression_ratio: 100,
    }
}

fn check(image: &Image) {
    for (path, entry) in image.fs.iter() {
        assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
        assert!(path.split('/').all(|part| !part.is_empty() && part != "." && part != ".."), "{path:?}");
        assert!(entry.layer < image.layers.len());
        let _ = image.fs.resolve(path);
    }
    for hidden in &image.hidden {
        assert!(hidden.added_in < hidden.hidden_in && hidden.hidden_in < image.layers.len(), "{hidden:?}");
    }
}

fn wrap_as_layer(layer: &[u8]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, name, data).expect("in-memory tar");
    };
    add("l/layer.tar", layer);
    add("c.json", br#"{"config":{},"history":[{"created_by":"x"}]}"#);
    add("manifest.json", br#"[{"Config":"c.json","Layers":["l/layer.tar","l/layer.tar"]}]"#);
    builder.into_inner().expect("in-memory tar")
}

fuzz_target!(|data: &[u8]| {
    if let Ok(image) = read_image_stream(data, "fuzz", &limits(), &mut WantAll) {
        check(&image);
    }
    if let Ok(image) = read_image_stream(&wrap_as_layer(data)[..], "fuzz", &limits(), &mut WantAll) {
        check(&image);
    }
});
