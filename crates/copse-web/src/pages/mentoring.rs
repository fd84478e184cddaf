//! Pages for mentoring: `/mentoring` (the viewer's offer, request, proposals
//! waiting for them with why each match was made, their pairings, and the
//! mentors offering), a pairing's page (`/mentoring/{id}`: people, status,
//! reasons, check-ins, complete or end), the coordinators' matching preview
//! (`/mentoring/match`), and the mentoring section of a profile.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use copse_app::{
    AppError, MatchPreview, MentorOfferInput, MentorOfferSummary, MentorRequestInput, MentoringPage, MentoringPerson,
    MentoringRole, MentoringSkill, MentorshipPage, MentorshipStatus, MentorshipView, NO_MATCH_MESSAGE, Viewer,
};
use copse_domain::{FieldErrors, PersonId};
use serde::Deserialize;

use super::layout::{ErrorLink, Layout, error_links, form_title, initials, render, render_status};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::format;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/mentoring", get(show_mentoring))
        .route("/mentoring/offer", post(save_offer))
        .route("/mentoring/offer/pause", post(pause_offer))
        .route("/mentoring/offer/resume", post(resume_offer))
        .route("/mentoring/request", post(request_mentor))
        .route("/mentoring/request/withdraw", post(withdraw_request))
        .route("/mentoring/match", get(show_match).post(run_match))
        .route("/mentoring/{id}", get(show_pairing))
        .route("/mentoring/{id}/accept", post(accept))
        .route("/mentoring/{id}/decline", post(decline))
        .route("/mentoring/{id}/checkins", post(check_in))
        .route("/mentoring/{id}/complete", post(complete))
        .route("/mentoring/{id}/end", post(end))
}

/// Messages shown after a redirect in this area, chosen by code (and a
/// parsed count) so no request text is echoed into the page.
fn mentoring_notice(code: Option<&str>, count: Option<u32>) -> Option<String> {
    let n = count.unwrap_or(0);
    let proposals = |lead: &str| match n {
        0 => lead.to_string(),
        1 => format!("{lead} Matching proposed 1 new pairing."),
        n => format!("{lead} Matching proposed {n} new pairings."),
    };
    Some(match code? {
        "offer-saved" => proposals("Your offer to mentor is saved."),
        "paused" => "Your offer is paused: no new proposals until you resume it.".into(),
        "resumed" => proposals("Your offer is active again."),
        "proposed" => "A mentor is proposed for you, below with the reasons for the match. \
                       The mentorship starts when you both accept."
            .into(),
        "no-match" => NO_MATCH_MESSAGE.into(),
        "withdrawn" => "Your request is withdrawn.".into(),
        "accepted" => "You accepted. The mentorship starts when the other side accepts too.".into(),
        "active" => "You both accepted: the mentorship has started.".into(),
        "declined" => "Declined. The request goes back to matching, without this pairing.".into(),
        "checkin" => "Check-in recorded.".into(),
        "completed" => "The mentorship is completed, with its outcome recorded.".into(),
        "ended" => "The mentorship is ended.".into(),
        "matched" => match n {
            0 => "Matching ran: no new pairs to propose.".into(),
            1 => "Matching ran: 1 pair proposed. Both sides are told in-app.".into(),
            n => format!("Matching ran: {n} pairs proposed. Both sides are told in-app."),
        },
        _ => return None,
    })
}

#[derive(Deserialize)]
pub struct MentoringQuery {
    notice: Option<String>,
    /// A count for the notice (proposals made).
    n: Option<u32>,
    #[serde(default)]
    skill: String,
    page: Option<u32>,
}

fn layout(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    title: impl Into<String>,
    notice: Option<&str>,
    n: Option<u32>,
) -> Layout {
    let mut layout = Layout::new(title, state.app.org_name(), Some(viewer), csrf, "mentoring");
    layout.notice = mentoring_notice(notice, n);
    layout
}

