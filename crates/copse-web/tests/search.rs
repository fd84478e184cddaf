//! Search over HTTP: finding each kind of thing, filters, highlighted
//! snippets, privacy (pages and API), hidden posts, bad queries, signed-out
//! visitors, and rebuilding the index.
//!
//! Threads, posts and artifacts are written with SQL here (with their
//! change-feed rows, as the discussion and practice use cases write them),
//! so these tests exercise the indexer through the change feed alone.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use copse_domain::{MembershipRole, MembershipStatus, PersonId};
use serde_json::{Value, json};

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// 2026-03-05T12:00:00Z
const MARCH_5: i64 = 1_772_712_000_000;
const DAY: i64 = 86_400_000;

struct World {
    t: TestApp,
    /// Facilitator of both communities; author of everything.
    fay: Session,
    fay_token: String,
    /// Member of nothing.
    olga: Session,
    olga_token: String,
    /// Member of the private community.
    mo: Session,
    mo_token: String,
    open_id: i64,
    private_id: i64,
    fay_id: PersonId,
}

async fn community_id(t: &TestApp, slug: &str) -> i64 {
    t.db.store.find_community_for_viewer(slug, None).await.unwrap().expect("community").community.id
}

async fn change(t: &TestApp, entity: &str, id: i64) {
    t.db.store
        .execute_raw(&format!("INSERT INTO changes (entity, entity_id, at) VALUES ({}, {id}, 0)", quote(entity)))
        .await
        .unwrap();
}

/// A thread with its opening post (id `thread * 10`), as the discussion
/// use cases write it.
#[allow(clippy::too_many_arguments)]
async fn thread(
    t: &TestApp,
    id: i64,
    community: i64,
    author: PersonId,
    kind: &str,
    title: &str,
    body: &str,
    tags: &[&str],
    at: i64,
) {
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO threads (id, community_id, kind, title, author_id, created_at, last_activity_at) \
             VALUES ({id}, {community}, {}, {}, {}, {at}, {at}); \
             INSERT INTO posts (id, thread_id, author_id, body, created_at) VALUES ({}, {id}, {}, {}, {at});",
            quote(kind),
            quote(title),
            author.0,
            id * 10,
            author.0,
            quote(body)
        ))
        .await
        .unwrap();
    for tag in tags {
        t.db.store
            .execute_raw(&format!("INSERT INTO thread_tags (thread_id, tag) VALUES ({id}, {})", quote(tag)))
            .await
            .unwrap();
    }
    change(t, "thread", id).await;
}

async fn reply(t: &TestApp, id: i64, thread: i64, author: PersonId, body: &str, at: i64) {
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO posts (id, thread_id, author_id, body, created_at) VALUES ({id}, {thread}, {}, {}, {at})",
            author.0,
            quote(body)
        ))
        .await
        .unwrap();
    change(t, "post", id).await;
}

#[allow(clippy::too_many_arguments)]
async fn artifact(
    t: &TestApp,
    id: i64,
    community: i64,
    author: PersonId,
    kind: &str,
    title: &str,
    body: &str,
    tags: &[&str],
    at: i64,
) {
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO artifacts (id, community_id, kind, title, body, status, created_by, created_at, updated_at) \
             VALUES ({id}, {community}, {}, {}, {}, 'published', {}, {at}, {at})",
            quote(kind),
            quote(title),
            quote(body),
            author.0
        ))
        .await
        .unwrap();
    for tag in tags {
        t.db.store
            .execute_raw(&format!("INSERT INTO artifact_tags (artifact_id, tag) VALUES ({id}, {})", quote(tag)))
            .await
            .unwrap();
    }
    change(t, "artifact", id).await;
}

