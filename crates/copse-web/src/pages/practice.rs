//! Pages for the practice repository: a community's artifacts, an artifact
//! with its backlinks, new and edit (each save a version), history and diff,
//! status and owners, stale artifacts, "I used this", checklist runs.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::{AppError, ArtifactPage, ArtifactSummary, ArtifactView, ChecklistRunView, PracticeQuery, Viewer};
use copse_domain::{ArtifactInput, ArtifactKind, ArtifactStatus, CurationInput, DiffKind, FieldErrors, Timestamp};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/practice", get(list_artifacts))
        .route("/communities/{slug}/practice/new", get(new_artifact).post(create_artifact))
        .route("/communities/{slug}/practice/stale", get(stale_artifacts))
        .route("/artifacts/{id}", get(show_artifact))
        .route("/artifacts/{id}/edit", get(edit_artifact).post(save_version))
        .route("/artifacts/{id}/history", get(show_history))
        .route("/artifacts/{id}/versions/{version}", get(show_version))
        .route("/artifacts/{id}/diff", get(show_diff))
        .route("/artifacts/{id}/curation", post(curate))
        .route("/artifacts/{id}/reuse", post(record_reuse))
        .route("/artifacts/{id}/run", post(start_run))
        .route("/checklist-runs/{id}", get(show_run).post(update_run))
}

/// Messages shown after a redirect in this area, chosen by code so no
/// request text is echoed into the page.
fn practice_notice(code: Option<&str>) -> Option<String> {
    Some(
        match code? {
            "created" => "The artifact is saved as version 1. You are its owner.",
            "version" => "Saved as a new version.",
            "curated" => "Status, owners and review date are saved.",
            "reused" => "Thanks! Your reuse is recorded; it helps the owners see what is worth keeping up to date.",
            "run-saved" => "Your progress is saved.",
            "run-completed" => "Checklist completed and recorded as a reuse.",
            _ => return None,
        }
        .to_string(),
    )
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: impl Into<String>, notice: Option<&str>) -> Layout {
    let mut layout = Layout::new(title, state.app.org_name(), Some(viewer), csrf, "communities");
    layout.notice = practice_notice(notice);
    layout
}

fn status_class(status: ArtifactStatus) -> &'static str {
    match status {
        ArtifactStatus::Draft => "status-draft",
        ArtifactStatus::InReview => "status-in-review",
        ArtifactStatus::Published => "status-published",
        ArtifactStatus::Deprecated => "status-deprecated",
        ArtifactStatus::Superseded => "status-superseded",
    }
}

/// An artifact as a row in lists.
struct ArtifactRowView {
    href: String,
    title: String,
    kind: &'static str,
    status: &'static str,
    status_class: &'static str,
    stale: bool,
    review_by: Option<String>,
    tags: Vec<String>,
    facts: String,
    updated: String,
    updated_iso: String,
}

fn row_view(a: &ArtifactSummary, viewer: &Viewer) -> ArtifactRowView {
    ArtifactRowView {
        href: format!("/artifacts/{}", a.id),
        title: a.title.clone(),
        kind: a.kind.label(),
        status: a.status.label(),
        status_class: status_class(a.status),
        stale: a.stale,
        review_by: a.review_by.map(|d| d.format("%-d %b %Y").to_string()),
        tags: a.tags.clone(),
        facts: format!(
            "{} · {} · {}",
            format::count(a.versions, "version", "versions"),
            format::count(a.views, "view", "views"),
            format::count(a.reuses, "reuse", "reuses")
        ),
        updated: format::date(a.updated_at, viewer.time_zone),
        updated_iso: format::rfc3339(a.updated_at),
    }
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticeTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    can_participate: bool,
    stale_count: Option<usize>,
    my_stale: Vec<ArtifactRowView>,
    artifacts: Vec<ArtifactRowView>,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    tags: Vec<(String, usize)>,
    kind: String,
    status: String,
    tag: String,
    filtered: bool,
    page: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    tag: String,
    page: Option<u32>,
    notice: Option<String>,
}

