//! The `/api/v1` routes for measurement: health metrics, alerts, value
//! stories; and their part of the OpenAPI document.
//!
//! The same rules as the pages: anyone who may see a community reads its
//! metrics, stage evidence and which challenges are detected; the findings
//! (whose evidence names people) and the alerts only facilitators, the
//! sponsor and administrators. A measure is `{"value": number | null,
//! "reason": "..."}`: the reason says why there is no value.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use copse_app::{AlertView, HealthPage, PersonRef, ValueStoriesPage, ValueStoryInput, ValueStoryView};
use copse_insight::Measure;
use copse_insight::diagnosis::{Finding, StepLink, Verdict};
use copse_insight::metrics::{LevelBreakdown, PeriodKind, PeriodMetrics};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::ApiJson;
use super::types::PersonRefOut;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/health", get(get_health))
        .route("/communities/{slug}/value-stories", get(list_value_stories).post(record_value_story))
        .route("/alerts/{id}/acknowledge", post(acknowledge_alert))
}

#[derive(OpenApi)]
#[openapi(
    paths(get_health, list_value_stories, record_value_story, acknowledge_alert),
    components(schemas(
        MeasureOut,
        PeriodOut,
        LevelsOut,
        StageOut,
        StepLinkOut,
        NextStepOut,
        FindingOut,
        AlertOut,
        HealthOut,
        EvidenceOut,
        ValueStoryOut,
        ValueStoriesOut,
        ValueStoryIn,
        AcknowledgeIn
    )),
    tags((name = "insight", description = "Community health: metrics, stage evidence, diagnosis, alerts and value stories"))
)]
pub struct Doc;

/// A measured value, or null with the reason there is none.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureOut {
    pub value: Option<f64>,
    /// Why there is no value ("no questions were asked").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl From<&Measure> for MeasureOut {
    fn from(m: &Measure) -> Self {
        match m {
            Measure::Value(v) if v.is_finite() => Self { value: Some(*v), reason: None },
            Measure::Value(_) => Self { value: None, reason: Some("the calculation had no defined result".into()) },
            Measure::NotEnoughData(reason) => Self { value: None, reason: Some(reason.clone()) },
        }
    }
}

