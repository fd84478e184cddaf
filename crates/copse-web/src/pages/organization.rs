//! Pages for the organization side: a community's sponsor, time and budget
//! page (`/communities/{slug}/organization`) with its forms, the printable
//! sponsor report (`/communities/{slug}/report`), the portfolio across
//! communities (`/organization`) and the organizational goals with the
//! charters that serve them (`/organization/goals`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::{
    AppError, BudgetLineInput, BudgetLineUpdate, BudgetLineView, BudgetTotals, GoalsPage, OrganizationPage,
    PortfolioPage, PortfolioSort, SponsorInvolvement, SponsorReport, TimeAllocationInput, TimeAllocationView, Viewer,
};
use copse_domain::{FieldErrors, MembershipStatus, Stage, TimeZone, Visibility};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, initials, membership_label, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/organization", get(show_organization))
        .route("/communities/{slug}/organization/sponsor", post(set_sponsor))
        .route("/communities/{slug}/organization/time", post(record_time))
        .route("/communities/{slug}/organization/budget", post(add_budget_line))
        .route("/communities/{slug}/organization/budget/{id}", post(update_budget_line))
        .route("/communities/{slug}/report", get(show_report))
        .route("/organization", get(show_portfolio))
        .route("/organization/goals", get(show_goals).post(add_goal))
}

// --- formatting -------------------------------------------------------------

/// "€1,200", "€2,765.40", "CHF 300": whole amounts without cents.
pub(crate) fn money(cents: i64, currency: &str) -> String {
    let negative = cents < 0;
    let cents = cents.unsigned_abs();
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let amount = if cents.is_multiple_of(100) { grouped } else { format!("{grouped}.{:02}", cents % 100) };
    let sign = if negative { "−" } else { "" };
    match currency {
        "EUR" => format!("{sign}€{amount}"),
        "USD" => format!("{sign}${amount}"),
        "GBP" => format!("{sign}£{amount}"),
        other => format!("{sign}{other} {amount}"),
    }
}

/// An amount as a form shows it for editing: "1200.50", "300".
fn amount_input(cents: i64) -> String {
    if cents % 100 == 0 { (cents / 100).to_string() } else { format!("{}.{:02}", cents / 100, cents % 100) }
}

fn hours(n: i64) -> String {
    format!("{n} h")
}

/// "4.5 h", "8 h".
fn hours_f(n: f64) -> String {
    let rounded = (n * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0} h") } else { format!("{rounded:.1} h") }
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "sponsor" => "The executive sponsor is saved.",
        "sponsor-cleared" => "The community has no executive sponsor now.",
        "time" => "Your time allocation is saved.",
        "time-cleared" => "Your time allocation is cleared.",
        "time-member" => "The member's time allocation is saved.",
        "time-member-cleared" => "The member's time allocation is cleared.",
        "budget-line" => "The budget line is added.",
        "budget-saved" => "The budget line is saved.",
        "budget-over" => "Saved. More is now spent than granted on this line.",
        "goal" => "The organizational goal is added. Charters can link to it now.",
        _ => return None,
    })
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: String, section: &'static str) -> Layout {
    Layout::new(title, state.app.org_name(), Some(viewer), csrf, section)
}

// --- the organization page --------------------------------------------------

struct PersonLink {
    handle: String,
    name: String,
    initials: String,
    team: String,
}

struct SessionLink {
    href: String,
    title: String,
    date: String,
    iso: String,
}

struct InvolvementView {
    sessions: String,
    recent: Vec<SessionLink>,
    reads: String,
    last_read: Option<String>,
}

struct AllocationRow {
    handle: String,
    name: String,
    hours: String,
    granted_by: String,
    updated: String,
    iso: String,
}

struct TotalsRow {
    label: String,
    whole_year: bool,
    requested: String,
    granted: String,
    spent: String,
    overspent: bool,
}

struct LineRow {
    id: i64,
    title: String,
    note: String,
    period: String,
    requested: String,
    granted: Option<String>,
    spent: String,
    overspent: bool,
    over_by: String,
    /// This line's update form failed.
    spent_error: Option<String>,
    granted_error: Option<String>,
    spent_value: String,
    granted_value: String,
    open: bool,
}

