//! The demo organization's year of sessions: a recurring series in most
//! communities (weekly, fortnightly or monthly, in the lead's time zone),
//! a few one-off workshops, some cancelled occurrences, and for past
//! sessions RSVPs, attendance and feedback. One full upcoming workshop in the
//! Rust Guild has a waitlist (the browser journey uses it), and the
//! Kubernetes & Platform community meets at 09:00 in San Francisco, which is
//! the middle of the night in Asia-Pacific (the planner shows it).
//!
//! Dates are relative to now, so the calendar always has a past and a future;
//! choices come from the demo's seeded generator.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use copse_domain::recurrence::{SeriesTiming, expand};
use copse_domain::{CommunityId, EventDraft, EventInput, MembershipStatus, PersonId, Timestamp, local_key};
use copse_store::{RsvpChange, Store};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::{App, AppError};

/// A recurring series for one community.
struct SeriesSpec {
    slug: &'static str,
    title: &'static str,
    kind: &'static str,
    format: &'static str,
    weekday: Weekday,
    time: &'static str,
    zone: &'static str,
    minutes: u32,
    /// RRULE without the BYDAY part's weekday, which `weekday` fills in.
    rule: &'static str,
    capacity: Option<u32>,
}

const SERIES: &[SeriesSpec] = &[
    SeriesSpec {
        slug: "rust-guild",
        title: "Rust clinic",
        kind: "troubleshooting",
        format: "hybrid",
        weekday: Weekday::Thu,
        time: "16:00",
        zone: "Europe/Berlin",
        minutes: 60,
        rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        capacity: None,
    },
    SeriesSpec {
        slug: "kubernetes-platform",
        title: "Platform office hours",
        kind: "meetup",
        format: "remote",
        weekday: Weekday::Mon,
        time: "09:00",
        zone: "America/Los_Angeles",
        minutes: 60,
        rule: "FREQ=WEEKLY;BYDAY=MO",
        capacity: None,
    },
    SeriesSpec {
        slug: "frontend-craft",
        title: "Frontend show and tell",
        kind: "talk",
        format: "remote",
        weekday: Weekday::Wed,
        time: "15:00",
        zone: "Europe/London",
        minutes: 45,
        rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        capacity: None,
    },
    SeriesSpec {
        slug: "architects-forum",
        title: "Architecture review",
        kind: "code-review",
        format: "remote",
        weekday: Weekday::Tue,
        time: "14:00",
        zone: "Europe/Berlin",
        minutes: 90,
        rule: "FREQ=MONTHLY;BYDAY=1TU",
        capacity: Some(25),
    },
    SeriesSpec {
        slug: "qa-test-engineering",
        title: "Test strategy circle",
        kind: "meetup",
        format: "remote",
        weekday: Weekday::Tue,
        time: "10:00",
        zone: "America/New_York",
        minutes: 60,
        rule: "FREQ=MONTHLY;BYDAY=2TU",
        capacity: None,
    },
    SeriesSpec {
        slug: "data-science-circle",
        title: "Paper reading",
        kind: "tutorial",
        format: "remote",
        weekday: Weekday::Tue,
        time: "15:30",
        zone: "Asia/Kolkata",
        minutes: 60,
        rule: "FREQ=MONTHLY;BYDAY=1TU",
        capacity: None,
    },
    SeriesSpec {
        slug: "sre-practice",
        title: "Incident review",
        kind: "troubleshooting",
        format: "remote",
        weekday: Weekday::Fri,
        time: "11:00",
        zone: "Europe/London",
        minutes: 60,
        rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        capacity: None,
    },
    SeriesSpec {
        slug: "payments-domain",
        title: "Payments domain sync",
        kind: "meetup",
        format: "in-person",
        weekday: Weekday::Wed,
        time: "12:30",
        zone: "America/New_York",
        minutes: 60,
        rule: "FREQ=MONTHLY;BYDAY=3WE",
        capacity: Some(20),
    },
    SeriesSpec {
        slug: "security-champions",
        title: "Threat modelling session",
        kind: "workshop",
        format: "remote",
        weekday: Weekday::Thu,
        time: "13:00",
        zone: "Europe/Berlin",
        minutes: 90,
        rule: "FREQ=MONTHLY;BYDAY=2TH",
        capacity: None,
    },
    SeriesSpec {
        slug: "performance-guild",
        title: "Profiling lab",
        kind: "workshop",
        format: "remote",
        weekday: Weekday::Wed,
        time: "10:00",
        zone: "Australia/Sydney",
        minutes: 60,
        rule: "FREQ=MONTHLY;BYDAY=4WE",
        capacity: None,
    },
    SeriesSpec {
        slug: "mobile-guild",
        title: "Mobile release retro",
        kind: "meetup",
        format: "remote",
        weekday: Weekday::Mon,
        time: "16:00",
        zone: "Europe/London",
        minutes: 45,
        rule: "FREQ=MONTHLY;BYDAY=1MO",
        capacity: None,
    },
    SeriesSpec {
        slug: "staff-engineers",
        title: "Staff engineers roundtable",
        kind: "meetup",
        format: "remote",
        weekday: Weekday::Thu,
        time: "17:00",
        zone: "Europe/Berlin",
        minutes: 60,
        rule: "FREQ=MONTHLY;BYDAY=3TH",
        capacity: None,
    },
];

