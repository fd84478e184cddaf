//! The `/api/v1` routes for practice, and their part of the OpenAPI document:
//! a community's artifacts, one artifact (PUT saves a new version, checked
//! against `base_version`), versions and diffs, curation, reuse, checklist
//! runs and the stale list.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use copse_app::{
    ArtifactDiff, ArtifactSummary, ArtifactVersionSummary, ArtifactVersionView, ArtifactView, ChecklistRunView,
    PracticeQuery,
};
use copse_domain::{ArtifactInput, CurationInput, DiffKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/artifacts", get(list_artifacts).post(create_artifact))
        .route("/communities/{slug}/artifacts/stale", get(list_stale))
        .route("/artifacts/{id}", get(get_artifact).put(save_version))
        .route("/artifacts/{id}/versions", get(list_versions))
        .route("/artifacts/{id}/versions/{version}", get(get_version))
        .route("/artifacts/{id}/diff", get(get_diff))
        .route("/artifacts/{id}/curation", post(curate))
        .route("/artifacts/{id}/reuses", post(record_reuse))
        .route("/artifacts/{id}/runs", post(start_run))
        .route("/checklist-runs/{id}", get(get_run).put(update_run))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_artifacts,
        create_artifact,
        list_stale,
        get_artifact,
        save_version,
        list_versions,
        get_version,
        get_diff,
        curate,
        record_reuse,
        start_run,
        get_run,
        update_run
    ),
    components(schemas(
        ArtifactSummaryOut,
        ArtifactPageOut,
        ArtifactOut,
        ArtifactCreate,
        ArtifactVersionWrite,
        VersionSummaryOut,
        VersionOut,
        DiffOut,
        HunkOut,
        DiffLineOut,
        CurationIn,
        ReuseIn,
        ReuseOut,
        RunOut,
        RunItemOut,
        RunUpdateIn,
        StaleArtifactOut
    )),
    tags((name = "practice", description = "The practice repository: artifacts, versions, reuse and checklist runs"))
)]
pub struct Doc;

/// An artifact in a list (no body).
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactSummaryOut {
    pub id: i64,
    /// guide, standard, checklist, adr, runbook, template, lessons-learned, recording or tutorial.
    pub kind: String,
    pub title: String,
    /// draft, in-review, published, deprecated or superseded.
    pub status: String,
    /// "2026-09-30"; stale from the day after.
    pub review_by: Option<String>,
    pub stale: bool,
    /// The current version's number (also how many versions there are).
    pub version: i64,
    pub views: i64,
    pub reuses: i64,
    pub updated_at: String,
    pub tags: Vec<String>,
}

impl From<&ArtifactSummary> for ArtifactSummaryOut {
    fn from(a: &ArtifactSummary) -> Self {
        Self {
            id: a.id,
            kind: a.kind.as_str().into(),
            title: a.title.clone(),
            status: a.status.as_str().into(),
            review_by: a.review_by.map(|d| d.format("%Y-%m-%d").to_string()),
            stale: a.stale,
            version: a.versions,
            views: a.views,
            reuses: a.reuses,
            updated_at: rfc3339(a.updated_at),
            tags: a.tags.clone(),
        }
    }
}

/// One page of a community's artifacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactPageOut {
    pub artifacts: Vec<ArtifactSummaryOut>,
    /// The `page` to ask for next, when there is more.
    pub next_page: Option<u32>,
}

/// One artifact at its current version. `body` is the Markdown as written.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArtifactOut {
    pub id: i64,
    /// The community's slug.
    pub community: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub status: String,
    /// The replacing artifact's id (for superseded ones).
    pub superseded_by: Option<i64>,
    pub review_by: Option<String>,
    pub stale: bool,
    /// Send this back as `base_version` when saving a new version.
    pub version: i64,
    /// The handle of the person who created it.
    pub created_by: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub views: i64,
    pub reuses: i64,
    /// Owner handles.
    pub owners: Vec<String>,
    pub tags: Vec<String>,
}

impl From<&ArtifactView> for ArtifactOut {
    fn from(a: &ArtifactView) -> Self {
        Self {
            id: a.id,
            community: a.community_slug.clone(),
            kind: a.kind.as_str().into(),
            title: a.title.clone(),
            body: a.body.clone(),
            status: a.status.as_str().into(),
            superseded_by: a.superseded_by.as_ref().map(|(id, _)| *id),
            review_by: a.review_by.map(|d| d.format("%Y-%m-%d").to_string()),
            stale: a.stale,
            version: a.current_version,
            created_by: a.created_by.as_ref().map(|p| p.handle.clone()),
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
            views: a.view_count,
            reuses: a.reuse_count,
            owners: a.owners.iter().map(|o| o.handle.clone()).collect(),
            tags: a.tags.clone(),
        }
    }
}

