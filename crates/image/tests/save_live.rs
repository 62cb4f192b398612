//! A real image from a real daemon: built FROM scratch with Debian's static busybox, a file
//! planted in one layer and deleted in a later one, written with `docker save`, then read.
//!
//! The daemon is the private one scripts/test.sh starts (as root) and names in
//! RAMPART_TEST_DOCKER_HOST. Without it this test fails, unless RAMPART_SKIP_LIVE=1 says to skip
//! it on purpose. Nothing is pulled.

use rampart_image::{open, EntryKind, EntryMeta, HiddenHow, Limits, Visitor};
use std::path::Path;
use rampart_testsupport::{docker, live_docker_host};

fn docker_host() -> Option<String> {
    live_docker_host("the live image test")
}


const PLANTED: &str = "rampart-test-planted-value";

#[derive(Default)]
struct Planted {
    found: Vec<(String, String)>,
}

impl Visitor for Planted {
    fn wants(&mut self, _layer: &str, entry: &EntryMeta) -> bool {
        entry.path == "app/planted.txt"
    }
    fn file(&mut self, layer: &str, _entry: &EntryMeta, content: &[u8], _truncated: bool) {
        self.found.push((layer.to_string(), String::from_utf8_lossy(content).trim().to_string()));
    }
}

#[test]
fn docker_save_of_a_busybox_image_shows_the_deleted_file_and_both_layers() {
    let Some(host) = docker_host() else { return };
    let dir = tempfile::tempdir().unwrap();
    let context = dir.path().join("context");
    std::fs::create_dir(&context).unwrap();
    std::fs::copy("/bin/busybox", context.join("busybox")).expect("busybox-static is installed (/bin/busybox)");
    std::fs::write(
        context.join("Dockerfile"),
        format!(
            "FROM scratch\n\
             COPY busybox /bin/busybox\n\
             RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox mkdir -p /app && /bin/busybox echo {PLANTED} > /app/planted.txt && /bin/busybox echo keep > /app/kept.txt\"]\n\
             RUN [\"/bin/busybox\", \"rm\", \"/app/planted.txt\"]\n\
             USER 1000\n\
             EXPOSE 22\n"
        ),
    )
    .unwrap();
    let tag = "rampart-image-live-test:deleted-file";
    docker(&host, &["build", "-q", "-t", tag, context.to_str().unwrap()]);
    let tar = dir.path().join("image.tar");
    docker(&host, &["save", "-o", tar.to_str().unwrap(), tag]);

    let mut visitor = Planted::default();
    let image = open(&tar, &Limits::default(), &mut visitor).unwrap();
    assert_eq!(image.layers.len(), 3, "{:?}", image.layers);
    assert!(image.tags.iter().any(|t| t == tag), "{:?}", image.tags);

    // The final file system: busybox from the first layer, the kept file, no planted file.
    let busybox = image.fs.get("bin/busybox").expect("bin/busybox");
    assert_eq!((busybox.kind, busybox.layer), (EntryKind::File, 0));
    assert_eq!(busybox.size, std::fs::metadata("/bin/busybox").unwrap().len());
    assert_eq!(image.fs.get("app/kept.txt").map(|e| e.layer), Some(1));
    assert!(image.fs.get("app/planted.txt").is_none());

    // The deleted file: added by layer 1, deleted by layer 2, with the command that made it.
    let planted: Vec<_> = image.hidden.iter().filter(|h| h.path == "app/planted.txt").collect();
    assert_eq!(planted.len(), 1, "{:?}", image.hidden);
    assert_eq!((planted[0].added_in, planted[0].hidden_in, planted[0].how), (1, 2, HiddenHow::Deleted));
    let command = image.layers[1].created_by.as_deref().unwrap_or_default();
    assert!(command.contains("planted.txt"), "{command:?}");
    assert!(image.layers[2].created_by.as_deref().unwrap_or_default().contains("rm"));

    // Its content is still readable, from the layer that added it.
    assert_eq!(visitor.found.len(), 1);
    assert_eq!(visitor.found[0].1, PLANTED);
    assert_eq!(image.layer_by_key(&visitor.found[0].0), [1]);

    let config = &image.config.as_ref().unwrap().config;
    assert_eq!(config.user.as_deref(), Some("1000"));
    assert!(config.exposed_ports.contains_key("22/tcp"));

    // The same image unpacked into a directory reads the same.
    let unpacked = dir.path().join("unpacked");
    tar::Archive::new(std::fs::File::open(&tar).unwrap()).unpack(&unpacked).unwrap();
    let again = open(Path::new(&unpacked), &Limits::default(), &mut rampart_image::NoContent).unwrap();
    assert_eq!(again.fs.len(), image.fs.len());
    assert_eq!(again.hidden.len(), image.hidden.len());
    docker(&host, &["rmi", "-f", tag]);
}
