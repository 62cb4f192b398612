//! `--mount` (the long, CSV syntax) and `--tmpfs`, as the Docker CLI reads them.

use rampart_model::{parse_go_bool, KeyValue, Mount, MountKind, Propagation};

/// Parses `--mount type=bind,source=/a,target=/b,readonly,bind-propagation=rshared`.
/// The value is CSV (fields may be quoted: `"volume-opt=o=addr=1.2.3.4,rw"`). Docker rejects
/// unknown keys; podman has more of its own, which `lenient` accepts as options.
pub(crate) fn parse_mount(raw: &str, lenient: bool) -> Result<Mount, String> {
    let fields = split_csv(raw).map_err(|e| format!("invalid --mount `{raw}`: {e}"))?;
    let mut kind = MountKind::Volume;
    let mut source: Option<String> = None;
    let mut target: Option<String> = None;
    let mut read_only = false;
    let mut propagation = None;
    let mut options = Vec::new();
    for field in &fields {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.to_string())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        let need_value = |v: Option<String>| v.ok_or_else(|| format!("invalid --mount `{raw}`: `{key}` needs a value"));
        match key.as_str() {
            "type" => {
                kind = match need_value(value)?.as_str() {
                    "bind" => MountKind::Bind,
                    "volume" => MountKind::Volume,
                    "tmpfs" => MountKind::Tmpfs,
                    "npipe" => MountKind::Npipe,
                    "image" => MountKind::Image,
                    "cluster" => MountKind::Cluster,
                    other if lenient => {
                        options.push(KeyValue::new("type", other));
                        MountKind::Volume
                    }
                    other => return Err(format!("invalid --mount `{raw}`: unknown type `{other}`")),
                }
            }
            "source" | "src" => source = Some(need_value(value)?),
            "target" | "destination" | "dst" => target = Some(need_value(value)?),
            "readonly" | "ro" => {
                read_only = match value {
                    None => true,
                    Some(v) => parse_go_bool(&v)
                        .ok_or_else(|| format!("invalid --mount `{raw}`: `{key}` takes true or false, not `{v}`"))?,
                }
            }
            "rw" if lenient => read_only = false,
            "bind-propagation" => {
                let v = need_value(value)?;
                propagation = Some(
                    Propagation::parse(&v).ok_or_else(|| format!("invalid --mount `{raw}`: unknown propagation `{v}`"))?,
                );
            }
            "consistency" | "bind-nonrecursive" | "bind-recursive" | "bind-create-src" | "volume-nocopy" | "volume-label"
            | "volume-driver" | "volume-opt" | "volume-subpath" | "tmpfs-size" | "tmpfs-mode" | "image-subpath" => {
                options.push(KeyValue::new(key.clone(), value.unwrap_or_default()));
            }
            _ if lenient => options.push(KeyValue::new(key.clone(), value.unwrap_or_default())),
            _ => return Err(format!("invalid --mount `{raw}`: unexpected key `{key}`")),
        }
    }
    let target = target.filter(|t| !t.is_empty()).ok_or_else(|| format!("invalid --mount `{raw}`: target is required"))?;
    match kind {
        MountKind::Bind | MountKind::Npipe if source.as_deref().is_none_or(str::is_empty) => {
            return Err(format!("invalid --mount `{raw}`: a {} mount needs a source", if kind == MountKind::Bind { "bind" } else { "npipe" }));
        }
        MountKind::Tmpfs if source.is_some() => {
            return Err(format!("invalid --mount `{raw}`: a tmpfs mount has no source"));
        }
        _ => {}
    }
    if propagation.is_some() && kind != MountKind::Bind {
        return Err(format!("invalid --mount `{raw}`: bind-propagation is only for bind mounts"));
    }
    let host_path = matches!(kind, MountKind::Bind | MountKind::Npipe).then(|| source.clone()).flatten();
    Ok(Mount { kind, source, host_path, target, read_only, propagation, options })
}

