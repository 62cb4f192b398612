//! Queries over what was read from an image (`ImageContent`), shared by the IMG rules that
//! judge an image's own files and history, and the end-of-life table of base distributions.

use rampart_model::{BaseOs, EolStatus, ImageContent, ImageFile, ImageFileKind, OsRelease};

/// The history command of the step that made `layer`, for evidence.
pub fn layer_command(image: &ImageContent, layer: usize) -> Option<&str> {
    image.history.iter().find(|step| step.layer == Some(layer)).map(|step| step.created_by.as_str())
}

/// `path (layer N: <command>)`, shortened, for messages and evidence.
pub fn describe_file(image: &ImageContent, file: &ImageFile) -> String {
    match layer_command(image, file.layer) {
        Some(command) => format!("{} (layer {}: {})", file.path, file.layer, show_command(command, 100)),
        None => format!("{} (layer {})", file.path, file.layer),
    }
}

/// A history command as reports show it: secrets redacted (credential shapes anywhere, and the
/// values of secret-named build arguments the builder records before a RUN step), the classic
/// builder's `/bin/sh -c #(nop) ` prefix dropped and content digests (`file:<64 hex>`) cut to 12
/// digits, so the instruction and its destination fit in `max` characters.
pub fn show_command(created_by: &str, max: usize) -> String {
    let text = created_by.trim();
    let text = text.strip_prefix("/bin/sh -c #(nop)").map_or(text, str::trim_start);
    let mut shown = crate::secrets::redact_secrets_in(text);
    for (name, value) in build_arguments(created_by) {
        if crate::secrets::is_secret_name(name) && !value.is_empty() {
            shown = shown.replacen(&format!("{name}={value}"), &format!("{name}={}", rampart_model::redact(value)), 1);
        }
    }
    shorten(&compact_digests(&shown), max)
}

/// The `NAME=value` build arguments the classic builder and BuildKit put before a RUN step's
/// command: `|2 A=1 TOKEN=x /bin/sh -c ...` (optionally after `RUN `). A value with spaces is
/// recorded unquoted, so only its first word is seen.
pub fn build_arguments(created_by: &str) -> impl Iterator<Item = (&str, &str)> {
    let text = created_by.trim();
    let text = text.strip_prefix("RUN ").unwrap_or(text);
    let mut words = text.split_whitespace();
    let count = words.next().and_then(|w| w.strip_prefix('|')).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
    words.take(count).filter_map(|word| word.split_once('='))
}

/// `file:6a925c6e5164…` for `file:<64 hex digits>` (and `dir:`, `sha256:`), which only lengthen
/// a history line.
fn compact_digests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["file:", "dir:", "sha256:"].iter().filter_map(|p| rest.find(p).map(|i| (i, p.len()))).min() {
        let (start, prefix) = at;
        let digits_from = start + prefix;
        let digits = rest[digits_from..].bytes().take_while(u8::is_ascii_hexdigit).count();
        if digits >= 32 {
            out.push_str(&rest[..digits_from + 12]);
            out.push('…');
        } else {
            out.push_str(&rest[..digits_from + digits]);
        }
        rest = &rest[digits_from + digits..];
    }
    out.push_str(rest);
    out
}

/// The first `max` characters of `text`, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Executables (regular files or links) at any of `paths`.
pub fn executables<'a>(image: &'a ImageContent, paths: &'a [&str]) -> impl Iterator<Item = &'a ImageFile> + 'a {
    image.files.iter().filter(move |f| f.kind != ImageFileKind::Dir && paths.contains(&f.path.as_str()))
}

/// Regular files under `dir` (absolute, no trailing slash).
pub fn files_under<'a>(image: &'a ImageContent, dir: &'a str) -> impl Iterator<Item = &'a ImageFile> + 'a {
    image.files.iter().filter(move |f| {
        f.kind == ImageFileKind::File && f.path.len() > dir.len() + 1 && f.path.starts_with(dir) && f.path.as_bytes()[dir.len()] == b'/'
    })
}

