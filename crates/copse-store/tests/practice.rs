//! The practice repository on both databases: versions with the optimistic
//! check, tags and links, curation with audit rows, reuse counters and the
//! activity record, checklist runs, backlinks and stale flags.

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

async fn artifact(
    store: &Store,
    community: CommunityId,
    author: PersonId,
    title: &str,
    body: &str,
    links: &[i64],
) -> i64 {
    store
        .insert_artifact(&NewArtifact {
            community,
            kind: "checklist",
            title,
            body,
            message: "first",
            status: "published",
            tags: &["release".to_string(), "ci".to_string()],
            review_by: Some(Timestamp(1_000)),
            author,
            links,
            at: Timestamp(10_000),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn versions_are_saved_only_from_the_latest_base() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let c = community(store, ada).await;
    let id = artifact(store, c, ada, "Release checklist", "- [ ] one", &[]).await;
    let version = |base: i64, body: &'static str| NewVersion {
        artifact: id,
        community: c,
        base_version: base,
        kind: "checklist",
        title: "Release checklist",
        body,
        message: "more",
        tags: &[],
        author: ada,
        links: &[],
        at: Timestamp(20_000),
    };
    assert_eq!(store.insert_artifact_version(&version(1, "- [ ] two")).await.unwrap(), 2);
    match store.insert_artifact_version(&version(1, "- [ ] stale")).await {
        Err(StoreError::Conflict(what)) => assert_eq!(what, STALE_VERSION),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let row = store.find_artifact(id).await.unwrap().unwrap();
    assert_eq!((row.current_version, row.body.as_str()), (2, "- [ ] two"));
    assert!(store.list_artifact_tags(id).await.unwrap().is_empty(), "the version's (empty) tags replaced the old");
    let versions = store.list_artifact_versions(id).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(versions[1].body_chars, 9);
    assert_eq!(store.find_artifact_version(id, 1).await.unwrap().unwrap().body, "- [ ] one");
    assert!(matches!(
        store.insert_artifact_version(&NewVersion { artifact: 999, ..version(1, "x") }).await,
        Err(StoreError::NotFound)
    ));
    // Each version is one activity record.
    let counts = store.count_contributions_by_person(c, Timestamp(0)).await.unwrap();
    assert_eq!(counts.iter().find(|r| r.person_id == ada.0).map(|r| r.count), Some(2));
}

#[tokio::test]
async fn lists_filter_by_kind_status_and_tag_and_page() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let c = community(store, ada).await;
    for n in 0..5 {
        artifact(store, c, ada, &format!("Checklist {n}"), "- [ ] x", &[]).await;
    }
    let all = store.list_artifacts(c, &ArtifactFilter::default(), 0, 3).await.unwrap();
    assert_eq!(all.len(), 3);
    let rest = store.list_artifacts(c, &ArtifactFilter::default(), 3, 3).await.unwrap();
    assert_eq!(rest.len(), 2);
    let filter = |kind: &str, status: &str, tag: &str| ArtifactFilter {
        kind: kind.into(),
        status: status.into(),
        tag: tag.into(),
    };
    assert_eq!(store.list_artifacts(c, &filter("checklist", "published", "ci"), 0, 10).await.unwrap().len(), 5);
    assert!(store.list_artifacts(c, &filter("guide", "", ""), 0, 10).await.unwrap().is_empty());
    assert!(store.list_artifacts(c, &filter("", "draft", ""), 0, 10).await.unwrap().is_empty());
    assert!(store.list_artifacts(c, &filter("", "", "nope"), 0, 10).await.unwrap().is_empty());
    assert_eq!(store.list_community_artifact_tags(c).await.unwrap().len(), 10);
}

#[tokio::test]
async fn curation_replaces_owners_and_rearms_the_stale_notice() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let c = community(store, ada).await;
    let old = artifact(store, c, ada, "Old", "x", &[]).await;
    let new = artifact(store, c, ada, "New", "x", &[]).await;
    let flagged =
        store.flag_stale_artifacts(Timestamp(5_000), Timestamp(6_000), |t| format!("review {t}")).await.unwrap();
    assert_eq!(flagged.len(), 2);
    assert_eq!(flagged[0].notified, vec![ada]);
    assert!(
        store.flag_stale_artifacts(Timestamp(5_000), Timestamp(7_000), |t| t.to_string()).await.unwrap().is_empty()
    );
    let notes = store.list_notifications(ada, 10).await.unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].kind, "artifact-stale");
    assert!(notes.iter().any(|n| n.message == "review Old" && n.link == format!("/artifacts/{old}")));

    store
        .update_artifact_curation(&ArtifactCuration {
            artifact: old,
            status: "superseded",
            superseded_by: Some(new),
            owners: &[bob, ada, bob],
            review_by: Some(Timestamp(2_000)),
            actor: Some(ada),
            at: Timestamp(8_000),
        })
        .await
        .unwrap();
    let row = store.find_artifact(old).await.unwrap().unwrap();
    assert_eq!(
        (row.status.as_str(), row.superseded_by, row.superseded_by_title.as_deref()),
        ("superseded", Some(new), Some("New"))
    );
    assert_eq!(row.stale_notified_at, None, "a new date re-arms the notice");
    let owners: Vec<String> = store.list_artifact_owners(old).await.unwrap().into_iter().map(|o| o.handle).collect();
    assert_eq!(owners, vec!["ada", "bob"]);
    // Superseded artifacts are never stale.
    assert!(
        store.flag_stale_artifacts(Timestamp(5_000), Timestamp(9_000), |t| t.to_string()).await.unwrap().is_empty()
    );
    assert_eq!(store.list_stale_artifacts(c, Timestamp(5_000)).await.unwrap().len(), 1);
    assert_eq!(store.list_owned_stale_artifacts(c, ada, Timestamp(5_000)).await.unwrap().len(), 1);
    assert!(store.list_owned_stale_artifacts(c, bob, Timestamp(5_000)).await.unwrap().is_empty());
    assert!(matches!(
        store
            .update_artifact_curation(&ArtifactCuration {
                artifact: 999,
                status: "draft",
                superseded_by: None,
                owners: &[ada],
                review_by: None,
                actor: None,
                at: Timestamp(1),
            })
            .await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn reuses_and_checklist_runs_count_once() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let bob = person(store, "bob").await;
    let c = community(store, ada).await;
    let id = artifact(store, c, ada, "Release", "- [ ] a\n- [ ] b", &[]).await;
    let reuse = |kind: &'static str, run: Option<i64>| NewReuse {
        artifact: id,
        community: c,
        person: bob,
        kind,
        note: "payments-api",
        credit_to: Some(ada),
        run,
        at: Timestamp(30_000),
    };
    store.insert_artifact_reuse(&reuse("used", None)).await.unwrap();
    store.record_artifact_view(id).await.unwrap();
    store.add_artifact_views(id, 4).await.unwrap();
    let run = store.insert_checklist_run(id, 1, bob, Timestamp(31_000)).await.unwrap();
    assert!(store.update_checklist_run(run, "1", "half").await.unwrap());
    assert_eq!(store.list_open_checklist_runs(id, bob).await.unwrap().len(), 1);
    assert!(store.complete_checklist_run(run, "0,1", &reuse("checklist-run", Some(run))).await.unwrap());
    assert!(!store.complete_checklist_run(run, "0,1", &reuse("checklist-run", Some(run))).await.unwrap(), "once");
    assert!(!store.update_checklist_run(run, "", "").await.unwrap(), "a completed run does not change");
    let done = store.find_checklist_run(run).await.unwrap().unwrap();
    assert_eq!((done.ticked.as_str(), done.completed_at), ("0,1", Some(30_000)));
    assert!(store.list_open_checklist_runs(id, bob).await.unwrap().is_empty());
    let row = store.find_artifact(id).await.unwrap().unwrap();
    assert_eq!((row.reuse_count, row.view_count), (2, 5));
    let reuses = store.list_artifact_reuses(id, 10).await.unwrap();
    assert_eq!(reuses.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(), vec!["checklist-run", "used"]);
    let counts = store.count_contributions_by_person(c, Timestamp(0)).await.unwrap();
    assert_eq!(counts.iter().find(|r| r.person_id == bob.0).map(|r| r.count), Some(2));
}

#[tokio::test]
async fn backlinks_come_from_artifacts_and_follow_their_text() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ada = person(store, "ada").await;
    let c = community(store, ada).await;
    let target = artifact(store, c, ada, "Target", "x", &[]).await;
    let source = artifact(store, c, ada, "Source", "see it", &[target, 999]).await;
    let me = artifact(store, c, ada, "Self", "x", &[]).await;
    store.set_artifact_links("artifact", me, &[me, target], 50_000).await.unwrap();
    let links = store.list_artifact_backlinks(target, Some(ada)).await.unwrap();
    let mut sources: Vec<(String, i64)> = links.iter().map(|l| (l.title.clone(), l.source_id)).collect();
    sources.sort();
    assert_eq!(sources, vec![("Self".to_string(), me), ("Source".to_string(), source)]);
    assert_eq!(links[0].viewer_status.as_deref(), Some("active"));
    assert_eq!(links[0].thread_id, None);
    assert!(store.list_artifact_backlinks(me, None).await.unwrap().is_empty(), "no link to itself");
    store.set_artifact_links("artifact", source, &[], 60_000).await.unwrap();
    assert_eq!(store.list_artifact_backlinks(target, None).await.unwrap().len(), 1);
}
