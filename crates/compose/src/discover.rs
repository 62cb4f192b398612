//! Which files make a project in a directory, as `docker compose` picks them without `-f`.

use std::path::{Path, PathBuf};

/// In the order compose tries them.
pub const DEFAULT_FILE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// Applied on top of the main file when present (the first that exists).
pub const OVERRIDE_FILE_NAMES: [&str; 4] =
    ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/// A directory's project: its main file and override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFiles {
    pub main: PathBuf,
    pub override_file: Option<PathBuf>,
    /// Other default-named files compose ignores because `main` came first (it warns).
    pub ignored: Vec<PathBuf>,
}

impl ProjectFiles {
    /// The `-f` list: the main file, then the override.
    pub fn files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.main.clone()];
        files.extend(self.override_file.clone());
        files
    }
}

/// The project `docker compose` would load in `dir` (not searching parent directories).
pub fn find_project_files(dir: &Path) -> Option<ProjectFiles> {
    let existing = |names: &[&str]| -> Vec<PathBuf> {
        names.iter().map(|name| dir.join(name)).filter(|path| path.is_file()).collect()
    };
    let mut mains = existing(&DEFAULT_FILE_NAMES).into_iter();
    let main = mains.next()?;
    Some(ProjectFiles { main, override_file: existing(&OVERRIDE_FILE_NAMES).into_iter().next(), ignored: mains.collect() })
}

/// A default or override compose file name.
pub fn is_compose_file_name(name: &str) -> bool {
    DEFAULT_FILE_NAMES.contains(&name) || OVERRIDE_FILE_NAMES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_first_default_name_and_the_override() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(find_project_files(dir.path()), None);
        std::fs::write(dir.path().join("docker-compose.yml"), "services: {}\n").expect("write");
        std::fs::write(dir.path().join("compose.yaml"), "services: {}\n").expect("write");
        std::fs::write(dir.path().join("docker-compose.override.yml"), "services: {}\n").expect("write");
        let found = find_project_files(dir.path()).expect("found");
        assert_eq!(found.main, dir.path().join("compose.yaml"));
        assert_eq!(found.override_file, Some(dir.path().join("docker-compose.override.yml")));
        assert_eq!(found.ignored, vec![dir.path().join("docker-compose.yml")]);
        assert_eq!(found.files().len(), 2);
        assert!(is_compose_file_name("compose.override.yaml") && !is_compose_file_name("compose.prod.yaml"));
    }
}
