//! What every page shares: the layout's data, community cards, rendering a
//! template into a response, and the error page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use copse_app::{CommunityCard, Viewer};
use copse_domain::{Action, FieldErrors, MembershipRole, MembershipStatus, Visibility, can};

use crate::format;

/// The signed-in person as the header shows them.
pub struct NavUser {
    pub handle: String,
    pub name: String,
    pub initials: String,
    pub can_browse_people: bool,
    /// Shows the administration link (imports, identities, thresholds).
    pub is_admin: bool,
}

/// Data for `base.html`.
pub struct Layout {
    pub title: String,
    pub org_name: String,
    pub viewer: Option<NavUser>,
    pub csrf: String,
    /// Which main section is current ("home", "communities", "people", "me").
    pub section: &'static str,
    pub notice: Option<String>,
}

impl Layout {
    pub fn new(
        title: impl Into<String>,
        org_name: &str,
        viewer: Option<&Viewer>,
        csrf: &str,
        section: &'static str,
    ) -> Self {
        Self {
            title: title.into(),
            org_name: org_name.to_string(),
            viewer: viewer.filter(|v| v.actor.is_signed_in()).map(|v| NavUser {
                handle: v.handle.clone(),
                name: v.name.clone(),
                initials: initials(&v.name),
                can_browse_people: can(&v.actor, Action::ViewPeople),
                is_admin: can(&v.actor, Action::Administer),
            }),
            csrf: csrf.to_string(),
            section,
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice.and_then(notice_text).map(str::to_string);
        self
    }
}

/// Messages shown after a redirect, chosen by code so no request text is
/// ever echoed into the page.
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "created" => "Your community is started. You are its first facilitator.",
        "saved" => "Saved.",
        "joined" => "Welcome! You are now a member.",
        "requested" => "Your request is sent. A facilitator will review it.",
        "left" => "You are no longer a member.",
        "stage" => "The stage is changed and recorded in the history.",
        "approved" => "Request approved.",
        "declined" => "Request declined.",
        "invited" => "Invitation sent.",
        "role" => "Role changed.",
        "removed" => "Member removed.",
        "profile" => "Your profile is saved.",
        "revoked" => "Token revoked.",
        "scheduled" => "The session is scheduled.",
        "going" => "You are going. See you there!",
        "waitlisted" => "The session is full: you are on the waitlist and will be told in-app if a seat comes free.",
        "maybe" => "Noted as maybe.",
        "not-going" => "Noted: not going.",
        "checked-in" => "Checked in. Thanks for coming!",
        "feedback" => "Thanks for your feedback.",
        "notes" => "Session notes saved.",
        "session-cancelled" => "This session is cancelled; the rest of the series is unchanged.",
        "session-moved" => "This session is moved; the rest of the series is unchanged and answers stay with it.",
        "event-saved" => "The series is saved.",
        _ => return None,
    })
}

pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

/// Renders a template, answering 500 (and logging) if rendering fails.
pub fn render(template: &impl Template) -> Response {
    render_status(StatusCode::OK, template)
}

pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error: page could not be rendered").into_response()
        }
    }
}

/// A community as a card in lists.
pub struct CardView {
    pub slug: String,
    pub name: String,
    pub domain: String,
    pub kind: &'static str,
    pub stage: &'static str,
    pub stage_word: &'static str,
    pub visibility: &'static str,
    /// Whether to show how people get in: not for open communities, and not
    /// to someone who is already in, invited or asking.
    pub show_visibility: bool,
    pub members: String,
    pub membership: Option<&'static str>,
}

pub fn membership_label(membership: Option<(MembershipRole, MembershipStatus)>) -> Option<&'static str> {
    Some(match membership? {
        (MembershipRole::Facilitator, MembershipStatus::Active) => "You facilitate",
        (_, MembershipStatus::Active) => "Member",
        (_, MembershipStatus::Requested) => "Request pending",
        (_, MembershipStatus::Invited) => "Invited",
    })
}

impl From<&CommunityCard> for CardView {
    fn from(card: &CommunityCard) -> Self {
        let c = &card.community;
        CardView {
            slug: c.slug.clone(),
            name: c.name.clone(),
            domain: c.domain.clone(),
            kind: c.kind.label(),
            stage: c.stage.label(),
            stage_word: c.stage.as_str(),
            visibility: c.visibility.label(),
            show_visibility: c.visibility != Visibility::Open && card.membership.is_none(),
            members: format::count(c.member_count, "member", "members"),
            membership: membership_label(card.membership),
        }
    }
}

/// One line of a form's error summary: a link to the field and what is wrong
/// with it.
pub struct ErrorLink {
    /// The `id` of the control to jump to.
    pub target: String,
    pub text: String,
}

/// The summary lines for a form's errors, in the order they were found.
/// `field` names each error's control id and label; unknown fields link to an
/// element with the field's own name.
pub fn error_links(
    errors: &FieldErrors,
    field: impl Fn(&'static str) -> Option<(String, &'static str)>,
) -> Vec<ErrorLink> {
    errors
        .0
        .iter()
        .map(|e| {
            let (target, label) = field(e.field).unwrap_or_else(|| (e.field.to_string(), e.field));
            ErrorLink { target, text: format!("{label}: {}", e.message) }
        })
        .collect()
}

/// A form page's title: "Error: " first when the form has errors, so screen
/// reader users hear it as soon as the page loads.
pub fn form_title(title: &str, errors: &FieldErrors) -> String {
    if errors.is_empty() { title.to_string() } else { format!("Error: {title}") }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub message: String,
}

impl ErrorPage {
    pub fn render_response(status: StatusCode, title: &str, message: &str) -> Response {
        let page = ErrorPage { layout: Layout::new(title, "copse", None, "", ""), message: message.to_string() };
        render_status(status, &page)
    }
}
