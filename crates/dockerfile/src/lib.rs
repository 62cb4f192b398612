//! Dockerfile parsing for rampart: everything BuildKit accepts, with spans, stages, variable
//! scoping and the shell commands of every RUN. No I/O: callers hand in the bytes.

pub mod ast;
mod expand;
mod lines;
mod lower;
mod parse;
pub mod shell;
mod shell_parse;
mod wrappers;

pub use ast::*;
pub use parse::{parse, ParseError, ParseLimits};
pub use shell::{Assignment, Command, Joiner, Pipeline, Scope, ScopeKind, ShellScript, ShellWord};

impl Dockerfile {
    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0) as usize;
        let end = (offset as usize).min(self.source.len());
        let column = self.source.get(line_start..end).map_or(end - line_start, |s| s.chars().count());
        (line_index as u32 + 1, column as u32 + 1)
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)? as usize)? as usize;
        let rest = &self.source[start..];
        Some(rest.split(['\n']).next().unwrap_or(rest).trim_end_matches('\r'))
    }

    /// The last stage: what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The instructions of `stage`, after its FROM.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.instructions.clone()]
    }

    /// Finds a stage by `AS` name (case-insensitive) or by index (`"0"`), as `COPY --from` and
    /// `FROM` resolve them.
    pub fn stage_by_ref(&self, reference: &str) -> Option<&Stage> {
        if let Ok(index) = reference.parse::<usize>() {
            return self.stages.get(index);
        }
        self.stages
            .iter()
            .find(|s| s.name.as_ref().is_some_and(|n| n.value.eq_ignore_ascii_case(reference)))
    }
}
