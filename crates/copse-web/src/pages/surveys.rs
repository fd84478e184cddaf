//! Pages for pulse surveys and self-assessments: a community's surveys (the
//! open one with its answer form, past ones with their response rate, the
//! form facilitators open one with, "skills developed"), a survey's results
//! (aggregates only, and only from five responses on), and one's own skill
//! self-assessments. No page shows a single response.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use copse_app::{
    AppError, AssessmentInput, AssessmentPhase, QuestionKind, RESULTS_THRESHOLD, SurveyInput, SurveySummary,
    SurveysPage, Viewer,
};
use copse_domain::FieldErrors;
use serde::Deserialize;

use super::home::NoticeQuery;
use super::layout::{ErrorLink, Layout, error_links, form_title, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/surveys", get(list_surveys).post(open_survey))
        .route("/communities/{slug}/surveys/{id}", get(show_results))
        .route("/communities/{slug}/surveys/{id}/answer", post(answer_survey))
        .route("/communities/{slug}/surveys/{id}/close", post(close_survey))
        .route("/assessments", get(show_assessments).post(record_assessment))
}

fn page_error(error: AppError) -> Response {
    PageError::from(error).into_response()
}

fn layout(state: &WebState, viewer: &Viewer, csrf: &str, title: impl Into<String>, section: &'static str) -> Layout {
    Layout::new(title, state.app.org_name(), Some(viewer), csrf, section)
}

/// A survey in lists, as text.
struct SurveyLine {
    id: i64,
    title: String,
    opened: String,
    closed: Option<String>,
    /// "7 of 12 members answered (58%)"
    rate: String,
}

fn survey_line(s: &SurveySummary, viewer: &Viewer) -> SurveyLine {
    SurveyLine {
        id: s.id,
        title: s.title.clone(),
        opened: format::date(s.opened_at, viewer.time_zone),
        closed: s.closed_at.map(|at| format::date(at, viewer.time_zone)),
        rate: rate_text(s),
    }
}

fn rate_text(s: &SurveySummary) -> String {
    format!("{} of {} answered ({}%)", s.responses, format::count(s.audience, "member", "members"), s.rate_percent())
}

/// A question of the answer form, with what was typed.
struct QuestionField {
    field: &'static str,
    prompt: String,
    is_scale: bool,
    value: String,
    error: Option<String>,
}

/// A custom question row of the "open a survey" form.
struct CustomRow {
    /// 1-based.
    number: usize,
    kind: String,
    prompt: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "survey_list.html")]
struct SurveyListTemplate {
    layout: Layout,
    slug: String,
    name: String,
    open: Option<SurveyLine>,
    questions: Vec<QuestionField>,
    answered: bool,
    can_answer: bool,
    can_run: bool,
    can_read_results: bool,
    past: Vec<SurveyLine>,
    assessed: i64,
    developed: Option<i64>,
    threshold: i64,
    scale: [i64; 5],
    answer_errors: Vec<ErrorLink>,
    answers_error: Option<String>,
    // The "open a survey" form.
    title: String,
    title_error: Option<String>,
    custom: Vec<CustomRow>,
    questions_error: Option<String>,
    open_errors: Vec<ErrorLink>,
    conflict: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OpenSurveyForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind_1: String,
    #[serde(default)]
    question_1: String,
    #[serde(default)]
    kind_2: String,
    #[serde(default)]
    question_2: String,
    #[serde(default)]
    kind_3: String,
    #[serde(default)]
    question_3: String,
    #[serde(default)]
    kind_4: String,
    #[serde(default)]
    question_4: String,
    #[serde(default)]
    kind_5: String,
    #[serde(default)]
    question_5: String,
}

impl OpenSurveyForm {
    fn rows(&self) -> [(&str, &str); 5] {
        [
            (&self.kind_1, &self.question_1),
            (&self.kind_2, &self.question_2),
            (&self.kind_3, &self.question_3),
            (&self.kind_4, &self.question_4),
            (&self.kind_5, &self.question_5),
        ]
    }
}

