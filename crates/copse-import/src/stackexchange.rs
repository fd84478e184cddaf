//! Stack Exchange reader.
//! (Being written by a helper; this placeholder keeps the crate building.)

use crate::{ImportError, Importer, Sink, Source, Summary};
use std::path::Path;

#[derive(Debug, Default)]
pub struct StackExchangeImporter {}

impl Importer for StackExchangeImporter {
    fn source(&self) -> Source {
        Source::StackExchange
    }

    fn read(&self, path: &Path, _sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        Err(ImportError::input(path, None, "the Stack Exchange reader is not built yet"))
    }
}
