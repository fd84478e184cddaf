//! Expanding 10,000 recurring series over one year, the work behind a busy
//! organization's calendars: weekly, fortnightly and monthly rules in six
//! time zones, each series started some years ago.
//!
//! cargo bench -p copse-domain --bench recurrence

use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};
use copse_domain::recurrence::{Recurrence, SeriesTiming, expand};
use criterion::{Criterion, criterion_group, criterion_main};

const ZONES: [chrono_tz::Tz; 6] = [
    chrono_tz::Europe::Berlin,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::America::Los_Angeles,
    chrono_tz::Asia::Kolkata,
    chrono_tz::Australia::Sydney,
];

fn series(n: usize) -> Vec<SeriesTiming> {
    let rules = [
        ("FREQ=WEEKLY;BYDAY=TH", 3),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", 1),
        ("FREQ=MONTHLY;BYDAY=1MO", 6),
        ("FREQ=WEEKLY;BYDAY=MO,WE", 0),
    ];
    let mut state: u64 = 0x5eed;
    (0..n)
        .map(|i| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let (rule, days_after_monday) = rules[i % rules.len()];
            // A date on the rule's weekday, 0 to 5 years before 2026.
            let weeks_back = (state >> 33) % 260;
            let monday = NaiveDate::from_ymd_opt(2025, 12, 29).unwrap() - chrono::Duration::weeks(weeks_back as i64);
            let mut start = monday + chrono::Duration::days(days_after_monday);
            if rule.starts_with("FREQ=MONTHLY") {
                // The first Monday of that month.
                start = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap();
                while start.weekday() != Weekday::Mon {
                    start += chrono::Duration::days(1);
                }
            }
            SeriesTiming {
                start_local: start.and_hms_opt(9 + (i % 9) as u32, 0, 0).unwrap(),
                zone: ZONES[i % ZONES.len()],
                duration_minutes: 60,
                recurrence: Some(Recurrence::parse(rule).expect("valid rule")),
                excluded: Vec::new(),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let all = series(10_000);
    let from = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let total: usize = all.iter().map(|s| expand(s, from, to, 1_000).len()).sum();
    eprintln!("10,000 series expand to {total} occurrences in 2026");
    let mut group = c.benchmark_group("recurrence");
    group.sample_size(10);
    group.bench_function("expand 10,000 series over one year", |b| {
        b.iter(|| all.iter().map(|s| expand(s, from, to, 1_000).len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