#[derive(Default)]
struct TimeValues {
    handle: String,
    hours: String,
    granted_by: String,
}

#[derive(Default)]
struct BudgetValues {
    title: String,
    period: String,
    requested: String,
    granted: String,
    spent: String,
    note: String,
}

/// Which form failed, with what was typed and what is wrong.
enum Failed {
    None,
    Sponsor(String, FieldErrors),
    OwnTime(TimeValues, FieldErrors),
    MemberTime(TimeValues, FieldErrors),
    Budget(BudgetValues, FieldErrors),
    Line(i64, BudgetLineUpdate, FieldErrors),
}

#[derive(Template)]
#[template(path = "organization.html")]
struct OrganizationTemplate {
    layout: Layout,
    error_links: Vec<ErrorLink>,
    slug: String,
    community_name: String,
    sponsor: Option<PersonLink>,
    involvement: Option<InvolvementView>,
    viewer_is_sponsor: bool,
    can_set_sponsor: bool,
    sponsor_value: String,
    sponsor_errors: FieldErrors,
    can_view_side: bool,
    show_own: bool,
    own: Option<AllocationRow>,
    own_values: TimeValues,
    own_errors: FieldErrors,
    can_record_any: bool,
    member_values: TimeValues,
    member_errors: FieldErrors,
    allocations: Vec<AllocationRow>,
    time_summary: String,
    time_total: String,
    time_average: String,
    can_manage_budget: bool,
    can_grant: bool,
    budget_values: BudgetValues,
    budget_errors: FieldErrors,
    budget_open: bool,
    totals: Vec<TotalsRow>,
    lines: Vec<LineRow>,
    currency: String,
}

fn person_link(p: &copse_app::PersonRef) -> PersonLink {
    PersonLink { handle: p.handle.clone(), name: p.name.clone(), initials: initials(&p.name), team: p.team.clone() }
}

fn involvement_view(i: &SponsorInvolvement, zone: TimeZone) -> InvolvementView {
    InvolvementView {
        sessions: format::count(i.sessions_attended, "session", "sessions"),
        recent: i
            .recent_sessions
            .iter()
            .map(|s| SessionLink {
                href: format!("/events/{}/{}", s.event_id, s.key),
                title: s.title.clone(),
                date: format::date(s.start, zone),
                iso: format::rfc3339(s.start),
            })
            .collect(),
        reads: format::count(i.reports_read, "time", "times"),
        last_read: i.last_read.map(|t| format::date(t, zone)),
    }
}

fn allocation_row(a: &TimeAllocationView, zone: TimeZone) -> AllocationRow {
    AllocationRow {
        handle: a.person.handle.clone(),
        name: a.person.name.clone(),
        hours: hours(a.hours_per_month),
        granted_by: a.granted_by.clone(),
        updated: format::date(a.updated_at, zone),
        iso: format::rfc3339(a.updated_at),
    }
}

fn totals_row(t: &BudgetTotals, currency: &str) -> TotalsRow {
    TotalsRow {
        label: if t.whole_year { format!("{} (whole year)", t.period) } else { t.period.clone() },
        whole_year: t.whole_year,
        requested: money(t.requested_cents, currency),
        granted: money(t.granted_cents, currency),
        spent: money(t.spent_cents, currency),
        overspent: t.overspent,
    }
}

