//! The `/api/v1` routes for recognition, and their part of the OpenAPI
//! document: giving kudos, a community's kudos feed, a person's kudos and
//! stewardship, and the export (CSV or JSON, per person and period) for
//! performance and recognition systems. The same rules as the pages: kudos
//! to oneself are refused (422), a second kudos for the same subject and
//! person is 409, private content answers 404, and a member's export holds
//! only kudos they gave or received.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use copse_app::{AppError, KudosInput, KudosSubject, KudosView, ProfileRecognition};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;
use crate::pages::kudos_export::{
    ExportParams, KudosExportDocument, KudosExportRecord, download, export_csv_text, export_document, export_filename,
};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/kudos", post(give_kudos))
        .route("/kudos/export", get(export_kudos))
        .route("/communities/{slug}/kudos", get(community_kudos))
        .route("/people/{handle}/kudos", get(person_kudos))
}

#[derive(OpenApi)]
#[openapi(
    paths(give_kudos, community_kudos, person_kudos, export_kudos),
    components(schemas(
        KudosIn,
        KudosOut,
        KudosPersonOut,
        KudosPageOut,
        StewardshipOut,
        CategoryCountOut,
        PersonKudosOut,
        KudosExportDocument,
        KudosExportRecord
    )),
    tags((name = "recognition", description = "Kudos for contributions, stewardship, and the kudos export"))
)]
pub struct Doc;

/// A kudos to give: exactly one subject (post, artifact, event with key, or
/// mentorship), who to thank, and a message.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KudosIn {
    /// An answer or reply; its author is thanked.
    pub post: Option<i64>,
    /// An artifact; one of its owners or authors is thanked.
    pub artifact: Option<i64>,
    /// An event series; with `key`, one of its sessions, whose facilitator is thanked.
    pub event: Option<i64>,
    /// The session's original local start, e.g. "2026-10-06T18:00".
    pub key: Option<String>,
    /// A mentorship one is part of; the other side is thanked.
    pub mentorship: Option<i64>,
    /// The receiver's handle; may be left out when only one person can be thanked.
    #[serde(default)]
    pub receiver: String,
    /// answering, sharing, facilitating, curating, reviewing, mentoring or
    /// organizing; left out, the subject suggests one (an answer: answering;
    /// an artifact: curating; a session: facilitating; a mentorship: mentoring).
    #[serde(default)]
    pub contribution: String,
    /// A skill of the vocabulary (key, name or synonym), or left out.
    #[serde(default)]
    pub skill: String,
    /// 3 to 500 characters.
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KudosPersonOut {
    pub handle: String,
    pub name: String,
}

/// A kudos.
#[derive(Debug, Serialize, ToSchema)]
pub struct KudosOut {
    pub id: i64,
    pub given_at: String,
    pub giver: KudosPersonOut,
    pub receiver: KudosPersonOut,
    /// The community's slug, or null for a mentorship outside any community.
    pub community: Option<String>,
    pub contribution: String,
    /// The skill's key.
    pub skill: Option<String>,
    pub message: String,
    /// post, artifact, event or mentorship.
    pub subject_type: String,
    /// What it was for, in words.
    pub subject: String,
    /// The subject's page; null when it is hidden.
    pub subject_url: Option<String>,
}

impl From<&KudosView> for KudosOut {
    fn from(k: &KudosView) -> Self {
        Self {
            id: k.id,
            given_at: rfc3339(k.at),
            giver: KudosPersonOut { handle: k.giver.handle.clone(), name: k.giver.name.clone() },
            receiver: KudosPersonOut { handle: k.receiver.handle.clone(), name: k.receiver.name.clone() },
            community: k.community.as_ref().map(|(slug, _)| slug.clone()),
            contribution: k.category.as_str().into(),
            skill: k.skill.as_ref().map(|(key, _)| key.clone()),
            message: k.message.clone(),
            subject_type: k.subject_kind.clone(),
            subject: k.subject_label.clone(),
            subject_url: k.subject_url.clone(),
        }
    }
}

/// One page of a community's kudos, newest first (no counts per person).
#[derive(Debug, Serialize, ToSchema)]
pub struct KudosPageOut {
    pub kudos: Vec<KudosOut>,
    /// The `page` to ask for next, when there is more.
    pub next_page: Option<i64>,
}

