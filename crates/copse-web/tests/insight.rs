//! The health page, alerts and value stories over HTTP (and the App where
//! the page cannot show the difference): who may see what, the alert
//! lifecycle as data changes, value-story validation, and communities with
//! too little data to measure.

mod common;

use axum::http::StatusCode;
use common::*;
use copse_app::Viewer;
use copse_domain::{AlertStatus, Challenge};
use copse_domain::{CommunityId, MembershipRole, MembershipStatus, Timestamp};

async fn viewer(t: &TestApp, session: &Session) -> Viewer {
    let token = session.cookie.trim_start_matches("copse_session=");
    t.app.authenticate_session(token).await.unwrap().expect("signed in")
}

async fn community_id(t: &TestApp, slug: &str) -> CommunityId {
    CommunityId(t.db.store.find_community_for_viewer(slug, None).await.unwrap().expect("community").community.id)
}

#[tokio::test]
async fn health_is_hidden_from_outsiders_and_diagnosis_from_plain_members() {
    let t = TestApp::new().await;
    t.person("fran", false).await;
    let member = t.person("mia", false).await;
    t.person("otto", false).await;
    let fran = t.sign_in("fran").await;
    let slug = t.community(&fran, "secret-guild", "private").await;
    t.add_member(&slug, member, MembershipRole::Member, MembershipStatus::Active).await;

    let otto = t.sign_in("otto").await;
    assert_eq!(t.get("/communities/secret-guild/health", Some(&otto)).await.status, StatusCode::NOT_FOUND);
    assert!(t.get("/communities/secret-guild/health", None).await.status.is_redirection());

    let mia = t.sign_in("mia").await;
    assert_eq!(t.get("/communities/secret-guild/health", Some(&mia)).await.status, StatusCode::OK);
    let page = t.app.community_health(&viewer(&t, &mia).await, &slug).await.unwrap();
    assert!(!page.can_view_diagnosis && page.findings.is_empty() && page.alerts.is_empty(), "evidence names people");

    assert_eq!(t.get("/communities/secret-guild/health", Some(&fran)).await.status, StatusCode::OK);
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    assert!(page.can_view_diagnosis && page.can_manage_alerts);
    assert_eq!(page.findings.len(), 6, "every detector reports");
}

#[tokio::test]
async fn alerts_open_are_acknowledged_resolve_when_the_metric_recovers_and_reopen_as_new() {
    let t = TestApp::new().await;
    t.person("fran", false).await;
    let sponsor = t.person("sam", false).await;
    let fran = t.sign_in("fran").await;
    let slug = t.community(&fran, "ops-guild", "open").await;
    let id = community_id(&t, &slug).await;
    let support = |alerts: &[copse_app::AlertView]| {
        alerts.iter().filter(|a| a.challenge == Challenge::ManagementSupport).cloned().collect::<Vec<_>>()
    };

    // No sponsor: the management-support detector fires.
    assert!(t.app.check_insights(100).await.unwrap() >= 1);
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    let open = support(&page.alerts);
    assert_eq!(open.len(), 1, "{:?}", page.alerts);
    assert_eq!(open[0].status, AlertStatus::Open);
    let first = open[0].id;
    // Checking again without a change neither reopens nor duplicates.
    t.app.check_insights(100).await.unwrap();
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    assert_eq!(support(&page.alerts).len(), 1);

    let response = t
        .post_form(
            &format!("/communities/{slug}/alerts/{first}/acknowledge"),
            Some(&fran),
            &[("note", "Asking the VP this week")],
        )
        .await;
    assert!(response.status.is_redirection(), "{} {}", response.status, response.body);
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    let acked = support(&page.alerts);
    assert_eq!(acked[0].status, AlertStatus::Acknowledged);
    assert_eq!(acked[0].note, "Asking the VP this week");
    assert_eq!(acked[0].acknowledged_by.as_ref().map(|p| p.handle.as_str()), Some("fran"));

    // A sponsor who reads the reports: the metric recovers, the alert resolves.
    let fran_id = viewer(&t, &fran).await.person().unwrap();
    t.db.store.set_community_sponsor(id, Some(sponsor), fran_id, "sam", Timestamp::now()).await.unwrap();
    t.db.store.insert_report_read(id, sponsor, "value-report", Timestamp::now()).await.unwrap();
    assert!(t.app.check_insights(100).await.unwrap() >= 1, "the community changed, so it is due");
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    let resolved = support(&page.alerts);
    assert_eq!(resolved.len(), 1);
    assert_eq!((resolved[0].id, resolved[0].status), (first, AlertStatus::Resolved));
    assert!(resolved[0].resolved_at.is_some());

    // The sponsor leaves: a new alert, not the old one reopened.
    t.db.store.set_community_sponsor(id, None, fran_id, "none", Timestamp::now()).await.unwrap();
    t.app.check_insights(100).await.unwrap();
    let page = t.app.community_health(&viewer(&t, &fran).await, &slug).await.unwrap();
    let again = support(&page.alerts);
    assert_eq!(again.len(), 2, "the resolved one stays listed for 90 days");
    assert_eq!(again[0].status, AlertStatus::Open);
    assert_ne!(again[0].id, first);
}

