//! The `/api/v1` routes for pulse surveys and self-assessments, and their
//! part of the OpenAPI document. The same rules as the pages: facilitators
//! open and close surveys, active members answer once (409 the second time),
//! and results are aggregates only: the response count and rate always, the
//! counts per value, means and comments only from five responses on. No
//! route returns a single response, to anyone.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use copse_app::{
    AssessmentInput, QuestionView, RESULTS_THRESHOLD, SurveyInput, SurveyResults, SurveySummary, SurveysPage,
};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/surveys", get(list_surveys).post(open_survey))
        .route("/surveys/{id}", get(get_results))
        .route("/surveys/{id}/responses", post(answer_survey))
        .route("/surveys/{id}/close", post(close_survey))
        .route("/me/assessments", get(my_assessments).post(record_assessment))
}

#[derive(OpenApi)]
#[openapi(
    paths(list_surveys, open_survey, get_results, answer_survey, close_survey, my_assessments, record_assessment),
    components(schemas(
        SurveyOut,
        QuestionOut,
        SurveysOut,
        SkillsDevelopedOut,
        SurveyCreate,
        QuestionIn,
        AnswerValue,
        ResponseIn,
        ReceiptOut,
        ResultsOut,
        ResultsDetailOut,
        ScaleResultOut,
        TextResultOut,
        AssessmentIn,
        AssessmentOut,
        SkillProgressOut
    )),
    tags((name = "surveys", description = "Anonymous pulse surveys and skill self-assessments"))
)]
pub struct Doc;

/// A survey with its response rate.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyOut {
    pub id: i64,
    pub title: String,
    /// open or closed.
    pub status: String,
    /// Active members when it opened.
    pub audience: i64,
    pub responses: i64,
    /// Responses per audience, in whole percent.
    pub response_rate_percent: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
}

impl From<&SurveySummary> for SurveyOut {
    fn from(s: &SurveySummary) -> Self {
        Self {
            id: s.id,
            title: s.title.clone(),
            status: if s.open { "open" } else { "closed" }.into(),
            audience: s.audience,
            responses: s.responses,
            response_rate_percent: s.rate_percent(),
            opened_at: rfc3339(s.opened_at),
            closed_at: s.closed_at.map(rfc3339),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionOut {
    pub id: i64,
    /// The key to answer it under: q1, q2, ...
    pub field: String,
    /// scale (1 to 5) or text.
    pub kind: String,
    /// satisfaction, usefulness or comment for the built-in three.
    pub builtin: Option<String>,
    pub prompt: String,
}

impl From<&QuestionView> for QuestionOut {
    fn from(q: &QuestionView) -> Self {
        Self {
            id: q.id,
            field: q.field.into(),
            kind: q.kind.as_str().into(),
            builtin: q.builtin.clone(),
            prompt: q.prompt.clone(),
        }
    }
}

/// People who assessed a skill with the community, and (from five on) how
/// many of them developed one.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillsDevelopedOut {
    pub assessed: i64,
    /// Null below the threshold.
    pub developed: Option<i64>,
}

/// A community's surveys: the open one with its questions, the past ones.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveysOut {
    pub open: Option<SurveyOut>,
    pub questions: Vec<QuestionOut>,
    /// The reader answered the open survey.
    pub answered: bool,
    pub can_answer: bool,
    pub can_run: bool,
    pub past: Vec<SurveyOut>,
    pub skills_developed: SkillsDevelopedOut,
}

impl From<&SurveysPage> for SurveysOut {
    fn from(p: &SurveysPage) -> Self {
        Self {
            open: p.open.as_ref().map(SurveyOut::from),
            questions: p.questions.iter().map(QuestionOut::from).collect(),
            answered: p.answered,
            can_answer: p.can_answer,
            can_run: p.can_run,
            past: p.past.iter().map(SurveyOut::from).collect(),
            skills_developed: SkillsDevelopedOut { assessed: p.assessed, developed: p.developed },
        }
    }
}

/// One question of one's own.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QuestionIn {
    /// scale (default) or text.
    #[serde(default)]
    pub kind: String,
    /// 3 to 200 characters.
    pub prompt: String,
}

/// A survey to open. The three built-in questions are always asked.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SurveyCreate {
    /// 3 to 120 characters.
    pub title: String,
    /// Up to five.
    #[serde(default)]
    pub questions: Vec<QuestionIn>,
}

/// An answer: a number 1 to 5 for a scale question, text for a text one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    Number(i64),
    Text(String),
}

/// A response: answers keyed by question field (q1, q2, ...). Questions
/// left out are skipped; at least one must be answered.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResponseIn {
    pub answers: BTreeMap<String, AnswerValue>,
}

/// After answering: how many have answered, out of how many.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptOut {
    pub responses: i64,
    pub audience: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleResultOut {
    pub question: QuestionOut,
    /// How many answered 1, 2, 3, 4 and 5.
    pub counts: Vec<i64>,
    pub answered: i64,
    /// One decimal.
    pub mean: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TextResultOut {
    pub question: QuestionOut,
    /// Sorted by their text, never by time.
    pub answers: Vec<String>,
}

/// The aggregates, present only from the threshold on.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsDetailOut {
    pub scales: Vec<ScaleResultOut>,
    pub comments: Vec<TextResultOut>,
}

/// A survey's results: always the count and the rate; `results` only when
/// at least `threshold` people have answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsOut {
    pub survey: SurveyOut,
    pub threshold: i64,
    pub results_shown: bool,
    /// Why there are no results yet, below the threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<ResultsDetailOut>,
}

