//! Discussions on both databases: threads and replies with their counters,
//! activity records and change feed; edits checked against their version
//! (two edits from one version: exactly one wins); reactions; accepted
//! answers; time saved once per person; hiding and moving; bulk loading.

use copse_domain::*;
use copse_store::*;
use copse_testkit::{TestDb, person};

async fn community(store: &Store, creator: PersonId, slug: &str) -> CommunityId {
    let draft = CommunityDraft::parse(&CommunityInput {
        name: format!("Community {slug}"),
        slug: slug.into(),
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

const NO_MENTIONS: Mentions<'static> = Mentions { people: &[], message: "", link_prefix: "/posts/" };

async fn ask(store: &Store, community: CommunityId, author: PersonId, title: &str) -> (i64, i64) {
    store
        .insert_thread(&NewThread {
            community,
            author,
            kind: "question",
            title,
            body: "How?",
            tags: &["rust".to_string(), "async".to_string()],
            proposal_status: None,
            contribution_kind: "question",
            mentions: NO_MENTIONS,
            at: Timestamp(1_000),
        })
        .await
        .unwrap()
}

async fn answer(store: &Store, thread: i64, community: CommunityId, author: PersonId, asker: PersonId, at: i64) -> i64 {
    store
        .insert_reply(&NewReply {
            thread,
            community,
            author,
            body: "Like this.",
            contribution_kind: "answer",
            reply_to: Some(asker),
            mentions: NO_MENTIONS,
            at: Timestamp(at),
        })
        .await
        .unwrap()
}

async fn total_contributions(store: &Store, community: CommunityId) -> i64 {
    store.count_contributions_by_person(community, Timestamp(0)).await.unwrap().iter().map(|c| c.count).sum()
}

#[tokio::test]
async fn threads_replies_counters_and_the_activity_record() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let rust = community(store, ada, "rust").await;
    let (thread, opening) = ask(store, rust, bob, "Pinning tokio").await;
    let reply = answer(store, thread, rust, ada, bob, 5_000).await;
    assert!(reply > opening);

    let row = store.find_thread_for_viewer(thread, Some(bob)).await.unwrap().unwrap();
    assert_eq!((row.thread.reply_count, row.thread.last_activity_at), (1, 5_000));
    assert_eq!(row.thread.tags, "rust async");
    assert_eq!(row.opening_post_id, Some(opening));
    assert_eq!(row.community_slug, "rust");
    assert_eq!(total_contributions(store, rust).await, 2);
    let unanswered = ThreadFilter { unanswered: true, ..Default::default() };
    assert!(store.list_threads(rust, &unanswered, 10, 0).await.unwrap().is_empty());
    let tagged = ThreadFilter { tag: "async".into(), ..Default::default() };
    assert_eq!(store.list_threads(rust, &tagged, 10, 0).await.unwrap().len(), 1);
    let tags = store.list_community_tags(rust, 10).await.unwrap();
    assert_eq!(tags.iter().map(|t| t.tag.as_str()).collect::<Vec<_>>(), vec!["async", "rust"]);

    // Hiding the reply recounts; showing it again restores.
    store
        .moderate_thread(
            thread,
            ThreadModeration::HidePost { post: reply, reason: Some("spam") },
            ada,
            "spam",
            Timestamp(6_000),
        )
        .await
        .unwrap();
    let row = store.find_thread_for_viewer(thread, None).await.unwrap().unwrap();
    assert_eq!((row.thread.reply_count, row.thread.last_activity_at), (0, 1_000));
    assert_eq!(store.list_threads(rust, &unanswered, 10, 0).await.unwrap().len(), 1, "unanswered again");
    assert_eq!(store.list_thread_posts(thread, false, 10, 0).await.unwrap().len(), 1);
    assert_eq!(store.list_thread_posts(thread, true, 10, 0).await.unwrap().len(), 2);
    store
        .moderate_thread(thread, ThreadModeration::HidePost { post: reply, reason: None }, ada, "", Timestamp(7_000))
        .await
        .unwrap();
    assert_eq!(store.find_thread_for_viewer(thread, None).await.unwrap().unwrap().thread.reply_count, 1);
}

#[tokio::test]
async fn two_edits_from_one_version_one_wins_and_history_keeps_the_rest() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let rust = community(store, ada, "rust").await;
    let (thread, post) = ask(store, rust, ada, "Editing").await;
    let edit = |body: &'static str, base: i64| PostUpdate {
        post,
        thread,
        base_version: base,
        body,
        editor: ada,
        title: None,
        tags: None,
        mentions: NO_MENTIONS,
        at: Timestamp(2_000),
    };
    let (one, two) = (edit("first edit", 1), edit("second edit", 1));
    let (a, b) = tokio::join!(store.update_post(&one), store.update_post(&two));
    let won = [a.is_ok(), b.is_ok()];
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "exactly one wins: {a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(matches!(loser, Err(StoreError::Conflict(ref what)) if what == "posts.version"), "{loser:?}");
    let stored = store.find_post(post).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    let revisions = store.list_post_revisions(post).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!((revisions[0].version, revisions[0].body.as_str()), (1, "How?"));

    // Retitling and retagging through the opening post.
    let retitle = PostUpdate { title: Some("Edited title"), tags: Some(&["ci".to_string()]), ..edit("third", 2) };
    assert_eq!(store.update_post(&retitle).await.unwrap(), 3);
    let row = store.find_thread_for_viewer(thread, None).await.unwrap().unwrap();
    assert_eq!((row.thread.title.as_str(), row.thread.tags.as_str()), ("Edited title", "ci"));
    assert!(matches!(
        store.update_post(&PostUpdate { post: 999_999, ..edit("x", 1) }).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn reactions_accepted_answers_and_time_saved() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let cy = person(store, "cy").await;
    let rust = community(store, ada, "rust").await;
    let (thread, _) = ask(store, rust, bob, "Which channel?").await;
    let first = answer(store, thread, rust, ada, bob, 2_000).await;
    let second = answer(store, thread, rust, cy, bob, 3_000).await;

    assert_eq!(store.toggle_reaction(first, bob, "thanks", Timestamp(1)).await.unwrap(), (true, 1));
    assert_eq!(store.toggle_reaction(first, cy, "thanks", Timestamp(1)).await.unwrap(), (true, 2));
    assert_eq!(store.toggle_reaction(first, bob, "thanks", Timestamp(1)).await.unwrap(), (false, 1));
    let counts = store.list_thread_reactions(thread, Some(cy)).await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].post_id, counts[0].count, counts[0].mine), (first, 1, 1));

    let accept = |post: i64, author: PersonId| AcceptAnswer {
        thread,
        post,
        community: rust,
        answer_author: Some(author),
        asker: Some(bob),
        actor: bob,
        message: "accepted",
        link: "/posts/1",
        at: Timestamp(4_000),
    };
    store.accept_answer(&accept(first, ada)).await.unwrap();
    store.accept_answer(&accept(second, cy)).await.unwrap();
    let by_person = store.count_contributions_by_person(rust, Timestamp(0)).await.unwrap();
    let count = |p: PersonId| by_person.iter().find(|c| c.person_id == p.0).map_or(0, |c| c.count);
    // The accepted-answer record moved from ada to cy when the choice changed.
    assert_eq!((count(ada), count(cy), count(bob)), (1, 2, 1));
    let row = store.find_thread_for_viewer(thread, Some(bob)).await.unwrap().unwrap();
    assert_eq!(row.thread.accepted_post_id, Some(second));

    assert_eq!(store.record_time_saved(thread, second, bob, 30, "", Timestamp(5_000)).await.unwrap(), (30, 1));
    assert_eq!(store.record_time_saved(thread, second, ada, 15, "reused", Timestamp(5_000)).await.unwrap(), (45, 2));
    assert_eq!(store.record_time_saved(thread, second, bob, 60, "more", Timestamp(6_000)).await.unwrap(), (75, 2));
    let row = store.find_thread_for_viewer(thread, Some(bob)).await.unwrap().unwrap();
    assert_eq!((row.time_saved_minutes, row.time_saved_records, row.my_minutes_saved), (75, 2, Some(60)));
}

