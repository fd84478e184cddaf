//! Events on both databases: series, ranges, exceptions, RSVPs with capacity,
//! waitlist promotion with a notification, and capacity changes.

use copse_domain::*;
use copse_store::*;
use copse_testkit::{TestDb, person};

async fn community(store: &Store, creator: PersonId) -> CommunityId {
    let draft = CommunityDraft::parse(&CommunityInput {
        name: "Rust".into(),
        domain: "Rust".into(),
        kind: "technical-practice".into(),
        visibility: "open".into(),
        ..Default::default()
    })
    .unwrap();
    store
        .insert_community(&NewCommunity {
            draft: &draft,
            sponsor: None,
            creator,
            stage: Stage::Potential,
            at: Timestamp::now(),
        })
        .await
        .unwrap()
}

fn record(community: CommunityId, capacity: Option<i64>, starts: i64, ends: Option<i64>) -> EventRecord {
    EventRecord {
        community,
        title: "Rust meetup".into(),
        description: String::new(),
        kind: "meetup".into(),
        format: "remote".into(),
        location: String::new(),
        link: "https://meet.example.com/rust".into(),
        start_local: "2026-03-05T18:00".into(),
        time_zone: "Europe/Berlin".into(),
        duration_minutes: 60,
        rrule: Some("FREQ=WEEKLY;BYDAY=TH".into()),
        starts_at: Timestamp(starts),
        ends_at: ends.map(Timestamp),
        capacity,
        facilitator: None,
    }
}

fn rsvp<'a>(event: i64, community: CommunityId, person: PersonId, answer: &'a str) -> RsvpChange<'a> {
    RsvpChange {
        event,
        occurrence: "2026-03-05T18:00",
        person,
        community,
        answer,
        promotion_message: "A seat came free",
        promotion_link: "/events/1",
        at: Timestamp::now(),
    }
}

#[tokio::test]
async fn series_are_found_by_overlapping_range() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada").await;
    let c = community(&db.store, ada).await;
    let bounded = db.store.insert_event(&record(c, None, 1_000, Some(2_000)), "ABC123", Some(ada)).await.unwrap();
    let open_ended = db.store.insert_event(&record(c, None, 5_000, None), "DEF456", Some(ada)).await.unwrap();
    let ids = |rows: Vec<EventRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(db.store.list_community_events(c, Timestamp(0), Timestamp(1_500)).await.unwrap()), vec![bounded]);
    assert_eq!(
        ids(db.store.list_community_events(c, Timestamp(2_500), Timestamp(4_000)).await.unwrap()),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(db.store.list_community_events(c, Timestamp(9_000), Timestamp(10_000)).await.unwrap()),
        vec![open_ended]
    );
    assert_eq!(
        ids(db.store.list_member_events(ada, Timestamp(0), Timestamp(10_000)).await.unwrap()),
        vec![bounded, open_ended]
    );
    let row = db.store.find_event(bounded).await.unwrap().unwrap();
    assert_eq!(row.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=TH"));
    assert_eq!(row.checkin_code, "ABC123");
}

#[tokio::test]
async fn exceptions_cancel_or_move_one_occurrence() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada").await;
    let c = community(&db.store, ada).await;
    let e = db.store.insert_event(&record(c, None, 0, None), "X", Some(ada)).await.unwrap();
    db.store.set_exception(e, "2026-03-12T18:00", true, None, Some(ada)).await.unwrap();
    db.store.set_exception(e, "2026-03-19T18:00", false, Some(("2026-03-20T17:00", 90)), Some(ada)).await.unwrap();
    let rows = db.store.list_event_exceptions(e).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].cancelled, 1);
    assert_eq!(rows[1].start_local.as_deref(), Some("2026-03-20T17:00"));
    assert_eq!(db.store.list_community_exceptions(c).await.unwrap().len(), 2);
    assert!(matches!(db.store.set_exception(999, "x", true, None, None).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_full_occurrence_waitlists_and_a_freed_seat_promotes_the_first_in_line() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada").await;
    let bob = person(&db.store, "bob").await;
    let cy = person(&db.store, "cy").await;
    let dee = person(&db.store, "dee").await;
    let c = community(&db.store, ada).await;
    let e = db.store.insert_event(&record(c, Some(2), 0, None), "X", Some(ada)).await.unwrap();

    assert!(!db.store.record_rsvp(&rsvp(e, c, ada, "going")).await.unwrap().waitlisted);
    assert!(!db.store.record_rsvp(&rsvp(e, c, bob, "going")).await.unwrap().waitlisted);
    assert!(db.store.record_rsvp(&rsvp(e, c, cy, "going")).await.unwrap().waitlisted);
    assert!(db.store.record_rsvp(&rsvp(e, c, dee, "going")).await.unwrap().waitlisted);
    // Answering "going" again keeps one's seat.
    assert!(!db.store.record_rsvp(&rsvp(e, c, ada, "going")).await.unwrap().waitlisted);

    let freed = db.store.record_rsvp(&rsvp(e, c, bob, "not-going")).await.unwrap();
    assert_eq!(freed.promoted, Some(cy), "the first in line gets the seat");
    let list = db.store.list_rsvps(e, "2026-03-05T18:00").await.unwrap();
    let going: Vec<&str> =
        list.iter().filter(|r| r.answer == "going" && r.waitlisted == 0).map(|r| r.handle.as_str()).collect();
    assert_eq!(going, vec!["ada", "cy"]);
    assert_eq!(list.iter().filter(|r| r.waitlisted == 1).count(), 1);
    let told = db.store.list_notifications(cy, 10).await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].kind, "waitlist.promoted");
    assert!(db.store.list_notifications(dee, 10).await.unwrap().is_empty());

    // A "maybe" never takes a seat and never promotes anyone.
    let maybe = db.store.record_rsvp(&rsvp(e, c, bob, "maybe")).await.unwrap();
    assert_eq!(maybe.promoted, None);
    let counts = db.store.count_community_rsvps(c).await.unwrap();
    assert_eq!((counts[0].going, counts[0].waitlisted), (2, 1));
    // Going RSVPs feed the activity record once per occurrence.
    let activity = db.store.count_contributions_by_person(c, Timestamp(0)).await.unwrap();
    assert_eq!(activity.iter().map(|a| a.count).sum::<i64>(), 4);
}

#[tokio::test]
async fn capacity_cannot_drop_below_those_going() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada").await;
    let bob = person(&db.store, "bob").await;
    let c = community(&db.store, ada).await;
    let e = db.store.insert_event(&record(c, Some(5), 0, None), "X", Some(ada)).await.unwrap();
    db.store.record_rsvp(&rsvp(e, c, ada, "going")).await.unwrap();
    db.store.record_rsvp(&rsvp(e, c, bob, "going")).await.unwrap();
    let err = db.store.update_event(e, &record(c, Some(1), 0, None), Some(ada)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(ref what) if what == "events.capacity"), "{err:?}");
    assert_eq!(db.store.find_event(e).await.unwrap().unwrap().capacity, Some(5), "unchanged");
    db.store.update_event(e, &record(c, Some(2), 0, None), Some(ada)).await.unwrap();
    assert!(matches!(db.store.record_rsvp(&rsvp(999, c, ada, "going")).await, Err(StoreError::NotFound)));
}
