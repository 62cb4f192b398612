//! DKF040: EXPOSE with a port that is out of range or malformed.

use crate::prelude::*;

pub const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "DKF040",
        name: "invalid-expose-port",
        title: "EXPOSE valid ports (0-65535, optional /tcp, /udp or /sctp)",
        severity: Severity::Low,
        category: Category::Network,
        checklist: &[9],
        aliases: &["DL3011", "AVD-DS-0008"],
        target: Target::Dockerfile,
        docs: RuleDocs {
            what: "Flags EXPOSE arguments that are not a port or port range from 0 to 65535 with an optional \
                   `/tcp`, `/udp` or `/sctp`: out-of-range numbers, reversed ranges, unknown protocols, and \
                   `host:container` mappings. Arguments holding a variable are not judged.",
            why: "EXPOSE documents the ports the service listens on, and tools (compose, `docker run -P`, scanners, \
                  network policy generators) read it. An invalid value either fails the build or is silently \
                  misread; a `host:container` pair suggests the author expected EXPOSE to publish the port, which it \
                  never does.",
            example: "FROM nginx:1.27\nEXPOSE 80:8080 70000",
            fix: "List container ports only (`EXPOSE 8080/tcp`) and publish them at run time (`docker run -p \
                  127.0.0.1:8080:8080`).",
            references: &["https://docs.docker.com/reference/dockerfile/#expose", "https://github.com/hadolint/hadolint/wiki/DL3011"],
            peer_notes: "Also flagged, where DL3011 only checks the range: reversed ranges, unknown protocols and \
                         `host:container` or `ip:host:container` forms.",
        },
    },
    check: Check::Dockerfile(check),
};

fn check(cx: &DockerfileContext<'_>, out: &mut Sink<'_>) {
    for ins in &cx.dockerfile.instructions {
        let Kind::Expose(ports) = &ins.kind else { continue };
        for port in ports {
            if helpers::has_expansion(&port.value) {
                continue;
            }
            if let Some(problem) = problem(&port.value) {
                out.report(port.span, format!("EXPOSE `{}`: {problem}", port.value));
            }
        }
    }
}

/// What is wrong with an EXPOSE argument, if anything.
fn problem(spec: &str) -> Option<String> {
    let (ports, protocol) = match spec.split_once('/') {
        Some((ports, protocol)) => (ports, Some(protocol)),
        None => (spec, None),
    };
    if let Some(protocol) = protocol {
        if !matches!(protocol.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
            return Some(format!("unknown protocol `{protocol}` (expected tcp, udp or sctp)"));
        }
    }
    if ports.contains(':') {
        return Some("EXPOSE takes container ports only; publishing `host:container` is done with `docker run -p`".into());
    }
    let number = |text: &str| -> Result<u32, String> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{text}` is not a port number"));
        }
        match text.parse::<u32>() {
            Ok(port) if port <= 65535 => Ok(port),
            _ => Err(format!("{text} is outside the port range 0-65535")),
        }
    };
    let checked = match ports.split_once('-') {
        Some((low, high)) => number(low).and_then(|l| number(high).map(|h| (l, h))).and_then(|(l, h)| {
            if l <= h { Ok(()) } else { Err(format!("the range {l}-{h} is reversed")) }
        }),
        None => number(ports).map(|_| ()),
    };
    checked.err()
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn valid_and_invalid_ports() {
        for valid in ["80", "0", "65535", "8000-8010", "53/udp", "80/TCP", "9000-9001/sctp"] {
            assert_eq!(problem(valid), None, "{valid}");
        }
        for invalid in ["65536", "70000/tcp", "80/http", "8080:80", "9-1", "http", "80-", "-1"] {
            assert!(problem(invalid).is_some(), "{invalid}");
        }
    }
}
