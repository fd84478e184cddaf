//! Value stories (recorded by members, tagged by Wenger-Trayner cycle,
//! linked to their evidence) and the printable value report for sponsors.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use copse_app::{AppError, EvidenceLink, ValueReport, ValueStoriesPage, ValueStoryInput, ValueStoryView, Viewer};
use copse_domain::{FieldErrors, ValueCycle};

use super::home::NoticeQuery;
use super::insight::{ChartBlock, MonthFigures, month_figures, stage_badge, trend_of};
use super::layout::{ErrorLink, Layout, error_links, form_title, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::charts::Unit;
use crate::error::PageError;
use crate::{format, markdown};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/communities/{slug}/value", get(show_stories).post(record_story))
        .route("/communities/{slug}/value-report", get(show_report))
}

fn layout(org: &str, viewer: &Viewer, csrf: &str, title: String) -> Layout {
    Layout::new(title, org, Some(viewer), csrf, "communities")
}

/// Where a piece of evidence lives. Events link to the community's events
/// (an event id alone names a series, not one session).
fn evidence_href(slug: &str, link: &EvidenceLink) -> String {
    match link.kind {
        "thread" => format!("/threads/{}", link.id),
        "artifact" => format!("/artifacts/{}", link.id),
        _ => format!("/communities/{slug}/events"),
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "thread" => "Thread",
        "artifact" => "Artifact",
        "event" => "Event",
        _ => "Link",
    }
}

struct LinkView {
    kind: &'static str,
    title: String,
    href: String,
}

struct StoryView {
    id: i64,
    title: String,
    body_html: String,
    author: Option<(String, String)>,
    date: String,
    iso: String,
    links: Vec<LinkView>,
}

fn story_view(slug: &str, s: &ValueStoryView, viewer: &Viewer) -> StoryView {
    StoryView {
        id: s.id,
        title: s.title.clone(),
        body_html: markdown::render(&s.body),
        author: s.author.as_ref().map(|p| (p.handle.clone(), p.name.clone())),
        date: format::date(s.created_at, viewer.time_zone),
        iso: format::rfc3339(s.created_at),
        links: s
            .links
            .iter()
            .map(|l| LinkView { kind: kind_label(l.kind), title: l.title.clone(), href: evidence_href(slug, l) })
            .collect(),
    }
}

struct CycleView {
    word: &'static str,
    label: &'static str,
    question: &'static str,
    stories: Vec<StoryView>,
}

struct CycleChoice {
    word: &'static str,
    label: &'static str,
    question: &'static str,
    checked: bool,
}

struct LinkChoice {
    value: String,
    id: String,
    kind: &'static str,
    title: String,
    checked: bool,
}

#[derive(Default)]
struct StoryForm {
    cycle: String,
    title: String,
    body: String,
    links: Vec<String>,
}

