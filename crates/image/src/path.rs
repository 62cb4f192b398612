//! Entry paths as the image means them: relative to the image root, `/`-separated, no `.` or
//! `..` components.

/// Normalises a tar entry path: leading `/` and `./` go (an absolute path in a layer means the
/// same path under the image root, as Docker extracts it), `.` components and repeated slashes
/// go, `..` steps up. `None` when `..` would leave the root: such an entry could write outside
/// the extraction directory, and Docker refuses the layer.
pub fn normalize_entry_path(raw: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in raw.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `a/b/c` -> (`a/b`, `c`); `c` -> (``, `c`).
pub(crate) fn split_parent(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

/// `dir` joined with `name`; the root is the empty string.
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::normalize_entry_path as n;

    #[test]
    fn normalises_without_escaping() {
        assert_eq!(n("./etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(n("/etc//passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(n("usr/lib/../bin/./sh").as_deref(), Some("usr/bin/sh"));
        assert_eq!(n("./").as_deref(), Some(""));
        assert_eq!(n("../etc/passwd"), None);
        assert_eq!(n("a/../../b"), None);
    }
}
