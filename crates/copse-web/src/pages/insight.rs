//! Health pages: a community's metrics, stage evidence, diagnosis and
//! alerts (`/communities/{slug}/health`), acknowledging an alert, accepting
//! a stage suggestion, and the admin's detector thresholds
//! (`/admin/diagnosis`).
//!
//! Every figure is a `copse_insight::Measure`: a missing one reads "Not
//! enough data: <why>", never NaN. Charts are server-rendered SVG
//! ([`crate::charts`]).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::{AlertView, AppError, HealthPage, ThresholdView, Viewer};
use copse_domain::{AlertStatus, Challenge, FieldErrors, Stage};
use copse_insight::Measure;
use copse_insight::diagnosis::{EvidenceChart, Finding, StepLink, Verdict};
use copse_insight::metrics::{CommunityMetrics, PeriodKind, PeriodMetrics};
use copse_insight::stage::StageSuggestion;
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{ErrorLink, Layout, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::charts::{self, Bar, Chart, TrendPoint, Unit};
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/health", get(show_health))
        .route("/communities/{slug}/alerts/{id}/acknowledge", post(acknowledge))
        .route("/communities/{slug}/stage/accept-suggestion", post(accept_suggestion))
        .route("/admin/diagnosis", get(show_thresholds).post(save_threshold))
}

fn layout(org: &str, viewer: &Viewer, csrf: &str, title: String) -> Layout {
    Layout::new(title, org, Some(viewer), csrf, "communities")
}

// --- shared formatting (the value report uses these too) ------------------

const EPOCH_DAYS_CE: i32 = 719_163;

fn date_of_day(day: i64) -> Option<chrono::NaiveDate> {
    i32::try_from(day)
        .ok()
        .and_then(|d| d.checked_add(EPOCH_DAYS_CE))
        .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
}

/// "8 Sep", "Oct 2026", "Q4 2026": a period's short label.
pub(super) fn period_label(p: &PeriodMetrics) -> String {
    let Some(date) = date_of_day(p.period.start_day) else { return String::new() };
    match p.period.kind {
        PeriodKind::Week => date.format("%-d %b").to_string(),
        PeriodKind::Month => date.format("%b %Y").to_string(),
        PeriodKind::Quarter => {
            use chrono::Datelike;
            format!("Q{} {}", date.month0() / 3 + 1, date.year())
        }
    }
}

/// "October 2026".
pub(super) fn month_name(day: i64) -> String {
    date_of_day(day).map(|d| d.format("%B %Y").to_string()).unwrap_or_default()
}

/// A measure as text, or "Not enough data: <reason>".
pub(super) fn measure_text(m: &Measure, unit: Unit) -> String {
    match m {
        Measure::Value(v) if v.is_finite() => unit.format(*v),
        Measure::Value(_) => "Not enough data".into(),
        Measure::NotEnoughData(reason) => not_enough(reason),
    }
}

pub(super) fn not_enough(reason: &str) -> String {
    let reason = reason.trim().trim_end_matches('.');
    if reason.is_empty() { "Not enough data".into() } else { format!("Not enough data: {reason}") }
}

fn value_of(m: &Measure) -> Option<f64> {
    m.value().filter(|v| v.is_finite())
}

/// A headline figure: this month so far, with the change from last month.
pub(super) struct Figure {
    pub label: &'static str,
    pub value: String,
    /// The value is "not enough data" (smaller type).
    pub missing: bool,
    /// "▲ 3 from 5 in October 2026"
    pub change: String,
    /// better | worse | same | none
    pub change_class: &'static str,
    pub arrow: &'static str,
    pub detail: String,
}

fn figure(
    label: &'static str,
    current: Option<f64>,
    previous: Option<f64>,
    missing_reason: Option<&str>,
    unit: Unit,
    higher_is_better: bool,
    previous_label: &str,
) -> Figure {
    let (value, missing) = match current {
        Some(v) => (unit.format(v), false),
        None => (not_enough(missing_reason.unwrap_or("")), true),
    };
    let (arrow, change, change_class) = match (current, previous) {
        (Some(c), Some(p)) => {
            let delta = c - p;
            let same = match unit {
                Unit::Share => (delta * 100.0).round() == 0.0,
                _ => (delta * 10.0).round() == 0.0,
            };
            let shown = match unit {
                Unit::Share => format!("{} points", (delta.abs() * 100.0).round() as i64),
                _ => unit.format(delta.abs()),
            };
            if same {
                ("→", format!("same as {previous_label}"), "same")
            } else {
                let better = (delta > 0.0) == higher_is_better;
                (
                    if delta > 0.0 { "▲" } else { "▼" },
                    format!(
                        "{} {shown} from {} in {previous_label}",
                        if delta > 0.0 { "up" } else { "down" },
                        unit.format(p)
                    ),
                    if better { "better" } else { "worse" },
                )
            }
        }
        (_, None) => ("", format!("nothing to compare with in {previous_label}"), "none"),
        (None, Some(p)) => ("", format!("{} in {previous_label}", unit.format(p)), "none"),
    };
    Figure { label, value, missing, change, change_class, arrow, detail: String::new() }
}

