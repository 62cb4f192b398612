//! Go binaries' build information: the blob the Go linker writes at the start of the data
//! segment (the `.go.buildinfo` section), which `go version -m` prints. It starts with the magic
//! `"\xff Go buildinf:"`, a pointer size and flags, then either (Go >= 1.18, flag bit 2) the Go
//! version and the module information inline as varint-prefixed strings, or (older) two pointers
//! to Go string headers that must be followed through the ELF program headers.
//!
//! The module information is lines of tab-separated fields: `path`, `mod` (the main module),
//! `dep` (every module linked in), `=>` (a replacement of the line before), `build` (settings).
//!
//! Only ELF files are read (the images are Linux images). Every offset is checked; a hostile
//! file yields nothing, never a panic.

use memchr::memmem;

const MAGIC: &[u8] = b"\xff Go buildinf:";
const HEADER_LEN: usize = 32;
const FLAG_BIG_ENDIAN: u8 = 1;
const FLAG_INLINE_STRINGS: u8 = 2;
/// Longest Go version or module-information string accepted (a big binary's modinfo is tens of
/// kilobytes; Kubernetes' is about 20 KiB).
const MAX_STRING: usize = 4 << 20;
/// The Go linker writes a build-ID note early in the file, with owner `Go` and type 4.
const GO_NOTE: &[u8] = b"\x04\x00\x00\x00Go\x00\x00";
/// How far into the file the build-ID note is looked for.
const NOTE_WINDOW: usize = 64 << 10;

/// What `go version -m` would print for a binary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BuildInfo {
    /// `go1.22.5` (may carry a ` X:experiment` suffix).
    pub go_version: String,
    /// The main package's import path (`path` line).
    pub path: Option<String>,
    /// The main module and its version (`mod` line); absent for GOPATH-mode builds.
    pub main: Option<Module>,
    /// Every other module linked in (`dep` lines, replacements applied).
    pub deps: Vec<Module>,
    /// A version the build stamped into a variable with the linker (`-ldflags "-X
    /// github.com/docker/cli/cli/version.Version=28.2.2"`): the only version a binary built
    /// outside module mode, or from a source tree without VCS data, carries.
    pub ldflags_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Module {
    pub path: String,
    pub version: String,
}

/// What reading an executable's content found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    BuildInfo(BuildInfo),
    /// A Go binary (its build-ID note is there) whose build information lies past the part of
    /// the file that was read.
    BeyondReadLimit,
}

/// Whether a file's first bytes are an ELF header.
pub(crate) fn is_elf(content: &[u8]) -> bool {
    content.starts_with(b"\x7fELF")
}

/// The build information of an ELF executable's content (maybe cut at the read limit:
/// `truncated`). `None` for anything that is not a Go binary.
pub(crate) fn read(content: &[u8], truncated: bool) -> Option<Found> {
    if !is_elf(content) {
        return None;
    }
    let elf = Elf::parse(content);
    let mut search_from = 0;
    while let Some(at) = memmem::find(content.get(search_from..)?, MAGIC).map(|i| i + search_from) {
        if let Some(info) = decode(content, at, elf.as_ref()) {
            return Some(Found::BuildInfo(info));
        }
        search_from = at + 1;
    }
    let head = &content[..content.len().min(NOTE_WINDOW)];
    (truncated && memmem::find(head, GO_NOTE).is_some()).then_some(Found::BeyondReadLimit)
}

/// The build information of an executable read as a stream, for binaries larger than what a
/// walker holds in memory: the file is scanned in chunks, keeping only a small overlap, so
/// memory stays bounded whatever the size. The inline format (Go >= 1.18) is read wherever it
/// is; the older pointer format needs random access and is read only from the first chunk.
pub(crate) fn read_stream<R: std::io::Read>(mut reader: R) -> std::io::Result<Option<Found>> {
    const CHUNK: usize = 1 << 20;
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + HEADER_LEN);
    let mut chunk = vec![0u8; CHUNK];
    let mut first = true;
    loop {
        let got = read_full(&mut reader, &mut chunk)?;
        window.extend_from_slice(&chunk[..got]);
        if first {
            if !is_elf(&window) {
                return Ok(None);
            }
            if let Some(found @ Found::BuildInfo(_)) = read(&window, false) {
                return Ok(Some(found));
            }
            first = false;
        }
        let mut search_from = 0;
        while let Some(at) = memmem::find(&window[search_from..], MAGIC).map(|i| i + search_from) {
            // Read on until the header and both length-prefixed strings are in the window.
            while window.len() < at + HEADER_LEN + 2 * MAX_STRING + 20 {
                let more = read_full(&mut reader, &mut chunk)?;
                if more == 0 {
                    break;
                }
                window.extend_from_slice(&chunk[..more]);
                if decode(&window, at, None).is_some() {
                    break;
                }
            }
            if let Some(info) = decode(&window, at, None) {
                return Ok(Some(Found::BuildInfo(info)));
            }
            search_from = at + 1;
        }
        if got == 0 {
            return Ok(None);
        }
        // Keep the tail: a magic cut by the chunk boundary is found in the next round.
        let keep = window.len().min(MAGIC.len() - 1);
        window.drain(..window.len() - keep);
    }
}