fn list_href(slug: &str, kind: &str, status: &str, tag: &str, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [("kind", kind), ("status", status), ("tag", tag)] {
        if !value.is_empty() {
            pairs.push((name, value.to_string()));
        }
    }
    if page > 0 {
        pairs.push(("page", page.to_string()));
    }
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    if query.is_empty() {
        format!("/communities/{slug}/practice")
    } else {
        format!("/communities/{slug}/practice?{query}")
    }
}

pub async fn list_artifacts(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    // A hand-typed filter that names nothing known is ignored, not an error.
    let kind = ArtifactKind::parse(&query.kind).map(|k| k.as_str().to_string()).unwrap_or_default();
    let status = ArtifactStatus::parse(&query.status).map(|s| s.as_str().to_string()).unwrap_or_default();
    let tag = query.tag.trim().to_lowercase();
    let page_number = query.page.unwrap_or(0).min(10_000);
    let request = PracticeQuery { kind: kind.clone(), status: status.clone(), tag: tag.clone(), page: page_number };
    let page = match state.app.practice_page(&viewer, &slug, &request).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let slug = page.community_slug.clone();
    let template = PracticeTemplate {
        layout: layout(&state, &viewer, &csrf, format!("Practice · {}", page.community_name), query.notice.as_deref()),
        community_name: page.community_name.clone(),
        can_participate: page.can_participate,
        stale_count: page.stale_count,
        my_stale: page.my_stale.iter().map(|a| row_view(a, &viewer)).collect(),
        artifacts: page.artifacts.iter().map(|a| row_view(a, &viewer)).collect(),
        kinds: ArtifactKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        statuses: ArtifactStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        tags: page.tags.clone(),
        filtered: !(kind.is_empty() && status.is_empty() && tag.is_empty()),
        page: page_number + 1,
        prev_href: (page_number > 0).then(|| list_href(&slug, &kind, &status, &tag, page_number - 1)),
        next_href: page.has_next.then(|| list_href(&slug, &kind, &status, &tag, page_number + 1)),
        kind,
        status,
        tag,
        slug,
    };
    render(&template)
}

struct FormField {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    input_type: &'static str,
    value: String,
    choices: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "artifact_form.html")]
struct ArtifactFormTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    /// For an edit: the version the form started from.
    base_version: Option<i64>,
    /// For a conflicting edit: the latest version's number and where to see it.
    conflict: Option<(i64, String)>,
    fields: Vec<FormField>,
    body: FormField,
    error_links: Vec<ErrorLink>,
}

/// (name, label, hint, input type); the body textarea is separate.
const CREATE_FIELDS: [(&str, &str, &str, &str); 6] = [
    ("kind", "Kind", "", "select"),
    ("title", "Title", "(3 to 200 characters)", "text"),
    ("status", "Status", "", "select"),
    ("tags", "Tags", "(up to 8, separated by commas or spaces, e.g. release, rust)", "text"),
    ("review_by", "Review by", "(optional: after this date the owners are asked to review it)", "date"),
    ("message", "Version note", "(optional: what this version says or changes)", "text"),
];

const EDIT_FIELDS: [(&str, &str, &str, &str); 4] = [
    ("kind", "Kind", "", "select"),
    ("title", "Title", "(3 to 200 characters)", "text"),
    ("tags", "Tags", "(up to 8, separated by commas or spaces)", "text"),
    ("message", "Version note", "(what you changed and why; shown in the history)", "text"),
];

fn value_of<'a>(input: &'a ArtifactInput, name: &str) -> &'a str {
    match name {
        "kind" => &input.kind,
        "title" => &input.title,
        "status" => &input.status,
        "tags" => &input.tags,
        "review_by" => &input.review_by,
        "message" => &input.message,
        _ => &input.body,
    }
}

struct FormMode {
    heading: String,
    action: String,
    submit_label: &'static str,
    cancel_href: String,
    base_version: Option<i64>,
    conflict: Option<(i64, String)>,
}

