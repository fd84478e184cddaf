//! Mentor matching at organization scale: 10,000 people, 2,500 mentors
//! (1 to 3 free slots, 2 to 5 offered skills out of 60 at mixed levels) and
//! 7,500 mentees (1 to 3 wanted skills), 40 teams, 12 locations whose UTC
//! offsets spread working hours round the clock. Measures `match_mentors`
//! end to end: preparing profiles, scoring compatible pairs, pruning and
//! the exact assignment.

use copse_domain::SkillLevel;
use copse_insight::matching::{MatchOptions, MenteeProfile, MentorProfile, match_mentors};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

/// Locations with their UTC offsets in minutes (India's half hour included).
const LOCATIONS: [(&str, i32); 12] = [
    ("San Francisco", -480),
    ("Denver", -420),
    ("Chicago", -360),
    ("New York", -300),
    ("Sao Paulo", -180),
    ("London", 0),
    ("Berlin", 60),
    ("Nairobi", 180),
    ("Dubai", 240),
    ("Bangalore", 330),
    ("Singapore", 480),
    ("Sydney", 600),
];

/// A linear congruential generator: the same people on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }

    /// Skewed towards small values, as skill popularity is.
    fn skewed(&mut self, n: u32) -> u32 {
        self.below(n).min(self.below(n))
    }

    fn skill(&mut self) -> String {
        format!("skill-{:02}", self.skewed(60))
    }

    fn interests(&mut self) -> Vec<String> {
        (0..self.below(5)).map(|_| format!("interest-{:02}", self.skewed(30))).collect()
    }

    /// Team, location and working hours (local 07:00 to 10:30 start, 7 to
    /// 9 hours long) as minutes after UTC midnight.
    fn place(&mut self) -> (String, String, (i32, i32)) {
        let team = format!("Team {:02}", self.below(40));
        let (location, offset) = LOCATIONS[self.skewed(12) as usize];
        let start = (7 * 60 + self.below(8) as i32 * 30 - offset).rem_euclid(1440);
        let length = 7 * 60 + self.below(5) as i32 * 30;
        (team, location.to_string(), (start, start + length))
    }
}

fn people() -> (Vec<MentorProfile>, Vec<MenteeProfile>) {
    let mut rng = Lcg(0x05ee_d0fc_095e);
    let mentors = (1..=2_500)
        .map(|person_id| {
            let (team, location, work_utc) = rng.place();
            let skills = (0..2 + rng.below(4))
                .map(|_| {
                    let level = match rng.below(10) {
                        0..=1 => SkillLevel::Learning,
                        2..=6 => SkillLevel::Practitioner,
                        _ => SkillLevel::Expert,
                    };
                    (rng.skill(), level)
                })
                .collect();
            let interests = rng.interests();
            MentorProfile { person_id, team, location, work_utc, skills, interests, free_slots: 1 + rng.below(3) }
        })
        .collect();
    let mentees = (2_501..=10_000)
        .map(|person_id| {
            let (team, location, work_utc) = rng.place();
            let wanted_skills = (0..1 + rng.below(3)).map(|_| rng.skill()).collect();
            let interests = rng.interests();
            MenteeProfile { person_id, team, location, work_utc, wanted_skills, interests }
        })
        .collect();
    (mentors, mentees)
}

fn bench_matching(c: &mut Criterion) {
    let (mentors, mentees) = people();
    let options = MatchOptions::default();
    let mut group = c.benchmark_group("matching");
    // A quarter of a second or so per run: ten samples over ten seconds keep
    // the run short and free of "unable to complete" warnings.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("match_mentors 2500 mentors 7500 mentees", |b| {
        b.iter(|| match_mentors(black_box(&mentors), black_box(&mentees), black_box(&options)))
    });
    group.finish();
}

criterion_group!(benches, bench_matching);
criterion_main!(benches);