fn date_of_day(day: i64) -> String {
    i32::try_from(day)
        .ok()
        .and_then(|d| d.checked_add(719_163))
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One week, month or quarter (UTC, half-open `[start, end)`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodOut {
    /// week | month | quarter
    pub kind: String,
    /// YYYY-MM-DD
    pub start: String,
    /// YYYY-MM-DD, the first day after the period.
    pub end: String,
    pub in_progress: bool,
    pub active_participants: i64,
    pub members_at_end: i64,
    pub active_share: MeasureOut,
    pub events_held: i64,
    pub said_going: i64,
    pub attended: i64,
    pub attendance_rate: MeasureOut,
    pub new_attendees: i64,
    pub returning_attendees: i64,
    pub contributions: i64,
    pub shared_resource_contributions: i64,
    pub channel_activity: i64,
    pub problems_solved: i64,
    pub median_hours_to_solution: MeasureOut,
    pub minutes_saved: i64,
    pub improvements: i64,
    pub artifacts_created: i64,
    pub reuse_events: i64,
    pub distinct_reusers: i64,
    pub questions_asked: i64,
    pub response_rate: MeasureOut,
    pub median_hours_to_first_response: MeasureOut,
    pub reciprocity: MeasureOut,
    pub gini: MeasureOut,
    pub top_decile_share: MeasureOut,
    pub absence_factor: MeasureOut,
}

impl From<&PeriodMetrics> for PeriodOut {
    fn from(p: &PeriodMetrics) -> Self {
        Self {
            kind: match p.period.kind {
                PeriodKind::Week => "week",
                PeriodKind::Month => "month",
                PeriodKind::Quarter => "quarter",
            }
            .into(),
            start: date_of_day(p.period.start_day),
            end: date_of_day(p.period.end_day),
            in_progress: p.in_progress,
            active_participants: p.active_participants,
            members_at_end: p.members_at_end,
            active_share: (&p.active_share).into(),
            events_held: p.events_held,
            said_going: p.said_going,
            attended: p.attended,
            attendance_rate: (&p.attendance_rate).into(),
            new_attendees: p.new_attendees,
            returning_attendees: p.returning_attendees,
            contributions: p.contributions,
            shared_resource_contributions: p.shared_resource_contributions,
            channel_activity: p.channel_activity,
            problems_solved: p.problems_solved,
            median_hours_to_solution: (&p.median_hours_to_solution).into(),
            minutes_saved: p.minutes_saved,
            improvements: p.improvements,
            artifacts_created: p.artifacts_created,
            reuse_events: p.reuse_events,
            distinct_reusers: p.distinct_reusers,
            questions_asked: p.questions_asked,
            response_rate: (&p.response_rate).into(),
            median_hours_to_first_response: (&p.median_hours_to_first_response).into(),
            reciprocity: (&p.reciprocity).into(),
            gini: (&p.gini).into(),
            top_decile_share: (&p.top_decile_share).into(),
            absence_factor: (&p.absence_factor).into(),
        }
    }
}

/// Members by participation level over the last 90 days, against the
/// reference bands (10-15 % core, 15-20 % active).
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelsOut {
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
    pub core_share: MeasureOut,
    pub active_share: MeasureOut,
    pub verdict: String,
}

impl From<&LevelBreakdown> for LevelsOut {
    fn from(l: &LevelBreakdown) -> Self {
        Self {
            core: l.core,
            active: l.active,
            peripheral: l.peripheral,
            inactive: l.inactive,
            core_share: (&l.core_share).into(),
            active_share: (&l.active_share).into(),
            verdict: l.verdict.clone(),
        }
    }
}

/// The recorded stage beside the one the data supports.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageOut {
    pub recorded: String,
    pub suggested: String,
    pub differs: bool,
    pub summary: String,
    pub reasons: Vec<String>,
}

/// Where a next step points: `kind` is one of meeting-planner,
/// facilitation-rota, edit-charter, new-survey, new-event, new-thread,
/// new-community, value-report, organization-side, unanswered, thread,
/// artifact, person; `id` for threads and artifacts, `handle` for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepLinkOut {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
}