/// The shell text a history step ran, when it was a RUN: `/bin/sh -c apt-get …` (classic
/// builder), `RUN /bin/sh -c …` / `|2 A=b /bin/sh -c …` (BuildKit). `#(nop)` steps are not.
pub fn history_shell_text(created_by: &str) -> Option<&str> {
    let mut text = created_by.trim();
    text = text.strip_prefix("RUN ").unwrap_or(text);
    if let Some(rest) = text.strip_prefix('|') {
        // `|N NAME=value … /bin/sh -c …`: build arguments before the command.
        let at = rest.find("/bin/sh -c ")?;
        text = &rest[at..];
    }
    let script = text.strip_prefix("/bin/sh -c ")?.trim_start();
    (!script.starts_with("#(nop)")).then_some(script)
}

/// End of security support for a distribution release: (ID, version, date, what the date is).
/// Data, not code: checked against the distributions' own pages in November 2026 (Debian: end
/// of LTS; Ubuntu: end of standard support, not ESM; Alpine: end of the main repository's
/// security fixes; RHEL and rebuilds: end of maintenance support; Amazon Linux: end of support).
/// Update it when a release ends; a release not listed is never flagged.
pub const OS_END_OF_LIFE: &[(&str, &str, &str)] = &[
    ("debian", "7", "2018-05-31"),
    ("debian", "8", "2020-06-30"),
    ("debian", "9", "2022-06-30"),
    ("debian", "10", "2024-06-30"),
    ("debian", "11", "2026-08-31"),
    ("debian", "12", "2028-06-30"),
    ("debian", "13", "2030-06-30"),
    ("ubuntu", "14.04", "2019-04-30"),
    ("ubuntu", "16.04", "2021-04-30"),
    ("ubuntu", "18.04", "2023-05-31"),
    ("ubuntu", "20.04", "2025-05-31"),
    ("ubuntu", "22.04", "2027-06-01"),
    ("ubuntu", "23.04", "2024-01-25"),
    ("ubuntu", "23.10", "2024-07-11"),
    ("ubuntu", "24.04", "2029-05-31"),
    ("ubuntu", "24.10", "2025-07-10"),
    ("ubuntu", "25.04", "2026-01-15"),
    ("ubuntu", "25.10", "2026-07-09"),
    ("alpine", "3.12", "2022-05-01"),
    ("alpine", "3.13", "2022-11-01"),
    ("alpine", "3.14", "2023-05-01"),
    ("alpine", "3.15", "2023-11-01"),
    ("alpine", "3.16", "2024-05-23"),
    ("alpine", "3.17", "2024-11-22"),
    ("alpine", "3.18", "2025-05-09"),
    ("alpine", "3.19", "2025-11-01"),
    ("alpine", "3.20", "2026-04-01"),
    ("alpine", "3.21", "2026-11-01"),
    ("alpine", "3.22", "2027-05-01"),
    ("alpine", "3.23", "2027-11-01"),
    ("rhel", "7", "2024-06-30"),
    ("rhel", "8", "2029-05-31"),
    ("rhel", "9", "2032-05-31"),
    ("centos", "7", "2024-06-30"),
    ("centos", "8", "2021-12-31"),
    ("rocky", "8", "2029-05-31"),
    ("rocky", "9", "2032-05-31"),
    ("almalinux", "8", "2029-05-31"),
    ("almalinux", "9", "2032-05-31"),
    ("amzn", "2018.03", "2023-12-31"),
    ("amzn", "2", "2026-06-30"),
    ("amzn", "2023", "2029-06-30"),
];

/// The release key `VERSION_ID` falls under: Alpine and Ubuntu by major.minor (`3.19.1` ->
/// `3.19`), RHEL and its rebuilds by major (`9.3` -> `9`), the others as given.
pub fn release_key<'a>(id: &str, version_id: &'a str) -> &'a str {
    let version_id = version_id.trim();
    match id {
        "alpine" | "ubuntu" => match version_id.match_indices('.').nth(1) {
            Some((second_dot, _)) => &version_id[..second_dot],
            None => version_id,
        },
        "rhel" | "centos" | "rocky" | "almalinux" | "debian" => version_id.split('.').next().unwrap_or(version_id),
        _ => version_id,
    }
}

/// The end-of-life date of this release, if the table knows it.
pub fn end_of_life(id: &str, version_id: &str) -> Option<&'static str> {
    let key = release_key(id, version_id);
    OS_END_OF_LIFE.iter().find(|(i, v, _)| *i == id && *v == key).map(|(_, _, date)| *date)
}