impl StoryForm {
    fn from_fields(fields: Vec<(String, String)>) -> Self {
        let mut form = StoryForm::default();
        for (key, value) in fields {
            match key.as_str() {
                "cycle" => form.cycle = value,
                "title" => form.title = value,
                "body" => form.body = value,
                "links" => form.links.push(value),
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "value_stories.html")]
struct StoriesTemplate {
    layout: Layout,
    error_links: Vec<ErrorLink>,
    slug: String,
    name: String,
    total: usize,
    cycles: Vec<CycleView>,
    can_record: bool,
    can_view_report: bool,
    choices: Vec<CycleChoice>,
    linkable: Vec<LinkChoice>,
    title: String,
    body: String,
    errors: FieldErrors,
}

fn stories_template(
    org: &str,
    viewer: &Viewer,
    csrf: &str,
    page: &ValueStoriesPage,
    form: StoryForm,
    errors: FieldErrors,
    notice: Option<&str>,
) -> StoriesTemplate {
    let c = &page.community;
    let mut layout = layout(org, viewer, csrf, form_title(&format!("Value stories · {}", c.name), &errors));
    layout.notice = (notice == Some("recorded")).then(|| "Your value story is recorded. Thank you!".to_string());
    let cycles = ValueCycle::ALL
        .iter()
        .map(|cycle| CycleView {
            word: cycle.as_str(),
            label: cycle.label(),
            question: cycle.question(),
            stories: page
                .stories
                .iter()
                .filter(|s| s.cycle == *cycle)
                .map(|s| story_view(&c.slug, s, viewer))
                .collect(),
        })
        .collect();
    let choices = ValueCycle::ALL
        .iter()
        .map(|cycle| CycleChoice {
            word: cycle.as_str(),
            label: cycle.label(),
            question: cycle.question(),
            checked: form.cycle == cycle.as_str(),
        })
        .collect();
    let linkable = page
        .linkable
        .iter()
        .map(|l| {
            let value = format!("{}:{}", l.kind, l.id);
            LinkChoice {
                id: format!("link-{}-{}", l.kind, l.id),
                checked: form.links.contains(&value),
                value,
                kind: kind_label(l.kind),
                title: l.title.clone(),
            }
        })
        .collect();
    StoriesTemplate {
        layout,
        error_links: error_links(&errors, |f| {
            Some(match f {
                "cycle" => ("cycle-immediate".to_string(), "Value cycle"),
                "title" => ("story-title".to_string(), "Title"),
                "body" => ("story-body".to_string(), "Story"),
                "links" => ("evidence".to_string(), "Evidence"),
                _ => return None,
            })
        }),
        slug: c.slug.clone(),
        name: c.name.clone(),
        total: page.stories.len(),
        cycles,
        can_record: page.can_record,
        can_view_report: page.can_view_report,
        choices,
        linkable,
        title: form.title,
        body: form.body,
        errors,
    }
}

/// `GET /communities/{slug}/value`.
pub async fn show_stories(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    match state.app.value_stories_page(&viewer, &slug).await {
        Ok(page) => render_status(
            StatusCode::OK,
            &stories_template(
                state.app.org_name(),
                &viewer,
                &csrf,
                &page,
                StoryForm::default(),
                FieldErrors::new(),
                query.notice.as_deref(),
            ),
        ),
        Err(error) => PageError::from(error).into_response(),
    }
}

/// `POST /communities/{slug}/value` (active members).
pub async fn record_story(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let form = StoryForm::from_fields(fields);
    let input = ValueStoryInput {
        cycle: form.cycle.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        links: form.links.clone(),
    };
    match state.app.record_value_story(&viewer, &slug, &input).await {
        Ok(id) => Redirect::to(&format!("/communities/{slug}/value?notice=recorded#story-{id}")).into_response(),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let status = crate::error::status_of(&error);
            let errors = match error {
                AppError::Invalid(errors) => errors,
                AppError::Conflict { field, message } => {
                    FieldErrors::single(if field.is_empty() { "title" } else { field }, message)
                }
                _ => FieldErrors::new(),
            };
            match state.app.value_stories_page(&viewer, &slug).await {
                Ok(page) => render_status(
                    status,
                    &stories_template(state.app.org_name(), &viewer, &csrf, &page, form, errors, None),
                ),
                Err(error) => PageError::from(error).into_response(),
            }
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- the value report -------------------------------------------------------

#[derive(Template)]
#[template(path = "value_report.html")]
struct ReportTemplate {
    layout: Layout,
    slug: String,
    name: String,
    domain: String,
    generated: String,
    sponsor: Option<(String, String)>,
    recorded_stage: (&'static str, &'static str),
    suggested_stage: (&'static str, &'static str),
    stage_differs: bool,
    stage_summary: String,
    stage_reasons: Vec<String>,
    detected: Vec<&'static str>,
    figures: MonthFigures,
    charts: Vec<ChartBlock>,
    cycles: Vec<CycleView>,
    total: usize,
}

fn report_template(org: &str, viewer: &Viewer, csrf: &str, r: &ValueReport) -> ReportTemplate {
    let c = &r.community;
    let m = &*r.metrics;
    let charts = vec![
        ChartBlock {
            heading: "Active participants per month".into(),
            chart: trend_of("rp-active", "Active participants per month", &m.months, Unit::Count, |p| {
                Some(p.active_participants as f64)
            }),
            note: String::new(),
        },
        ChartBlock {
            heading: "Problems solved per month".into(),
            chart: trend_of("rp-solved", "Problems solved per month", &m.months, Unit::Count, |p| {
                Some(p.problems_solved as f64)
            }),
            note: String::new(),
        },
    ];
    let cycles: Vec<CycleView> = r
        .cycles
        .iter()
        .map(|(cycle, stories)| CycleView {
            word: cycle.as_str(),
            label: cycle.label(),
            question: cycle.question(),
            stories: stories.iter().map(|s| story_view(&c.slug, s, viewer)).collect(),
        })
        .collect();
    ReportTemplate {
        layout: layout(org, viewer, csrf, format!("Value report · {}", c.name)),
        slug: c.slug.clone(),
        name: c.name.clone(),
        domain: c.domain.clone(),
        generated: format::date(r.generated_at, viewer.time_zone),
        sponsor: r.sponsor.as_ref().map(|p| (p.handle.clone(), p.name.clone())),
        recorded_stage: stage_badge(c.stage),
        suggested_stage: stage_badge(r.stage.stage),
        stage_differs: r.stage.stage != c.stage,
        stage_summary: r.stage.summary.clone(),
        stage_reasons: r.stage.reasons.clone(),
        detected: r.detected.iter().map(|d| d.label()).collect(),
        figures: month_figures(m),
        charts,
        total: cycles.iter().map(|c| c.stories.len()).sum(),
        cycles,
    }
}

/// `GET /communities/{slug}/value-report` (the sponsor, facilitators,
/// admins): prints to PDF from the browser.
pub async fn show_report(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(slug): Path<String>,
) -> Response {
    match state.app.value_report(&viewer, &slug).await {
        Ok(report) => render_status(StatusCode::OK, &report_template(state.app.org_name(), &viewer, &csrf, &report)),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use copse_app::{CommunityView, PersonRef};
    use copse_domain::{CommunityId, CommunityType, PersonId, Stage, Timestamp, Visibility};
    use copse_insight::activity::CommunityInput;
    use copse_insight::{metrics, stage};

    use super::*;

    const NOW: i64 = 1_795_608_000_000;

    fn community() -> CommunityView {
        CommunityView {
            id: CommunityId(7),
            slug: "rust-guild".into(),
            name: "Rust Guild".into(),
            domain: "Rust at work".into(),
            kind: CommunityType::TechnicalPractice,
            visibility: Visibility::Open,
            stage: Stage::Maturing,
            purpose: String::new(),
            in_scope: Vec::new(),
            out_of_scope: Vec::new(),
            member_count: 3,
            created_at: Timestamp(NOW),
        }
    }

    fn story(cycle: ValueCycle) -> ValueStoryView {
        ValueStoryView {
            id: 3,
            cycle,
            title: "The checklist <saved> a release".into(),
            body: "We **reused** it. <script>alert(1)</script>".into(),
            author: Some(PersonRef {
                id: PersonId(1),
                handle: "ada".into(),
                name: "Ada Okafor".into(),
                team: String::new(),
            }),
            created_at: Timestamp(NOW),
            links: vec![
                EvidenceLink { kind: "thread", id: 12, title: "Release day".into() },
                EvidenceLink { kind: "artifact", id: 4, title: "Rollout checklist".into() },
                EvidenceLink { kind: "event", id: 9, title: "Clinic".into() },
            ],
        }
    }

    #[test]
    fn the_report_has_every_cycle_its_evidence_and_print_sections() {
        let input = CommunityInput::empty(7, NOW);
        let m = metrics::compute(&input);
        let report = ValueReport {
            community: community(),
            sponsor: None,
            generated_at: Timestamp(NOW),
            cycles: ValueCycle::ALL
                .iter()
                .map(|c| (*c, if *c == ValueCycle::Applied { vec![story(*c)] } else { Vec::new() }))
                .collect(),
            stage: Arc::new(stage::suggest_stage(&input, &m)),
            metrics: Arc::new(m),
            detected: vec![copse_domain::Challenge::Stagnation],
        };
        let html = report_template("Northwind", &Viewer::anonymous(), "t", &report).render().expect("renders");
        assert!(!html.contains("NaN"));
        assert_eq!(html.matches("class=\"panel value-cycle").count(), 5, "every cycle, even without stories");
        assert_eq!(html.matches("No stories in this cycle yet.").count(), 4);
        assert!(html.contains("<a href=\"/threads/12\">Release day</a>"));
        assert!(html.contains("<a href=\"/artifacts/4\">Rollout checklist</a>"));
        assert!(html.contains("<a href=\"/communities/rust-guild/events\">Clinic</a>"));
        assert!(html.contains("<strong>reused</strong>") && !html.contains("<script>alert"), "sanitized Markdown");
        assert!(
            html.contains("The checklist &#60;saved&#62; a release") || html.contains("The checklist &lt;saved&gt;")
        );
        assert_eq!(html.matches("report-section").count(), 3, "three sections, each starting a printed page");
        assert!(html.contains("Stagnation") && html.contains("No executive sponsor."));
    }

    #[test]
    fn a_refused_story_keeps_what_was_typed() {
        let page = ValueStoriesPage {
            community: community(),
            membership: None,
            stories: vec![story(ValueCycle::Immediate)],
            can_record: true,
            can_view_report: false,
            linkable: vec![
                EvidenceLink { kind: "thread", id: 12, title: "Release day".into() },
                EvidenceLink { kind: "artifact", id: 4, title: "Rollout checklist".into() },
            ],
        };
        let form = StoryForm::from_fields(vec![
            ("cycle".into(), "applied".into()),
            ("title".into(), "ab".into()),
            ("links".into(), "thread:12".into()),
        ]);
        let errors = FieldErrors::single("title", "A title is 3 to 200 characters");
        let html = stories_template("Northwind", &Viewer::anonymous(), "t", &page, form, errors, None)
            .render()
            .expect("renders");
        assert!(html.contains("<title>Error: Value stories"));
        assert!(html.contains("id=\"cycle-applied\" name=\"cycle\" value=\"applied\" checked"));
        assert!(html.contains("id=\"story-title\" name=\"title\" type=\"text\" maxlength=\"200\" value=\"ab\""));
        assert!(html.contains("value=\"thread:12\" checked"));
        assert!(!html.contains("value=\"artifact:4\" checked"));
        assert!(html.contains("href=\"#story-title\""), "the summary links to the field");
        // Each cycle's question helps pick one.
        for cycle in ValueCycle::ALL {
            assert!(html.contains(cycle.question()) || html.contains(&cycle.question().replace('\'', "&#39;")));
        }
    }
}