#[allow(clippy::too_many_arguments)]
fn artifact_form(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    community_name: &str,
    input: &ArtifactInput,
    errors: &FieldErrors,
    mode: FormMode,
) -> ArtifactFormTemplate {
    let specs: &[(&str, &str, &str, &str)] = if mode.base_version.is_some() { &EDIT_FIELDS } else { &CREATE_FIELDS };
    let field = |(name, label, hint, input_type): (&'static str, &'static str, &'static str, &'static str)| FormField {
        name,
        label,
        hint,
        input_type,
        value: value_of(input, name).to_string(),
        choices: match name {
            "kind" => ArtifactKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            "status" => {
                ArtifactStatus::ALL.iter().filter(|s| !s.is_retired()).map(|s| (s.as_str(), s.label())).collect()
            }
            _ => Vec::new(),
        },
        error: errors.get(name).map(str::to_string),
    };
    let fields = specs.iter().map(|f| field(*f)).collect();
    let body = field((
        "body",
        "Body",
        "(Markdown; up to 100,000 characters; link other artifacts as /artifacts/12)",
        "textarea",
    ));
    let links = error_links(errors, |name| {
        specs.iter().chain([("body", "Body", "", "")].iter()).find(|f| f.0 == name).map(|f| (f.0.to_string(), f.1))
    });
    ArtifactFormTemplate {
        layout: Layout::new(form_title(&mode.heading, errors), state.app.org_name(), Some(viewer), csrf, "communities"),
        slug: slug.to_string(),
        community_name: community_name.to_string(),
        heading: mode.heading,
        action: mode.action,
        submit_label: mode.submit_label,
        cancel_href: mode.cancel_href,
        base_version: mode.base_version,
        conflict: mode.conflict,
        fields,
        body,
        error_links: links,
    }
}

fn create_mode(slug: &str) -> FormMode {
    FormMode {
        heading: "New artifact".into(),
        action: format!("/communities/{slug}/practice/new"),
        submit_label: "Save version 1",
        cancel_href: format!("/communities/{slug}/practice"),
        base_version: None,
        conflict: None,
    }
}

fn edit_mode(artifact: &ArtifactView, base_version: i64, conflict: bool) -> FormMode {
    FormMode {
        heading: format!("Edit {}", artifact.title),
        action: format!("/artifacts/{}/edit", artifact.id),
        submit_label: "Save as a new version",
        cancel_href: format!("/artifacts/{}", artifact.id),
        base_version: Some(base_version),
        conflict: conflict.then(|| {
            (
                artifact.current_version,
                format!("/artifacts/{}/diff?from={base_version}&to={}", artifact.id, artifact.current_version),
            )
        }),
    }
}

#[derive(Deserialize)]
pub struct ArtifactFormData {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    review_by: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    base_version: String,
}

