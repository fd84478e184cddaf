//! Slack reader.
//! (Being written by a helper; this placeholder keeps the crate building.)

use crate::{ImportError, Importer, Sink, Source, Summary};
use std::path::Path;

#[derive(Debug, Default)]
pub struct SlackImporter {}

impl Importer for SlackImporter {
    fn source(&self) -> Source {
        Source::Slack
    }

    fn read(&self, path: &Path, _sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        Err(ImportError::input(path, None, "the Slack reader is not built yet"))
    }
}
