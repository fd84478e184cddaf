//! `/api/v1/communities`: discover, read, create, edit, stage, membership.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use copse_app::CommunityFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiJson;
use super::types::*;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Text to find in the name, domain or purpose.
    #[serde(default)]
    q: String,
    /// A community type, e.g. `technical-practice`.
    #[serde(default)]
    kind: String,
    /// A stage, e.g. `maturing`.
    #[serde(default)]
    stage: String,
    /// Page number from 1.
    page: Option<i64>,
    /// Communities per page (1 to 200, default 50).
    per_page: Option<i64>,
}

/// Communities the caller may see.
#[utoipa::path(get, path = "/communities", tag = "communities", params(ListQuery),
    responses((status = 200, body = Vec<CommunitySummary>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list_communities(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<CommunitySummary>>, ApiError> {
    let filter = CommunityFilter { query: query.q, kind: query.kind, stage: query.stage, exclude_joined: false };
    let page =
        state.app.discover_communities(&viewer, &filter, query.page.unwrap_or(1), query.per_page.unwrap_or(50)).await?;
    Ok(Json(page.cards.iter().map(CommunitySummary::from).collect()))
}

/// Starts a community; the caller becomes its first facilitator.
#[utoipa::path(post, path = "/communities", tag = "communities", request_body = CommunityWrite,
    responses((status = 201, body = CommunityDetail), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn create_community(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<CommunityWrite>,
) -> Result<Response, ApiError> {
    let created = state.app.create_community(&viewer, &body.into_input()).await?;
    let page = state.app.community_page(&viewer, &created.slug).await?;
    Ok((StatusCode::CREATED, Json(CommunityDetail::from(&page))).into_response())
}

/// One community with its charter, facilitators, participation and stage history.
#[utoipa::path(get, path = "/communities/{slug}", tag = "communities", params(("slug" = String, Path)),
    responses((status = 200, body = CommunityDetail), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_community(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<CommunityDetail>, ApiError> {
    let page = state.app.community_page(&viewer, &slug).await?;
    Ok(Json(CommunityDetail::from(&page)))
}

/// Replaces a community's definition and charter (facilitators and admins).
#[utoipa::path(put, path = "/communities/{slug}", tag = "communities", params(("slug" = String, Path)), request_body = CommunityWrite,
    responses((status = 200, body = CommunityDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_community(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<CommunityWrite>,
) -> Result<Json<CommunityDetail>, ApiError> {
    let updated = state.app.update_community(&viewer, &slug, &body.into_input()).await?;
    let page = state.app.community_page(&viewer, &updated.slug).await?;
    Ok(Json(CommunityDetail::from(&page)))
}

/// The most active members (up to 60), with their participation level.
#[utoipa::path(get, path = "/communities/{slug}/members", tag = "communities", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<MemberOut>), (status = 404, body = Problem)))]
pub async fn list_members(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<Vec<MemberOut>>, ApiError> {
    let page = state.app.community_page(&viewer, &slug).await?;
    Ok(Json(page.shared.members.iter().map(MemberOut::from).collect()))
}

/// A facilitator's decision about someone's membership.
#[utoipa::path(post, path = "/communities/{slug}/members", tag = "communities", params(("slug" = String, Path)),
    request_body = MemberDecisionIn,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn manage_member(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<MemberDecisionIn>,
) -> Result<StatusCode, ApiError> {
    state.app.manage_member(&viewer, &slug, &body.handle, &body.decision).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Moves the community to another stage, with a note.
#[utoipa::path(post, path = "/communities/{slug}/stage", tag = "communities", params(("slug" = String, Path)),
    request_body = StageChangeIn,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn change_stage(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<StageChangeIn>,
) -> Result<StatusCode, ApiError> {
    state.app.change_stage(&viewer, &slug, &body.stage, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Joins an open community or accepts an invitation.
#[utoipa::path(post, path = "/communities/{slug}/join", tag = "communities", params(("slug" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn join_community(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.app.join_community(&viewer, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks to join a request-to-join community.
#[utoipa::path(post, path = "/communities/{slug}/request", tag = "communities", params(("slug" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn request_to_join(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.app.request_to_join(&viewer, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leaves, withdraws a request or declines an invitation.
#[utoipa::path(post, path = "/communities/{slug}/leave", tag = "communities", params(("slug" = String, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn leave_community(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.app.leave_community(&viewer, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}
