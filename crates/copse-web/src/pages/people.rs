//! People pages: the directory, profiles, editing one's own profile, and
//! personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use copse_app::{AppError, PeopleFilter, ProfilePage, Viewer};
use copse_domain::{ApiTokenId, ExperienceLevel, FieldErrors, OrgRole, ProfileInput, TimeZone, Timestamp};
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{CardView, ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::{PageViewer, urlencode};
use crate::error::PageError;
use crate::format;

struct PersonCard {
    handle: String,
    name: String,
    initials: String,
    team: String,
    location: String,
    experience: &'static str,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    layout: Layout,
    q: String,
    skill: String,
    team: String,
    location: String,
    /// How many of the filters under "More filters" are set.
    more_set: usize,
    team_choices: Option<Vec<String>>,
    locations: Vec<String>,
    people: Vec<PersonCard>,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    location: String,
    page: Option<i64>,
}

pub async fn list_people(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<DirectoryQuery>,
) -> Response {
    let filter = PeopleFilter {
        query: query.q.clone(),
        team: query.team.clone(),
        location: query.location.clone(),
        skill: query.skill.clone(),
    };
    let directory = match state.app.people_directory(&viewer, &filter, query.page.unwrap_or(1)).await {
        Ok(directory) => directory,
        Err(error) => return PageError::from(error).into_response(),
    };
    let href = |page: i64| {
        format!(
            "/people?q={}&skill={}&team={}&location={}&page={page}",
            urlencode(&query.q),
            urlencode(&query.skill),
            urlencode(&query.team),
            urlencode(&query.location)
        )
    };
    let page = PeoplePage {
        layout: Layout::new("People", state.app.org_name(), Some(&viewer), &csrf, "people"),
        // A list of thousands of teams helps nobody: offer a text field then.
        team_choices: (directory.teams.0.len() <= copse_app::MAX_TEAM_CHOICES).then(|| directory.teams.0.clone()),
        locations: directory.teams.1.clone(),
        people: directory
            .people
            .iter()
            .map(|p| PersonCard {
                handle: p.handle.clone(),
                name: p.name.clone(),
                initials: initials(&p.name),
                team: p.team.clone(),
                location: p.location.clone(),
                experience: p.experience.label(),
            })
            .collect(),
        page: directory.page,
        prev_href: (directory.page > 1).then(|| href(directory.page - 1)),
        next_href: directory.has_next.then(|| href(directory.page + 1)),
        more_set: [&query.skill, &query.team, &query.location].iter().filter(|v| !v.trim().is_empty()).count(),
        q: query.q,
        skill: query.skill,
        team: query.team,
        location: query.location,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfileTemplate<'a> {
    layout: Layout,
    page: &'a ProfilePage,
    p: &'a copse_app::PersonView,
    initials: String,
    experience: &'static str,
    is_admin: bool,
    is_self: bool,
    local_time: String,
    working_hours: String,
    /// "your time" on one's own profile, "their time" on others'.
    whose_time: &'static str,
    joined: String,
    /// The person's mentoring (`mentoring_profile.html`).
    mentoring: super::mentoring::ProfileMentoringSection,
    cards: Vec<CardView>,
    /// Kudos received and stewardship (`kudos_profile_*.html`).
    recognition: super::recognition::ProfileKudos,
    /// Top skills by expertise (`experts_profile.html`).
    expertise: Vec<super::expertise::ProfileSkillView>,
}

pub async fn show_profile(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(handle): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let page = match state.app.profile_page(&viewer, &handle).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let p = &page.person;
    let their_zone = TimeZone::parse(&p.time_zone).unwrap_or_else(|_| TimeZone::utc());
    let is_self = viewer.person() == Some(p.id);
    let template = ProfileTemplate {
        layout: Layout::new(
            p.name.clone(),
            state.app.org_name(),
            Some(&viewer),
            &csrf,
            if is_self { "me" } else { "people" },
        )
        .with_notice(query.notice.as_deref()),
        initials: initials(&p.name),
        experience: p.experience.label(),
        is_admin: p.role == OrgRole::Admin,
        is_self,
        local_time: Timestamp::now().to_utc().with_timezone(&their_zone.0).format("%H:%M (%a)").to_string(),
        working_hours: format!("{}–{}", p.working_hours.start_text(), p.working_hours.end_text()),
        whose_time: if is_self { "your time" } else { "their time" },
        joined: format::date(p.joined_at, viewer.time_zone),
        mentoring: super::mentoring::profile_section(&state, &viewer, p.id).await,
        cards: page.communities.iter().map(CardView::from).collect(),
        expertise: super::expertise::profile_expertise(&page.expertise),
        recognition: super::recognition::ProfileKudos::new(&page.recognition, viewer.time_zone, &p.name, is_self),
        page: &page,
        p,
    };
    render(&template)
}

struct TextField {
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "profile_form.html")]
struct ProfileForm {
    layout: Layout,
    handle: String,
    input: ProfileInput,
    errors: FieldErrors,
    error_links: Vec<ErrorLink>,
    text_fields: Vec<TextField>,
    experience_levels: Vec<(&'static str, &'static str)>,
    zones: Vec<&'static str>,
    /// "Away until" (question routing skips people who are away).
    away_until: String,
}

fn profile_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    input: ProfileInput,
    errors: FieldErrors,
    away_until: String,
) -> ProfileForm {
    let field = |name: &'static str, label: &'static str, value: &str| TextField {
        name,
        label,
        value: value.to_string(),
        error: errors.get(name).map(str::to_string),
    };
    let text_fields = vec![
        field("name", "Name", &input.name),
        field("team", "Team", &input.team),
        field("location", "Location (city or office)", &input.location),
    ];
    ProfileForm {
        layout: Layout::new(form_title("Edit profile", &errors), state.app.org_name(), Some(viewer), csrf, "me"),
        error_links: error_links(&errors, profile_field),
        handle: viewer.handle.clone(),
        text_fields,
        experience_levels: ExperienceLevel::ALL.iter().map(|x| (x.as_str(), x.label())).collect(),
        zones: COMMON_ZONES.to_vec(),
        away_until,
        input,
        errors,
    }
}

