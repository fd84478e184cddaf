//! The store contract: the same behaviour on SQLite and PostgreSQL. Run with
//! `COPSE_TEST_BACKEND=postgres` for the PostgreSQL side (scripts/test does).

use copse_domain::*;
use copse_store::*;
use copse_testkit::TestDb;

fn profile(name: &str, team: &str, skills: &str) -> Profile {
    Profile::parse(&ProfileInput {
        name: name.into(),
        team: team.into(),
        location: "Berlin".into(),
        time_zone: "Europe/Berlin".into(),
        work_start: "09:00".into(),
        work_end: "17:00".into(),
        experience: "senior".into(),
        skills: skills.into(),
        interests: "testing".into(),
        bio: String::new(),
    })
    .expect("valid profile")
}

async fn person(store: &Store, handle: &str, team: &str) -> PersonId {
    store
        .insert_person(&NewPerson {
            handle: Handle::parse(handle).unwrap(),
            email: Some(format!("{handle}@example.com")),
            role: OrgRole::Member,
            profile: profile(&format!("Person {handle}"), team, "Rust:expert"),
            created_at: Timestamp::now(),
        })
        .await
        .expect("insert person")
}

fn draft(slug: &str, visibility: &str) -> CommunityDraft {
    CommunityDraft::parse(&CommunityInput {
        name: format!("Community {slug}"),
        slug: slug.into(),
        domain: "Shared practice".into(),
        kind: "technical-practice".into(),
        visibility: visibility.into(),
        purpose: "Learn together".into(),
        in_scope: "a, b".into(),
        goals: vec![("Ship faster".into(), None)],
        channels: vec![("Chat".into(), "https://chat.example.com/x".into())],
        ..Default::default()
    })
    .expect("valid draft")
}

async fn community(store: &Store, slug: &str, visibility: &str, creator: PersonId) -> CommunityId {
    store
        .insert_community(&NewCommunity {
            draft: &draft(slug, visibility),
            sponsor: None,
            creator,
            stage: Stage::Coalescing,
            at: Timestamp::now(),
        })
        .await
        .expect("insert community")
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let db = TestDb::new().await;
    assert!(db.store.migrate().await.unwrap().is_empty(), "second run applies nothing");
    db.store.ping().await.unwrap();
}

#[tokio::test]
async fn unknown_url_schemes_are_refused() {
    let err = Store::connect("mysql://localhost/x", &StoreOptions::default()).await.unwrap_err();
    assert!(err.to_string().contains("unsupported database URL scheme 'mysql'"), "{err}");
    let err = Store::connect("copse.db", &StoreOptions::default()).await.unwrap_err();
    assert!(matches!(err, StoreError::BadUrl(_)));
}

#[tokio::test]
async fn people_round_trip_and_handles_are_unique() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let row = db.store.get_person(ada).await.unwrap();
    assert_eq!(row.handle, "ada");
    assert_eq!(row.time_zone, "Europe/Berlin");
    assert_eq!(row.work_start_minute, 540);
    let skills = db.store.list_person_skills(ada).await.unwrap();
    assert_eq!(skills[0].skill, "Rust");
    assert_eq!(skills[0].level, "expert");

    let err = db
        .store
        .insert_person(&NewPerson {
            handle: Handle::parse("ada").unwrap(),
            email: None,
            role: OrgRole::Member,
            profile: profile("Other Ada", "X", ""),
            created_at: Timestamp::now(),
        })
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict(what) => assert_eq!(what, "people.handle"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(db.store.count_people().await.unwrap(), 1, "the failed insert left nothing behind");
}

#[tokio::test]
async fn the_directory_filters_and_pages() {
    let db = TestDb::new().await;
    for (handle, team) in [("ana", "Data"), ("bob", "Platform"), ("cy", "Platform"), ("dee_x", "Web")] {
        person(&db.store, handle, team).await;
    }
    let all = db.store.list_people(&PeopleFilter::default(), 0, 10).await.unwrap();
    assert_eq!(all.len(), 4);
    let platform = PeopleFilter { team: "platform".into(), ..Default::default() };
    assert_eq!(db.store.list_people(&platform, 0, 10).await.unwrap().len(), 2);
    let by_text = PeopleFilter { query: "BOB".into(), ..Default::default() };
    assert_eq!(db.store.list_people(&by_text, 0, 10).await.unwrap()[0].handle, "bob");
    // '_' is matched literally, not as a LIKE wildcard.
    let literal = PeopleFilter { query: "e_x".into(), ..Default::default() };
    assert_eq!(db.store.list_people(&literal, 0, 10).await.unwrap().len(), 1);
    let skill = PeopleFilter { skill: "rust".into(), ..Default::default() };
    assert_eq!(db.store.list_people(&skill, 0, 10).await.unwrap().len(), 4);
    let page2 = db.store.list_people(&PeopleFilter::default(), 2, 2).await.unwrap();
    assert_eq!(page2.len(), 2);
    assert_eq!(page2[0].handle, "cy");
}

