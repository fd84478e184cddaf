//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document at
//! `/api/openapi.json`, generated from the handler annotations here.
//!
//! Authentication: `Authorization: Bearer copse_…` (tokens are made on the
//! profile's "API tokens" page); the session cookie is accepted for GET only.
//! Errors are `application/problem+json` with a stable `code`.

mod communities;
mod discussions;
mod events;
mod expertise;
mod imports;
mod insight;
mod mentoring;
mod organization;
mod people;
mod planning;
mod practice;
mod recognition;
mod search;
mod surveys;
pub mod types;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

use crate::WebState;
use crate::error::problem;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities", get(communities::list_communities).post(communities::create_community))
        .route("/communities/{slug}", get(communities::get_community).put(communities::update_community))
        .route("/communities/{slug}/members", get(communities::list_members).post(communities::manage_member))
        .route("/communities/{slug}/stage", post(communities::change_stage))
        .route("/communities/{slug}/join", post(communities::join_community))
        .route("/communities/{slug}/request", post(communities::request_to_join))
        .route("/communities/{slug}/leave", post(communities::leave_community))
        .route("/people", get(people::list_people).post(people::create_person))
        .route("/org-goals", get(people::list_org_goals).post(people::create_org_goal))
        .route("/people/{handle}", get(people::get_person).put(people::update_person))
        .route("/me", get(people::get_me))
        .route("/me/upcoming", get(events::my_upcoming))
        .route("/me/notifications", get(events::my_notifications))
        .route("/communities/{slug}/events", get(events::list_occurrences).post(events::create_event))
        .route("/communities/{slug}/planner", get(planning::get_planner))
        .route("/communities/{slug}/rota", get(planning::get_rota))
        .route("/events/{id}", put(events::update_event))
        .route("/events/{id}/rsvp", post(events::rsvp_series))
        .route("/events/{id}/occurrences/{key}", get(events::get_occurrence))
        .route("/events/{id}/occurrences/{key}/move", post(events::move_occurrence))
        .route("/events/{id}/occurrences/{key}/split", post(events::split_event))
        .route("/events/{id}/occurrences/{key}/rsvp", post(events::rsvp))
        .route("/events/{id}/occurrences/{key}/cancel", post(events::cancel_occurrence))
        .merge(discussions::routes())
        .merge(practice::routes())
        .merge(search::routes())
        .merge(expertise::routes())
        .merge(mentoring::routes())
        .merge(recognition::routes())
        .merge(surveys::routes())
        .merge(organization::routes())
        .merge(insight::routes())
        .merge(imports::routes())
        .fallback(crate::error::not_found)
}

pub fn openapi_routes() -> Router<WebState> {
    Router::new().route("/api/openapi.json", get(openapi_json))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "copse API", description = "Communities of practice: communities, charters, stages, memberships and people."),
    paths(
        communities::list_communities,
        communities::create_community,
        communities::get_community,
        communities::update_community,
        communities::list_members,
        communities::manage_member,
        communities::change_stage,
        communities::join_community,
        communities::request_to_join,
        communities::leave_community,
        people::list_people,
        people::get_person,
        people::update_person,
        people::get_me,
        people::create_person,
        people::list_org_goals,
        people::create_org_goal,
        events::list_occurrences,
        events::create_event,
        events::get_occurrence,
        events::rsvp,
        events::cancel_occurrence,
        events::update_event,
        events::split_event,
        events::move_occurrence,
        events::rsvp_series,
        events::my_upcoming,
        events::my_notifications,
        planning::get_planner,
        planning::get_rota,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "communities", description = "Communities of practice"), (name = "people", description = "People and profiles"), (name = "organization", description = "Organization-wide settings"), (name = "events", description = "Sessions, RSVPs and notifications"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        openapi.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    }
}

/// The whole document: the paths listed on [`ApiDoc`] plus each later
/// area's own `Doc` (discussions, practice, search), merged.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(discussions::Doc::openapi());
    doc.merge(practice::Doc::openapi());
    doc.merge(search::Doc::openapi());
    doc.merge(expertise::Doc::openapi());
    doc.merge(mentoring::Doc::openapi());
    doc.merge(recognition::Doc::openapi());
    doc.merge(surveys::Doc::openapi());
    doc.merge(organization::Doc::openapi());
    doc.merge(insight::Doc::openapi());
    doc.merge(imports::Doc::openapi());
    doc
}

async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

/// `Json<T>` whose rejections (malformed JSON, wrong content type, too large)
/// are problem documents like every other API error.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let status = rejection.status();
                let code = match &rejection {
                    _ if status == StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                    JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
                    JsonRejection::JsonDataError(_) => "invalid_input",
                    _ => "bad_request",
                };
                Err(problem(status, code, rejection.body_text(), Vec::new()))
            }
        }
    }
}
