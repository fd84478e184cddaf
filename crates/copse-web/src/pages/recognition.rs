//! Pages for recognition: the kudos form (for a post, an artifact, a
//! session or a mentorship), a community's kudos feed, one's own kudos with
//! the export form, the export itself (CSV and JSON downloads, written by
//! `kudos_export.rs`), and the profile's kudos and stewardship sections
//! (rendered inside `profile.html`).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use copse_app::{
    AppError, KudosCategory, KudosFormPage, KudosInput, KudosSubject, KudosView, ProfileRecognition, Viewer,
};
use copse_domain::{FieldErrors, TimeZone, Timestamp};
use serde::Deserialize;

use super::home::NoticeQuery;
use super::kudos_export::{ExportParams, download, export_csv_text, export_document, export_filename};
use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/kudos", get(my_kudos))
        .route("/kudos/new", get(new_kudos).post(give_kudos))
        .route("/kudos/export.csv", get(export_csv))
        .route("/kudos/export.json", get(export_json))
        .route("/events/{id}/{key}/kudos", get(new_session_kudos))
        .route("/communities/{slug}/kudos", get(community_kudos))
}

fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "kudos" => "Kudos sent. Thank you for noticing.",
        _ => return None,
    })
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: impl Into<String>, section: &'static str) -> Layout {
    Layout::new(title, state.app.org_name(), Some(viewer), csrf, section)
}

fn page_error(error: AppError) -> Response {
    PageError::from(error).into_response()
}

/// A kudos as a feed line.
pub struct KudosLine {
    pub giver_handle: String,
    pub giver_name: String,
    pub giver_initials: String,
    pub receiver_handle: String,
    pub receiver_name: String,
    pub category: &'static str,
    pub category_word: &'static str,
    pub skill: Option<String>,
    pub message: String,
    pub subject_label: String,
    pub subject_url: Option<String>,
    /// (slug, name), shown where the feed mixes communities.
    pub community: Option<(String, String)>,
    pub when: String,
    pub iso: String,
}

impl KudosLine {
    /// `with_community` names the community on the line (for feeds that mix them).
    pub fn new(k: &KudosView, zone: TimeZone, with_community: bool) -> Self {
        Self {
            giver_handle: k.giver.handle.clone(),
            giver_name: k.giver.name.clone(),
            giver_initials: initials(&k.giver.name),
            receiver_handle: k.receiver.handle.clone(),
            receiver_name: k.receiver.name.clone(),
            category: k.category.label(),
            category_word: k.category.as_str(),
            skill: k.skill.as_ref().map(|(_, name)| name.clone()),
            message: k.message.clone(),
            subject_label: k.subject_label.clone(),
            subject_url: k.subject_url.clone(),
            community: if with_community { k.community.clone() } else { None },
            when: format::date(k.at, zone),
            iso: format::rfc3339(k.at),
        }
    }
}

// ---------------------------------------------------------------------------
// The profile's sections.
// ---------------------------------------------------------------------------