fn step_link(link: &StepLink) -> StepLinkOut {
    let simple = |kind: &str| StepLinkOut { kind: kind.into(), id: None, handle: None };
    match link {
        StepLink::MeetingPlanner => simple("meeting-planner"),
        StepLink::FacilitationRota => simple("facilitation-rota"),
        StepLink::EditCharter => simple("edit-charter"),
        StepLink::NewSurvey => simple("new-survey"),
        StepLink::NewEvent => simple("new-event"),
        StepLink::NewThread => simple("new-thread"),
        StepLink::NewCommunity => simple("new-community"),
        StepLink::ValueReport => simple("value-report"),
        StepLink::OrganizationSide => simple("organization-side"),
        StepLink::Unanswered => simple("unanswered"),
        StepLink::Thread(id) => StepLinkOut { kind: "thread".into(), id: Some(*id), handle: None },
        StepLink::Artifact(id) => StepLinkOut { kind: "artifact".into(), id: Some(*id), handle: None },
        StepLink::Person(handle) => StepLinkOut { kind: "person".into(), id: None, handle: Some(handle.clone()) },
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NextStepOut {
    pub text: String,
    pub link: Option<StepLinkOut>,
}

/// One detector's finding.
#[derive(Debug, Serialize, ToSchema)]
pub struct FindingOut {
    /// low-participation, dominance, management-support, scope-creep,
    /// stagnation or remote-barriers.
    pub challenge: String,
    /// detected | clear | not-enough-data
    pub verdict: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub symptom: String,
    pub measure: MeasureOut,
    pub threshold: f64,
    pub evidence: Vec<String>,
    pub next_steps: Vec<NextStepOut>,
}

impl From<&Finding> for FindingOut {
    fn from(f: &Finding) -> Self {
        let (verdict, reason) = match &f.verdict {
            Verdict::Detected => ("detected", None),
            Verdict::Clear => ("clear", None),
            Verdict::NotEnoughData(reason) => ("not-enough-data", Some(reason.clone())),
        };
        Self {
            challenge: f.challenge.as_str().into(),
            verdict: verdict.into(),
            reason,
            symptom: f.symptom.clone(),
            measure: (&f.measure).into(),
            threshold: if f.threshold.is_finite() { f.threshold } else { 0.0 },
            evidence: f.evidence.clone(),
            next_steps: f
                .next_steps
                .iter()
                .map(|s| NextStepOut { text: s.text.clone(), link: s.link.as_ref().map(step_link) })
                .collect(),
        }
    }
}

fn person_out(p: &PersonRef) -> PersonRefOut {
    PersonRefOut { handle: p.handle.clone(), name: p.name.clone(), team: p.team.clone() }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertOut {
    pub id: i64,
    pub challenge: String,
    /// open | acknowledged | resolved
    pub status: String,
    pub symptom: String,
    pub opened_at: String,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<PersonRefOut>,
    pub note: String,
    pub resolved_at: Option<String>,
    pub last_checked_at: String,
}

impl From<&AlertView> for AlertOut {
    fn from(a: &AlertView) -> Self {
        Self {
            id: a.id,
            challenge: a.challenge.as_str().into(),
            status: a.status.as_str().into(),
            symptom: a.symptom.clone(),
            opened_at: rfc3339(a.opened_at),
            acknowledged_at: a.acknowledged_at.map(rfc3339),
            acknowledged_by: a.acknowledged_by.as_ref().map(person_out),
            note: a.note.clone(),
            resolved_at: a.resolved_at.map(rfc3339),
            last_checked_at: rfc3339(a.last_checked_at),
        }
    }
}

/// A community's health: the month and quarter in progress and the ones
/// before, participation levels, stage evidence, detected challenges; the
/// findings and alerts only for facilitators, the sponsor and admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthOut {
    pub community: String,
    pub computed_at: String,
    pub current_month: Option<PeriodOut>,
    pub previous_month: Option<PeriodOut>,
    pub current_quarter: Option<PeriodOut>,
    pub previous_quarter: Option<PeriodOut>,
    pub levels: LevelsOut,
    pub satisfaction: MeasureOut,
    pub survey_response_rate: MeasureOut,
    pub stage: StageOut,
    /// The challenges detected now (names only).
    pub detected: Vec<String>,
    pub can_view_diagnosis: bool,
    /// Present only with `can_view_diagnosis`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<FindingOut>>,
    /// Present only with `can_view_diagnosis`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<AlertOut>>,
}

fn last_two(periods: &[PeriodMetrics]) -> (Option<PeriodOut>, Option<PeriodOut>) {
    let current = periods.last().map(PeriodOut::from);
    let previous = periods.len().checked_sub(2).and_then(|i| periods.get(i)).map(PeriodOut::from);
    (current, previous)
}

impl From<&HealthPage> for HealthOut {
    fn from(p: &HealthPage) -> Self {
        let m = &*p.metrics;
        let (current_month, previous_month) = last_two(&m.months);
        let (current_quarter, previous_quarter) = last_two(&m.quarters);
        Self {
            community: p.community.slug.clone(),
            computed_at: rfc3339(p.computed_at),
            current_month,
            previous_month,
            current_quarter,
            previous_quarter,
            levels: (&m.levels).into(),
            satisfaction: (&m.satisfaction).into(),
            survey_response_rate: (&m.survey_response_rate).into(),
            stage: StageOut {
                recorded: p.community.stage.as_str().into(),
                suggested: p.stage.stage.as_str().into(),
                differs: p.stage.stage != p.community.stage,
                summary: p.stage.summary.clone(),
                reasons: p.stage.reasons.clone(),
            },
            detected: p.detected.iter().map(|c| c.as_str().to_string()).collect(),
            can_view_diagnosis: p.can_view_diagnosis,
            findings: p.can_view_diagnosis.then(|| p.findings.iter().map(FindingOut::from).collect()),
            alerts: p.can_view_diagnosis.then(|| p.alerts.iter().map(AlertOut::from).collect()),
        }
    }
}

/// A thread, event or artifact a value story links to.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceOut {
    /// thread | event | artifact
    pub kind: String,
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueStoryOut {
    pub id: i64,
    /// immediate | potential | applied | realized | reframing
    pub cycle: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub author: Option<PersonRefOut>,
    pub created_at: String,
    pub links: Vec<EvidenceOut>,
}

impl From<&ValueStoryView> for ValueStoryOut {
    fn from(s: &ValueStoryView) -> Self {
        Self {
            id: s.id,
            cycle: s.cycle.as_str().into(),
            title: s.title.clone(),
            body: s.body.clone(),
            author: s.author.as_ref().map(person_out),
            created_at: rfc3339(s.created_at),
            links: s
                .links
                .iter()
                .map(|l| EvidenceOut { kind: l.kind.into(), id: l.id, title: l.title.clone() })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueStoriesOut {
    pub stories: Vec<ValueStoryOut>,
    pub can_record: bool,
    /// Recent threads, events and artifacts a new story can link to (only
    /// for those who may record one).
    pub linkable: Vec<EvidenceOut>,
}

impl From<&ValueStoriesPage> for ValueStoriesOut {
    fn from(p: &ValueStoriesPage) -> Self {
        Self {
            stories: p.stories.iter().map(ValueStoryOut::from).collect(),
            can_record: p.can_record,
            linkable: p
                .linkable
                .iter()
                .map(|l| EvidenceOut { kind: l.kind.into(), id: l.id, title: l.title.clone() })
                .collect(),
        }
    }
}

/// A value story to record (active members).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ValueStoryIn {
    /// immediate | potential | applied | realized | reframing
    pub cycle: String,
    /// 3 to 200 characters.
    pub title: String,
    /// Markdown, at most 20,000 characters.
    #[serde(default)]
    pub body: String,
    /// Evidence of this community: "thread:12", "event:5", "artifact:3".
    #[serde(default)]
    pub links: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct AcknowledgeIn {
    /// What is being done about it (at most 2,000 characters).
    #[serde(default)]
    pub note: String,
}

/// A community's health (anyone who may see the community); findings and
/// alerts only for facilitators, the sponsor and administrators.
#[utoipa::path(get, path = "/communities/{slug}/health", tag = "insight", params(("slug" = String, Path)),
    responses((status = 200, body = HealthOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_health(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<HealthOut>, ApiError> {
    Ok(Json(HealthOut::from(&state.app.community_health(&viewer, &slug).await?)))
}

/// A community's value stories, newest first.
#[utoipa::path(get, path = "/communities/{slug}/value-stories", tag = "insight", params(("slug" = String, Path)),
    responses((status = 200, body = ValueStoriesOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_value_stories(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<ValueStoriesOut>, ApiError> {
    Ok(Json(ValueStoriesOut::from(&state.app.value_stories_page(&viewer, &slug).await?)))
}

/// Records a value story (active members).
#[utoipa::path(post, path = "/communities/{slug}/value-stories", tag = "insight", params(("slug" = String, Path)),
    request_body = ValueStoryIn,
    responses((status = 201, body = ValueStoryOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn record_value_story(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<ValueStoryIn>,
) -> Result<(StatusCode, Json<ValueStoryOut>), ApiError> {
    let input = ValueStoryInput { cycle: body.cycle, title: body.title, body: body.body, links: body.links };
    let id = state.app.record_value_story(&viewer, &slug, &input).await?;
    let page = state.app.value_stories_page(&viewer, &slug).await?;
    let story = page.stories.iter().find(|s| s.id == id).map(ValueStoryOut::from);
    let story = story.ok_or(ApiError(copse_app::AppError::NotFound("value story")))?;
    Ok((StatusCode::CREATED, Json(story)))
}

/// Acknowledges an open alert with a note (facilitators, administrators);
/// 409 when it is already resolved.
#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = "insight", params(("id" = i64, Path)),
    request_body = AcknowledgeIn,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn acknowledge_alert(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<AcknowledgeIn>,
) -> Result<StatusCode, ApiError> {
    state.app.acknowledge_alert(&viewer, id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
