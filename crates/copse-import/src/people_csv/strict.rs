//! A strict, streaming CSV record reader (RFC 4180: `,` between fields,
//! `"` around fields that hold `,`, `"` or line breaks, `""` for a quote
//! inside them; lines end with `\n` or `\r\n`).
//!
//! Why not the `csv` crate: it is deliberately lenient (it never reports an
//! error for quotes), so `a,"b"c",d` or a quote never closed would be read
//! as some other data without a word. A people directory is edited by hand
//! in spreadsheets; a stray quote must be an error pointing at the line and
//! column. This reader keeps positions (line and column, in characters, of
//! each field's start) and caps every field so that a 2 GB line cannot
//! exhaust memory.

use crate::{ImportError, Position};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// One record: its fields as raw bytes (UTF-8 is checked by the caller,
/// which knows the column's name) and where each field starts.
#[derive(Debug, Default)]
pub(super) struct CsvRecord {
    /// The line the record starts on (a quoted field can span lines).
    pub line: u64,
    pub fields: Vec<Vec<u8>>,
    /// 1-based column, in characters, where each field starts.
    pub columns: Vec<u64>,
    /// How many of `fields` are in use: the vectors are reused from record
    /// to record to save allocations.
    pub len: usize,
}

impl CsvRecord {
    pub fn field(&self, index: usize) -> &[u8] {
        &self.fields[index]
    }

    fn start_field(&mut self, column: u64) {
        if self.len == self.fields.len() {
            self.fields.push(Vec::new());
            self.columns.push(0);
        }
        self.fields[self.len].clear();
        self.columns[self.len] = column;
        self.len += 1;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field (after a comma or at the start of a record).
    FieldStart,
    Unquoted,
    Quoted,
    /// Just after a quote inside a quoted field: a second quote is a
    /// literal quote, anything else ends the field.
    QuoteInQuoted,
}

pub(super) struct CsvReader<R> {
    input: R,
    at: Cursor,
    /// Bytes consumed, for progress.
    pub bytes_read: u64,
}

/// Where the reader is, and its limits: kept apart from the input so that
/// the input's buffer can be borrowed while positions change.
struct Cursor {
    file: PathBuf,
    line: u64,
    /// Characters seen on the current line so far.
    column: u64,
    /// A `\r` ended the last record: a `\n` right after it is part of it.
    after_cr: bool,
    max_field_bytes: usize,
    /// Most fields a record may have; more is an error.
    max_fields: usize,
}

impl<R: BufRead> CsvReader<R> {
    pub fn new(input: R, file: &Path, max_field_bytes: usize, max_fields: usize) -> Self {
        let at = Cursor { file: file.to_path_buf(), line: 1, column: 0, after_cr: false, max_field_bytes, max_fields };
        CsvReader { input, at, bytes_read: 0 }
    }

    /// Records may have at most this many fields (the header's count, once
    /// it is read): a longer line stops early instead of being buffered.
    pub fn set_max_fields(&mut self, max_fields: usize) {
        self.at.max_fields = max_fields;
    }

    /// Reads the next record into `record`; `false` at the end of the file.
    /// Blank lines are skipped.
    pub fn next_record(&mut self, record: &mut CsvRecord) -> Result<bool, ImportError> {
        let mut state = State::FieldStart;
        let mut started = false;
        // Where the quoted field being read opened, for an unclosed quote.
        let mut quote_at = (0, 0);
        record.len = 0;
        record.line = self.at.line;
        loop {
            let buffer = match self.input.fill_buf() {
                Ok(buffer) => buffer,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(ImportError::io(&self.at.file, &error)),
            };
            if buffer.is_empty() {
                return match state {
                    State::Quoted => Err(self.at.error(
                        quote_at.0,
                        quote_at.1,
                        "a quoted field opened here is never closed (unbalanced quote)",
                    )),
                    _ if !started => Ok(false),
                    State::FieldStart => {
                        // "a," at the very end: an empty last field.
                        self.at.begin_field(record, self.at.column + 1)?;
                        Ok(true)
                    }
                    _ => Ok(true),
                };
            }
            let mut used = 0;
            let mut done = false;
            for &byte in buffer {
                used += 1;
                let at_line_end = byte == b'\n' || byte == b'\r';
                if self.at.after_cr {
                    self.at.after_cr = false;
                    if byte == b'\n' {
                        continue;
                    }
                }
                // Characters, not bytes: UTF-8 continuation bytes do not
                // start a new column.
                if byte & 0xC0 != 0x80 {
                    self.at.column += 1;
                }
                let column = self.at.column;
                match state {
                    State::FieldStart | State::Unquoted if at_line_end => {
                        if state == State::FieldStart && started {
                            // "a,\n": an empty last field.
                            self.at.begin_field(record, column)?;
                        }
                        self.at.end_line(byte);
                        if started {
                            done = true;
                            break;
                        }
                        // A blank line: the next record starts below it.
                        record.line = self.at.line;
                    }
                    State::FieldStart => {
                        started = true;
                        self.at.begin_field(record, column)?;
                        match byte {
                            // An empty field; another starts after the comma.
                            b',' => {}
                            b'"' => {
                                quote_at = (self.at.line, column);
                                state = State::Quoted;
                            }
                            _ => {
                                self.at.push(record, byte)?;
                                state = State::Unquoted;
                            }
                        }
                    }
                    State::Unquoted => match byte {
                        b',' => state = State::FieldStart,
                        b'"' => {
                            return Err(self.at.error(
                                self.at.line,
                                column,
                                "a quote inside an unquoted field: quote the whole field and double the quote (\"\")",
                            ));
                        }
                        _ => self.at.push(record, byte)?,
                    },
                    State::Quoted => match byte {
                        b'"' => state = State::QuoteInQuoted,
                        b'\n' => {
                            self.at.push(record, byte)?;
                            self.at.line += 1;
                            self.at.column = 0;
                        }
                        _ => self.at.push(record, byte)?,
                    },
                    State::QuoteInQuoted => match byte {
                        b'"' => {
                            self.at.push(record, byte)?;
                            state = State::Quoted;
                        }
                        b',' => state = State::FieldStart,
                        b'\n' | b'\r' => {
                            self.at.end_line(byte);
                            done = true;
                            break;
                        }
                        _ => {
                            return Err(self.at.error(
                                self.at.line,
                                column,
                                "unexpected character after a closing quote (a quote inside a quoted field \
                                 must be doubled: \"\")",
                            ));
                        }
                    },
                }
            }
            self.input.consume(used);
            self.bytes_read += used as u64;
            if done {
                return Ok(true);
            }
        }
    }
}

impl Cursor {
    fn error(&self, line: u64, column: u64, message: impl Into<String>) -> ImportError {
        ImportError::at(&self.file, Position::LineColumn(line, column), message)
    }

    fn end_line(&mut self, byte: u8) {
        self.line += 1;
        self.column = 0;
        self.after_cr = byte == b'\r';
    }

    fn begin_field(&self, record: &mut CsvRecord, column: u64) -> Result<(), ImportError> {
        if record.len >= self.max_fields {
            return Err(self.error(self.line, column, format!("more than {} fields in this record", self.max_fields)));
        }
        record.start_field(column);
        Ok(())
    }

    fn push(&self, record: &mut CsvRecord, byte: u8) -> Result<(), ImportError> {
        let index = record.len - 1;
        if record.fields[index].len() >= self.max_field_bytes {
            return Err(self.error(
                record.line,
                record.columns[index],
                format!("a field longer than {} bytes (the reader's max_field_bytes)", self.max_field_bytes),
            ));
        }
        record.fields[index].push(byte);
        Ok(())
    }
}
