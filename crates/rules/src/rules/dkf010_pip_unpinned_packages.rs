//! DKF010: `pip install` without version pins.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF010",
        name: "pip-unpinned-packages",
        title: "Pin versions in pip install",
        severity: Severity::Medium,
        category: Category::Image,
        checklist: &[3, 4],
        aliases: &["DL3013"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags `pip install` (also `pip3`, `python -m pip`, `uv pip`) naming packages without a version \
                   that bounds what gets installed: `==`, `===`, `~=` or an upper bound `<`/`<=`. A lower bound alone \
                   (`django>=4`) is not a pin. Requirement files (`-r`), constraint files (`-c`), local paths, `.`, \
                   wheels and archives, and URLs are not judged; a VCS URL needs an `@ref`.",
            why: "An unpinned package is whatever the index serves at build time: new releases, including a hijacked \
                  or typo-squatted one, enter the image without review, and the same Dockerfile builds different \
                  images. Malicious releases of popular packages have been published and pulled by exactly these \
                  builds.",
            example: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask gunicorn",
            fix: "Pin every package (`pip install flask==3.0.3 gunicorn==22.0.0`), or better install from a \
                  requirements file with hashes (`pip install --require-hashes -r requirements.txt`).",
            references: &[
                "https://pip.pypa.io/en/stable/topics/repeatable-installs/",
                "https://github.com/hadolint/hadolint/wiki/DL3013",
            ],
            peer_notes: "Differences from DL3013: a lower bound alone (`pkg>=1.0`, `pkg>1`, `pkg!=2`) is flagged, as it \
                         still installs the newest release; packages named next to `-r requirements.txt` are still \
                         judged (DL3013 skips the whole command); `pip install --upgrade pip` is flagged like any \
                         other package. Not flagged, where DL3013 flags: operands holding a variable (`$PKG`), whose \
                         version cannot be known.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for (_, _, script) in helpers::run_scripts(cx.dockerfile) {
        for (_, command) in helpers::commands_run(script) {
            let Some((pip_args, requirements)) = helpers::pip_install(&command) else { continue };
            if constrained(pip_args) {
                continue;
            }
            let unpinned: Vec<&str> = requirements
                .iter()
                .map(|w| w.value.as_str())
                .filter(|r| requirement_pinned(r) == Some(false))
                .collect();
            if !unpinned.is_empty() {
                out.report(command.span, format!("`pip install` without version pins: {}", helpers::list_some(&unpinned, 5)));
            }
        }
    }
}

/// `-c constraints.txt`: the versions come from a constraints file.
fn constrained(pip_args: &[rampart_dockerfile::ShellWord]) -> bool {
    pip_args.iter().any(|a| a.value == "-c" || a.value == "--constraint" || a.value.starts_with("--constraint="))
}

/// Whether a requirement operand pins its version; `None` when it is not an index package (a path,
/// archive or URL) or holds a variable that cannot be judged.
fn requirement_pinned(requirement: &str) -> Option<bool> {
    let requirement = requirement.split(';').next().unwrap_or(requirement).trim();
    let bounded = |spec: &str| spec.contains("==") || spec.contains("~=") || spec.contains('<');
    if helpers::has_expansion(requirement) {
        return bounded(requirement).then_some(true);
    }
    let lower = requirement.to_ascii_lowercase();
    if ["git+", "hg+", "svn+", "bzr+"].iter().any(|scheme| lower.starts_with(scheme)) {
        // A VCS requirement pins with `@tag` or `@commit` after the repository path.
        let last_segment = lower.rsplit('/').next().unwrap_or(&lower);
        return Some(last_segment.contains('@'));
    }
    let is_file_or_url = lower.starts_with(['.', '/', '~'])
        || lower.contains("://")
        || lower.contains('/')
        || [".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar"].iter().any(|ext| lower.ends_with(ext));
    if is_file_or_url || requirement.contains(" @ ") {
        return None;
    }
    let spec_start = requirement.find(['=', '<', '>', '!', '~']);
    Some(spec_start.is_some_and(|at| bounded(&requirement[at..])))
}

#[cfg(test)]
mod tests {
    use super::requirement_pinned;

    #[test]
    fn pins_bound_the_version() {
        for pinned in ["flask==3.0.3", "requests[socks]==2.31.0", "django~=4.2", "numpy<2", "x>=1,<2", "pkg===1.0"] {
            assert_eq!(requirement_pinned(pinned), Some(true), "{pinned}");
        }
        for unpinned in ["flask", "django>=4", "pkg>1", "pkg!=2.0", "requests[socks]", "git+https://github.com/a/b.git"] {
            assert_eq!(requirement_pinned(unpinned), Some(false), "{unpinned}");
        }
        for unknown in [".", "./src", "/tmp/x.whl", "dist/pkg-1.0.tar.gz", "https://x/y.zip", "$PKG", "${PKGS}"] {
            assert_eq!(requirement_pinned(unknown), None, "{unknown}");
        }
        assert_eq!(requirement_pinned("git+https://github.com/a/b.git@v1.2"), Some(true));
        assert_eq!(requirement_pinned("pkg==${VERSION}"), Some(true));
    }
}
