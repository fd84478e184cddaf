//! The organization side over HTTP: the executive sponsor and their
//! involvement (sessions attended, sponsor reports read), time allocations,
//! budget lines with their bad input, the sponsor report, the portfolio and
//! the organizational goals, and who may see and do what (a private
//! community stays invisible to outsiders).

mod common;

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::*;
use copse_domain::{CommunityId, MembershipRole, MembershipStatus, PersonId, Timestamp};
use copse_store::EventRecord;
use serde_json::{Value, json};

/// ada is an admin; fay facilitates the open community "guild" and the
/// private "secret"; bob is a plain member of both; spo is guild's sponsor
/// (not a member); cy belongs to neither.
struct World {
    t: TestApp,
    ada: String,
    fay: String,
    bob: String,
    spo: String,
    cy: String,
    spo_id: PersonId,
    bob_id: PersonId,
}

async fn world() -> World {
    let t = TestApp::new().await;
    t.person("ada", true).await;
    t.person("fay", false).await;
    let bob_id = t.person("bob", false).await;
    let spo_id = t.person("spo", false).await;
    t.person("cy", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "guild", "open").await;
    t.community(&fay, "secret", "private").await;
    t.add_member("guild", bob_id, MembershipRole::Member, MembershipStatus::Active).await;
    t.add_member("secret", bob_id, MembershipRole::Member, MembershipStatus::Active).await;
    let (ada, fay, bob, spo, cy) =
        (t.token("ada").await, t.token("fay").await, t.token("bob").await, t.token("spo").await, t.token("cy").await);
    let set = t.api(Method::PUT, "/api/v1/communities/guild/sponsor", Some(&fay), Some(json!({"handle": "spo"}))).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    World { t, ada, fay, bob, spo, cy, spo_id, bob_id }
}

async fn community_id(t: &TestApp, slug: &str) -> CommunityId {
    CommunityId(t.db.store.find_community_for_viewer(slug, None).await.unwrap().unwrap().community.id)
}

async fn add_line(t: &TestApp, token: &str, slug: &str, body: Value) -> (StatusCode, Value) {
    let r = t.api(Method::POST, &format!("/api/v1/communities/{slug}/budget-lines"), Some(token), Some(body)).await;
    let json = if r.body.is_empty() { Value::Null } else { r.json() };
    (r.status, json)
}