/// The full upcoming workshop with a waitlist.
pub const DEMO_WORKSHOP: &str = "Async Rust deep dive";
const WORKSHOP_CAPACITY: u32 = 6;

/// The first date on or after `from` that falls on `weekday` and, for a
/// monthly "Nth weekday" rule, in the right week of the month.
fn first_matching(from: NaiveDate, weekday: Weekday, rule: &str) -> NaiveDate {
    let nth = rule.split("BYDAY=").nth(1).and_then(|d| d.chars().next()).and_then(|c| c.to_digit(10));
    let mut day = from;
    loop {
        let week_of_month = (day.day() - 1) / 7 + 1;
        if day.weekday() == weekday && nth.is_none_or(|n| n == week_of_month) {
            return day;
        }
        day += Duration::days(1);
    }
}

async fn active_members(store: &Store, community: CommunityId) -> Result<Vec<PersonId>, AppError> {
    Ok(store
        .list_members(community, MembershipStatus::Active, Timestamp(0), 500)
        .await?
        .into_iter()
        .map(|m| PersonId(m.person_id))
        .collect())
}

/// Loads the sessions; returns how many series it created.
pub(crate) async fn load(app: &App, rng: &mut StdRng) -> Result<u64, AppError> {
    let store = app.store();
    let today = Utc::now().date_naive();
    let mut created = 0;
    for spec in SERIES {
        let Some(community) = store.find_community_for_viewer(spec.slug, None).await? else {
            continue;
        };
        let community_id = CommunityId(community.community.id);
        let members = active_members(store, community_id).await?;
        let start = first_matching(today - Duration::days(300), spec.weekday, spec.rule);
        let input = EventInput {
            title: spec.title.into(),
            description: format!(
                "The {} community's regular session. Bring questions, share what you learned.",
                community.community.name
            ),
            kind: spec.kind.into(),
            format: spec.format.into(),
            location: if spec.format == "remote" { String::new() } else { "Main office, room 3".into() },
            link: if spec.format == "in-person" {
                String::new()
            } else {
                format!("https://meet.northwind.example/{}", spec.slug)
            },
            date: start.format("%Y-%m-%d").to_string(),
            time: spec.time.into(),
            duration_minutes: spec.minutes.to_string(),
            time_zone: spec.zone.into(),
            capacity: spec.capacity.map(|c| c.to_string()).unwrap_or_default(),
            recurrence: spec.rule.into(),
        };
        let draft = EventDraft::parse(&input).map_err(AppError::Invalid)?;
        let record = crate::events::record_of(community_id, &draft, members.first().copied());
        let code = format!("{:06X}", rng.gen_range(0..0xFF_FFFFu32));
        let event = store.insert_event(&record, &code, members.first().copied()).await?;
        created += 1;

        let timing = SeriesTiming {
            start_local: draft.start_local,
            zone: draft.zone.0,
            duration_minutes: draft.duration_minutes,
            recurrence: draft.recurrence.clone(),
            excluded: Vec::new(),
        };
        let now = Utc::now();
        let occurrences = expand(&timing, now - Duration::days(300), now + Duration::days(60), 200);
        let past: Vec<_> = occurrences.iter().filter(|o| o.end < now).collect();
        let future: Vec<_> = occurrences.iter().filter(|o| o.start > now).collect();
        // One cancelled session in the past and one coming up, in some series.
        if rng.gen_bool(0.5) && past.len() > 4 {
            let pick = past[rng.gen_range(1..past.len() - 1)];
            store.set_exception(event, &local_key(pick.original_start_local), true, None, None).await?;
        }
        if rng.gen_bool(0.3) && future.len() > 2 {
            store.set_exception(event, &local_key(future[1].original_start_local), true, None, None).await?;
        }
        let cancelled: Vec<String> =
            store.list_event_exceptions(event).await?.into_iter().map(|x| x.original_start_local).collect();
        // RSVPs, attendance and feedback for the last few months, and RSVPs
        // for the next sessions.
        for occurrence in occurrences.iter().filter(|o| o.start > now - Duration::days(120)) {
            let key = local_key(occurrence.original_start_local);
            if cancelled.contains(&key) || members.is_empty() {
                continue;
            }
            let mut pool = members.clone();
            pool.shuffle(rng);
            let going = ((members.len() as f64) * rng.gen_range(0.15..0.35)).ceil() as usize;
            for person in pool.iter().take(going.clamp(2, 30)) {
                store
                    .record_rsvp(&RsvpChange {
                        event,
                        occurrence: &key,
                        person: *person,
                        community: community_id,
                        answer: "going",
                        promotion_message: "",
                        promotion_link: "",
                        at: Timestamp::from(occurrence.start - Duration::days(rng.gen_range(1..10))),
                    })
                    .await?;
                if occurrence.end < now && rng.gen_bool(0.75) {
                    store.record_attendance(event, &key, *person, community_id, "facilitator").await?;
                    if rng.gen_bool(0.4) {
                        let rating = rng.gen_range(3..=5);
                        let comment =
                            ["", "", "Very practical.", "Would like more hands-on time.", "Great discussion."]
                                [rng.gen_range(0..5)];
                        store.record_feedback(event, &key, *person, rating, comment).await?;
                    }
                }
            }
        }
    }
    created += load_workshop(app, rng, RUST_WORKSHOP).await?;
    created += load_workshop(app, rng, COST_WORKSHOP).await?;
    Ok(created)
}

