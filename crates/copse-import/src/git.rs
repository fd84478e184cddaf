//! git: a repository or a bundle, read with gix.
//! (Being written by a helper; this placeholder keeps the crate building.)

use crate::{ImportError, Importer, Sink, Source, Summary};
use std::path::Path;

#[derive(Debug, Default)]
pub struct GitImporter {}

impl Importer for GitImporter {
    fn source(&self) -> Source {
        Source::Git
    }

    fn read(&self, path: &Path, _sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        Err(ImportError::input(path, None, "the git reader is not built yet"))
    }
}
