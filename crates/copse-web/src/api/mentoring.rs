//! The `/api/v1` routes for mentoring, and their part of the OpenAPI
//! document: the caller's overview, their offer (GET/PUT) and the list of
//! mentors offering, their request (POST runs matching at once; DELETE
//! withdraws), proposals waiting for them, pairings (accept, decline,
//! check-ins, complete, end), and the coordinators' matching preview and
//! run.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use copse_app::{
    MatchPreview, MatchRun, MenteeRequestView, MentorOfferInput, MentorOfferSummary, MentorOfferView,
    MentorRequestInput, MentoringPerson, MentoringRole, MentoringSkill, MentorshipCheckinView, MentorshipPage,
    MentorshipView,
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
        .route("/mentoring", get(get_overview))
        .route("/mentoring/offer", get(get_offer).put(put_offer))
        .route("/mentoring/offers", get(list_offers))
        .route("/mentoring/request", get(get_request).post(post_request).delete(delete_request))
        .route("/mentoring/proposals", get(list_proposals))
        .route("/mentoring/pairings", get(list_pairings))
        .route("/mentoring/pairings/{id}", get(get_pairing))
        .route("/mentoring/pairings/{id}/accept", post(accept))
        .route("/mentoring/pairings/{id}/decline", post(decline))
        .route("/mentoring/pairings/{id}/checkins", post(add_checkin))
        .route("/mentoring/pairings/{id}/complete", post(complete))
        .route("/mentoring/pairings/{id}/end", post(end))
        .route("/mentoring/match", get(get_match).post(post_match))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        get_overview,
        get_offer,
        put_offer,
        list_offers,
        get_request,
        post_request,
        delete_request,
        list_proposals,
        list_pairings,
        get_pairing,
        accept,
        decline,
        add_checkin,
        complete,
        end,
        get_match,
        post_match
    ),
    components(schemas(
        MentoringPersonOut,
        MentoringSkillOut,
        OfferOut,
        OfferIn,
        OfferSummaryOut,
        RequestOut,
        RequestIn,
        RequestResultOut,
        PairingOut,
        PairingDetailOut,
        CheckinOut,
        NoteIn,
        OutcomeIn,
        ReasonIn,
        OverviewOut,
        MatchPairOut,
        MatchUnmatchedOut,
        MatchPreviewOut,
        MatchRunOut
    )),
    tags((name = "mentoring", description = "Mentor offers and requests, matching, and pairings with their check-ins"))
)]
pub struct Doc;

#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringPersonOut {
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
}

impl From<&MentoringPerson> for MentoringPersonOut {
    fn from(p: &MentoringPerson) -> Self {
        Self { handle: p.handle.clone(), name: p.name.clone(), team: p.team.clone(), location: p.location.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MentoringSkillOut {
    /// The canonical key ("machine-learning").
    pub key: String,
    pub name: String,
    /// For offers: the mentor's declared level (learning, practitioner,
    /// expert); absent when undeclared (matching counts it as practitioner).
    pub level: Option<String>,
}

impl From<&MentoringSkill> for MentoringSkillOut {
    fn from(s: &MentoringSkill) -> Self {
        Self { key: s.key.clone(), name: s.name.clone(), level: s.level.map(|l| l.as_str().to_string()) }
    }
}

fn skills(list: &[MentoringSkill]) -> Vec<MentoringSkillOut> {
    list.iter().map(MentoringSkillOut::from).collect()
}

/// The caller's offer to mentor. Time zone and working hours come from the
/// profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferOut {
    pub skills: Vec<MentoringSkillOut>,
    /// People at once, 1 to 5.
    pub capacity: i64,
    /// Proposed and active pairings as mentor.
    pub taken: i64,
    pub free: i64,
    pub note: String,
    /// False while paused.
    pub active: bool,
    pub updated_at: String,
    /// Proposals matching made when this offer was saved (PUT only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposals_made: Option<usize>,
}

impl From<&MentorOfferView> for OfferOut {
    fn from(o: &MentorOfferView) -> Self {
        Self {
            skills: skills(&o.skills),
            capacity: o.capacity,
            taken: o.taken,
            free: o.free(),
            note: o.note.clone(),
            active: o.active,
            updated_at: rfc3339(o.updated_at),
            proposals_made: None,
        }
    }
}

/// An offer to save. `capacity` is a whole number from 1 to 5 (anything
/// else is answered 422 with a field error). `active: false` saves it paused,
/// `true` active; absent keeps it as it is (a new offer is active).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OfferIn {
    /// Skill names, e.g. ["Rust", "Kubernetes"] (1 to 10).
    pub skills: Vec<String>,
    #[schema(value_type = i64)]
    pub capacity: serde_json::Value,
    #[serde(default)]
    pub note: String,
    pub active: Option<bool>,
}

/// Someone's active offer as members see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferSummaryOut {
    pub mentor: MentoringPersonOut,
    pub time_zone: String,
    pub skills: Vec<MentoringSkillOut>,
    pub capacity: i64,
    pub free: i64,
    pub note: String,
}

