//! The demo organization's year of discussions and questions.

use rand::rngs::StdRng;

use crate::{App, AppError};

/// Loads the demo discussions; returns (threads, posts).
pub(crate) async fn load(_app: &App, _rng: &mut StdRng) -> Result<(u64, u64), AppError> {
    Ok((0, 0))
}