/// Fills `buffer` unless the stream ends first; how many bytes were read.
fn read_full<R: std::io::Read>(reader: &mut R, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Decodes the build information whose header is at `at`.
fn decode(content: &[u8], at: usize, elf: Option<&Elf>) -> Option<BuildInfo> {
    let header = content.get(at..at.checked_add(HEADER_LEN)?)?;
    let pointer_size = header[14] as usize;
    let flags = header[15];
    let (version, modinfo) = if flags & FLAG_INLINE_STRINGS != 0 {
        let rest = &content[at + HEADER_LEN..];
        let (version, used) = varint_string(rest)?;
        let (modinfo, _) = varint_string(&rest[used..])?;
        (version.to_vec(), modinfo.to_vec())
    } else {
        if pointer_size != 4 && pointer_size != 8 {
            return None;
        }
        let elf = elf?;
        let big_endian = flags & FLAG_BIG_ENDIAN != 0;
        let version_at = elf.read_pointer(header.get(16..16 + pointer_size)?, big_endian);
        let modinfo_at = elf.read_pointer(header.get(16 + pointer_size..16 + 2 * pointer_size)?, big_endian);
        (elf.go_string(content, version_at, pointer_size, big_endian)?, elf.go_string(content, modinfo_at, pointer_size, big_endian)?)
    };
    let go_version = String::from_utf8(version).ok().filter(|v| v.starts_with("go") && v.len() < 200)?;
    let mut info = BuildInfo { go_version, ..BuildInfo::default() };
    parse_modinfo(&strip_sentinels(&modinfo), &mut info);
    Some(info)
}

/// The module information is framed by two 16-byte sentinels, the last preceded by a newline.
fn strip_sentinels(modinfo: &[u8]) -> String {
    let n = modinfo.len();
    if n >= 33 && modinfo[n - 17] == b'\n' {
        String::from_utf8_lossy(&modinfo[16..n - 16]).into_owned()
    } else {
        String::new()
    }
}

pub(crate) fn parse_modinfo(text: &str, info: &mut BuildInfo) {
    let mut last_was_main = false;
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["path", path, ..] => info.path = Some(path.to_string()),
            ["mod", path, version, ..] => {
                info.main = Some(Module { path: path.to_string(), version: version.to_string() });
                last_was_main = true;
                continue;
            }
            ["dep", path, version, ..] => info.deps.push(Module { path: path.to_string(), version: version.to_string() }),
            ["build", setting] => {
                if let Some(flags) = setting.strip_prefix("-ldflags=") {
                    info.ldflags_version = version_from_ldflags(flags);
                }
            }
            ["ldflags-version", version] => info.ldflags_version = Some(version.to_string()),
            // A replacement: the code built is the replacement module's. A local directory
            // (no version) names nothing an advisory could, so the original stays.
            ["=>", path, version, ..] if !version.is_empty() => {
                let replaced = Module { path: path.to_string(), version: version.to_string() };
                let target = if last_was_main { info.main.as_mut() } else { info.deps.last_mut() };
                if let Some(module) = target {
                    *module = replaced;
                }
            }
            _ => {}
        }
        last_was_main = false;
    }
}

