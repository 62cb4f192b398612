//! rampart's own Dockerfile syntax tree. It wraps what `parse-dockerfile` reads so that rules
//! never see that crate's types, and adds what rules need on top: comments (for suppression
//! pragmas), stages with their bases and names, typed instruction payloads, variable expansion
//! with BuildKit's scoping, and the shell commands inside every RUN.
//!
//! Every span is a byte range into [`Dockerfile::source`].

use crate::shell::ShellScript;
use serde::Serialize;

/// A byte range into the Dockerfile's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A piece of text from the file with where it came from. `value` has escapes and quotes
/// removed where the instruction's syntax removes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    pub value: String,
    pub span: Span,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    /// The whole text as read (after UTF-8 validation; a leading BOM is kept and skipped).
    pub source: String,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
    /// `# syntax=` directive value, when present.
    pub syntax: Option<Word>,
    /// Every instruction in file order, including the ARGs before the first FROM.
    pub instructions: Vec<Instruction>,
    /// Build stages in order; `stages[i].instructions` index into `instructions`.
    pub stages: Vec<Stage>,
    /// Every comment line (not parser directives, not lines inside heredoc bodies), in order.
    /// Comments inside line continuations are included.
    pub comments: Vec<Comment>,
    /// What BuildKit accepts but is probably a mistake (a line continuation at the end of the
    /// file), in order. The file still parses.
    pub warnings: Vec<ParseWarning>,
    /// Byte offset of the start of each line, for offset -> line/column.
    #[serde(skip)]
    pub(crate) line_starts: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Text after the `#`, trimmed.
    pub text: String,
    pub span: Span,
    /// 1-based line number.
    pub line: u32,
}

/// Something the parser accepted, as BuildKit does, but that is probably a mistake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseWarning {
    pub message: String,
    pub span: Span,
    /// 1-based line number.
    pub line: u32,
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// 0-based position; `COPY --from=0` refers to it.
    pub index: usize,
    /// The `AS name`, lower-cased as BuildKit compares them.
    pub name: Option<Word>,
    /// Index of the FROM instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// Indices of the stage's instructions after its FROM, in order.
    pub instructions: std::ops::Range<usize>,
    /// The base, resolved against global ARG defaults.
    pub base: BaseRef,
}

/// What a stage builds on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BaseRef {
    /// `FROM scratch`.
    Scratch,
    /// Another stage of this file, by index (`FROM builder`).
    Stage(usize),
    /// An image reference. `resolved` is `None` when it uses a variable with no default.
    Image(ImageRef),
}

/// An image reference as written and as resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// The text as written, e.g. `${BASE}:${TAG}` or `debian:12`.
    pub raw: String,
    /// The text after substituting global ARG defaults; `None` when any variable is unset
    /// (then rules about tags and registries must stay silent: hadolint's ARG false positive).
    pub resolved: Option<String>,
    /// Parts of `resolved`, when it is set.
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// One instruction.
#[derive(Debug, Clone, Serialize)]
pub struct Instruction {
    /// The upper-cased keyword (`RUN`, `COPY`, ...).
    pub keyword: String,
    /// From the keyword to the end of the last argument line, heredoc bodies included.
    pub span: Span,
    pub keyword_span: Span,
    /// 1-based line of the keyword.
    pub line: u32,
    /// `--name[=value]` flags in order.
    pub flags: Vec<Flag>,
    /// The stage it belongs to; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

/// Typed payloads. Only what rules need is broken out; `raw` keeps the rest.
#[derive(Debug, Clone, Serialize)]
pub enum Kind {
    From { image: Word, platform: Option<String>, alias: Option<Word> },
    Run(Run),
    Copy(CopyAdd),
    Add(CopyAdd),
    Env(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    Label(Vec<KeyValue>),
    User { user: Word, group: Option<Word> },
    Expose(Vec<Word>),
    Workdir(Word),
    Cmd(CommandForm),
    Entrypoint(CommandForm),
    /// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`.
    Shell(Vec<Word>),
    /// `HEALTHCHECK NONE` is `None`.
    Healthcheck(Option<CommandForm>),
    Volume(Vec<Word>),
    Stopsignal(Word),
    Maintainer(Word),
    Onbuild(Box<Instruction>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyValue {
    pub key: Word,
    /// Value with quotes removed (not variable-expanded).
    pub value: Word,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArgDecl {
    pub name: Word,
    pub default: Option<Word>,
}

/// Exec (JSON) or shell form of CMD, ENTRYPOINT, HEALTHCHECK CMD and RUN.
#[derive(Debug, Clone, Serialize)]
pub enum CommandForm {
    Exec(Vec<Word>),
    /// Shell text with line continuations removed; `span` covers the original text.
    Shell(ShellText),
}

#[derive(Debug, Clone, Serialize)]
pub struct ShellText {
    /// The logical command: continuations (escape + newline) and comment lines inside them removed.
    pub text: String,
    pub span: Span,
    /// For each byte of `text`, where it was in the source (same length as `text`).
    #[serde(skip)]
    pub(crate) source_offsets: Vec<u32>,
}

impl ShellText {
    /// The source byte offset of byte `i` of `text` (clamped to the end of the span).
    pub fn source_offset(&self, i: usize) -> u32 {
        self.source_offsets.get(i).copied().unwrap_or(self.span.end)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub command: CommandForm,
    /// `--mount=...` flags, parsed.
    pub mounts: Vec<Mount>,
    /// `--network=` value.
    pub network: Option<String>,
    /// `--security=` value.
    pub security: Option<String>,
    /// Heredoc bodies (`RUN <<EOF ... EOF`).
    pub heredocs: Vec<Heredoc>,
    /// The shell this RUN is interpreted by (from the stage's latest SHELL, default `/bin/sh -c`).
    pub shell: Vec<String>,
    /// What the shell runs: the parsed shell form (with its heredocs, which the shell reads:
    /// `cat <<EOF > f`, and `bash <<EOF` whose body is then parsed one level deeper); for
    /// `RUN <<EOF` alone, the body (unless its shebang names a non-shell interpreter); for exec
    /// form whose program is a shell (`["sh", "-c", "..."]`), that command at depth 0 and its
    /// `-c` string's commands at depth 1. `None` for exec form that does not call a shell, and
    /// when the stage's SHELL is not POSIX-like (PowerShell, cmd).
    pub script: Option<ShellScript>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// `bind`, `cache`, `tmpfs`, `secret`, `ssh` (default `bind`).
    pub kind: String,
    pub target: Option<String>,
    /// All options but `type`, in order (`target`, `id`, `source`, `from`, `sharing`, ...), keys
    /// lower-cased; a bare option (`ro`) has an empty value.
    pub options: Vec<(String, String)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<"EOF"` / `<<'EOF'`: no variable expansion.
    pub quoted: bool,
    /// `<<-EOF`: leading tabs stripped.
    pub strip_tabs: bool,
    pub body: String,
    /// Span of the body in the source (its lines, the terminator line excluded).
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopyAdd {
    /// Source paths or URLs (heredoc sources are in `heredocs`).
    pub sources: Vec<Word>,
    pub heredocs: Vec<Heredoc>,
    pub dest: Word,
    /// `--from=` value: a stage name, an index or an image.
    pub from: Option<Word>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    /// `ADD --checksum=`.
    pub checksum: Option<String>,
}
