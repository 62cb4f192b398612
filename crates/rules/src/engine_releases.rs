//! A small table of Docker Engine, runc and containerd releases with known vulnerabilities,
//! and the version arithmetic to match a host against it. Distribution builds backport fixes
//! without changing the upstream version (Debian's docker.io 20.10.24+dfsg1-1+deb12u1 carries
//! the CVE-2024-41110 fix that upstream only shipped in 23.0.15 and later), so a match says how
//! sure it is: certain for upstream builds, cleared by a known backport when the package
//! revision is known, and only probable when it is not.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Engine,
    Runc,
    Containerd,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::Engine => "Docker Engine",
            Component::Runc => "runc",
            Component::Containerd => "containerd",
        }
    }

    /// Debian-family packages that ship the component.
    pub fn packages(self) -> &'static [&'static str] {
        match self {
            Component::Engine => &["docker.io", "docker-ce", "moby-engine"],
            Component::Runc => &["runc"],
            Component::Containerd => &["containerd", "containerd.io"],
        }
    }
}

pub struct Advisory {
    pub cve: &'static str,
    pub component: Component,
    /// The first fixed upstream release of each release line (`major.minor.patch`); a version
    /// in a line that is not listed is affected unless its line is newer than all of them.
    pub fixed_in: &'static [&'static str],
    pub summary: &'static str,
    /// Distribution package versions known to carry the fix (`dpkg --compare-versions` order).
    pub backports: &'static [(&'static str, &'static str)],
    /// Distribution package revisions known NOT to carry the fix, with the evidence: that
    /// revision and older ones of the same upstream version are affected.
    pub known_unfixed: &'static [KnownUnfixed],
}

pub struct KnownUnfixed {
    pub package: &'static str,
    pub version: &'static str,
    pub why: &'static str,
}

pub const ADVISORIES: &[Advisory] = &[
    Advisory {
        cve: "CVE-2019-5736",
        component: Component::Runc,
        fixed_in: &["1.0.0-rc7"],
        summary: "a container can overwrite the host's runc binary and run code as root on the host",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2021-30465",
        component: Component::Runc,
        fixed_in: &["1.0.0-rc95"],
        summary: "symlink-exchange race in mount setup lets a container mount host paths",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2024-21626",
        component: Component::Runc,
        fixed_in: &["1.1.12"],
        summary: "leaked file descriptor gives a container (or an image's WORKDIR) access to the host file system",
        backports: &[("runc", "1.1.5+ds1-1+deb12u1"), ("runc", "1.0.0~rc93+ds1-5+deb11u3")],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2025-31133",
        component: Component::Runc,
        fixed_in: &["1.2.8", "1.3.3"],
        summary: "masked-path and /dev/console races let a container write to host procfs files and escape",
        backports: &[],
        known_unfixed: &[KnownUnfixed {
            package: "runc",
            version: "1.1.5+ds1-1+deb12u1",
            why: "this is Debian 12's runc security update for CVE-2024-21626 (February 2024), published before \
                  CVE-2025-31133 was disclosed (November 2025), so it cannot carry that fix; in February 2026 Debian's \
                  maintainers were still discussing how to bring a fixed runc (1.2.8 or later) to bookworm \
                  (debian-bugs-rc)",
        }],
    },
    Advisory {
        cve: "CVE-2020-15257",
        component: Component::Containerd,
        fixed_in: &["1.3.9", "1.4.3"],
        summary: "containers on the host network reach containerd-shim's abstract socket and escape",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2022-23648",
        component: Component::Containerd,
        fixed_in: &["1.4.13", "1.5.10", "1.6.1"],
        summary: "an image's volume paths can read arbitrary host files",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2021-41091",
        component: Component::Engine,
        fixed_in: &["20.10.9"],
        summary: "the data directory lets unprivileged host users run setuid programs from containers",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2022-24769",
        component: Component::Engine,
        fixed_in: &["20.10.14"],
        summary: "containers start with inheritable capabilities that execve can raise",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2023-28840",
        component: Component::Engine,
        fixed_in: &["20.10.24", "23.0.3"],
        summary: "encrypted overlay networks accept unencrypted packets",
        backports: &[],
        known_unfixed: &[],
    },
    Advisory {
        cve: "CVE-2024-41110",
        component: Component::Engine,
        fixed_in: &["23.0.15", "25.0.6", "26.1.5", "27.1.1"],
        summary: "requests can bypass authorization plugins (AuthZ); matters only where one is used",
        backports: &[("docker.io", "20.10.24+dfsg1-1+deb12u1")],
        known_unfixed: &[],
    },
];

/// `20.10.24+dfsg1` -> `[20, 10, 24]`; a pre-release (`1.0.0-rc7`) sorts below its release.
fn upstream_parts(version: &str) -> (Vec<u64>, Option<String>) {
    let version = version.trim().trim_start_matches('v');
    let core_end = version.find(['+', '~']).unwrap_or(version.len());
    let core = &version[..core_end];
    let (numbers, pre) = match core.split_once('-') {
        Some((numbers, pre)) => (numbers, Some(pre.to_string())),
        None => (core, None),
    };
    (numbers.split('.').map_while(|part| part.parse().ok()).collect(), pre)
}

fn compare_upstream(a: &str, b: &str) -> Ordering {
    let (a_numbers, a_pre) = upstream_parts(a);
    let (b_numbers, b_pre) = upstream_parts(b);
    a_numbers.cmp(&b_numbers).then_with(|| match (a_pre, b_pre) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => compare_debian(&a, &b),
    })
}

