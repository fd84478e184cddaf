//! The `/api/v1` routes for organization, and their part of the OpenAPI document.

use axum::Router;
use utoipa::OpenApi;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}

#[derive(OpenApi)]
#[openapi(tags((name = "organization", description = "organization")))]
pub struct Doc;