/// `--tmpfs /run:rw,noexec,nosuid,size=65536k`.
pub(crate) fn parse_tmpfs(raw: &str) -> Result<Mount, String> {
    let (target, options) = raw.split_once(':').unwrap_or((raw, ""));
    if target.is_empty() {
        return Err(format!("invalid --tmpfs `{raw}`: expected PATH[:OPTIONS]"));
    }
    let mut mount = Mount {
        kind: MountKind::Tmpfs,
        source: None,
        host_path: None,
        target: target.to_string(),
        read_only: false,
        propagation: None,
        options: Vec::new(),
    };
    for option in options.split(',').filter(|o| !o.is_empty()) {
        match option {
            "ro" => mount.read_only = true,
            "rw" => mount.read_only = false,
            other => mount.options.push(KeyValue::parse(other)),
        }
    }
    Ok(mount)
}

/// Splits one CSV record (Go's encoding/csv, as the CLI uses): commas separate fields, a field
/// may be double-quoted, `""` inside quotes is a quote.
fn split_csv(raw: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = raw.chars().peekable();
    let mut at_field_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_field_start => {
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(other) => field.push(other),
                        None => return Err("unterminated quote".to_string()),
                    }
                }
                at_field_start = false;
                if !matches!(chars.peek(), None | Some(',')) {
                    return Err("extraneous text after a quoted field".to_string());
                }
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                at_field_start = true;
            }
            other => {
                field.push(other);
                at_field_start = false;
            }
        }
    }
    fields.push(field);
    Ok(fields.into_iter().filter(|f| !f.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_mount_syntax() {
        let m = parse_mount("type=bind,source=/srv/shared,target=/shared,bind-propagation=rshared", false).unwrap();
        assert_eq!(m.kind, MountKind::Bind);
        assert_eq!(m.host_path.as_deref(), Some("/srv/shared"));
        assert_eq!(m.propagation, Some(Propagation::Rshared));
        assert!(!m.read_only);

        let m = parse_mount("type=bind,src=/etc,dst=/host-etc,readonly", false).unwrap();
        assert!(m.read_only);
        let m = parse_mount("type=bind,src=/etc,destination=/host-etc,ro=false", false).unwrap();
        assert!(!m.read_only);

        let m = parse_mount("source=data,target=/data", false).unwrap();
        assert_eq!((m.kind, m.source.as_deref(), m.host_path.as_deref()), (MountKind::Volume, Some("data"), None));

        let m = parse_mount(r#"type=volume,source=nfs,target=/n,"volume-opt=o=addr=10.0.0.1,rw",volume-opt=type=nfs"#, false).unwrap();
        assert_eq!(m.options, vec![KeyValue::new("volume-opt", "o=addr=10.0.0.1,rw"), KeyValue::new("volume-opt", "type=nfs")]);

        let m = parse_mount("type=tmpfs,target=/tmp,tmpfs-size=64m", false).unwrap();
        assert_eq!((m.kind, m.source.as_deref()), (MountKind::Tmpfs, None));

        let m = parse_mount(r"type=npipe,source=\\.\pipe\docker_engine,target=\\.\pipe\docker_engine", false).unwrap();
        assert_eq!(m.kind, MountKind::Npipe);

        for bad in [
            "type=bind,target=/x",
            "type=bind,source=/x",
            "type=tmpfs,source=/x,target=/y",
            "type=weird,target=/x",
            "source=/x,target=/y,bogus=1",
            "type=bind,source=/a,target=/b,readonly=maybe",
            "type=volume,source=v,target=/b,bind-propagation=shared",
            "type=bind,source=/a,target=/b,bind-propagation=sideways",
            r#"type=bind,"source=/a,target=/b"#,
            "",
        ] {
            assert!(parse_mount(bad, false).is_err(), "{bad} should be rejected");
        }
        // podman has options Docker lacks.
        assert!(parse_mount("type=bind,source=/a,target=/b,relabel=shared,U", true).is_ok());
    }

    #[test]
    fn tmpfs_flag() {
        let m = parse_tmpfs("/tmp:rw,noexec,nosuid,size=16m").unwrap();
        assert_eq!(m.kind, MountKind::Tmpfs);
        assert_eq!(m.target, "/tmp");
        assert_eq!(m.options.len(), 3);
        assert!(parse_tmpfs("/run").is_ok());
        assert!(parse_tmpfs(":size=1m").is_err());
    }
}
