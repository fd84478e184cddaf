//! The meeting-time planner over a large community: 5,000 members in 30 real
//! IANA zones with varied working hours, 30-minute grid, Monday to Thursday,
//! up to four slots.

use chrono::NaiveDate;
use chrono_tz::Tz;
use copse_domain::{PersonId, WorkingHours};
use copse_insight::planner::{MemberAvailability, PlannerOptions, candidate_slots, propose_rotation, region_of_zone};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const ZONES: [Tz; 30] = [
    Tz::America__Los_Angeles,
    Tz::America__Denver,
    Tz::America__Chicago,
    Tz::America__New_York,
    Tz::America__Toronto,
    Tz::America__Mexico_City,
    Tz::America__Bogota,
    Tz::America__Sao_Paulo,
    Tz::America__Argentina__Buenos_Aires,
    Tz::Europe__London,
    Tz::Europe__Dublin,
    Tz::Europe__Lisbon,
    Tz::Europe__Paris,
    Tz::Europe__Berlin,
    Tz::Europe__Warsaw,
    Tz::Europe__Helsinki,
    Tz::Europe__Istanbul,
    Tz::Africa__Lagos,
    Tz::Africa__Nairobi,
    Tz::Africa__Johannesburg,
    Tz::Asia__Dubai,
    Tz::Asia__Kolkata,
    Tz::Asia__Singapore,
    Tz::Asia__Shanghai,
    Tz::Asia__Tokyo,
    Tz::Asia__Seoul,
    Tz::Australia__Perth,
    Tz::Australia__Sydney,
    Tz::Pacific__Auckland,
    Tz::America__Vancouver,
];

/// Deterministic members: a linear congruential generator picks the zone
/// (skewed towards the first zones, as real organizations are) and the
/// working hours (start 06:00 to 11:30 in half hours, 6 to 9 hours long;
/// a few night shifts).
fn community(size: usize) -> Vec<MemberAvailability> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u32
    };
    (0..size)
        .map(|i| {
            let a = next() as usize % ZONES.len();
            let b = next() as usize % ZONES.len();
            let zone = ZONES[a.min(b)];
            let night = next() % 50 == 0;
            let start: u16 = if night { 22 * 60 } else { 6 * 60 + (next() % 12) as u16 * 30 };
            let length: u16 = 6 * 60 + (next() % 7) as u16 * 30;
            let end = (start + length) % (24 * 60);
            MemberAvailability {
                person: PersonId(i as i64 + 1),
                zone,
                working_hours: WorkingHours { start_minute: start, end_minute: end },
                region: region_of_zone(zone).to_owned(),
            }
        })
        .collect()
}

fn bench_planner(c: &mut Criterion) {
    let members = community(5_000);
    let options = PlannerOptions::for_week(NaiveDate::from_ymd_opt(2026, 3, 18).expect("valid date"));
    let proposal = propose_rotation(&members, &options);
    eprintln!(
        "proposal: {:?}, coverage {:.3}, worst region {:.3}, exact {}",
        proposal.slots.iter().map(|s| s.label()).collect::<Vec<_>>(),
        proposal.coverage,
        proposal.worst_region_share,
        proposal.exact
    );
    c.bench_function("propose_rotation 5000 members 30 zones", |b| {
        b.iter(|| propose_rotation(black_box(&members), black_box(&options)))
    });
    c.bench_function("candidate_slots 5000 members 30 zones", |b| {
        b.iter(|| candidate_slots(black_box(&members), black_box(&options)))
    });
}

criterion_group!(benches, bench_planner);
criterion_main!(benches);