/// True when the upstream `version` is older than the fix of its release line.
pub fn upstream_affected(version: &str, fixed_in: &[&str]) -> bool {
    let (numbers, _) = upstream_parts(version);
    if numbers.is_empty() {
        return false;
    }
    let line = |v: &str| upstream_parts(v).0.into_iter().take(2).collect::<Vec<_>>();
    let own_line: Vec<u64> = numbers.iter().copied().take(2).collect();
    if let Some(fix) = fixed_in.iter().find(|fix| line(fix) == own_line) {
        return compare_upstream(version, fix) == Ordering::Less;
    }
    // A line that is not listed got no fix of its own (end of life): affected unless it is
    // newer than every line that did.
    fixed_in.iter().any(|fix| compare_upstream(version, fix) == Ordering::Less)
}

/// Debian package versions compared as `dpkg --compare-versions` does: epoch, then upstream
/// version and revision with `~` sorting before everything, letters before other symbols.
pub fn compare_debian(a: &str, b: &str) -> Ordering {
    fn split(version: &str) -> (u64, &str, &str) {
        let (epoch, rest) = match version.split_once(':') {
            Some((epoch, rest)) if epoch.bytes().all(|b| b.is_ascii_digit()) => (epoch.parse().unwrap_or(0), rest),
            _ => (0, version),
        };
        match rest.rsplit_once('-') {
            Some((upstream, revision)) => (epoch, upstream, revision),
            None => (epoch, rest, ""),
        }
    }
    fn order(c: Option<u8>) -> i32 {
        match c {
            None => 0,
            Some(b'~') => -1,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => i32::from(c),
            Some(c) => i32::from(c) + 256,
        }
    }
    fn verrevcmp(a: &str, b: &str) -> Ordering {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            // Non-digit prefixes, character by character.
            while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
                let ac = order(a.get(i).copied().filter(|c| !c.is_ascii_digit()));
                let bc = order(b.get(j).copied().filter(|c| !c.is_ascii_digit()));
                if ac != bc {
                    return ac.cmp(&bc);
                }
                if i < a.len() && !a[i].is_ascii_digit() {
                    i += 1;
                }
                if j < b.len() && !b[j].is_ascii_digit() {
                    j += 1;
                }
            }
            // Digit runs, numerically (leading zeros ignored).
            let start_i = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let start_j = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let number = |digits: &[u8]| {
                let trimmed: &[u8] = &digits[digits.iter().position(|&d| d != b'0').unwrap_or(digits.len())..];
                (trimmed.len(), trimmed.to_vec())
            };
            let ordering = number(&a[start_i..i]).cmp(&number(&b[start_j..j]));
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    }
    let (a_epoch, a_upstream, a_revision) = split(a);
    let (b_epoch, b_upstream, b_revision) = split(b);
    a_epoch.cmp(&b_epoch).then_with(|| verrevcmp(a_upstream, b_upstream)).then_with(|| verrevcmp(a_revision, b_revision))
}

/// A version string from a distribution build (`+dfsg`, `+ds`, `~ds`, `ubuntu`, `deb`).
pub fn is_distribution_build(version: &str) -> bool {
    ["+dfsg", "+ds", "~ds", "ubuntu", "deb", ".el", "+b"].iter().any(|marker| version.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_lines_and_pre_releases() {
        assert!(upstream_affected("1.1.11", &["1.1.12"]));
        assert!(!upstream_affected("1.1.12", &["1.1.12"]));
        assert!(!upstream_affected("1.2.0", &["1.1.12"]));
        assert!(upstream_affected("1.0.0-rc6", &["1.0.0-rc7"]));
        assert!(!upstream_affected("1.0.0", &["1.0.0-rc7"]));
        assert!(upstream_affected("20.10.24+dfsg1", &["23.0.15", "25.0.6", "26.1.5", "27.1.1"]));
        assert!(upstream_affected("26.1.4", &["23.0.15", "25.0.6", "26.1.5", "27.1.1"]));
        assert!(!upstream_affected("28.0.0", &["23.0.15", "25.0.6", "26.1.5", "27.1.1"]));
        assert!(upstream_affected("24.0.9", &["23.0.15", "25.0.6", "26.1.5", "27.1.1"]), "24.x got no fix");
        assert!(upstream_affected("1.3.2", &["1.2.8", "1.3.3"]) && !upstream_affected("1.4.0", &["1.2.8", "1.3.3"]));
    }

    #[test]
    fn debian_versions_compare_like_dpkg() {
        use Ordering::*;
        // Pairs checked with `dpkg --compare-versions`.
        let cases = [
            ("20.10.24+dfsg1-1+deb12u1+b6", "20.10.24+dfsg1-1+deb12u1", Greater),
            ("20.10.24+dfsg1-1", "20.10.24+dfsg1-1+deb12u1", Less),
            ("1.0~rc1-1", "1.0-1", Less),
            ("1:0.9", "2.0", Greater),
            ("1.1.5+ds1-1+deb12u1", "1.1.5+ds1-1+deb12u1", Equal),
            ("1.10", "1.9", Greater),
            ("1.0a", "1.0+", Less),
        ];
        for (a, b, expected) in cases {
            assert_eq!(compare_debian(a, b), expected, "{a} vs {b}");
        }
    }
}