fn count_figure(label: &'static str, cur: i64, prev: Option<i64>, previous_label: &str, higher: bool) -> Figure {
    figure(label, Some(cur as f64), prev.map(|p| p as f64), None, Unit::Count, higher, previous_label)
}

fn measure_figure(
    label: &'static str,
    cur: &Measure,
    prev: Option<&Measure>,
    unit: Unit,
    higher: bool,
    previous_label: &str,
) -> Figure {
    figure(label, value_of(cur), prev.and_then(value_of), cur.reason(), unit, higher, previous_label)
}

/// The figures of the month in progress against the month before, for a
/// section: activity, value or health.
pub(super) struct MonthFigures {
    pub current_label: String,
    pub previous_label: String,
    pub activity: Vec<Figure>,
    pub value: Vec<Figure>,
    pub health: Vec<Figure>,
}

pub(super) fn month_figures(m: &CommunityMetrics) -> MonthFigures {
    let current = m.months.last();
    let previous = m.months.len().checked_sub(2).and_then(|i| m.months.get(i));
    let previous_label = previous.map(|p| month_name(p.period.start_day)).unwrap_or_else(|| "the month before".into());
    let current_label = current.map(|c| month_name(c.period.start_day)).unwrap_or_default();
    let Some(c) = current else {
        return MonthFigures { current_label, previous_label, activity: vec![], value: vec![], health: vec![] };
    };
    let pl = previous_label.as_str();
    let mut active =
        count_figure("Active participants", c.active_participants, previous.map(|p| p.active_participants), pl, true);
    active.detail = match value_of(&c.active_share) {
        Some(s) => format!("{} of {} members", Unit::Share.format(s), c.members_at_end),
        None => measure_text(&c.active_share, Unit::Share),
    };
    let mut attendance = measure_figure(
        "Attendance rate",
        &c.attendance_rate,
        previous.map(|p| &p.attendance_rate),
        Unit::Share,
        true,
        pl,
    );
    attendance.detail = format!("{} attended of {} who said they were going", c.attended, c.said_going);
    let mut events = count_figure("Sessions held", c.events_held, previous.map(|p| p.events_held), pl, true);
    events.detail = format!("{} new and {} returning attendees", c.new_attendees, c.returning_attendees);
    let mut contributions = count_figure("Contributions", c.contributions, previous.map(|p| p.contributions), pl, true);
    contributions.detail =
        format!("{} to shared resources, {} in channels", c.shared_resource_contributions, c.channel_activity);
    let mut solved = count_figure("Problems solved", c.problems_solved, previous.map(|p| p.problems_solved), pl, true);
    solved.detail = format!("median time to solution {}", measure_text(&c.median_hours_to_solution, Unit::Hours));
    let mut saved = figure(
        "Time saved",
        Some(c.minutes_saved as f64 / 60.0),
        previous.map(|p| p.minutes_saved as f64 / 60.0),
        None,
        Unit::Hours,
        true,
        pl,
    );
    saved.detail = "as people recorded it on answers".into();
    let mut artifacts =
        count_figure("Artifacts created", c.artifacts_created, previous.map(|p| p.artifacts_created), pl, true);
    artifacts.detail = format!(
        "{} reuses by {} people, {} from outside the author's team",
        c.reuse_events, c.distinct_reusers, c.reuse_outside_author_team
    );
    let mut improvements = count_figure("Improvements", c.improvements, previous.map(|p| p.improvements), pl, true);
    improvements.detail =
        format!("value stories and accepted proposals; {} people developed a skill", c.people_with_skills_developed);
    let mut response =
        measure_figure("Response rate", &c.response_rate, previous.map(|p| &p.response_rate), Unit::Share, true, pl);
    response.detail = format!("of {} asked", format::count(c.questions_asked, "question", "questions"));
    let first = measure_figure(
        "Time to first response",
        &c.median_hours_to_first_response,
        previous.map(|p| &p.median_hours_to_first_response),
        Unit::Hours,
        false,
        pl,
    );
    let mut reciprocity =
        measure_figure("Reciprocity", &c.reciprocity, previous.map(|p| &p.reciprocity), Unit::Share, true, pl);
    reciprocity.detail = "of active participants both asked and answered".into();
    MonthFigures {
        current_label,
        previous_label,
        activity: vec![active, events, attendance, contributions],
        value: vec![solved, saved, artifacts, improvements],
        health: vec![response, first, reciprocity],
    }
}

/// A chart with its heading and a line under it.
pub(super) struct ChartBlock {
    pub heading: String,
    pub chart: Chart,
    pub note: String,
}

