//! Pages for expertise: "Who knows X?" (`/experts`, with the questions
//! routed to the viewer), the skills vocabulary and its curation (`/skills`),
//! the question-routing settings (`/admin/routing`), and the expertise
//! section of a profile (`experts_profile.html`, included by `profile.html`).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::ExpertiseScorePart as ScorePart;
use copse_app::{
    AppError, EvidenceTarget, ExpertiseLine, ExpertsQuery, RoutedQuestionView, RoutingSettingsInput, SkillInput,
    SkillResolution, SynonymInput, Viewer, VocabularyPage,
};
use copse_domain::{FieldErrors, TimeZone};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::{PageViewer, urlencode};
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/experts", get(show_experts))
        .route("/skills", get(show_skills).post(add_skill))
        .route("/skills/synonyms", post(add_synonym))
        .route("/skills/synonyms/remove", post(remove_synonym))
        .route("/skills/unmapped/map", post(map_unmapped))
        .route("/skills/unmapped/promote", post(promote_unmapped))
        .route("/admin/routing", get(show_routing).post(save_routing))
}

/// Messages shown after a redirect in this area, chosen by code.
fn expertise_notice(code: Option<&str>) -> Option<String> {
    Some(
        match code? {
            "skill-added" => {
                "The skill is added. People who declared it, and evidence tagged with it, count from now on."
            }
            "synonym-added" => "The synonym is added. It now finds the same people as its skill.",
            "synonym-removed" => {
                "The synonym is removed. People who declared it keep their text; it is listed as unmapped."
            }
            "mapped" => "Mapped. The people who declared it keep their text, and it counts for the skill from now on.",
            "promoted" => "It is a skill of its own now.",
            "routing-saved" => "Question routing settings are saved.",
            _ => return None,
        }
        .to_string(),
    )
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: impl Into<String>, section: &'static str) -> Layout {
    Layout::new(title, state.app.org_name(), Some(viewer), csrf, section)
}

/// Hundredths of a point as people read them: "12" or "12.5".
pub(crate) fn points(hundredths: i64) -> String {
    if hundredths % 100 == 0 { (hundredths / 100).to_string() } else { format!("{:.1}", hundredths as f64 / 100.0) }
}

/// One line of a score's explanation.
pub(crate) struct PartView {
    pub label: String,
    pub points: String,
}

fn part_views(parts: &[ScorePart]) -> Vec<PartView> {
    parts.iter().map(|p| PartView { label: p.label.clone(), points: format!("+{}", points(p.points)) }).collect()
}

// --- The profile's expertise section -----------------------------------------

/// One skill on a profile.
pub(crate) struct ProfileSkillView {
    pub name: String,
    pub href: String,
    pub score: String,
    pub parts: Vec<PartView>,
}

/// The expertise section of a profile (`experts_profile.html`).
pub(crate) fn profile_expertise(lines: &[ExpertiseLine]) -> Vec<ProfileSkillView> {
    lines
        .iter()
        .map(|line| ProfileSkillView {
            name: line.skill.name.clone(),
            href: format!("/experts?skill={}", urlencode(&line.skill.key)),
            score: points(line.score),
            parts: part_views(&line.parts),
        })
        .collect()
}

// --- Who knows X? -------------------------------------------------------------

struct EvidenceView {
    href: String,
    title: String,
    what: &'static str,
    date: String,
}

struct ExpertCard {
    rank: usize,
    handle: String,
    name: String,
    initials: String,
    /// "Platform · Berlin"
    place: String,
    score: String,
    outside_team: bool,
    parts: Vec<PartView>,
    evidence: Vec<EvidenceView>,
}

struct RoutedView {
    href: String,
    title: String,
    community: String,
    community_href: String,
    skill: Option<String>,
    when: String,
    status: &'static str,
    status_class: &'static str,
}

