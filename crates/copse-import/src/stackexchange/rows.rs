//! The guarded XML row reader under the Stack Exchange importer: one dump
//! file (`<posts><row Id=".." .../>...</posts>`) read as a stream of rows,
//! each row's wanted attributes unescaped into strings.
//!
//! This module owns the safety rules for untrusted XML: no DTD at all (which
//! is what stops entity bombs and external entities: without a DTD no entity
//! can be declared, so only the five predefined entities and numeric
//! character references can be unescaped, and any other `&name;` is an
//! error), no piece of markup larger than a cap (so a 2 GB attribute cannot
//! exhaust memory), and a strict document shape (one root element holding
//! only `row` elements) so that a file that is not a dump is refused rather
//! than read as empty. It also keeps line numbers, which quick-xml does not:
//! dump files hold one row per line, so a line is what a person can find.

use crate::{ImportError, Position};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A `BufRead` in front of the file that counts what quick-xml consumes
/// (bytes and newlines, for positions) and refuses to hand out more than
/// `max` bytes between two marks. quick-xml buffers a whole event (a start
/// tag with all its attributes, a run of text) before returning it, so this
/// is the one place where its memory can be bounded.
struct Guard<R> {
    inner: R,
    consumed: u64,
    newlines: u64,
    since_mark: u64,
    max: u64,
    /// Set when the cap was hit, so the io::Error quick-xml wraps can be
    /// told apart from a real read error.
    over: bool,
}

impl<R: BufRead> Guard<R> {
    fn mark(&mut self) {
        self.since_mark = 0;
    }
}

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_mark > self.max {
            self.over = true;
            return Err(io::Error::other("element too large"));
        }
        // Hand out no more than one byte past the cap, so that quick-xml
        // cannot take a large buffered chunk in one go and slip past it.
        let allowed = usize::try_from((self.max - self.since_mark).saturating_add(1)).unwrap_or(usize::MAX);
        let available = self.inner.fill_buf()?;
        Ok(&available[..available.len().min(allowed)])
    }

    fn consume(&mut self, amount: usize) {
        // `consume` only ever follows a `fill_buf` that returned at least
        // `amount` bytes, so the inner buffer still holds them and this
        // second `fill_buf` does no I/O.
        if let Ok(buffered) = self.inner.fill_buf() {
            let end = amount.min(buffered.len());
            self.newlines += memchr::memchr_iter(b'\n', &buffered[..end]).count() as u64;
        }
        self.inner.consume(amount);
        self.consumed += amount as u64;
        self.since_mark += amount as u64;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Before the root element: declaration, comments, whitespace.
    Prolog,
    /// Inside the root element, between rows.
    InRoot,
    /// Inside a `<row>` written with an end tag (`<row ...></row>`).
    InRow,
    /// After the root element's end.
    Epilog,
}

/// One dump file, read row by row.
pub(super) struct XmlRows {
    reader: quick_xml::Reader<Guard<BufReader<File>>>,
    buf: Vec<u8>,
    file: PathBuf,
    root: &'static str,
    shape: Shape,
    max: u64,
}

impl XmlRows {
    /// Opens `file`, whose root element must be `root` (`posts`, `users`...,
    /// compared without regard to case as old dumps used other cases).
    pub(super) fn open(file: &Path, root: &'static str, max: u64) -> Result<Self, ImportError> {
        let handle = File::open(file).map_err(|e| ImportError::io(file, &e))?;
        let guard = Guard {
            inner: BufReader::with_capacity(256 * 1024, handle),
            consumed: 0,
            newlines: 0,
            since_mark: 0,
            max,
            over: false,
        };
        let mut reader = quick_xml::Reader::from_reader(guard);
        // End tags must match their start tags: a mismatch is corruption.
        reader.config_mut().check_end_names = true;
        reader.config_mut().check_comments = true;
        Ok(XmlRows { reader, buf: Vec::new(), file: file.to_path_buf(), root, shape: Shape::Prolog, max })
    }

    /// Bytes read so far, for progress.
    pub(super) fn bytes_read(&self) -> u64 {
        self.reader.get_ref().consumed
    }

    pub(super) fn file(&self) -> &Path {
        &self.file
    }