pub(super) fn trend_of(
    id: &str,
    title: &str,
    periods: &[PeriodMetrics],
    unit: Unit,
    value: impl Fn(&PeriodMetrics) -> Option<f64>,
) -> Chart {
    let points: Vec<TrendPoint> = periods.iter().map(|p| TrendPoint::new(period_label(p), value(p))).collect();
    charts::trend(id, title, &points, unit)
}

fn block(heading: &str, chart: Chart, note: impl Into<String>) -> ChartBlock {
    ChartBlock { heading: heading.to_string(), chart, note: note.into() }
}

pub(super) fn evidence_chart(id: &str, c: &EvidenceChart) -> Chart {
    let unit = Unit::Suffix(c.unit);
    if c.style == "trend" {
        let points: Vec<TrendPoint> = c.points.iter().map(|(l, v)| TrendPoint::new(l.clone(), Some(*v))).collect();
        charts::trend(id, &c.title, &points, unit)
    } else {
        let rows: Vec<Bar> = c.points.iter().map(|(l, v)| Bar::new(l.clone(), Some(*v))).collect();
        charts::bars(id, &c.title, &rows, unit, (c.unit == "%").then_some(100.0))
    }
}

/// A stage badge: (label, word for the CSS class).
pub(super) fn stage_badge(stage: Stage) -> (&'static str, &'static str) {
    (stage.label(), stage.as_str())
}

// --- the health page --------------------------------------------------------

struct StepView {
    text: String,
    href: Option<String>,
}

fn step_href(slug: &str, link: &StepLink) -> String {
    match link {
        StepLink::MeetingPlanner => format!("/communities/{slug}/planner"),
        StepLink::FacilitationRota => format!("/communities/{slug}/rota"),
        StepLink::EditCharter => format!("/communities/{slug}/edit"),
        StepLink::NewSurvey => format!("/communities/{slug}/surveys#new-h"),
        StepLink::NewEvent => format!("/communities/{slug}/events/new"),
        StepLink::NewThread => format!("/communities/{slug}/discussions/new"),
        StepLink::NewCommunity => "/communities/new".into(),
        StepLink::ValueReport => format!("/communities/{slug}/value-report"),
        StepLink::OrganizationSide => format!("/communities/{slug}/organization"),
        StepLink::Unanswered => format!("/communities/{slug}/discussions/unanswered"),
        StepLink::Thread(id) => format!("/threads/{id}"),
        StepLink::Artifact(id) => format!("/artifacts/{id}"),
        StepLink::Person(handle) => format!("/people/{handle}"),
    }
}

struct FindingView {
    word: &'static str,
    name: &'static str,
    /// detected | clear | unknown
    verdict: &'static str,
    verdict_label: &'static str,
    symptom: String,
    evidence: Vec<String>,
    chart: Option<Chart>,
    steps: Vec<StepView>,
    solutions: &'static str,
    symptoms: &'static str,
}

fn finding_view(slug: &str, f: &Finding) -> FindingView {
    let (verdict, verdict_label) = match &f.verdict {
        Verdict::Detected => ("detected", "Detected"),
        Verdict::Clear => ("clear", "Clear"),
        Verdict::NotEnoughData(_) => ("unknown", "Not enough data"),
    };
    FindingView {
        word: f.challenge.as_str(),
        name: f.challenge.label(),
        verdict,
        verdict_label,
        symptom: f.symptom.clone(),
        evidence: f.evidence.clone(),
        chart: f
            .chart
            .as_ref()
            .filter(|c| !c.points.is_empty())
            .map(|c| evidence_chart(&format!("ev-{}", f.challenge.as_str()), c)),
        steps: f
            .next_steps
            .iter()
            .map(|s| StepView { text: s.text.clone(), href: s.link.as_ref().map(|l| step_href(slug, l)) })
            .collect(),
        solutions: f.challenge.solutions(),
        symptoms: f.challenge.symptoms(),
    }
}

struct AlertRow {
    id: i64,
    name: &'static str,
    status: &'static str,
    status_label: &'static str,
    symptom: String,
    opened: String,
    opened_iso: String,
    acknowledged: Option<String>,
    note: String,
    resolved: Option<String>,
    can_acknowledge: bool,
    note_value: String,
    note_error: Option<String>,
}

fn alert_row(a: &AlertView, viewer: &Viewer, can_manage: bool, failed: &Option<(i64, String, String)>) -> AlertRow {
    let zone = viewer.time_zone;
    let (note_value, note_error) = match failed {
        Some((id, value, error)) if *id == a.id => (value.clone(), Some(error.clone())),
        _ => (String::new(), None),
    };
    AlertRow {
        id: a.id,
        name: a.challenge.label(),
        status: a.status.as_str(),
        status_label: a.status.label(),
        symptom: a.symptom.clone(),
        opened: format::date(a.opened_at, zone),
        opened_iso: format::rfc3339(a.opened_at),
        acknowledged: a.acknowledged_at.map(|at| match &a.acknowledged_by {
            Some(p) => format!("Acknowledged by {} on {}", p.name, format::date(at, zone)),
            None => format!("Acknowledged on {}", format::date(at, zone)),
        }),
        note: a.note.clone(),
        resolved: a.resolved_at.map(|at| format!("Resolved on {}: the measure recovered", format::date(at, zone))),
        can_acknowledge: can_manage && a.status == AlertStatus::Open,
        note_value,
        note_error,
    }
}