/// A person with a link, an avatar and where they work.
struct PersonLink {
    handle: String,
    name: String,
    initials: String,
    /// "Platform · Berlin"
    detail: String,
}

fn person_link(p: &MentoringPerson) -> PersonLink {
    let detail = [p.team.as_str(), p.location.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
    PersonLink {
        handle: p.handle.clone(),
        name: p.name.clone(),
        initials: initials(&p.name),
        detail: detail.join(" · "),
    }
}

fn skill_names(skills: &[MentoringSkill]) -> Vec<String> {
    skills.iter().map(|s| s.name.clone()).collect()
}

fn status_class(status: MentorshipStatus) -> &'static str {
    match status {
        MentorshipStatus::Proposed => "pairing-proposed",
        MentorshipStatus::Active => "pairing-active",
        MentorshipStatus::Completed => "pairing-completed",
        MentorshipStatus::Ended | MentorshipStatus::Declined => "pairing-ended",
    }
}

fn score_text(score: i64) -> String {
    format!("{}.{:02}", score / 100, (score % 100).abs())
}

/// A pairing as a card on `/mentoring`.
struct PairingCard {
    href: String,
    id: i64,
    headline: String,
    other: PersonLink,
    status: &'static str,
    status_class: &'static str,
    reasons: Vec<String>,
    goals: Option<String>,
    community: Option<(String, String)>,
    when: String,
    can_answer: bool,
    /// For a proposal the viewer accepted: who they wait for.
    waiting_note: Option<String>,
    outcome: String,
}

fn pairing_card(v: &MentorshipView, viewer: &Viewer) -> PairingCard {
    let zone = viewer.time_zone;
    let other = v.other();
    let headline = match (v.viewer_role, v.status) {
        (Some(MentoringRole::Mentee), MentorshipStatus::Proposed) => format!("{} could mentor you", v.mentor.name),
        (Some(MentoringRole::Mentor), MentorshipStatus::Proposed) => format!("You could mentor {}", v.mentee.name),
        (Some(MentoringRole::Mentee), _) => format!("{} mentors you", v.mentor.name),
        (Some(MentoringRole::Mentor), _) => format!("You mentor {}", v.mentee.name),
        (None, _) => format!("{} mentors {}", v.mentor.name, v.mentee.name),
    };
    let when = match v.status {
        MentorshipStatus::Proposed => format!("Proposed {}", format::date(v.proposed_at, zone)),
        MentorshipStatus::Active => {
            format!("Since {}", format::date(v.started_at.unwrap_or(v.proposed_at), zone))
        }
        MentorshipStatus::Completed => {
            format!("Completed {}", v.ended_at.map(|t| format::date(t, zone)).unwrap_or_default())
        }
        MentorshipStatus::Ended | MentorshipStatus::Declined => {
            format!("Ended {}", v.ended_at.map(|t| format::date(t, zone)).unwrap_or_default())
        }
    };
    let waiting_note = (v.status == MentorshipStatus::Proposed && !v.awaits_viewer())
        .then(|| format!("You accepted; waiting for {} to accept.", other.name));
    PairingCard {
        href: format!("/mentoring/{}", v.id),
        id: v.id,
        headline,
        other: person_link(other),
        status: v.status.label(),
        status_class: status_class(v.status),
        reasons: v.reasons.clone(),
        goals: v.goals.clone(),
        community: v.community.as_ref().map(|c| (c.slug.clone(), c.name.clone())),
        when,
        can_answer: v.awaits_viewer(),
        waiting_note,
        outcome: v.outcome.clone(),
    }
}

struct MentorLine {
    person: PersonLink,
    zone: String,
    skills: Vec<String>,
    places: String,
    note: String,
}

/// "2 of 3 places free", "1 place free", "no places free now".
fn places_text(free: i64, capacity: i64) -> String {
    match free {
        0 => "no places free now".into(),
        n if n == capacity => format!("{} free", format::count(n, "place", "places")),
        n => format!("{n} of {capacity} places free"),
    }
}