#[tokio::test]
async fn moving_a_thread_moves_its_activity() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let rust = community(store, ada, "rust").await;
    let go = community(store, ada, "go").await;
    let (thread, _) = ask(store, rust, bob, "Moving").await;
    let reply = answer(store, thread, rust, ada, bob, 2_000).await;
    store
        .accept_answer(&AcceptAnswer {
            thread,
            post: reply,
            community: rust,
            answer_author: Some(ada),
            asker: Some(bob),
            actor: bob,
            message: "",
            link: "",
            at: Timestamp(3_000),
        })
        .await
        .unwrap();
    assert_eq!(total_contributions(store, rust).await, 3);
    store
        .moderate_thread(thread, ThreadModeration::Move { from: rust, to: go }, ada, "wrong place", Timestamp(4_000))
        .await
        .unwrap();
    assert_eq!((total_contributions(store, rust).await, total_contributions(store, go).await), (0, 3));
    let row = store.find_thread_for_viewer(thread, None).await.unwrap().unwrap();
    assert_eq!(row.community_slug, "go");
    assert!(matches!(
        store.moderate_thread(404_404, ThreadModeration::Lock(true), ada, "", Timestamp(1)).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn bulk_loading_writes_threads_posts_tags_counters_changes_and_activity() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let rust = community(store, ada, "rust").await;
    // 70 threads of 1 to 4 posts: exercises both the multi-row statements
    // (32 threads, 64 posts, 64 tags at a time) and the single-row remainder.
    let threads: Vec<BulkThread> = (0..70)
        .map(|i| BulkThread {
            community: rust,
            kind: if i % 2 == 0 { "question" } else { "discussion" },
            title: format!("Thread {i}"),
            author: Some(if i % 3 == 0 { ada } else { bob }),
            tags: vec!["rust".into(), format!("t{}", i % 5)],
            pinned: i == 7,
            locked: false,
            proposal_status: None,
            posts: (0..(1 + i % 4))
                .map(|k| BulkPost {
                    author: Some(if k % 2 == 0 { bob } else { ada }),
                    body: format!("post {k} of {i}"),
                    at: 10_000 + i * 100 + k,
                })
                .collect(),
            accepted: (i % 2 == 0 && i % 4 != 0).then_some((1, 20_000)),
        })
        .collect();
    let loaded = store.load_threads(&threads, LoadOptions { contributions: true, post_ids: true }).await.unwrap();
    assert_eq!(loaded.len(), 70);
    let total_posts: usize = loaded.iter().map(|t| t.posts.len()).sum();
    assert_eq!(total_posts, threads.iter().map(|t| t.posts.len()).sum::<usize>());
    for (spec, got) in threads.iter().zip(&loaded) {
        let row = store.find_thread_for_viewer(got.id, None).await.unwrap().unwrap();
        assert_eq!(row.thread.title, spec.title);
        assert_eq!(row.thread.reply_count, spec.posts.len() as i64 - 1);
        assert_eq!(row.thread.last_activity_at, spec.posts.last().unwrap().at);
        assert_eq!(row.opening_post_id, got.posts.first().copied());
        let posts = store.list_thread_posts(got.id, false, 10, 0).await.unwrap();
        let bodies: Vec<&str> = posts.iter().map(|p| p.body.as_str()).collect();
        let expected: Vec<&str> = spec.posts.iter().map(|p| p.body.as_str()).collect();
        assert_eq!(bodies, expected, "posts land in their own thread, in order");
        assert_eq!(posts.iter().map(|p| p.id).collect::<Vec<_>>(), got.posts);
        assert_eq!(row.thread.accepted_post_id, spec.accepted.map(|(k, _)| got.posts[k]));
    }
    let filter = ThreadFilter { tag: "t3".into(), ..Default::default() };
    assert_eq!(store.list_threads(rust, &filter, 100, 0).await.unwrap().len(), 14);
    let first = store.list_threads(rust, &ThreadFilter::default(), 1, 0).await.unwrap();
    assert_eq!(first[0].title, "Thread 7", "pinned first");
    // One activity record per post plus one per accepted answer.
    let accepted = threads.iter().filter(|t| t.accepted.is_some()).count() as i64;
    assert_eq!(total_contributions(store, rust).await, total_posts as i64 + accepted);

    // Without post ids (the scale generator's way) the accepted answer is
    // still found by its position.
    let plain = store.load_threads(&threads[..40], LoadOptions::default()).await.unwrap();
    assert!(plain.iter().all(|t| t.posts.is_empty()));
    for (spec, got) in threads[..40].iter().zip(&plain) {
        let row = store.find_thread_for_viewer(got.id, None).await.unwrap().unwrap();
        let posts = store.list_thread_posts(got.id, false, 10, 0).await.unwrap();
        assert_eq!(posts.len(), spec.posts.len());
        assert_eq!(row.thread.accepted_post_id, spec.accepted.map(|(k, _)| posts[k].id));
    }
    assert_eq!(total_contributions(store, rust).await, total_posts as i64 + accepted, "no activity records this time");

    store
        .load_reactions(
            &(0..100)
                .map(|i| (loaded[i % 70].posts[0], if i < 70 { ada } else { bob }, "agree", 1))
                .collect::<Vec<_>>(),
        )
        .await
        .unwrap();
    let reactions = store.list_thread_reactions(loaded[0].id, Some(ada)).await.unwrap();
    assert_eq!((reactions[0].count, reactions[0].mine), (2, 1));
}
