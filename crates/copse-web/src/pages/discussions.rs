//! Pages for discussions and Q&A: a community's threads, the unanswered
//! questions, a thread with its posts, new thread, reply, edit with history,
//! reactions, moderation, accepting an answer, recording time saved.

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}