impl From<&MentorOfferSummary> for OfferSummaryOut {
    fn from(o: &MentorOfferSummary) -> Self {
        Self {
            mentor: MentoringPersonOut::from(&o.mentor),
            time_zone: o.time_zone.clone(),
            skills: skills(&o.skills),
            capacity: o.capacity,
            free: o.free,
            note: o.note.clone(),
        }
    }
}

/// The caller's open request.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestOut {
    pub id: i64,
    pub goals: String,
    pub skills: Vec<MentoringSkillOut>,
    /// The community's slug, when the mentorship is to belong to one.
    pub community: Option<String>,
    pub created_at: String,
    /// The pairing proposed for it and not yet answered.
    pub proposal: Option<i64>,
}

impl From<&MenteeRequestView> for RequestOut {
    fn from(r: &MenteeRequestView) -> Self {
        Self {
            id: r.id,
            goals: r.goals.clone(),
            skills: skills(&r.skills),
            community: r.community.as_ref().map(|c| c.slug.clone()),
            created_at: rfc3339(r.created_at),
            proposal: r.proposal,
        }
    }
}

/// A request for a mentor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestIn {
    /// Required, up to 1,000 characters.
    pub goals: String,
    /// 1 to 5 skill names.
    pub skills: Vec<String>,
    /// One of the caller's communities (slug); the pairing then belongs to it.
    pub community: Option<String>,
}

/// The request, and the proposal matching made at once (or why none).
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestResultOut {
    pub request: RequestOut,
    pub proposal: Option<PairingOut>,
    /// In words: who is proposed, or that nobody fits yet and the request
    /// stays open.
    pub message: String,
}

/// A pairing. `goals` only for the mentee, the mentor and coordinators.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairingOut {
    pub id: i64,
    pub mentor: MentoringPersonOut,
    pub mentee: MentoringPersonOut,
    /// proposed, active, completed, ended or declined.
    pub status: String,
    /// The matcher's score in hundredths.
    pub score: i64,
    /// Why this match, in words.
    pub reasons: Vec<String>,
    /// The community's slug, if it belongs to one.
    pub community: Option<String>,
    pub goals: Option<String>,
    pub mentor_accepted: bool,
    pub mentee_accepted: bool,
    /// mentor or mentee, when the caller is one of the two.
    pub your_role: Option<String>,
    pub proposed_at: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// The outcome note (completed) or the reason (ended).
    pub outcome: String,
}