/// The base distribution of an image as reports show it: its os-release names and where it
/// stands against the end-of-life table on `checked_on` (`YYYY-MM-DD`), the same judgement
/// IMG028 makes.
pub fn base_os(os: &OsRelease, checked_on: &str) -> BaseOs {
    let eol = end_of_life(&os.id, &os.version_id);
    let eol_status = match eol {
        None => EolStatus::Unknown,
        Some(_) if checked_on.len() != 10 => EolStatus::Unknown,
        Some(date) if checked_on > date => EolStatus::EndOfLife,
        Some(_) => EolStatus::Supported,
    };
    BaseOs {
        id: os.id.clone(),
        version_id: os.version_id.clone(),
        pretty_name: os.pretty_name.clone(),
        end_of_life: eol.map(str::to_string),
        eol_status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_keys_and_dates() {
        assert_eq!(release_key("alpine", "3.19.1"), "3.19");
        assert_eq!(release_key("rocky", "9.3"), "9");
        assert_eq!(release_key("debian", "12"), "12");
        assert_eq!(end_of_life("ubuntu", "18.04"), Some("2023-05-31"));
        assert_eq!(end_of_life("amzn", "2"), Some("2026-06-30"));
        assert_eq!(end_of_life("debian", "99"), None);
        let buster = OsRelease { id: "debian".into(), version_id: "10".into(), pretty_name: "Debian GNU/Linux 10 (buster)".into(), layer: 0 };
        assert_eq!(base_os(&buster, "2024-06-30").eol_status, EolStatus::Supported);
        assert_eq!(base_os(&buster, "2024-07-01").eol_status, EolStatus::EndOfLife);
        assert_eq!(base_os(&buster, "2024-07-01").end_of_life.as_deref(), Some("2024-06-30"));
        assert_eq!(base_os(&buster, "").eol_status, EolStatus::Unknown);
        let unknown = OsRelease { id: "plan9".into(), version_id: "4".into(), ..OsRelease::default() };
        assert_eq!(base_os(&unknown, "2024-07-01").eol_status, EolStatus::Unknown);
        // The table is well formed: ISO dates, no release listed twice.
        let mut seen = std::collections::HashSet::new();
        for (id, version, date) in OS_END_OF_LIFE {
            assert!(seen.insert((id, version)), "{id} {version} twice");
            assert!(date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-', "{date}");
        }
    }

    #[test]
    fn commands_are_shown_redacted_and_compact() {
        let copy = format!("/bin/sh -c #(nop) COPY file:{} in /root/.ssh/id_ed25519 ", "6a925c6e5164e313".repeat(4));
        assert_eq!(show_command(&copy, 100), "COPY file:6a925c6e5164… in /root/.ssh/id_ed25519");
        let run = "|2 DEPLOY_TOKEN=k6WsHjLC8j18XcRFraQikmdtxKETNiNoJS91 VERSION=1.2 /bin/sh -c rm /root/.ssh/id_ed25519";
        let shown = show_command(run, 200);
        assert!(!shown.contains("k6WsHjLC8j18XcRFraQikmdtxKETNiNoJS91") && shown.contains("VERSION=1.2"), "{shown}");
        assert!(shown.ends_with("/bin/sh -c rm /root/.ssh/id_ed25519"), "{shown}");
        let token = "ghp_R2d2C3p0BB8x9Kq7LmNoPqRsTuVwXyZ01234";
        assert!(!show_command(&format!("/bin/sh -c curl -H 'token {token}' x"), 200).contains(token));
        assert_eq!(build_arguments("RUN |1 A=b /bin/sh -c x").collect::<Vec<_>>(), vec![("A", "b")]);
        assert_eq!(build_arguments("/bin/sh -c A=b x").count(), 0);
    }

    #[test]
    fn history_shell_text_of_both_builders() {
        assert_eq!(history_shell_text("/bin/sh -c apt-get update"), Some("apt-get update"));
        assert_eq!(history_shell_text("/bin/sh -c #(nop)  ENV A=b"), None);
        assert_eq!(history_shell_text("RUN /bin/sh -c curl x | sh # buildkit"), Some("curl x | sh # buildkit"));
        assert_eq!(history_shell_text("|1 TOKEN=x /bin/sh -c make"), Some("make"));
        assert_eq!(history_shell_text("COPY . . # buildkit"), None);
    }
}
