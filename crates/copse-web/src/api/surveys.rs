//! The `/api/v1` routes for surveys, and their part of the OpenAPI document.

use axum::Router;
use utoipa::OpenApi;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}

#[derive(OpenApi)]
#[openapi(tags((name = "surveys", description = "surveys")))]
pub struct Doc;
