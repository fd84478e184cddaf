//! The one error every reader returns: which file, where in it, and what is
//! wrong, in words an administrator can act on.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in a file something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based line.
    Line(u64),
    /// 1-based line and column.
    LineColumn(u64, u64),
    /// Byte offset from the start of the file.
    Byte(u64),
    /// An entry inside an archive (a zip member, a git object id, a ref).
    Entry(String),
    /// The n-th record (1-based) of a file with no lines to speak of.
    Record(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::LineColumn(line, column) => write!(f, "line {line}, column {column}"),
            Position::Byte(offset) => write!(f, "byte {offset}"),
            Position::Entry(entry) => write!(f, "{entry}"),
            Position::Record(n) => write!(f, "record {n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The input is unreadable, malformed or too large.
    Input { file: PathBuf, position: Option<Position>, message: String },
    /// The sink refused a record (the loader failed); its message.
    Stopped(String),
}

impl ImportError {
    pub fn input(file: &Path, position: Option<Position>, message: impl Into<String>) -> Self {
        ImportError::Input { file: file.to_path_buf(), position, message: message.into() }
    }

    pub fn at(file: &Path, position: Position, message: impl Into<String>) -> Self {
        Self::input(file, Some(position), message)
    }

    pub fn io(file: &Path, error: &std::io::Error) -> Self {
        Self::input(file, None, error.to_string())
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Input { file, position: Some(position), message } => {
                write!(f, "{}: {position}: {message}", file.display())
            }
            ImportError::Input { file, position: None, message } => write!(f, "{}: {message}", file.display()),
            ImportError::Stopped(message) => write!(f, "import stopped: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}