/// The value of the first `-X importpath.name=value` whose variable is a version
/// (`Version`, `version`, `gitVersion`, `GitVersion`) and whose value looks like one (a digit,
/// or `v` and a digit, first). The flags are as `go version -m` shows them: Go-quoted, so
/// inner quotes are `\"`.
fn version_from_ldflags(flags: &str) -> Option<String> {
    let unquoted = flags.replace("\\\"", "\"").replace("\\t", " ");
    let mut words = unquoted.split(|c: char| c.is_whitespace() || c == '"' || c == '\'').filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        if word != "-X" {
            continue;
        }
        let Some((name, value)) = words.next().and_then(|assignment| assignment.split_once('=')) else { continue };
        let variable = name.rsplit('.').next().unwrap_or(name);
        let digits = value.strip_prefix('v').unwrap_or(value);
        if matches!(variable, "Version" | "version" | "gitVersion" | "GitVersion") && digits.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(value.to_string());
        }
    }
    None
}

/// A uvarint length, then that many bytes; and how many bytes the two took.
fn varint_string(data: &[u8]) -> Option<(&[u8], usize)> {
    let mut length: u64 = 0;
    for (i, &byte) in data.iter().enumerate().take(10) {
        length |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            let length = usize::try_from(length).ok().filter(|&l| l <= MAX_STRING)?;
            let start = i + 1;
            return Some((data.get(start..start.checked_add(length)?)?, start + length));
        }
    }
    None
}

/// What the pointer format needs from an ELF file: its loadable segments, to turn a virtual
/// address into a file offset.
struct Elf {
    big_endian: bool,
    /// (virtual address, file offset, bytes in the file)
    segments: Vec<(u64, u64, u64)>,
}

const PT_LOAD: u32 = 1;
/// More program headers than any real executable has.
const MAX_PROGRAM_HEADERS: usize = 256;

impl Elf {
    fn parse(content: &[u8]) -> Option<Elf> {
        let class64 = match content.get(4)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        let big_endian = match content.get(5)? {
            1 => false,
            2 => true,
            _ => return None,
        };
        let reader = Reader { content, big_endian };
        let (phoff, phentsize, phnum) = if class64 {
            (reader.u64(0x20)?, reader.u16(0x36)? as usize, reader.u16(0x38)? as usize)
        } else {
            (u64::from(reader.u32(0x1c)?), reader.u16(0x2a)? as usize, reader.u16(0x2c)? as usize)
        };
        if phnum > MAX_PROGRAM_HEADERS || phentsize < if class64 { 56 } else { 32 } {
            return None;
        }
        let mut segments = Vec::new();
        for i in 0..phnum {
            let at = usize::try_from(phoff).ok()?.checked_add(i.checked_mul(phentsize)?)?;
            if reader.u32(at)? != PT_LOAD {
                continue;
            }
            let (offset, vaddr, filesz) = if class64 {
                (reader.u64(at + 8)?, reader.u64(at + 16)?, reader.u64(at + 32)?)
            } else {
                (u64::from(reader.u32(at + 4)?), u64::from(reader.u32(at + 8)?), u64::from(reader.u32(at + 16)?))
            };
            segments.push((vaddr, offset, filesz));
        }
        Some(Elf { big_endian, segments })
    }

    fn file_offset(&self, address: u64) -> Option<usize> {
        let (vaddr, offset, _) = self.segments.iter().find(|(vaddr, _, size)| address >= *vaddr && address - vaddr < *size)?;
        usize::try_from(offset.checked_add(address - vaddr)?).ok()
    }

    fn read_pointer(&self, bytes: &[u8], big_endian: bool) -> u64 {
        let big = big_endian || self.big_endian;
        let mut value: u64 = 0;
        if big {
            for &b in bytes {
                value = value << 8 | u64::from(b);
            }
        } else {
            for &b in bytes.iter().rev() {
                value = value << 8 | u64::from(b);
            }
        }
        value
    }

    /// A Go string header (data pointer, length) at `address`, and the bytes it points to.
    fn go_string(&self, content: &[u8], address: u64, pointer_size: usize, big_endian: bool) -> Option<Vec<u8>> {
        let at = self.file_offset(address)?;
        let header = content.get(at..at.checked_add(2 * pointer_size)?)?;
        let data = self.read_pointer(&header[..pointer_size], big_endian);
        let length = usize::try_from(self.read_pointer(&header[pointer_size..], big_endian)).ok().filter(|&l| l <= MAX_STRING)?;
        let start = self.file_offset(data)?;
        content.get(start..start.checked_add(length)?).map(<[u8]>::to_vec)
    }
}

