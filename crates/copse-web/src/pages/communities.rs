//! Community pages: discover, read, create, edit, stage, membership.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use copse_app::{
    AppError, CommunityFilter, CommunityPage, CommunityShared, MemberView, MembersPage, ParticipationSummary, Viewer,
};
use copse_domain::{
    Action, CommunityInput, CommunityType, FieldErrors, HttpUrl, MAX_CHANNELS, MAX_GOALS, MembershipRole,
    MembershipStatus, ParticipationLevel, Stage, Visibility, can,
};
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{
    CardView, ErrorLink, Layout, error_links, form_title, initials, membership_label, render, render_status,
};
use crate::WebState;
use crate::auth::{PageViewer, urlencode};
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
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
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
    let found = match state.app.discover_communities(&viewer, &filter, query.page.unwrap_or(1), DISCOVER_PER_PAGE).await
    {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let href = |page: i64| {
        format!(
            "/communities?q={}&kind={}&stage={}&page={page}",
            urlencode(&query.q),
            urlencode(&query.kind),
            urlencode(&query.stage)
        )
    };
    let shown = found.cards.len() as i64;
    let first = (found.page - 1) * DISCOVER_PER_PAGE + 1;
    let results = if found.page == 1 && !found.has_next {
        format::count(shown, "community", "communities")
    } else if shown == 0 {
        "No communities on this page".to_string()
    } else {
        format!("Communities {first}–{}, most members first", first + shown - 1)
    };
    let page = CommunitiesPage {
        layout: Layout::new("Communities", state.app.org_name(), Some(&viewer), &csrf, "communities"),
        results,
        q: query.q.clone(),
        kind: query.kind.clone(),
        stage: query.stage.clone(),
        can_create: can(&viewer.actor, Action::CreateCommunity),
        cards: found.cards.iter().map(CardView::from).collect(),
        types: types(),
        stages: stages(),
        page: found.page,
        prev_href: (found.page > 1).then(|| href(found.page - 1)),
        next_href: found.has_next.then(|| href(found.page + 1)),
    };
    render(&page)
}

/// Communities per page of the discovery list.
const DISCOVER_PER_PAGE: i64 = 48;

/// The community page shows this many of the most active members and links
/// to the members page for the rest.
const MEMBERS_ON_COMMUNITY_PAGE: usize = 12;

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

struct SponsorView {
    handle: String,
    name: String,
    initials: String,
    team: String,
}

impl From<&MemberView> for MemberRowView {
    fn from(m: &MemberView) -> Self {
        MemberRowView {
            handle: m.person.handle.clone(),
            name: m.person.name.clone(),
            initials: initials(&m.person.name),
            team: m.person.team.clone(),
            location: m.location.clone(),
            level: m.level.label(),
            level_word: m.level.as_str(),
            facilitator: m.role == MembershipRole::Facilitator,
        }
    }
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
    sponsor: Option<SponsorView>,
    history: Vec<HistoryRow>,
    stage_steps: Vec<StageStep>,
    stage_error: Option<String>,
}

fn level_count(summary: &ParticipationSummary, level: ParticipationLevel) -> i64 {
    match level {
        ParticipationLevel::Core => summary.core,
        ParticipationLevel::Active => summary.active,
        ParticipationLevel::Peripheral => summary.peripheral,
        ParticipationLevel::Inactive => summary.inactive,
    }
}

