//! Demo data for recognition.

use crate::{App, AppError};

/// Loads the recognition part of the demo organization; runs after discussions,
/// events and practice are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let _ = app;
    Ok(())
}
