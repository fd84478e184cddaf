//! Value stories (recorded by members, tagged by Wenger-Trayner cycle,
//! linked to their evidence) and the printable value report for sponsors.

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}
