//! Pages for the practice repository: a community's artifacts, an artifact
//! with its backlinks, new and edit (each save a version), history and diff,
//! status and owners, stale artifacts, "I used this", checklist runs.

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}