struct LevelLegend {
    word: &'static str,
    label: &'static str,
    count: i64,
}

struct DiversityRow {
    dimension: String,
    active: String,
    members: String,
}

struct CohortRow {
    month: String,
    joined: i64,
    month_1: String,
    month_3: String,
}

#[derive(Template)]
#[template(path = "health.html")]
struct HealthTemplate {
    layout: Layout,
    slug: String,
    name: String,
    computed: String,
    recorded_stage: (&'static str, &'static str),
    suggested_stage: (&'static str, &'static str),
    stage_differs: bool,
    stage_summary: String,
    stage_reasons: Vec<String>,
    can_accept: bool,
    can_view_report: bool,
    can_view_diagnosis: bool,
    detected: Vec<(&'static str, &'static str)>,
    findings: Vec<FindingView>,
    alerts: Vec<AlertRow>,
    ack_error: Option<String>,
    current_label: String,
    previous_label: String,
    /// The figures, charts and tables: see [`HealthFiguresTemplate`].
    figures_html: Arc<str>,
}

/// The part of the health page that depends on the community's metrics
/// alone (not on the viewer): rendered once per computation.
#[derive(Template)]
#[template(path = "health_figures.html")]
struct HealthFiguresTemplate {
    slug: String,
    figures: MonthFigures,
    activity_charts: Vec<ChartBlock>,
    value_charts: Vec<ChartBlock>,
    health_charts: Vec<ChartBlock>,
    levels_chart: Chart,
    levels_legend: Vec<LevelLegend>,
    levels_verdict: String,
    lorenz_chart: Chart,
    inequality: Vec<(&'static str, String)>,
    inequality_period: String,
    diversity: Vec<DiversityRow>,
    leadership: Vec<(&'static str, String)>,
    cohorts: Vec<CohortRow>,
    regions_chart: Option<Chart>,
    satisfaction: String,
    survey_rate: String,
}

/// Rendered figure fragments per community, each kept with the metrics it
/// was rendered from: the app hands out the same `Arc` while its cache
/// holds the computation, so pointer equality means "still current" (and
/// holding the `Arc` keeps its address from being reused). Charts and tables
/// are most of a health page's rendering cost; this makes a cached page
/// cost little more than the community page.
#[derive(Default)]
pub struct HealthFragments {
    entries: std::sync::Mutex<std::collections::HashMap<i64, RenderedFigures>>,
}

/// A rendered fragment and the metrics it was rendered from.
type RenderedFigures = (Arc<CommunityMetrics>, Arc<str>);

/// Communities whose fragment is kept; past it the map starts over.
const FRAGMENTS_KEPT: usize = 512;

impl HealthFragments {
    fn get_or_render(&self, community: i64, slug: &str, metrics: &Arc<CommunityMetrics>) -> Arc<str> {
        if let Ok(entries) = self.entries.lock()
            && let Some((kept, html)) = entries.get(&community)
            && Arc::ptr_eq(kept, metrics)
        {
            return html.clone();
        }
        let html: Arc<str> = figures_template(slug, metrics)
            .render()
            .unwrap_or_else(|e| format!("<p class=\"empty\">The figures could not be shown: {e}</p>"))
            .into();
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= FRAGMENTS_KEPT {
                entries.clear();
            }
            entries.insert(community, (metrics.clone(), html.clone()));
        }
        html
    }
}

fn challenge_pair(c: &Challenge) -> (&'static str, &'static str) {
    (c.as_str(), c.label())
}

fn health_template(
    org: &str,
    viewer: &Viewer,
    csrf: &str,
    page: &HealthPage,
    notice: Option<&str>,
    failed: Option<(i64, String, String)>,
    fragments: &HealthFragments,
) -> HealthTemplate {
    let c = &page.community;
    let m = &*page.metrics;
    let s: &StageSuggestion = &page.stage;
    let title = if failed.is_some() { format!("Error: Health · {}", c.name) } else { format!("Health · {}", c.name) };
    let mut layout = layout(org, viewer, csrf, title);
    layout.notice = notice.and_then(|code| match code {
        "acknowledged" => Some("The alert is acknowledged. It stays listed until the measure recovers.".to_string()),
        "stage" => Some(format!("The stage is now {} and recorded in the stage history.", c.stage.label())),
        _ => None,
    });
    let previous_label;
    let findings: Vec<FindingView> = {
        // Detected first, then the ones that cannot be judged, then clear.
        let mut list: Vec<&Finding> = page.findings.iter().collect();
        list.sort_by_key(|f| match f.verdict {
            Verdict::Detected => 0,
            Verdict::NotEnoughData(_) => 1,
            Verdict::Clear => 2,
        });
        list.into_iter().map(|f| finding_view(&c.slug, f)).collect()
    };
    HealthTemplate {
        layout,
        slug: c.slug.clone(),
        name: c.name.clone(),
        computed: format!(
            "{}, {}",
            format::date(page.computed_at, viewer.time_zone),
            format::time(page.computed_at, viewer.time_zone)
        ),
        recorded_stage: stage_badge(c.stage),
        suggested_stage: stage_badge(s.stage),
        stage_differs: s.stage != c.stage,
        stage_summary: s.summary.clone(),
        stage_reasons: s.reasons.clone(),
        can_accept: page.can_manage_alerts && s.stage != c.stage,
        can_view_report: page.can_view_report,
        can_view_diagnosis: page.can_view_diagnosis,
        detected: page.detected.iter().map(challenge_pair).collect(),
        findings,
        alerts: page.alerts.iter().map(|a| alert_row(a, viewer, page.can_manage_alerts, &failed)).collect(),
        ack_error: failed.as_ref().map(|(_, _, e)| e.clone()),
        current_label: {
            let figures = month_figures(m);
            previous_label = figures.previous_label;
            figures.current_label
        },
        previous_label,
        figures_html: fragments.get_or_render(c.id.0, &c.slug, &page.metrics),
    }
}

fn figures_template(slug: &str, m: &CommunityMetrics) -> HealthFiguresTemplate {
    let weeks = &m.weeks;
    let months = &m.months;
    let activity_charts = vec![
        block(
            "Active participants per week",
            trend_of("tr-active-week", "Active participants per week", weeks, Unit::Count, |p| {
                Some(p.active_participants as f64)
            }),
            "People with at least one contribution in the week (members or not). The last week is still in progress.",
        ),
        block(
            "Active participants per month",
            trend_of("tr-active-month", "Active participants per month", months, Unit::Count, |p| {
                Some(p.active_participants as f64)
            }),
            "The last month is still in progress.",
        ),
        block(
            "Attendance rate per month",
            trend_of("tr-attendance", "Attendance rate per month", months, Unit::Share, |p| {
                value_of(&p.attendance_rate)
            }),
            "Attended out of those who said they were going; gaps are months without sessions.",
        ),
        block(
            "Contributions per month",
            trend_of("tr-contrib", "Contributions per month", months, Unit::Count, |p| Some(p.contributions as f64)),
            "Posts, answers, artifact versions, attendance and the like (RSVPs not counted).",
        ),
    ];
    let value_charts = vec![
        block(
            "Problems solved per month",
            trend_of("tr-solved", "Problems solved per month", months, Unit::Count, |p| Some(p.problems_solved as f64)),
            "Accepted answers.",
        ),
        block(
            "Artifacts created per month",
            trend_of("tr-artifacts", "Artifacts created per month", months, Unit::Count, |p| {
                Some(p.artifacts_created as f64)
            }),
            "New pieces in the practice repository.",
        ),
    ];
    let health_charts = vec![block(
        "Median time to first response",
        trend_of("tr-first-response", "Median hours to first response per month", months, Unit::Hours, |p| {
            value_of(&p.median_hours_to_first_response)
        }),
        "Hours from a question to the first reply by someone else; gaps are months without answered questions.",
    )];
    let l = &m.levels;
    let quarter = m.quarters.last();
    let inequality_period =
        quarter.map(|q| format!("{} so far", period_label(q))).unwrap_or_else(|| "this quarter".into());
    let inequality = match quarter {
        Some(q) => vec![
            (
                "Gini coefficient",
                match value_of(&q.gini) {
                    Some(g) => format!("{g:.2}"),
                    None => measure_text(&q.gini, Unit::Count),
                },
            ),
            ("Top 10% share", measure_text(&q.top_decile_share, Unit::Share)),
            (
                "Contributor absence factor",
                match value_of(&q.absence_factor) {
                    Some(v) => format!(
                        "{} (the fewest people who make half of the contributions)",
                        format::count(v.round() as i64, "person", "people")
                    ),
                    None => measure_text(&q.absence_factor, Unit::Count),
                },
            ),
        ],
        None => Vec::new(),
    };
    let ld = &m.leadership;
    let leadership = vec![
        ("Sessions considered", format!("{} (the last 10 at most)", ld.sessions_considered)),
        ("Distinct facilitators", measure_text(&ld.distinct_facilitators_last_10, Unit::Count)),
        (
            "Facilitation concentration",
            match value_of(&ld.facilitation_concentration) {
                Some(v) => format!("{} of sessions led by the most frequent facilitator", Unit::Share.format(v)),
                None => measure_text(&ld.facilitation_concentration, Unit::Share),
            },
        ),
        ("Core group", format::count(ld.core_group_size, "person", "people")),
    ];
    let diversity = m
        .diversity
        .iter()
        .map(|d| DiversityRow {
            dimension: capitalize(d.dimension),
            active: shannon_text(&d.active, d.categories_active),
            members: shannon_text(&d.members, d.categories_members),
        })
        .collect();
    let cohorts = m
        .cohorts
        .iter()
        .map(|k| CohortRow {
            month: month_name(k.month_start_day),
            joined: k.joined,
            month_1: measure_text(&k.active_month_1, Unit::Share),
            month_3: measure_text(&k.active_month_3, Unit::Share),
        })
        .collect();
    let regions: Vec<Bar> = m
        .attendance_by_region
        .iter()
        .map(|r| {
            Bar::new(r.region.clone(), value_of(&r.rate)).with_note(format!("{} of {}", r.showed_up, r.said_going))
        })
        .collect();
    HealthFiguresTemplate {
        slug: slug.to_string(),
        figures: month_figures(m),
        activity_charts,
        value_charts,
        health_charts,
        levels_chart: charts::levels("levels", l.core, l.active, l.peripheral, l.inactive),
        levels_legend: vec![
            LevelLegend { word: "core", label: "Core", count: l.core },
            LevelLegend { word: "active", label: "Active", count: l.active },
            LevelLegend { word: "peripheral", label: "Peripheral", count: l.peripheral },
            LevelLegend { word: "inactive", label: "Inactive", count: l.inactive },
        ],
        levels_verdict: l.verdict.clone(),
        lorenz_chart: charts::lorenz("lorenz", &m.lorenz),
        inequality,
        inequality_period,
        diversity,
        leadership,
        cohorts,
        regions_chart: (!regions.is_empty())
            .then(|| charts::bars("regions", "Attendance rate by region (90 days)", &regions, Unit::Share, Some(1.0))),
        satisfaction: match value_of(&m.satisfaction) {
            Some(v) => format!("{} out of 5", charts::number(v)),
            None => measure_text(&m.satisfaction, Unit::Count),
        },
        survey_rate: measure_text(&m.survey_response_rate, Unit::Share),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn shannon_text(m: &Measure, categories: i64) -> String {
    match value_of(m) {
        Some(v) => format!("{v:.2} over {}", format::count(categories, "group", "groups")),
        None => measure_text(m, Unit::Count),
    }
}

async fn render_health(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    status: StatusCode,
    notice: Option<&str>,
    failed: Option<(i64, String, String)>,
) -> Response {
    match state.app.community_health(viewer, slug).await {
        Ok(page) => render_status(
            status,
            &health_template(state.app.org_name(), viewer, csrf, &page, notice, failed, &state.health_fragments),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `GET /communities/{slug}/health`.
pub async fn show_health(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    render_health(&state, &viewer, &csrf, &slug, StatusCode::OK, query.notice.as_deref(), None).await
}

#[derive(Deserialize, Default)]
pub struct AcknowledgeForm {
    #[serde(default)]
    note: String,
}

/// `POST /communities/{slug}/alerts/{id}/acknowledge` (facilitators, admins).
pub async fn acknowledge(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<AcknowledgeForm>,
) -> Response {
    match state.app.acknowledge_alert(&viewer, id, &form.note).await {
        Ok(()) => Redirect::to(&format!("/communities/{slug}/health?notice=acknowledged#alert-{id}")).into_response(),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let message = match &error {
                AppError::Invalid(errors) => errors.get("note").unwrap_or("The note cannot be saved").to_string(),
                AppError::Conflict { message, .. } => capitalize(message),
                _ => String::new(),
            };
            let status = crate::error::status_of(&error);
            render_health(&state, &viewer, &csrf, &slug, status, None, Some((id, form.note, message))).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `POST /communities/{slug}/stage/accept-suggestion` (facilitators, admins).
pub async fn accept_suggestion(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.accept_stage_suggestion(&viewer, &slug).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/health?notice=stage")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- the admin's thresholds -------------------------------------------------

struct ThresholdField {
    key: &'static str,
    /// The key with dots as dashes, for ids.
    id: String,
    description: &'static str,
    value: String,
    default: String,
    min: String,
    max: String,
    error: Option<String>,
    changed: bool,
}

#[derive(Template)]
#[template(path = "diagnosis_thresholds.html")]
struct ThresholdsTemplate {
    layout: Layout,
    error_links: Vec<ErrorLink>,
    fields: Vec<ThresholdField>,
}

fn plain(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}

fn thresholds_template(
    org: &str,
    viewer: &Viewer,
    csrf: &str,
    thresholds: &[ThresholdView],
    failed: Option<(&str, &str, &FieldErrors)>,
    notice: Option<&str>,
) -> ThresholdsTemplate {
    let title = if failed.is_some() { "Error: Diagnosis thresholds" } else { "Diagnosis thresholds" };
    let mut layout = layout(org, viewer, csrf, title.to_string());
    layout.notice = (notice == Some("saved"))
        .then(|| "The threshold is saved. Communities are checked again with it within the hour.".to_string());
    let fields: Vec<ThresholdField> = thresholds
        .iter()
        .map(|t| {
            let (value, error) = match failed {
                Some((key, typed, errors)) if key == t.key => {
                    (typed.to_string(), errors.get("value").or_else(|| errors.get("key")).map(str::to_string))
                }
                _ => (plain(t.value), None),
            };
            ThresholdField {
                key: t.key,
                id: t.key.replace(['.', '_'], "-"),
                description: t.description,
                value,
                default: plain(t.default),
                min: plain(t.min),
                max: plain(t.max),
                error,
                changed: (t.value - t.default).abs() > 1e-12,
            }
        })
        .collect();
    let error_links = fields
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| ErrorLink { target: f.id.clone(), text: format!("{}: {e}", f.key) }))
        .collect();
    ThresholdsTemplate { layout, error_links, fields }
}

/// `GET /admin/diagnosis` (administrators).
pub async fn show_thresholds(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.diagnosis_thresholds(&viewer).await {
        Ok(list) => render_status(
            StatusCode::OK,
            &thresholds_template(state.app.org_name(), &viewer, &csrf, &list, None, query.notice.as_deref()),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ThresholdForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: String,
}

/// `POST /admin/diagnosis`: one threshold at a time (each has its own form).
pub async fn save_threshold(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<ThresholdForm>,
) -> Response {
    match state.app.set_diagnosis_threshold(&viewer, &form.key, &form.value).await {
        Ok(_) => {
            let anchor = form.key.replace(['.', '_'], "-");
            Redirect::to(&format!("/admin/diagnosis?notice=saved#{anchor}")).into_response()
        }
        Err(AppError::Invalid(errors)) => match state.app.diagnosis_thresholds(&viewer).await {
            Ok(list) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &thresholds_template(
                    state.app.org_name(),
                    &viewer,
                    &csrf,
                    &list,
                    Some((&form.key, &form.value, &errors)),
                    None,
                ),
            ),
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use copse_app::{CommunityView, PersonRef};
    use copse_domain::{CommunityId, CommunityType, PersonId, Timestamp, Visibility};
    use copse_insight::activity::CommunityInput;
    use copse_insight::diagnosis::{EvidenceChart, NextStep, Thresholds};
    use copse_insight::{metrics, stage};

    use super::*;

    /// 2026-11-25T12:00:00Z.
    const NOW: i64 = 1_795_608_000_000;

    fn community(name: &str) -> CommunityView {
        CommunityView {
            id: CommunityId(7),
            slug: "rust-guild".into(),
            name: name.into(),
            domain: "Rust at work".into(),
            kind: CommunityType::TechnicalPractice,
            visibility: Visibility::Open,
            stage: Stage::Maturing,
            purpose: String::new(),
            in_scope: Vec::new(),
            out_of_scope: Vec::new(),
            member_count: 0,
            created_at: Timestamp(NOW),
        }
    }

    /// The health page of a community with no data at all, as the real
    /// metrics, detectors and stage evidence compute it.
    fn empty_page(name: &str, diagnosis: bool) -> HealthPage {
        let input = CommunityInput::empty(7, NOW);
        let m = metrics::compute(&input);
        let findings = copse_insight::diagnosis::diagnose(&input, &m, &Thresholds::defaults());
        let suggestion = stage::suggest_stage(&input, &m);
        HealthPage {
            community: community(name),
            membership: None,
            metrics: Arc::new(m),
            stage: Arc::new(suggestion),
            detected: Vec::new(),
            findings: Arc::new(if diagnosis { findings } else { Vec::new() }),
            alerts: Vec::new(),
            can_view_diagnosis: diagnosis,
            can_manage_alerts: diagnosis,
            can_record_story: true,
            can_view_report: diagnosis,
            computed_at: Timestamp(NOW),
        }
    }

    fn render_page(page: &HealthPage, failed: Option<(i64, String, String)>) -> String {
        health_template("Northwind", &Viewer::anonymous(), "token", page, None, failed, &HealthFragments::default())
            .render()
            .expect("renders")
    }

    #[test]
    fn an_empty_community_reads_not_enough_data_and_never_nan() {
        for diagnosis in [false, true] {
            let html = render_page(&empty_page("Rust Guild", diagnosis), None);
            for bad in ["NaN", "inf%", "Infinity"] {
                assert!(!html.contains(bad), "{bad} on the empty health page");
            }
            assert!(html.contains("Not enough data"), "missing measures say so");
            assert!(html.contains("Health of Rust Guild"));
            // Every chart has its title and description.
            assert!(html.matches("<figure class=\"chart").count() >= 7, "the page's charts");
            assert_eq!(html.matches("<svg").count(), html.matches("<title id=").count());
            assert_eq!(html.contains("class=\"diagnosis\""), diagnosis, "findings only with can_view_diagnosis");
            assert!(html.contains("None detected."));
        }
    }

    #[test]
    fn findings_map_next_steps_to_routes_and_alerts_offer_acknowledging() {
        let mut page = empty_page("Rust Guild", true);
        page.detected = vec![Challenge::Dominance];
        page.findings = Arc::new(vec![Finding {
            challenge: Challenge::Dominance,
            verdict: Verdict::Detected,
            symptom: "3 people wrote 71% of answers this quarter".into(),
            measure: Measure::Value(0.71),
            threshold: 0.6,
            evidence: vec!["Ada Okafor: 12 answers".into()],
            chart: Some(EvidenceChart {
                title: "Share of replies and answers".into(),
                style: "bars",
                points: vec![("Ada Okafor".into(), 40.0), ("Everyone else".into(), 29.0)],
                unit: "%",
            }),
            next_steps: vec![
                NextStep { text: "Invite Sam Rivera".into(), link: Some(StepLink::Person("sam".into())) },
                NextStep { text: "Rotate facilitation".into(), link: Some(StepLink::FacilitationRota) },
                NextStep { text: "Answer an open question".into(), link: Some(StepLink::Unanswered) },
                NextStep { text: "Move the thread".into(), link: Some(StepLink::Thread(12)) },
                NextStep { text: "Just talk".into(), link: None },
            ],
        }]);
        page.alerts = vec![AlertView {
            id: 5,
            challenge: Challenge::Dominance,
            status: AlertStatus::Open,
            symptom: "3 people wrote 71% of answers this quarter".into(),
            opened_at: Timestamp(NOW),
            acknowledged_at: None,
            acknowledged_by: None,
            note: String::new(),
            resolved_at: None,
            last_checked_at: Timestamp(NOW),
        }];
        let html = render_page(&page, None);
        for href in [
            "/people/sam",
            "/communities/rust-guild/rota",
            "/communities/rust-guild/discussions/unanswered",
            "/threads/12",
        ] {
            assert!(html.contains(&format!("<a href=\"{href}\">")), "a link to {href}");
        }
        assert!(html.contains("<li>Just talk</li>"), "a step without a link is plain text");
        assert!(html.contains("action=\"/communities/rust-guild/alerts/5/acknowledge\""));
        assert!(html.contains("Dominance by few voices"));
        assert!(html.contains(">40%<"), "the evidence chart in percent");
        // A refused note is shown again with its error, on that alert.
        let html =
            render_page(&page, Some((5, "typed <b>note</b>".into(), "A note is at most 2,000 characters".into())));
        assert!(html.contains("typed &#60;b&#62;note&#60;/b&#62;") || html.contains("typed &lt;b&gt;note&lt;/b&gt;"));
        assert!(html.contains("id=\"note-5-error\""));
        assert!(html.contains("<title>Error: Health"));
        // Acknowledged alerts say by whom and offer no form.
        page.alerts[0].status = AlertStatus::Acknowledged;
        page.alerts[0].acknowledged_at = Some(Timestamp(NOW));
        page.alerts[0].acknowledged_by =
            Some(PersonRef { id: PersonId(1), handle: "ada".into(), name: "Ada Okafor".into(), team: String::new() });
        let html = render_page(&page, None);
        assert!(html.contains("Acknowledged by Ada Okafor on 25 Nov 2026"));
        assert!(!html.contains("/alerts/5/acknowledge"));
    }

    #[test]
    fn names_are_escaped() {
        let html = render_page(&empty_page("<script>alert(1)</script>", true), None);
        assert!(!html.contains("<script>alert(1)"));
    }

    #[test]
    fn figures_compare_with_the_month_before() {
        let f = figure("Attendance rate", Some(0.5), Some(0.4), None, Unit::Share, true, "October 2026");
        assert_eq!((f.value.as_str(), f.arrow, f.change_class), ("50%", "▲", "better"));
        assert_eq!(f.change, "up 10 points from 40% in October 2026");
        let f = figure("Time to first response", Some(6.0), Some(4.5), None, Unit::Hours, false, "October 2026");
        assert_eq!((f.arrow, f.change_class, f.change.as_str()), ("▲", "worse", "up 1.5 h from 4.5 h in October 2026"));
        let f = figure("Response rate", None, Some(0.5), Some("no questions were asked"), Unit::Share, true, "October");
        assert!(f.missing);
        assert_eq!(f.value, "Not enough data: no questions were asked");
        assert_eq!(measure_text(&Measure::Value(f64::NAN), Unit::Share), "Not enough data");
    }
}
