//! The home page: the viewer's communities and some to discover.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use copse_app::CommunityFilter;
use copse_domain::{Action, CommunityType, Stage, can};
use serde::Deserialize;

use super::layout::{CardView, Layout, render};
use crate::WebState;
use crate::auth::PageViewer;
use crate::error::PageError;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    greeting: String,
    lead: &'static str,
    can_create: bool,
    mine: Vec<CardView>,
    upcoming: Vec<super::events::UpcomingRow>,
    /// (message, link, unread)
    notifications: Vec<(String, String, bool)>,
    discover: Vec<CardView>,
    types: Vec<(&'static str, &'static str)>,
    stages: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

pub async fn show_home(
    State(state): State<WebState>,
    PageViewer { viewer, csrf }: PageViewer,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let app = &state.app;
    let upcoming = match app.my_upcoming(&viewer, 14, 8).await {
        Ok(list) => super::events::upcoming_rows(&list, &viewer),
        Err(error) => return PageError::from(error).into_response(),
    };
    let notifications = match app.notifications(&viewer, true).await {
        Ok(list) => list.into_iter().take(5).map(|n| (n.message, n.link, n.unread)).collect(),
        Err(error) => return PageError::from(error).into_response(),
    };
    let mine = match app.my_communities(&viewer).await {
        Ok(mine) => mine,
        Err(error) => return PageError::from(error).into_response(),
    };
    let not_joined = CommunityFilter { exclude_joined: true, ..CommunityFilter::default() };
    let discover = match app.discover_communities(&viewer, &not_joined, 1, 9).await {
        Ok(page) => page.cards,
        Err(error) => return PageError::from(error).into_response(),
    };
    let page = HomePage {
        layout: Layout::new("Home", app.org_name(), Some(&viewer), &csrf, "home").with_notice(query.notice.as_deref()),
        greeting: match (mine.is_empty(), viewer.name.split_whitespace().next()) {
            (true, Some(first)) => format!("Welcome, {first}"),
            (true, None) => "Welcome".to_string(),
            (false, Some(first)) => format!("Welcome back, {first}"),
            (false, None) => "Welcome back".to_string(),
        },
        lead: if mine.is_empty() {
            "Communities of practice are groups of people who share a craft. Find yours below."
        } else {
            "Your communities, and others worth a look."
        },
        can_create: can(&viewer.actor, Action::CreateCommunity),
        mine: mine.iter().map(CardView::from).collect(),
        upcoming,
        notifications,
        discover: discover.iter().map(CardView::from).collect(),
        types: CommunityType::ALL.iter().map(|t| (t.as_str(), t.label())).collect(),
        stages: Stage::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
    };
    render(&page)
}
