//! Every metric of one community at `now` from its daily rollup: 5,000
//! people (members), 1,000,000 `DailyCount` rows over two years (person
//! activity skewed: a few people contribute a lot), 200 sessions, 5,000
//! questions. Measures `metrics::compute` end to end (the rollup is read
//! once, rows outside the shown periods skipped, one sort of the rest).

use copse_insight::activity::{
    CommunityInput, ContributionKind, DAY_MS, DailyCount, Membership, Occurrence, PersonInfo, Question,
};
use copse_insight::metrics::{compute, days_from_civil};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

const PEOPLE: i64 = 5_000;
const ROWS: usize = 1_000_000;
const DAYS: i64 = 730;

const KINDS: [ContributionKind; 9] = [
    ContributionKind::Reply,
    ContributionKind::Answer,
    ContributionKind::Question,
    ContributionKind::Thread,
    ContributionKind::Review,
    ContributionKind::Commit,
    ContributionKind::Message,
    ContributionKind::Rsvp,
    ContributionKind::ArtifactVersion,
];
const ZONES: [&str; 5] = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"];

/// A linear congruential generator: the same community on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// Skewed towards small values, as activity per person is.
    fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

fn community() -> CommunityInput {
    let now = days_from_civil(2026, 11, 25) * DAY_MS + 12 * 3_600_000;
    let first_day = now / DAY_MS - DAYS;
    let mut rng = Lcg(7);
    let mut input = CommunityInput::empty(1, now);
    input.people = (1..=PEOPLE)
        .map(|id| PersonInfo {
            id,
            handle: format!("p{id}"),
            name: format!("Person {id}"),
            team: format!("team-{}", id % 40),
            location: format!("site-{}", id % 12),
            experience: ["junior", "mid", "senior", "staff"][(id % 4) as usize].to_string(),
            time_zone: if id % 17 == 0 { None } else { Some(ZONES[(id % 5) as usize].to_string()) },
            work_start_minute: 540,
            work_end_minute: 1020,
        })
        .collect();
    input.memberships = (1..=PEOPLE)
        .map(|person| Membership {
            person,
            joined_at: now - (rng.below(3 * DAYS as u64) as i64) * DAY_MS,
            active: rng.below(10) > 0,
            facilitator: person <= 10,
        })
        .collect();
    input.activity = (0..ROWS)
        .map(|_| DailyCount {
            day: first_day + rng.below(DAYS as u64) as i64,
            person: 1 + rng.skewed(PEOPLE as u64) as i64,
            kind: KINDS[rng.below(KINDS.len() as u64) as usize],
            count: 1 + rng.below(3) as i64,
        })
        .collect();
    input.activity.sort_by_key(|r| r.day);
    input.occurrences = (0..200)
        .map(|i| {
            let start = now - (200 - i) * 3 * DAY_MS - 8 * 3_600_000;
            let going: Vec<i64> = (0..30).map(|_| 1 + rng.below(PEOPLE as u64) as i64).collect();
            let attended = going.iter().copied().filter(|_| rng.below(3) > 0).collect();
            Occurrence {
                event: i,
                title: format!("Session {i}"),
                start,
                time_zone: "Europe/Berlin".into(),
                local_start_minute: 17 * 60,
                format: "remote".into(),
                facilitator: Some(1 + rng.below(10) as i64),
                going,
                attended,
                recorded: false,
            }
        })
        .collect();
    input.questions = (0..5_000)
        .map(|i| {
            let created_at = now - rng.below((DAYS * DAY_MS) as u64) as i64;
            let answered = rng.below(4) > 0;
            Question {
                thread: i,
                title: format!("Question {i}"),
                asker: Some(1 + rng.below(PEOPLE as u64) as i64),
                created_at,
                first_response_at: answered.then(|| created_at + rng.below(48 * 3_600_000) as i64),
                accepted_at: (answered && rng.below(2) == 0).then(|| created_at + rng.below(96 * 3_600_000) as i64),
                tags: Vec::new(),
            }
        })
        .collect();
    input
}

fn bench_metrics(c: &mut Criterion) {
    let input = community();
    let started = Instant::now();
    let metrics = compute(&input);
    println!(
        "metrics::compute over {} rollup rows, {} people: {:.1} ms (one run; {} active in the last month)",
        input.activity.len(),
        PEOPLE,
        started.elapsed().as_secs_f64() * 1000.0,
        metrics.months.last().map_or(0, |m| m.active_participants),
    );
    let mut group = c.benchmark_group("metrics");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("compute 1M daily rows 5000 people 2 years", |b| b.iter(|| compute(black_box(&input))));
    group.finish();
}

criterion_group!(benches, bench_metrics);
criterion_main!(benches);
