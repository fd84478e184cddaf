//! `/api/v1/people` and `/api/v1/me`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use copse_app::NewAccount;
use copse_app::PeopleFilter;
use copse_domain::ProfileInput;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiJson;
use super::types::*;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
pub struct DirectoryQuery {
    /// Text in the name, handle, team, location, skills or interests.
    #[serde(default)]
    q: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    location: String,
    /// A skill name, e.g. `Rust`.
    #[serde(default)]
    skill: String,
    /// Page number from 1 (48 people a page).
    page: Option<i64>,
}

/// The people directory.
#[utoipa::path(get, path = "/people", tag = "people", params(DirectoryQuery),
    responses((status = 200, body = PeoplePageOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_people(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<DirectoryQuery>,
) -> Result<Json<PeoplePageOut>, ApiError> {
    let filter = PeopleFilter { query: query.q, team: query.team, location: query.location, skill: query.skill };
    let page = state.app.people_directory(&viewer, &filter, query.page.unwrap_or(1)).await?;
    Ok(Json(PeoplePageOut {
        people: page.people.iter().map(PersonOut::from).collect(),
        page: page.page,
        has_next: page.has_next,
    }))
}

/// A person's profile, skills, interests and the communities of theirs the caller may see.
#[utoipa::path(get, path = "/people/{handle}", tag = "people", params(("handle" = String, Path)),
    responses((status = 200, body = PersonOut), (status = 404, body = Problem)))]
pub async fn get_person(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(handle): Path<String>,
) -> Result<Json<PersonOut>, ApiError> {
    let page = state.app.profile_page(&viewer, &handle).await?;
    let mut out = PersonOut::from(&page.person);
    out.skills = Some(
        page.skills.iter().map(|(name, level)| SkillOut { name: name.clone(), level: level.as_str().into() }).collect(),
    );
    out.interests = Some(page.interests.clone());
    out.communities = Some(page.communities.iter().map(CommunitySummary::from).collect());
    Ok(Json(out))
}

/// Saves a profile (one's own; admins may save anyone's).
#[utoipa::path(put, path = "/people/{handle}", tag = "people", params(("handle" = String, Path)), request_body = ProfileWrite,
    responses((status = 200, body = PersonOut), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_person(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(handle): Path<String>,
    ApiJson(body): ApiJson<ProfileWrite>,
) -> Result<Json<PersonOut>, ApiError> {
    let input = ProfileInput {
        name: body.name,
        team: body.team,
        location: body.location,
        time_zone: body.time_zone,
        work_start: body.working_hours_start,
        work_end: body.working_hours_end,
        experience: body.experience,
        skills: body.skills.join(", "),
        interests: body.interests.join(", "),
        bio: body.bio,
    };
    let person = state.app.update_profile(&viewer, &handle, &input).await?;
    Ok(Json(PersonOut::from(&person)))
}

/// Who the caller is.
#[utoipa::path(get, path = "/me", tag = "people", responses((status = 200, body = MeOut), (status = 401, body = Problem)))]
pub async fn get_me(ApiViewer(viewer): ApiViewer) -> Json<MeOut> {
    Json(MeOut {
        handle: viewer.handle.clone(),
        name: viewer.name.clone(),
        role: viewer.actor.role.as_str().into(),
        time_zone: viewer.time_zone.name().into(),
    })
}

/// Creates a person with a local account (administrators only).
#[utoipa::path(post, path = "/people", tag = "people", request_body = PersonCreate,
    responses((status = 201, body = PersonOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_person(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<PersonCreate>,
) -> Result<(StatusCode, Json<PersonOut>), ApiError> {
    let account = NewAccount {
        handle: body.handle,
        name: body.name,
        email: body.email,
        password: body.password,
        admin: body.admin,
    };
    state.app.admin_create_account(&viewer, &account).await?;
    let page = state.app.profile_page(&viewer, &account.handle.trim().trim_start_matches('@').to_lowercase()).await?;
    Ok((StatusCode::CREATED, Json(PersonOut::from(&page.person))))
}

/// The organization's goals.
#[utoipa::path(get, path = "/org-goals", tag = "organization", responses((status = 200, body = Vec<OrgGoalOut>), (status = 401, body = Problem)))]
pub async fn list_org_goals(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<OrgGoalOut>>, ApiError> {
    viewer.require_person()?;
    let goals = state.app.org_goals().await?;
    Ok(Json(goals.into_iter().map(|(id, title)| OrgGoalOut { id: id.0, title }).collect()))
}

/// Adds an organizational goal (administrators only).
#[utoipa::path(post, path = "/org-goals", tag = "organization", request_body = OrgGoalCreate,
    responses((status = 201, body = OrgGoalOut), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_org_goal(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<OrgGoalCreate>,
) -> Result<(StatusCode, Json<OrgGoalOut>), ApiError> {
    let id = state.app.add_org_goal(&viewer, &body.title, &body.description).await?;
    Ok((StatusCode::CREATED, Json(OrgGoalOut { id: id.0, title: body.title.trim().to_string() })))
}
