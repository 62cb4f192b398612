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

/// A YAML file whose name says compose: the default names and the usual variants
/// (`docker-compose.prod.yml`, `compose.dev.yaml`, `app.compose.yml`).
pub fn looks_like_compose_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".yml") || lower.ends_with(".yaml")) && lower.contains("compose")
}

/// Groups compose files found under directories into what `docker compose` would load: in each
/// directory the main default file with its override, and every other compose file alone.
/// Projects come out in path order.
pub fn group_projects(files: &[PathBuf]) -> Vec<Vec<PathBuf>> {
    let mut sorted: Vec<&PathBuf> = files.iter().collect();
    sorted.sort();
    sorted.dedup();
    let name_of = |path: &Path| path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let dir_of = |path: &Path| path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut projects: Vec<Vec<PathBuf>> = Vec::new();
    let mut used: Vec<&PathBuf> = Vec::new();
    for path in &sorted {
        let dir = dir_of(path);
        let in_dir = |names: &[&str]| {
            names.iter().find_map(|name| sorted.iter().copied().find(|p| dir_of(p) == dir && name_of(p) == *name))
        };
        if let Some(main) = in_dir(&DEFAULT_FILE_NAMES) {
            if main == *path {
                let mut project = vec![main.clone()];
                used.push(main);
                if let Some(override_file) = in_dir(&OVERRIDE_FILE_NAMES) {
                    project.push(override_file.clone());
                    used.push(override_file);
                }
                projects.push(project);
            }
        }
    }
    for path in sorted {
        if !used.contains(&path) {
            projects.push(vec![path.clone()]);
        }
    }
    projects.sort();
    projects
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

    #[test]
    fn groups_a_main_file_with_its_override_and_leaves_the_rest_alone() {
        let files: Vec<PathBuf> = [
            "a/docker-compose.yml",
            "a/docker-compose.override.yml",
            "a/docker-compose.prod.yml",
            "b/compose.override.yaml",
            "c/compose.yaml",
            "c/docker-compose.yml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let projects = group_projects(&files);
        let names: Vec<Vec<&str>> = projects.iter().map(|p| p.iter().filter_map(|f| f.to_str()).collect()).collect();
        assert_eq!(
            names,
            vec![
                vec!["a/docker-compose.prod.yml"],
                vec!["a/docker-compose.yml", "a/docker-compose.override.yml"],
                vec!["b/compose.override.yaml"],
                vec!["c/compose.yaml"],
                vec!["c/docker-compose.yml"],
            ]
        );
        assert!(looks_like_compose_file("docker-compose.prod.YML") && looks_like_compose_file("app.compose.yaml"));
        assert!(!looks_like_compose_file("compose.json") && !looks_like_compose_file("values.yaml"));
    }
}
