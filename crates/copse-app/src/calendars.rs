//! Calendar feeds: what a community's public feed and a person's private
//! feed hold, and the secret tokens of personal feed URLs.
//!
//! A feed is a list of series, each with the occurrences that do not take
//! place (cancelled ones) and the ones moved on their own; the web layer
//! writes them in iCalendar form (`copse_web::ical`). Occurrences are not
//! expanded here: calendar programs expand the rule themselves, and the
//! exceptions are mapped so that their expansion equals
//! [`App::community_occurrences`] (a test checks this with an independent
//! iCalendar library):
//!
//! - a cancelled occurrence (`cancelled = 1`) does not take place;
//! - an occurrence with a new local start is moved there, with its own
//!   duration if it has one;
//! - any other exception hides the occurrence, as the event pages do.
//!
//! Who sees what:
//!
//! - A community's feed needs no sign-in (calendar programs cannot sign in),
//!   so it exists only for communities every signed-in person may see (open
//!   and request-to-join). A private or unknown community answers the same
//!   `NotFound`. Meeting links are left out of it.
//! - A person's feed is reached by a secret token in its URL, which stands in
//!   for signing in: it holds every series of every community where the
//!   person is an active member, private ones included, each re-checked with
//!   the policy. Tokens are 256 random bits, shown once, stored only as
//!   SHA-256 hashes; making a new one invalidates the old URL.
//!
//! Reading a person's feed is a constant number of queries however many
//! communities they belong to: the token's owner, their communities, the
//! series and the exceptions.

use chrono::{Duration, NaiveDateTime, Utc};
use copse_domain::{
    Action, Actor, CommunityAccess, CommunityId, MembershipRole, MembershipStatus, OrgRole, PersonId, Timestamp,
    Visibility, can, parse_local_key,
};
use copse_store::{EventRow, ExceptionRow};

use crate::{App, AppError, EventView, Viewer};

/// Series that ended longer ago than this are left out of feeds.
pub const FEED_HISTORY_DAYS: i64 = 366;

/// Length of a calendar token: 32 random bytes in lower-case hex.
const TOKEN_HEX_LEN: usize = 64;

/// One occurrence moved away from its slot in the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedOccurrence {
    /// The occurrence's identity: its original local start.
    pub original_start_local: NaiveDateTime,
    /// Where it takes place instead, in the series' zone.
    pub start_local: NaiveDateTime,
    pub duration_minutes: u32,
}

/// A series as a feed holds it.
#[derive(Debug, Clone)]
pub struct FeedSeries {
    pub event: EventView,
    /// Original local starts of occurrences that do not take place.
    pub cancelled: Vec<NaiveDateTime>,
    /// Occurrences that take place at another time.
    pub moved: Vec<MovedOccurrence>,
    /// When the series or one of its exceptions last changed.
    pub updated_at: Timestamp,
}

/// What a calendar feed holds.
#[derive(Debug, Clone)]
pub struct FeedData {
    /// The calendar's name, as calendar programs show it.
    pub name: String,
    pub series: Vec<FeedSeries>,
}

/// Whether the viewer has a personal calendar feed, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarFeedStatus {
    pub created_at: Option<Timestamp>,
}

