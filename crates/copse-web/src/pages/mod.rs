//! The HTML pages. Every state-changing form posts through the CSRF check
//! in [`crate::auth::require_csrf`].

mod calendars;
mod communities;
mod discussions;
mod events;
mod expertise;
mod home;
mod imports;
pub mod insight;
pub(crate) mod kudos_export;
pub mod layout;
mod mentoring;
mod organization;
mod people;
pub(crate) mod planning;
mod practice;
mod recognition;
pub(crate) mod search;
mod session;
mod surveys;
mod value;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;
use crate::auth::require_csrf;

pub fn routes(state: WebState) -> Router<WebState> {
    Router::new()
        .route("/", get(home::show_home))
        .route("/login", get(session::show_login).post(session::sign_in))
        .route("/logout", post(session::sign_out))
        .route("/communities", get(communities::list_communities))
        .route("/communities/new", get(communities::new_community).post(communities::create_community))
        .route("/communities/{slug}", get(communities::show_community))
        .route("/communities/{slug}/edit", get(communities::edit_community).post(communities::update_community))
        .route("/communities/{slug}/stage", post(communities::change_stage))
        .route("/communities/{slug}/join", post(communities::join_community))
        .route("/communities/{slug}/request", post(communities::request_to_join))
        .route("/communities/{slug}/leave", post(communities::leave_community))
        .route("/communities/{slug}/members", get(communities::show_members).post(communities::manage_member))
        .route("/communities/{slug}/events", get(events::list_events))
        .route("/communities/{slug}/events/new", get(events::new_event).post(events::create_event))
        .route("/communities/{slug}/planner", get(planning::show_planner))
        .route("/communities/{slug}/rota", get(planning::show_rota))
        .route("/communities/{slug}/rota/volunteer", post(planning::volunteer))
        .route("/communities/{slug}/rota/withdraw", post(planning::withdraw))
        .route("/communities/{slug}/rota/assign", post(planning::assign))
        .route("/events/{id}/edit", get(events::edit_event).post(events::update_event))
        .route("/events/{id}/{key}", get(events::show_occurrence))
        .route("/events/{id}/{key}/move", post(events::move_occurrence))
        .route("/events/{id}/{key}/rsvp", post(events::rsvp))
        .route("/events/{id}/{key}/cancel", post(events::cancel_occurrence))
        .route("/events/{id}/{key}/checkin", post(events::check_in))
        .route("/events/{id}/{key}/feedback", post(events::give_feedback))
        .route("/events/{id}/{key}/notes", post(events::save_notes))
        .route("/people", get(people::list_people))
        .route("/people/{handle}", get(people::show_profile))
        .route("/profile/edit", get(people::edit_profile).post(people::update_profile))
        .route("/settings/tokens", get(people::show_tokens).post(people::create_token))
        .route("/settings/tokens/{id}/revoke", post(people::revoke_token))
        .route("/settings/calendar", post(calendars::reset_calendar))
        .route("/settings/calendar/delete", post(calendars::delete_calendar))
        .route("/communities/{slug}/calendar", get(calendars::subscribe_page))
        // Calendar programs cannot sign in: the community feed is public (for
        // communities that are not private), the personal one has its secret
        // in the URL.
        .route("/calendars/communities/{file}", get(calendars::community_feed))
        .route("/calendars/people/{file}", get(calendars::person_feed))
        .merge(discussions::routes())
        .merge(practice::routes())
        .merge(search::routes())
        .merge(expertise::routes())
        .merge(mentoring::routes())
        .merge(recognition::routes())
        .merge(surveys::routes())
        .merge(organization::routes())
        .merge(insight::routes())
        .merge(value::routes())
        .merge(imports::routes())
        .layer(axum::middleware::from_fn_with_state(state, require_csrf))
        // After the layer: the upload checks its own CSRF field (multipart).
        .merge(imports::upload_routes())
}