/// A full one-off workshop.
struct WorkshopSpec {
    slug: &'static str,
    host: &'static str,
    title: &'static str,
    description: &'static str,
    location: &'static str,
    zone: &'static str,
    days_ahead: i64,
    capacity: u32,
    /// How many beyond capacity are already waiting.
    waiting: usize,
    code: &'static str,
}

/// The Rust Guild's workshop is exactly full with nobody waiting, so the
/// first person to answer "going" heads the waitlist (the browser journey
/// relies on this: sam queues, ada gives up her seat, sam is promoted).
const RUST_WORKSHOP: WorkshopSpec = WorkshopSpec {
    slug: "rust-guild",
    host: "ada",
    title: DEMO_WORKSHOP,
    description: "Hands-on: cancellation, structured concurrency and testing async code. Laptops required.",
    location: "Berlin office, Spree room",
    zone: "Europe/Berlin",
    days_ahead: 10,
    capacity: WORKSHOP_CAPACITY,
    waiting: 0,
    code: "RUST42",
};

/// A workshop with people already on its waitlist.
const COST_WORKSHOP: WorkshopSpec = WorkshopSpec {
    slug: "kubernetes-platform",
    host: "",
    title: "Kubernetes cost clinic",
    description: "Bring your namespace's bill; we find the waste together.",
    location: "San Francisco office, 4th floor",
    zone: "America/Los_Angeles",
    days_ahead: 12,
    capacity: 5,
    waiting: 3,
    code: "KUBE77",
};

async fn load_workshop(app: &App, rng: &mut StdRng, spec: WorkshopSpec) -> Result<u64, AppError> {
    let store = app.store();
    let Some(community) = store.find_community_for_viewer(spec.slug, None).await? else {
        return Ok(0);
    };
    let community_id = CommunityId(community.community.id);
    let mut members = active_members(store, community_id).await?;
    let host = match store.find_person_by_handle(spec.host).await? {
        Some(p) => PersonId(p.id),
        None => match members.first() {
            Some(first) => *first,
            None => return Ok(0),
        },
    };
    members.retain(|p| *p != host);
    members.shuffle(rng);
    let day = Utc::now().date_naive() + Duration::days(spec.days_ahead);
    let input = EventInput {
        title: spec.title.into(),
        description: spec.description.into(),
        kind: "workshop".into(),
        format: "in-person".into(),
        location: spec.location.into(),
        date: day.format("%Y-%m-%d").to_string(),
        time: "14:00".into(),
        duration_minutes: "180".into(),
        time_zone: spec.zone.into(),
        capacity: spec.capacity.to_string(),
        ..Default::default()
    };
    let draft = EventDraft::parse(&input).map_err(AppError::Invalid)?;
    let record = crate::events::record_of(community_id, &draft, Some(host));
    let event = store.insert_event(&record, spec.code, Some(host)).await?;
    let key = local_key(draft.start_local);
    let message = format!("A seat came free: you are now going to {}.", spec.title);
    let link = format!("/events/{event}/{key}");
    let attendees = std::iter::once(host).chain(members.into_iter().take(spec.capacity as usize - 1 + spec.waiting));
    for (i, person) in attendees.enumerate() {
        store
            .record_rsvp(&RsvpChange {
                event,
                occurrence: &key,
                person,
                community: community_id,
                answer: "going",
                promotion_message: &message,
                promotion_link: &link,
                at: Timestamp(Timestamp::now().0 - (20 - i as i64) * 3_600_000),
            })
            .await?;
    }
    Ok(1)
}
