//! Demo data for expertise.

use crate::{App, AppError};

/// Loads the expertise part of the demo organization; runs after discussions,
/// events and practice are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let _ = app;
    Ok(())
}
