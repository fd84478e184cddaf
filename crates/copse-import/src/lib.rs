//! Readers for the places a community's history already lives: a git
//! repository or bundle, an mbox mailing-list archive, a Slack workspace
//! export, a Stack Exchange data dump and a CSV people directory.
//!
//! Each reader turns its input into a stream of [`Record`]s handed to a
//! [`Sink`], in an order where a thread comes before its posts. Readers know
//! nothing of storage: `copse-app`'s loader resolves identities to people,
//! maps external ids to rows and writes in batches. Readers stream (memory
//! stays bounded whatever the input's size) and fail with an
//! [`ImportError`] that names the file and the position.
//!
//! The loader runs every import twice: once with a sink that only counts
//! (`check`), so malformed input is refused before anything is written, and
//! once for real. Readers must therefore be deterministic: the same input
//! gives the same records in the same order.

pub mod error;
pub mod record;

pub mod generate;
pub mod git;
pub mod mbox;
pub mod people_csv;
pub mod slack;
pub mod stackexchange;

pub use error::{ImportError, Position};
pub use record::{
    ActivityKind, ActivityRecord, Identity, MentorshipRecord, PersonRecord, PostRecord, Record, ThreadKind,
    ThreadRecord,
};

use std::path::Path;

/// Where the data comes from. The name is what `copse import <source>`
/// takes and what the loader stores beside every record it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Git,
    Mbox,
    Slack,
    StackExchange,
    PeopleCsv,
}

impl Source {
    pub const ALL: [Source; 5] = [Source::Git, Source::Mbox, Source::Slack, Source::StackExchange, Source::PeopleCsv];

    pub fn name(self) -> &'static str {
        match self {
            Source::Git => "git",
            Source::Mbox => "mbox",
            Source::Slack => "slack",
            Source::StackExchange => "stackexchange",
            Source::PeopleCsv => "people-csv",
        }
    }

    pub fn parse(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the user points the importer at, for help texts and forms.
    pub fn describe(self) -> &'static str {
        match self {
            Source::Git => "a git repository directory or a git bundle file",
            Source::Mbox => "an mbox mailing-list archive (one file)",
            Source::Slack => "a Slack workspace export (.zip)",
            Source::StackExchange => "a Stack Exchange data dump directory (Posts.xml, Users.xml, ...)",
            Source::PeopleCsv => "a CSV people directory (name, email, team, location, time_zone, skills)",
        }
    }

    /// The reader for this source.
    pub fn importer(self) -> Box<dyn Importer> {
        match self {
            Source::Git => Box::new(git::GitImporter::default()),
            Source::Mbox => Box::new(mbox::MboxImporter::default()),
            Source::Slack => Box::new(slack::SlackImporter::default()),
            Source::StackExchange => Box::new(stackexchange::StackExchangeImporter::default()),
            Source::PeopleCsv => Box::new(people_csv::PeopleCsvImporter::default()),
        }
    }
}

/// Where records go. The loader's sink batches them for the database; the
/// checking pass only counts them.
pub trait Sink {
    /// Takes one record. An error stops the reader, which returns it as
    /// [`ImportError::Stopped`].
    fn record(&mut self, record: Record) -> Result<(), String>;

    /// How far the reader is: `done` units of `total` (bytes, commits or
    /// entries, whichever the reader can count; `total` when it knows it).
    /// Called often; cheap implementations only.
    fn progress(&mut self, _done: u64, _total: Option<u64>) {}
}

/// What a reader reports at the end besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records handed to the sink.
    pub records: u64,
    /// Things skipped on purpose, one line each with file and position
    /// (a message without a sender, a vote on a deleted post). Never used
    /// for malformed input, which is an error.
    pub warnings: Vec<String>,
}

/// One reader per source, behind this small trait.
pub trait Importer: Send {
    fn source(&self) -> Source;

    /// Reads everything at `path` and hands the records to `sink` in order.
    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError>;

    /// True when the reader reads and checks its whole input before it
    /// hands over the first record (so an error never follows a record):
    /// the loader then skips its checking pass.
    fn checks_before_emitting(&self) -> bool {
        false
    }
}

/// A sink that keeps every record, for tests and small inputs.
#[derive(Debug, Default)]
pub struct CollectSink {
    pub records: Vec<Record>,
}

impl Sink for CollectSink {
    fn record(&mut self, record: Record) -> Result<(), String> {
        self.records.push(record);
        Ok(())
    }
}

/// A sink that only counts, for the checking pass and benchmarks.
#[derive(Debug, Default)]
pub struct CountSink {
    pub records: u64,
}

impl Sink for CountSink {
    fn record(&mut self, _record: Record) -> Result<(), String> {
        self.records += 1;
        Ok(())
    }
}