#[tokio::test]
async fn a_community_starts_with_its_creator_as_facilitator() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let id = community(&db.store, "rust", "open", ada).await;
    let row = db.store.get_community(id).await.unwrap();
    assert_eq!(row.member_count, 1);
    assert_eq!(row.stage, "coalescing");
    assert_eq!(row.in_scope, "a\nb");
    let facilitators = db.store.list_facilitators(id).await.unwrap();
    assert_eq!(facilitators.len(), 1);
    assert_eq!(facilitators[0].handle, "ada");
    assert_eq!(db.store.list_community_goals(id).await.unwrap()[0].text, "Ship faster");
    assert_eq!(db.store.list_community_channels(id).await.unwrap()[0].url, "https://chat.example.com/x");
    let history = db.store.list_stage_changes(id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].previous_stage, None);

    let err = db
        .store
        .insert_community(&NewCommunity {
            draft: &draft("rust", "open"),
            sponsor: None,
            creator: ada,
            stage: Stage::Potential,
            at: Timestamp::now(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(ref what) if what == "communities.slug"), "{err:?}");
    assert_eq!(db.store.count_communities().await.unwrap(), 1);
}

#[tokio::test]
async fn membership_changes_keep_the_count_and_version_current() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let bob = person(&db.store, "bob", "Data").await;
    let id = community(&db.store, "rust", "request", ada).await;
    let v0 = db.store.get_community(id).await.unwrap().version;
    let change = |status, role| MembershipChange {
        community: id,
        person: bob,
        role,
        status,
        actor: Some(bob),
        at: Timestamp::now(),
    };

    db.store.set_membership(&change(MembershipStatus::Requested, MembershipRole::Member)).await.unwrap();
    let row = db.store.get_community(id).await.unwrap();
    assert_eq!(row.member_count, 1, "a request is not a membership");
    assert!(row.version > v0);

    db.store.set_membership(&change(MembershipStatus::Active, MembershipRole::Member)).await.unwrap();
    assert_eq!(db.store.get_community(id).await.unwrap().member_count, 2);
    db.store.set_membership(&change(MembershipStatus::Active, MembershipRole::Facilitator)).await.unwrap();
    assert_eq!(db.store.list_facilitators(id).await.unwrap().len(), 2);
    assert_eq!(db.store.get_community(id).await.unwrap().member_count, 2, "a role change is not a new member");

    db.store.delete_membership(id, bob, Some(bob)).await.unwrap();
    assert_eq!(db.store.get_community(id).await.unwrap().member_count, 1);
    assert_eq!(db.store.list_facilitators(id).await.unwrap().len(), 1);
    assert!(matches!(db.store.delete_membership(id, bob, Some(bob)).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn stage_changes_append_to_the_history() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let id = community(&db.store, "rust", "open", ada).await;
    let change = StageChange::parse("maturing", "monthly rhythm for 6 months").unwrap();
    db.store.change_stage(id, &change, Some(ada), Timestamp::now().plus_days(1)).await.unwrap();
    assert_eq!(db.store.get_community(id).await.unwrap().stage, "maturing");
    let history = db.store.list_stage_changes(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].stage, "maturing");
    assert_eq!(history[0].previous_stage.as_deref(), Some("coalescing"));
    assert_eq!(history[0].changed_by_handle.as_deref(), Some("ada"));
    let missing = db.store.change_stage(CommunityId(9999), &change, None, Timestamp::now()).await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn private_communities_are_listed_only_for_members_and_admins() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let bob = person(&db.store, "bob", "Data").await;
    community(&db.store, "open-one", "open", ada).await;
    let secret = community(&db.store, "secret", "private", ada).await;
    let slugs = |rows: Vec<CommunityForViewerRow>| rows.into_iter().map(|r| r.community.slug).collect::<Vec<_>>();

    let for_bob = slugs(db.store.list_communities(&CommunityFilter::default(), bob, false, 50, 0).await.unwrap());
    assert_eq!(for_bob, vec!["open-one"]);
    let for_admin = db.store.list_communities(&CommunityFilter::default(), bob, true, 50, 0).await.unwrap();
    assert_eq!(for_admin.len(), 2);
    let searching = CommunityFilter { query: "secret".into(), ..Default::default() };
    assert!(db.store.list_communities(&searching, bob, false, 50, 0).await.unwrap().is_empty());

    let invite = MembershipChange {
        community: secret,
        person: bob,
        role: MembershipRole::Member,
        status: MembershipStatus::Invited,
        actor: Some(ada),
        at: Timestamp::now(),
    };
    db.store.set_membership(&invite).await.unwrap();
    let for_bob = slugs(db.store.list_communities(&CommunityFilter::default(), bob, false, 50, 0).await.unwrap());
    assert!(for_bob.contains(&"secret".to_string()));
    let not_joined = CommunityFilter { exclude_joined: true, ..Default::default() };
    let for_bob = slugs(db.store.list_communities(&not_joined, bob, false, 50, 0).await.unwrap());
    assert_eq!(for_bob, vec!["open-one"], "the invitation counts as joined");
    let second_page = db.store.list_communities(&CommunityFilter::default(), bob, true, 1, 1).await.unwrap();
    assert_eq!(second_page.len(), 1);
}

