//! The demo organization's practice repository: artifacts with versions,
//! owners, stale review dates and reuse.

use rand::rngs::StdRng;

use crate::{App, AppError};

/// Loads the demo practice repository; returns the number of artifacts.
pub(crate) async fn load(_app: &App, _rng: &mut StdRng) -> Result<u64, AppError> {
    Ok(0)
}