struct Reader<'a> {
    content: &'a [u8],
    big_endian: bool,
}

impl Reader<'_> {
    fn bytes<const N: usize>(&self, at: usize) -> Option<[u8; N]> {
        self.content.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    fn u16(&self, at: usize) -> Option<u16> {
        self.bytes(at).map(|b| if self.big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }
    fn u32(&self, at: usize) -> Option<u32> {
        self.bytes(at).map(|b| if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }
    fn u64(&self, at: usize) -> Option<u64> {
        self.bytes(at).map(|b| if self.big_endian { u64::from_be_bytes(b) } else { u64::from_le_bytes(b) })
    }
}

/// The build information as a small record kept while the image streams by (the binary itself
/// is not kept): `go <version>`, then the module information lines, or `beyond-read-limit`.
pub(crate) fn to_record(found: &Found) -> Vec<u8> {
    match found {
        Found::BeyondReadLimit => b"beyond-read-limit\n".to_vec(),
        Found::BuildInfo(info) => {
            let mut out = format!("go\t{}\n", info.go_version);
            if let Some(path) = &info.path {
                out.push_str(&format!("path\t{path}\n"));
            }
            if let Some(main) = &info.main {
                out.push_str(&format!("mod\t{}\t{}\n", main.path, main.version));
            }
            for dep in &info.deps {
                out.push_str(&format!("dep\t{}\t{}\n", dep.path, dep.version));
            }
            if let Some(version) = &info.ldflags_version {
                out.push_str(&format!("ldflags-version\t{version}\n"));
            }
            out.into_bytes()
        }
    }
}

/// The inverse of [`to_record`].
pub(crate) fn from_record(record: &[u8]) -> Option<Found> {
    let text = std::str::from_utf8(record).ok()?;
    if text == "beyond-read-limit\n" {
        return Some(Found::BeyondReadLimit);
    }
    let go_version = text.lines().next()?.strip_prefix("go\t")?.to_string();
    let mut info = BuildInfo { go_version, ..BuildInfo::default() };
    parse_modinfo(text, &mut info);
    Some(Found::BuildInfo(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODINFO: &str = "path\texample.com/app/cmd/app\nmod\texample.com/app\tv1.2.3\th1:abc=\n\
        dep\tgolang.org/x/sys\tv0.20.0\th1:def=\ndep\tgithub.com/old/lib\tv1.0.0\n=>\tgithub.com/new/lib\tv1.1.0\th1:ghi=\n\
        build\t-compiler=gc\nbuild\tGOARCH=amd64\n";

    fn framed(modinfo: &str) -> Vec<u8> {
        let mut out = b"0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6".to_vec();
        out.extend_from_slice(modinfo.as_bytes());
        out.extend_from_slice(b"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2");
        out
    }

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }

    /// A 64-bit little-endian ELF executable: header, one PT_LOAD program header mapping the
    /// whole file at `BASE`, padding, then the build information at `at`.
    const BASE: u64 = 0x40_0000;
    fn elf64(payload: &[u8], at: usize) -> Vec<u8> {
        let mut file = vec![0u8; at];
        file[..4].copy_from_slice(b"\x7fELF");
        file[4] = 2; // 64-bit
        file[5] = 1; // little-endian
        file[6] = 1;
        file[16] = 2; // ET_EXEC
        file[0x20..0x28].copy_from_slice(&64u64.to_le_bytes()); // e_phoff
        file[0x36..0x38].copy_from_slice(&56u16.to_le_bytes()); // e_phentsize
        file[0x38..0x3a].copy_from_slice(&1u16.to_le_bytes()); // e_phnum
        file.extend_from_slice(payload);
        let size = file.len() as u64 + 4096;
        let ph = 64;
        file[ph..ph + 4].copy_from_slice(&PT_LOAD.to_le_bytes());
        file[ph + 8..ph + 16].copy_from_slice(&0u64.to_le_bytes()); // p_offset
        file[ph + 16..ph + 24].copy_from_slice(&BASE.to_le_bytes()); // p_vaddr
        file[ph + 32..ph + 40].copy_from_slice(&size.to_le_bytes()); // p_filesz
        file.resize(size as usize, 0);
        file
    }

    fn inline_header(version: &str, modinfo: &[u8]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(8);
        out.push(FLAG_INLINE_STRINGS);
        out.resize(HEADER_LEN, 0);
        varint(version.len(), &mut out);
        out.extend_from_slice(version.as_bytes());
        varint(modinfo.len(), &mut out);
        out.extend_from_slice(modinfo);
        out
    }

    #[test]
    fn inline_format_of_go_1_18_and_later() {
        let file = elf64(&inline_header("go1.22.5", &framed(MODINFO)), 0x1230);
        let Some(Found::BuildInfo(info)) = read(&file, false) else { panic!("no build info") };
        assert_eq!(info.go_version, "go1.22.5");
        assert_eq!(info.path.as_deref(), Some("example.com/app/cmd/app"));
        assert_eq!(info.main, Some(Module { path: "example.com/app".into(), version: "v1.2.3".into() }));
        assert_eq!(
            info.deps,
            [
                Module { path: "golang.org/x/sys".into(), version: "v0.20.0".into() },
                Module { path: "github.com/new/lib".into(), version: "v1.1.0".into() },
            ]
        );
        // The record kept during the walk gives the same back.
        assert_eq!(from_record(&to_record(&Found::BuildInfo(info.clone()))), Some(Found::BuildInfo(info)));
    }

    #[test]
    fn pointer_format_before_go_1_18() {
        // Header at 0x1000; at 0x1100 two string headers (ptr, len); the strings at 0x1200.
        let modinfo = framed(MODINFO);
        let version = b"go1.16.15";
        let mut payload = MAGIC.to_vec();
        payload.push(8);
        payload.push(0);
        payload.extend_from_slice(&(BASE + 0x1100).to_le_bytes());
        payload.extend_from_slice(&(BASE + 0x1110).to_le_bytes());
        payload.resize(0x100, 0);
        payload.extend_from_slice(&(BASE + 0x1200).to_le_bytes());
        payload.extend_from_slice(&(version.len() as u64).to_le_bytes());
        payload.extend_from_slice(&(BASE + 0x1200 + version.len() as u64).to_le_bytes());
        payload.extend_from_slice(&(modinfo.len() as u64).to_le_bytes());
        payload.resize(0x200, 0);
        payload.extend_from_slice(version);
        payload.extend_from_slice(&modinfo);
        let file = elf64(&payload, 0x1000);
        let Some(Found::BuildInfo(info)) = read(&file, false) else { panic!("no build info") };
        assert_eq!(info.go_version, "go1.16.15");
        assert_eq!(info.main.map(|m| m.version), Some("v1.2.3".to_string()));
        assert_eq!(info.deps.len(), 2);
        // A pointer out of every segment gives nothing rather than a wrong read.
        let mut broken = file.clone();
        broken[0x1010..0x1018].copy_from_slice(&0xdead_beefu64.to_le_bytes());
        assert_eq!(read(&broken, false), None);
    }

    #[test]
    fn not_go_and_hostile_input() {
        assert_eq!(read(b"\x7fELF", false), None);
        assert_eq!(read(b"#!/bin/sh\necho \xff Go buildinf:", false), None);
        let plain = elf64(b"no build info here", 0x100);
        assert_eq!(read(&plain, false), None);
        // A Go binary cut before its build information: said so, not silently nothing.
        let mut cut = elf64(GO_NOTE, 0x200);
        cut.truncate(0x300);
        assert_eq!(read(&cut, true), Some(Found::BeyondReadLimit));
        assert_eq!(read(&cut, false), None);
        // A length that runs past the file, a varint that never ends, every truncation.
        let file = elf64(&inline_header("go1.22.5", &framed(MODINFO)), 0x80);
        for cut in 0..file.len().min(0x400) {
            let _ = read(&file[..cut], true);
        }
        let mut huge = inline_header("go1.22.5", b"");
        huge.truncate(HEADER_LEN);
        huge.extend_from_slice(&[0xff; 12]);
        assert_eq!(read(&elf64(&huge, 0x80), false), None);
        // No sentinels: a version, no modules.
        let Some(Found::BuildInfo(bare)) = read(&elf64(&inline_header("go1.20", b"x"), 0x80), false) else { panic!() };
        assert_eq!((bare.go_version.as_str(), bare.main, bare.deps.len()), ("go1.20", None, 0));
    }

    /// Random corruptions of both formats: never a panic, and what decodes is bounded.
    #[test]
    fn random_corruptions_never_panic() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let inline = elf64(&inline_header("go1.22.5", &framed(MODINFO)), 0x100);
        let mut pointer = MAGIC.to_vec();
        pointer.extend_from_slice(&[8, 0]);
        pointer.extend_from_slice(&(BASE + 0x1100).to_le_bytes());
        pointer.extend_from_slice(&(BASE + 0x1110).to_le_bytes());
        let pointer = elf64(&pointer, 0x1000);
        for original in [inline, pointer] {
            for _ in 0..3000 {
                let mut bad = original.clone();
                for _ in 0..1 + next() % 8 {
                    let at = (next() % bad.len() as u64) as usize;
                    bad[at] = next() as u8;
                }
                if let Some(Found::BuildInfo(info)) = read(&bad, next() % 2 == 0) {
                    assert!(info.go_version.len() < 200 && info.deps.len() < 10);
                }
            }
        }
    }

    /// The ldflags of Debian's dockerd and Docker's static docker CLI, as their build
    /// information records them.
    #[test]
    fn versions_stamped_with_the_linker() {
        let dockerd = r#"-ldflags=" \t\t-w \t-X \"github.com/docker/docker/dockerversion.Version=20.10.24+dfsg1\" \t-X \"github.com/docker/docker/dockerversion.GitCommit=5d6db84\" \t-X \"github.com/docker/docker/dockerversion.BuildTime=2026-05-07T21:09:36.000000000+00:00\" ""#;
        let mut info = BuildInfo::default();
        parse_modinfo(&format!("path\tgithub.com/docker/docker/cmd/dockerd\nbuild\t{dockerd}\nbuild\tCGO_ENABLED=1\n"), &mut info);
        assert_eq!(info.ldflags_version.as_deref(), Some("20.10.24+dfsg1"));
        let cli = r#"-ldflags=" -X \"github.com/docker/cli/cli/version.GitCommit=e6534b4\" -X \"github.com/docker/cli/cli/version.Version=28.2.2\" -extldflags -static""#;
        assert_eq!(version_from_ldflags(cli.strip_prefix("-ldflags=").unwrap()).as_deref(), Some("28.2.2"));
        assert_eq!(version_from_ldflags("-X main.version=v1.4.0 -s -w").as_deref(), Some("v1.4.0"));
        // Not a version variable, not a version value, a dangling -X.
        assert_eq!(version_from_ldflags("-X main.commit=1234 -X main.version=dev -X"), None);
        // Kept through the record the walk stores.
        let found = Found::BuildInfo(info);
        assert_eq!(from_record(&to_record(&found)), Some(found));
    }

    #[test]
    fn streamed_binaries_of_any_size() {
        // Build information 40 MiB into the file, past any read limit, across a chunk boundary.
        let at = (40 << 20) - 7;
        let file = elf64(&inline_header("go1.22.5", &framed(MODINFO)), at);
        let Some(Found::BuildInfo(info)) = read_stream(file.as_slice()).unwrap() else { panic!("no build info") };
        assert_eq!(info.go_version, "go1.22.5");
        assert_eq!(info.deps.len(), 2);
        // The same through a reader that hands out a few bytes at a time.
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(4093);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        assert!(matches!(read_stream(Trickle(&file)).unwrap(), Some(Found::BuildInfo(_))));
        // Not ELF: nothing read past the first chunk; ELF without build info: nothing.
        assert_eq!(read_stream(&b"#!/bin/sh\n"[..]).unwrap(), None);
        assert_eq!(read_stream(elf64(b"plain", 3 << 20).as_slice()).unwrap(), None);
        // The pointer format in the first chunk still works (it needs random access).
        let mut cut = elf64(&inline_header("go1.21.0", &framed(MODINFO)), 0x100);
        cut.truncate(0x100 + HEADER_LEN + 3);
        assert_eq!(read_stream(cut.as_slice()).unwrap(), None, "cut inside the strings");
    }

    #[test]
    fn main_module_replacement() {
        let mut info = BuildInfo::default();
        parse_modinfo("mod\texample.com/app\t(devel)\n=>\tfork.example/app\tv0.0.9\ndep\ta.example/x\tv1.0.0\n=>\t../x\t\n", &mut info);
        assert_eq!(info.main, Some(Module { path: "fork.example/app".into(), version: "v0.0.9".into() }));
        assert_eq!(info.deps, [Module { path: "a.example/x".into(), version: "v1.0.0".into() }]);
    }
}