#[tokio::test]
async fn sessions_expire_and_tokens_revoke() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let now = Timestamp::now();
    db.store.insert_session("live", ada, now.plus_days(1)).await.unwrap();
    db.store.insert_session("old", ada, now.minus_days(1)).await.unwrap();
    assert_eq!(db.store.find_session("live", now).await.unwrap().unwrap().handle, "ada");
    assert!(db.store.find_session("old", now).await.unwrap().is_none());
    db.store.delete_session("live").await.unwrap();
    assert!(db.store.find_session("live", now).await.unwrap().is_none());

    let token = db.store.insert_api_token(ada, "ci", "hash1").await.unwrap();
    assert!(db.store.find_api_token("hash1").await.unwrap().is_some());
    db.store.revoke_api_token(ada, token).await.unwrap();
    assert!(db.store.find_api_token("hash1").await.unwrap().is_none());
}

#[tokio::test]
async fn login_failures_are_counted_per_account_and_address() {
    let db = TestDb::new().await;
    let since = Timestamp::now().minus_days(1);
    for _ in 0..3 {
        db.store.insert_login_failure("ada", "10.0.0.1").await.unwrap();
    }
    db.store.insert_login_failure("bob", "10.0.0.1").await.unwrap();
    assert_eq!(db.store.count_login_failures("ada", "10.0.0.1", since).await.unwrap(), (3, 4));
    db.store.clear_login_failures("ada").await.unwrap();
    assert_eq!(db.store.count_login_failures("ada", "10.0.0.2", since).await.unwrap(), (0, 0));
}

#[tokio::test]
async fn contributions_are_idempotent_per_source_ref() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let id = community(&db.store, "rust", "open", ada).await;
    let item = |r: &str| NewContribution {
        person: ada,
        community: id,
        kind: "commit",
        at: Timestamp::now(),
        reply_to: None,
        source: "git",
        source_ref: Some(r.into()),
    };
    assert_eq!(db.store.insert_contributions(&[item("a"), item("b")]).await.unwrap(), 2);
    assert_eq!(db.store.insert_contributions(&[item("a"), item("c")]).await.unwrap(), 1);
    let counts = db.store.count_contributions_by_person(id, Timestamp::now().minus_days(1)).await.unwrap();
    assert_eq!(counts[0].count, 3);
    let members =
        db.store.list_members(id, MembershipStatus::Active, Timestamp::now().minus_days(1), 10).await.unwrap();
    assert_eq!(members[0].recent_contributions, 3);
}

#[tokio::test]
async fn settings_keep_the_first_value_written() {
    let db = TestDb::new().await;
    assert_eq!(db.store.setting_or_insert("secret", "one").await.unwrap(), "one");
    assert_eq!(db.store.setting_or_insert("secret", "two").await.unwrap(), "one");
    db.store.set_setting("secret", "three").await.unwrap();
    assert_eq!(db.store.find_setting("secret").await.unwrap().as_deref(), Some("three"));
}

#[tokio::test]
async fn members_page_by_activity_without_overlap() {
    let db = TestDb::new().await;
    let ada = person(&db.store, "ada", "Platform").await;
    let id = community(&db.store, "rust", "open", ada).await;
    let mut people = vec![ada];
    for i in 0..6 {
        let p = person(&db.store, &format!("p{i}"), "Data").await;
        db.store
            .set_membership(&MembershipChange {
                community: id,
                person: p,
                role: MembershipRole::Member,
                status: MembershipStatus::Active,
                actor: None,
                at: Timestamp::now(),
            })
            .await
            .unwrap();
        people.push(p);
    }
    // p0 has 5 contributions, p1 has 2, everyone else none.
    let mut items = Vec::new();
    for (who, n) in [(people[1], 5), (people[2], 2)] {
        for k in 0..n {
            items.push(NewContribution {
                person: who,
                community: id,
                kind: "post",
                at: Timestamp::now(),
                reply_to: None,
                source: "test",
                source_ref: Some(format!("{}-{k}", who.0)),
            });
        }
    }
    db.store.insert_contributions(&items).await.unwrap();
    let since = Timestamp::now().minus_days(90);
    let all = MemberFilter::all(MembershipStatus::Active, since);
    let first = db.store.list_members_page(id, &all, 4, 0).await.unwrap();
    let second = db.store.list_members_page(id, &all, 4, 4).await.unwrap();
    assert_eq!(first.len(), 4);
    assert_eq!(second.len(), 3);
    assert_eq!(first[0].handle, "p0");
    assert_eq!(first[1].handle, "p1");
    let mut seen: Vec<String> = first.iter().chain(second.iter()).map(|m| m.handle.clone()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 7, "no member on two pages");
    let active = MemberFilter { min_recent: 2, max_recent: 4, ..all };
    let band = db.store.list_members_page(id, &active, 10, 0).await.unwrap();
    assert_eq!(band.iter().map(|m| m.handle.as_str()).collect::<Vec<_>>(), vec!["p1"]);
}
