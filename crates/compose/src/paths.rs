//! Path helpers: lexical normalisation (no file-system access, so symlinks are not resolved,
//! as compose does not resolve them either) and relative-path rebasing for `extends` files.

use std::path::{Component, Path, PathBuf};

/// `a/./b/../c` -> `a/c`; leading `..` are kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `relative` as seen from `dir`: joined and normalised; absolute and home-relative paths stay.
pub fn rebase(dir: &Path, relative: &str) -> String {
    if relative.starts_with('/') || relative.starts_with('~') || relative.starts_with('$') || relative.is_empty() {
        return relative.to_string();
    }
    let joined = normalize(&dir.join(relative)).display().to_string();
    // Keep it recognisably a path: `data` alone would read as a volume name.
    if joined.starts_with('.') {
        joined
    } else {
        format!("./{joined}")
    }
}

/// `target` expressed relative to `from` when both are lexically comparable (both relative or
/// both absolute, and `from` has no leading `..`); otherwise `target` unchanged.
pub fn relative_to(target: &Path, from: &Path) -> PathBuf {
    let target = normalize(target);
    let from = normalize(from);
    if target.is_absolute() != from.is_absolute() || from.components().any(|c| c == Component::ParentDir) {
        return target;
    }
    let target_parts: Vec<Component<'_>> = target.components().filter(|c| *c != Component::CurDir).collect();
    let from_parts: Vec<Component<'_>> = from.components().filter(|c| *c != Component::CurDir).collect();
    let common = target_parts.iter().zip(&from_parts).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from_parts.len() {
        out.push("..");
    }
    for part in &target_parts[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The directory holding `file` (`.` for a bare file name).
pub fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../x/../y")), PathBuf::from("../y"));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
        assert_eq!(normalize(Path::new("./")), PathBuf::from("."));
    }

    #[test]
    fn relative_paths_between_directories() {
        assert_eq!(relative_to(Path::new("proj/common"), Path::new("proj")), PathBuf::from("common"));
        assert_eq!(relative_to(Path::new("other"), Path::new("proj")), PathBuf::from("../other"));
        assert_eq!(relative_to(Path::new("proj"), Path::new("proj")), PathBuf::from("."));
        assert_eq!(relative_to(Path::new("/a/b"), Path::new("/a/c")), PathBuf::from("../b"));
    }

    #[test]
    fn rebases_relative_paths_only() {
        assert_eq!(rebase(Path::new("base"), "./data"), "./base/data");
        assert_eq!(rebase(Path::new("base/sub"), "../data"), "./base/data");
        assert_eq!(rebase(Path::new(".."), "data"), "../data");
        assert_eq!(rebase(Path::new("base"), "/abs"), "/abs");
        assert_eq!(rebase(Path::new("base"), "~/x"), "~/x");
    }
}