/// What `profile.html` includes from `kudos_profile_*.html`.
pub struct ProfileKudos {
    pub lines: Vec<KudosLine>,
    /// (label, figure) of the stewardship summary; only what is not zero.
    pub stewardship: Vec<(&'static str, String)>,
    /// (category label, count)
    pub by_category: Vec<(&'static str, i64)>,
    /// "you" on one's own profile, else the person's first name.
    pub who: String,
    pub is_self: bool,
}

impl ProfileKudos {
    pub fn new(r: &ProfileRecognition, zone: TimeZone, name: &str, is_self: bool) -> Self {
        let s = &r.stewardship;
        let stewardship = [
            ("Sessions facilitated", s.sessions_facilitated),
            ("Artifact versions written", s.versions_written),
            ("Artifacts looked after", s.artifacts_owned),
            ("Reviews thanked for", s.reviews),
            ("Mentoring now", s.mentoring_active),
            ("Mentorships completed", s.mentoring_completed),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| (label, n.to_string()))
        .collect();
        Self {
            lines: r.received.iter().map(|k| KudosLine::new(k, zone, true)).collect(),
            stewardship,
            by_category: r.by_category.iter().map(|(c, n)| (c.label(), *n)).collect(),
            who: if is_self { "you".into() } else { name.split_whitespace().next().unwrap_or(name).to_string() },
            is_self,
        }
    }
}

// ---------------------------------------------------------------------------
// The kudos form.
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "kudos_form.html")]
struct KudosFormTemplate {
    layout: Layout,
    community: Option<(String, String)>,
    subject_label: String,
    subject_url: String,
    /// Hidden fields naming the subject.
    subject_fields: Vec<(&'static str, String)>,
    /// (handle, name, part)
    candidates: Vec<(String, String, String)>,
    nobody: Option<&'static str>,
    /// (word, label)
    categories: Vec<(&'static str, &'static str)>,
    receiver: String,
    contribution: String,
    skill: String,
    message: String,
    receiver_error: Option<String>,
    contribution_error: Option<String>,
    skill_error: Option<String>,
    message_error: Option<String>,
    /// A refusal that is not about one field (a duplicate).
    conflict: Option<String>,
    error_links: Vec<ErrorLink>,
}

#[derive(Deserialize, Default)]
pub struct KudosFormData {
    post: Option<i64>,
    artifact: Option<i64>,
    event: Option<i64>,
    key: Option<String>,
    mentorship: Option<i64>,
    #[serde(default)]
    receiver: String,
    #[serde(default)]
    contribution: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    message: String,
}

impl KudosFormData {
    fn subject(&self) -> Result<KudosSubject, AppError> {
        KudosSubject::from_fields(self.post, self.artifact, self.event, self.key.as_deref(), self.mentorship)
    }
}

const KUDOS_FIELDS: [(&str, &str); 5] =
    [("receiver", "Who"), ("contribution", "For"), ("skill", "Skill"), ("message", "Message"), ("subject", "What for")];

fn subject_fields(subject: &KudosSubject) -> Vec<(&'static str, String)> {
    match subject {
        KudosSubject::Post(id) => vec![("post", id.to_string())],
        KudosSubject::Artifact(id) => vec![("artifact", id.to_string())],
        KudosSubject::Event { id, key } => vec![("event", id.to_string()), ("key", key.clone())],
        KudosSubject::Mentorship(id) => vec![("mentorship", id.to_string())],
    }
}

fn kudos_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &KudosFormPage,
    data: &KudosFormData,
    errors: &FieldErrors,
    conflict: Option<String>,
) -> KudosFormTemplate {
    let receiver = if data.receiver.is_empty() && page.candidates.len() == 1 {
        page.candidates[0].person.handle.clone()
    } else {
        data.receiver.clone()
    };
    KudosFormTemplate {
        layout: layout(state, viewer, csrf, form_title("Give kudos", errors), "communities"),
        community: page.community.clone(),
        subject_label: page.subject_label.clone(),
        subject_url: page.subject_url.clone(),
        subject_fields: subject_fields(&page.subject),
        candidates: page
            .candidates
            .iter()
            .map(|c| (c.person.handle.clone(), c.person.name.clone(), c.part.clone()))
            .collect(),
        nobody: page.nobody_reason,
        categories: KudosCategory::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        receiver,
        contribution: if data.contribution.is_empty() {
            page.suggested.as_str().to_string()
        } else {
            data.contribution.clone()
        },
        skill: data.skill.clone(),
        message: data.message.clone(),
        receiver_error: errors.get("receiver").map(str::to_string),
        contribution_error: errors.get("contribution").map(str::to_string),
        skill_error: errors.get("skill").map(str::to_string),
        message_error: errors.get("message").map(str::to_string),
        conflict,
        error_links: error_links(errors, |field| {
            KUDOS_FIELDS.iter().find(|f| f.0 == field).map(|f| (f.0.to_string(), f.1))
        }),
    }
}

async fn show_form(state: &WebState, viewer: &Viewer, csrf: &str, subject: Result<KudosSubject, AppError>) -> Response {
    let subject = match subject {
        Ok(subject) => subject,
        Err(error) => return page_error(error),
    };
    match state.app.kudos_form(viewer, &subject).await {
        Ok(page) => {
            render(&kudos_form(state, viewer, csrf, &page, &KudosFormData::default(), &FieldErrors::new(), None))
        }
        Err(error) => page_error(error),
    }
}

pub async fn new_kudos(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(data): Query<KudosFormData>,
) -> Response {
    show_form(&state, &viewer, &csrf, data.subject()).await
}