/// What a person has looked after, in the communities the reader may see.
#[derive(Debug, Serialize, ToSchema)]
pub struct StewardshipOut {
    pub sessions_facilitated: i64,
    pub artifact_versions_written: i64,
    pub artifacts_owned: i64,
    /// Kudos received for reviewing.
    pub reviews: i64,
    pub mentoring_active: i64,
    pub mentoring_completed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryCountOut {
    pub contribution: String,
    pub count: i64,
}

/// A person's recent kudos received (those the reader may see), their
/// stewardship, and kudos received per category.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonKudosOut {
    pub received: Vec<KudosOut>,
    pub stewardship: StewardshipOut,
    pub by_contribution: Vec<CategoryCountOut>,
}

impl From<&ProfileRecognition> for PersonKudosOut {
    fn from(r: &ProfileRecognition) -> Self {
        let s = &r.stewardship;
        Self {
            received: r.received.iter().map(KudosOut::from).collect(),
            stewardship: StewardshipOut {
                sessions_facilitated: s.sessions_facilitated,
                artifact_versions_written: s.versions_written,
                artifacts_owned: s.artifacts_owned,
                reviews: s.reviews,
                mentoring_active: s.mentoring_active,
                mentoring_completed: s.mentoring_completed,
            },
            by_contribution: r
                .by_category
                .iter()
                .map(|(c, n)| CategoryCountOut { contribution: c.as_str().into(), count: *n })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page of 30.
    page: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// csv (default) or json.
    #[serde(default)]
    format: String,
    /// A handle. Admins may give anyone's, or leave it out for everyone;
    /// for everybody else the export is always their own.
    #[serde(default)]
    person: String,
    /// YYYY-MM-DD, inclusive; left out for no bound.
    #[serde(default)]
    from: String,
    /// YYYY-MM-DD, inclusive; left out for no bound.
    #[serde(default)]
    to: String,
}

/// Thanks someone for a contribution (members; guests are refused).
#[utoipa::path(post, path = "/kudos", tag = "recognition", request_body = KudosIn,
    responses((status = 201, body = KudosOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn give_kudos(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<KudosIn>,
) -> Result<(StatusCode, Json<KudosOut>), ApiError> {
    let subject =
        KudosSubject::from_fields(body.post, body.artifact, body.event, body.key.as_deref(), body.mentorship)?;
    let input = KudosInput {
        receiver: body.receiver,
        contribution: body.contribution,
        skill: body.skill,
        message: body.message,
    };
    let kudos = state.app.give_kudos(&viewer, &subject, &input).await?;
    Ok((StatusCode::CREATED, Json(KudosOut::from(&kudos))))
}

/// A community's kudos, newest first, 30 a page.
#[utoipa::path(get, path = "/communities/{slug}/kudos", tag = "recognition", params(("slug" = String, Path), PageQuery),
    responses((status = 200, body = KudosPageOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn community_kudos(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<KudosPageOut>, ApiError> {
    let page = state.app.community_kudos(&viewer, &slug, query.page.unwrap_or(1)).await?;
    Ok(Json(KudosPageOut {
        kudos: page.kudos.iter().map(KudosOut::from).collect(),
        next_page: page.has_next.then_some(page.page + 1),
    }))
}

/// A person's kudos received and stewardship, as the reader may see them.
#[utoipa::path(get, path = "/people/{handle}/kudos", tag = "recognition", params(("handle" = String, Path)),
    responses((status = 200, body = PersonKudosOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn person_kudos(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(handle): Path<String>,
) -> Result<Json<PersonKudosOut>, ApiError> {
    Ok(Json(PersonKudosOut::from(&state.app.person_recognition(&viewer, &handle).await?)))
}

/// The kudos export, per person and period, as CSV (RFC 4180; text starting
/// with = + - @ is prefixed with ' against formula injection) or JSON, both
/// as an attachment. Columns: id, given_at, giver_handle, giver_name,
/// receiver_handle, receiver_name, receiver_email, community, contribution,
/// subject_type, subject_url, skill, message.
#[utoipa::path(get, path = "/kudos/export", tag = "recognition", params(ExportQuery),
    responses((status = 200, description = "text/csv or application/json attachment", body = KudosExportDocument),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn export_kudos(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = match query.format.trim() {
        "" | "csv" => "csv",
        "json" => "json",
        other => {
            return Err(ApiError(AppError::invalid("format", format!("'{other}' is not csv or json"))));
        }
    };
    let params = ExportParams { person: query.person, from: query.from, to: query.to };
    let export = state.app.export_kudos(&viewer, &params.query()).await?;
    Ok(if format == "csv" {
        download("text/csv; charset=utf-8", &export_filename(&export, "csv"), export_csv_text(&export))
    } else {
        let body = serde_json::to_string(&export_document(&export)).unwrap_or_default();
        download("application/json", &export_filename(&export, "json"), body).into_response()
    })
}
