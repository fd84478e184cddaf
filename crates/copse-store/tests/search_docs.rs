//! What the search indexer reads: the change feed and the documents, on
//! both databases.

use copse_store::{LIST_SEPARATOR, split_list};
use copse_testkit::TestDb;

async fn seed(db: &TestDb) {
    db.store
        .execute_raw(
            "INSERT INTO people (id, handle, name, bio, created_at, updated_at) VALUES (1, 'ana', 'Ana', 'Likes *Rust*', 5, 5); \
             INSERT INTO person_skills (person_id, skill, level) VALUES (1, 'rust', 'expert'), (1, 'go', 'learning'); \
             INSERT INTO communities (id, slug, name, domain, kind, visibility, created_at, updated_at) \
               VALUES (7, 'guild', 'Guild', 'Backend', 'technical-practice', 'open', 1, 1), \
                      (8, 'vault', 'Vault', 'Secrets', 'technical-practice', 'private', 1, 1); \
             INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) VALUES (8, 1, 'member', 'active', 1, 1); \
             INSERT INTO threads (id, community_id, kind, title, author_id, created_at, last_activity_at) VALUES (3, 7, 'question', 'Why?', 1, 10, 10); \
             INSERT INTO thread_tags (thread_id, tag) VALUES (3, 'ci'), (3, 'testing'); \
             INSERT INTO posts (id, thread_id, author_id, body, created_at) VALUES (30, 3, 1, 'Opening', 10), (31, 3, 1, 'Reply', 11), (32, 3, 1, 'Hidden', 12); \
             UPDATE posts SET hidden_reason = 'spam' WHERE id = 32; \
             INSERT INTO artifacts (id, community_id, kind, title, body, created_by, created_at, updated_at) VALUES (4, 7, 'runbook', 'Rollback', 'Steps', 1, 20, 21); \
             INSERT INTO artifact_tags (artifact_id, tag) VALUES (4, 'deploy'); \
             INSERT INTO changes (entity, entity_id, at) VALUES ('thread', 3, 1), ('post', 31, 2), ('artifact', 4, 3);",
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn reads_the_change_feed_in_order() {
    let db = TestDb::new().await;
    let before = db.store.max_change_seq().await.unwrap();
    seed(&db).await;
    assert_eq!(db.store.max_change_seq().await.unwrap(), before + 3);
    let changes = db.store.list_changes_after(before, 2).await.unwrap();
    assert_eq!(
        changes.iter().map(|c| (c.entity.as_str(), c.entity_id)).collect::<Vec<_>>(),
        vec![("thread", 3), ("post", 31)]
    );
    let rest = db.store.list_changes_after(changes[1].seq, 10).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].entity, "artifact");
}

#[tokio::test]
async fn reads_documents_one_by_one_and_in_batches() {
    let db = TestDb::new().await;
    seed(&db).await;
    let s = &db.store;
    let thread = s.find_thread_doc(3).await.unwrap().unwrap();
    assert_eq!((thread.title.as_str(), thread.body.as_str(), thread.hidden), ("Why?", "Opening", 0));
    let mut tags = split_list(&thread.tags);
    tags.sort();
    assert_eq!(tags, vec!["ci", "testing"]);
    assert_eq!(thread.author_handle.as_deref(), Some("ana"));
    assert!(s.find_thread_doc(99).await.unwrap().is_none());

    let opening = s.find_post_doc(30).await.unwrap().unwrap();
    assert_eq!(opening.opening, 1);
    let reply = s.find_post_doc(31).await.unwrap().unwrap();
    assert_eq!((reply.opening, reply.hidden, reply.thread_title.as_str()), (0, 0, "Why?"));
    assert_eq!(s.find_post_doc(32).await.unwrap().unwrap().hidden, 1);
    let replies = s.list_thread_reply_docs(3).await.unwrap();
    assert_eq!(replies.iter().map(|p| p.id).collect::<Vec<_>>(), vec![31], "visible replies only");
    assert_eq!(s.list_reply_docs_after(0, 10).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(), vec![31]);
    assert_eq!(s.list_thread_docs_after(0, 10).await.unwrap().len(), 1);

    let artifact = s.find_artifact_doc(4).await.unwrap().unwrap();
    assert_eq!((artifact.title.as_str(), artifact.tags.as_str(), artifact.updated_at), ("Rollback", "deploy", 21));
    assert_eq!(s.list_artifact_docs_after(4, 10).await.unwrap().len(), 0);

    let person = s.find_person_doc(1).await.unwrap().unwrap();
    let mut skills = split_list(&person.skills);
    skills.sort();
    assert_eq!(skills, vec!["go", "rust"]);
    assert!(person.skills.contains(LIST_SEPARATOR));
    assert_eq!(s.list_person_docs_after(0, 10).await.unwrap().len(), 1);

    let communities = s.list_community_docs_after(0, 1).await.unwrap();
    assert_eq!(communities.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(), vec!["guild"]);
    assert_eq!(s.find_community_doc(8).await.unwrap().unwrap().name, "Vault");
    assert!(s.list_event_docs_after(0, 10).await.unwrap().is_empty());
    assert!(s.find_event_doc(1).await.unwrap().is_none());
    // 1 thread, 3 posts, 1 artifact, no events, 2 communities, 1 person.
    assert_eq!(s.count_search_sources().await.unwrap(), 8);
}

#[tokio::test]
async fn lists_private_communities_with_the_viewers_membership() {
    let db = TestDb::new().await;
    seed(&db).await;
    let private = db.store.list_private_communities_for_viewer(Some(copse_domain::PersonId(1))).await.unwrap();
    assert_eq!(private.len(), 1);
    assert_eq!((private[0].id, private[0].viewer_status.as_deref()), (8, Some("active")));
    let outsider = db.store.list_private_communities_for_viewer(None).await.unwrap();
    assert_eq!(outsider[0].viewer_status, None);
    let row = db.store.find_community_by_id_for_viewer(8, Some(copse_domain::PersonId(1))).await.unwrap().unwrap();
    assert_eq!(row.viewer_role.as_deref(), Some("member"));
}
