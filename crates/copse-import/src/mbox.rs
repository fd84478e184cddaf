//! mbox reader.
//! (Being written by a helper; this placeholder keeps the crate building.)

use crate::{ImportError, Importer, Sink, Source, Summary};
use std::path::Path;

#[derive(Debug, Default)]
pub struct MboxImporter {}

impl Importer for MboxImporter {
    fn source(&self) -> Source {
        Source::Mbox
    }

    fn read(&self, path: &Path, _sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        Err(ImportError::input(path, None, "the mbox reader is not built yet"))
    }
}