    /// The next row's line, with the value of each of `wanted`'s attributes in
    /// `values` (same order; `None` when the row lacks it). Attributes not
    /// wanted are still checked (UTF-8, entities) and then dropped. `None`
    /// at the end of a well-formed file.
    pub(super) fn next_row(
        &mut self,
        wanted: &[&str],
        values: &mut [Option<String>],
    ) -> Result<Option<u64>, ImportError> {
        debug_assert_eq!(wanted.len(), values.len());
        loop {
            self.buf.clear();
            self.reader.get_mut().mark();
            let line = self.reader.get_ref().newlines + 1;
            let byte = self.reader.get_ref().consumed;
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(_) if self.reader.get_ref().since_mark > self.max => {
                    return Err(too_large(&self.file, line, byte, self.max));
                }
                Ok(event) => event,
                Err(error) => {
                    let guard = self.reader.get_ref();
                    if guard.over {
                        return Err(too_large(&self.file, line, byte, self.max));
                    }
                    // The line where the failing row (or text) starts:
                    // where a person looks, whatever quick-xml read past it.
                    return Err(ImportError::at(
                        &self.file,
                        Position::Line(line),
                        format!("{error} (byte {})", self.reader.error_position()),
                    ));
                }
            };
            let here = |message: String| ImportError::at(&self.file, Position::Line(line), message);
            match (self.shape, event) {
                (_, Event::DocType(_)) => {
                    return Err(here(format!(
                        "DTDs are not allowed (byte {byte}): a DTD can declare entities that expand without \
                         bound or read other files, and Stack Exchange dumps have none"
                    )));
                }
                (_, Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => {}
                (_, Event::Text(text)) if text.trim_ascii().is_empty() => {}
                (Shape::Prolog, Event::Start(element)) => {
                    check_root(&element, self.root).map_err(here)?;
                    self.shape = Shape::InRoot;
                }
                (Shape::Prolog, Event::Empty(element)) => {
                    check_root(&element, self.root).map_err(here)?;
                    self.shape = Shape::Epilog;
                }
                (Shape::InRoot, Event::Start(element)) if element.name().as_ref() == "row" => {
                    read_attributes(&element, wanted, values).map_err(here)?;
                    self.shape = Shape::InRow;
                    return Ok(Some(line));
                }
                (Shape::InRoot, Event::Empty(element)) if element.name().as_ref() == "row" => {
                    read_attributes(&element, wanted, values).map_err(here)?;
                    return Ok(Some(line));
                }
                (Shape::InRoot | Shape::InRow, Event::Start(element) | Event::Empty(element)) => {
                    return Err(here(format!(
                        "unexpected element <{}> (byte {byte}): a dump file's <{}> holds only <row/> elements",
                        element.name().as_ref(),
                        self.root
                    )));
                }
                // quick-xml has checked that the end tag matches.
                (Shape::InRow, Event::End(_)) => self.shape = Shape::InRoot,
                (Shape::InRoot, Event::End(_)) => self.shape = Shape::Epilog,
                (Shape::Epilog, Event::Eof) => return Ok(None),
                (Shape::Prolog, Event::Eof) => {
                    return Err(here(format!(
                        "no <{}> element: the file is empty or not a Stack Exchange dump file",
                        self.root
                    )));
                }
                (Shape::InRoot | Shape::InRow, Event::Eof) => {
                    return Err(here(format!("the file ends before </{}> (byte {byte}): it is truncated", self.root)));
                }
                (Shape::Epilog, Event::Start(_) | Event::Empty(_)) => {
                    return Err(here(format!("content after </{}> (byte {byte})", self.root)));
                }
                (_, Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                    return Err(here(format!(
                        "unexpected text (byte {byte}): a dump file holds only <{}> and its <row/> elements; \
                         this does not look like a Stack Exchange dump file",
                        self.root
                    )));
                }
                (Shape::Prolog | Shape::Epilog, Event::End(_)) => {
                    return Err(here(format!("unexpected end tag (byte {byte})")));
                }
            }
        }
    }
}

fn too_large(file: &Path, line: u64, byte: u64, max: u64) -> ImportError {
    ImportError::at(
        file,
        Position::Line(line),
        format!(
            "a single element or text starting at byte {byte} is larger than {max} bytes \
             (the reader's max_row_bytes); this is not a Stack Exchange dump row"
        ),
    )
}

fn check_root(element: &BytesStart<'_>, root: &str) -> Result<(), String> {
    let name = element.name();
    if name.as_ref().eq_ignore_ascii_case(root) {
        Ok(())
    } else {
        Err(format!("the root element is <{}>, expected <{root}>: not this Stack Exchange dump file", name.as_ref()))
    }
}

/// Fills `values` from the row's attributes. Values are normalized as XML
/// requires (character references and the five predefined entities
/// unescaped; literal newlines become spaces, which is why dumps write
/// newlines as `&#xA;`).
fn read_attributes(element: &BytesStart<'_>, wanted: &[&str], values: &mut [Option<String>]) -> Result<(), String> {
    values.iter_mut().for_each(|value| *value = None);
    for attribute in element.attributes().with_checks(true) {
        let attribute = attribute.map_err(|e| format!("malformed attribute: {e}"))?;
        let key = attribute.key.as_ref();
        let value = attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|e| format!("attribute {key}: {e}"))?;
        if let Some(slot) = wanted.iter().position(|name| *name == key) {
            values[slot] = Some(match value {
                Cow::Borrowed(text) => text.to_string(),
                Cow::Owned(text) => text,
            });
        }
    }
    Ok(())
}