fn mentor_line(o: &MentorOfferSummary) -> MentorLine {
    MentorLine {
        person: person_link(&o.mentor),
        zone: o.time_zone.clone(),
        skills: skill_names(&o.skills),
        places: places_text(o.free, o.capacity),
        note: o.note.clone(),
    }
}

struct OfferBox {
    places: String,
    active: bool,
}

struct RequestBox {
    skills: Vec<String>,
    goals: String,
    community: Option<String>,
    since: String,
    proposal_href: Option<String>,
}

/// A form field as typed, with its error.
struct Field {
    value: String,
    error: Option<String>,
}

fn field(value: &str, errors: &FieldErrors, name: &str) -> Field {
    Field { value: value.to_string(), error: errors.get(name).map(str::to_string) }
}

#[derive(Template)]
#[template(path = "mentoring.html")]
struct MentoringTemplate {
    layout: Layout,
    offer: Option<OfferBox>,
    offer_skills: Field,
    offer_capacity: Field,
    offer_note: Field,
    /// "America/New_York, 09:00–17:00"
    working_time: String,
    request: Option<RequestBox>,
    goals: Field,
    wanted: Field,
    community: Field,
    communities: Vec<(String, String)>,
    waiting_for_you: Vec<PairingCard>,
    waiting_for_other: Vec<PairingCard>,
    active: Vec<PairingCard>,
    past: Vec<PairingCard>,
    mentors: Vec<MentorLine>,
    skill_filter: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    is_coordinator: bool,
    error_links: Vec<ErrorLink>,
}

/// What the two forms hold when the page is rendered.
#[derive(Default)]
struct Forms {
    /// The offer form as sent (its errors are in `errors`).
    offer: Option<MentorOfferInput>,
    /// The request form as sent (its errors are in `errors`).
    request: Option<MentorRequestInput>,
    errors: FieldErrors,
}

fn offers_href(skill: &str, page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if !skill.is_empty() {
        pairs.push(("skill", skill.to_string()));
    }
    if page > 0 {
        pairs.push(("page", page.to_string()));
    }
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    if query.is_empty() { "/mentoring#mentors-h".into() } else { format!("/mentoring?{query}#mentors-h") }
}

