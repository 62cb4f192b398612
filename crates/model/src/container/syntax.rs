//! Value syntaxes shared by the `docker run` and compose front ends: sizes (`128m`), durations
//! (`1m30s`), CPU counts (`.5`) and the short volume syntax (`/src:/dst:ro,rshared`). They follow
//! the Docker CLI (go-units, Go's time.ParseDuration, the daemon's volume parser) so that a value
//! means here what it means to Docker.

use super::{KeyValue, Mount, MountKind, Propagation};

/// A memory size as the Docker CLI reads it (go-units `RAMInBytes`): a decimal number and an
/// optional binary unit `b`, `k`, `m`, `g`, `t`, `p` (any case, optionally followed by `i` and/or
/// `b`, so `128m`, `128MB`, `1.5GiB`). A bare number is bytes.
pub fn parse_ram_bytes(raw: &str) -> Result<i64, String> {
    let bad = || format!("invalid size `{raw}`: expected a number with an optional unit (b, k, m, g, t, p)");
    let text = raw.trim();
    let number_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    let mut chars = unit.chars();
    let multiplier: f64 = match chars.next() {
        None | Some('b') if unit.len() <= 1 => 1.0,
        Some('k') => 1024.0,
        Some('m') => 1024.0 * 1024.0,
        Some('g') => 1024.0 * 1024.0 * 1024.0,
        Some('t') => 1024.0_f64.powi(4),
        Some('p') => 1024.0_f64.powi(5),
        _ => return Err(bad()),
    };
    let rest = chars.as_str();
    if !matches!(rest, "" | "b" | "i" | "ib") {
        return Err(bad());
    }
    let bytes = value * multiplier;
    if !bytes.is_finite() || bytes > i64::MAX as f64 {
        return Err(format!("invalid size `{raw}`: too large"));
    }
    Ok(bytes as i64)
}

/// A Go duration (`30s`, `1m30s`, `1.5h`, `300ms`, `10us`) in nanoseconds. Negative durations
/// are rejected (Docker rejects them for healthchecks).
pub fn parse_go_duration(raw: &str) -> Result<u64, String> {
    let bad = |why: &str| format!("invalid duration `{raw}`: {why}");
    let text = raw.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    if text.starts_with('-') {
        return Err(bad("must not be negative"));
    }
    if text == "0" {
        return Ok(0);
    }
    if text.is_empty() {
        return Err(bad("empty"));
    }
    let mut total: f64 = 0.0;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        if number.is_empty() || number == "." {
            return Err(bad("expected a number"));
        }
        let value: f64 = number.parse().map_err(|_| bad("bad number"))?;
        let unit_end = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_end);
        let nanos_per_unit: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(bad("missing unit (ns, us, ms, s, m, h)")),
            _ => return Err(bad("unknown unit")),
        };
        total += value * nanos_per_unit;
        rest = next;
    }
    if !total.is_finite() || total > u64::MAX as f64 {
        return Err(bad("too large"));
    }
    Ok(total.round() as u64)
}