fn line_row(l: &BudgetLineView, currency: &str, failed: &Failed) -> LineRow {
    let (spent_error, granted_error, spent_value, granted_value, open) = match failed {
        Failed::Line(id, update, errors) if *id == l.id => (
            errors.get("spent").map(str::to_string),
            errors.get("granted").map(str::to_string),
            update.spent.clone().unwrap_or_else(|| amount_input(l.spent_cents)),
            update.granted.clone().unwrap_or_else(|| l.granted_cents.map(amount_input).unwrap_or_default()),
            true,
        ),
        _ => (None, None, amount_input(l.spent_cents), l.granted_cents.map(amount_input).unwrap_or_default(), false),
    };
    LineRow {
        id: l.id,
        title: l.title.clone(),
        note: l.note.clone(),
        period: l.period.clone(),
        requested: money(l.requested_cents, currency),
        granted: l.granted_cents.map(|g| money(g, currency)),
        spent: money(l.spent_cents, currency),
        overspent: l.overspent,
        over_by: money(l.spent_cents - l.granted_cents.unwrap_or(0), currency),
        spent_error,
        granted_error,
        spent_value,
        granted_value,
        open,
    }
}

fn time_field(field: &'static str, prefix: &str) -> Option<(String, &'static str)> {
    Some(match field {
        "handle" => (format!("{prefix}handle"), "Member"),
        "hours" => (format!("{prefix}hours"), "Hours a month"),
        "granted_by" => (format!("{prefix}granted_by"), "Granted by"),
        _ => return None,
    })
}