#[allow(clippy::too_many_arguments)]
async fn mentoring_response(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    notice: Option<&str>,
    n: Option<u32>,
    skill: &str,
    page_number: u32,
    forms: Forms,
    status: StatusCode,
) -> Response {
    let page: MentoringPage = match state.app.mentoring_page(viewer).await {
        Ok(page) => page,
        Err(error) => return PageError::from(error).into_response(),
    };
    let (mentors, has_next) = match state.app.mentor_offers(viewer, skill, page_number).await {
        Ok(found) => found,
        Err(AppError::Forbidden(_)) => (Vec::new(), false),
        Err(error) => return PageError::from(error).into_response(),
    };
    let zone = viewer.time_zone;
    let offer_input = forms.offer.unwrap_or_else(|| match &page.offer {
        Some(o) => MentorOfferInput {
            skills: skill_names(&o.skills).join(", "),
            capacity: o.capacity.to_string(),
            note: o.note.clone(),
            active: None,
        },
        None => MentorOfferInput { capacity: "1".into(), ..Default::default() },
    });
    let errors = &forms.errors;
    // The offer form and the request form share field names ("skills"), so
    // errors go to the form that was sent.
    let request_sent = forms.request.is_some();
    let request_input = forms.request.clone().unwrap_or_default();
    let links = error_links(errors, |name| {
        Some(match name {
            "skills" if request_sent => ("wanted".to_string(), "Skills you want to grow in"),
            "skills" => ("offer-skills".to_string(), "Skills you can mentor in"),
            "capacity" => ("capacity".to_string(), "Capacity"),
            "note" => ("offer-note".to_string(), "Note"),
            "goals" => ("goals".to_string(), "Goals"),
            "community" => ("community".to_string(), "Community"),
            _ => return None,
        })
    });
    let none = FieldErrors::new();
    let (offer_errors, request_errors) = if request_sent { (&none, errors) } else { (errors, &none) };
    let template = MentoringTemplate {
        layout: Layout {
            title: form_title("Mentoring", errors),
            ..layout(state, viewer, csrf, "Mentoring", notice, n)
        },
        offer: page.offer.as_ref().map(|o| OfferBox {
            places: format!(
                "{} of {} taken · {}",
                o.taken,
                format::count(o.capacity, "place", "places"),
                format::count(o.free(), "free", "free")
            ),
            active: o.active,
        }),
        offer_skills: field(&offer_input.skills, offer_errors, "skills"),
        offer_capacity: field(&offer_input.capacity, offer_errors, "capacity"),
        offer_note: field(&offer_input.note, offer_errors, "note"),
        working_time: format!(
            "{}, {}–{}",
            page.time_zone,
            page.working_hours.start_text(),
            page.working_hours.end_text()
        ),
        request: page.request.as_ref().map(|r| RequestBox {
            skills: skill_names(&r.skills),
            goals: r.goals.clone(),
            community: r.community.as_ref().map(|c| c.name.clone()),
            since: format::date(r.created_at, zone),
            proposal_href: r.proposal.map(|id| format!("/mentoring/{id}")),
        }),
        goals: field(&request_input.goals, request_errors, "goals"),
        wanted: field(&request_input.skills, request_errors, "skills"),
        community: field(&request_input.community, request_errors, "community"),
        communities: page.communities.iter().map(|c| (c.slug.clone(), c.name.clone())).collect(),
        waiting_for_you: page.waiting_for_you.iter().map(|v| pairing_card(v, viewer)).collect(),
        waiting_for_other: page.waiting_for_other.iter().map(|v| pairing_card(v, viewer)).collect(),
        active: page.active.iter().map(|v| pairing_card(v, viewer)).collect(),
        past: page.past.iter().map(|v| pairing_card(v, viewer)).collect(),
        mentors: mentors.iter().map(mentor_line).collect(),
        skill_filter: skill.to_string(),
        prev_href: (page_number > 0).then(|| offers_href(skill, page_number - 1)),
        next_href: has_next.then(|| offers_href(skill, page_number + 1)),
        is_coordinator: page.is_coordinator,
        error_links: links,
    };
    render_status(status, &template)
}

