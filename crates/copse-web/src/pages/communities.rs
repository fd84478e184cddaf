//! Community pages: discover, read, create, edit, stage, membership.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use copse_app::{AppError, CommunityFilter, CommunityPage, CommunityShared, Viewer};
use copse_domain::{
    Action, CommunityInput, CommunityType, FieldErrors, MAX_CHANNELS, MAX_GOALS, MembershipRole, MembershipStatus,
    ParticipationLevel, Stage, Visibility, can,
};
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{CardView, Layout, initials, membership_label, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

fn types() -> Vec<(&'static str, &'static str)> {
    CommunityType::ALL.iter().map(|t| (t.as_str(), t.label())).collect()
}

fn stages() -> Vec<(&'static str, &'static str)> {
    Stage::ALL.iter().map(|s| (s.as_str(), s.label())).collect()
}

#[derive(Template)]
#[template(path = "communities.html")]
struct CommunitiesPage {
    layout: Layout,
    q: String,
    kind: String,
    stage: String,
    results: String,
    can_create: bool,
    cards: Vec<CardView>,
    types: Vec<(&'static str, &'static str)>,
    stages: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub struct DiscoverQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    stage: String,
    page: Option<i64>,
}

pub async fn list_communities(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<DiscoverQuery>,
) -> Response {
    let filter = CommunityFilter {
        query: query.q.clone(),
        kind: query.kind.clone(),
        stage: query.stage.clone(),
        exclude_joined: false,
    };
    let cards = match state.app.discover_communities(&viewer, &filter, query.page.unwrap_or(1), 48).await {
        Ok(page) => page.cards,
        Err(error) => return PageError::from(error).into_response(),
    };
    let page = CommunitiesPage {
        layout: Layout::new("Communities", state.app.org_name(), Some(&viewer), &csrf, "communities"),
        results: format::count(cards.len() as i64, "community", "communities"),
        q: query.q,
        kind: query.kind,
        stage: query.stage,
        can_create: can(&viewer.actor, Action::CreateCommunity),
        cards: cards.iter().map(CardView::from).collect(),
        types: types(),
        stages: stages(),
    };
    render(&page)
}

/// One segment of the participation bar.
struct LevelShare {
    word: &'static str,
    label: &'static str,
    count: i64,
    percent: i64,
    x: String,
    width: String,
}

struct MemberRowView {
    handle: String,
    name: String,
    initials: String,
    team: String,
    location: String,
    level: &'static str,
    level_word: &'static str,
    facilitator: bool,
}

struct FacilitatorRowView {
    handle: String,
    name: String,
    initials: String,
    since: String,
}

struct HistoryRow {
    date: String,
    iso: String,
    stage: &'static str,
    previous: Option<&'static str>,
    note: String,
    by: Option<String>,
}

struct StageStep {
    word: &'static str,
    label: &'static str,
    current: bool,
    passed: bool,
}

/// The community as its page shows it.
struct CommunityHead {
    slug: String,
    name: String,
    domain: String,
    kind: &'static str,
    stage: &'static str,
    stage_word: &'static str,
    stage_description: &'static str,
    visibility: &'static str,
    purpose: String,
    in_scope: Vec<String>,
    out_of_scope: Vec<String>,
    membership: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityTemplate<'a> {
    layout: Layout,
    page: &'a CommunityPage,
    shared: &'a CommunityShared,
    c: CommunityHead,
    invited: bool,
    leave_label: &'static str,
    members_count: i64,
    participation: Vec<LevelShare>,
    participation_label: String,
    members: Vec<MemberRowView>,
    more_members: i64,
    facilitators: Vec<FacilitatorRowView>,
    history: Vec<HistoryRow>,
    stage_steps: Vec<StageStep>,
    stage_error: Option<String>,
}

fn community_template<'a>(
    page: &'a CommunityPage,
    viewer: &Viewer,
    layout: Layout,
    stage_error: Option<String>,
) -> CommunityTemplate<'a> {
    let c = &page.community;
    let shared = page.shared.as_ref();
    let zone = viewer.time_zone;
    let summary = shared.participation;
    let total = summary.total().max(1) as f64;
    let mut x = 0.0;
    let participation: Vec<LevelShare> = ParticipationLevel::ALL
        .iter()
        .map(|level| {
            let count = match level {
                ParticipationLevel::Core => summary.core,
                ParticipationLevel::Active => summary.active,
                ParticipationLevel::Peripheral => summary.peripheral,
                ParticipationLevel::Inactive => summary.inactive,
            };
            let width = count as f64 * 100.0 / total;
            let share = LevelShare {
                word: level.as_str(),
                label: level.label(),
                count,
                percent: summary.percent(*level),
                x: format!("{x:.2}"),
                width: format!("{width:.2}"),
            };
            x += width;
            share
        })
        .collect();
    let participation_label =
        participation.iter().map(|p| format!("{} {}", p.count, p.label.to_lowercase())).collect::<Vec<_>>().join(", ");
    let current = c.stage.number();
    let (invited, leave_label) = match page.membership {
        Some((_, MembershipStatus::Invited)) => (true, "Decline invitation"),
        Some((_, MembershipStatus::Requested)) => (false, "Withdraw request"),
        _ => (false, "Leave community"),
    };
    CommunityTemplate {
        layout,
        page,
        shared,
        c: CommunityHead {
            slug: c.slug.clone(),
            name: c.name.clone(),
            domain: c.domain.clone(),
            kind: c.kind.label(),
            stage: c.stage.label(),
            stage_word: c.stage.as_str(),
            stage_description: c.stage.description(),
            visibility: c.visibility.label(),
            purpose: c.purpose.clone(),
            in_scope: c.in_scope.clone(),
            out_of_scope: c.out_of_scope.clone(),
            membership: membership_label(page.membership),
        },
        invited,
        leave_label,
        members_count: c.member_count,
        participation,
        participation_label,
        members: shared
            .members
            .iter()
            .map(|m| MemberRowView {
                handle: m.person.handle.clone(),
                name: m.person.name.clone(),
                initials: initials(&m.person.name),
                team: m.person.team.clone(),
                location: m.location.clone(),
                level: m.level.label(),
                level_word: m.level.as_str(),
                facilitator: m.role == MembershipRole::Facilitator,
            })
            .collect(),
        more_members: (c.member_count - shared.members.len() as i64).max(0),
        facilitators: shared
            .facilitators
            .iter()
            .map(|f| FacilitatorRowView {
                handle: f.person.handle.clone(),
                name: f.person.name.clone(),
                initials: initials(&f.person.name),
                since: format::date(f.term_started_at, zone),
            })
            .collect(),
        history: shared
            .stage_history
            .iter()
            .map(|h| HistoryRow {
                date: format::date(h.at, zone),
                iso: format::rfc3339(h.at),
                stage: h.stage.label(),
                previous: h.previous.map(Stage::label),
                note: h.note.clone(),
                by: h.by.as_ref().map(|(_, name)| name.clone()),
            })
            .collect(),
        stage_steps: Stage::ALL
            .iter()
            .map(|s| StageStep {
                word: s.as_str(),
                label: s.label(),
                current: s.number() == current,
                passed: s.number() < current,
            })
            .collect(),
        stage_error,
    }
}

