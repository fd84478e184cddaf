//! Health pages: a community's metrics, stage evidence, diagnosis and
//! alerts, and the admin's detector thresholds.

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}
