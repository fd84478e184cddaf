//! Activity at scale, for the insight benchmarks: tops a generated
//! organization's activity record up to a total number of rows (millions),
//! spread over the last two years across the members of its communities.
//!
//! Heavy-tailed the way real communities are: each person has a Pareto
//! weight and each membership an engagement tier (most members lurk), so a
//! few people do much of the work. Kinds are mixed (replies, answers,
//! questions, threads, attendance, RSVPs, artifact versions, reviews, ...);
//! replies, answers, reviews and kudos are aimed at another member of the
//! same community. Deterministic for a given database (seeded; times are
//! offsets from the real clock so "the last 90 days" always has activity).
//! Generated and inserted in chunks, so memory stays bounded whatever the
//! total; the rollup triggers run for every row.

use std::time::Instant;

use copse_domain::{CommunityId, PersonId, Timestamp};
use copse_store::NewContribution;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::demo::Progress;
use crate::{App, AppError};

const ACTIVITY_SEED: u64 = 0x4143_5449_5649_5459;
const DAY: i64 = 86_400_000;
/// How far back the activity goes.
const SPAN: i64 = 730 * DAY;
/// Rows generated and inserted per transaction.
const CHUNK: usize = 25_000;

/// Kinds with their weights: conversation dominates, then showing up.
const KINDS: &[(&str, u32)] = &[
    ("reply", 28),
    ("answer", 10),
    ("question", 7),
    ("thread", 5),
    ("accepted-answer", 2),
    ("review", 4),
    ("attendance", 12),
    ("rsvp", 10),
    ("artifact-version", 4),
    ("artifact-reuse", 2),
    ("kudos", 6),
    ("message", 6),
    ("commit", 3),
    ("facilitation", 1),
];

/// Engagement tiers of a membership: (weight factor, share in percent).
/// Most members lurk, some take part now and then, a few are engaged.
const TIERS: &[(f64, u32)] = &[(0.02, 55), (0.3, 30), (1.0, 15)];

/// What [`generate_activity`] did.
#[derive(Debug, Clone, Copy)]
pub struct ActivitySummary {
    /// Rows added by this call.
    pub inserted: u64,
    /// Rows in the activity record afterwards.
    pub total: u64,
    /// Wall time of generating and inserting them.
    pub seconds: f64,
}

impl ActivitySummary {
    /// Rows inserted per second (0 when nothing was inserted).
    pub fn rate(&self) -> f64 {
        if self.seconds > 0.0 { self.inserted as f64 / self.seconds } else { 0.0 }
    }
}

/// Whether a contribution of this kind is aimed at someone else.
fn aims_at_someone(kind: &str) -> bool {
    matches!(kind, "reply" | "answer" | "accepted-answer" | "review" | "kudos")
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total.max(1));
    for &(item, weight) in items {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    items[items.len() - 1].0
}

/// The membership chosen by a weighted draw over the cumulative weights.
fn sample(rng: &mut StdRng, cdf: &[f64]) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let roll = rng.r#gen::<f64>() * total;
    cdf.partition_point(|&c| c <= roll).min(cdf.len().saturating_sub(1))
}

