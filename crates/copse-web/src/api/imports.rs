//! `GET /api/v1/imports/{id}`: an import run's progress, which the run page
//! polls while the run is under way (administrators only, like the page);
//! and its part of the OpenAPI document.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use copse_domain::Timestamp;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new().route("/imports/{id}", get(get_import))
}

#[derive(OpenApi)]
#[openapi(
    paths(get_import),
    components(schemas(ImportRunOut)),
    tags((name = "imports", description = "Importing a community's history (administrators)"))
)]
pub struct Doc;

/// One import run and how far it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRunOut {
    pub id: i64,
    /// The community's slug.
    pub community: String,
    /// `git`, `mbox`, `slack`, `stackexchange` or `people-csv`.
    pub source: String,
    /// The input's name (the uploaded file's name, or the path imported).
    pub input: String,
    /// `queued`, `checking`, `loading`, `done`, `failed` or `interrupted`.
    pub status: String,
    /// Whether the run has ended (done, failed or interrupted).
    pub finished: bool,
    /// Records loaded so far.
    pub done_units: i64,
    /// Records in the input, known once the checking pass is over.
    pub total_units: Option<i64>,
    /// Records read.
    pub records: i64,
    /// Items written for the first time.
    pub added: i64,
    /// How many warnings the run recorded.
    pub warning_count: usize,
    /// Why the run failed, with the file and position when the input is at fault.
    pub error: Option<String>,
    /// When the run was queued or started (RFC 3339, UTC).
    pub created_at: String,
    pub finished_at: Option<String>,
}

/// An import run's progress (administrators).
#[utoipa::path(get, path = "/imports/{id}", tag = "imports", params(("id" = i64, Path)),
    responses((status = 200, body = ImportRunOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_import(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<ImportRunOut>, ApiError> {
    let run = state.app.import_run(&viewer, id).await?;
    Ok(Json(ImportRunOut {
        id: run.id,
        community: run.community_slug,
        source: run.source,
        input: run.input,
        finished: matches!(run.status.as_str(), "done" | "failed" | "interrupted"),
        status: run.status,
        done_units: run.done_units,
        total_units: run.total_units,
        records: run.records,
        added: run.added,
        warning_count: run.warnings.lines().filter(|l| !l.trim().is_empty()).count(),
        error: run.error,
        created_at: rfc3339(Timestamp(run.created_at)),
        finished_at: run.finished_at.map(|at| rfc3339(Timestamp(at))),
    }))
}
