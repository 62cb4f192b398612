//! Placeholder: the parser is being written (see the issue). Kept compiling so that the rules
//! can be written against the AST in parallel.

use crate::ast::Dockerfile;

/// Limits on what the parser accepts; exceeding one is an error, never a panic.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest shell nesting (`sh -c` inside `sh -c` ...) analysed.
    pub max_shell_depth: u32,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits { max_bytes: 16 * 1024 * 1024, max_shell_depth: 8 }
    }
}

/// Why a Dockerfile could not be parsed, with the 1-based line (and column) where known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

/// Parses `bytes` as a Dockerfile.
pub fn parse(bytes: &[u8], limits: &ParseLimits) -> Result<Dockerfile, ParseError> {
    let _ = (bytes, limits);
    Err(ParseError { message: "parser not written yet".into(), line: 1, column: 1 })
}