/// An open community `guild` and a private one `vault`, with one thread,
/// reply, artifact and event in each.
async fn world() -> World {
    let t = TestApp::new().await;
    let fay_id = t.person("fay", false).await;
    t.person("olga", false).await;
    let mo = t.person("mo", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "guild", "open").await;
    t.community(&fay, "vault", "private").await;
    t.add_member("vault", mo, MembershipRole::Member, MembershipStatus::Active).await;
    let open_id = community_id(&t, "guild").await;
    let private_id = community_id(&t, "vault").await;

    thread(
        &t,
        1,
        open_id,
        fay_id,
        "question",
        "Why are integration tests flaky?",
        "Our **integration** suite fails at random on CI. Timeouts everywhere.",
        &["ci", "testing"],
        MARCH_5,
    )
    .await;
    reply(&t, 11, 1, fay_id, "Pin the database container and raise the quorum timeout.", MARCH_5 + DAY).await;
    artifact(
        &t,
        1,
        open_id,
        fay_id,
        "runbook",
        "Rollback runbook",
        "# Rolling back\n\nRun the canary rollback script, then watch the dashboards.",
        &["deploy"],
        MARCH_5 + 2 * DAY,
    )
    .await;

    thread(
        &t,
        2,
        private_id,
        fay_id,
        "discussion",
        "Zeppelin acquisition rumours",
        "The zeppelin project is confidential.",
        &["secret"],
        MARCH_5,
    )
    .await;
    reply(&t, 21, 2, fay_id, "Nobody outside may read about the zeppelin merger.", MARCH_5).await;
    artifact(
        &t,
        2,
        private_id,
        fay_id,
        "guide",
        "Zeppelin handbook",
        "How the zeppelin team works.",
        &["secret"],
        MARCH_5,
    )
    .await;

    let fay_token = t.token("fay").await;
    for (slug, title, description) in [
        ("guild", "Observability workshop", "Tracing with OpenTelemetry, hands on."),
        ("vault", "Zeppelin steering meeting", "Quarterly zeppelin review."),
    ] {
        let created = t
            .api(
                Method::POST,
                &format!("/api/v1/communities/{slug}/events"),
                Some(&fay_token),
                Some(json!({
                    "title": title, "description": description, "kind": "workshop", "format": "remote", "link": "https://meet.example.com/x",
                    "date": "2030-03-07", "time": "18:00", "duration_minutes": 60, "time_zone": "UTC"
                })),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    let olga = t.sign_in("olga").await;
    let mo_session = t.sign_in("mo").await;
    let olga_token = t.token("olga").await;
    let mo_token = t.token("mo").await;
    World { fay, fay_token, olga, olga_token, mo: mo_session, mo_token, open_id, private_id, fay_id, t }
}

async fn api_search(t: &TestApp, token: &str, query: &str) -> Value {
    let response = t.api(Method::GET, &format!("/api/v1/search?{query}"), Some(token), None).await;
    assert_eq!(response.status, StatusCode::OK, "{query}: {}", response.body);
    response.json()
}

/// (type, title text) of each result.
fn found(results: &Value) -> Vec<(String, String)> {
    results["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["type"].as_str().unwrap().to_string(), r["title"]["text"].as_str().unwrap().to_string()))
        .collect()
}

fn types(results: &Value) -> Vec<String> {
    found(results).into_iter().map(|(t, _)| t).collect()
}

#[tokio::test]
async fn finds_threads_replies_artifacts_events_communities_and_people_by_skill() {
    let w = world().await;
    let t = &w.t;
    let token = &w.olga_token;

    let r = api_search(t, token, "q=flaky").await;
    // The reply matches on its thread's title, at a lower weight.
    assert_eq!(types(&r), vec!["thread", "post"]);
    assert_eq!(r["results"][0]["title"]["text"], "Why are integration tests flaky?");
    let hit = &r["results"][0];
    assert_eq!(hit["url"], "/threads/1");
    assert_eq!(hit["community"], "guild");
    assert_eq!(hit["author"], "fay");
    assert_eq!(hit["kind"], "question");
    assert_eq!(hit["tags"], json!(["ci", "testing"]));
    // The opening post's Markdown is indexed as plain text.
    assert_eq!(types(&api_search(t, token, "q=integration+suite").await), vec!["thread"]);

    let r = api_search(t, token, "q=quorum").await;
    assert_eq!(types(&r), vec!["post"]);
    assert_eq!(r["results"][0]["url"], "/threads/1#post-11");
    assert_eq!(r["results"][0]["title"]["text"], "Why are integration tests flaky?");

    let r = api_search(t, token, "q=canary").await;
    assert_eq!(found(&r), vec![("artifact".to_string(), "Rollback runbook".to_string())]);
    assert_eq!(r["results"][0]["url"], "/artifacts/1");

    let r = api_search(t, token, "q=opentelemetry").await;
    assert_eq!(found(&r), vec![("event".to_string(), "Observability workshop".to_string())]);
    assert!(r["results"][0]["url"].as_str().unwrap().starts_with("/events/"), "{r}");

    let r = api_search(t, token, "q=community+guild").await;
    assert_eq!(found(&r), vec![("community".to_string(), "Community guild".to_string())]);
    assert_eq!(r["results"][0]["url"], "/communities/guild");

    // A declared skill finds the person, as a word and as a tag.
    t.db.store
        .execute_raw(&format!(
            "INSERT INTO person_skills (person_id, skill, level) VALUES ({}, 'kubernetes', 'expert')",
            w.fay_id.0
        ))
        .await
        .unwrap();
    change(t, "person", w.fay_id.0).await;
    let r = api_search(t, token, "q=kubernetes").await;
    assert_eq!(found(&r), vec![("person".to_string(), "Fay Tester".to_string())]);
    assert_eq!(r["results"][0]["url"], "/people/fay");
    assert_eq!(types(&api_search(t, token, "tag=kubernetes&kind=person").await), vec!["person"]);

    // Two words narrow: both must occur.
    assert_eq!(types(&api_search(t, token, "q=rollback+dashboards").await), vec!["artifact"]);
    assert!(types(&api_search(t, token, "q=rollback+quorum").await).is_empty());
}

#[tokio::test]
async fn filters_by_community_kind_tag_author_and_date() {
    let w = world().await;
    let t = &w.t;
    let olga = t.person("olga2", false).await;
    t.community(&w.fay, "other", "open").await;
    let other_id = community_id(t, "other").await;
    thread(t, 3, other_id, olga, "discussion", "Flaky builds again", "Flaky everywhere", &["ci"], MARCH_5 + 10 * DAY)
        .await;
    let token = &w.fay_token;

    // A reply matches its thread's title too, ranked below the thread.
    let all = api_search(t, token, "q=flaky").await;
    assert_eq!(all["results"].as_array().unwrap().len(), 3);
    let r = api_search(t, token, "q=flaky&community=other").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Flaky builds again".to_string())]);
    let mut kinds = types(&api_search(t, token, "q=flaky&kind=question").await);
    kinds.sort();
    assert_eq!(kinds, vec!["post", "thread"], "a question's replies are of its kind");
    assert_eq!(types(&api_search(t, token, "q=quorum&kind=thread").await), Vec::<String>::new());
    assert_eq!(types(&api_search(t, token, "q=quorum&kind=post").await), vec!["post"]);
    let r = api_search(t, token, "q=flaky&author=olga2").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Flaky builds again".to_string())]);
    let r = api_search(t, token, "q=flaky&author=%40fay&kind=thread").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Why are integration tests flaky?".to_string())]);
    let r = api_search(t, token, "q=flaky&tag=testing&kind=thread").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Why are integration tests flaky?".to_string())]);
    assert_eq!(types(&api_search(t, token, "q=flaky&tag=testing&kind=post").await), vec!["post"]);
    assert!(found(&api_search(t, token, "q=flaky&tag=deploy").await).is_empty());
    // Dates are whole days in the searcher's zone (UTC here), both ends inclusive.
    let r = api_search(t, token, "q=flaky&kind=thread&from=2026-03-06").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Flaky builds again".to_string())]);
    let r = api_search(t, token, "q=flaky&to=2026-03-05").await;
    assert_eq!(found(&r), vec![("thread".to_string(), "Why are integration tests flaky?".to_string())]);
    let r = api_search(t, token, "q=flaky&from=2026-03-06&to=2026-03-06").await;
    assert_eq!(types(&r), vec!["post"]);
    let r = api_search(t, token, "q=flaky&kind=thread&from=2026-03-05&to=2026-03-15").await;
    assert_eq!(r["results"].as_array().unwrap().len(), 2);

    // Filters alone list what matches, newest first.
    let r = api_search(t, token, "tag=ci").await;
    assert_eq!(r["order"], "newest");
    assert_eq!(
        found(&r),
        vec![
            ("thread".to_string(), "Flaky builds again".to_string()),
            ("post".to_string(), "Why are integration tests flaky?".to_string()),
            ("thread".to_string(), "Why are integration tests flaky?".to_string()),
        ]
    );

    // Bad filters are named.
    let bad = t.api(Method::GET, "/api/v1/search?q=flaky&from=yesterday", Some(token), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "from");
    let bad = t.api(Method::GET, "/api/v1/search?q=flaky&community=nowhere", Some(token), None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "community");
    let page = t.get("/search?q=flaky&tag=two+words", Some(&w.fay)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"tag-error\""), "{}", page.body);
    assert!(page.body.contains("value=\"flaky\""), "the query is kept");
}

#[tokio::test]
async fn results_show_highlighted_snippets_safely() {
    let w = world().await;
    let t = &w.t;
    thread(
        t,
        5,
        w.open_id,
        w.fay_id,
        "discussion",
        "Escaping <b>tags</b> in titles",
        "Never trust <script>alert('x')</script> input; always escape the widget output.",
        &[],
        MARCH_5,
    )
    .await;
    let page = t.get("/search?q=widget", Some(&w.olga)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark>widget</mark>"), "{}", page.body);
    assert!(page.body.contains("href=\"/threads/5\""));
    assert!(!page.body.contains("<b>tags</b>"), "titles are escaped");
    assert!(page.body.contains("&lt;b&gt;tags&lt;/b&gt;") || page.body.contains("&#60;b&#62;tags"), "{}", page.body);
    assert!(!page.body.contains("<script>alert"), "raw HTML is neither indexed nor shown");

    let page = t.get("/search?q=flaky", Some(&w.olga)).await;
    assert!(page.body.contains("<mark>flaky</mark>"), "titles are highlighted too: {}", page.body);
    assert!(page.body.contains("Community guild"), "the community is named");

    let r = api_search(t, &w.olga_token, "q=timeouts").await;
    let snippet = &r["results"][0]["snippet"];
    let text = snippet["text"].as_str().unwrap();
    let [start, end] = [snippet["highlights"][0][0].as_u64().unwrap(), snippet["highlights"][0][1].as_u64().unwrap()];
    let marked: String = text.chars().skip(start as usize).take((end - start) as usize).collect();
    assert_eq!(marked, "Timeouts");
}

#[tokio::test]
async fn private_content_never_appears_for_outsiders_but_does_for_members() {
    let w = world().await;
    let t = &w.t;
    // Everything in the vault mentions "zeppelin": its thread, reply,
    // artifact and event, and the community itself once renamed.
    t.db.store
        .execute_raw(&format!("UPDATE communities SET purpose = 'Zeppelin planning' WHERE id = {}", w.private_id))
        .await
        .unwrap();
    change(t, "community", w.private_id).await;

    let outsider = api_search(t, &w.olga_token, "q=zeppelin").await;
    assert!(found(&outsider).is_empty(), "outsider sees {:?}", found(&outsider));
    for query in [
        "tag=secret",
        "kind=thread",
        "kind=post",
        "kind=artifact",
        "kind=event",
        "kind=community",
        "q=zeppelin&kind=thread",
    ] {
        let r = api_search(t, &w.olga_token, query).await;
        assert!(
            r["results"].as_array().unwrap().iter().all(|h| h["community"] != "vault"),
            "{query}: outsider sees {r}"
        );
    }
    let page = t.get("/search?q=zeppelin", Some(&w.olga)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.to_lowercase().contains("zeppelin acquisition"), "{}", page.body);
    assert!(!page.body.contains("/communities/vault"));
    // Naming the private community as a filter does not reveal it either.
    let named = t.api(Method::GET, "/api/v1/search?q=zeppelin&community=vault", Some(&w.olga_token), None).await;
    assert_eq!(named.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named.json()["errors"][0]["message"], "there is no community you can see with that name");

    let mut member: Vec<String> = types(&api_search(t, &w.mo_token, "q=zeppelin").await);
    member.sort();
    assert_eq!(member, vec!["artifact", "community", "event", "post", "thread"]);
    let page = t.get("/search?q=zeppelin", Some(&w.mo)).await;
    assert!(
        page.body.contains("Zeppelin acquisition rumours") || page.body.contains("<mark>Zeppelin</mark> acquisition")
    );

    // An open community turned private disappears at once for outsiders,
    // with no reindexing.
    assert_eq!(types(&api_search(t, &w.olga_token, "q=canary").await), vec!["artifact"]);
    t.db.store
        .execute_raw(&format!("UPDATE communities SET visibility = 'private' WHERE id = {}", w.open_id))
        .await
        .unwrap();
    for query in ["q=canary", "q=flaky", "q=quorum", "q=opentelemetry", "q=guild"] {
        assert!(found(&api_search(t, &w.olga_token, query).await).is_empty(), "{query} still visible");
    }
    // Fay facilitates it and still finds it; so does an admin.
    assert_eq!(types(&api_search(t, &w.fay_token, "q=canary").await), vec!["artifact"]);
    t.person("root", true).await;
    let admin = t.token("root").await;
    assert_eq!(types(&api_search(t, &admin, "q=canary").await), vec!["artifact"]);

    // Leaving the community takes its content away at once.
    let mo = t.db.store.find_person_by_handle("mo").await.unwrap().unwrap();
    t.db.store
        .execute_raw(&format!(
            "DELETE FROM memberships WHERE person_id = {} AND community_id = {}",
            mo.id, w.private_id
        ))
        .await
        .unwrap();
    assert!(found(&api_search(t, &w.mo_token, "q=zeppelin").await).is_empty());
}

#[tokio::test]
async fn moving_a_thread_into_a_private_community_takes_its_replies_along() {
    let w = world().await;
    let t = &w.t;
    assert_eq!(types(&api_search(t, &w.olga_token, "q=quorum").await), vec!["post"]);
    t.db.store.execute_raw(&format!("UPDATE threads SET community_id = {} WHERE id = 1", w.private_id)).await.unwrap();
    change(t, "thread", 1).await;
    assert!(found(&api_search(t, &w.olga_token, "q=quorum").await).is_empty());
    assert!(found(&api_search(t, &w.olga_token, "q=flaky").await).is_empty());
    let r = api_search(t, &w.mo_token, "q=quorum").await;
    assert_eq!(r["results"][0]["community"], "vault");
}

#[tokio::test]
async fn hidden_posts_and_threads_are_not_found() {
    let w = world().await;
    let t = &w.t;
    let token = &w.fay_token;
    assert_eq!(types(&api_search(t, token, "q=quorum").await), vec!["post"]);
    t.db.store.execute_raw("UPDATE posts SET hidden_reason = 'spam' WHERE id = 11").await.unwrap();
    change(t, "post", 11).await;
    assert!(found(&api_search(t, token, "q=quorum").await).is_empty(), "a hidden reply is gone");

    // A reply written hidden is never indexed.
    t.db.store
        .execute_raw("INSERT INTO posts (id, thread_id, author_id, body, created_at, hidden_reason) VALUES (12, 1, NULL, 'marmalade offer', 0, 'spam')")
        .await
        .unwrap();
    change(t, "post", 12).await;
    assert!(found(&api_search(t, token, "q=marmalade").await).is_empty());

    // Hiding a thread hides it and its replies; showing it again brings them back.
    reply(t, 13, 1, w.fay_id, "Try the bisect tool.", MARCH_5).await;
    assert_eq!(types(&api_search(t, token, "q=bisect").await), vec!["post"]);
    t.db.store.execute_raw("UPDATE threads SET hidden_reason = 'off topic' WHERE id = 1").await.unwrap();
    change(t, "thread", 1).await;
    assert!(found(&api_search(t, token, "q=bisect").await).is_empty());
    assert!(found(&api_search(t, token, "q=flaky").await).is_empty());
    t.db.store.execute_raw("UPDATE threads SET hidden_reason = NULL WHERE id = 1").await.unwrap();
    change(t, "thread", 1).await;
    assert_eq!(types(&api_search(t, token, "q=bisect").await), vec!["post"]);

    // An edited opening post changes what finds the thread.
    t.db.store.execute_raw("UPDATE posts SET body = 'Now about heisenbugs.' WHERE id = 10").await.unwrap();
    change(t, "post", 10).await;
    assert_eq!(types(&api_search(t, token, "q=heisenbugs").await), vec!["thread"]);
    assert!(found(&api_search(t, token, "q=timeouts").await).is_empty());
}

#[tokio::test]
async fn awkward_queries_give_results_or_a_clear_message_never_an_error() {
    let w = world().await;
    let t = &w.t;
    let long = "flaky ".repeat(170);
    let queries: Vec<String> = vec![
        "\"flaky".into(),
        "flaky\"".into(),
        "AND OR (".into(),
        "\"".into(),
        "*".into(),
        "(((".into(),
        "flaky AND".into(),
        "title:".into(),
        ":".into(),
        "-".into(),
        "+".into(),
        "nosuchfield:flaky".into(),
        "date:[2020 TO".into(),
        "flaky~".into(),
        "fl*ky".into(),
        "^2".into(),
        "\u{0}".into(),
        "日本語 テスト".into(),
        long,
    ];
    for q in &queries {
        let path = format!("/search?q={}", encode(&[("q", q)]).trim_start_matches("q="));
        let page = t.get(&path, Some(&w.olga)).await;
        assert!(
            page.status == StatusCode::OK || page.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q:?}: {} {}",
            page.status,
            page.body
        );
        let shows_something = page.body.contains("class=\"search-hit\"")
            || page.body.contains("class=\"empty\"")
            || page.body.contains("search-notice")
            || page.body.contains("field-error");
        assert!(shows_something, "{q:?}: no results and no message");
        let api =
            t.api(Method::GET, &format!("/api/v1/search?{}", encode(&[("q", q)])), Some(&w.olga_token), None).await;
        assert!(api.status == StatusCode::OK || api.status == StatusCode::UNPROCESSABLE_ENTITY, "{q:?}: {}", api.body);
    }
    // Operators and quotes alone: an empty result that says why.
    let r = api_search(t, &w.olga_token, "q=%22").await;
    assert_eq!(r["notice"], "nothing-to-search");
    assert!(r["message"].as_str().unwrap().contains("no words"));
    // A broken query still finds what its words find.
    let r = api_search(t, &w.olga_token, "q=%22flaky").await;
    assert_eq!(types(&r), vec!["thread", "post"]);
    // Too long: a clear message naming the field.
    let long = t.api(Method::GET, &format!("/api/v1/search?q={}", "a".repeat(501)), Some(&w.olga_token), None).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.json()["errors"][0]["field"], "q");
    assert!(long.json()["errors"][0]["message"].as_str().unwrap().contains("at most 500 characters"));
    let page = t.get(&format!("/search?q={}", "a".repeat(1000)), Some(&w.olga)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("at most 500 characters"));
    // A page number that is not a number is page 1.
    let page = t.get("/search?q=flaky&page=abc", Some(&w.olga)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The empty search page is a form.
    let page = t.get("/search", Some(&w.olga)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("role=\"search\""));
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let w = world().await;
    let page = w.t.get("/search?q=flaky", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"), "{}", page.location());
    let api = w.t.api(Method::GET, "/api/v1/search?q=flaky", None, None).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.json()["code"], "unauthenticated");
}

#[tokio::test]
async fn guests_do_not_find_people() {
    let w = world().await;
    let t = &w.t;
    t.guest("gus").await;
    let guest = t.token("gus").await;
    assert!(found(&api_search(t, &guest, "q=fay").await).iter().all(|(kind, _)| kind != "person"));
    assert!(found(&api_search(t, &w.olga_token, "q=fay").await).iter().any(|(kind, _)| kind == "person"));
}

#[tokio::test]
async fn pages_follow_one_another() {
    let w = world().await;
    let t = &w.t;
    for i in 0..23 {
        thread(
            t,
            100 + i,
            w.open_id,
            w.fay_id,
            "discussion",
            &format!("Latency note {i}"),
            "latency",
            &[],
            MARCH_5 + i,
        )
        .await;
    }
    let first = api_search(t, &w.olga_token, "q=latency").await;
    assert_eq!(first["results"].as_array().unwrap().len(), 10);
    assert_eq!(first["has_more"], true);
    let third = api_search(t, &w.olga_token, "q=latency&page=3").await;
    assert_eq!(third["results"].as_array().unwrap().len(), 3);
    assert_eq!(third["has_more"], false);
    let page = t.get("/search?q=latency&page=2", Some(&w.olga)).await;
    assert!(page.body.contains("rel=\"prev\"") && page.body.contains("rel=\"next\""));
    let mut all: Vec<String> = Vec::new();
    for n in 1..=3 {
        for (_, title) in found(&api_search(t, &w.olga_token, &format!("q=latency&page={n}")).await) {
            all.push(title);
        }
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 23, "every result once");
}

#[tokio::test]
async fn reindex_rebuilds_the_same_results() {
    let w = world().await;
    let t = &w.t;
    let queries = ["q=flaky", "q=zeppelin", "q=quorum", "q=canary", "tag=secret", "q=workshop"];
    let mut before = Vec::new();
    for q in queries {
        before.push(found(&api_search(t, &w.fay_token, q).await));
    }
    let mut reported = 0;
    let documents = t.app.reindex(&mut |p| reported = p.documents).await.unwrap();
    assert_eq!(documents, reported);
    // 3 communities' worth: 2 communities, 3 people, 2 events, 2 artifacts, 2 threads, 2 replies.
    assert_eq!(documents, 13);
    for (q, expected) in queries.iter().zip(before) {
        assert_eq!(found(&api_search(t, &w.fay_token, q).await), expected, "{q}");
    }
    // And the index keeps following the feed afterwards.
    reply(t, 14, 1, w.fay_id, "Reindexed marmoset.", MARCH_5).await;
    assert_eq!(types(&api_search(t, &w.fay_token, "q=marmoset").await), vec!["post"]);
}

#[tokio::test]
async fn the_openapi_document_lists_search() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await.json();
    assert!(doc["paths"]["/search"]["get"].is_object(), "{}", doc["paths"]);
}

#[tokio::test]
async fn the_member_filter_in_the_page_keeps_what_was_typed() {
    let w = world().await;
    let page = w.t.get("/search?q=flaky&community=guild&kind=question&tag=ci&author=fay", Some(&w.fay)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"guild\""));
    assert!(page.body.contains("<option value=\"question\" selected>"));
    assert!(page.body.contains("Why are integration tests"));
    let _ = (&w.mo, &w.olga);
}

