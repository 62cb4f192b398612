//! A real Debian image: bookworm from `debootstrap --variant=minbase`, `docker import`ed, and an
//! application image built FROM it that plants fake secrets (some deleted by a later layer), both
//! written with `docker save`. scripts/setup.d/20-debian-image.sh builds them and names them in
//! RAMPART_TEST_DEBIAN_TAR, RAMPART_TEST_DEBIAN_APP_TAR and RAMPART_TEST_DEBIAN_ROOTFS. Without
//! them these tests fail, unless RAMPART_SKIP_LIVE=1 says to skip them on purpose.

use rampart_image::{image_content, open, packages, ContentCollector, Image, Limits};
use std::collections::BTreeSet;
use std::path::PathBuf;
use rampart_testsupport::live_var;

/// A path scripts/setup.d/20-debian-image.sh made.
fn env_path(name: &str) -> Option<PathBuf> {
    live_var(name, "the Debian image tests").map(PathBuf::from)
}

fn read(path: &std::path::Path) -> (Image, ContentCollector) {
    let mut collector = ContentCollector::default();
    let image = open(path, &Limits::default(), &mut collector).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (image, collector)
}

/// `dpkg-query -W` over the root file system's database: installed packages, name and version.
fn dpkg_query(rootfs: &std::path::Path) -> BTreeSet<(String, String)> {
    let output = std::process::Command::new("dpkg-query")
        .arg(format!("--admindir={}", rootfs.join("var/lib/dpkg").display()))
        .args(["-W", "-f", "${db:Status-Abbrev}\t${Package}\t${Version}\n"])
        .output()
        .expect("dpkg-query runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .filter(|line| line.starts_with("ii"))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields[1].to_string(), fields[2].to_string())
        })
        .collect()
}

fn deb_packages(image: &Image, collector: &ContentCollector) -> BTreeSet<(String, String)> {
    packages(image, collector).into_iter().filter(|p| p.ecosystem == "deb").map(|p| (p.name, p.version)).collect()
}

#[test]
fn the_package_list_equals_dpkg_query_in_the_root_file_system() {
    let (Some(tar), Some(rootfs)) = (env_path("RAMPART_TEST_DEBIAN_TAR"), env_path("RAMPART_TEST_DEBIAN_ROOTFS")) else { return };
    let expected = dpkg_query(&rootfs);
    assert!(expected.len() > 50, "a minbase bookworm has about 90 packages: {expected:?}");
    assert!(expected.iter().any(|(name, _)| name == "libc6"));

    let (image, collector) = read(&tar);
    assert_eq!(deb_packages(&image, &collector), expected, "docker save tar vs dpkg-query");
    let (dir, dir_collector) = read(&rootfs);
    assert_eq!(deb_packages(&dir, &dir_collector), expected, "root file system directory vs dpkg-query");
}

#[test]
fn plain_debian_has_no_secrets_and_names_its_release() {
    let Some(tar) = env_path("RAMPART_TEST_DEBIAN_TAR") else { return };
    let (image, collector) = read(&tar);
    let content = image_content(&image, &collector, "image:debian", "2026-11-28");
    assert!(content.secrets.is_empty(), "{:#?}", content.secrets);
    let os = content.os.expect("bookworm has /etc/os-release");
    assert_eq!((os.id.as_str(), os.version_id.as_str()), ("debian", "12"));
    assert!(os.pretty_name.contains("bookworm"), "{}", os.pretty_name);
    assert!(content.files.len() > 1000, "{} files", content.files.len());
}

#[test]
fn planted_secrets_are_found_with_their_layers_deleted_ones_too() {
    let Some(tar) = env_path("RAMPART_TEST_DEBIAN_APP_TAR") else { return };
    let (image, collector) = read(&tar);
    let content = image_content(&image, &collector, "image:app", "2026-11-28");
    let found: Vec<(&str, &str, bool)> =
        content.secrets.iter().map(|s| (s.path.as_str(), s.kind.as_str(), s.hidden_in.is_some())).collect();
    for expected in [
        ("/root/.aws/credentials", "aws-access-key-id", false),
        ("/root/.ssh/id_ed25519", "private-key", true),
        ("/srv/app/.env", "gitlab-pat", true),
        ("/srv/app/.env", "slack-webhook", true),
    ] {
        assert!(found.contains(&expected), "{expected:?} not in {found:?}");
    }
    // The deleted key: added by the COPY layer, deleted by the later RUN rm layer, both named.
    let key = content.secrets.iter().find(|s| s.path == "/root/.ssh/id_ed25519").unwrap();
    let hidden_in = key.hidden_in.unwrap();
    assert!(hidden_in > key.layer);
    let added_by = image.layers[key.layer].created_by.as_deref().unwrap_or_default();
    let deleted_by = image.layers[hidden_in].created_by.as_deref().unwrap_or_default();
    assert!(added_by.contains("COPY") && added_by.contains("/root/.ssh/id_ed25519"), "{added_by}");
    assert!(deleted_by.contains("rm /root/.ssh/id_ed25519"), "{deleted_by}");
    // Secrets are redacted: a short prefix (a key's header line) and an ellipsis, never the value.
    for secret in &content.secrets {
        assert!(secret.redacted.contains('…') && secret.redacted.chars().count() < 40, "{secret:?}");
    }
    // The config secrets are in the config the rules read: ENV, LABEL, and the build argument
    // in the history of the RUN step that used it.
    assert!(content.env.iter().any(|e| e.starts_with("STRIPE_API_KEY=sk_live_")), "{:?}", content.env);
    assert!(content.labels.get("org.example.registry-token").is_some_and(|v| v.starts_with("glpat-")), "{:?}", content.labels);
    assert!(content.history.iter().any(|h| h.created_by.contains("DEPLOY_TOKEN=ghp_")), "{:#?}", content.history);
}
