//! The mbox reader: one mailing-list archive file (mboxrd or mboxo) turned
//! into threads and posts.
//!
//! The file is streamed line by line with a cap on each line; one message at
//! a time is gathered and handed to a MIME parser (`mail-parser`), which
//! decodes RFC 2047 headers, transfer encodings (quoted-printable, base64)
//! and charsets (UTF-8 with replacement characters for invalid bytes,
//! ISO-8859-1 read as windows-1252 as the WHATWG encoding standard does).
//!
//! Splitting: a message starts at a line beginning with `From ` at the start
//! of the file or after a blank line; that blank line belongs to the
//! separator, not to the message. Lines beginning with `>From `, `>>From `…
//! lose one `>` (mboxrd; for mboxo this also undoes its single escape).
//!
//! Threading: a message whose parent was seen earlier in the file becomes a
//! [`Record::Post`] in the parent's thread; any other message opens a
//! [`Record::Thread`]. The parent is the In-Reply-To id when that message was
//! seen, else the nearest References id that was seen (walking from the
//! last, closest ancestor back), so a thread survives a missing message.
//! Only a map from message id to thread root is kept, plus one message.
//!
//! Decisions, reported as one warning each in the [`Summary`]:
//! - no or unparseable `Date:` header: the date of the `From ` separator line
//!   is used (it is when the list archived the message); when that cannot be
//!   read either, the message is skipped;
//! - no `Message-ID:`: a synthetic id is derived from sender, date and
//!   subject (`<sha-256 prefix>@mbox.copse.invalid`), stable across runs;
//! - a second message with an id already seen is skipped;
//! - a message without a sender address is skipped.
//!
//! Malformed input is an error: a file whose first line is not a `From `
//! line, a line or message over its cap, a final message cut off inside its
//! headers.

use crate::{Identity, Position};
use crate::{ImportError, Importer, PostRecord, Record, Sink, Source, Summary, ThreadKind, ThreadRecord};
use mail_parser::{HeaderName, HeaderValue, Message, MessageParser};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::rc::Rc;

/// Reads one mbox file. The caps are fields so tests can lower them.
#[derive(Debug, Clone)]
pub struct MboxImporter {
    /// The longest line accepted, in bytes (newline included).
    pub max_line_bytes: usize,
    /// The largest message accepted, in bytes (attachments included).
    pub max_message_bytes: usize,
}

impl Default for MboxImporter {
    fn default() -> Self {
        MboxImporter { max_line_bytes: 16 << 20, max_message_bytes: 64 << 20 }
    }
}

impl Importer for MboxImporter {
    fn source(&self) -> Source {
        Source::Mbox
    }

    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        let file = File::open(path).map_err(|e| ImportError::io(path, &e))?;
        let total = file.metadata().map(|m| m.len()).ok();
        let mut reader = MboxReader {
            path,
            lines: LineReader::new(BufReader::with_capacity(256 << 10, file), self.max_line_bytes),
            max_message_bytes: self.max_message_bytes,
            lookahead: None,
            started: false,
        };
        let mut threads = Threader::new(path, sink);
        while let Some(raw) = reader.next_message()? {
            threads.message(&raw)?;
            threads.sink.progress(reader.lines.offset, total);
        }
        Ok(threads.summary)
    }
}

/// A bounded line reader over bytes (mbox files need not be UTF-8).
struct LineReader<R> {
    inner: R,
    max_line_bytes: usize,
    /// 1-based number of the line last returned.
    line: u64,
    /// Bytes consumed so far.
    offset: u64,
}

enum LineError {
    Io(std::io::Error),
    /// The line starting at this byte offset is over the cap.
    TooLong {
        start: u64,
    },
}

impl<R: BufRead> LineReader<R> {
    fn new(inner: R, max_line_bytes: usize) -> Self {
        LineReader { inner, max_line_bytes, line: 0, offset: 0 }
    }

    /// Replaces `buf` with the next line, newline included; `false` at the end.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> Result<bool, LineError> {
        buf.clear();
        let start = self.offset;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(LineError::Io(e)),
            };
            if available.is_empty() {
                break;
            }
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if buf.len() + take > self.max_line_bytes {
                // Counted as the line it is, so the error names it.
                self.line += 1;
                return Err(LineError::TooLong { start });
            }
            buf.extend_from_slice(&available[..take]);
            self.inner.consume(take);
            self.offset += take as u64;
            if done {
                break;
            }
        }
        if buf.is_empty() {
            return Ok(false);
        }
        self.line += 1;
        Ok(true)
    }
}

/// One message's bytes as the archive holds them, escapes undone.
struct RawMessage {
    /// The line of its `From ` separator.
    line: u64,
    /// The separator line itself (sender and archive date).
    from_line: String,
    bytes: Vec<u8>,
}

/// Splits the file into messages.
struct MboxReader<'p, R> {
    path: &'p Path,
    lines: LineReader<R>,
    max_message_bytes: usize,
    /// The separator line that ended the previous message and opens the next.
    lookahead: Option<Separator>,
    started: bool,
}

