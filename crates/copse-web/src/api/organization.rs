//! The `/api/v1` routes for the organization side, and their part of the
//! OpenAPI document: a community's sponsor and the sponsor's involvement,
//! time allocations, budget lines, the sponsor report and the portfolio.
//!
//! Amounts go out as integer cents with the currency's ISO code; they come
//! in as text like "1200" or "1,200.50" (a JSON number is read as its text),
//! so nothing is lost to floating point.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, put};
use axum::{Json, Router};
use copse_app::{
    BudgetLineInput, BudgetLineUpdate, BudgetLineView, BudgetSummary, BudgetTotals, PersonRef, SponsorInvolvement,
    TimeAllocationInput, TimeAllocationView, TimeSummary,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ApiJson;
use super::types::PersonRefOut;
use crate::WebState;
use crate::auth::ApiViewer;
use crate::error::{ApiError, Problem};
use crate::format::rfc3339;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/organization", get(get_organization))
        .route("/communities/{slug}/sponsor", put(set_sponsor))
        .route("/communities/{slug}/time-allocations", get(list_time_allocations).put(record_time_allocation))
        .route("/communities/{slug}/budget-lines", get(list_budget_lines).post(create_budget_line))
        .route("/budget-lines/{id}", patch(update_budget_line))
        .route("/communities/{slug}/report", get(get_report))
        .route("/organization/portfolio", get(get_portfolio))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        get_organization,
        set_sponsor,
        list_time_allocations,
        record_time_allocation,
        list_budget_lines,
        create_budget_line,
        update_budget_line,
        get_report,
        get_portfolio
    ),
    components(schemas(
        OrganizationOut,
        InvolvementOut,
        AttendedSessionOut,
        TimeAllocationOut,
        TimeAllocationsOut,
        TimeAllocationWrite,
        TimeAllocationWritten,
        BudgetLineOut,
        BudgetTotalsOut,
        BudgetOut,
        BudgetLineCreate,
        BudgetLinePatch,
        SponsorWrite,
        ReportOut,
        SurveyOutlineOut,
        PortfolioOut,
        PortfolioEntryOut
    )),
    tags((name = "organization", description = "Sponsors, time allocation, budgets, the sponsor report and the portfolio"))
)]
pub struct Doc;

fn person_out(p: &PersonRef) -> PersonRefOut {
    PersonRefOut { handle: p.handle.clone(), name: p.name.clone(), team: p.team.clone() }
}

/// An amount or text field that may come as a JSON string or number.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        // Neither: parsing it fails with a message that names the field.
        other => Some(other.to_string()),
    }
}

/// A session of the community the sponsor attended.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttendedSessionOut {
    pub event_id: i64,
    /// The occurrence's key (original local start).
    pub occurrence: String,
    pub title: String,
    pub start: String,
}

/// What shows the sponsor taking part.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvolvementOut {
    /// Sessions of this community attended in the last 12 months.
    pub sessions_attended: i64,
    /// The latest of them, newest first.
    pub recent_sessions: Vec<AttendedSessionOut>,
    /// Sponsor reports of this community the sponsor opened.
    pub reports_read: i64,
    pub last_read_at: Option<String>,
}

impl From<&SponsorInvolvement> for InvolvementOut {
    fn from(i: &SponsorInvolvement) -> Self {
        Self {
            sessions_attended: i.sessions_attended,
            recent_sessions: i
                .recent_sessions
                .iter()
                .map(|s| AttendedSessionOut {
                    event_id: s.event_id,
                    occurrence: s.key.clone(),
                    title: s.title.clone(),
                    start: rfc3339(s.start),
                })
                .collect(),
            reports_read: i.reports_read,
            last_read_at: i.last_read.map(rfc3339),
        }
    }
}

/// One member's time allocation.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeAllocationOut {
    pub person: PersonRefOut,
    pub hours_per_month: i64,
    /// The manager who granted it, as the member wrote it.
    pub granted_by: String,
    pub updated_at: String,
}

impl From<&TimeAllocationView> for TimeAllocationOut {
    fn from(a: &TimeAllocationView) -> Self {
        Self {
            person: person_out(&a.person),
            hours_per_month: a.hours_per_month,
            granted_by: a.granted_by.clone(),
            updated_at: rfc3339(a.updated_at),
        }
    }
}

/// Time allocations: everyone's for the sponsor, facilitators and admins, a
/// member's own otherwise.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimeAllocationsOut {
    pub allocations: Vec<TimeAllocationOut>,
    pub total_hours: i64,
    pub average_hours: f64,
    pub active_members: i64,
}