impl From<&MentorshipView> for PairingOut {
    fn from(v: &MentorshipView) -> Self {
        Self {
            id: v.id,
            mentor: MentoringPersonOut::from(&v.mentor),
            mentee: MentoringPersonOut::from(&v.mentee),
            status: v.status.as_str().into(),
            score: v.score,
            reasons: v.reasons.clone(),
            community: v.community.as_ref().map(|c| c.slug.clone()),
            goals: v.goals.clone(),
            mentor_accepted: v.mentor_accepted,
            mentee_accepted: v.mentee_accepted,
            your_role: v.viewer_role.map(|r| {
                match r {
                    MentoringRole::Mentor => "mentor",
                    MentoringRole::Mentee => "mentee",
                }
                .into()
            }),
            proposed_at: rfc3339(v.proposed_at),
            started_at: v.started_at.map(rfc3339),
            ended_at: v.ended_at.map(rfc3339),
            outcome: v.outcome.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckinOut {
    pub id: i64,
    /// The author's handle.
    pub author: Option<String>,
    pub note: String,
    pub at: String,
}

impl From<&MentorshipCheckinView> for CheckinOut {
    fn from(c: &MentorshipCheckinView) -> Self {
        Self { id: c.id, author: c.author.as_ref().map(|a| a.0.clone()), note: c.note.clone(), at: rfc3339(c.at) }
    }
}

/// A pairing with its check-ins, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairingDetailOut {
    pub pairing: PairingOut,
    /// Skill names the request asked for (when the goals are visible).
    pub wanted_skills: Vec<MentoringSkillOut>,
    pub checkins: Vec<CheckinOut>,
}

impl From<&MentorshipPage> for PairingDetailOut {
    fn from(p: &MentorshipPage) -> Self {
        Self {
            pairing: PairingOut::from(&p.pairing),
            wanted_skills: skills(&p.wanted_skills),
            checkins: p.checkins.iter().map(CheckinOut::from).collect(),
        }
    }
}

/// A check-in note (required, up to 2,000 characters).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteIn {
    #[serde(default)]
    pub note: String,
}

/// What came of a mentorship (required, up to 2,000 characters).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeIn {
    #[serde(default)]
    pub outcome: String,
}

/// Why a mentorship ends early (required, up to 2,000 characters).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonIn {
    #[serde(default)]
    pub reason: String,
}

/// The caller's mentoring.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverviewOut {
    pub offer: Option<OfferOut>,
    pub request: Option<RequestOut>,
    /// Proposals the caller has still to answer.
    pub proposals: Vec<PairingOut>,
    /// Everything else but declined proposals: waiting, active and past.
    pub pairings: Vec<PairingOut>,
    /// The caller may preview and run matching (admins and facilitators).
    pub coordinator: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchPairOut {
    pub request: i64,
    pub mentor: MentoringPersonOut,
    pub mentee: MentoringPersonOut,
    pub skills: Vec<MentoringSkillOut>,
    pub goals: String,
    pub score: i64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchUnmatchedOut {
    pub request: i64,
    pub mentee: MentoringPersonOut,
    pub skills: Vec<MentoringSkillOut>,
    pub goals: String,
    /// Why nobody was found, in words.
    pub reason: String,
}

/// What matching would propose now for open requests without a proposal.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchPreviewOut {
    pub pairs: Vec<MatchPairOut>,
    pub unmatched: Vec<MatchUnmatchedOut>,
    pub open_requests: usize,
    pub mentors_with_capacity: usize,
    pub free_places: u64,
    /// Pairings across the organization by status.
    pub pairings_by_status: std::collections::BTreeMap<String, i64>,
}

impl From<&MatchPreview> for MatchPreviewOut {
    fn from(p: &MatchPreview) -> Self {
        Self {
            pairs: p
                .pairs
                .iter()
                .map(|x| MatchPairOut {
                    request: x.request_id,
                    mentor: MentoringPersonOut::from(&x.mentor),
                    mentee: MentoringPersonOut::from(&x.mentee),
                    skills: skills(&x.wanted),
                    goals: x.goals.clone(),
                    score: x.score,
                    reasons: x.reasons.clone(),
                })
                .collect(),
            unmatched: p
                .unmatched
                .iter()
                .map(|u| MatchUnmatchedOut {
                    request: u.request_id,
                    mentee: MentoringPersonOut::from(&u.mentee),
                    skills: skills(&u.wanted),
                    goals: u.goals.clone(),
                    reason: u.reason.clone(),
                })
                .collect(),
            open_requests: p.open_requests,
            mentors_with_capacity: p.mentors_with_capacity,
            free_places: p.free_places,
            pairings_by_status: p.pairings_by_status.iter().map(|(s, n)| (s.as_str().to_string(), *n)).collect(),
        }
    }
}

/// What a matching run proposed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchRunOut {
    pub proposed: usize,
    /// Pairs left out because a mentor's places or the request changed meanwhile.
    pub skipped: usize,
    pub unmatched: usize,
}