/// What the list page re-renders with after a refused form.
#[derive(Default)]
struct ListState {
    answers: Vec<(String, String)>,
    answer_errors: FieldErrors,
    open_form: OpenSurveyForm,
    open_errors: FieldErrors,
    conflict: Option<String>,
}

fn list_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &SurveysPage,
    notice: Option<&str>,
    form: &ListState,
) -> SurveyListTemplate {
    let c = &page.community;
    let has_errors = !form.answer_errors.is_empty() || !form.open_errors.is_empty();
    let title = if has_errors { format!("Error: Surveys · {}", c.name) } else { format!("Surveys · {}", c.name) };
    let mut layout = layout(state, viewer, csrf, title, "communities");
    layout.notice = notice.and_then(|code| match code {
        "opened" => Some("The survey is open. Members see it here and can answer once.".to_string()),
        "closed" => Some("The survey is closed; its results stay readable.".to_string()),
        // The count is read from the database, not from the request.
        "answered" => Some(match &page.open {
            Some(open) => format!(
                "Thank you for answering! {} so far ({}% of members).",
                format::count(open.responses, "response", "responses"),
                open.rate_percent()
            ),
            None => "Thank you for answering!".to_string(),
        }),
        "assessed" => Some("Saved.".to_string()),
        _ => None,
    });
    let answer_fields: Vec<(String, &'static str)> =
        page.questions.iter().map(|q| (q.field.to_string(), q.field)).collect();
    SurveyListTemplate {
        layout,
        slug: c.slug.clone(),
        name: c.name.clone(),
        open: page.open.as_ref().map(|s| survey_line(s, viewer)),
        questions: page
            .questions
            .iter()
            .map(|q| QuestionField {
                field: q.field,
                prompt: q.prompt.clone(),
                is_scale: q.kind == QuestionKind::Scale,
                value: form.answers.iter().find(|(f, _)| f == q.field).map(|(_, v)| v.clone()).unwrap_or_default(),
                error: form.answer_errors.get(q.field).map(str::to_string),
            })
            .collect(),
        answered: page.answered,
        can_answer: page.can_answer,
        can_run: page.can_run,
        can_read_results: page.can_read_results,
        past: page.past.iter().map(|s| survey_line(s, viewer)).collect(),
        assessed: page.assessed,
        developed: page.developed,
        threshold: RESULTS_THRESHOLD,
        scale: [1, 2, 3, 4, 5],
        answer_errors: error_links(&form.answer_errors, |field| {
            answer_fields.iter().find(|(f, _)| f == field).map(|(f, _)| (format!("{f}-1"), "Answer"))
        }),
        answers_error: form.answer_errors.get("answers").map(str::to_string),
        title: form.open_form.title.clone(),
        title_error: form.open_errors.get("title").map(str::to_string),
        custom: form
            .open_form
            .rows()
            .iter()
            .enumerate()
            .map(|(i, (kind, prompt))| CustomRow {
                number: i + 1,
                kind: if kind.is_empty() { "scale".into() } else { kind.to_string() },
                prompt: prompt.to_string(),
                error: form.open_errors.get(copse_app::CUSTOM_FIELDS[i]).map(str::to_string),
            })
            .collect(),
        questions_error: form.open_errors.get("questions").map(str::to_string),
        open_errors: error_links(&form.open_errors, |field| match field {
            "title" => Some(("survey-title".into(), "Title")),
            "questions" => Some(("question-1".into(), "Questions")),
            other => copse_app::CUSTOM_FIELDS
                .iter()
                .position(|f| *f == other)
                .map(|i| (format!("question-{}", i + 1), "Question")),
        }),
        conflict: form.conflict.clone(),
    }
}

async fn render_list(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    slug: &str,
    status: StatusCode,
    form: ListState,
) -> Response {
    match state.app.surveys_page(viewer, slug).await {
        Ok(page) => render_status(status, &list_template(state, viewer, csrf, &page, None, &form)),
        Err(error) => page_error(error),
    }
}

pub async fn list_surveys(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.surveys_page(&viewer, &slug).await {
        Ok(page) => {
            render(&list_template(&state, &viewer, &csrf, &page, query.notice.as_deref(), &ListState::default()))
        }
        Err(error) => page_error(error),
    }
}

pub async fn open_survey(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(form): Form<OpenSurveyForm>,
) -> Response {
    let input = SurveyInput {
        title: form.title.clone(),
        questions: form.rows().iter().map(|(k, p)| (k.to_string(), p.to_string())).collect(),
    };
    match state.app.open_survey(&viewer, &slug, &input).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/surveys?notice=opened")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let state_ = ListState { open_form: form, open_errors: errors, ..Default::default() };
            render_list(&state, &viewer, &csrf, &slug, StatusCode::UNPROCESSABLE_ENTITY, state_).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let state_ = ListState { open_form: form, conflict: Some(message), ..Default::default() };
            render_list(&state, &viewer, &csrf, &slug, StatusCode::CONFLICT, state_).await
        }
        Err(error) => page_error(error),
    }
}

