//! The `/api/v1` routes for measurement: health metrics, alerts, value
//! stories; and their part of the OpenAPI document.

use axum::Router;
use utoipa::OpenApi;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}

#[derive(OpenApi)]
#[openapi()]
pub struct Doc;