impl ArtifactFormData {
    fn input(&self) -> ArtifactInput {
        ArtifactInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            message: self.message.clone(),
            tags: self.tags.clone(),
            review_by: self.review_by.clone(),
            status: self.status.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct KindQuery {
    #[serde(default)]
    kind: String,
}

pub async fn new_artifact(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<KindQuery>,
) -> Response {
    let (slug, name) = match state.app.can_write_artifacts(&viewer, &slug).await {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let kind = ArtifactKind::parse(&query.kind).unwrap_or(ArtifactKind::Guide);
    let input = ArtifactInput { kind: kind.as_str().into(), status: "draft".into(), ..Default::default() };
    render(&artifact_form(&state, &viewer, &csrf, &slug, &name, &input, &FieldErrors::new(), create_mode(&slug)))
}

pub async fn create_artifact(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<ArtifactFormData>,
) -> Response {
    let input = form.input();
    match state.app.create_artifact(&viewer, &slug, &input).await {
        Ok(artifact) => Redirect::to(&format!("/artifacts/{}?notice=created", artifact.id)).into_response(),
        Err(AppError::Invalid(errors)) => match state.app.can_write_artifacts(&viewer, &slug).await {
            Ok((slug, name)) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &artifact_form(&state, &viewer, &csrf, &slug, &name, &input, &errors, create_mode(&slug)),
            ),
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn edit_artifact(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    let artifact = match state.app.artifact_for_edit(&viewer, id).await {
        Ok(artifact) => artifact,
        Err(error) => return PageError::from(error).into_response(),
    };
    let input = ArtifactInput {
        kind: artifact.kind.as_str().into(),
        title: artifact.title.clone(),
        body: artifact.body.clone(),
        tags: artifact.tags.join(", "),
        ..Default::default()
    };
    let mode = edit_mode(&artifact, artifact.current_version, false);
    render(&artifact_form(
        &state,
        &viewer,
        &csrf,
        &artifact.community_slug,
        &artifact.community_name,
        &input,
        &FieldErrors::new(),
        mode,
    ))
}

pub async fn save_version(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ArtifactFormData>,
) -> Response {
    let input = form.input();
    let Ok(base) = form.base_version.trim().parse::<i64>() else {
        return PageError::status(StatusCode::BAD_REQUEST, "The form did not say which version it started from.")
            .into_response();
    };
    let (status, errors, conflict) = match state.app.save_artifact_version(&viewer, id, base, &input).await {
        Ok(_) => return Redirect::to(&format!("/artifacts/{id}?notice=version")).into_response(),
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, false),
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, FieldErrors::single("body", message), true),
        Err(error) => return PageError::from(error).into_response(),
    };
    let artifact = match state.app.artifact(&viewer, id).await {
        Ok(artifact) => artifact,
        Err(error) => return PageError::from(error).into_response(),
    };
    // What was typed stays in the form, still based on the version it started
    // from, so saving again without looking cannot overwrite the newer one.
    let mode = edit_mode(&artifact, base, conflict);
    render_status(
        status,
        &artifact_form(
            &state,
            &viewer,
            &csrf,
            &artifact.community_slug,
            &artifact.community_name,
            &input,
            &errors,
            mode,
        ),
    )
}

struct PersonLink {
    handle: String,
    name: String,
    initials: String,
}

fn person_link(p: &copse_app::ArtifactPerson) -> PersonLink {
    PersonLink { handle: p.handle.clone(), name: p.name.clone(), initials: initials(&p.name) }
}

struct ReuseLine {
    who: PersonLink,
    what: &'static str,
    note: String,
    when: String,
    iso: String,
}

struct BacklinkLine {
    href: String,
    title: String,
    from: &'static str,
    community: String,
}

#[derive(Template)]
#[template(path = "artifact.html")]
struct ArtifactTemplate {
    layout: Layout,
    id: i64,
    slug: String,
    community_name: String,
    title: String,
    kind: &'static str,
    is_checklist: bool,
    status: &'static str,
    status_class: &'static str,
    deprecated: bool,
    /// (href, title) of the replacement.
    superseded_by: Option<(String, String)>,
    superseded: bool,
    /// Rendered from Markdown and sanitized.
    body_html: String,
    version: i64,
    owners: Vec<PersonLink>,
    created_by: Option<PersonLink>,
    created: String,
    updated: String,
    updated_iso: String,
    review_by: Option<String>,
    stale: bool,
    tags: Vec<(String, String)>,
    views: String,
    reuses: String,
    recent_reuses: Vec<ReuseLine>,
    backlinks: Vec<BacklinkLine>,
    checklist_count: usize,
    open_run: Option<i64>,
    can_participate: bool,
    can_curate: bool,
    reuse_note: String,
    reuse_error: Option<String>,
    statuses: Vec<(&'static str, &'static str)>,
    curation: CurationValues,
    curation_errors: Vec<ErrorLink>,
}

/// What the curation form shows: stored values, or what was typed.
struct CurationValues {
    status: String,
    superseded_by: String,
    owners: String,
    review_by: String,
    status_error: Option<String>,
    superseded_by_error: Option<String>,
    owners_error: Option<String>,
    review_by_error: Option<String>,
}

/// What the artifact page shows besides the artifact: a curation or reuse
/// form that came back with errors.
#[derive(Default)]
struct Resubmitted {
    curation: Option<(CurationInput, FieldErrors)>,
    reuse: Option<(String, String)>,
}

fn artifact_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &ArtifactPage,
    notice: Option<&str>,
    again: Resubmitted,
) -> ArtifactTemplate {
    let a = &page.artifact;
    let zone = viewer.time_zone;
    let stored = CurationInput {
        status: a.status.as_str().into(),
        superseded_by: a.superseded_by.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default(),
        owners: a.owners.iter().map(|o| o.handle.clone()).collect::<Vec<_>>().join(", "),
        review_by: a.review_by.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
    };
    let (typed, errors) = again.curation.unwrap_or((stored, FieldErrors::new()));
    let curation_errors = error_links(&errors, |field| {
        let label = match field {
            "status" => "Status",
            "superseded_by" => "Superseded by",
            "owners" => "Owners",
            "review_by" => "Review by",
            _ => return None,
        };
        Some((format!("curate-{field}"), label))
    });
    let curation = CurationValues {
        status_error: errors.get("status").map(str::to_string),
        superseded_by_error: errors.get("superseded_by").map(str::to_string),
        owners_error: errors.get("owners").map(str::to_string),
        review_by_error: errors.get("review_by").map(str::to_string),
        status: typed.status,
        superseded_by: typed.superseded_by,
        owners: typed.owners,
        review_by: typed.review_by,
    };
    let (reuse_note, reuse_error) = match again.reuse {
        Some((note, error)) => (note, Some(error)),
        None => (String::new(), None),
    };
    ArtifactTemplate {
        layout: layout(state, viewer, csrf, a.title.clone(), notice),
        id: a.id,
        slug: a.community_slug.clone(),
        community_name: a.community_name.clone(),
        title: a.title.clone(),
        kind: a.kind.label(),
        is_checklist: a.kind == ArtifactKind::Checklist,
        status: a.status.label(),
        status_class: status_class(a.status),
        deprecated: a.status == ArtifactStatus::Deprecated,
        superseded: a.status == ArtifactStatus::Superseded,
        superseded_by: a.superseded_by.as_ref().map(|(id, title)| (format!("/artifacts/{id}"), title.clone())),
        body_html: crate::markdown::render(&a.body),
        version: a.current_version,
        owners: a.owners.iter().map(person_link).collect(),
        created_by: a.created_by.as_ref().map(person_link),
        created: format::date(a.created_at, zone),
        updated: format::date(a.updated_at, zone),
        updated_iso: format::rfc3339(a.updated_at),
        review_by: a.review_by.map(|d| d.format("%-d %b %Y").to_string()),
        stale: a.stale,
        tags: a.tags.iter().map(|t| (t.clone(), list_href(&a.community_slug, "", "", t, 0))).collect(),
        views: format::count(a.view_count, "view", "views"),
        reuses: format::count(a.reuse_count, "reuse", "reuses"),
        recent_reuses: page
            .reuses
            .iter()
            .map(|r| ReuseLine {
                who: person_link(&r.person),
                what: if r.kind == "checklist-run" { "ran the checklist" } else { "used this" },
                note: r.note.clone(),
                when: format::date(r.at, zone),
                iso: format::rfc3339(r.at),
            })
            .collect(),
        backlinks: page
            .backlinks
            .iter()
            .map(|b| BacklinkLine {
                href: b.href.clone(),
                title: b.title.clone(),
                from: if b.source_kind == "post" { "Discussion" } else { "Artifact" },
                community: b.community_name.clone(),
            })
            .collect(),
        checklist_count: page.checklist.len(),
        open_run: page.open_run,
        can_participate: page.can_participate,
        can_curate: page.can_curate,
        reuse_note,
        reuse_error,
        statuses: ArtifactStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        curation,
        curation_errors,
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

pub async fn show_artifact(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.artifact_page(&viewer, id).await {
        Ok(page) => {
            render(&artifact_template(&state, &viewer, &csrf, &page, query.notice.as_deref(), Resubmitted::default()))
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CurationForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    superseded_by: String,
    #[serde(default)]
    owners: String,
    #[serde(default)]
    review_by: String,
}

pub async fn curate(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<CurationForm>,
) -> Response {
    let input = CurationInput {
        status: form.status,
        superseded_by: form.superseded_by,
        owners: form.owners,
        review_by: form.review_by,
    };
    match state.app.curate_artifact(&viewer, id, &input).await {
        Ok(_) => Redirect::to(&format!("/artifacts/{id}?notice=curated")).into_response(),
        Err(AppError::Invalid(errors)) => match state.app.artifact_page(&viewer, id).await {
            Ok(page) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &artifact_template(
                    &state,
                    &viewer,
                    &csrf,
                    &page,
                    None,
                    Resubmitted { curation: Some((input, errors)), reuse: None },
                ),
            ),
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReuseForm {
    #[serde(default)]
    note: String,
}

pub async fn record_reuse(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ReuseForm>,
) -> Response {
    match state.app.record_artifact_reuse(&viewer, id, &form.note).await {
        Ok(_) => Redirect::to(&format!("/artifacts/{id}?notice=reused")).into_response(),
        Err(AppError::Invalid(errors)) => match state.app.artifact_page(&viewer, id).await {
            Ok(page) => {
                let message = errors.get("note").unwrap_or("This note cannot be saved.").to_string();
                render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &artifact_template(
                        &state,
                        &viewer,
                        &csrf,
                        &page,
                        None,
                        Resubmitted { curation: None, reuse: Some((form.note, message)) },
                    ),
                )
            }
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

struct VersionLine {
    version: i64,
    href: String,
    diff_href: Option<String>,
    title: String,
    message: String,
    author: Option<PersonLink>,
    when: String,
    iso: String,
    size: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "artifact_history.html")]
struct HistoryTemplate {
    layout: Layout,
    id: i64,
    slug: String,
    community_name: String,
    title: String,
    versions: Vec<VersionLine>,
    numbers: Vec<i64>,
    default_from: i64,
    default_to: i64,
}

pub async fn show_history(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    let (artifact, versions) = match state.app.artifact_history(&viewer, id).await {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let zone = viewer.time_zone;
    let template = HistoryTemplate {
        layout: layout(&state, &viewer, &csrf, format!("History · {}", artifact.title), None),
        id,
        slug: artifact.community_slug.clone(),
        community_name: artifact.community_name.clone(),
        title: artifact.title.clone(),
        numbers: versions.iter().map(|v| v.version).collect(),
        default_from: (artifact.current_version - 1).max(1),
        default_to: artifact.current_version,
        versions: versions
            .iter()
            .map(|v| VersionLine {
                version: v.version,
                href: format!("/artifacts/{id}/versions/{}", v.version),
                diff_href: (v.version > 1)
                    .then(|| format!("/artifacts/{id}/diff?from={}&to={}", v.version - 1, v.version)),
                title: v.title.clone(),
                message: v.message.clone(),
                author: v.author.as_ref().map(person_link),
                when: format!("{}, {}", format::date(v.created_at, zone), format::time(v.created_at, zone)),
                iso: format::rfc3339(v.created_at),
                size: format::count(v.chars, "character", "characters"),
                current: v.version == artifact.current_version,
            })
            .collect(),
    };
    render(&template)
}

#[derive(Template)]
#[template(path = "artifact_version.html")]
struct VersionTemplate {
    layout: Layout,
    id: i64,
    slug: String,
    community_name: String,
    current_title: String,
    version: i64,
    current_version: i64,
    title: String,
    message: String,
    author: Option<PersonLink>,
    when: String,
    iso: String,
    body_html: String,
    prev_diff: Option<String>,
}

pub async fn show_version(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((id, version)): Path<(i64, i64)>,
) -> Response {
    let (artifact, v) = match state.app.artifact_version(&viewer, id, version).await {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let zone = viewer.time_zone;
    let template = VersionTemplate {
        layout: layout(&state, &viewer, &csrf, format!("Version {version} · {}", artifact.title), None),
        id,
        slug: artifact.community_slug.clone(),
        community_name: artifact.community_name.clone(),
        current_title: artifact.title.clone(),
        version: v.version,
        current_version: artifact.current_version,
        title: v.title.clone(),
        message: v.message.clone(),
        author: v.author.as_ref().map(person_link),
        when: format!("{}, {}", format::date(v.created_at, zone), format::time(v.created_at, zone)),
        iso: format::rfc3339(v.created_at),
        body_html: crate::markdown::render(&v.body),
        prev_diff: (v.version > 1).then(|| format!("/artifacts/{id}/diff?from={}&to={}", v.version - 1, v.version)),
    };
    render(&template)
}

struct DiffRow {
    class: &'static str,
    marker: &'static str,
    /// What a screen reader says for the marker.
    spoken: &'static str,
    old_line: String,
    new_line: String,
    text: String,
}

struct HunkView {
    header: String,
    rows: Vec<DiffRow>,
}

#[derive(Template)]
#[template(path = "artifact_diff.html")]
struct DiffTemplate {
    layout: Layout,
    id: i64,
    slug: String,
    community_name: String,
    title: String,
    from: i64,
    to: i64,
    from_label: String,
    to_label: String,
    added: usize,
    removed: usize,
    hunks: Vec<HunkView>,
    numbers: Vec<i64>,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

pub async fn show_diff(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<DiffQuery>,
) -> Response {
    let (artifact, versions) = match state.app.artifact_history(&viewer, id).await {
        Ok(found) => found,
        Err(error) => return PageError::from(error).into_response(),
    };
    let number = |text: &Option<String>, default: i64| match text.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text.parse::<i64>().map_err(|_| ()),
    };
    let current = artifact.current_version;
    let (Ok(from), Ok(to)) = (number(&query.from, (current - 1).max(1)), number(&query.to, current)) else {
        return PageError::status(StatusCode::BAD_REQUEST, "Versions are numbers, like ?from=1&to=3.").into_response();
    };
    let diff = match state.app.artifact_diff(&viewer, id, from, to).await {
        Ok(diff) => diff,
        Err(error) => return PageError::from(error).into_response(),
    };
    let zone = viewer.time_zone;
    let label = |v: &copse_app::ArtifactVersionView| {
        let who = v.author.as_ref().map(|a| a.name.as_str()).unwrap_or("someone");
        format!("Version {} by {who}, {}", v.version, format::date(v.created_at, zone))
    };
    let line = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let template = DiffTemplate {
        layout: layout(&state, &viewer, &csrf, format!("Changes · {}", artifact.title), None),
        id,
        slug: artifact.community_slug.clone(),
        community_name: artifact.community_name.clone(),
        title: artifact.title.clone(),
        from,
        to,
        from_label: label(&diff.from),
        to_label: label(&diff.to),
        added: diff.added,
        removed: diff.removed,
        hunks: diff
            .hunks
            .iter()
            .map(|h| HunkView {
                header: h.header(),
                rows: h
                    .lines
                    .iter()
                    .map(|l| {
                        let (class, marker, spoken) = match l.kind {
                            DiffKind::Equal => ("diff-same", " ", "unchanged"),
                            DiffKind::Added => ("diff-add", "+", "added"),
                            DiffKind::Removed => ("diff-del", "−", "removed"),
                        };
                        DiffRow {
                            class,
                            marker,
                            spoken,
                            old_line: line(l.old_line),
                            new_line: line(l.new_line),
                            text: l.text.clone(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        numbers: versions.iter().map(|v| v.version).collect(),
    };
    render(&template)
}

pub async fn start_run(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.start_checklist_run(&viewer, id).await {
        Ok(run) => Redirect::to(&format!("/checklist-runs/{run}")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Template)]
#[template(path = "checklist_run.html")]
struct RunTemplate {
    layout: Layout,
    id: i64,
    artifact_id: i64,
    slug: String,
    community_name: String,
    title: String,
    version: i64,
    items: Vec<(usize, String, bool)>,
    ticked: usize,
    note: String,
    note_error: Option<String>,
    started: String,
    completed: Option<String>,
}

fn run_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    run: &ChecklistRunView,
    notice: Option<&str>,
    note_error: Option<String>,
) -> RunTemplate {
    let zone = viewer.time_zone;
    let at = |t: Timestamp| format!("{}, {}", format::date(t, zone), format::time(t, zone));
    RunTemplate {
        layout: layout(state, viewer, csrf, format!("Run · {}", run.artifact_title), notice),
        id: run.id,
        artifact_id: run.artifact_id,
        slug: run.community_slug.clone(),
        community_name: run.community_name.clone(),
        title: run.artifact_title.clone(),
        version: run.version,
        ticked: run.items.iter().filter(|(_, t)| *t).count(),
        items: run.items.iter().enumerate().map(|(i, (text, ticked))| (i, text.clone(), *ticked)).collect(),
        note: run.note.clone(),
        note_error,
        started: at(run.started_at),
        completed: run.completed_at.map(at),
    }
}

pub async fn show_run(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.checklist_run(&viewer, id).await {
        Ok(run) => render(&run_template(&state, &viewer, &csrf, &run, query.notice.as_deref(), None)),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// Saves a run's ticks (checkboxes named `tick`, valued by item index) and
/// note; the "complete" button also finishes it.
pub async fn update_run(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let ticks: Vec<usize> =
        fields.iter().filter(|(k, _)| k == "tick").filter_map(|(_, v)| v.trim().parse().ok()).collect();
    let note = fields.iter().find(|(k, _)| k == "note").map(|(_, v)| v.clone()).unwrap_or_default();
    let complete = fields.iter().any(|(k, v)| k == "action" && v == "complete");
    match state.app.update_checklist_run(&viewer, id, &ticks, &note, complete).await {
        Ok(_) => {
            let notice = if complete { "run-completed" } else { "run-saved" };
            Redirect::to(&format!("/checklist-runs/{id}?notice={notice}")).into_response()
        }
        Err(AppError::Invalid(errors)) => match state.app.checklist_run(&viewer, id).await {
            Ok(mut run) => {
                for (i, item) in run.items.iter_mut().enumerate() {
                    item.1 = ticks.contains(&i);
                }
                run.note = note;
                let message = errors.get("note").map(str::to_string);
                render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &run_template(&state, &viewer, &csrf, &run, None, message),
                )
            }
            Err(error) => PageError::from(error).into_response(),
        },
        Err(error) => PageError::from(error).into_response(),
    }
}

struct StaleLine {
    row: ArtifactRowView,
    owners: Vec<PersonLink>,
}

#[derive(Template)]
#[template(path = "practice_stale.html")]
struct StaleTemplate {
    layout: Layout,
    slug: String,
    community_name: String,
    artifacts: Vec<StaleLine>,
}

pub async fn stale_artifacts(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    let stale = match state.app.stale_artifacts(&viewer, &slug).await {
        Ok(stale) => stale,
        Err(error) => return PageError::from(error).into_response(),
    };
    let template = StaleTemplate {
        layout: layout(&state, &viewer, &csrf, format!("Stale artifacts · {}", stale.community_name), None),
        slug: stale.community_slug.clone(),
        community_name: stale.community_name.clone(),
        artifacts: stale
            .artifacts
            .iter()
            .map(|s| StaleLine {
                row: row_view(&s.artifact, &viewer),
                owners: s.owners.iter().map(person_link).collect(),
            })
            .collect(),
    };
    render(&template)
}