fn organization_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &OrganizationPage,
    failed: Failed,
    notice: Option<&str>,
) -> OrganizationTemplate {
    let zone = viewer.time_zone;
    let currency = page.currency.as_str();
    let (links, has_errors) = match &failed {
        Failed::None => (Vec::new(), false),
        Failed::Sponsor(_, e) => {
            (error_links(e, |f| (f == "sponsor").then(|| ("sponsor".to_string(), "Sponsor's handle"))), true)
        }
        Failed::OwnTime(_, e) => (error_links(e, |f| time_field(f, "own-")), true),
        Failed::MemberTime(_, e) => (error_links(e, |f| time_field(f, "member-")), true),
        Failed::Budget(_, e) => (
            error_links(e, |f| {
                let label = match f {
                    "title" => "Title",
                    "period" => "Period",
                    "requested" => "Requested",
                    "granted" => "Granted",
                    "spent" => "Spent",
                    "note" => "Note",
                    _ => return None,
                };
                Some((format!("line-{f}"), label))
            }),
            true,
        ),
        Failed::Line(id, _, e) => (
            error_links(e, |f| match f {
                "spent" => Some((format!("spent-{id}"), "Spent")),
                "granted" => Some((format!("granted-{id}"), "Granted")),
                _ => None,
            }),
            true,
        ),
    };
    let title = format!("Sponsor, time and budget · {}", page.community.name);
    let mut layout =
        layout(state, viewer, csrf, if has_errors { format!("Error: {title}") } else { title }, "communities");
    layout.notice = notice.and_then(notice_text).map(str::to_string);

    let time = page.time.as_ref();
    let (time_summary, time_total, time_average) = match time {
        Some(t) => (
            format!(
                "{} of {} granted time for this community.",
                format::count(t.allocations.len() as i64, "member", "members"),
                format::count(t.active_members, "active member", "active members")
            ),
            format!("{} a month", hours(t.total_hours)),
            format!("{} a month", hours_f(t.average_hours)),
        ),
        None => Default::default(),
    };
    let mut t = OrganizationTemplate {
        layout,
        error_links: links,
        slug: page.community.slug.clone(),
        community_name: page.community.name.clone(),
        sponsor: page.sponsor.as_ref().map(person_link),
        involvement: page.involvement.as_ref().map(|i| involvement_view(i, zone)),
        viewer_is_sponsor: page.viewer_is_sponsor,
        can_set_sponsor: page.can_set_sponsor,
        sponsor_value: page.sponsor.as_ref().map(|s| s.handle.clone()).unwrap_or_default(),
        sponsor_errors: FieldErrors::new(),
        can_view_side: page.can_view_side,
        show_own: page.can_record_own,
        own: page.own_allocation.as_ref().map(|a| allocation_row(a, zone)),
        own_values: TimeValues {
            handle: String::new(),
            hours: page.own_allocation.as_ref().map(|a| a.hours_per_month.to_string()).unwrap_or_default(),
            granted_by: page.own_allocation.as_ref().map(|a| a.granted_by.clone()).unwrap_or_default(),
        },
        own_errors: FieldErrors::new(),
        can_record_any: page.can_record_any && page.can_view_side,
        member_values: TimeValues::default(),
        member_errors: FieldErrors::new(),
        allocations: time.map(|t| t.allocations.iter().map(|a| allocation_row(a, zone)).collect()).unwrap_or_default(),
        time_summary,
        time_total,
        time_average,
        can_manage_budget: page.can_manage_budget && page.can_view_side,
        can_grant: page.can_grant,
        budget_values: BudgetValues::default(),
        budget_errors: FieldErrors::new(),
        budget_open: false,
        totals: page
            .budget
            .as_ref()
            .map(|b| b.totals.iter().map(|t| totals_row(t, currency)).collect())
            .unwrap_or_default(),
        lines: page
            .budget
            .as_ref()
            .map(|b| b.lines.iter().map(|l| line_row(l, currency, &failed)).collect())
            .unwrap_or_default(),
        currency: currency.to_string(),
    };
    match failed {
        Failed::None | Failed::Line(..) => {}
        Failed::Sponsor(value, errors) => {
            t.sponsor_value = value;
            t.sponsor_errors = errors;
        }
        Failed::OwnTime(values, errors) => {
            t.own_values = values;
            t.own_errors = errors;
        }
        Failed::MemberTime(values, errors) => {
            t.member_values = values;
            t.member_errors = errors;
        }
        Failed::Budget(values, errors) => {
            t.budget_values = values;
            t.budget_errors = errors;
            t.budget_open = true;
        }
    }
    t
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

/// `GET /communities/{slug}/organization`.
pub async fn show_organization(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.organization_page(&viewer, &slug).await {
        Ok(page) => render_status(
            StatusCode::OK,
            &organization_template(&state, &viewer, &csrf, &page, Failed::None, query.notice.as_deref()),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// Re-renders the organization page with a failed form (422), or answers
/// the error as a page when it is not about the form's fields.
async fn rerender(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    error: AppError,
    failed: Failed,
) -> Response {
    if !matches!(error, AppError::Invalid(_)) {
        return PageError::from(error).into_response();
    }
    match state.app.organization_page(viewer, slug).await {
        Ok(page) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &organization_template(state, viewer, csrf, &page, failed, None),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

fn invalid(error: &AppError) -> FieldErrors {
    match error {
        AppError::Invalid(errors) => errors.clone(),
        _ => FieldErrors::new(),
    }
}

fn go(slug: &str, notice: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/communities/{slug}/organization?notice={notice}#{anchor}")).into_response()
}

#[derive(Deserialize)]
pub struct SponsorForm {
    #[serde(default)]
    sponsor: String,
}

/// `POST /communities/{slug}/organization/sponsor` (facilitators and admins).
pub async fn set_sponsor(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<SponsorForm>,
) -> Response {
    match state.app.set_sponsor(&viewer, &slug, &form.sponsor).await {
        Ok(Some(_)) => go(&slug, "sponsor", "sponsor-h"),
        Ok(None) => go(&slug, "sponsor-cleared", "sponsor-h"),
        Err(error) => {
            let errors = invalid(&error);
            rerender(&state, &viewer, &csrf, &slug, error, Failed::Sponsor(form.sponsor, errors)).await
        }
    }
}

#[derive(Deserialize)]
pub struct TimeForm {
    /// Present (possibly empty) only on the facilitators' form.
    handle: Option<String>,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    granted_by: String,
}

/// `POST /communities/{slug}/organization/time`: one's own allocation, or
/// (facilitators, with `handle`) a member's.
pub async fn record_time(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<TimeForm>,
) -> Response {
    let for_member = form.handle.is_some();
    let input = TimeAllocationInput {
        handle: form.handle.clone().unwrap_or_default(),
        hours: form.hours.clone(),
        granted_by: form.granted_by.clone(),
    };
    match state.app.record_time_allocation(&viewer, &slug, &input).await {
        Ok(saved) => {
            let notice = match (for_member, saved.is_some()) {
                (false, true) => "time",
                (false, false) => "time-cleared",
                (true, true) => "time-member",
                (true, false) => "time-member-cleared",
            };
            go(&slug, notice, if for_member { "time-h" } else { "own-h" })
        }
        Err(error) => {
            let errors = invalid(&error);
            let values = TimeValues { handle: input.handle, hours: input.hours, granted_by: input.granted_by };
            let failed = if for_member { Failed::MemberTime(values, errors) } else { Failed::OwnTime(values, errors) };
            rerender(&state, &viewer, &csrf, &slug, error, failed).await
        }
    }
}

#[derive(Deserialize)]
pub struct BudgetForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    requested: String,
    #[serde(default)]
    granted: String,
    #[serde(default)]
    spent: String,
    #[serde(default)]
    note: String,
}

/// `POST /communities/{slug}/organization/budget` (facilitators and admins).
pub async fn add_budget_line(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<BudgetForm>,
) -> Response {
    let input = BudgetLineInput {
        title: form.title,
        period: form.period,
        requested: form.requested,
        granted: form.granted,
        spent: form.spent,
        note: form.note,
    };
    match state.app.add_budget_line(&viewer, &slug, &input).await {
        Ok(line) => go(&slug, if line.overspent { "budget-over" } else { "budget-line" }, &format!("line-{}", line.id)),
        Err(error) => {
            let errors = invalid(&error);
            let values = BudgetValues {
                title: input.title,
                period: input.period,
                requested: input.requested,
                granted: input.granted,
                spent: input.spent,
                note: input.note,
            };
            rerender(&state, &viewer, &csrf, &slug, error, Failed::Budget(values, errors)).await
        }
    }
}

/// `POST /communities/{slug}/organization/budget/{id}`: `spent`
/// (facilitators) or `granted` (administrators).
pub async fn update_budget_line(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return PageError::from(AppError::NotFound("budget line")).into_response();
    };
    let update = BudgetLineUpdate { spent: form.get("spent").cloned(), granted: form.get("granted").cloned() };
    match state.app.update_budget_line(&viewer, Some(&slug), id, &update).await {
        Ok(line) => go(&slug, if line.overspent { "budget-over" } else { "budget-saved" }, &format!("line-{id}")),
        Err(error) => {
            let errors = invalid(&error);
            rerender(&state, &viewer, &csrf, &slug, error, Failed::Line(id, update, errors)).await
        }
    }
}

// --- the sponsor report -----------------------------------------------------

struct Figure {
    label: &'static str,
    value: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "organization_report.html")]
struct ReportTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    domain: String,
    stage: &'static str,
    stage_word: &'static str,
    generated: String,
    window_days: i64,
    sponsor: Option<PersonLink>,
    involvement: Option<InvolvementView>,
    figures: Vec<Figure>,
    participation: Vec<(&'static str, &'static str, i64)>,
    survey: Option<Figure>,
    survey_note: String,
    time_total: String,
    time_detail: String,
    totals: Vec<TotalsRow>,
}

fn report_template(state: &WebState, viewer: &Viewer, csrf: &str, r: &SponsorReport) -> ReportTemplate {
    let zone = viewer.time_zone;
    let a = &r.activity;
    let average = if r.sessions_held > 0 { r.attendances as f64 / r.sessions_held as f64 } else { 0.0 };
    let figures = vec![
        Figure {
            label: "Members",
            value: r.community.member_count.to_string(),
            detail: format!("{} core and {} active in the last 90 days", r.participation.core, r.participation.active),
        },
        Figure {
            label: "Sessions held",
            value: r.sessions_held.to_string(),
            detail: if r.sessions_held > 0 {
                format!("{} attendances, {:.1} a session", r.attendances, average)
            } else {
                "none in this period".into()
            },
        },
        Figure {
            label: "Questions solved",
            value: a.questions_solved.to_string(),
            detail: format!("of {} asked", a.questions_asked),
        },
        Figure {
            label: "Time saved",
            value: hours_f(a.minutes_saved as f64 / 60.0),
            detail: "as people recorded it on answers".into(),
        },
        Figure {
            label: "Artifacts published",
            value: a.artifacts_published.to_string(),
            detail: format!("{} new in this period", a.artifacts_published_recently),
        },
        Figure {
            label: "Kudos given",
            value: a.kudos.to_string(),
            detail: "thanks between members in this community".into(),
        },
    ];
    let p = &r.participation;
    let (survey, survey_note) = match &r.survey {
        Some(s) => (
            Some(Figure {
                label: "Latest pulse survey",
                value: percent(s.response_rate),
                detail: format!(
                    "response rate for “{}” ({} of {}, {} {})",
                    s.title,
                    s.responses,
                    s.audience,
                    if s.open { "open since" } else { "opened" },
                    format::date(s.opened_at, zone)
                ),
            }),
            match s.satisfaction {
                Some(mean) => format!("Satisfaction: {mean:.1} out of 5."),
                None => format!(
                    "Satisfaction is shown from {} responses, so nobody can be identified.",
                    copse_app::SURVEY_RESULTS_FLOOR
                ),
            },
        ),
        None => (None, String::new()),
    };
    ReportTemplate {
        layout: layout(state, viewer, csrf, format!("Sponsor report · {}", r.community.name), "communities"),
        slug: r.community.slug.clone(),
        community_name: r.community.name.clone(),
        domain: r.community.domain.clone(),
        stage: r.community.stage.label(),
        stage_word: r.community.stage.as_str(),
        generated: format::date(r.generated_at, zone),
        window_days: r.window_days,
        sponsor: r.sponsor.as_ref().map(person_link),
        involvement: r.involvement.as_ref().map(|i| involvement_view(i, zone)),
        figures,
        participation: vec![
            ("core", "Core", p.core),
            ("active", "Active", p.active),
            ("peripheral", "Peripheral", p.peripheral),
            ("inactive", "Inactive", p.inactive),
        ],
        survey,
        survey_note,
        time_total: format!("{} a month", hours(r.time.total_hours)),
        time_detail: format!(
            "granted to {} of {}",
            format::count(r.time.allocations.len() as i64, "member", "members"),
            r.time.active_members
        ),
        totals: r.budget.totals.iter().map(|t| totals_row(t, &r.currency)).collect(),
    }
}

/// `GET /communities/{slug}/report`: each view is recorded as a read.
pub async fn show_report(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.sponsor_report(&viewer, &slug).await {
        Ok(report) => render_status(StatusCode::OK, &report_template(&state, &viewer, &csrf, &report)),
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- the portfolio ----------------------------------------------------------

struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
    /// `aria-sort` value on the current column.
    order: &'static str,
}

struct PortfolioRowView {
    slug: String,
    name: String,
    stage: &'static str,
    stage_word: &'static str,
    visibility: Option<&'static str>,
    membership: Option<&'static str>,
    members: i64,
    sponsor: Option<(String, String)>,
    hours: Option<String>,
    hours_detail: String,
    granted: Option<String>,
    spent: Option<String>,
    overspent: bool,
    goals: Vec<String>,
    /// (word for the CSS class, label), `None` before the first check.
    health: Option<(String, String)>,
    alerts: String,
    /// "3 solved", then "2 artifacts, 1 story, 12 active" over the last 90 days.
    value: String,
    active: String,
    /// The stage the data supports, when it differs from the recorded one.
    suggested: Option<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "organization_portfolio.html")]
struct PortfolioTemplate {
    layout: Layout,
    year: i32,
    rows: Vec<PortfolioRowView>,
    columns: Vec<SortLink>,
    summary: String,
    without_sponsor: usize,
    totals: String,
    money_columns: bool,
    some_hidden: bool,
    sort_label: &'static str,
}

fn sort_label(sort: PortfolioSort) -> &'static str {
    match sort {
        PortfolioSort::Name => "Community",
        PortfolioSort::Stage => "Stage",
        PortfolioSort::Members => "Members",
        PortfolioSort::Hours => "Hours a month",
        PortfolioSort::Budget => "Budget",
        PortfolioSort::Health => "Health",
        PortfolioSort::Value => "Value (90 days)",
    }
}

fn portfolio_template(state: &WebState, viewer: &Viewer, csrf: &str, p: &PortfolioPage) -> PortfolioTemplate {
    let currency = p.currency.as_str();
    // Without any community whose time and budget the viewer may see,
    // those columns (and their totals) would be dashes only: leave them out.
    let money_columns = p.entries.iter().any(|e| e.org_side_visible);
    let columns = PortfolioSort::ALL
        .iter()
        .filter(|s| money_columns || !matches!(s, PortfolioSort::Hours | PortfolioSort::Budget))
        .map(|s| SortLink {
            label: sort_label(*s),
            href: format!("/organization?sort={}", s.as_str()),
            current: *s == p.sort,
            order: match s {
                PortfolioSort::Name | PortfolioSort::Stage => "ascending",
                _ => "descending",
            },
        })
        .collect();
    let rows = p
        .entries
        .iter()
        .map(|e| PortfolioRowView {
            slug: e.slug.clone(),
            name: e.name.clone(),
            stage: e.stage.label(),
            stage_word: e.stage.as_str(),
            visibility: (e.visibility != Visibility::Open).then(|| e.visibility.label()),
            membership: membership_label(e.membership)
                .filter(|_| e.membership.is_some_and(|(_, s)| s == MembershipStatus::Active)),
            members: e.member_count,
            sponsor: e.sponsor.as_ref().map(|s| (s.handle.clone(), s.name.clone())),
            hours: e.hours.map(|h| format!("{} a month", hours(h))),
            hours_detail: e
                .allocated_members
                .filter(|n| *n > 0)
                .map(|n| format::count(n, "member", "members"))
                .unwrap_or_default(),
            granted: e.granted_cents.map(|g| money(g, currency)),
            spent: e.spent_cents.map(|s| money(s, currency)),
            overspent: e.granted_cents.zip(e.spent_cents).is_some_and(|(g, s)| s > g && g > 0),
            goals: e.goals.iter().map(|(_, t)| t.clone()).collect(),
            health: e.health.as_ref().map(|h| (h.replace(' ', "-"), capitalize(h))),
            alerts: if e.health.is_some() {
                format::count(e.open_alerts, "open alert", "open alerts")
            } else {
                String::new()
            },
            value: format!("{} solved", e.problems_solved_90d),
            active: format!(
                "{}, {}, {} active",
                format::count(e.artifacts_90d, "artifact", "artifacts"),
                format::count(e.stories_90d, "story", "stories"),
                e.active_90d
            ),
            suggested: e.suggested_stage.filter(|s| *s != e.stage).map(|s| (s.label(), s.as_str())),
        })
        .collect();
    let stage_counts: Vec<String> = Stage::ALL
        .iter()
        .filter_map(|s| {
            let n = p.entries.iter().filter(|e| e.stage == *s).count();
            (n > 0).then(|| format!("{n} {}", s.label().to_lowercase()))
        })
        .collect();
    PortfolioTemplate {
        layout: layout(state, viewer, csrf, "Portfolio".into(), "communities"),
        year: p.year,
        rows,
        columns,
        summary: format!(
            "{}: {}.",
            format::count(p.entries.len() as i64, "community", "communities"),
            stage_counts.join(", ")
        ),
        without_sponsor: p.without_sponsor,
        totals: if money_columns {
            format!(
                "{}{} a month granted for community work; {} budget: {} granted, {} spent.",
                if p.some_hidden { "In the communities you sponsor or facilitate: " } else { "" },
                hours(p.total_hours),
                p.year,
                money(p.total_granted_cents, currency),
                money(p.total_spent_cents, currency)
            )
        } else {
            String::new()
        },
        money_columns,
        some_hidden: p.some_hidden,
        sort_label: sort_label(p.sort),
    }
}

#[derive(Deserialize)]
pub struct PortfolioQuery {
    #[serde(default)]
    sort: String,
}

/// `GET /organization?sort=name|stage|members|hours|budget`.
pub async fn show_portfolio(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<PortfolioQuery>,
) -> Response {
    match state.app.portfolio(&viewer, &query.sort).await {
        Ok(page) => render_status(StatusCode::OK, &portfolio_template(&state, &viewer, &csrf, &page)),
        Err(error) => PageError::from(error).into_response(),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

// --- organizational goals ---------------------------------------------------

struct GoalCommunityView {
    slug: String,
    name: String,
    stage: &'static str,
    stage_word: &'static str,
    texts: Vec<String>,
}

struct GoalView {
    id: i64,
    title: String,
    description: String,
    communities: Vec<GoalCommunityView>,
}

#[derive(Template)]
#[template(path = "organization_goals.html")]
struct GoalsTemplate {
    layout: Layout,
    error_links: Vec<ErrorLink>,
    goals: Vec<GoalView>,
    can_add: bool,
    title: String,
    description: String,
    errors: FieldErrors,
}

fn goals_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &GoalsPage,
    form: Option<(GoalForm, FieldErrors)>,
    notice: Option<&str>,
) -> GoalsTemplate {
    let (values, errors) = form.unwrap_or_default();
    let title =
        if errors.is_empty() { "Organizational goals".to_string() } else { "Error: Organizational goals".into() };
    let mut layout = layout(state, viewer, csrf, title, "communities");
    layout.notice = notice.and_then(notice_text).map(str::to_string);
    GoalsTemplate {
        layout,
        error_links: error_links(&errors, |f| match f {
            "title" => Some(("goal-title".into(), "Title")),
            "description" => Some(("goal-description".into(), "Description")),
            _ => None,
        }),
        goals: page
            .goals
            .iter()
            .map(|g| GoalView {
                id: g.id.0,
                title: g.title.clone(),
                description: g.description.clone(),
                communities: g
                    .communities
                    .iter()
                    .map(|c| GoalCommunityView {
                        slug: c.slug.clone(),
                        name: c.name.clone(),
                        stage: c.stage.label(),
                        stage_word: c.stage.as_str(),
                        texts: c.goal_texts.clone(),
                    })
                    .collect(),
            })
            .collect(),
        can_add: page.can_add,
        title: values.title,
        description: values.description,
        errors,
    }
}

/// `GET /organization/goals`.
pub async fn show_goals(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.goals_page(&viewer).await {
        Ok(page) => {
            render_status(StatusCode::OK, &goals_template(&state, &viewer, &csrf, &page, None, query.notice.as_deref()))
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct GoalForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// `POST /organization/goals` (administrators).
pub async fn add_goal(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<GoalForm>,
) -> Response {
    match state.app.add_org_goal(&viewer, &form.title, &form.description).await {
        Ok(id) => Redirect::to(&format!("/organization/goals?notice=goal#goal-{}", id.0)).into_response(),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let errors = match &error {
                AppError::Invalid(e) => e.clone(),
                AppError::Conflict { field, message } => {
                    FieldErrors::single(if field.is_empty() { "title" } else { field }, message.clone())
                }
                _ => FieldErrors::new(),
            };
            let status = crate::error::status_of(&error);
            match state.app.goals_page(&viewer).await {
                Ok(page) => {
                    render_status(status, &goals_template(&state, &viewer, &csrf, &page, Some((form, errors)), None))
                }
                Err(error) => PageError::from(error).into_response(),
            }
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_cents_only_when_there_are_some() {
        assert_eq!(money(120_000, "EUR"), "€1,200");
        assert_eq!(money(120_050, "EUR"), "€1,200.50");
        assert_eq!(money(5, "USD"), "$0.05");
        assert_eq!(money(12_345_678_900, "CHF"), "CHF 123,456,789");
        assert_eq!(money(-2_500, "GBP"), "−£25");
        assert_eq!(amount_input(120_050), "1200.50");
        assert_eq!(amount_input(30_000), "300");
        assert_eq!(hours_f(4.25), "4.3 h");
        assert_eq!(hours_f(8.0), "8 h");
    }
}