/// The kudos form for one session ("Give kudos" on an occurrence page).
pub async fn new_session_kudos(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((id, key)): Path<(i64, String)>,
) -> Response {
    show_form(&state, &viewer, &csrf, Ok(KudosSubject::Event { id, key })).await
}

pub async fn give_kudos(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(data): Form<KudosFormData>,
) -> Response {
    let subject = match data.subject() {
        Ok(subject) => subject,
        Err(error) => return page_error(error),
    };
    let input = KudosInput {
        receiver: data.receiver.clone(),
        contribution: data.contribution.clone(),
        skill: data.skill.clone(),
        message: data.message.clone(),
    };
    let (status, errors, conflict) = match state.app.give_kudos(&viewer, &subject, &input).await {
        Ok(kudos) => {
            let target = match &kudos.community {
                Some((slug, _)) => format!("/communities/{slug}/kudos?notice=kudos"),
                None => "/kudos?notice=kudos".to_string(),
            };
            return Redirect::to(&target).into_response();
        }
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, FieldErrors::new(), Some(message)),
        Err(error) => return page_error(error),
    };
    match state.app.kudos_form(&viewer, &subject).await {
        Ok(page) => render_status(status, &kudos_form(&state, &viewer, &csrf, &page, &data, &errors, conflict)),
        Err(error) => page_error(error),
    }
}

// ---------------------------------------------------------------------------
// A community's kudos.
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "kudos_community.html")]
struct CommunityKudosTemplate {
    layout: Layout,
    slug: String,
    name: String,
    kudos: Vec<KudosLine>,
    can_give: bool,
    page: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
pub struct KudosPageQuery {
    page: Option<i64>,
    notice: Option<String>,
}

pub async fn community_kudos(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<KudosPageQuery>,
) -> Response {
    let page = match state.app.community_kudos(&viewer, &slug, query.page.unwrap_or(1)).await {
        Ok(page) => page,
        Err(error) => return page_error(error),
    };
    let c = &page.community;
    let mut layout = layout(&state, &viewer, &csrf, format!("Kudos · {}", c.name), "communities");
    layout.notice = query.notice.as_deref().and_then(notice_text).map(str::to_string);
    let href = |n: i64| format!("/communities/{}/kudos?page={n}", c.slug);
    render(&CommunityKudosTemplate {
        layout,
        slug: c.slug.clone(),
        name: c.name.clone(),
        kudos: page.kudos.iter().map(|k| KudosLine::new(k, viewer.time_zone, false)).collect(),
        can_give: page.can_give,
        page: page.page,
        prev_href: (page.page > 1).then(|| href(page.page - 1)),
        next_href: page.has_next.then(|| href(page.page + 1)),
    })
}

// ---------------------------------------------------------------------------
// One's own kudos and the export.
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "kudos_mine.html")]
struct MyKudosTemplate {
    layout: Layout,
    received: Vec<KudosLine>,
    given: Vec<KudosLine>,
    is_admin: bool,
    today: String,
}

pub async fn my_kudos(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let page = match state.app.my_kudos(&viewer).await {
        Ok(page) => page,
        Err(error) => return page_error(error),
    };
    let mut layout = layout(&state, &viewer, &csrf, "Your kudos", "me");
    layout.notice = query.notice.as_deref().and_then(notice_text).map(str::to_string);
    render(&MyKudosTemplate {
        layout,
        received: page.received.iter().map(|k| KudosLine::new(k, viewer.time_zone, true)).collect(),
        given: page.given.iter().map(|k| KudosLine::new(k, viewer.time_zone, true)).collect(),
        is_admin: page.is_admin,
        today: Timestamp::now().to_utc().with_timezone(&viewer.time_zone.0).format("%Y-%m-%d").to_string(),
    })
}

pub async fn export_csv(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Query(params): Query<ExportParams>,
) -> Response {
    match state.app.export_kudos(&viewer, &params.query()).await {
        Ok(export) => download("text/csv; charset=utf-8", &export_filename(&export, "csv"), export_csv_text(&export)),
        Err(error) => page_error(error),
    }
}

pub async fn export_json(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Query(params): Query<ExportParams>,
) -> Response {
    match state.app.export_kudos(&viewer, &params.query()).await {
        Ok(export) => {
            let body = serde_json::to_string_pretty(&export_document(&export)).unwrap_or_default();
            download("application/json", &export_filename(&export, "json"), body)
        }
        Err(error) => page_error(error),
    }
}