fn looks_like_token(token: &str) -> bool {
    token.len() == TOKEN_HEX_LEN && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A series with its exceptions, mapped as the module documentation says.
fn feed_series(event: EventView, row: &EventRow, exceptions: &[&ExceptionRow]) -> FeedSeries {
    let mut cancelled = Vec::new();
    let mut moved = Vec::new();
    for x in exceptions {
        let Ok(original) = parse_local_key(&x.original_start_local) else { continue };
        let new_start = x.start_local.as_deref().and_then(|s| parse_local_key(s).ok());
        match new_start {
            Some(start_local) if x.cancelled == 0 => moved.push(MovedOccurrence {
                original_start_local: original,
                start_local,
                duration_minutes: x
                    .duration_minutes
                    .map_or(event.duration_minutes, |m| m.clamp(1, i64::from(u32::MAX)) as u32),
            }),
            _ => cancelled.push(original),
        }
    }
    cancelled.sort();
    moved.sort_by_key(|m| m.original_start_local);
    FeedSeries { event, cancelled, moved, updated_at: Timestamp(row.updated_at) }
}

/// Groups exceptions by series, for rows sorted by nothing in particular.
fn exceptions_by_event(exceptions: &[ExceptionRow]) -> std::collections::HashMap<i64, Vec<&ExceptionRow>> {
    let mut map: std::collections::HashMap<i64, Vec<&ExceptionRow>> = std::collections::HashMap::new();
    for x in exceptions {
        map.entry(x.event_id).or_default().push(x);
    }
    map
}

/// The window of series a feed holds: from a year ago on.
fn feed_window() -> (Timestamp, Timestamp) {
    (Timestamp::from(Utc::now() - Duration::days(FEED_HISTORY_DAYS)), Timestamp(i64::MAX))
}

impl App {
    /// Whether the viewer has a personal calendar feed (its URL is shown only
    /// when it is made).
    pub async fn calendar_feed_status(&self, viewer: &Viewer) -> Result<CalendarFeedStatus, AppError> {
        let person = viewer.require_person()?;
        Ok(CalendarFeedStatus { created_at: self.store().find_calendar_token_created(person).await? })
    }

    /// Makes a new secret for the viewer's personal calendar feed and returns
    /// it (to be shown once). Any earlier feed URL stops working.
    pub async fn reset_calendar_token(&self, viewer: &Viewer) -> Result<String, AppError> {
        let person = viewer.require_person()?;
        let token = crate::accounts::random_token(TOKEN_HEX_LEN / 2);
        self.store().replace_calendar_token(person, &crate::accounts::token_hash(&token)).await?;
        Ok(token)
    }

    /// Turns the viewer's personal calendar feed off; its URL stops working.
    pub async fn delete_calendar_token(&self, viewer: &Viewer) -> Result<(), AppError> {
        let person = viewer.require_person()?;
        if self.store().delete_calendar_token(person).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("calendar feed"))
        }
    }

    /// The public feed of a community. `NotFound` for unknown and private
    /// communities alike.
    pub async fn community_feed(&self, slug: &str) -> Result<FeedData, AppError> {
        const NOT_FOUND: AppError = AppError::NotFound("calendar");
        let row = self.store().find_community_for_viewer(slug, None).await?.ok_or(NOT_FOUND)?;
        // No one signs in to read this feed: it shows only what every
        // signed-in person may see, that is communities that are not private.
        let visibility = Visibility::parse(&row.community.visibility).unwrap_or(Visibility::Private);
        if !matches!(visibility, Visibility::Open | Visibility::RequestToJoin) {
            return Err(NOT_FOUND);
        }
        let community = CommunityId(row.community.id);
        let (from, to) = feed_window();
        let events = self.store().list_community_events(community, from, to).await?;
        let exceptions = self.store().list_community_exceptions(community).await?;
        let by_event = exceptions_by_event(&exceptions);
        let series = events
            .iter()
            .map(|event| {
                let mut view = crate::events::event_view(event, &row.community.slug, &row.community.name);
                // Meeting links are for people who signed in.
                view.link = String::new();
                feed_series(view, event, by_event.get(&event.id).map_or(&[], Vec::as_slice))
            })
            .collect();
        Ok(FeedData { name: format!("{} · {}", row.community.name, self.org_name()), series })
    }

    /// The private feed behind a calendar token: every series of every
    /// community where its owner is an active member. `NotFound` for a
    /// malformed, unknown or replaced token.
    pub async fn person_feed(&self, token: &str) -> Result<FeedData, AppError> {
        const NOT_FOUND: AppError = AppError::NotFound("calendar");
        if !looks_like_token(token) {
            return Err(NOT_FOUND);
        }
        let owner = self.store().find_calendar_owner(&crate::accounts::token_hash(token)).await?.ok_or(NOT_FOUND)?;
        let person = PersonId(owner.person_id);
        let actor = Actor::person(person, OrgRole::parse(&owner.org_role).unwrap_or(OrgRole::Guest));
        let (from, to) = feed_window();
        let communities = self.store().list_feed_communities(person).await?;
        let events = self.store().list_member_events(person, from, to).await?;
        let exceptions = self.store().list_member_exceptions(person).await?;
        let by_event = exceptions_by_event(&exceptions);
        let visible: std::collections::HashMap<i64, &copse_store::FeedCommunityRow> = communities
            .iter()
            .filter(|c| {
                let access = CommunityAccess {
                    visibility: Visibility::parse(&c.visibility).unwrap_or(Visibility::Private),
                    membership: MembershipRole::parse(&c.role).ok().zip(MembershipStatus::parse(&c.status).ok()),
                };
                access.membership.is_some_and(|(_, status)| status == MembershipStatus::Active)
                    && can(&actor, Action::ViewCommunity(&access))
            })
            .map(|c| (c.id, c))
            .collect();
        let series = events
            .iter()
            .filter_map(|event| {
                let community = visible.get(&event.community_id)?;
                let view = crate::events::event_view(event, &community.slug, &community.name);
                Some(feed_series(view, event, by_event.get(&event.id).map_or(&[], Vec::as_slice)))
            })
            .collect();
        Ok(FeedData { name: format!("{} · {}", owner.name, self.org_name()), series })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_tokens_reach_the_database() {
        assert!(looks_like_token(&"ab12".repeat(16)));
        assert!(!looks_like_token(&"AB12".repeat(16)), "upper case is not what we hand out");
        assert!(!looks_like_token(&"ab12".repeat(15)));
        assert!(!looks_like_token(&format!("{}zz", "a".repeat(62))));
        assert!(!looks_like_token(""));
        assert!(!looks_like_token("../../etc/passwd"));
    }

    fn row(updated_at: i64) -> EventRow {
        EventRow {
            id: 7,
            community_id: 1,
            title: "Clinic".into(),
            description: String::new(),
            kind: "meetup".into(),
            format: "remote".into(),
            location: String::new(),
            link: String::new(),
            start_local: "2030-03-07T18:00".into(),
            time_zone: "Europe/Berlin".into(),
            duration_minutes: 60,
            rrule: Some("FREQ=WEEKLY;BYDAY=TH".into()),
            starts_at: 0,
            ends_at: None,
            capacity: None,
            facilitator_id: None,
            status: "scheduled".into(),
            checkin_code: "X".into(),
            created_at: 0,
            updated_at,
            version: 1,
        }
    }

    fn exception(original: &str, cancelled: i64, start: Option<&str>, minutes: Option<i64>) -> ExceptionRow {
        ExceptionRow {
            event_id: 7,
            original_start_local: original.into(),
            cancelled,
            start_local: start.map(String::from),
            duration_minutes: minutes,
        }
    }

    #[test]
    fn exceptions_become_cancellations_and_moves_as_the_pages_show_them() {
        let row = row(42);
        let view = crate::events::event_view(&row, "rust", "Rust");
        let exceptions = [
            exception("2030-03-21T18:00", 1, None, None),
            exception("2030-03-14T18:00", 0, Some("2030-03-15T09:30"), Some(90)),
            exception("2030-03-28T18:00", 0, Some("2030-03-29T10:00"), None),
            // Neither cancelled nor moved: the pages leave it out, so does the feed.
            exception("2030-04-04T18:00", 0, None, None),
            exception("garbage", 1, None, None),
        ];
        let refs: Vec<&ExceptionRow> = exceptions.iter().collect();
        let series = feed_series(view, &row, &refs);
        let at = |s: &str| parse_local_key(s).unwrap();
        assert_eq!(series.cancelled, vec![at("2030-03-21T18:00"), at("2030-04-04T18:00")]);
        assert_eq!(
            series.moved,
            vec![
                MovedOccurrence {
                    original_start_local: at("2030-03-14T18:00"),
                    start_local: at("2030-03-15T09:30"),
                    duration_minutes: 90
                },
                MovedOccurrence {
                    original_start_local: at("2030-03-28T18:00"),
                    start_local: at("2030-03-29T10:00"),
                    duration_minutes: 60
                },
            ]
        );
        assert_eq!(series.updated_at, Timestamp(42));
    }
}
