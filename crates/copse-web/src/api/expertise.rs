//! The `/api/v1` routes for expertise, and their part of the OpenAPI
//! document: the skills vocabulary and its curation (skills, synonyms,
//! unmapped keys), "who knows X?", question-routing settings, the questions
//! routed to the caller, and the caller's "away until".

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use copse_app::{
    EvidenceTarget, ExpertsQuery, RoutedQuestionView, RoutingSettings, RoutingSettingsInput, SkillInput,
    SkillResolution, SkillView, SynonymInput,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiJson;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/skills", get(list_skills).post(create_skill))
        .route("/skills/synonyms", get(list_synonyms).post(create_synonym))
        .route("/skills/synonyms/{synonym}", delete(delete_synonym))
        .route("/skills/unmapped", get(list_unmapped))
        .route("/skills/unmapped/{key}/map", post(map_unmapped))
        .route("/skills/unmapped/{key}/promote", post(promote_unmapped))
        .route("/experts", get(find_experts))
        .route("/routing/settings", get(get_routing_settings).put(put_routing_settings))
        .route("/me/routed-questions", get(my_routed_questions))
        .route("/me/away", put(put_away))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_skills,
        create_skill,
        list_synonyms,
        create_synonym,
        delete_synonym,
        list_unmapped,
        map_unmapped,
        promote_unmapped,
        find_experts,
        get_routing_settings,
        put_routing_settings,
        my_routed_questions,
        put_away
    ),
    components(schemas(
        SkillOut,
        SkillIn,
        SynonymOut,
        SynonymIn,
        UnmappedOut,
        MapIn,
        PromoteIn,
        ExpertsOut,
        ExpertOut,
        ScorePartOut,
        EvidenceOut,
        SkillRefOut,
        RoutingSettingsOut,
        RoutingSettingsIn,
        RoutedQuestionOut,
        AwayIn,
        AwayOut
    )),
    tags((name = "expertise", description = "The skills vocabulary, who knows what, and question routing"))
)]
pub struct Doc;

/// A skill of the vocabulary.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillOut {
    /// The canonical key ("machine-learning"); thread and artifact tags match it.
    pub key: String,
    pub name: String,
    pub description: String,
    pub synonyms: Vec<String>,
}

impl From<&SkillView> for SkillOut {
    fn from(s: &SkillView) -> Self {
        Self {
            key: s.key.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            synonyms: s.synonyms.clone(),
        }
    }
}

/// A new skill; the key is made from the name when absent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillIn {
    pub name: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SynonymOut {
    pub synonym: String,
    /// The skill's key.
    pub skill: String,
}

/// A term that means a skill ("k8s" for "kubernetes").
#[derive(Debug, Deserialize, ToSchema)]
pub struct SynonymIn {
    pub synonym: String,
    /// The skill's key, name or another synonym.
    pub skill: String,
}