impl From<&SurveyResults> for ResultsOut {
    fn from(r: &SurveyResults) -> Self {
        Self {
            survey: SurveyOut::from(&r.survey),
            threshold: RESULTS_THRESHOLD,
            results_shown: r.threshold_met,
            message: r.survey.results_notice(),
            results: r.threshold_met.then(|| ResultsDetailOut {
                scales: r
                    .scales
                    .iter()
                    .map(|s| ScaleResultOut {
                        question: QuestionOut::from(&s.question),
                        counts: s.counts.to_vec(),
                        answered: s.answered,
                        mean: s.mean,
                    })
                    .collect(),
                comments: r
                    .texts
                    .iter()
                    .map(|t| TextResultOut { question: QuestionOut::from(&t.question), answers: t.answers.clone() })
                    .collect(),
            }),
        }
    }
}

/// A self-assessment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssessmentIn {
    /// A skill (mapped onto the vocabulary when it names one or a synonym).
    pub skill: String,
    /// before or after.
    pub phase: String,
    /// 1 to 5.
    pub level: i64,
    /// A community slug of one's own, or left out.
    #[serde(default)]
    pub community: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentOut {
    pub phase: String,
    pub level: i64,
    pub at: String,
    /// The community's slug.
    pub community: Option<String>,
}

/// One's assessments of one skill, oldest first, and the change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillProgressOut {
    pub skill: String,
    pub name: String,
    pub first_before: Option<i64>,
    pub latest_after: Option<i64>,
    pub assessments: Vec<AssessmentOut>,
}

/// A community's surveys.
#[utoipa::path(get, path = "/communities/{slug}/surveys", tag = "surveys", params(("slug" = String, Path)),
    responses((status = 200, body = SurveysOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_surveys(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<SurveysOut>, ApiError> {
    Ok(Json(SurveysOut::from(&state.app.surveys_page(&viewer, &slug).await?)))
}

/// Opens a survey (facilitators); 409 when one is already open.
#[utoipa::path(post, path = "/communities/{slug}/surveys", tag = "surveys", params(("slug" = String, Path)), request_body = SurveyCreate,
    responses((status = 201, body = SurveyOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn open_survey(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<SurveyCreate>,
) -> Result<(StatusCode, Json<SurveyOut>), ApiError> {
    let input =
        SurveyInput { title: body.title, questions: body.questions.into_iter().map(|q| (q.kind, q.prompt)).collect() };
    let id = state.app.open_survey(&viewer, &slug, &input).await?;
    let page = state.app.surveys_page(&viewer, &slug).await?;
    let open = page.open.iter().chain(page.past.iter()).find(|s| s.id == id).map(SurveyOut::from);
    let open = open.ok_or(ApiError(copse_app::AppError::NotFound("survey")))?;
    Ok((StatusCode::CREATED, Json(open)))
}

/// A survey's results (members, facilitators, admins): aggregates only.
#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 200, body = ResultsOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_results(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<ResultsOut>, ApiError> {
    let slug = state.app.survey_slug(&viewer, id).await?;
    Ok(Json(ResultsOut::from(&state.app.survey_results(&viewer, &slug, id).await?)))
}

/// Answers the open survey once (active members); 409 the second time.
#[utoipa::path(post, path = "/surveys/{id}/responses", tag = "surveys", params(("id" = i64, Path)), request_body = ResponseIn,
    responses((status = 201, body = ReceiptOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn answer_survey(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ResponseIn>,
) -> Result<(StatusCode, Json<ReceiptOut>), ApiError> {
    let slug = state.app.survey_slug(&viewer, id).await?;
    let answers: Vec<(String, String)> = body
        .answers
        .into_iter()
        .map(|(field, value)| {
            let value = match value {
                AnswerValue::Number(n) => n.to_string(),
                AnswerValue::Text(text) => text,
            };
            (field, value)
        })
        .collect();
    let receipt = state.app.answer_survey(&viewer, &slug, id, &answers).await?;
    Ok((StatusCode::CREATED, Json(ReceiptOut { responses: receipt.responses, audience: receipt.audience })))
}

/// Closes the survey (facilitators).
#[utoipa::path(post, path = "/surveys/{id}/close", tag = "surveys", params(("id" = i64, Path)),
    responses((status = 204, description = "Closed"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn close_survey(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let slug = state.app.survey_slug(&viewer, id).await?;
    state.app.close_survey(&viewer, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One's own self-assessments by skill.
#[utoipa::path(get, path = "/me/assessments", tag = "surveys",
    responses((status = 200, body = Vec<SkillProgressOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn my_assessments(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<SkillProgressOut>>, ApiError> {
    let page = state.app.assessments_page(&viewer).await?;
    Ok(Json(
        page.skills
            .iter()
            .map(|s| SkillProgressOut {
                skill: s.skill_key.clone(),
                name: s.skill_name.clone(),
                first_before: s.first_before,
                latest_after: s.latest_after,
                assessments: s
                    .entries
                    .iter()
                    .map(|e| AssessmentOut {
                        phase: e.phase.as_str().into(),
                        level: e.level,
                        at: rfc3339(e.at),
                        community: e.community.as_ref().map(|c| c.0.clone()),
                    })
                    .collect(),
            })
            .collect(),
    ))
}

/// Records a self-assessment (members).
#[utoipa::path(post, path = "/me/assessments", tag = "surveys", request_body = AssessmentIn,
    responses((status = 201, description = "Recorded"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn record_assessment(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<AssessmentIn>,
) -> Result<StatusCode, ApiError> {
    let input = AssessmentInput {
        skill: body.skill,
        phase: body.phase,
        level: body.level.to_string(),
        community: body.community,
    };
    state.app.record_assessment(&viewer, &input).await?;
    Ok(StatusCode::CREATED)
}