#[tokio::test]
async fn what_people_write_through_the_discussion_api_is_found_at_once() {
    // A world of its own: the SQL-written rows of `world()` take the ids
    // PostgreSQL's sequences would hand out.
    let t = &TestApp::new().await;
    t.person("fay", false).await;
    t.person("olga", false).await;
    let fay = t.sign_in("fay").await;
    t.community(&fay, "guild", "open").await;
    let fay_token = t.token("fay").await;
    let olga_token = t.token("olga").await;
    let created = t
        .api(
            Method::POST,
            "/api/v1/communities/guild/threads",
            Some(&fay_token),
            Some(json!({"kind": "question", "title": "Gravel in the sourdough", "body": "Any *starter* tips?", "tags": ["baking"]})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["thread"]["id"].as_i64().unwrap();
    // No catch-up in between: the search itself waits for the index.
    let r = api_search(t, &olga_token, "q=sourdough").await;
    assert_eq!(types(&r), vec!["thread"]);
    assert_eq!(r["results"][0]["url"], format!("/threads/{id}"));
    assert_eq!(r["results"][0]["tags"], json!(["baking"]));
    let reply = t
        .api(
            Method::POST,
            &format!("/api/v1/threads/{id}/posts"),
            Some(&fay_token),
            Some(json!({"body": "Feed the levain twice a day."})),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    assert_eq!(types(&api_search(t, &olga_token, "q=levain").await), vec!["post"]);
}