#[tokio::test]
async fn value_stories_refuse_a_bad_cycle_and_foreign_links_and_store_nothing() {
    let t = TestApp::new().await;
    t.person("fran", false).await;
    let fran = t.sign_in("fran").await;
    let slug = t.community(&fran, "rust-guild", "open").await;
    t.community(&fran, "go-guild", "open").await;
    let other = community_id(&t, "go-guild").await;
    // A thread of another community (inserted directly: test setup).
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO threads (id, community_id, kind, title, created_at, last_activity_at) \
             VALUES (424242, {}, 'discussion', 'Elsewhere', 0, 0)",
            other.0
        ))
        .await
        .unwrap();
    let foreign = "thread:424242".to_string();

    let response = t
        .post_form(
            &format!("/communities/{slug}/value"),
            Some(&fran),
            &[("cycle", "legendary"), ("title", "We shipped"), ("body", "text"), ("links", &foreign)],
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    let v = viewer(&t, &fran).await;
    let err = t
        .app
        .record_value_story(
            &v,
            &slug,
            &copse_app::ValueStoryInput {
                cycle: "legendary".into(),
                title: "x".into(),
                body: String::new(),
                links: vec![foreign.clone()],
            },
        )
        .await
        .unwrap_err();
    match err {
        copse_app::AppError::Invalid(errors) => {
            assert!(errors.get("cycle").is_some() && errors.get("title").is_some() && errors.get("links").is_some());
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert!(t.app.value_stories_page(&v, &slug).await.unwrap().stories.is_empty(), "nothing stored");

    let ok = t
        .app
        .record_value_story(
            &v,
            &slug,
            &copse_app::ValueStoryInput {
                cycle: "applied".into(),
                title: "The checklist saved a release".into(),
                body: "We used it.".into(),
                links: vec![],
            },
        )
        .await;
    assert!(ok.is_ok(), "{ok:?}");
    assert_eq!(t.app.value_stories_page(&v, &slug).await.unwrap().stories.len(), 1);
}

#[tokio::test]
async fn communities_with_too_little_data_say_so_and_never_fail() {
    let t = TestApp::new().await;
    t.person("fran", false).await;
    let fran = t.sign_in("fran").await;
    // A single member and nothing else.
    let slug = t.community(&fran, "lonely", "open").await;
    let response = t.get(&format!("/communities/{slug}/health"), Some(&fran)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains("Not enough data") || response.body.contains("not enough data"));

    // All activity on one day.
    let busy = t.community(&fran, "one-day", "open").await;
    let id = community_id(&t, &busy).await;
    let me = viewer(&t, &fran).await.person().unwrap();
    let day = Timestamp::now().minus_days(3).millis();
    let items: Vec<copse_store::NewContribution> = (0..20)
        .map(|i| copse_store::NewContribution {
            person: me,
            community: id,
            kind: "reply",
            at: Timestamp(day + i * 1000),
            reply_to: None,
            source: "test",
            source_ref: Some(format!("one-day-{i}")),
        })
        .collect();
    t.db.store.insert_contributions(&items).await.unwrap();
    let response = t.get(&format!("/communities/{busy}/health"), Some(&fran)).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.body.contains("Not enough data") || response.body.contains("not enough data"));
    assert!(t.app.check_insights(100).await.is_ok());
}