pub async fn answer_survey(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let answers: Vec<(String, String)> = fields.into_iter().filter(|(k, _)| k != "_csrf").collect();
    match state.app.answer_survey(&viewer, &slug, id, &answers).await {
        Ok(_) => Redirect::to(&format!("/communities/{slug}/surveys?notice=answered#open-h")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let state_ = ListState { answers, answer_errors: errors, ..Default::default() };
            render_list(&state, &viewer, &csrf, &slug, StatusCode::UNPROCESSABLE_ENTITY, state_).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let state_ = ListState { conflict: Some(message), ..Default::default() };
            render_list(&state, &viewer, &csrf, &slug, StatusCode::CONFLICT, state_).await
        }
        Err(error) => page_error(error),
    }
}

pub async fn close_survey(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path((slug, id)): Path<(String, i64)>,
) -> Response {
    match state.app.close_survey(&viewer, &slug, id).await {
        Ok(()) => Redirect::to(&format!("/communities/{slug}/surveys?notice=closed")).into_response(),
        Err(error) => page_error(error),
    }
}

/// One scale question's results, as text and bars.
struct ScaleLine {
    prompt: String,
    /// (value, count, percent of those who answered it)
    values: Vec<(i64, i64, i64)>,
    answered: i64,
    /// "3.7"
    mean: String,
}

struct TextLine {
    prompt: String,
    answers: Vec<String>,
}

#[derive(Template)]
#[template(path = "survey_results.html")]
struct ResultsTemplate {
    layout: Layout,
    slug: String,
    name: String,
    id: i64,
    title: String,
    open: bool,
    opened: String,
    closed: Option<String>,
    rate: String,
    threshold_met: bool,
    /// Why no results are shown yet.
    results_notice: String,
    scales: Vec<ScaleLine>,
    texts: Vec<TextLine>,
    can_run: bool,
    can_answer: bool,
}

pub async fn show_results(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path((slug, id)): Path<(String, i64)>,
) -> Response {
    let results = match state.app.survey_results(&viewer, &slug, id).await {
        Ok(results) => results,
        Err(error) => return page_error(error),
    };
    let s = &results.survey;
    render(&ResultsTemplate {
        layout: layout(&state, &viewer, &csrf, format!("{} · {}", s.title, results.community.name), "communities"),
        slug: results.community.slug.clone(),
        name: results.community.name.clone(),
        id: s.id,
        title: s.title.clone(),
        open: s.open,
        opened: format::date(s.opened_at, viewer.time_zone),
        closed: s.closed_at.map(|at| format::date(at, viewer.time_zone)),
        rate: rate_text(s),
        threshold_met: results.threshold_met,
        results_notice: s.results_notice().unwrap_or_default(),
        scales: results
            .scales
            .iter()
            .map(|r| ScaleLine {
                prompt: r.question.prompt.clone(),
                values: (1..=5)
                    .map(|v| {
                        let n = r.counts[(v - 1) as usize];
                        (v, n, if r.answered > 0 { (n * 100 + r.answered / 2) / r.answered } else { 0 })
                    })
                    .collect(),
                answered: r.answered,
                mean: format!("{:.1}", r.mean),
            })
            .collect(),
        texts: results
            .texts
            .iter()
            .map(|t| TextLine { prompt: t.question.prompt.clone(), answers: t.answers.clone() })
            .collect(),
        can_run: results.can_run,
        can_answer: results.can_answer,
    })
}