/// A new artifact (version 1); the caller becomes its owner.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArtifactCreate {
    pub kind: String,
    /// 3 to 200 characters.
    pub title: String,
    /// Markdown, 1 to 100,000 characters.
    pub body: String,
    /// The version note (up to 300 characters).
    #[serde(default)]
    pub message: String,
    /// Up to 8 tags of a-z 0-9 - + . #
    #[serde(default)]
    pub tags: Vec<String>,
    /// "2026-09-30"
    pub review_by: Option<String>,
    /// draft (default), in-review or published.
    pub status: Option<String>,
}

/// A new version. `base_version` is the version the edit started from; if
/// another version was saved since, the answer is 409 and nothing changes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArtifactVersionWrite {
    pub base_version: i64,
    /// Unchanged when absent.
    pub kind: Option<String>,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub message: String,
    /// Unchanged when absent.
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionSummaryOut {
    pub version: i64,
    pub title: String,
    /// The author's handle.
    pub author: Option<String>,
    pub message: String,
    pub created_at: String,
    /// Length of the body in characters.
    pub chars: i64,
}

impl From<&ArtifactVersionSummary> for VersionSummaryOut {
    fn from(v: &ArtifactVersionSummary) -> Self {
        Self {
            version: v.version,
            title: v.title.clone(),
            author: v.author.as_ref().map(|a| a.handle.clone()),
            message: v.message.clone(),
            created_at: rfc3339(v.created_at),
            chars: v.chars,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionOut {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub author: Option<String>,
    pub message: String,
    pub created_at: String,
}

impl From<&ArtifactVersionView> for VersionOut {
    fn from(v: &ArtifactVersionView) -> Self {
        Self {
            version: v.version,
            title: v.title.clone(),
            body: v.body.clone(),
            author: v.author.as_ref().map(|a| a.handle.clone()),
            message: v.message.clone(),
            created_at: rfc3339(v.created_at),
        }
    }
}

/// One line of a diff.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffLineOut {
    /// equal, added or removed.
    pub kind: String,
    pub old_line: Option<usize>,
    pub new_line: Option<usize>,
    pub text: String,
}

/// A run of changes with up to three unchanged lines around them.
#[derive(Debug, Serialize, ToSchema)]
pub struct HunkOut {
    /// "@@ -3,7 +3,8 @@"
    pub header: String,
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<DiffLineOut>,
}

/// The line diff between two versions; the title is diffed as a first
/// line "# title".
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffOut {
    pub from: i64,
    pub to: i64,
    pub added: usize,
    pub removed: usize,
    pub hunks: Vec<HunkOut>,
}

impl From<&ArtifactDiff> for DiffOut {
    fn from(d: &ArtifactDiff) -> Self {
        Self {
            from: d.from.version,
            to: d.to.version,
            added: d.added,
            removed: d.removed,
            hunks: d
                .hunks
                .iter()
                .map(|h| HunkOut {
                    header: h.header(),
                    old_start: h.old_start,
                    old_len: h.old_len,
                    new_start: h.new_start,
                    new_len: h.new_len,
                    lines: h
                        .lines
                        .iter()
                        .map(|l| DiffLineOut {
                            kind: match l.kind {
                                DiffKind::Equal => "equal",
                                DiffKind::Added => "added",
                                DiffKind::Removed => "removed",
                            }
                            .into(),
                            old_line: l.old_line,
                            new_line: l.new_line,
                            text: l.text.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Status, replacement, owners and review-by (owners and facilitators).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CurationIn {
    /// draft, in-review, published, deprecated or superseded.
    pub status: String,
    /// Required with superseded, refused otherwise.
    pub superseded_by: Option<i64>,
    /// Handles of active members of the community; at least one.
    pub owners: Vec<String>,
    /// "2026-09-30", or absent for none.
    pub review_by: Option<String>,
}

/// "I used this".
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReuseIn {
    /// Where it was used (up to 500 characters).
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReuseOut {
    /// The artifact's reuse count now.
    pub reuses: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunItemOut {
    pub text: String,
    pub ticked: bool,
}

/// A member's run through a checklist version (only the runner sees it).
#[derive(Debug, Serialize, ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub artifact_id: i64,
    pub version: i64,
    pub items: Vec<RunItemOut>,
    pub note: String,
    pub started_at: String,
    pub completed_at: Option<String>,
}

impl From<&ChecklistRunView> for RunOut {
    fn from(r: &ChecklistRunView) -> Self {
        Self {
            id: r.id,
            artifact_id: r.artifact_id,
            version: r.version,
            items: r.items.iter().map(|(text, ticked)| RunItemOut { text: text.clone(), ticked: *ticked }).collect(),
            note: r.note.clone(),
            started_at: rfc3339(r.started_at),
            completed_at: r.completed_at.map(rfc3339),
        }
    }
}

/// The ticked items (0-based indexes, replacing the earlier ticks), a note,
/// and whether to complete the run (which records it as a reuse).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RunUpdateIn {
    #[serde(default)]
    pub ticked: Vec<usize>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub complete: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaleArtifactOut {
    pub artifact: ArtifactSummaryOut,
    /// Owner handles.
    pub owners: Vec<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this kind.
    #[serde(default)]
    kind: String,
    /// Only this status.
    #[serde(default)]
    status: String,
    /// Only artifacts with this tag.
    #[serde(default)]
    tag: String,
    /// 0-based page of 20.
    #[serde(default)]
    page: u32,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DiffQuery {
    /// The older version.
    from: i64,
    /// The newer version.
    to: i64,
}

/// A community's artifacts, most recently changed first, 20 a page.
#[utoipa::path(get, path = "/communities/{slug}/artifacts", tag = "practice", params(("slug" = String, Path), ListQuery),
    responses((status = 200, body = ArtifactPageOut), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_artifacts(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Json<ArtifactPageOut>, ApiError> {
    let page = state
        .app
        .practice_page(
            &viewer,
            &slug,
            &PracticeQuery { kind: query.kind, status: query.status, tag: query.tag, page: query.page },
        )
        .await?;
    Ok(Json(ArtifactPageOut {
        artifacts: page.artifacts.iter().map(ArtifactSummaryOut::from).collect(),
        next_page: page.has_next.then_some(page.page + 1),
    }))
}

/// Writes a new artifact (members of the community).
#[utoipa::path(post, path = "/communities/{slug}/artifacts", tag = "practice", params(("slug" = String, Path)), request_body = ArtifactCreate,
    responses((status = 201, body = ArtifactOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create_artifact(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ArtifactCreate>,
) -> Result<(StatusCode, Json<ArtifactOut>), ApiError> {
    let input = ArtifactInput {
        kind: body.kind,
        title: body.title,
        body: body.body,
        message: body.message,
        tags: body.tags.join(","),
        review_by: body.review_by.unwrap_or_default(),
        status: body.status.unwrap_or_default(),
    };
    let artifact = state.app.create_artifact(&viewer, &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(ArtifactOut::from(&artifact))))
}

/// A community's artifacts past their review-by date, with their owners
/// (facilitators).
#[utoipa::path(get, path = "/communities/{slug}/artifacts/stale", tag = "practice", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<StaleArtifactOut>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list_stale(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<Vec<StaleArtifactOut>>, ApiError> {
    let stale = state.app.stale_artifacts(&viewer, &slug).await?;
    Ok(Json(
        stale
            .artifacts
            .iter()
            .map(|s| StaleArtifactOut {
                artifact: ArtifactSummaryOut::from(&s.artifact),
                owners: s.owners.iter().map(|o| o.handle.clone()).collect(),
            })
            .collect(),
    ))
}

/// One artifact at its current version, body as written (reading it here
/// does not count a view).
#[utoipa::path(get, path = "/artifacts/{id}", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = ArtifactOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_artifact(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<ArtifactOut>, ApiError> {
    Ok(Json(ArtifactOut::from(&state.app.artifact(&viewer, id).await?)))
}

/// Saves a new version (members). 409 when `base_version` is no longer the
/// latest version: nothing is stored then.
#[utoipa::path(put, path = "/artifacts/{id}", tag = "practice", params(("id" = i64, Path)), request_body = ArtifactVersionWrite,
    responses((status = 200, body = ArtifactOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn save_version(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ArtifactVersionWrite>,
) -> Result<Json<ArtifactOut>, ApiError> {
    let (kind, tags) = match (body.kind, body.tags) {
        (Some(kind), Some(tags)) => (kind, tags.join(",")),
        (kind, tags) => {
            let current = state.app.artifact(&viewer, id).await?;
            (
                kind.unwrap_or_else(|| current.kind.as_str().to_string()),
                tags.map(|t| t.join(",")).unwrap_or_else(|| current.tags.join(",")),
            )
        }
    };
    let input =
        ArtifactInput { kind, title: body.title, body: body.body, message: body.message, tags, ..Default::default() };
    let artifact = state.app.save_artifact_version(&viewer, id, body.base_version, &input).await?;
    Ok(Json(ArtifactOut::from(&artifact)))
}

/// Every version, newest first (without bodies).
#[utoipa::path(get, path = "/artifacts/{id}/versions", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VersionSummaryOut>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_versions(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<Vec<VersionSummaryOut>>, ApiError> {
    let (_, versions) = state.app.artifact_history(&viewer, id).await?;
    Ok(Json(versions.iter().map(VersionSummaryOut::from).collect()))
}

/// One version with its body.
#[utoipa::path(get, path = "/artifacts/{id}/versions/{version}", tag = "practice", params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = VersionOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_version(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Json<VersionOut>, ApiError> {
    let (_, v) = state.app.artifact_version(&viewer, id, version).await?;
    Ok(Json(VersionOut::from(&v)))
}

/// The line diff between two versions.
#[utoipa::path(get, path = "/artifacts/{id}/diff", tag = "practice", params(("id" = i64, Path), DiffQuery),
    responses((status = 200, body = DiffOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_diff(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    Query(query): Query<DiffQuery>,
) -> Result<Json<DiffOut>, ApiError> {
    let diff = state.app.artifact_diff(&viewer, id, query.from, query.to).await?;
    Ok(Json(DiffOut::from(&diff)))
}

/// Changes status, replacement, owners and review-by (owners and
/// facilitators).
#[utoipa::path(post, path = "/artifacts/{id}/curation", tag = "practice", params(("id" = i64, Path)), request_body = CurationIn,
    responses((status = 200, body = ArtifactOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn curate(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CurationIn>,
) -> Result<Json<ArtifactOut>, ApiError> {
    let input = CurationInput {
        status: body.status,
        superseded_by: body.superseded_by.map(|id| id.to_string()).unwrap_or_default(),
        owners: body.owners.join(","),
        review_by: body.review_by.unwrap_or_default(),
    };
    Ok(Json(ArtifactOut::from(&state.app.curate_artifact(&viewer, id, &input).await?)))
}

/// "I used this", with an optional note of where (members).
#[utoipa::path(post, path = "/artifacts/{id}/reuses", tag = "practice", params(("id" = i64, Path)), request_body = ReuseIn,
    responses((status = 201, body = ReuseOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_reuse(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReuseIn>,
) -> Result<(StatusCode, Json<ReuseOut>), ApiError> {
    let reuses = state.app.record_artifact_reuse(&viewer, id, &body.note).await?;
    Ok((StatusCode::CREATED, Json(ReuseOut { reuses })))
}

/// Starts a run of a checklist's current version (members).
#[utoipa::path(post, path = "/artifacts/{id}/runs", tag = "practice", params(("id" = i64, Path)),
    responses((status = 201, body = RunOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn start_run(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<(StatusCode, Json<RunOut>), ApiError> {
    let run = state.app.start_checklist_run(&viewer, id).await?;
    let view = state.app.checklist_run(&viewer, run).await?;
    Ok((StatusCode::CREATED, Json(RunOut::from(&view))))
}

/// The caller's own checklist run (anyone else's is 404).
#[utoipa::path(get, path = "/checklist-runs/{id}", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = RunOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_run(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<RunOut>, ApiError> {
    Ok(Json(RunOut::from(&state.app.checklist_run(&viewer, id).await?)))
}

/// Ticks items and, with `complete`, finishes the run (409 once completed).
#[utoipa::path(put, path = "/checklist-runs/{id}", tag = "practice", params(("id" = i64, Path)), request_body = RunUpdateIn,
    responses((status = 200, body = RunOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_run(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RunUpdateIn>,
) -> Result<Json<RunOut>, ApiError> {
    let run = state.app.update_checklist_run(&viewer, id, &body.ticked, &body.note, body.complete).await?;
    Ok(Json(RunOut::from(&run)))
}
