//! The search page: one box over threads, posts, artifacts, events,
//! communities and people, with filters and highlighted snippets.

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}