/// The participation bar's segments, one per level.
fn participation_shares(summary: &ParticipationSummary) -> Vec<LevelShare> {
    let total = summary.total().max(1) as f64;
    let mut x = 0.0;
    ParticipationLevel::ALL
        .iter()
        .map(|level| {
            let count = level_count(summary, *level);
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
        .collect()
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
    let participation = participation_shares(&shared.participation);
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
        members: shared.members.iter().take(MEMBERS_ON_COMMUNITY_PAGE).map(MemberRowView::from).collect(),
        more_members: (c.member_count - shared.members.len().min(MEMBERS_ON_COMMUNITY_PAGE) as i64).max(0),
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
        sponsor: shared.sponsor.as_ref().map(|s| SponsorView {
            handle: s.handle.clone(),
            name: s.name.clone(),
            initials: initials(&s.name),
            team: s.team.clone(),
        }),
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

/// One member on the members page.
struct MemberDetailRow {
    handle: String,
    name: String,
    initials: String,
    team: String,
    location: String,
    level: &'static str,
    level_word: &'static str,
    facilitator: bool,
    contributions: String,
}

/// A link that narrows the members page to one level (or none).
struct LevelFilter {
    label: &'static str,
    count: i64,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    lead: String,
    filters: Vec<LevelFilter>,
    rows: Vec<MemberDetailRow>,
    empty: String,
    first_href: String,
    page: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct MembersQuery {
    #[serde(default)]
    level: String,
    page: Option<i64>,
}

fn members_href(slug: &str, level: Option<ParticipationLevel>, page: i64) -> String {
    let mut href = format!("/communities/{}/members", urlencode(slug));
    let mut sep = '?';
    if let Some(level) = level {
        href.push_str(&format!("{sep}level={}", level.as_str()));
        sep = '&';
    }
    if page > 1 {
        href.push_str(&format!("{sep}page={page}"));
    }
    href
}

fn members_template(page: &MembersPage, layout: Layout) -> MembersTemplate {
    let c = &page.community;
    let summary = &page.participation;
    let mut filters = vec![LevelFilter {
        label: "Everyone",
        count: c.member_count,
        href: members_href(&c.slug, None, 1),
        current: page.level.is_none(),
    }];
    filters.extend(ParticipationLevel::ALL.iter().map(|level| LevelFilter {
        label: level.label(),
        count: level_count(summary, *level),
        href: members_href(&c.slug, Some(*level), 1),
        current: page.level == Some(*level),
    }));
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let first = (page.page - 1) * page.per_page + 1;
    let last = first + page.members.len() as i64 - 1;
    let who = match page.level {
        None => format::count(page.total, "member", "members"),
        Some(level) => {
            format!("{} at {} level", format::count(page.total, "member", "members"), level.label().to_lowercase())
        }
    };
    let lead = if page.members.is_empty() || page.total <= page.per_page {
        format!("{who}, the most active first.")
    } else {
        format!("{who}, the most active first. Showing {first}–{last}.")
    };
    let empty = match (page.level, page.page) {
        (_, n) if n > 1 => "There is nobody on this page.".to_string(),
        (None, _) => "This community has no members yet.".to_string(),
        (Some(level), _) => format!("Nobody is at {} level right now.", level.label().to_lowercase()),
    };
    MembersTemplate {
        layout,
        slug: c.slug.clone(),
        community_name: c.name.clone(),
        lead,
        filters,
        rows: page
            .members
            .iter()
            .map(|m| MemberDetailRow {
                handle: m.person.handle.clone(),
                name: m.person.name.clone(),
                initials: initials(&m.person.name),
                team: m.person.team.clone(),
                location: m.location.clone(),
                level: m.level.label(),
                level_word: m.level.as_str(),
                facilitator: m.role == MembershipRole::Facilitator,
                contributions: match m.recent_contributions {
                    0 => "no contributions".to_string(),
                    n => format::count(n, "contribution", "contributions"),
                },
            })
            .collect(),
        empty,
        first_href: members_href(&c.slug, page.level, 1),
        page: page.page,
        pages: pages.max(page.page),
        prev_href: (page.page > 1).then(|| members_href(&c.slug, page.level, page.page - 1)),
        next_href: page.has_next.then(|| members_href(&c.slug, page.level, page.page + 1)),
    }
}

/// All of a community's members, a page at a time, optionally one level.
pub async fn show_members(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<MembersQuery>,
) -> Response {
    match state.app.community_members(&viewer, &slug, &query.level, query.page.unwrap_or(1)).await {
        Ok(page) => {
            let mut title = format!("Members · {}", page.community.name);
            if page.page > 1 {
                title = format!("Members, page {} · {}", page.page, page.community.name);
            }
            let layout = Layout::new(title, state.app.org_name(), Some(&viewer), &csrf, "communities");
            render(&members_template(&page, layout))
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
    /// Whether this row is what the "channels" error is about.
    name_invalid: bool,
    url_invalid: bool,
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
    error_links: Vec<ErrorLink>,
    types: Vec<(&'static str, &'static str, &'static str)>,
    visibilities: Vec<(&'static str, &'static str, &'static str)>,
    org_goals: Vec<(String, String)>,
    goal_rows: Vec<GoalRow>,
    channel_rows: Vec<ChannelRow>,
}

/// Where each field's error summary line links to, and the field's name.
/// Channel errors link to the first channel row that is wrong.
fn community_field(field: &'static str, channel_rows: &[ChannelRow]) -> Option<(String, &'static str)> {
    let (target, label) = match field {
        "name" => ("name", "Name"),
        "slug" => ("slug", "Address"),
        "domain" => ("domain", "Domain"),
        "kind" => ("kind-technical-practice", "Type"),
        "visibility" => ("visibility-open", "Visibility"),
        "purpose" => ("purpose", "Purpose"),
        "in_scope" => ("in_scope", "In-scope topics"),
        "out_of_scope" => ("out_of_scope", "Out-of-scope topics"),
        "goals" => ("goal_text_0", "Goals"),
        "channels" => {
            let target = channel_rows
                .iter()
                .find_map(|ch| {
                    if ch.name_invalid {
                        Some(format!("channel_name_{}", ch.index))
                    } else if ch.url_invalid {
                        Some(format!("channel_url_{}", ch.index))
                    } else {
                        None
                    }
                })
                .unwrap_or_else(|| "channel_name_0".to_string());
            return Some((target, "Channels"));
        }
        "sponsor" => ("sponsor", "Executive sponsor"),
        _ => return None,
    };
    Some((target.to_string(), label))
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
            // Rows left empty are skipped; in a half-filled row, say which half
            // is wrong (the same rules `CommunityDraft::parse` applies).
            let checked = errors.get("channels").is_some() && !(name.trim().is_empty() && url.trim().is_empty());
            let name_invalid = checked && (name.trim().is_empty() || name.trim().chars().count() > 60);
            let url_invalid = checked && HttpUrl::parse(&url).is_err();
            ChannelRow { index: i, number: i + 1, name, url, name_invalid, url_invalid }
        })
        .collect::<Vec<_>>();
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
        layout: Layout::new(form_title(&heading, &errors), state.app.org_name(), Some(viewer), csrf, "communities"),
        error_links: error_links(&errors, |field| community_field(field, &channel_rows)),
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