/// Adds activity records until the record holds `total` rows (nothing when
/// it holds that many already). Needs active memberships to place them.
pub async fn generate_activity(app: &App, total: u64, progress: Progress<'_>) -> Result<ActivitySummary, AppError> {
    let store = app.store();
    let existing = u64::try_from(store.count_contributions().await?).unwrap_or(0);
    if existing >= total {
        return Ok(ActivitySummary { inserted: 0, total: existing, seconds: 0.0 });
    }
    let memberships = store.list_active_memberships().await?;
    if memberships.is_empty() {
        return Err(AppError::invalid("contributions", "generate people and communities first: no active memberships"));
    }
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(ACTIVITY_SEED);
    let now = Timestamp::now().millis();
    let start = now - SPAN;

    // Each person's weight (Pareto, alpha 1.16: roughly 80/20), shared by
    // their memberships; each membership an engagement tier; and activity at
    // a steady rate over the membership's time within the span.
    let mut person_weight = std::collections::HashMap::new();
    let mut cdf = Vec::with_capacity(memberships.len());
    // (start, end) of each community's rows in `memberships`, for replies.
    let mut range_of = std::collections::HashMap::new();
    let mut running = 0.0;
    for (i, m) in memberships.iter().enumerate() {
        let weight = *person_weight
            .entry(m.person_id)
            .or_insert_with(|| (1.0 - rng.r#gen::<f64>()).powf(-1.0 / 1.16).min(1000.0));
        let tier = pick(&mut rng, TIERS);
        let from = m.joined_at.max(start).min(now);
        running += weight * tier * ((now - from) as f64 / SPAN as f64);
        cdf.push(running);
        range_of.entry(m.community_id).and_modify(|r: &mut (usize, usize)| r.1 = i + 1).or_insert((i, i + 1));
    }
    if running <= 0.0 {
        return Err(AppError::invalid("contributions", "every membership starts now: nowhere to place activity"));
    }

    let need = total - existing;
    let mut written = 0u64;
    let mut inserted = 0u64;
    progress("activity", 0, need);
    while written < need {
        let size = (need - written).min(CHUNK as u64) as usize;
        let mut batch = Vec::with_capacity(size);
        for k in 0..size {
            let m = &memberships[sample(&mut rng, &cdf)];
            let kind = pick(&mut rng, KINDS);
            let from = m.joined_at.max(start).min(now);
            // Uniform over the member's time, a little more towards now.
            let at = from + (((now - from - 1).max(0) as f64) * rng.r#gen::<f64>().powf(0.85)) as i64;
            let reply_to = if aims_at_someone(kind) {
                let (low, high) = range_of.get(&m.community_id).copied().unwrap_or((0, 0));
                // Another member of the same community: a few tries, as a
                // community may have only this one member.
                (0..3)
                    .map(|_| memberships[rng.gen_range(low..high.max(low + 1))].person_id)
                    .find(|&other| other != m.person_id)
                    .map(PersonId)
            } else {
                None
            };
            batch.push(NewContribution {
                person: PersonId(m.person_id),
                community: CommunityId(m.community_id),
                kind,
                at: Timestamp(at),
                reply_to,
                source: "bench",
                source_ref: Some(format!("activity:{}", written + k as u64 + 1)),
            });
        }
        inserted += store.insert_contributions_bulk(&batch).await?;
        written += size as u64;
        progress("activity", written, need);
    }
    Ok(ActivitySummary { inserted, total: existing + inserted, seconds: started.elapsed().as_secs_f64() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppConfig;
    use copse_testkit::TestDb;

    fn quiet(_: &str, _: u64, _: u64) {}

    #[tokio::test]
    async fn tops_the_record_up_to_the_total_with_rollups_kept_and_replies_within_the_community() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
        crate::demo::generate_scale(&app, 200, &quiet).await.unwrap();
        let store = app.store();
        let before = store.count_contributions().await.unwrap() as u64;
        let target = before + 2 * CHUNK as u64 + 777;
        let summary = generate_activity(&app, target, &quiet).await.unwrap();
        assert_eq!(summary.inserted, target - before);
        assert_eq!(summary.total, target);
        assert_eq!(store.count_contributions().await.unwrap() as u64, target);
        // Already there: nothing more.
        let again = generate_activity(&app, target - 1, &quiet).await.unwrap();
        assert_eq!(again.inserted, 0);

        // The triggers kept the rollups exact through the bulk insert.
        let (daily, pairs) = store.list_rollups().await.unwrap();
        let (want_daily, want_pairs) = store.rollups_from_contributions().await.unwrap();
        let key = |r: &copse_store::DailyRollupRow| (r.community_id, r.day, r.person_id, r.kind.clone(), r.n);
        assert_eq!(daily.iter().map(key).collect::<Vec<_>>(), want_daily.iter().map(key).collect::<Vec<_>>());
        assert_eq!(pairs.len(), want_pairs.len());
        assert!(!pairs.is_empty());

        // Heavy-tailed: the busiest tenth of the people make well over a
        // third of it (evenly spread activity would give them about 10 %).
        let mut per_person = std::collections::HashMap::new();
        for row in &daily {
            *per_person.entry(row.person_id).or_insert(0i64) += row.n;
        }
        let mut counts: Vec<i64> = per_person.into_values().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let all: i64 = counts.iter().sum();
        let top: i64 = counts.iter().take(counts.len().div_ceil(10)).sum();
        assert!(top * 5 > all * 2, "top decile {top} of {all}");
        assert_eq!(all as u64, target);

        // Replies go to another active member of the same community.
        let members: std::collections::HashSet<(i64, i64)> =
            store.list_active_memberships().await.unwrap().iter().map(|m| (m.community_id, m.person_id)).collect();
        for pair in &pairs {
            assert_ne!(pair.person_id, pair.other_id);
            assert!(members.contains(&(pair.community_id, pair.other_id)), "{pair:?}");
        }

        // Within the last two years, none in the future.
        let today = Timestamp::now().millis().div_euclid(DAY);
        assert!(daily.iter().all(|r| r.day <= today && r.day >= today - SPAN / DAY - 1));
    }
}
