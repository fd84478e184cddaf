//! Calendar feeds over HTTP: a community's public feed (open and
//! request-to-join communities only), a person's private feed behind a
//! secret token (reset, turned off, garbage), who sees what, and the
//! subscribe pages. With `COPSE_ICAL_FIXTURES_DIR` set, also writes served
//! feeds and copse's own expansion of them for `tests/ical/check.py`.

mod common;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use common::*;
use copse_domain::{MembershipRole, MembershipStatus};
use serde_json::{Value, json};

fn series(title: &str, date: &str, time: &str, zone: &str, rrule: Option<&str>) -> Value {
    json!({
        "title": title, "kind": "troubleshooting", "format": "remote", "link": "https://meet.example.com/secret-room",
        "date": date, "time": time, "duration_minutes": 60, "time_zone": zone, "rrule": rrule,
        "description": "Bring your questions; we pair on them."
    })
}

async fn schedule(t: &TestApp, token: &str, slug: &str, body: Value) -> i64 {
    let created = t.api(Method::POST, &format!("/api/v1/communities/{slug}/events"), Some(token), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.json()["event_id"].as_i64().unwrap()
}

async fn cancel(t: &TestApp, token: &str, event: i64, key: &str) {
    let cancelled =
        t.api(Method::POST, &format!("/api/v1/events/{event}/occurrences/{key}/cancel"), Some(token), None).await;
    assert_eq!(cancelled.status, StatusCode::NO_CONTENT, "{}", cancelled.body);
}

/// Content lines with folding undone.
fn unfolded(text: &str) -> Vec<String> {
    text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(String::from).collect()
}

/// Makes (or resets) the person's calendar address through the settings
/// page and returns its path, as the page shows it once.
async fn make_address(t: &TestApp, session: &Session) -> String {
    let page = t.post_form("/settings/calendar", Some(session), &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let base = "http://localhost";
    let found = page.body.find("http://localhost/calendars/people/");
    let start = found.unwrap_or_else(|| panic!("no address in {}", page.body)) + base.len();
    let path = &page.body[start..];
    let path = &path[..path.find(".ics").unwrap() + ".ics".len()];
    assert!(page.body.contains(&format!("webcal://localhost{path}")), "a webcal link too");
    path.to_string()
}

#[tokio::test]
async fn an_open_communitys_feed_has_its_series_zones_and_cancellations_without_signing_in() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.community(&fay, "asking", "request").await;
    let token = t.token("fay").await;
    let id = schedule(
        &t,
        &token,
        "rust",
        series("Rust clinic", "2030-03-07", "18:00", "Europe/Berlin", Some("FREQ=WEEKLY;BYDAY=TH;COUNT=6")),
    )
    .await;
    cancel(&t, &token, id, "2030-03-14T18:00").await;
    schedule(&t, &token, "asking", series("Office hours", "2030-03-05", "09:00", "America/New_York", None)).await;

    let feed = t.get("/calendars/communities/rust.ics", None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert_eq!(feed.content_type(), "text/calendar; charset=utf-8");
    assert!(feed.body.starts_with("BEGIN:VCALENDAR\r\n") && feed.body.ends_with("END:VCALENDAR\r\n"));
    assert!(feed.body.split("\r\n").all(|line| line.len() <= 75));
    let lines = unfolded(&feed.body);
    for expected in [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "X-WR-CALNAME:Community rust · Your organization",
        &format!("UID:event-{id}@localhost"),
        "DTSTART;TZID=Europe/Berlin:20300307T180000",
        "DTEND;TZID=Europe/Berlin:20300307T190000",
        "RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TH",
        "EXDATE;TZID=Europe/Berlin:20300314T180000",
        "SUMMARY:Rust clinic",
        "URL:http://localhost/communities/rust/events",
    ] {
        assert!(lines.iter().any(|l| l == expected), "{expected} missing from\n{}", feed.body);
    }
    assert!(!feed.body.contains("meet.example.com"), "meeting links stay out of public feeds");

    let asking = t.get("/calendars/communities/asking.ics", None).await;
    assert_eq!(asking.status, StatusCode::OK);
    let lines = unfolded(&asking.body);
    assert!(lines.contains(&"DTSTART;TZID=America/New_York:20300305T090000".to_string()), "{}", asking.body);
    let vevent = &lines[lines.iter().position(|l| l == "BEGIN:VEVENT").unwrap()..];
    assert!(!vevent.iter().any(|l| l.starts_with("RRULE") || l.starts_with("EXDATE")), "a one-off has no rule");
}

#[tokio::test]
async fn private_and_unknown_communities_have_no_feed_and_leak_nothing() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "secret", "private").await;
    let token = t.token("fay").await;
    schedule(&t, &token, "secret", series("Skunkworks sync", "2030-03-07", "18:00", "Europe/Berlin", None)).await;

    let private = t.get("/calendars/communities/secret.ics", None).await;
    let unknown = t.get("/calendars/communities/no-such-thing.ics", None).await;
    let no_suffix = t.get("/calendars/communities/secret", None).await;
    for response in [&private, &unknown, &no_suffix] {
        assert_eq!(response.status, StatusCode::NOT_FOUND);
        assert!(response.content_type().starts_with("text/plain"));
        assert!(!response.body.contains("Skunkworks") && !response.body.contains("BEGIN:VCALENDAR"));
    }
    assert_eq!(private.body, unknown.body, "a private community looks like no community");
    // Signed in as its facilitator changes nothing: the public feed stays public-only.
    assert_eq!(t.get("/calendars/communities/secret.ics", Some(&fay)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_personal_feed_has_every_community_of_its_owner_and_stops_when_they_leave() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let bob = t.person("bob", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.community(&fay, "secret", "private").await;
    t.community(&fay, "invited", "private").await;
    let token = t.token("fay").await;
    let rust = schedule(
        &t,
        &token,
        "rust",
        series("Rust clinic", "2030-03-07", "18:00", "Europe/Berlin", Some("FREQ=WEEKLY;BYDAY=TH;COUNT=6")),
    )
    .await;
    cancel(&t, &token, rust, "2030-03-21T18:00").await;
    let secret = schedule(
        &t,
        &token,
        "secret",
        series("Skunkworks sync", "2030-03-04", "10:00", "Australia/Sydney", Some("FREQ=WEEKLY;BYDAY=MO")),
    )
    .await;
    t.db.store.set_exception(secret, "2030-03-11T10:00", false, Some(("2030-03-12T15:30", 45)), None).await.unwrap();
    schedule(&t, &token, "invited", series("Invitation only", "2030-03-05", "09:00", "UTC", None)).await;
    t.add_member("rust", bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("secret", bob, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("invited", bob, MembershipRole::Member, MembershipStatus::Invited).await;

    let bob_session = t.sign_in("bob").await;
    let settings = t.get("/settings/tokens", Some(&bob_session)).await;
    assert!(settings.body.contains("Your calendar feed") && settings.body.contains("Make my calendar address"));
    let path = make_address(&t, &bob_session).await;
    let after = t.get("/settings/tokens", Some(&bob_session)).await;
    assert!(!after.body.contains(&path), "the address is shown once");
    assert!(after.body.contains("Reset the address"));

    let feed = t.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert_eq!(feed.content_type(), "text/calendar; charset=utf-8");
    let lines = unfolded(&feed.body);
    for expected in [
        "SUMMARY:Rust clinic",
        "EXDATE;TZID=Europe/Berlin:20300321T180000",
        "SUMMARY:Skunkworks sync",
        "TZID:Australia/Sydney",
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RECURRENCE-ID;TZID=Australia/Sydney:20300311T100000",
        "DTSTART;TZID=Australia/Sydney:20300312T153000",
        "DTEND;TZID=Australia/Sydney:20300312T161500",
        &format!("URL:http://localhost/events/{secret}/2030-03-11T10:00"),
    ] {
        assert!(lines.iter().any(|l| l == expected), "{expected} missing from\n{}", feed.body);
    }
    assert!(feed.body.contains("meet.example.com/secret-room"), "the owner gets meeting links");
    assert!(!feed.body.contains("Invitation only"), "an invitation is not a membership");

    let left = t.post_form("/communities/secret/leave", Some(&bob_session), &[]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    let feed = t.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("Rust clinic"));
    assert!(!feed.body.contains("Skunkworks"), "left communities drop out of the feed");
}

#[tokio::test]
async fn reset_turned_off_and_garbage_tokens_are_refused_clearly() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    let first = make_address(&t, &fay).await;
    assert_eq!(t.get(&first, None).await.status, StatusCode::OK);

    let second = make_address(&t, &fay).await;
    assert_ne!(first, second);
    let old = t.get(&first, None).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    assert!(old.content_type().starts_with("text/plain"));
    assert!(old.body.contains("not valid") && old.body.contains("reset"), "{}", old.body);
    assert_eq!(t.get(&second, None).await.status, StatusCode::OK);

    let token = second.trim_start_matches("/calendars/people/").trim_end_matches(".ics").to_string();
    assert_eq!(token.len(), 64, "256 random bits");
    for garbage in [
        "/calendars/people/garbage.ics".to_string(),
        format!("/calendars/people/{}.ics", "0".repeat(64)),
        format!("/calendars/people/{}.ics", token.to_uppercase()),
        format!("/calendars/people/{token}"),
        format!("/calendars/people/{token}x.ics"),
        "/calendars/people/.ics".to_string(),
    ] {
        let refused = t.get(&garbage, None).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{garbage}");
        assert_eq!(refused.body, old.body, "{garbage}");
    }

    let off = t.post_form("/settings/calendar/delete", Some(&fay), &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get(&second, None).await.status, StatusCode::NOT_FOUND);
    assert!(t.get("/settings/tokens", Some(&fay)).await.body.contains("Make my calendar address"));

    // Forms need the CSRF token and a session.
    let forged = t.post_raw("/settings/calendar", Some(&fay), "").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let signed_out = t.post_form("/settings/calendar", None, &[]).await;
    assert_ne!(signed_out.status, StatusCode::OK);
}

#[tokio::test]
async fn the_subscribe_page_gives_public_addresses_and_points_private_members_to_their_own_feed() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    t.person("eve", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "rust", "open").await;
    t.community(&fay, "secret", "private").await;

    let events = t.get("/communities/rust/events", Some(&fay)).await;
    assert!(events.body.contains("href=\"/communities/rust/calendar\""), "{}", events.body);
    let open = t.get("/communities/rust/calendar", Some(&fay)).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.body);
    assert!(open.body.contains("http://localhost/calendars/communities/rust.ics"));
    assert!(open.body.contains("webcal://localhost/calendars/communities/rust.ics"));

    let private = t.get("/communities/secret/calendar", Some(&fay)).await;
    assert_eq!(private.status, StatusCode::OK);
    assert!(!private.body.contains("/calendars/communities/secret.ics"));
    assert!(private.body.contains("personal calendar feed"));

    let eve = t.sign_in("eve").await;
    assert_eq!(t.get("/communities/secret/calendar", Some(&eve)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/communities/rust/calendar", None).await.status, StatusCode::SEE_OTHER, "sign in first");
}

/// The occurrences copse itself shows for a community in `[from, to)`, in
/// the form `tests/ical/check.py` compares against (cancelled ones left out;
/// a moved one's local time is its new one).
async fn expected_occurrences(t: &TestApp, token: &str, slug: &str, from: &str, to: &str) -> Vec<Value> {
    let list =
        t.api(Method::GET, &format!("/api/v1/communities/{slug}/events?from={from}&to={to}"), Some(token), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let format = |at: &DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    list.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["cancelled"].as_bool().unwrap())
        .map(|o| {
            let zone: Tz = o["time_zone"].as_str().unwrap().parse().unwrap();
            let start: DateTime<Utc> = o["start"].as_str().unwrap().parse().unwrap();
            let end: DateTime<Utc> = o["end"].as_str().unwrap().parse().unwrap();
            let local = if o["moved"].as_bool().unwrap() {
                start.with_timezone(&zone).naive_local()
            } else {
                NaiveDateTime::parse_from_str(o["key"].as_str().unwrap(), "%Y-%m-%dT%H:%M").unwrap()
            };
            json!({
                "uid": format!("event-{}@localhost", o["event_id"]),
                "start": format(&start),
                "end": format(&end),
                "local": local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "zone": zone.name(),
            })
        })
        .collect()
}

/// Served feeds for the external parser check (`tests/ical/run.sh`): weekly
/// series in Berlin, New York and Sydney across their 2031 daylight-saving
/// changes, each with a cancelled and a moved occurrence, plus a monthly
/// series and a one-off; the community feed and a member's personal feed
/// (which adds a private community), each with copse's own occurrences for
/// the year from the API.
#[tokio::test]
async fn served_feeds_for_the_external_parser() {
    let t = TestApp::new().await;
    t.person("fay", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "served", "open").await;
    t.community(&fay, "inner", "private").await;
    let token = t.token("fay").await;

    let berlin = schedule(
        &t,
        &token,
        "served",
        series("Berlin weekly", "2031-01-02", "18:00", "Europe/Berlin", Some("FREQ=WEEKLY;BYDAY=TH")),
    )
    .await;
    cancel(&t, &token, berlin, "2031-03-27T18:00").await;
    t.db.store.set_exception(berlin, "2031-10-30T18:00", false, Some(("2031-10-31T19:30", 90)), None).await.unwrap();
    let new_york = schedule(
        &t,
        &token,
        "served",
        series(
            "New York Mondays",
            "2031-01-06",
            "19:00",
            "America/New_York",
            Some("FREQ=WEEKLY;BYDAY=MO;UNTIL=20311130"),
        ),
    )
    .await;
    cancel(&t, &token, new_york, "2031-03-10T19:00").await;
    t.db.store.set_exception(new_york, "2031-11-03T19:00", false, Some(("2031-11-04T12:00", 60)), None).await.unwrap();
    let sydney = schedule(
        &t,
        &token,
        "served",
        series("Sydney Wednesdays", "2031-01-01", "09:00", "Australia/Sydney", Some("FREQ=WEEKLY;BYDAY=WE")),
    )
    .await;
    cancel(&t, &token, sydney, "2031-04-09T09:00").await;
    t.db.store.set_exception(sydney, "2031-04-02T09:00", false, Some(("2031-04-03T17:00", 60)), None).await.unwrap();
    schedule(&t, &token, "served", series("Berlin once", "2031-06-10", "12:00", "Europe/Berlin", None)).await;
    let monthly = schedule(
        &t,
        &token,
        "inner",
        series("Inner first Tuesday", "2031-01-07", "19:00", "Europe/Berlin", Some("FREQ=MONTHLY;BYDAY=1TU;COUNT=10")),
    )
    .await;
    cancel(&t, &token, monthly, "2031-04-01T19:00").await;

    let (from, to) = ("2031-01-01T00:00:00Z", "2032-01-01T00:00:00Z");
    let served = expected_occurrences(&t, &token, "served", from, to).await;
    let mut mine = served.clone();
    mine.extend(expected_occurrences(&t, &token, "inner", from, to).await);
    assert!(served.len() > 100, "{} occurrences", served.len());
    assert!(served.iter().any(|o| o["local"] == "2031-10-31T19:30:00"), "the moved one is there");

    let community_feed = t.get("/calendars/communities/served.ics", None).await;
    assert_eq!(community_feed.status, StatusCode::OK);
    let personal = make_address(&t, &fay).await;
    let personal_feed = t.get(&personal, None).await;
    assert_eq!(personal_feed.status, StatusCode::OK);
    assert!(personal_feed.body.contains("Inner first Tuesday"));

    let Some(dir) = std::env::var_os("COPSE_ICAL_FIXTURES_DIR").map(std::path::PathBuf::from) else { return };
    std::fs::create_dir_all(&dir).unwrap();
    for (name, feed, occurrences) in
        [("served-community", &community_feed.body, served), ("served-person", &personal_feed.body, mine)]
    {
        let expected = json!({ "from": from, "to": to, "occurrences": occurrences });
        std::fs::write(dir.join(format!("{name}.ics")), feed).unwrap();
        std::fs::write(dir.join(format!("{name}.expected.json")), serde_json::to_string_pretty(&expected).unwrap())
            .unwrap();
    }
}
