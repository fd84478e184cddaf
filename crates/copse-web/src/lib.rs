//! copse over HTTP: server-rendered HTML pages that work without JavaScript,
//! the JSON API under `/api/v1` with its OpenAPI document, sign-in, CSRF
//! protection, operations endpoints and embedded static assets.
//!
//! Handlers are short: extract, call `copse-app`, render. This crate never
//! touches SQL and holds no business rules; authorization is decided in
//! `copse_domain::policy` through the use cases. It is the only crate that
//! knows wire formats: API types in [`api`] are separate from the app's views.
//!
//! [`router`] builds the whole application as an axum `Router`, testable with
//! `tower::ServiceExt::oneshot` and no socket.

pub mod api;
mod auth;
mod charts;
mod error;
mod format;
pub mod ical;
pub mod markdown;
mod ops;
mod pages;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use copse_app::App;

pub use auth::{ANON_COOKIE, SESSION_COOKIE};
pub use ops::Metrics;

/// Largest request body accepted, for forms and JSON alike. Larger bodies are
/// refused with 413 before they are read.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct WebState {
    pub app: App,
    pub metrics: Arc<Metrics>,
    /// Rendered health-page figures, per community and computation.
    pub health_fragments: Arc<pages::insight::HealthFragments>,
}

/// The whole web application.
pub fn router(app: App) -> Router {
    let state = WebState { app, metrics: Arc::new(Metrics::default()), health_fragments: Arc::default() };
    Router::new()
        .merge(pages::routes(state.clone()))
        .nest("/api/v1", api::routes())
        .merge(api::openapi_routes())
        .merge(ops::routes())
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::track))
        .with_state(state)
}