/// A redirect's target without its fragment (which a request URI cannot carry).
fn follow(response: &TestResponse) -> &str {
    response.location().split('#').next().unwrap()
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| e.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// A one-off session `days_ago` days back in community `slug`, attended by `people`.
async fn past_session(t: &TestApp, slug: &str, title: &str, days_ago: i64, people: &[PersonId]) -> (i64, String) {
    let community = community_id(t, slug).await;
    let start = (Utc::now() - Duration::days(days_ago)).date_naive().and_hms_opt(10, 0, 0).unwrap();
    let key = start.format("%Y-%m-%dT%H:%M").to_string();
    let starts_at = Timestamp::from(start.and_utc());
    let record = EventRecord {
        community,
        title: title.into(),
        description: String::new(),
        kind: "meetup".into(),
        format: "remote".into(),
        location: String::new(),
        link: String::new(),
        start_local: key.clone(),
        time_zone: "UTC".into(),
        duration_minutes: 60,
        rrule: None,
        starts_at,
        ends_at: Some(Timestamp(starts_at.0 + 3_600_000)),
        capacity: None,
        facilitator: None,
    };
    let event = t.db.store.insert_event(&record, "ABC123", None).await.unwrap();
    for person in people {
        t.db.store.record_attendance(event, &key, *person, community, "facilitator").await.unwrap();
    }
    (event, key)
}

#[tokio::test]
async fn who_sees_the_sponsor_time_and_budget() {
    let w = world().await;
    let t = &w.t;
    let (status, line) =
        add_line(t, &w.fay, "guild", json!({"title": "Books", "period": "2026", "requested": "1,200.50"})).await;
    assert_eq!(status, StatusCode::CREATED, "{line}");
    assert_eq!(line["requested_cents"], 120_050);
    assert_eq!(line["granted_cents"], Value::Null);

    // A plain member sees the sponsor and their involvement, not time or budget.
    let bob = t.sign_in("bob").await;
    let page = t.get("/communities/guild/organization", Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Spo Tester") && page.body.contains("Sessions attended"), "{}", page.body);
    assert!(!page.body.contains("id=\"time-h\"") && !page.body.contains("id=\"budget-h\""));
    assert!(!page.body.contains("Books"), "budget lines are not for plain members");
    assert!(page.body.contains("id=\"own-h\""), "a member records their own time");
    assert!(!page.body.contains("/communities/guild/report"), "no report link for plain members");
    assert_eq!(t.get("/communities/guild/report", Some(&bob)).await.status, StatusCode::FORBIDDEN);
    let api = t.api(Method::GET, "/api/v1/communities/guild/organization", Some(&w.bob), None).await.json();
    assert_eq!(api["organization_side"], false);
    assert_eq!(api["sponsor"]["handle"], "spo");
    assert!(api["budget"].is_null() && api["time"].is_null());
    for path in ["/api/v1/communities/guild/budget-lines", "/api/v1/communities/guild/report"] {
        assert_eq!(t.api(Method::GET, path, Some(&w.bob), None).await.status, StatusCode::FORBIDDEN, "{path}");
    }

    // The sponsor, though not a member, sees everything but manages nothing.
    let spo = t.sign_in("spo").await;
    let page = t.get("/communities/guild/organization", Some(&spo)).await;
    assert!(page.body.contains("id=\"time-h\"") && page.body.contains("Books"), "{}", page.body);
    assert!(page.body.contains("You sponsor this community"));
    assert!(!page.body.contains("Add a budget line") && !page.body.contains("id=\"own-h\""));
    assert_eq!(t.get("/communities/guild/report", Some(&spo)).await.status, StatusCode::OK);
    let (status, _) = add_line(t, &w.spo, "guild", json!({"title": "X", "period": "2026", "requested": "1"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = t
        .api(
            Method::PUT,
            "/api/v1/communities/guild/time-allocations",
            Some(&w.spo),
            Some(json!({"handle": "bob", "hours_per_month": 4})),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);

    // The facilitator and the admin see it all.
    for token in [&w.fay, &w.ada] {
        let api = t.api(Method::GET, "/api/v1/communities/guild/organization", Some(token), None).await.json();
        assert_eq!(api["organization_side"], true);
        assert_eq!(api["budget"]["lines"][0]["title"], "Books");
        assert_eq!(api["budget"]["currency"], "EUR");
    }
    let fay = t.sign_in("fay").await;
    let page = t.get("/communities/guild/organization", Some(&fay)).await;
    assert!(page.body.contains("Add a budget line") && page.body.contains("Record time for a member"));
    assert!(!page.body.contains("Set granted"), "only administrators grant");
    let ada = t.sign_in("ada").await;
    assert!(t.get("/communities/guild/organization", Some(&ada)).await.body.contains("Set granted"));

    // An outsider of a private community learns nothing.
    let (status, secret_line) =
        add_line(t, &w.fay, "secret", json!({"title": "Hidden", "period": "2026", "requested": "10"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let cy = t.sign_in("cy").await;
    for path in ["/communities/secret/organization", "/communities/secret/report"] {
        assert_eq!(t.get(path, Some(&cy)).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        "/api/v1/communities/secret/organization",
        "/api/v1/communities/secret/time-allocations",
        "/api/v1/communities/secret/budget-lines",
        "/api/v1/communities/secret/report",
    ] {
        assert_eq!(t.api(Method::GET, path, Some(&w.cy), None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let patch = t
        .api(
            Method::PATCH,
            &format!("/api/v1/budget-lines/{}", secret_line["id"]),
            Some(&w.cy),
            Some(json!({"spent": "5"})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
    assert!(!patch.body.contains("Hidden"));
    let sponsor =
        t.api(Method::PUT, "/api/v1/communities/secret/sponsor", Some(&w.cy), Some(json!({"handle": "cy"}))).await;
    assert_eq!(sponsor.status, StatusCode::NOT_FOUND);
    // A line of one community cannot be changed through another's page.
    let wrong = t
        .post_form(
            &format!("/communities/guild/organization/budget/{}", secret_line["id"]),
            Some(&fay),
            &[("spent", "1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    // Signed out: the page asks to sign in, the API says 401.
    assert_eq!(t.get("/communities/guild/organization", None).await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.api(Method::GET, "/api/v1/organization/portfolio", None, None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_amounts_and_periods_are_refused_with_the_field_named() {
    let w = world().await;
    let t = &w.t;
    for bad in ["12.345", "-5", "abc", "1e9", "1,20", ""] {
        let (status, problem) =
            add_line(t, &w.fay, "guild", json!({"title": "Books", "period": "2026", "requested": bad})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {problem}");
        assert_eq!(fields(&problem), vec!["requested"], "{bad}: {problem}");
    }
    // A JSON number is read as its text: 1e9 is still refused.
    let (status, problem) =
        add_line(t, &w.fay, "guild", json!({"title": "B", "period": "2026", "requested": 1e9})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, line) =
        add_line(t, &w.fay, "guild", json!({"title": "B", "period": "2026-q4", "requested": 300})).await;
    assert_eq!(status, StatusCode::CREATED, "{line}");
    assert_eq!((line["requested_cents"].as_i64(), line["period"].as_str()), (Some(30_000), Some("2026-Q4")));
    for bad in ["2026-Q5", "26", "2026-03", "1999", "next year"] {
        let (status, problem) =
            add_line(t, &w.fay, "guild", json!({"title": "B", "period": bad, "requested": "1"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(fields(&problem), vec!["period"], "{bad}: {problem}");
    }
    let patch = t
        .api(
            Method::PATCH,
            &format!("/api/v1/budget-lines/{}", line["id"]),
            Some(&w.fay),
            Some(json!({"spent": "12.345"})),
        )
        .await;
    assert_eq!(patch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&patch.json()), vec!["spent"]);

    // The page form re-renders with what was typed and the problems named.
    let fay = t.sign_in("fay").await;
    let form = t
        .post_form(
            "/communities/guild/organization/budget",
            Some(&fay),
            &[("title", "Conference"), ("period", "2026-Q9"), ("requested", "1e9"), ("note", "for two")],
        )
        .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("<title>Error: "), "the title says there is an error");
    assert!(form.body.contains("href=\"#line-period\"") && form.body.contains("href=\"#line-requested\""));
    assert!(form.body.contains("value=\"Conference\"") && form.body.contains("value=\"2026-Q9\""));
    assert!(form.body.contains("is not an amount like 1200 or 1,200.50"), "{}", form.body);
    // Nothing was stored.
    let lines = t.api(Method::GET, "/api/v1/communities/guild/budget-lines", Some(&w.fay), None).await.json();
    assert_eq!(lines["lines"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn only_admins_grant_and_overspending_is_a_warning() {
    let w = world().await;
    let t = &w.t;
    let (status, _) =
        add_line(t, &w.fay, "guild", json!({"title": "T", "period": "2026", "requested": "100", "granted": "100"}))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "granting is for administrators");
    let (_, line) =
        add_line(t, &w.fay, "guild", json!({"title": "Catering", "period": "2026", "requested": "500"})).await;
    let path = format!("/api/v1/budget-lines/{}", line["id"]);
    let refused = t.api(Method::PATCH, &path, Some(&w.fay), Some(json!({"granted": "400"}))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let fay = t.sign_in("fay").await;
    let form = t
        .post_form(&format!("/communities/guild/organization/budget/{}", line["id"]), Some(&fay), &[("granted", "400")])
        .await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    let granted = t.api(Method::PATCH, &path, Some(&w.ada), Some(json!({"granted": "400"}))).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    assert_eq!(granted.json()["granted_cents"], 40_000);
    // The sponsor sees the budget but does not record spending.
    assert_eq!(
        t.api(Method::PATCH, &path, Some(&w.spo), Some(json!({"spent": "1"}))).await.status,
        StatusCode::FORBIDDEN
    );

    let spent = t
        .post_form(
            &format!("/communities/guild/organization/budget/{}", line["id"]),
            Some(&fay),
            &[("spent", "450.25")],
        )
        .await;
    assert_eq!(spent.status, StatusCode::SEE_OTHER, "{}", spent.body);
    assert!(spent.location().contains("notice=budget-over"), "{}", spent.location());
    let page = t.get(follow(&spent), Some(&fay)).await;
    assert!(page.body.contains("More is now spent than granted"));
    assert!(page.body.contains("€50.25 more spent than granted"), "{}", page.body);
    let lines = t.api(Method::GET, "/api/v1/communities/guild/budget-lines", Some(&w.spo), None).await.json();
    assert_eq!(lines["lines"][0]["spent_cents"], 45_025);
    assert_eq!(lines["lines"][0]["overspent"], true);
    assert_eq!(lines["totals"][0]["period"], "2026");
    assert_eq!(lines["totals"][0]["overspent"], true);
    // An empty granted amount clears the grant.
    let cleared = t.api(Method::PATCH, &path, Some(&w.ada), Some(json!({"granted": ""}))).await.json();
    assert_eq!(cleared["granted_cents"], Value::Null);
    assert_eq!(cleared["overspent"], false);
}

#[tokio::test]
async fn members_record_their_own_time_and_facilitators_anyones() {
    let w = world().await;
    let t = &w.t;
    let bob = t.sign_in("bob").await;
    let saved = t
        .post_form(
            "/communities/guild/organization/time",
            Some(&bob),
            &[("hours", "8"), ("granted_by", "Helena Brandt")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = t.get(follow(&saved), Some(&bob)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Your time allocation is saved."));
    assert!(page.body.contains("<strong>8 h a month</strong> granted by Helena Brandt"), "{}", page.body);

    for (hours, message) in
        [("161", "at most 160"), ("-2", "negative"), ("7.5", "whole number"), ("lots", "whole number")]
    {
        let bad = t
            .post_form("/communities/guild/organization/time", Some(&bob), &[("hours", hours), ("granted_by", "H")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{hours}");
        assert!(bad.body.contains(message), "{hours}: {}", bad.body);
        assert!(bad.body.contains(&format!("value=\"{hours}\"")), "the form keeps {hours}");
    }
    let api = t
        .api(
            Method::PUT,
            "/api/v1/communities/guild/time-allocations",
            Some(&w.bob),
            Some(json!({"hours_per_month": 161})),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&api.json()), vec!["hours_per_month"]);

    // A plain member sees only their own; others' are not theirs to record.
    let mine = t.api(Method::GET, "/api/v1/communities/guild/time-allocations", Some(&w.bob), None).await.json();
    assert_eq!(mine["allocations"].as_array().unwrap().len(), 1);
    assert_eq!(mine["allocations"][0]["hours_per_month"], 8);
    let refused = t
        .api(
            Method::PUT,
            "/api/v1/communities/guild/time-allocations",
            Some(&w.bob),
            Some(json!({"handle": "fay", "hours_per_month": 2})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Not a member: nothing to record, and nothing to see.
    let cy = t
        .api(
            Method::PUT,
            "/api/v1/communities/guild/time-allocations",
            Some(&w.cy),
            Some(json!({"hours_per_month": 2})),
        )
        .await;
    assert_eq!(cy.status, StatusCode::FORBIDDEN, "{}", cy.body);
    assert_eq!(
        t.api(Method::GET, "/api/v1/communities/guild/time-allocations", Some(&w.cy), None).await.status,
        StatusCode::FORBIDDEN
    );

    // The facilitator records for a member (not for an outsider) and sees the totals.
    let fay = t.sign_in("fay").await;
    let outsider = t
        .post_form(
            "/communities/guild/organization/time",
            Some(&fay),
            &[("handle", "cy"), ("hours", "4"), ("granted_by", "")],
        )
        .await;
    assert_eq!(outsider.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(outsider.body.contains("not an active member"));
    let own = t
        .post_form(
            "/communities/guild/organization/time",
            Some(&fay),
            &[("handle", "fay"), ("hours", "4"), ("granted_by", "Grace Liang")],
        )
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    let all = t.api(Method::GET, "/api/v1/communities/guild/time-allocations", Some(&w.fay), None).await.json();
    assert_eq!(all["total_hours"], 12);
    assert_eq!(all["average_hours"], 6.0);
    assert_eq!(all["allocations"][0]["person"]["handle"], "bob", "the most hours first");
    let page = t.get("/communities/guild/organization", Some(&fay)).await;
    assert!(page.body.contains("2 members of 2 active members granted time"), "{}", page.body);
    assert!(page.body.contains("Helena Brandt") && page.body.contains("12 h a month"));

    // Zero clears; a membership that ends takes the allocation out of the totals.
    let cleared = t
        .api(
            Method::PUT,
            "/api/v1/communities/guild/time-allocations",
            Some(&w.fay),
            Some(json!({"handle": "fay", "hours_per_month": "0"})),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    assert_eq!(cleared.json()["allocation"], Value::Null);
    t.db.store.delete_membership(community_id(t, "guild").await, w.bob_id, None).await.unwrap();
    let all = t.api(Method::GET, "/api/v1/communities/guild/time-allocations", Some(&w.fay), None).await.json();
    assert_eq!(all["total_hours"], 0);
}

#[tokio::test]
async fn the_sponsor_is_named_changed_and_missed() {
    let w = world().await;
    let t = &w.t;
    let fay = t.sign_in("fay").await;
    // "secret" has no sponsor: the page says so and why it matters.
    let page = t.get("/communities/secret/organization", Some(&fay)).await;
    assert!(page.body.contains("No executive sponsor") && page.body.contains("lack of management support"));
    let unknown = t.post_form("/communities/secret/organization/sponsor", Some(&fay), &[("sponsor", "nobody")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("nobody has the handle") && unknown.body.contains("value=\"nobody\""));
    let bob = t.sign_in("bob").await;
    let refused = t.post_form("/communities/secret/organization/sponsor", Some(&bob), &[("sponsor", "spo")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let before = t.db.store.find_community_for_viewer("secret", None).await.unwrap().unwrap().community.version;
    let named = t.post_form("/communities/secret/organization/sponsor", Some(&fay), &[("sponsor", "@ada")]).await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    let after = t.db.store.find_community_for_viewer("secret", None).await.unwrap().unwrap().community.version;
    assert!(after > before, "naming the sponsor bumps the community's version");
    // The (cached) community page shows the new sponsor at once.
    let community = t.get("/communities/secret", Some(&fay)).await;
    assert!(community.body.contains("Ada Tester"), "{}", community.body);
    let page = t.get(follow(&named), Some(&fay)).await;
    assert!(page.body.contains("The executive sponsor is saved.") && !page.body.contains("No executive sponsor"));
    // Clearing it.
    let cleared = t.post_form("/communities/secret/organization/sponsor", Some(&fay), &[("sponsor", "")]).await;
    assert!(cleared.location().contains("sponsor-cleared"));
    let api = t.api(Method::GET, "/api/v1/communities/secret/organization", Some(&w.fay), None).await.json();
    assert_eq!(api["sponsor"], Value::Null);
    assert_eq!(api["involvement"], Value::Null);
}

#[tokio::test]
async fn sessions_attended_and_reports_read_show_the_sponsors_involvement() {
    let w = world().await;
    let t = &w.t;
    let (event, _) = past_session(t, "guild", "Rust clinic", 20, &[w.spo_id, w.bob_id]).await;
    past_session(t, "guild", "Old clinic", 400, &[w.spo_id]).await;
    past_session(t, "secret", "Private clinic", 10, &[w.spo_id]).await;

    let api = t.api(Method::GET, "/api/v1/communities/guild/organization", Some(&w.bob), None).await.json();
    let involvement = &api["involvement"];
    assert_eq!(involvement["sessions_attended"], 1, "sessions in this community in the last 12 months: {api}");
    assert_eq!(involvement["recent_sessions"][0]["title"], "Rust clinic");
    assert_eq!(involvement["recent_sessions"][0]["event_id"], event);
    assert_eq!(involvement["reports_read"], 0);

    // Each view of the report by the sponsor is a read; others' views are not the sponsor's.
    let spo = t.sign_in("spo").await;
    for _ in 0..2 {
        let report = t.get("/communities/guild/report", Some(&spo)).await;
        assert_eq!(report.status, StatusCode::OK);
    }
    let fay = t.sign_in("fay").await;
    let report = t.get("/communities/guild/report", Some(&fay)).await;
    assert!(report.body.contains("Sponsor report: Community guild"));
    assert!(report.body.contains("Sponsor reports read</dt><dd>2 times"), "{}", report.body);
    let api = t.api(Method::GET, "/api/v1/communities/guild/report", Some(&w.spo), None).await.json();
    assert_eq!(api["involvement"]["reports_read"], 3, "the API read counts too");
    assert!(api["involvement"]["last_read_at"].is_string());
    assert_eq!(api["sessions_held"], 1);
    assert_eq!(api["attendances"], 2);
    let bob = t.sign_in("bob").await;
    let page = t.get("/communities/guild/organization", Some(&bob)).await;
    assert!(
        page.body.contains("1 session in the last 12 months") && page.body.contains("3 times, last on"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("/events/{event}/")));
}

#[tokio::test]
async fn the_report_summarizes_the_community_for_the_sponsor() {
    let w = world().await;
    let t = &w.t;
    t.api(Method::PUT, "/api/v1/communities/guild/time-allocations", Some(&w.bob), Some(json!({"hours_per_month": 6})))
        .await;
    let (_, line) =
        add_line(t, &w.fay, "guild", json!({"title": "Books", "period": "2026-Q4", "requested": "800"})).await;
    t.api(
        Method::PATCH,
        &format!("/api/v1/budget-lines/{}", line["id"]),
        Some(&w.ada),
        Some(json!({"granted": "600"})),
    )
    .await;
    add_line(t, &w.fay, "guild", json!({"title": "Venue", "period": "2026", "requested": "200", "spent": "50"})).await;
    let fay = t.sign_in("fay").await;
    let report = t.get("/communities/guild/report", Some(&fay)).await;
    assert_eq!(report.status, StatusCode::OK);
    for text in [
        "Sessions held",
        "Questions solved",
        "Time saved",
        "Artifacts published",
        "Kudos given",
        "6 h a month",
        "2026 (whole year)",
        "€600",
        "No pulse survey has been run yet.",
        "class=\"sponsor-report\"",
    ] {
        assert!(report.body.contains(text), "the report lacks {text:?}: {}", report.body);
    }
    let api = t.api(Method::GET, "/api/v1/communities/guild/report", Some(&w.fay), None).await.json();
    assert_eq!(api["members"], 2);
    assert_eq!(api["hours_per_month"], 6);
    assert_eq!(api["budget"]["totals"][0]["whole_year"], true);
    assert_eq!(api["budget"]["totals"][0]["requested_cents"], 100_000);
    assert_eq!(api["latest_survey"], Value::Null);
    // The print stylesheet is there for the report.
    let css = t.get("/static/copse.css", None).await;
    assert!(css.body.contains("@media print") && css.body.contains(".sponsor-report"));
}

#[tokio::test]
async fn the_portfolio_never_lists_private_communities_to_outsiders() {
    let w = world().await;
    let t = &w.t;
    add_line(t, &w.fay, "guild", json!({"title": "Books", "period": "2026", "requested": "100", "spent": "40"})).await;
    let cy = t.sign_in("cy").await;
    let page = t.get("/organization", Some(&cy)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Community guild") && !page.body.contains("Community secret"));
    assert!(page.body.contains("shown to each community's sponsor"), "{}", page.body);
    assert!(!page.body.contains("Hours a month"), "no column of dashes only");
    let api = t.api(Method::GET, "/api/v1/organization/portfolio", Some(&w.cy), None).await.json();
    let slugs: Vec<&str> = api["communities"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, vec!["guild"]);
    assert_eq!(api["communities"][0]["granted_cents"], Value::Null, "an outsider does not see the budget");
    assert_eq!(api["communities"][0]["sponsor"]["handle"], "spo");

    // A member of the private one sees it, without a sponsor.
    let bob = t.api(Method::GET, "/api/v1/organization/portfolio?sort=members", Some(&w.bob), None).await.json();
    let slugs: Vec<&str> = bob["communities"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, vec!["guild", "secret"]);
    assert_eq!(bob["without_sponsor"], 1);
    let fay = t.sign_in("fay").await;
    let page = t.get("/organization?sort=budget", Some(&fay)).await;
    assert!(page.body.contains("Community secret") && page.body.contains("No sponsor"));
    assert!(page.body.contains("aria-sort=\"descending\""));
    assert!(page.body.contains("€0 granted") && page.body.contains("€40 spent"), "{}", page.body);
    let sorted = t.api(Method::GET, "/api/v1/organization/portfolio?sort=stage", Some(&w.fay), None).await.json();
    assert_eq!(sorted["sort"], "stage");
    assert_eq!(sorted["communities"][0]["spent_cents"], 4_000);
    // A bad sort column is named; guests have no portfolio.
    let bad = t.api(Method::GET, "/api/v1/organization/portfolio?sort=salary", Some(&w.fay), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&bad.json()), vec!["sort"]);
    t.guest("gus").await;
    let gus = t.sign_in("gus").await;
    assert_eq!(t.get("/organization", Some(&gus)).await.status, StatusCode::FORBIDDEN);
    // The admin sees everything, with budgets.
    let ada = t.api(Method::GET, "/api/v1/organization/portfolio", Some(&w.ada), None).await.json();
    assert_eq!(ada["communities"].as_array().unwrap().len(), 2);
    assert_eq!(ada["communities"][0]["spent_cents"], 4_000);
}

#[tokio::test]
async fn goals_list_the_charters_that_serve_them() {
    let w = world().await;
    let t = &w.t;
    let ada = t.sign_in("ada").await;
    let empty = t.post_form("/organization/goals", Some(&ada), &[("title", " "), ("description", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("href=\"#goal-title\""));
    let added = t
        .post_form(
            "/organization/goals",
            Some(&ada),
            &[("title", "Grow internal talent"), ("description", "Promote from within")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let goal: i64 = added.location().rsplit("#goal-").next().unwrap().parse().unwrap();
    let bob = t.sign_in("bob").await;
    assert_eq!(
        t.post_form("/organization/goals", Some(&bob), &[("title", "Mine")]).await.status,
        StatusCode::FORBIDDEN
    );

    // Both communities' charters link a goal to it.
    let fay = t.sign_in("fay").await;
    for slug in ["guild", "secret"] {
        let saved = t
            .post_form(
                &format!("/communities/{slug}/edit"),
                Some(&fay),
                &[
                    ("name", &format!("Community {slug}")),
                    ("slug", slug),
                    ("domain", "Learning together"),
                    ("kind", "technical-practice"),
                    ("visibility", if slug == "secret" { "private" } else { "open" }),
                    ("purpose", "Share what works"),
                    ("goal_text_0", &format!("Mentor two juniors in {slug}")),
                    ("goal_org_0", &goal.to_string()),
                    ("sponsor", if slug == "guild" { "spo" } else { "" }),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let cy = t.sign_in("cy").await;
    let page = t.get("/organization/goals", Some(&cy)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Grow internal talent") && page.body.contains("Mentor two juniors in guild"));
    assert!(!page.body.contains("secret"), "a private charter does not leak: {}", page.body);
    assert!(!page.body.contains("Add a goal"));
    let page = t.get("/organization/goals", Some(&bob)).await;
    assert!(page.body.contains("Served by 2 communities") && page.body.contains("Mentor two juniors in secret"));
    // The portfolio names the goal too.
    let portfolio = t.get("/organization", Some(&cy)).await;
    assert!(portfolio.body.contains("<li>Grow internal talent</li>"), "{}", portfolio.body);
    let added_again = t.get("/organization/goals", Some(&ada)).await;
    assert!(added_again.body.contains("Add a goal"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_organization_routes() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await.json();
    for (path, method) in [
        ("/communities/{slug}/organization", "get"),
        ("/communities/{slug}/sponsor", "put"),
        ("/communities/{slug}/time-allocations", "get"),
        ("/communities/{slug}/time-allocations", "put"),
        ("/communities/{slug}/budget-lines", "get"),
        ("/communities/{slug}/budget-lines", "post"),
        ("/budget-lines/{id}", "patch"),
        ("/communities/{slug}/report", "get"),
        ("/organization/portfolio", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "OpenAPI lacks {method} {path}");
    }
    for schema in ["OrganizationOut", "BudgetLineOut", "ReportOut", "PortfolioOut", "TimeAllocationWrite"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "OpenAPI lacks {schema}");
    }
}

#[tokio::test]
async fn the_report_shows_survey_satisfaction_only_from_five_responses() {
    let w = world().await;
    let t = &w.t;
    let guild = community_id(t, "guild").await.0;
    let now = Timestamp::now().0;
    // Test setup straight into the survey tables: a survey of 10 members with 4 answers.
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO surveys (id, community_id, title, status, audience_count, response_count, opens_at, created_at) \
             VALUES (9001, {guild}, 'November pulse', 'open', 10, 4, {now}, {now}); \
             INSERT INTO survey_questions (id, survey_id, position, kind, builtin, prompt) \
             VALUES (9101, 9001, 0, 'scale', 'satisfaction', 'How satisfied are you?'); \
             INSERT INTO survey_answers (response_token, question_id, survey_id, scale_value) VALUES \
             ('a', 9101, 9001, 5), ('b', 9101, 9001, 4), ('c', 9101, 9001, 4), ('d', 9101, 9001, 3); \
             INSERT INTO kudos (giver_id, receiver_id, community_id, subject_kind, subject_id, contribution, message, created_at) \
             VALUES ({}, {}, {guild}, 'post', 1, 'answering', 'Thanks!', {now});",
            w.bob_id.0, w.spo_id.0
        ))
        .await
        .unwrap();
    let report = t.api(Method::GET, "/api/v1/communities/guild/report", Some(&w.fay), None).await.json();
    let survey = &report["latest_survey"];
    assert_eq!(survey["title"], "November pulse");
    assert_eq!(survey["response_rate"], 0.4);
    assert_eq!(survey["satisfaction"], Value::Null, "4 answers are too few to show: {report}");
    assert_eq!(report["kudos"], 1);
    let fay = t.sign_in("fay").await;
    let page = t.get("/communities/guild/report", Some(&fay)).await;
    assert!(page.body.contains("40%") && page.body.contains("Satisfaction is shown from 5 responses"));

    t.db.store
        .execute_raw(
            "UPDATE surveys SET response_count = 5 WHERE id = 9001; \
             INSERT INTO survey_answers (response_token, question_id, survey_id, scale_value) VALUES ('e', 9101, 9001, 2);",
        )
        .await
        .unwrap();
    let report = t.api(Method::GET, "/api/v1/communities/guild/report", Some(&w.fay), None).await.json();
    assert_eq!(report["latest_survey"]["satisfaction"], 3.6);
    let page = t.get("/communities/guild/report", Some(&fay)).await;
    assert!(page.body.contains("Satisfaction: 3.6 out of 5."), "{}", page.body);
}