fn routed_views(routed: &[RoutedQuestionView], zone: TimeZone) -> Vec<RoutedView> {
    routed
        .iter()
        .map(|r| {
            let (status, status_class) = if r.outcome == "answered" {
                ("You answered", "answered")
            } else if r.solved {
                ("Solved", "solved")
            } else if r.replies > 0 {
                ("Has replies", "replied")
            } else {
                ("Waiting for an answer", "waiting")
            };
            RoutedView {
                href: format!("/threads/{}", r.thread),
                title: r.title.clone(),
                community: r.community_name.clone(),
                community_href: format!("/communities/{}", r.community_slug),
                skill: r.skill.clone(),
                when: format::date(r.routed_at, zone),
                status,
                status_class,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "experts.html")]
struct ExpertsTemplate {
    layout: Layout,
    term: String,
    error: Option<String>,
    vocabulary: Vec<String>,
    skill_name: Option<String>,
    /// "k8s is a synonym of Kubernetes."
    synonym_note: Option<String>,
    unknown: bool,
    suggestions: Vec<(String, String)>,
    experts: Vec<ExpertCard>,
    ranked_text: String,
    has_team: bool,
    page: u32,
    prev_href: Option<String>,
    next_href: Option<String>,
    routed: Vec<RoutedView>,
    /// Popular skills to start from when nothing is typed yet.
    starters: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct ExpertsParams {
    #[serde(default)]
    skill: String,
    page: Option<u32>,
}

fn experts_href(term: &str, page: u32) -> String {
    format!("/experts?skill={}&page={page}", urlencode(term))
}

pub async fn show_experts(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(params): Query<ExpertsParams>,
) -> Response {
    let query = ExpertsQuery { skill: params.skill.clone(), page: params.page.unwrap_or(1).clamp(1, 1_000) };
    let (page, error) = match state.app.who_knows(&viewer, &query).await {
        Ok(page) => (page, None),
        Err(AppError::Invalid(errors)) => {
            let message = errors.get("skill").unwrap_or("check the skill").to_string();
            match state.app.who_knows(&viewer, &ExpertsQuery::default()).await {
                Ok(page) => (page, Some(message)),
                Err(error) => return PageError::from(error).into_response(),
            }
        }
        Err(error) => return PageError::from(error).into_response(),
    };
    let zone = viewer.time_zone;
    let (skill_name, synonym_note, unknown, suggestions) = match &page.resolution {
        SkillResolution::Empty => (None, None, false, Vec::new()),
        SkillResolution::Skill { skill, via_synonym } => (
            Some(skill.name.clone()),
            via_synonym.as_ref().map(|s| format!("“{s}” is a synonym of {}.", skill.name)),
            false,
            Vec::new(),
        ),
        SkillResolution::Unknown { suggestions } => {
            (None, None, true, suggestions.iter().map(|s| (s.name.clone(), experts_href(&s.key, 1))).collect())
        }
    };
    let first = (page.page as usize - 1) * copse_app::EXPERTS_PAGE_SIZE;
    let experts = page
        .experts
        .iter()
        .enumerate()
        .map(|(i, e)| ExpertCard {
            rank: first + i + 1,
            handle: e.handle.clone(),
            name: e.name.clone(),
            initials: initials(&e.name),
            place: [e.team.as_str(), e.location.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
            score: points(e.score),
            outside_team: e.outside_team,
            parts: part_views(&e.parts),
            evidence: e
                .evidence
                .iter()
                .map(|ev| {
                    let (href, what) = match ev.target {
                        EvidenceTarget::Answer { post, .. } => (format!("/posts/{post}"), "Accepted answer"),
                        EvidenceTarget::Artifact { id } => (format!("/artifacts/{id}"), "Artifact"),
                    };
                    EvidenceView { href, title: ev.title.clone(), what, date: format::date(ev.at, zone) }
                })
                .collect(),
        })
        .collect();
    let term = page.term.clone();
    let starters = page
        .vocabulary
        .iter()
        .filter(|s| {
            ["kubernetes", "rust", "python", "typescript", "security", "machine-learning"].contains(&s.key.as_str())
        })
        .map(|s| (s.name.clone(), experts_href(&s.key, 1)))
        .collect();
    let title = match &skill_name {
        Some(name) => format!("Who knows {name}?"),
        None => "Who knows…?".to_string(),
    };
    let template = ExpertsTemplate {
        layout: layout(
            &state,
            &viewer,
            &csrf,
            if error.is_some() { format!("Error: {title}") } else { title },
            "experts",
        ),
        error,
        vocabulary: page.vocabulary.iter().map(|s| s.name.clone()).collect(),
        skill_name,
        synonym_note,
        unknown,
        suggestions,
        experts,
        ranked_text: if page.ranked >= copse_app::EXPERTS_CONSIDERED as usize {
            format!("The {} best-placed people", page.ranked)
        } else {
            format::count(page.ranked as i64, "person", "people")
        },
        has_team: !page.asker_team.is_empty(),
        page: page.page,
        prev_href: (page.page > 1).then(|| experts_href(&term, page.page - 1)),
        next_href: page.has_next.then(|| experts_href(&term, page.page + 1)),
        routed: routed_views(&page.routed_to_me, zone),
        starters,
        term,
    };
    render(&template)
}

// --- The vocabulary -------------------------------------------------------------

struct SkillRowView {
    key: String,
    name: String,
    description: String,
    synonyms: Vec<String>,
    experts_href: String,
}

struct UnmappedView {
    key: String,
    example: String,
    people: String,
    /// A name to suggest when promoting: the text as typed.
    suggested_name: String,
}

/// What was typed into one of the curation forms, with its errors.
#[derive(Default)]
struct CurationForms {
    skill: SkillInput,
    synonym: SynonymInput,
    errors: FieldErrors,
    /// Which form the errors belong to: "skill", "synonym" or "unmapped".
    failed: &'static str,
    /// The unmapped key a failed map or promote was about.
    unmapped_key: String,
}

#[derive(Template)]
#[template(path = "skills.html")]
struct SkillsTemplate {
    layout: Layout,
    can_curate: bool,
    can_configure_routing: bool,
    skills: Vec<SkillRowView>,
    unmapped: Vec<UnmappedView>,
    skill_choices: Vec<(String, String)>,
    skill_key: String,
    skill_name: String,
    skill_description: String,
    synonym: String,
    synonym_skill: String,
    errors: FieldErrors,
    failed: &'static str,
    unmapped_key: String,
    error_links: Vec<ErrorLink>,
}

fn skill_field(field: &'static str) -> Option<(String, &'static str)> {
    Some(match field {
        "key" => ("skill-key".into(), "Key"),
        "name" => ("skill-name".into(), "Name"),
        "description" => ("skill-description".into(), "Description"),
        "synonym" => ("synonym".into(), "Synonym"),
        "skill" => ("synonym-skill".into(), "Skill"),
        _ => return None,
    })
}

fn skills_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: VocabularyPage,
    forms: CurationForms,
    notice: Option<&str>,
) -> SkillsTemplate {
    let mut layout = layout(state, viewer, csrf, form_title("Skills vocabulary", &forms.errors), "people");
    layout.notice = expertise_notice(notice);
    let links = if forms.failed == "unmapped" {
        // The unmapped forms sit on each row; the summary names the key.
        forms
            .errors
            .0
            .iter()
            .map(|e| ErrorLink {
                target: format!("unmapped-{}", forms.unmapped_key),
                text: format!("{}: {}", forms.unmapped_key, e.message),
            })
            .collect()
    } else {
        error_links(&forms.errors, skill_field)
    };
    SkillsTemplate {
        layout,
        can_curate: page.can_curate,
        can_configure_routing: page.can_configure_routing,
        skill_choices: page.skills.iter().map(|s| (s.key.clone(), s.name.clone())).collect(),
        skills: page
            .skills
            .iter()
            .map(|s| SkillRowView {
                key: s.key.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                synonyms: s.synonyms.clone(),
                experts_href: experts_href(&s.key, 1),
            })
            .collect(),
        unmapped: page
            .unmapped
            .iter()
            .map(|u| UnmappedView {
                key: u.key.clone(),
                example: u.example.clone(),
                people: format::count(u.people, "person", "people"),
                suggested_name: u.example.clone(),
            })
            .collect(),
        skill_key: forms.skill.key,
        skill_name: forms.skill.name,
        skill_description: forms.skill.description,
        synonym: forms.synonym.synonym,
        synonym_skill: forms.synonym.skill,
        errors: forms.errors,
        failed: forms.failed,
        unmapped_key: forms.unmapped_key,
        error_links: links,
    }
}

async fn skills_page(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    forms: CurationForms,
    notice: Option<&str>,
) -> Response {
    let status = if forms.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    match state.app.vocabulary_page(viewer).await {
        Ok(page) => render_status(status, &skills_template(state, viewer, csrf, page, forms, notice)),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeParams {
    notice: Option<String>,
}

pub async fn show_skills(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(params): Query<NoticeParams>,
) -> Response {
    skills_page(&state, &viewer, &csrf, CurationForms::default(), params.notice.as_deref()).await
}

#[derive(Deserialize)]
pub struct SkillForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn add_skill(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<SkillForm>,
) -> Response {
    let input = SkillInput { key: form.key, name: form.name, description: form.description };
    match state.app.add_skill(&viewer, &input).await {
        Ok(_) => Redirect::to("/skills?notice=skill-added").into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = CurationForms { skill: input, errors, failed: "skill", ..Default::default() };
            skills_page(&state, &viewer, &csrf, forms, None).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct SynonymForm {
    #[serde(default)]
    synonym: String,
    #[serde(default)]
    skill: String,
}

pub async fn add_synonym(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<SynonymForm>,
) -> Response {
    let input = SynonymInput { synonym: form.synonym, skill: form.skill };
    match state.app.add_synonym(&viewer, &input).await {
        Ok(_) => Redirect::to("/skills?notice=synonym-added").into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = CurationForms { synonym: input, errors, failed: "synonym", ..Default::default() };
            skills_page(&state, &viewer, &csrf, forms, None).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn remove_synonym(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Form(form): Form<SynonymForm>,
) -> Response {
    match state.app.remove_synonym(&viewer, &form.synonym).await {
        Ok(()) => Redirect::to("/skills?notice=synonym-removed").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct UnmappedForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn map_unmapped(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<UnmappedForm>,
) -> Response {
    match state.app.map_unmapped_skill(&viewer, &form.key, &form.skill).await {
        Ok(_) => Redirect::to("/skills?notice=mapped").into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = CurationForms { errors, failed: "unmapped", unmapped_key: form.key, ..Default::default() };
            skills_page(&state, &viewer, &csrf, forms, None).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn promote_unmapped(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<UnmappedForm>,
) -> Response {
    match state.app.promote_unmapped_skill(&viewer, &form.key, &form.name, &form.description).await {
        Ok(_) => Redirect::to("/skills?notice=promoted").into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = CurationForms { errors, failed: "unmapped", unmapped_key: form.key, ..Default::default() };
            skills_page(&state, &viewer, &csrf, forms, None).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- Routing settings -----------------------------------------------------------

struct NumberField {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    min: i64,
    max: i64,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "skills_routing.html")]
struct RoutingTemplate {
    layout: Layout,
    fields: Vec<NumberField>,
    error_links: Vec<ErrorLink>,
}

fn routing_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    input: &RoutingSettingsInput,
    errors: &FieldErrors,
    notice: Option<&str>,
) -> RoutingTemplate {
    let field =
        |name: &'static str, label: &'static str, hint: &'static str, value: &str, min: i64, max: i64| NumberField {
            name,
            label,
            hint,
            value: value.to_string(),
            min,
            max,
            error: errors.get(name).map(str::to_string),
        };
    let mut layout = layout(state, viewer, csrf, form_title("Question routing", errors), "people");
    layout.notice = expertise_notice(notice);
    RoutingTemplate {
        layout,
        fields: vec![
            field(
                "after_minutes",
                "Wait before routing",
                "(minutes without a reply; 5 to 10,080)",
                &input.after_minutes,
                5,
                10_080,
            ),
            field("per_question", "People per question", "(1 to 10)", &input.per_question, 1, 10),
            field("weekly_cap", "Routed questions per person a week", "(at most; 1 to 50)", &input.weekly_cap, 1, 50),
        ],
        error_links: error_links(errors, |name| {
            Some(match name {
                "after_minutes" => ("after_minutes".to_string(), "Wait before routing"),
                "per_question" => ("per_question".to_string(), "People per question"),
                "weekly_cap" => ("weekly_cap".to_string(), "Routed questions per person a week"),
                _ => return None,
            })
        }),
    }
}

pub async fn show_routing(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(params): Query<NoticeParams>,
) -> Response {
    match state.app.routing_settings(&viewer).await {
        Ok(settings) => render(&routing_template(
            &state,
            &viewer,
            &csrf,
            &RoutingSettingsInput::from_settings(&settings),
            &FieldErrors::new(),
            params.notice.as_deref(),
        )),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct RoutingForm {
    #[serde(default)]
    after_minutes: String,
    #[serde(default)]
    per_question: String,
    #[serde(default)]
    weekly_cap: String,
}

pub async fn save_routing(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<RoutingForm>,
) -> Response {
    let input = RoutingSettingsInput {
        after_minutes: form.after_minutes,
        per_question: form.per_question,
        weekly_cap: form.weekly_cap,
    };
    match state.app.update_routing_settings(&viewer, &input).await {
        Ok(_) => Redirect::to("/admin/routing?notice=routing-saved").into_response(),
        Err(AppError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &routing_template(&state, &viewer, &csrf, &input, &errors, None),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}