/// `--cpus` (`1.5`, `.5`, `2`) in billionths of a CPU, exactly (no float rounding): at most
/// nine decimals, as the Docker CLI requires.
pub fn parse_nano_cpus(raw: &str) -> Result<i64, String> {
    let bad = || format!("invalid CPU count `{raw}`: expected a decimal number such as 0.5");
    let text = raw.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if (whole.is_empty() && fraction.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    if fraction.len() > 9 {
        return Err(format!("invalid CPU count `{raw}`: too precise (at most 9 decimals)"));
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let fraction_nanos: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<9}").parse().map_err(|_| bad())? };
    whole.checked_mul(1_000_000_000).and_then(|n| n.checked_add(fraction_nanos)).ok_or_else(bad)
}

/// The short volume syntax of `docker run -v` and compose `volumes:`:
/// `TARGET` (anonymous volume), `SOURCE:TARGET`, `SOURCE:TARGET:MODE` where MODE is a comma list
/// of `ro`/`rw`, a propagation, `z`/`Z`, `nocopy`, or a consistency (`cached`, `delegated`,
/// `consistent`). A source that is a path (`/`, `.`, `~`, a Windows drive) is a bind mount; a
/// `\\.\pipe\` source is a named pipe; anything else names a volume. A source that starts with
/// an unexpanded shell variable (`$PWD/src`, only seen in scripts) is taken for a host path: a
/// volume name cannot contain `$`.
pub fn parse_volume_short(raw: &str) -> Result<Mount, String> {
    let bad = |why: &str| format!("invalid volume `{raw}`: {why}");
    let parts = split_volume(raw);
    let (source, target, mode) = match parts.as_slice() {
        [target] => (None, target.as_str(), None),
        [source, target] => {
            if is_volume_mode(target) {
                return Err(bad("a volume needs a container path before its mode"));
            }
            (Some(source.as_str()), target.as_str(), None)
        }
        [source, target, mode] => (Some(source.as_str()), target.as_str(), Some(mode.as_str())),
        _ => return Err(bad("expected [SOURCE:]TARGET[:MODE]")),
    };
    if target.is_empty() {
        return Err(bad("empty container path"));
    }
    if !is_absolute_container_path(target) {
        return Err(bad("the container path must be absolute"));
    }
    let source = source.filter(|s| !s.is_empty());
    if source.is_none() && parts.len() > 1 {
        return Err(bad("empty source"));
    }
    let kind = match source {
        None => MountKind::Volume,
        Some(s) if s.starts_with(r"\\.\pipe\") || s.starts_with("//./pipe/") => MountKind::Npipe,
        Some(s) if is_host_path(s) || s.starts_with('$') => MountKind::Bind,
        Some(_) => MountKind::Volume,
    };
    let mut mount = Mount {
        kind,
        source: source.map(str::to_string),
        host_path: if matches!(kind, MountKind::Bind | MountKind::Npipe) { source.map(str::to_string) } else { None },
        target: target.to_string(),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    };
    for option in mode.into_iter().flat_map(|m| m.split(',')) {
        match option {
            "ro" => mount.read_only = true,
            "rw" => mount.read_only = false,
            "z" | "Z" | "nocopy" | "cached" | "delegated" | "consistent" => mount.options.push(KeyValue::new(option, "")),
            other => match Propagation::parse(other) {
                Some(propagation) => mount.propagation = Some(propagation),
                None => return Err(bad(&format!("unknown mode `{other}`"))),
            },
        }
    }
    Ok(mount)
}

/// Splits on `:`, keeping a Windows drive letter (`C:\data`) with its path.
fn split_volume(raw: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut pieces = raw.split(':').peekable();
    while let Some(piece) = pieces.next() {
        let is_drive = piece.len() == 1 && piece.bytes().all(|b| b.is_ascii_alphabetic());
        if is_drive && pieces.peek().is_some_and(|next| next.starts_with('\\')) {
            let next = pieces.next().unwrap_or_default();
            parts.push(format!("{piece}:{next}"));
        } else {
            parts.push(piece.to_string());
        }
    }
    parts
}

fn is_volume_mode(text: &str) -> bool {
    text.split(',').all(|option| {
        matches!(option, "ro" | "rw" | "z" | "Z" | "nocopy" | "cached" | "delegated" | "consistent")
            || Propagation::parse(option).is_some()
    })
}

/// A path rather than a volume name: absolute, relative (`.`, `..`), home-relative, or a
/// Windows drive path.
fn is_host_path(source: &str) -> bool {
    source.starts_with('/')
        || source.starts_with('.')
        || source.starts_with('~')
        || source.starts_with('\\')
        || (source.len() >= 2 && source.as_bytes()[1] == b':' && source.as_bytes()[0].is_ascii_alphabetic())
}

fn is_absolute_container_path(target: &str) -> bool {
    target.starts_with('/')
        || target.starts_with('\\')
        || (target.len() >= 2 && target.as_bytes()[1] == b':' && target.as_bytes()[0].is_ascii_alphabetic())
}