/// Where each field's error summary line links to, and the field's name.
fn profile_field(field: &'static str) -> Option<(String, &'static str)> {
    let (target, label) = match field {
        "name" => ("name", "Name"),
        "team" => ("team", "Team"),
        "location" => ("location", "Location"),
        "experience" => ("experience", "Experience"),
        "time_zone" => ("time_zone", "Time zone"),
        "working_hours" => ("work_start", "Working hours"),
        "skills" => ("skills", "Skills"),
        "interests" => ("interests", "Interests"),
        "bio" => ("bio", "About you"),
        "away_until" => ("away_until", "Away until"),
        _ => return None,
    };
    Some((target.to_string(), label))
}

/// Suggestions for the time-zone field; any IANA name is accepted.
const COMMON_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Warsaw",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

pub async fn edit_profile(State(state): State<WebState>, PageViewer { viewer, csrf }: PageViewer) -> Response {
    let away_until = match state.app.away_until_input(&viewer).await {
        Ok(away_until) => away_until,
        Err(error) => return PageError::from(error).into_response(),
    };
    match state.app.profile_input(&viewer).await {
        Ok(input) => render(&profile_form(&state, &viewer, &csrf, input, FieldErrors::new(), away_until)),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ProfileFormData {
    #[serde(default)]
    name: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    work_start: String,
    #[serde(default)]
    work_end: String,
    #[serde(default)]
    experience: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    interests: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    away_until: String,
}

pub async fn update_profile(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<ProfileFormData>,
) -> Response {
    let input = ProfileInput {
        name: form.name,
        team: form.team,
        location: form.location,
        time_zone: form.time_zone,
        work_start: form.work_start,
        work_end: form.work_end,
        experience: form.experience,
        skills: form.skills,
        interests: form.interests,
        bio: form.bio,
    };
    match state.app.update_profile_with_away(&viewer, &viewer.handle, &input, &form.away_until).await {
        Ok(person) => Redirect::to(&format!("/people/{}?notice=profile", person.handle)).into_response(),
        Err(AppError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &profile_form(&state, &viewer, &csrf, input, errors, form.away_until),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

struct TokenRow {
    id: i64,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    error: Option<String>,
    calendar: super::calendars::CalendarPanel,
}

pub(super) async fn tokens_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    notice: Option<&str>,
    new_token: Option<String>,
    error: Option<String>,
    new_calendar: Option<super::calendars::FeedAddress>,
) -> Response {
    let tokens = match state.app.list_api_tokens(viewer).await {
        Ok(tokens) => tokens,
        Err(error) => return PageError::from(error).into_response(),
    };
    let calendar = match super::calendars::calendar_panel(state, viewer, new_calendar).await {
        Ok(calendar) => calendar,
        Err(error) => return PageError::from(error).into_response(),
    };
    let page = TokensPage {
        layout: Layout::new("API tokens and calendar", state.app.org_name(), Some(viewer), csrf, "me")
            .with_notice(notice),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow { id: t.id.0, name: t.name, created: format::date(t.created_at, viewer.time_zone) })
            .collect(),
        new_token,
        error: error.clone(),
        calendar,
    };
    render_status(if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

pub async fn show_tokens(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    tokens_page(&state, &viewer, &csrf, query.notice.as_deref(), None, None, None).await
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create_token(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<TokenForm>,
) -> Response {
    match state.app.create_api_token(&viewer, &form.name).await {
        Ok(token) => tokens_page(&state, &viewer, &csrf, None, Some(token), None, None).await,
        Err(AppError::Invalid(errors)) => {
            let message = errors.0.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
            tokens_page(&state, &viewer, &csrf, None, None, Some(message), None).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn revoke_token(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.revoke_api_token(&viewer, ApiTokenId(id)).await {
        Ok(()) => Redirect::to("/settings/tokens?notice=revoked").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}