impl From<&TimeSummary> for TimeAllocationsOut {
    fn from(t: &TimeSummary) -> Self {
        Self {
            allocations: t.allocations.iter().map(TimeAllocationOut::from).collect(),
            total_hours: t.total_hours,
            average_hours: t.average_hours,
            active_members: t.active_members,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetLineOut {
    pub id: i64,
    pub title: String,
    /// "2026" or "2026-Q4".
    pub period: String,
    pub requested_cents: i64,
    /// `null` until an administrator grants it.
    pub granted_cents: Option<i64>,
    pub spent_cents: i64,
    pub note: String,
    /// More spent than granted (a warning; it is not refused).
    pub overspent: bool,
    pub updated_at: String,
}

impl From<&BudgetLineView> for BudgetLineOut {
    fn from(l: &BudgetLineView) -> Self {
        Self {
            id: l.id,
            title: l.title.clone(),
            period: l.period.clone(),
            requested_cents: l.requested_cents,
            granted_cents: l.granted_cents,
            spent_cents: l.spent_cents,
            note: l.note.clone(),
            overspent: l.overspent,
            updated_at: rfc3339(l.updated_at),
        }
    }
}

/// Sums of one period's lines, or (`whole_year`) of a year with its quarters.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetTotalsOut {
    pub period: String,
    pub whole_year: bool,
    pub lines: usize,
    pub requested_cents: i64,
    pub granted_cents: i64,
    pub spent_cents: i64,
    pub overspent: bool,
}

impl From<&BudgetTotals> for BudgetTotalsOut {
    fn from(t: &BudgetTotals) -> Self {
        Self {
            period: t.period.clone(),
            whole_year: t.whole_year,
            lines: t.lines,
            requested_cents: t.requested_cents,
            granted_cents: t.granted_cents,
            spent_cents: t.spent_cents,
            overspent: t.overspent,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetOut {
    /// ISO 4217 code of the amounts.
    pub currency: String,
    pub lines: Vec<BudgetLineOut>,
    pub totals: Vec<BudgetTotalsOut>,
}

fn budget_out(b: &BudgetSummary, currency: &str) -> BudgetOut {
    BudgetOut {
        currency: currency.to_string(),
        lines: b.lines.iter().map(BudgetLineOut::from).collect(),
        totals: b.totals.iter().map(BudgetTotalsOut::from).collect(),
    }
}

/// A community's organization side as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationOut {
    pub community: String,
    pub sponsor: Option<PersonRefOut>,
    /// The sponsor's involvement; `null` without a sponsor.
    pub involvement: Option<InvolvementOut>,
    /// Whether the caller sees time allocations, the budget and the report.
    pub organization_side: bool,
    /// The caller's own allocation here.
    pub own_allocation: Option<TimeAllocationOut>,
    /// Present with `organization_side`.
    pub time: Option<TimeAllocationsOut>,
    pub budget: Option<BudgetOut>,
    pub currency: String,
}

/// Sponsor, involvement, and (for the sponsor, facilitators and admins) time and budget.
#[utoipa::path(get, path = "/communities/{slug}/organization", tag = "organization", params(("slug" = String, Path)),
    responses((status = 200, body = OrganizationOut), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_organization(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<OrganizationOut>, ApiError> {
    let page = state.app.organization_page(&viewer, &slug).await?;
    Ok(Json(OrganizationOut {
        community: page.community.slug.clone(),
        sponsor: page.sponsor.as_ref().map(person_out),
        involvement: page.involvement.as_ref().map(InvolvementOut::from),
        organization_side: page.can_view_side,
        own_allocation: page.own_allocation.as_ref().map(TimeAllocationOut::from),
        time: page.time.as_ref().map(TimeAllocationsOut::from),
        budget: page.budget.as_ref().map(|b| budget_out(b, &page.currency)),
        currency: page.currency.clone(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SponsorWrite {
    /// The sponsor's handle; empty or `null` removes the sponsor.
    #[serde(default)]
    pub handle: Option<String>,
}

/// Names or removes the executive sponsor (facilitators and admins).
#[utoipa::path(put, path = "/communities/{slug}/sponsor", tag = "organization", params(("slug" = String, Path)),
    request_body = SponsorWrite,
    responses((status = 200, body = OrganizationOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_sponsor(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<SponsorWrite>,
) -> Result<Json<OrganizationOut>, ApiError> {
    state.app.set_sponsor(&viewer, &slug, body.handle.as_deref().unwrap_or("")).await?;
    get_organization(State(state), ApiViewer(viewer), Path(slug)).await
}

/// Time allocations: everyone's for the sponsor, facilitators and admins; an active member's own otherwise.
#[utoipa::path(get, path = "/communities/{slug}/time-allocations", tag = "organization", params(("slug" = String, Path)),
    responses((status = 200, body = TimeAllocationsOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn list_time_allocations(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<TimeAllocationsOut>, ApiError> {
    Ok(Json(TimeAllocationsOut::from(&state.app.time_allocations(&viewer, &slug).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TimeAllocationWrite {
    /// Whose allocation; omit for one's own. Facilitators and admins may name any active member.
    #[serde(default)]
    pub handle: Option<String>,
    /// Whole hours a month, 0 to 160; 0 clears the allocation.
    #[schema(value_type = i64)]
    pub hours_per_month: Value,
    /// The manager who granted it.
    #[serde(default)]
    pub granted_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimeAllocationWritten {
    /// `null` when the allocation was cleared.
    pub allocation: Option<TimeAllocationOut>,
}

/// Records (or with 0 clears) a time allocation: one's own as an active member, anyone's as a facilitator or admin.
#[utoipa::path(put, path = "/communities/{slug}/time-allocations", tag = "organization", params(("slug" = String, Path)),
    request_body = TimeAllocationWrite,
    responses((status = 200, body = TimeAllocationWritten), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_time_allocation(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<TimeAllocationWrite>,
) -> Result<Json<TimeAllocationWritten>, ApiError> {
    let input = TimeAllocationInput {
        handle: body.handle.unwrap_or_default(),
        hours: text_of(&body.hours_per_month).unwrap_or_default(),
        granted_by: body.granted_by,
    };
    // The page's field is `hours`; here it is `hours_per_month`.
    let saved = state.app.record_time_allocation(&viewer, &slug, &input).await.map_err(|e| match e {
        copse_app::AppError::Invalid(errors) => copse_app::AppError::Invalid(copse_domain::FieldErrors(
            errors
                .0
                .into_iter()
                .map(|mut f| {
                    if f.field == "hours" {
                        f.field = "hours_per_month";
                    }
                    f
                })
                .collect(),
        )),
        other => other,
    })?;
    Ok(Json(TimeAllocationWritten { allocation: saved.as_ref().map(TimeAllocationOut::from) }))
}

/// The community's budget lines and totals (sponsor, facilitators and admins).
#[utoipa::path(get, path = "/communities/{slug}/budget-lines", tag = "organization", params(("slug" = String, Path)),
    responses((status = 200, body = BudgetOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn list_budget_lines(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<BudgetOut>, ApiError> {
    let budget = state.app.budget_lines(&viewer, &slug).await?;
    Ok(Json(budget_out(&budget, &state.app.organization_currency().await?)))
}

/// A new budget line; amounts as text like "1200" or "1,200.50".
#[derive(Debug, Deserialize, ToSchema)]
pub struct BudgetLineCreate {
    pub title: String,
    /// "2026" or "2026-Q4".
    pub period: String,
    #[schema(value_type = String)]
    pub requested: Value,
    /// Administrators only.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub granted: Value,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub spent: Value,
    #[serde(default)]
    pub note: String,
}

/// Adds a budget line (facilitators and admins; only admins may include `granted`).
#[utoipa::path(post, path = "/communities/{slug}/budget-lines", tag = "organization", params(("slug" = String, Path)),
    request_body = BudgetLineCreate,
    responses((status = 201, body = BudgetLineOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_budget_line(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
    ApiJson(body): ApiJson<BudgetLineCreate>,
) -> Result<(StatusCode, Json<BudgetLineOut>), ApiError> {
    let input = BudgetLineInput {
        title: body.title,
        period: body.period,
        requested: text_of(&body.requested).unwrap_or_default(),
        granted: text_of(&body.granted).unwrap_or_default(),
        spent: text_of(&body.spent).unwrap_or_default(),
        note: body.note,
    };
    let line = state.app.add_budget_line(&viewer, &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(BudgetLineOut::from(&line))))
}

/// A change to a line's amounts; fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BudgetLinePatch {
    /// What is spent so far (facilitators and admins).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub spent: Value,
    /// What is granted (administrators); "" removes the grant.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub granted: Value,
}

/// Records spending (facilitators and admins) or the granted amount (admins) of a budget line.
#[utoipa::path(patch, path = "/budget-lines/{id}", tag = "organization", params(("id" = i64, Path)),
    request_body = BudgetLinePatch,
    responses((status = 200, body = BudgetLineOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_budget_line(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<BudgetLinePatch>,
) -> Result<Json<BudgetLineOut>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError(copse_app::AppError::NotFound("budget line")))?;
    let update = BudgetLineUpdate { spent: text_of(&body.spent), granted: text_of(&body.granted) };
    let line = state.app.update_budget_line(&viewer, None, id, &update).await?;
    Ok(Json(BudgetLineOut::from(&line)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyOutlineOut {
    pub title: String,
    pub open: bool,
    pub opened_at: String,
    pub responses: i64,
    pub audience: i64,
    /// 0 to 1.
    pub response_rate: f64,
    /// Mean satisfaction (1-5); `null` below 5 responses.
    pub satisfaction: Option<f64>,
}

/// The sponsor report's figures; activity covers the last `window_days`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    pub community: String,
    pub name: String,
    pub stage: String,
    pub generated_at: String,
    pub window_days: i64,
    pub sponsor: Option<PersonRefOut>,
    pub involvement: Option<InvolvementOut>,
    pub members: i64,
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
    pub sessions_held: i64,
    pub attendances: i64,
    pub questions_asked: i64,
    pub questions_solved: i64,
    pub minutes_saved: i64,
    pub artifacts_published: i64,
    pub artifacts_published_recently: i64,
    pub kudos: i64,
    pub latest_survey: Option<SurveyOutlineOut>,
    pub hours_per_month: i64,
    pub members_with_time: usize,
    pub budget: BudgetOut,
}

/// The sponsor report (sponsor, facilitators and admins); each call is recorded as a read.
#[utoipa::path(get, path = "/communities/{slug}/report", tag = "organization", params(("slug" = String, Path)),
    responses((status = 200, body = ReportOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn get_report(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Path(slug): Path<String>,
) -> Result<Json<ReportOut>, ApiError> {
    let r = state.app.sponsor_report(&viewer, &slug).await?;
    let a = &r.activity;
    Ok(Json(ReportOut {
        community: r.community.slug.clone(),
        name: r.community.name.clone(),
        stage: r.community.stage.as_str().into(),
        generated_at: rfc3339(r.generated_at),
        window_days: r.window_days,
        sponsor: r.sponsor.as_ref().map(person_out),
        involvement: r.involvement.as_ref().map(InvolvementOut::from),
        members: r.community.member_count,
        core: r.participation.core,
        active: r.participation.active,
        peripheral: r.participation.peripheral,
        inactive: r.participation.inactive,
        sessions_held: r.sessions_held,
        attendances: r.attendances,
        questions_asked: a.questions_asked,
        questions_solved: a.questions_solved,
        minutes_saved: a.minutes_saved,
        artifacts_published: a.artifacts_published,
        artifacts_published_recently: a.artifacts_published_recently,
        kudos: a.kudos,
        latest_survey: r.survey.as_ref().map(|s| SurveyOutlineOut {
            title: s.title.clone(),
            open: s.open,
            opened_at: rfc3339(s.opened_at),
            responses: s.responses,
            audience: s.audience,
            response_rate: s.response_rate,
            satisfaction: s.satisfaction,
        }),
        hours_per_month: r.time.total_hours,
        members_with_time: r.time.allocations.len(),
        budget: budget_out(&r.budget, &r.currency),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PortfolioQuery {
    /// name (default), stage, members, hours or budget.
    #[serde(default)]
    sort: String,
}

/// One community in the portfolio. Time and budget figures are `null` where
/// the caller may not see the community's organization side.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioEntryOut {
    pub slug: String,
    pub name: String,
    pub stage: String,
    pub visibility: String,
    pub members: i64,
    pub sponsor: Option<PersonRefOut>,
    pub hours_per_month: Option<i64>,
    pub members_with_time: Option<i64>,
    pub requested_cents: Option<i64>,
    pub granted_cents: Option<i64>,
    pub spent_cents: Option<i64>,
    /// Titles of the organizational goals its charter serves.
    pub goals: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioOut {
    pub sort: String,
    /// The budget year of the amounts.
    pub year: i32,
    pub currency: String,
    pub without_sponsor: usize,
    pub communities: Vec<PortfolioEntryOut>,
}

/// Every community the caller may see, with stage, members, sponsor, time, this year's budget and goals.
#[utoipa::path(get, path = "/organization/portfolio", tag = "organization", params(PortfolioQuery),
    responses((status = 200, body = PortfolioOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
pub async fn get_portfolio(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    Query(query): Query<PortfolioQuery>,
) -> Result<Json<PortfolioOut>, ApiError> {
    let p = state.app.portfolio(&viewer, &query.sort).await?;
    Ok(Json(PortfolioOut {
        sort: p.sort.as_str().into(),
        year: p.year,
        currency: p.currency.clone(),
        without_sponsor: p.without_sponsor,
        communities: p
            .entries
            .iter()
            .map(|e| PortfolioEntryOut {
                slug: e.slug.clone(),
                name: e.name.clone(),
                stage: e.stage.as_str().into(),
                visibility: e.visibility.as_str().into(),
                members: e.member_count,
                sponsor: e.sponsor.as_ref().map(|s| PersonRefOut {
                    handle: s.handle.clone(),
                    name: s.name.clone(),
                    team: String::new(),
                }),
                hours_per_month: e.hours,
                members_with_time: e.allocated_members,
                requested_cents: e.requested_cents,
                granted_cents: e.granted_cents,
                spent_cents: e.spent_cents,
                goals: e.goals.iter().map(|(_, t)| t.clone()).collect(),
            })
            .collect(),
    }))
}
