//! CSV people reader.
//! (Being written by a helper; this placeholder keeps the crate building.)

use crate::{ImportError, Importer, Sink, Source, Summary};
use std::path::Path;

#[derive(Debug, Default)]
pub struct PeopleCsvImporter {}

impl Importer for PeopleCsvImporter {
    fn source(&self) -> Source {
        Source::PeopleCsv
    }

    fn read(&self, path: &Path, _sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        Err(ImportError::input(path, None, "the CSV people reader is not built yet"))
    }
}