impl From<MatchRun> for MatchRunOut {
    fn from(r: MatchRun) -> Self {
        Self { proposed: r.proposed, skipped: r.skipped, unmatched: r.unmatched }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OffersQuery {
    /// Only mentors offering this skill.
    #[serde(default)]
    skill: String,
    /// 0-based page of 12.
    #[serde(default)]
    page: u32,
}

fn not_found(what: &'static str) -> ApiError {
    ApiError(copse_app::AppError::NotFound(what))
}

/// The caller's mentoring: offer, open request, proposals and pairings.
#[utoipa::path(get, path = "/mentoring", tag = "mentoring",
    responses((status = 200, body = OverviewOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get_overview(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<OverviewOut>, ApiError> {
    let page = state.app.mentoring_page(&viewer).await?;
    let pairings = page.waiting_for_other.iter().chain(&page.active).chain(&page.past).map(PairingOut::from).collect();
    Ok(Json(OverviewOut {
        offer: page.offer.as_ref().map(OfferOut::from),
        request: page.request.as_ref().map(RequestOut::from),
        proposals: page.waiting_for_you.iter().map(PairingOut::from).collect(),
        pairings,
        coordinator: page.is_coordinator,
    }))
}

/// The caller's offer to mentor (404 when they have made none).
#[utoipa::path(get, path = "/mentoring/offer", tag = "mentoring",
    responses((status = 200, body = OfferOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_offer(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<OfferOut>, ApiError> {
    let offer = state.app.my_mentor_offer(&viewer).await?.ok_or_else(|| not_found("offer"))?;
    Ok(Json(OfferOut::from(&offer)))
}

/// Creates or replaces the caller's offer (members); matching then runs for
/// open requests that want one of its skills.
#[utoipa::path(put, path = "/mentoring/offer", tag = "mentoring", request_body = OfferIn,
    responses((status = 200, body = OfferOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn put_offer(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<OfferIn>,
) -> Result<Json<OfferOut>, ApiError> {
    // The capacity is checked by the use case so that "abc" or 2.5 is a
    // field error like 0 or 6, not a malformed body.
    let capacity = match &body.capacity {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let input = MentorOfferInput { skills: body.skills.join(","), capacity, note: body.note, active: body.active };
    let (offer, proposed) = state.app.save_mentor_offer(&viewer, &input).await?;
    let mut out = OfferOut::from(&offer);
    out.proposals_made = Some(proposed);
    Ok(Json(out))
}

/// Active offers by mentor name, optionally only those offering a skill
/// (members who may browse people).
#[utoipa::path(get, path = "/mentoring/offers", tag = "mentoring", params(OffersQuery),
    responses((status = 200, body = Vec<OfferSummaryOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_offers(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<OffersQuery>,
) -> Result<Json<Vec<OfferSummaryOut>>, ApiError> {
    let (offers, _) = state.app.mentor_offers(&viewer, &query.skill, query.page).await?;
    Ok(Json(offers.iter().map(OfferSummaryOut::from).collect()))
}

/// The caller's open request (404 when none is open).
#[utoipa::path(get, path = "/mentoring/request", tag = "mentoring",
    responses((status = 200, body = RequestOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_request(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<RequestOut>, ApiError> {
    let request = state.app.my_mentor_request(&viewer).await?.ok_or_else(|| not_found("open request"))?;
    Ok(Json(RequestOut::from(&request)))
}

/// Asks for a mentor (members). Matching runs at once: the best mentor with
/// a free place is proposed, or `proposal` is null and `message` says that
/// nobody fits yet. 409 when the caller already has an open request.
#[utoipa::path(post, path = "/mentoring/request", tag = "mentoring", request_body = RequestIn,
    responses((status = 201, body = RequestResultOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post_request(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<RequestIn>,
) -> Result<(StatusCode, Json<RequestResultOut>), ApiError> {
    let input = MentorRequestInput {
        goals: body.goals,
        skills: body.skills.join(","),
        community: body.community.unwrap_or_default(),
    };
    let outcome = state.app.request_mentor(&viewer, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(RequestResultOut {
            request: RequestOut::from(&outcome.request),
            proposal: outcome.proposal.as_ref().map(PairingOut::from),
            message: outcome.message,
        }),
    ))
}

/// Withdraws the caller's open request and its unanswered proposal.
#[utoipa::path(delete, path = "/mentoring/request", tag = "mentoring",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_request(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<StatusCode, ApiError> {
    state.app.withdraw_mentor_request(&viewer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Proposals the caller has still to answer, with the reasons for each match.
#[utoipa::path(get, path = "/mentoring/proposals", tag = "mentoring",
    responses((status = 200, body = Vec<PairingOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_proposals(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<PairingOut>>, ApiError> {
    let pairings = state.app.my_mentorships(&viewer).await?;
    Ok(Json(pairings.iter().filter(|p| p.awaits_viewer()).map(PairingOut::from).collect()))
}

/// The caller's pairings (all but declined proposals), newest first.
#[utoipa::path(get, path = "/mentoring/pairings", tag = "mentoring",
    responses((status = 200, body = Vec<PairingOut>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list_pairings(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<Vec<PairingOut>>, ApiError> {
    Ok(Json(state.app.my_mentorships(&viewer).await?.iter().map(PairingOut::from).collect()))
}

/// One pairing with its check-ins (its two people, admins, and once started
/// those who may see its community; 404 for everyone else).
#[utoipa::path(get, path = "/mentoring/pairings/{id}", tag = "mentoring", params(("id" = i64, Path)),
    responses((status = 200, body = PairingDetailOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_pairing(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<PairingDetailOut>, ApiError> {
    Ok(Json(PairingDetailOut::from(&state.app.mentorship_page(&viewer, id).await?)))
}

/// Accepts a proposal as its mentor or mentee; the second acceptance starts
/// the mentorship (status active). 409 when it is no longer a proposal.
#[utoipa::path(post, path = "/mentoring/pairings/{id}/accept", tag = "mentoring", params(("id" = i64, Path)),
    responses((status = 200, body = PairingOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn accept(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<PairingOut>, ApiError> {
    Ok(Json(PairingOut::from(&state.app.accept_mentorship(&viewer, id).await?)))
}

/// Declines a proposal; the request goes back to matching without this
/// mentor. 409 when it is no longer a proposal.
#[utoipa::path(post, path = "/mentoring/pairings/{id}/decline", tag = "mentoring", params(("id" = i64, Path)),
    responses((status = 200, body = PairingOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decline(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
) -> Result<Json<PairingOut>, ApiError> {
    Ok(Json(PairingOut::from(&state.app.decline_mentorship(&viewer, id).await?)))
}

/// Records a check-in on an active mentorship (its two people).
#[utoipa::path(post, path = "/mentoring/pairings/{id}/checkins", tag = "mentoring", params(("id" = i64, Path)), request_body = NoteIn,
    responses((status = 201, body = CheckinOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_checkin(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NoteIn>,
) -> Result<(StatusCode, Json<CheckinOut>), ApiError> {
    let checkin = state.app.add_mentorship_checkin(&viewer, id, &body.note).await?;
    Ok((StatusCode::CREATED, Json(CheckinOut::from(&checkin))))
}

/// Completes an active mentorship with its outcome (required).
#[utoipa::path(post, path = "/mentoring/pairings/{id}/complete", tag = "mentoring", params(("id" = i64, Path)), request_body = OutcomeIn,
    responses((status = 200, body = PairingOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn complete(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<OutcomeIn>,
) -> Result<Json<PairingOut>, ApiError> {
    Ok(Json(PairingOut::from(&state.app.complete_mentorship(&viewer, id, &body.outcome).await?)))
}

/// Ends an active mentorship early, with a reason (required).
#[utoipa::path(post, path = "/mentoring/pairings/{id}/end", tag = "mentoring", params(("id" = i64, Path)), request_body = ReasonIn,
    responses((status = 200, body = PairingOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn end(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReasonIn>,
) -> Result<Json<PairingOut>, ApiError> {
    Ok(Json(PairingOut::from(&state.app.end_mentorship(&viewer, id, &body.reason).await?)))
}

/// What matching would propose now for every open request without a
/// proposal (admins and facilitators).
#[utoipa::path(get, path = "/mentoring/match", tag = "mentoring",
    responses((status = 200, body = MatchPreviewOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn get_match(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<MatchPreviewOut>, ApiError> {
    Ok(Json(MatchPreviewOut::from(&state.app.mentor_match_preview(&viewer).await?)))
}

/// Proposes the whole assignment (admins and facilitators); both sides of
/// each pair are told in-app.
#[utoipa::path(post, path = "/mentoring/match", tag = "mentoring",
    responses((status = 200, body = MatchRunOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn post_match(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<MatchRunOut>, ApiError> {
    Ok(Json(MatchRunOut::from(state.app.propose_mentor_matches(&viewer).await?)))
}
