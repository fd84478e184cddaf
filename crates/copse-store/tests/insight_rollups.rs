//! The activity rollups on both databases: the triggers keep
//! `activity_daily` and `activity_pairs` equal to a GROUP BY over the
//! activity record through random histories of inserts, deletes (a person
//! deleted cascades), and moves between communities; `rebuild_rollups`
//! gives the same rows; the migration's backfill does too.

use copse_domain::*;
use copse_store::*;
use copse_testkit::{TestDb, person};

/// A small deterministic generator (xorshift64*), so a failure can be
/// replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn community(store: &Store, creator: PersonId, name: &str) -> CommunityId {
    let draft = CommunityDraft::parse(&CommunityInput {
        name: name.into(),
        domain: name.into(),
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

const KINDS: [&str; 6] = ["reply", "answer", "rsvp", "thread", "attendance", "commit"];
const DAY: i64 = 86_400_000;

async fn assert_rollups_exact(store: &Store, context: &str) {
    let expected = store.rollups_from_contributions().await.unwrap();
    let actual = store.list_rollups().await.unwrap();
    assert_eq!(actual.0, expected.0, "activity_daily differs from the activity record ({context})");
    assert_eq!(actual.1, expected.1, "activity_pairs differs from the activity record ({context})");
    assert!(actual.0.iter().all(|r| r.n > 0) && actual.1.iter().all(|r| r.n > 0), "no zero rows ({context})");
}

#[tokio::test]
async fn incremental_rollups_equal_a_full_recompute_over_random_histories() {
    let db = TestDb::new().await;
    let store = &db.store;
    let mut next_ref = 0u64;
    for history in 0..32u64 {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (history + 1).wrapping_mul(0x1234_5678_9ABC_DEF1));
        let mut people = Vec::new();
        for i in 0..5 {
            people.push(person(store, &format!("h{history}p{i}")).await);
        }
        let communities = [
            community(store, people[0], &format!("H{history} A")).await,
            community(store, people[0], &format!("H{history} B")).await,
        ];
        let mut live: Vec<String> = Vec::new();
        let base = 20_000 * DAY + (history as i64) * 3 * DAY;
        for batch in 0..6 {
            // A batch of inserts (some replies, several on the same day).
            let mut items = Vec::new();
            for _ in 0..rng.below(12) + 1 {
                let author = people[rng.below(people.len())];
                let reply_to = if rng.below(2) == 0 { Some(people[rng.below(people.len())]) } else { None };
                next_ref += 1;
                let source_ref = format!("r{next_ref}");
                live.push(source_ref.clone());
                items.push(NewContribution {
                    person: author,
                    community: communities[rng.below(2)],
                    kind: KINDS[rng.below(KINDS.len())],
                    at: Timestamp(base + (rng.below(4) as i64) * DAY + rng.below(1000) as i64 * 60_000),
                    reply_to,
                    source: "test",
                    source_ref: Some(source_ref),
                });
            }
            store.insert_contributions(&items).await.unwrap();
            assert_rollups_exact(store, &format!("history {history} batch {batch} after inserts")).await;

            // Deletes of single records.
            for _ in 0..rng.below(4) {
                if live.is_empty() {
                    break;
                }
                let r = live.swap_remove(rng.below(live.len()));
                store.execute_raw(&format!("DELETE FROM contributions WHERE source_ref = '{r}'")).await.unwrap();
            }
            assert_rollups_exact(store, &format!("history {history} batch {batch} after deletes")).await;

            // Moves to the other community (what moving a thread does), and
            // other updates: a new day, another kind.
            if !live.is_empty() {
                let picked: Vec<String> =
                    (0..rng.below(5) + 1).map(|_| format!("'{}'", live[rng.below(live.len())])).collect();
                let target = communities[rng.below(2)];
                store
                    .execute_raw(&format!(
                        "UPDATE contributions SET community_id = {} WHERE source_ref IN ({})",
                        target.0,
                        picked.join(", ")
                    ))
                    .await
                    .unwrap();
                let one = &live[rng.below(live.len())];
                store
                    .execute_raw(&format!(
                        "UPDATE contributions SET at = at + {}, kind = '{}' WHERE source_ref = '{one}'",
                        DAY,
                        KINDS[rng.below(KINDS.len())]
                    ))
                    .await
                    .unwrap();
            }
            assert_rollups_exact(store, &format!("history {history} batch {batch} after moves")).await;

            // Now and then a person leaves the organization: their records
            // go (cascade) and replies to them lose their target (set null).
            if batch == 3 && rng.below(2) == 0 {
                let gone = people.swap_remove(1 + rng.below(people.len() - 1));
                store.execute_raw(&format!("DELETE FROM people WHERE id = {}", gone.0)).await.unwrap();
                assert_rollups_exact(store, &format!("history {history} after deleting a person")).await;
            }
        }
        // A full recompute gives the same rows.
        let before = store.list_rollups().await.unwrap();
        let (daily, pairs) = store.rebuild_rollups().await.unwrap();
        let after = store.list_rollups().await.unwrap();
        assert_eq!(before, after, "history {history}: rebuild_rollups equals the incremental rollups");
        assert_eq!((daily as usize, pairs as usize), (after.0.len(), after.1.len()));
    }
}

#[tokio::test]
async fn the_migration_backfills_rollups_from_existing_activity() {
    let db = TestDb::new().await;
    let store = &db.store;
    let ana = person(store, "ana").await;
    let ben = person(store, "ben").await;
    let c = community(store, ana, "Backfill").await;
    let day = 20_400 * DAY;
    let items: Vec<NewContribution> = [
        (ana, "reply", day + 5, Some(ben)),
        (ana, "reply", day + 6, Some(ben)),
        (ana, "thread", day + 7, None),
        (ben, "answer", day + DAY + 1, Some(ana)),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (p, kind, at, reply_to))| NewContribution {
        person: p,
        community: c,
        kind,
        at: Timestamp(at),
        reply_to,
        source: "test",
        source_ref: Some(format!("b{i}")),
    })
    .collect();
    store.insert_contributions(&items).await.unwrap();
    // As a database from before 0006: no rollups, no insight state.
    store
        .execute_raw("DELETE FROM activity_daily; DELETE FROM activity_pairs; DELETE FROM insight_state")
        .await
        .unwrap();
    let migration = MIGRATIONS.iter().find(|m| m.name == "0006_insight").expect("0006 is listed");
    let sql = match store.backend() {
        Backend::Sqlite => migration.sqlite,
        Backend::Postgres => migration.postgres,
    };
    let (_, backfill) = sql.split_once("-- Backfill from the activity already recorded.").expect("a backfill section");
    store.execute_raw(backfill).await.unwrap();

    let (daily, pairs) = store.list_rollups().await.unwrap();
    let d = |person: PersonId, dd: i64, kind: &str, n: i64| DailyRollupRow {
        community_id: c.0,
        day: 20_400 + dd,
        person_id: person.0,
        kind: kind.into(),
        n,
    };
    // Hand-computed: ana replied twice and opened a thread on day 20400; ben
    // answered once the day after.
    assert_eq!(daily, vec![d(ana, 0, "reply", 2), d(ana, 0, "thread", 1), d(ben, 1, "answer", 1)]);
    assert_eq!(
        pairs,
        vec![
            PairRollupRow { community_id: c.0, day: 20_400, person_id: ana.0, other_id: ben.0, n: 2 },
            PairRollupRow { community_id: c.0, day: 20_401, person_id: ben.0, other_id: ana.0, n: 1 },
        ]
    );
    let state = store.find_insight_state(c).await.unwrap().expect("a state row per community");
    assert_eq!(state.checked_version, 0, "never checked: the worker picks it up");
    assert!(store.list_insight_due(Timestamp::now(), 10).await.unwrap().iter().any(|r| r.community_id == c.0));
}