// ---------------------------------------------------------------------------
// Self-assessments.
// ---------------------------------------------------------------------------

struct SkillLine {
    name: String,
    /// "2 → 4", "2 (before)", "4 (after)"
    change: String,
    improved: bool,
    /// (phase label, level, date, community name)
    entries: Vec<(&'static str, i64, String, Option<String>)>,
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct AssessmentsTemplate {
    layout: Layout,
    skills: Vec<SkillLine>,
    communities: Vec<(String, String)>,
    phases: Vec<(&'static str, &'static str)>,
    levels: [(i64, &'static str); 5],
    skill: String,
    phase: String,
    level: String,
    community: String,
    skill_error: Option<String>,
    phase_error: Option<String>,
    level_error: Option<String>,
    community_error: Option<String>,
    error_links: Vec<ErrorLink>,
}

#[derive(Deserialize, Default)]
pub struct AssessmentForm {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    community: String,
}

const ASSESSMENT_FIELDS: [(&str, &str, &str); 4] = [
    ("skill", "skill", "Skill"),
    ("phase", "phase-before", "When"),
    ("level", "level-1", "Level"),
    ("community", "community", "Community"),
];

async fn render_assessments(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    notice: Option<&str>,
    form: &AssessmentForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let page = match state.app.assessments_page(viewer).await {
        Ok(page) => page,
        Err(error) => return page_error(error),
    };
    let mut layout = layout(state, viewer, csrf, form_title("Skill self-assessments", errors), "me");
    layout.notice = notice.filter(|n| *n == "assessed").map(|_| "Saved. Thank you.".to_string());
    let template = AssessmentsTemplate {
        layout,
        skills: page
            .skills
            .iter()
            .map(|s| SkillLine {
                name: s.skill_name.clone(),
                change: match (s.first_before, s.latest_after) {
                    (Some(b), Some(a)) => format!("{b} → {a}"),
                    (Some(b), None) => format!("{b} (before)"),
                    (None, Some(a)) => format!("{a} (after)"),
                    (None, None) => String::new(),
                },
                improved: matches!((s.first_before, s.latest_after), (Some(b), Some(a)) if a > b),
                entries: s
                    .entries
                    .iter()
                    .rev()
                    .map(|e| {
                        (
                            e.phase.label(),
                            e.level,
                            format::date(e.at, viewer.time_zone),
                            e.community.clone().map(|c| c.1),
                        )
                    })
                    .collect(),
            })
            .collect(),
        communities: page.communities,
        phases: AssessmentPhase::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        levels: [(1, "beginner"), (2, "basic"), (3, "working"), (4, "strong"), (5, "expert")],
        skill: form.skill.clone(),
        phase: if form.phase.is_empty() { "before".into() } else { form.phase.clone() },
        level: form.level.clone(),
        community: form.community.clone(),
        skill_error: errors.get("skill").map(str::to_string),
        phase_error: errors.get("phase").map(str::to_string),
        level_error: errors.get("level").map(str::to_string),
        community_error: errors.get("community").map(str::to_string),
        error_links: error_links(errors, |field| {
            ASSESSMENT_FIELDS.iter().find(|f| f.0 == field).map(|f| (f.1.to_string(), f.2))
        }),
    };
    render_status(status, &template)
}

pub async fn show_assessments(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    render_assessments(
        &state,
        &viewer,
        &csrf,
        query.notice.as_deref(),
        &AssessmentForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

pub async fn record_assessment(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<AssessmentForm>,
) -> Response {
    let input = AssessmentInput {
        skill: form.skill.clone(),
        phase: form.phase.clone(),
        level: form.level.clone(),
        community: form.community.clone(),
    };
    match state.app.record_assessment(&viewer, &input).await {
        Ok(_) => Redirect::to("/assessments?notice=assessed").into_response(),
        Err(AppError::Invalid(errors)) => {
            render_assessments(&state, &viewer, &csrf, None, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => page_error(error),
    }
}