pub async fn show_community(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.community_page(&viewer, &slug).await {
        Ok(page) => {
            let layout =
                Layout::new(page.community.name.clone(), state.app.org_name(), Some(&viewer), &csrf, "communities")
                    .with_notice(query.notice.as_deref());
            render(&community_template(&page, &viewer, layout, None))
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

struct GoalRow {
    index: usize,
    number: usize,
    text: String,
    org_goal: String,
}

struct ChannelRow {
    index: usize,
    number: usize,
    name: String,
    url: String,
}

#[derive(Template)]
#[template(path = "community_form.html")]
struct CommunityForm {
    layout: Layout,
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    input: CommunityInput,
    errors: FieldErrors,
    types: Vec<(&'static str, &'static str, &'static str)>,
    visibilities: Vec<(&'static str, &'static str, &'static str)>,
    org_goals: Vec<(String, String)>,
    goal_rows: Vec<GoalRow>,
    channel_rows: Vec<ChannelRow>,
}

/// Form fields arrive flat (`goal_text_0`, `channel_url_1`, ...); gather them.
fn input_from_form(form: &HashMap<String, String>) -> CommunityInput {
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    CommunityInput {
        name: field("name"),
        slug: field("slug"),
        domain: field("domain"),
        kind: field("kind"),
        visibility: field("visibility"),
        purpose: field("purpose"),
        in_scope: field("in_scope"),
        out_of_scope: field("out_of_scope"),
        goals: (0..MAX_GOALS)
            .map(|i| (field(&format!("goal_text_{i}")), field(&format!("goal_org_{i}")).parse().ok()))
            .collect(),
        channels: (0..MAX_CHANNELS)
            .map(|i| (field(&format!("channel_name_{i}")), field(&format!("channel_url_{i}"))))
            .collect(),
        sponsor: field("sponsor"),
    }
}

async fn community_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    existing: Option<&str>,
    input: CommunityInput,
    errors: FieldErrors,
) -> Result<CommunityForm, AppError> {
    let org_goals = state.app.org_goals().await?.into_iter().map(|(id, title)| (id.0.to_string(), title)).collect();
    let goal_count = (input.goals.iter().filter(|g| !g.0.trim().is_empty()).count() + 1).clamp(3, MAX_GOALS);
    let goal_rows = (0..goal_count)
        .map(|i| {
            let (text, org) = input.goals.get(i).cloned().unwrap_or_default();
            GoalRow { index: i, number: i + 1, text, org_goal: org.map(|o| o.to_string()).unwrap_or_default() }
        })
        .collect();
    let channel_count = (input.channels.iter().filter(|c| !c.1.trim().is_empty()).count() + 1).clamp(2, MAX_CHANNELS);
    let channel_rows = (0..channel_count)
        .map(|i| {
            let (name, url) = input.channels.get(i).cloned().unwrap_or_default();
            ChannelRow { index: i, number: i + 1, name, url }
        })
        .collect();
    let (heading, action, submit_label, cancel_href) = match existing {
        Some(slug) => (
            format!("Edit {}", input.name),
            format!("/communities/{slug}/edit"),
            "Save changes",
            format!("/communities/{slug}"),
        ),
        None => (
            "Start a community".to_string(),
            "/communities/new".to_string(),
            "Start community",
            "/communities".to_string(),
        ),
    };
    Ok(CommunityForm {
        layout: Layout::new(heading.clone(), state.app.org_name(), Some(viewer), csrf, "communities"),
        heading,
        action,
        submit_label,
        cancel_href,
        input,
        errors,
        types: CommunityType::ALL.iter().map(|t| (t.as_str(), t.label(), t.description())).collect(),
        visibilities: Visibility::ALL.iter().map(|v| (v.as_str(), v.label(), v.description())).collect(),
        org_goals,
        goal_rows,
        channel_rows,
    })
}

fn form_response(result: Result<CommunityForm, AppError>, status: StatusCode) -> Response {
    match result {
        Ok(form) => render_status(status, &form),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// Re-renders the form for input errors; other errors become error pages.
async fn form_failure(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    existing: Option<&str>,
    input: CommunityInput,
    error: AppError,
) -> Response {
    let (errors, status) = match error {
        AppError::Invalid(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
        AppError::Conflict { field, message } if !field.is_empty() => {
            (FieldErrors::single(field, message), StatusCode::CONFLICT)
        }
        other => return PageError::from(other).into_response(),
    };
    form_response(community_form(state, viewer, csrf, existing, input, errors).await, status)
}

pub async fn new_community(State(state): State<WebState>, PageViewer { viewer, csrf }: PageViewer) -> Response {
    if !can(&viewer.actor, Action::CreateCommunity) {
        return PageError::from(AppError::Forbidden("your role may not start communities")).into_response();
    }
    let input = CommunityInput { kind: "technical-practice".into(), visibility: "open".into(), ..Default::default() };
    form_response(community_form(&state, &viewer, &csrf, None, input, FieldErrors::new()).await, StatusCode::OK)
}

pub async fn create_community(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let input = input_from_form(&form);
    match state.app.create_community(&viewer, &input).await {
        Ok(created) => Redirect::to(&format!("/communities/{}?notice=created", created.slug)).into_response(),
        Err(error) => form_failure(&state, &viewer, &csrf, None, input, error).await,
    }
}

pub async fn edit_community(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.community_input(&viewer, &slug).await {
        Ok((_, input)) => form_response(
            community_form(&state, &viewer, &csrf, Some(&slug), input, FieldErrors::new()).await,
            StatusCode::OK,
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn update_community(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let input = input_from_form(&form);
    match state.app.update_community(&viewer, &slug, &input).await {
        Ok(updated) => Redirect::to(&format!("/communities/{}?notice=saved", updated.slug)).into_response(),
        Err(error) => form_failure(&state, &viewer, &csrf, Some(&slug), input, error).await,
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    note: String,
}

pub async fn change_stage(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<StageForm>,
) -> Response {
    match state.app.change_stage(&viewer, &slug, &form.stage, &form.note).await {
        Ok(()) => Redirect::to(&format!("/communities/{slug}?notice=stage")).into_response(),
        Err(AppError::Invalid(errors)) => match state.app.community_page(&viewer, &slug).await {
            Ok(page) => {
                let layout =
                    Layout::new(page.community.name.clone(), state.app.org_name(), Some(&viewer), &csrf, "communities");
                let message = errors.0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
                render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &community_template(&page, &viewer, layout, Some(message)),
                )
            }
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

fn after(result: Result<(), AppError>, slug: &str, notice: &str) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/communities/{slug}?notice={notice}")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn join_community(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    after(state.app.join_community(&viewer, &slug).await, &slug, "joined")
}

pub async fn request_to_join(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    after(state.app.request_to_join(&viewer, &slug).await, &slug, "requested")
}

pub async fn leave_community(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.leave_community(&viewer, &slug).await {
        // After leaving a private community its page is no longer visible.
        Ok(()) => Redirect::to("/?notice=left").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    handle: String,
    #[serde(default)]
    decision: String,
}

pub async fn manage_member(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<MemberForm>,
) -> Response {
    let notice = match form.decision.as_str() {
        "approve" => "approved",
        "decline" => "declined",
        "invite" => "invited",
        "remove" => "removed",
        _ => "role",
    };
    after(state.app.manage_member(&viewer, &slug, &form.handle, &form.decision).await, &slug, notice)
}