pub async fn show_mentoring(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<MentoringQuery>,
) -> Response {
    let skill = query.skill.trim().to_string();
    let page = query.page.unwrap_or(0).min(10_000);
    mentoring_response(
        &state,
        &viewer,
        &csrf,
        query.notice.as_deref(),
        query.n,
        &skill,
        page,
        Forms::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    note: String,
}

pub async fn save_offer(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<OfferForm>,
) -> Response {
    let input = MentorOfferInput { skills: form.skills, capacity: form.capacity, note: form.note, active: None };
    match state.app.save_mentor_offer(&viewer, &input).await {
        Ok((_, proposed)) => Redirect::to(&format!("/mentoring?notice=offer-saved&n={proposed}")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { offer: Some(input), errors, ..Default::default() };
            mentoring_response(&state, &viewer, &csrf, None, None, "", 0, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn pause_offer(State(state): State<WebState>, PageViewer { viewer, .. }: PageViewer) -> Response {
    match state.app.set_mentor_offer_active(&viewer, false).await {
        Ok(_) => Redirect::to("/mentoring?notice=paused").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn resume_offer(State(state): State<WebState>, PageViewer { viewer, .. }: PageViewer) -> Response {
    match state.app.set_mentor_offer_active(&viewer, true).await {
        Ok(proposed) => Redirect::to(&format!("/mentoring?notice=resumed&n={proposed}")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    goals: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    community: String,
}

pub async fn request_mentor(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Form(form): Form<RequestForm>,
) -> Response {
    let input = MentorRequestInput { goals: form.goals, skills: form.skills, community: form.community };
    match state.app.request_mentor(&viewer, &input).await {
        Ok(outcome) => match outcome.proposal {
            Some(_) => Redirect::to("/mentoring?notice=proposed#waiting-h").into_response(),
            None => Redirect::to("/mentoring?notice=no-match").into_response(),
        },
        Err(AppError::Invalid(errors)) => {
            let forms = Forms { request: Some(input), errors, ..Default::default() };
            mentoring_response(&state, &viewer, &csrf, None, None, "", 0, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn withdraw_request(State(state): State<WebState>, PageViewer { viewer, .. }: PageViewer) -> Response {
    match state.app.withdraw_mentor_request(&viewer).await {
        Ok(()) => Redirect::to("/mentoring?notice=withdrawn").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- a pairing ----------------------------------------------------------------

struct CheckinLine {
    who: Option<(String, String)>,
    note: String,
    when: String,
    iso: String,
}

#[derive(Template)]
#[template(path = "mentoring_pairing.html")]
struct PairingTemplate {
    layout: Layout,
    id: i64,
    heading: String,
    status: &'static str,
    status_class: &'static str,
    /// "You are the mentor." for the two people.
    your_part: Option<&'static str>,
    mentor: PersonLink,
    mentee: PersonLink,
    community: Option<(String, String)>,
    score: String,
    reasons: Vec<String>,
    goals: Option<String>,
    wanted: Vec<String>,
    timeline: Vec<(&'static str, String)>,
    can_answer: bool,
    waiting_note: Option<String>,
    can_work: bool,
    checkins: Vec<CheckinLine>,
    checkin: Field,
    outcome_field: Field,
    reason_field: Field,
    /// (label, text) of a closed pairing's note.
    closing_note: Option<(&'static str, String)>,
    error_links: Vec<ErrorLink>,
}

#[derive(Default)]
struct PairingForms {
    checkin: String,
    outcome: String,
    reason: String,
    errors: FieldErrors,
}

fn pairing_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    page: &MentorshipPage,
    notice: Option<&str>,
    forms: PairingForms,
) -> PairingTemplate {
    let v = &page.pairing;
    let zone = viewer.time_zone;
    let mut timeline = vec![("Proposed", format::date(v.proposed_at, zone))];
    if let Some(at) = v.started_at {
        timeline.push(("Started", format::date(at, zone)));
    }
    if let Some(at) = v.ended_at {
        let label = match v.status {
            MentorshipStatus::Completed => "Completed",
            MentorshipStatus::Declined => "Declined",
            _ => "Ended",
        };
        timeline.push((label, format::date(at, zone)));
    }
    let heading = format!("{} and {}", v.mentor.name, v.mentee.name);
    let errors = &forms.errors;
    let links = error_links(errors, |name| {
        Some(match name {
            "note" => ("checkin-note".to_string(), "Check-in"),
            "outcome" => ("outcome".to_string(), "Outcome"),
            "reason" => ("reason".to_string(), "Reason"),
            _ => return None,
        })
    });
    PairingTemplate {
        layout: Layout {
            title: form_title(&format!("Mentorship: {heading}"), errors),
            ..layout(state, viewer, csrf, "", notice, None)
        },
        id: v.id,
        heading,
        status: v.status.label(),
        status_class: status_class(v.status),
        your_part: match v.viewer_role {
            Some(MentoringRole::Mentor) => Some("You are the mentor."),
            Some(MentoringRole::Mentee) => Some("You are the mentee."),
            None => None,
        },
        mentor: person_link(&v.mentor),
        mentee: person_link(&v.mentee),
        community: v.community.as_ref().map(|c| (c.slug.clone(), c.name.clone())),
        score: score_text(v.score),
        reasons: v.reasons.clone(),
        goals: v.goals.clone(),
        wanted: skill_names(&page.wanted_skills),
        timeline,
        can_answer: page.can_answer,
        waiting_note: (v.status == MentorshipStatus::Proposed && v.viewer_role.is_some() && !page.can_answer)
            .then(|| format!("You accepted; waiting for {} to accept.", v.other().name)),
        can_work: page.can_work,
        checkins: page
            .checkins
            .iter()
            .map(|c| CheckinLine {
                who: c.author.clone(),
                note: c.note.clone(),
                when: format::date(c.at, zone),
                iso: format::rfc3339(c.at),
            })
            .collect(),
        checkin: field(&forms.checkin, errors, "note"),
        outcome_field: field(&forms.outcome, errors, "outcome"),
        reason_field: field(&forms.reason, errors, "reason"),
        closing_note: match v.status {
            MentorshipStatus::Completed if !v.outcome.is_empty() => Some(("Outcome", v.outcome.clone())),
            MentorshipStatus::Ended if !v.outcome.is_empty() => Some(("Why it ended", v.outcome.clone())),
            _ => None,
        },
        error_links: links,
    }
}

async fn pairing_response(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    id: i64,
    notice: Option<&str>,
    forms: PairingForms,
    status: StatusCode,
) -> Response {
    match state.app.mentorship_page(viewer, id).await {
        Ok(page) => render_status(status, &pairing_template(state, viewer, csrf, &page, notice, forms)),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn show_pairing(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Query(query): Query<MentoringQuery>,
) -> Response {
    pairing_response(&state, &viewer, &csrf, id, query.notice.as_deref(), PairingForms::default(), StatusCode::OK).await
}

pub async fn accept(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.accept_mentorship(&viewer, id).await {
        Ok(v) if v.status == MentorshipStatus::Active => {
            Redirect::to(&format!("/mentoring/{id}?notice=active")).into_response()
        }
        Ok(_) => Redirect::to(&format!("/mentoring/{id}?notice=accepted")).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn decline(
    State(state): State<WebState>,
    PageViewer { viewer, .. }: PageViewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.decline_mentorship(&viewer, id).await {
        Ok(_) => Redirect::to("/mentoring?notice=declined").into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn check_in(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Response {
    match state.app.add_mentorship_checkin(&viewer, id, &form.note).await {
        Ok(_) => Redirect::to(&format!("/mentoring/{id}?notice=checkin#checkins-h")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = PairingForms { checkin: form.note, errors, ..Default::default() };
            pairing_response(&state, &viewer, &csrf, id, None, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    outcome: String,
}

pub async fn complete(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<OutcomeForm>,
) -> Response {
    match state.app.complete_mentorship(&viewer, id, &form.outcome).await {
        Ok(_) => Redirect::to(&format!("/mentoring/{id}?notice=completed")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = PairingForms { outcome: form.outcome, errors, ..Default::default() };
            pairing_response(&state, &viewer, &csrf, id, None, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn end(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    match state.app.end_mentorship(&viewer, id, &form.reason).await {
        Ok(_) => Redirect::to(&format!("/mentoring/{id}?notice=ended")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let forms = PairingForms { reason: form.reason, errors, ..Default::default() };
            pairing_response(&state, &viewer, &csrf, id, None, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- coordinators' matching -----------------------------------------------------

struct MatchPairLine {
    mentor: PersonLink,
    mentee: PersonLink,
    skills: Vec<String>,
    goals: String,
    score: String,
    reasons: Vec<String>,
}

struct UnmatchedLine {
    mentee: PersonLink,
    skills: Vec<String>,
    goals: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "mentoring_match.html")]
struct MatchTemplate {
    layout: Layout,
    pairs: Vec<MatchPairLine>,
    unmatched: Vec<UnmatchedLine>,
    open_requests: usize,
    /// "21 (39 free places)"
    mentors: String,
    /// "8 active · 2 proposed · 4 completed"
    pairings: String,
}

fn match_template(
    state: &WebState,
    viewer: &Viewer,
    csrf: &str,
    preview: &MatchPreview,
    q: &MentoringQuery,
) -> MatchTemplate {
    MatchTemplate {
        layout: layout(state, viewer, csrf, "Mentor matching", q.notice.as_deref(), q.n),
        pairs: preview
            .pairs
            .iter()
            .map(|p| MatchPairLine {
                mentor: person_link(&p.mentor),
                mentee: person_link(&p.mentee),
                skills: skill_names(&p.wanted),
                goals: p.goals.clone(),
                score: score_text(p.score),
                reasons: p.reasons.clone(),
            })
            .collect(),
        unmatched: preview
            .unmatched
            .iter()
            .map(|u| UnmatchedLine {
                mentee: person_link(&u.mentee),
                skills: skill_names(&u.wanted),
                goals: u.goals.clone(),
                reason: u.reason.clone(),
            })
            .collect(),
        open_requests: preview.open_requests,
        mentors: format!(
            "{} ({})",
            preview.mentors_with_capacity,
            format::count(preview.free_places as i64, "free place", "free places")
        ),
        pairings: {
            let parts: Vec<String> = [
                MentorshipStatus::Active,
                MentorshipStatus::Proposed,
                MentorshipStatus::Completed,
                MentorshipStatus::Ended,
            ]
            .iter()
            .filter_map(|s| {
                let n = preview.pairings_by_status.iter().find(|(status, _)| status == s).map_or(0, |p| p.1);
                (n > 0).then(|| format!("{n} {}", s.label().to_lowercase()))
            })
            .collect();
            if parts.is_empty() { "none yet".into() } else { parts.join(" · ") }
        },
    }
}

pub async fn show_match(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<MentoringQuery>,
) -> Response {
    match state.app.mentor_match_preview(&viewer).await {
        Ok(preview) => render(&match_template(&state, &viewer, &csrf, &preview, &query)),
        Err(error) => PageError::from(error).into_response(),
    }
}

pub async fn run_match(State(state): State<WebState>, PageViewer { viewer, .. }: PageViewer) -> Response {
    match state.app.propose_mentor_matches(&viewer).await {
        Ok(run) => Redirect::to(&format!("/mentoring/match?notice=matched&n={}", run.proposed)).into_response(),
        Err(error) => PageError::from(error).into_response(),
    }
}

// --- the profile's section ------------------------------------------------------

pub struct ProfilePairing {
    pub href: String,
    pub text: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub community: Option<String>,
}

/// The mentoring section of a profile (`mentoring_profile.html`, included
/// by `profile.html`).
#[derive(Default)]
pub struct ProfileMentoringSection {
    pub visible: bool,
    /// (skill names, places free)
    pub offering: Option<(Vec<String>, String)>,
    pub pairings: Vec<ProfilePairing>,
    pub is_self: bool,
}

/// Loads a person's mentoring for their profile; an error leaves the section
/// out rather than failing the whole profile.
pub async fn profile_section(state: &WebState, viewer: &Viewer, person: PersonId) -> ProfileMentoringSection {
    let found = match state.app.profile_mentoring(viewer, person).await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "profile mentoring section left out");
            return ProfileMentoringSection::default();
        }
    };
    let zone = viewer.time_zone;
    let is_self = viewer.person() == Some(person);
    ProfileMentoringSection {
        visible: found.visible,
        offering: found.offer.map(|o| (skill_names(&o.skills), places_text(o.free, o.capacity))),
        pairings: found
            .pairings
            .iter()
            .map(|v| {
                let mentoring_them = v.mentor.id == person;
                let text = if mentoring_them {
                    format!("Mentor of {}", v.mentee.name)
                } else {
                    format!("Mentored by {}", v.mentor.name)
                };
                let start = format::date(v.started_at.unwrap_or(v.proposed_at), zone);
                let when = match v.ended_at {
                    Some(end) => format!("{start} to {}", format::date(end, zone)),
                    None => format!("since {start}"),
                };
                ProfilePairing {
                    href: format!("/mentoring/{}", v.id),
                    text: format!("{text}, {when}"),
                    status: v.status.label(),
                    status_class: status_class(v.status),
                    community: v.community.as_ref().map(|c| c.name.clone()),
                }
            })
            .collect(),
        is_self,
    }
}