/// A declared key in neither skills nor synonyms.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmappedOut {
    pub key: String,
    /// How many people declared it.
    pub people: i64,
    /// One text as typed.
    pub example: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MapIn {
    /// The skill (key, name or synonym) the unmapped key means.
    pub skill: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PromoteIn {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillRefOut {
    pub key: String,
    pub name: String,
}

/// One line of a score's explanation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScorePartOut {
    pub label: String,
    /// In hundredths of a point.
    pub points: i64,
}

/// An accepted answer or artifact behind someone's expertise.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceOut {
    /// accepted-answer or artifact.
    pub kind: String,
    pub title: String,
    /// The thread (accepted answers).
    pub thread_id: Option<i64>,
    /// The post (accepted answers) or artifact.
    pub id: i64,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertOut {
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    /// learning, practitioner or expert, as they declare it.
    pub declared_level: Option<String>,
    /// In hundredths of a point.
    pub score: i64,
    pub explanation: Vec<ScorePartOut>,
    /// The outside-team preference applied to this person.
    pub outside_your_team: bool,
    pub evidence: Vec<EvidenceOut>,
}

/// People who know a skill, best first, 20 a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertsOut {
    /// The skill the term names; absent when unknown.
    pub skill: Option<SkillRefOut>,
    /// The synonym the term was, when it was one.
    pub via_synonym: Option<String>,
    /// Close skills, when the term is unknown.
    pub suggestions: Vec<SkillRefOut>,
    pub experts: Vec<ExpertOut>,
    pub next_page: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExpertsParams {
    /// A skill's key, name or synonym, any case.
    #[serde(default)]
    skill: String,
    /// From 1.
    page: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingSettingsOut {
    pub after_minutes: i64,
    pub per_question: i64,
    pub weekly_cap: i64,
}

impl From<RoutingSettings> for RoutingSettingsOut {
    fn from(s: RoutingSettings) -> Self {
        Self { after_minutes: s.after_minutes, per_question: s.per_question, weekly_cap: s.weekly_cap }
    }
}

/// Whole numbers: after_minutes 5..=10080, per_question 1..=10, weekly_cap 1..=50.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RoutingSettingsIn {
    pub after_minutes: serde_json::Value,
    pub per_question: serde_json::Value,
    pub weekly_cap: serde_json::Value,
}

fn number_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoutedQuestionOut {
    pub thread_id: i64,
    pub title: String,
    /// The community's slug.
    pub community: String,
    /// The skill it was routed for.
    pub skill: Option<String>,
    pub routed_at: String,
    /// offered, answered or declined.
    pub outcome: String,
    pub replies: i64,
    pub solved: bool,
}

impl From<&RoutedQuestionView> for RoutedQuestionOut {
    fn from(r: &RoutedQuestionView) -> Self {
        Self {
            thread_id: r.thread,
            title: r.title.clone(),
            community: r.community_slug.clone(),
            skill: r.skill.clone(),
            routed_at: rfc3339(r.routed_at),
            outcome: r.outcome.clone(),
            replies: r.replies,
            solved: r.solved,
        }
    }
}

/// "2026-09-30" (the last day away, in your time zone); null, empty or a
/// past date clears it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AwayIn {
    pub until: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwayOut {
    /// When routing considers you again; null when you are not away.
    pub away_until: Option<String>,
}

/// Every skill with its synonyms (members and admins).
#[utoipa::path(get, path = "/skills", tag = "expertise",
    responses((status = 200, body = Vec<SkillOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_skills(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<SkillOut>>, ApiError> {
    let skills = state.app.list_skills(&viewer).await?;
    Ok(Json(skills.iter().map(SkillOut::from).collect()))
}

/// Adds a skill (admins and facilitators).
#[utoipa::path(post, path = "/skills", tag = "expertise", request_body = SkillIn,
    responses((status = 201, body = SkillOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_skill(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<SkillIn>,
) -> Result<(StatusCode, Json<SkillOut>), ApiError> {
    let skill = state
        .app
        .add_skill(&viewer, &SkillInput { key: body.key, name: body.name, description: body.description })
        .await?;
    Ok((StatusCode::CREATED, Json(SkillOut::from(&skill))))
}

/// Every synonym with its skill.
#[utoipa::path(get, path = "/skills/synonyms", tag = "expertise",
    responses((status = 200, body = Vec<SynonymOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_synonyms(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<SynonymOut>>, ApiError> {
    let skills = state.app.list_skills(&viewer).await?;
    let mut out: Vec<SynonymOut> = skills
        .iter()
        .flat_map(|s| s.synonyms.iter().map(|y| SynonymOut { synonym: y.clone(), skill: s.key.clone() }))
        .collect();
    out.sort_by(|a, b| a.synonym.cmp(&b.synonym));
    Ok(Json(out))
}

/// Makes a term a synonym of a skill (admins and facilitators).
#[utoipa::path(post, path = "/skills/synonyms", tag = "expertise", request_body = SynonymIn,
    responses((status = 201, body = SkillOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_synonym(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<SynonymIn>,
) -> Result<(StatusCode, Json<SkillOut>), ApiError> {
    let skill = state.app.add_synonym(&viewer, &SynonymInput { synonym: body.synonym, skill: body.skill }).await?;
    Ok((StatusCode::CREATED, Json(SkillOut::from(&skill))))
}

/// Removes a synonym (admins and facilitators); people keep what they typed.
#[utoipa::path(delete, path = "/skills/synonyms/{synonym}", tag = "expertise", params(("synonym" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_synonym(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(synonym): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.app.remove_synonym(&viewer, &synonym).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declared skills in neither skills nor synonyms, most declared first
/// (admins and facilitators).
#[utoipa::path(get, path = "/skills/unmapped", tag = "expertise",
    responses((status = 200, body = Vec<UnmappedOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_unmapped(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<UnmappedOut>>, ApiError> {
    let unmapped = state.app.unmapped_skills(&viewer).await?;
    Ok(Json(unmapped.into_iter().map(|u| UnmappedOut { key: u.key, people: u.people, example: u.example }).collect()))
}

/// Maps an unmapped key as a synonym of a skill.
#[utoipa::path(post, path = "/skills/unmapped/{key}/map", tag = "expertise", params(("key" = String, Path)), request_body = MapIn,
    responses((status = 200, body = SkillOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn map_unmapped(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<MapIn>,
) -> Result<Json<SkillOut>, ApiError> {
    let skill = state.app.map_unmapped_skill(&viewer, &key, &body.skill).await?;
    Ok(Json(SkillOut::from(&skill)))
}

/// Makes an unmapped key a skill of its own.
#[utoipa::path(post, path = "/skills/unmapped/{key}/promote", tag = "expertise", params(("key" = String, Path)), request_body = PromoteIn,
    responses((status = 201, body = SkillOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn promote_unmapped(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<PromoteIn>,
) -> Result<(StatusCode, Json<SkillOut>), ApiError> {
    let skill = state.app.promote_unmapped_skill(&viewer, &key, &body.name, &body.description).await?;
    Ok((StatusCode::CREATED, Json(SkillOut::from(&skill))))
}

/// Who knows a skill: people ranked by evidence, preferring people outside
/// your team when scores are close (members and admins; guests are refused).
#[utoipa::path(get, path = "/experts", tag = "expertise", params(ExpertsParams),
    responses((status = 200, body = ExpertsOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn find_experts(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(params): Query<ExpertsParams>,
) -> Result<Json<ExpertsOut>, ApiError> {
    let page = state
        .app
        .who_knows(&viewer, &ExpertsQuery { skill: params.skill, page: params.page.unwrap_or(1).clamp(1, 1_000) })
        .await?;
    let (skill, via_synonym, suggestions) = match &page.resolution {
        SkillResolution::Empty => (None, None, Vec::new()),
        SkillResolution::Skill { skill, via_synonym } => {
            (Some(SkillRefOut { key: skill.key.clone(), name: skill.name.clone() }), via_synonym.clone(), Vec::new())
        }
        SkillResolution::Unknown { suggestions } => {
            (None, None, suggestions.iter().map(|s| SkillRefOut { key: s.key.clone(), name: s.name.clone() }).collect())
        }
    };
    Ok(Json(ExpertsOut {
        skill,
        via_synonym,
        suggestions,
        experts: page
            .experts
            .iter()
            .map(|e| ExpertOut {
                handle: e.handle.clone(),
                name: e.name.clone(),
                team: e.team.clone(),
                location: e.location.clone(),
                declared_level: e.declared.map(|l| l.as_str().to_string()),
                score: e.score,
                explanation: e
                    .parts
                    .iter()
                    .map(|p| ScorePartOut { label: p.label.clone(), points: p.points })
                    .collect(),
                outside_your_team: e.outside_team,
                evidence: e
                    .evidence
                    .iter()
                    .map(|ev| match ev.target {
                        EvidenceTarget::Answer { thread, post } => EvidenceOut {
                            kind: "accepted-answer".into(),
                            title: ev.title.clone(),
                            thread_id: Some(thread),
                            id: post,
                            at: rfc3339(ev.at),
                        },
                        EvidenceTarget::Artifact { id } => EvidenceOut {
                            kind: "artifact".into(),
                            title: ev.title.clone(),
                            thread_id: None,
                            id,
                            at: rfc3339(ev.at),
                        },
                    })
                    .collect(),
            })
            .collect(),
        next_page: page.has_next.then_some(page.page + 1),
    }))
}

/// The question-routing settings (admins).
#[utoipa::path(get, path = "/routing/settings", tag = "expertise",
    responses((status = 200, body = RoutingSettingsOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get_routing_settings(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<RoutingSettingsOut>, ApiError> {
    Ok(Json(state.app.routing_settings(&viewer).await?.into()))
}

/// Changes the question-routing settings (admins).
#[utoipa::path(put, path = "/routing/settings", tag = "expertise", request_body = RoutingSettingsIn,
    responses((status = 200, body = RoutingSettingsOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_routing_settings(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<RoutingSettingsIn>,
) -> Result<Json<RoutingSettingsOut>, ApiError> {
    let input = RoutingSettingsInput {
        after_minutes: number_text(&body.after_minutes),
        per_question: number_text(&body.per_question),
        weekly_cap: number_text(&body.weekly_cap),
    };
    Ok(Json(state.app.update_routing_settings(&viewer, &input).await?.into()))
}

/// Questions routed to you, newest first.
#[utoipa::path(get, path = "/me/routed-questions", tag = "expertise",
    responses((status = 200, body = Vec<RoutedQuestionOut>), (status = 401, body = Problem)))]
pub async fn my_routed_questions(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<RoutedQuestionOut>>, ApiError> {
    let routed = state.app.routed_to_me(&viewer).await?;
    Ok(Json(routed.iter().map(RoutedQuestionOut::from).collect()))
}

/// Sets or clears until when you are away (routing skips you meanwhile).
#[utoipa::path(put, path = "/me/away", tag = "expertise", request_body = AwayIn,
    responses((status = 200, body = AwayOut), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn put_away(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<AwayIn>,
) -> Result<Json<AwayOut>, ApiError> {
    let until = state.app.set_away_until(&viewer, body.until.as_deref().unwrap_or("")).await?;
    Ok(Json(AwayOut { away_until: until.map(rfc3339) }))
}