/// A `From ` line and where it is.
struct Separator {
    line: u64,
    text: String,
}

impl<R: BufRead> MboxReader<'_, R> {
    fn next_line(&mut self, buf: &mut Vec<u8>) -> Result<bool, ImportError> {
        self.lines.next_line(buf).map_err(|e| match e {
            LineError::Io(e) => ImportError::at(self.path, Position::Byte(self.lines.offset), e.to_string()),
            LineError::TooLong { start } => ImportError::at(
                self.path,
                Position::Line(self.lines.line),
                format!(
                    "the line starting at byte {start} is longer than the limit of {} bytes",
                    self.lines.max_line_bytes
                ),
            ),
        })
    }

    /// The next message, or `None` at the end of the file.
    fn next_message(&mut self) -> Result<Option<RawMessage>, ImportError> {
        let mut line = Vec::new();
        let separator = match self.lookahead.take() {
            Some(separator) => separator,
            None if self.started => return Ok(None),
            None => {
                self.started = true;
                if !self.next_line(&mut line)? {
                    return Ok(None);
                }
                if !line.starts_with(b"From ") {
                    return Err(ImportError::at(
                        self.path,
                        Position::Line(1),
                        "this is not an mbox file: it does not start with a \"From \" line",
                    ));
                }
                Separator { line: 1, text: String::from_utf8_lossy(trim_newline(&line)).into_owned() }
            }
        };
        let mut bytes = Vec::new();
        // Blank lines are held back until the next line says whether the
        // last of them separates two messages (then it is dropped).
        let mut blanks = Vec::new();
        let mut in_headers = true;
        while self.next_line(&mut line)? {
            if is_blank(&line) {
                in_headers = false;
                blanks.extend_from_slice(&line);
                self.check_size(bytes.len() + blanks.len(), &separator)?;
                continue;
            }
            if !blanks.is_empty() && line.starts_with(b"From ") {
                self.lookahead = Some(Separator {
                    line: self.lines.line,
                    text: String::from_utf8_lossy(trim_newline(&line)).into_owned(),
                });
                break;
            }
            bytes.append(&mut blanks);
            bytes.extend_from_slice(unescape_from(&line));
            self.check_size(bytes.len(), &separator)?;
        }
        // The last blank line (before the next separator or the end of the
        // file) is the separator's.
        let kept = trim_newline(&blanks).len();
        bytes.extend_from_slice(&blanks[..kept]);
        if in_headers {
            return Err(ImportError::at(
                self.path,
                Position::Line(separator.line),
                "the message starting on this line ends inside its headers (the file looks truncated)",
            ));
        }
        Ok(Some(RawMessage { line: separator.line, from_line: separator.text, bytes }))
    }

    fn check_size(&self, size: usize, separator: &Separator) -> Result<(), ImportError> {
        if size > self.max_message_bytes {
            return Err(ImportError::at(
                self.path,
                Position::Line(separator.line),
                format!(
                    "the message starting on this line is larger than the limit of {} bytes",
                    self.max_message_bytes
                ),
            ));
        }
        Ok(())
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `>From ` → `From `, `>>From ` → `>From ` (mboxrd; mboxo's single escape
/// is undone the same way).
fn unescape_from(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") { &line[1..] } else { line }
}

/// Turns messages into threads and posts, remembering which thread each
/// message id belongs to.
struct Threader<'a> {
    path: &'a Path,
    sink: &'a mut dyn Sink,
    parser: MessageParser,
    /// Message id → its thread's root id (shared between a thread's posts).
    roots: HashMap<Box<str>, Rc<str>>,
    summary: Summary,
}

impl<'a> Threader<'a> {
    fn new(path: &'a Path, sink: &'a mut dyn Sink) -> Self {
        // Only the headers the reader uses are parsed; the rest (Received:,
        // To:, Cc: of big lists) are kept raw, which is much cheaper.
        let parser = MessageParser::new()
            .with_mime_headers()
            .header_date(HeaderName::Date)
            .header_text(HeaderName::Subject)
            .header_address(HeaderName::From)
            .header_id(HeaderName::MessageId)
            .header_id(HeaderName::InReplyTo)
            .header_id(HeaderName::References);
        Threader { path, sink, parser, roots: HashMap::new(), summary: Summary::default() }
    }

    fn warn(&mut self, raw: &RawMessage, what: &str) {
        self.summary.warnings.push(format!("{}: line {}: {what}", self.path.display(), raw.line));
    }

    fn emit(&mut self, record: Record) -> Result<(), ImportError> {
        self.sink.record(record).map_err(ImportError::Stopped)?;
        self.summary.records += 1;
        Ok(())
    }

    fn message(&mut self, raw: &RawMessage) -> Result<(), ImportError> {
        let Some(message) = self.parser.parse(&raw.bytes[..]) else {
            return Err(ImportError::at(
                self.path,
                Position::Line(raw.line),
                "the message starting on this line cannot be parsed as an e-mail",
            ));
        };
        let Some((name, address)) = sender(&message) else {
            self.warn(raw, "message skipped: it has no sender address (From:)");
            return Ok(());
        };
        let author = Identity::by_email(&name, &address);
        let Some(at) = date_ms(&message).or_else(|| from_line_date_ms(&raw.from_line)) else {
            self.warn(raw, "message skipped: neither its Date: header nor its \"From \" line has a readable date");
            return Ok(());
        };
        let subject = message.subject().unwrap_or("");
        let id = match message.message_id() {
            Some(id) if !id.trim().is_empty() => id.trim().to_string(),
            _ => {
                let id = synthetic_id(&author.key, at, subject);
                self.warn(raw, &format!("message has no Message-ID: given the synthetic id {id}"));
                id
            }
        };
        if self.roots.contains_key(id.as_str()) {
            self.warn(raw, &format!("message skipped: its Message-ID {id} was already seen"));
            return Ok(());
        }
        let body = body(&message);
        let parent = ids(message.in_reply_to())
            .into_iter()
            .chain(ids(message.references()).into_iter().rev())
            .find(|candidate| self.roots.contains_key(*candidate))
            .map(str::to_string);
        match parent {
            Some(parent) => {
                let root = self.roots.get(parent.as_str()).cloned().unwrap_or_else(|| Rc::from(parent.as_str()));
                self.roots.insert(id.as_str().into(), root.clone());
                self.emit(Record::Post(PostRecord {
                    external_id: id,
                    thread: root.to_string(),
                    author,
                    at,
                    body,
                    in_reply_to: Some(parent),
                }))
            }
            None => {
                self.roots.insert(id.as_str().into(), Rc::from(id.as_str()));
                let title = match message.thread_name().map(str::trim) {
                    Some(title) if !title.is_empty() => title.to_string(),
                    _ => "(no subject)".to_string(),
                };
                self.emit(Record::Thread(ThreadRecord {
                    external_id: id,
                    kind: ThreadKind::Discussion,
                    title,
                    author,
                    at,
                    tags: Vec::new(),
                    body,
                }))
            }
        }
    }
}

/// The first From: address and its display name.
fn sender(message: &Message<'_>) -> Option<(String, String)> {
    let from = message.from()?.first()?;
    let address = from.address()?.trim();
    if address.is_empty() {
        return None;
    }
    Some((from.name().unwrap_or("").to_string(), address.to_string()))
}

/// The Date: header in UTC milliseconds, when it is a real date.
fn date_ms(message: &Message<'_>) -> Option<i64> {
    let date = message.date()?;
    date.is_valid().then(|| date.to_timestamp() * 1000)
}

/// The date on an mbox separator line, `From sender Thu Nov 25 04:52:04 2026`
/// (asctime, in UTC by convention; some writers put a zone before the year,
/// which is ignored).
fn from_line_date_ms(from_line: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let tokens: Vec<&str> = from_line.split_whitespace().skip(2).collect();
    let month_at = tokens.iter().position(|t| MONTHS.contains(&t.to_ascii_lowercase().as_str()))?;
    let month = MONTHS.iter().position(|m| tokens[month_at].eq_ignore_ascii_case(m))? as u32 + 1;
    let day: u32 = tokens.get(month_at + 1)?.parse().ok()?;
    let mut clock = tokens.get(month_at + 2)?.split(':').map(|p| p.parse::<u32>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next().flatten().unwrap_or(0));
    let year: i32 = tokens[month_at + 3..].iter().find_map(|t| (t.len() == 4).then(|| t.parse().ok()).flatten())?;
    let time = chrono::NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    Some(time.and_utc().timestamp_millis())
}

/// The ids of an In-Reply-To or References header, brackets removed.
fn ids<'m>(value: &'m HeaderValue<'_>) -> Vec<&'m str> {
    match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.as_ref()).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .map(str::trim)
    .filter(|id| !id.is_empty())
    .collect()
}

/// The text/plain body (from multipart/alternative, the plain part); an
/// HTML-only message gives its text as `mail-parser` renders it. Line ends
/// are normalised to `\n` (archives written on Windows use CRLF), trailing
/// blank space dropped.
fn body(message: &Message<'_>) -> String {
    let text = message.body_text(0).unwrap_or_default();
    let text = text.trim_end();
    if text.contains('\r') { text.replace("\r\n", "\n") } else { text.to_string() }
}

/// A stable id for a message that has none: the same message read again
/// gets the same id, which keeps re-imports idempotent.
fn synthetic_id(sender: &str, at: i64, subject: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(sender.as_bytes());
    hash.update([0]);
    hash.update(at.to_be_bytes());
    hash.update([0]);
    hash.update(subject.as_bytes());
    format!("{}@mbox.copse.invalid", hex::encode(&hash.finalize()[..16]))
}
