//! Demo data for measurement (issue 6): communities shaped so that each of
//! the six challenges shows in at least one of them, one healthy community
//! with no alert, and value stories in every cycle.
//!
//! What the rest of the demo already gives, and what this adds on top:
//! - **Rust Guild, the healthy one**: active, well attended, sponsored with
//!   time allocated. Added: recent threads on its charter's topics (one with
//!   a tag new to the guild) answered by many different members, and a
//!   facilitation rota over the last sessions, with recordings.
//! - **Performance Guild, dominance**: three experts answer a run of recent
//!   questions from members who never answer, and one person has facilitated
//!   every profiling lab.
//! - **Kubernetes & Platform, remote barriers**: its weekly office hours are
//!   at 09:00 in San Francisco, the middle of the night in Sydney and late
//!   evening in Bangalore; people in the Americas and Europe come (about
//!   60 %), Asia-Pacific members far less, and no session is recorded.
//! - **Data Science Circle, scope creep**: recent threads about data
//!   platform operations and analytics requests, both out of its charter.
//! - **Architects' Forum, stagnation**: a busy spring of decision-record
//!   reviews (the 90 days before the last 90), far quieter since.
//! - **Green Software, low participation**: a hundred people joined after a
//!   sustainability week and never took part; the fortnightly lunch & learn
//!   draws one or two people.
//! - **Accessibility Guild, lack of management support**: no sponsor (set by
//!   the organization demo).
//! - SRE Practice and Security Champions share facilitation too, so the
//!   healthy side of the portfolio is not the Rust Guild alone.
//!
//! Like the rest of the demo, dates are offsets before the real now and every
//! choice comes from a fixed seed; writes go through the store as real use
//! does (threads with their activity record, RSVPs, attendance, facilitation).

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use copse_domain::recurrence::{SeriesTiming, expand};
use copse_domain::{
    CommunityId, EventDraft, EventInput, MembershipRole, MembershipStatus, PersonId, Timestamp, local_key,
};
use copse_store::{
    BulkPost, BulkThread, FacilitationAssignment, LoadOptions, MemberRow, MembershipChange, NewContribution,
    NewValueStory, RsvpChange, Store,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::{App, AppError};

const SEED: u64 = 0x494e_5349_4748_5453;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let store = app.store();
    let now = Timestamp::now().millis();
    let mut rng = StdRng::seed_from_u64(SEED);
    healthy_rust_guild(store, &mut rng, now).await?;
    dominated_performance_guild(store, &mut rng, now).await?;
    remote_barriers_kubernetes(store, &mut rng, now).await?;
    scope_creep_data_science(store, &mut rng, now).await?;
    stagnating_architects(store, &mut rng, now).await?;
    quiet_green_software(store, &mut rng, now).await?;
    shared_facilitation(store, now).await?;
    value_stories(store, now).await?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "demo measurement data loaded");
    Ok(())
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

/// A demo community as loaded so far: its id and active members, most
/// active (in the last 90 days) first.
struct Loaded {
    id: CommunityId,
    members: Vec<MemberRow>,
}

impl Loaded {
    fn person(&self, index: usize) -> PersonId {
        PersonId(self.members[index % self.members.len()].person_id)
    }
}

async fn community(store: &Store, slug: &str, now: i64) -> Result<Option<Loaded>, AppError> {
    let Some(row) = store.find_community_for_viewer(slug, None).await? else { return Ok(None) };
    let id = CommunityId(row.community.id);
    let members = store.list_members(id, MembershipStatus::Active, Timestamp(now).minus_days(90), 1_000).await?;
    if members.len() < 6 {
        return Ok(None);
    }
    Ok(Some(Loaded { id, members }))
}

/// A session that has started: (event, occurrence key, start in ms).
struct Session {
    event: i64,
    key: String,
    start: i64,
}

/// The started, not cancelled occurrences of a community's series since
/// `since`, oldest first.
async fn past_sessions(store: &Store, community: CommunityId, since: i64, now: i64) -> Result<Vec<Session>, AppError> {
    let mut sessions = Vec::new();
    let from = utc(since);
    let to = utc(now);
    for row in store.list_community_events(community, Timestamp(since), Timestamp(now)).await? {
        if row.status == "cancelled" {
            continue;
        }
        let view = crate::events::event_view(&row, "", "");
        let cancelled: HashSet<String> = store
            .list_event_exceptions(row.id)
            .await?
            .into_iter()
            .filter(|x| x.cancelled != 0)
            .map(|x| x.original_start_local)
            .collect();
        let timing = SeriesTiming {
            start_local: view.start_local,
            zone: view.zone.0,
            duration_minutes: view.duration_minutes,
            recurrence: view.recurrence.clone(),
            excluded: Vec::new(),
        };
        for occurrence in expand(&timing, from, to, 500) {
            let key = local_key(occurrence.original_start_local);
            if occurrence.start < to && !cancelled.contains(&key) {
                sessions.push(Session { event: row.id, key, start: Timestamp::from(occurrence.start).millis() });
            }
        }
    }
    sessions.sort_by_key(|s| s.start);
    Ok(sessions)
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// A hand-written thread for this part of the demo.
struct Topic<'a> {
    question: bool,
    title: &'a str,
    tags: &'a [&'a str],
    body: &'a str,
    replies: &'a [&'a str],
}

/// A thread started `days_ago` by `author`, replied to by `responders` in
/// turn (a reply every few hours), the first reply accepted for questions.
fn thread(
    community: CommunityId,
    topic: &Topic,
    author: PersonId,
    responders: &[PersonId],
    started: i64,
    rng: &mut StdRng,
    now: i64,
) -> BulkThread {
    let mut at = started;
    let mut posts = vec![BulkPost { author: Some(author), body: topic.body.to_string(), at }];
    for (reply, by) in topic.replies.iter().zip(responders.iter().cycle()) {
        at += rng.gen_range(25 * MINUTE..9 * HOUR);
        if at >= now - MINUTE {
            break;
        }
        posts.push(BulkPost { author: Some(*by), body: (*reply).to_string(), at });
    }
    let accepted = (topic.question && posts.len() > 1 && posts[1].author != Some(author))
        .then(|| (1, posts[1].at + rng.gen_range(HOUR..20 * HOUR)))
        .filter(|(_, at)| *at < now);
    BulkThread {
        community,
        kind: if topic.question { "question" } else { "discussion" },
        title: topic.title.to_string(),
        author: Some(author),
        tags: topic.tags.iter().map(|t| t.to_string()).collect(),
        pinned: false,
        locked: false,
        proposal_status: None,
        posts,
        accepted,
    }
}

async fn load_threads(store: &Store, threads: Vec<BulkThread>) -> Result<(), AppError> {
    let mut threads = threads;
    threads.sort_by_key(|t| t.posts.first().map_or(0, |p| p.at));
    store.load_threads(&threads, LoadOptions { contributions: true, post_ids: false }).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Rust Guild: the healthy community.
// ---------------------------------------------------------------------------

const RUST_TOPICS: &[Topic<'static>] = &[
    Topic {
        question: true,
        title: "JoinSet: cancel the remaining tasks on the first error?",
        tags: &["async", "tokio"],
        body: "I spawn one task per shard into a `JoinSet`. When one fails I want the others stopped and the error \
               returned. Is dropping the set enough, or do I need `abort_all` first?",
        replies: &[
            "Dropping the `JoinSet` aborts everything still in it, so `while let Some(r) = set.join_next().await { r??; }` \
             and an early return does exactly that. Call `abort_all` only if you keep the set around.",
            "Watch out for tasks holding a connection from the pool: aborted at an `.await`, the connection goes back \
             dirty. We wrap the critical section in `tokio::task::spawn_blocking`-free code and it is fine.",
            "We wrote this up in the service template's `shutdown.rs`, worth a look.",
        ],
    },
    Topic {
        question: true,
        title: "sccache hit rate dropped after the CI runner upgrade",
        tags: &["ci", "sccache", "build"],
        body: "Since the runners moved to the new image our sccache hit rate went from ~85% to ~20% and builds take 14 \
               minutes again. Anyone else?",
        replies: &[
            "The new image sets `CARGO_INCREMENTAL=1`; sccache refuses incremental builds. Set it to 0 in the CI env.",
            "Also check `RUSTFLAGS`: the image adds `-C target-cpu=native`, which changes the cache key per machine.",
            "Both fixed on our pipeline, hit rate back at 83%. Thanks!",
        ],
    },
    Topic {
        question: false,
        title: "Style guide: an error handling chapter (thiserror at crate boundaries)",
        tags: &["error", "api"],
        body: "Draft for the style guide: libraries expose `thiserror` enums, binaries use `anyhow` with context, \
               never `Box<dyn Error>` in public APIs. Comments before Friday's clinic?",
        replies: &[
            "+1. Could we add a rule on `#[non_exhaustive]` for public error enums?",
            "Please include an example of mapping errors to HTTP status codes, that is where new people struggle.",
            "Agree with both; I'll add a section on logging an error exactly once.",
        ],
    },
    Topic {
        question: true,
        title: "Second reviewer wanted: unsafe in the ring buffer crate",
        tags: &["unsafe", "review"],
        body: "The lock-free ring buffer in `nw-queue` has two `unsafe` blocks around `MaybeUninit`. Miri passes; I'd \
               still like a second pair of eyes before we publish 1.0.",
        replies: &[
            "Had a look: the `Drop` impl reads slots between head and tail, but `head` is loaded with `Relaxed`. It \
             should be `Acquire` to pair with the producer's `Release`.",
            "Also add a loom test for the wrap-around; I can pair on it Thursday.",
        ],
    },
    Topic {
        question: true,
        title: "Service template: adding a gRPC health check",
        tags: &["templates", "grpc"],
        body: "The template ships an HTTP `/health`. Our service is gRPC-only; what is the blessed way to expose the \
               standard health service?",
        replies: &[
            "`tonic-health` plugs straight into the template's router; there is a feature flag `grpc` in the template \
             since v0.9 that wires it up.",
            "And register the reporter with the readiness probe so Kubernetes sees NOT_SERVING during startup.",
        ],
    },
    Topic {
        question: false,
        title: "Onboarding: what helped you ship your first Rust change?",
        tags: &["onboarding"],
        body: "We are revising the first-week path for new Rust developers. What helped you most, what slowed you down?",
        replies: &[
            "Pairing on a real bug on day two. The book chapters on lifetimes made more sense after that.",
            "The template's README was great; the internal registry setup was the slowest part.",
            "A list of 'good first issues' across our crates would have saved me a day.",
            "Clippy in the editor from the start. It teaches idioms better than any doc.",
        ],
    },
    Topic {
        question: true,
        title: "Is read_exact cancellation safe inside tokio::select!?",
        tags: &["async", "tokio"],
        body: "I have `select!` over a shutdown signal and `reader.read_exact(&mut buf)`. Can I lose bytes if the \
               shutdown branch wins?",
        replies: &[
            "Yes, `read_exact` is not cancellation safe: partial reads are lost. Use a framed codec or keep the \
             future pinned outside the loop.",
            "The tokio docs list cancellation safety per method now; `read` is safe, `read_exact` is not.",
        ],
    },
    Topic {
        question: true,
        title: "Splitting the workspace to cut incremental build times",
        tags: &["build", "ci"],
        body: "Our monorepo crate takes 90 s to rebuild after a one-line change. Is splitting into smaller crates worth \
               it?",
        replies: &[
            "It was for us: 90 s to 20 s by moving the generated protobuf code into its own crate.",
            "Measure first with `cargo build --timings`; in our case one proc-macro dominated.",
            "Also try the `mold` linker before restructuring anything.",
        ],
    },
    Topic {
        question: false,
        title: "Migrating the notification service to the template: notes",
        tags: &["templates", "async"],
        body: "We moved the notification service onto the service template last month. Notes on what changed and what \
               we would do differently.",
        replies: &[
            "Thanks for writing this up. The part about graceful shutdown is exactly what we need next.",
            "Could this become a how-to in the practice repository?",
        ],
    },
    Topic {
        question: true,
        title: "API design: impl Trait or Box<dyn Trait> in public crate APIs?",
        tags: &["api"],
        body: "For `nw-storage` we return iterators from a trait. `impl Trait` in traits is stable now; any reason to \
               keep boxing?",
        replies: &[
            "Return-position `impl Trait` in traits is not object safe, so if anyone stores `dyn Storage` you still \
             need the boxed variant.",
            "We keep a boxed adapter behind a small extension trait; best of both.",
        ],
    },
];

/// Recent threads on the charter's topics answered by many different
/// members, and a facilitation rota with recordings.
async fn healthy_rust_guild(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(guild) = community(store, "rust-guild", now).await? else { return Ok(()) };
    // Askers and responders from the middle of the guild, not its busiest few.
    let middle: Vec<PersonId> = guild.members.iter().skip(6).take(30).map(|m| PersonId(m.person_id)).collect();
    if middle.len() < 12 {
        return Ok(());
    }
    let mut threads = Vec::new();
    for (i, topic) in RUST_TOPICS.iter().enumerate() {
        let author = middle[(i * 7) % middle.len()];
        let responders: Vec<PersonId> =
            (0..4).map(|k| middle[(i * 3 + k * 5 + 1) % middle.len()]).filter(|p| *p != author).collect();
        let started = now - (6 + i as i64 * 8) * DAY - rng.gen_range(0..DAY);
        threads.push(thread(guild.id, topic, author, &responders, started, rng, now));
    }
    load_threads(store, threads).await?;

    // The last ten sessions, facilitated in turn by four people (the lead
    // among them), recorded.
    rotate_facilitation(store, &guild, &[0, 2, 4, 7], Some("rust-clinic"), now).await
}

/// Facilitation in turn over the last ten sessions (members at these
/// places in the activity ranking), each with notes and a recording.
async fn rotate_facilitation(
    store: &Store,
    loaded: &Loaded,
    rota: &[usize],
    recordings: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    let sessions = past_sessions(store, loaded.id, now - 200 * DAY, now).await?;
    let rota: Vec<PersonId> = rota.iter().map(|&i| loaded.person(i)).collect();
    let start = sessions.len().saturating_sub(10);
    for (k, session) in sessions[start..].iter().enumerate() {
        let person = rota[k % rota.len()];
        store
            .assign_facilitator(&FacilitationAssignment {
                event: session.event,
                occurrence: &session.key,
                community: loaded.id,
                person,
                session_start: Timestamp(session.start),
                actor: Some(rota[0]),
                at: Timestamp(session.start - 7 * DAY),
            })
            .await?;
        let Some(recordings) = recordings else { continue };
        store
            .set_occurrence_notes(
                session.event,
                &session.key,
                "Notes and the recording are linked for everyone who could not join live.",
                &format!("https://video.northwind.example/{recordings}/{}", session.key.replace(':', "")),
                Some(person),
            )
            .await?;
    }
    Ok(())
}

/// Two more communities that share facilitation and record their sessions,
/// so the demo's healthy side is not one community alone; the others share
/// facilitation too (a single organizer for every session is the dominance
/// the Performance Guild shows, and the demo should show it once, not
/// everywhere).
async fn shared_facilitation(store: &Store, now: i64) -> Result<(), AppError> {
    for (slug, rota, recordings) in
        [("sre-practice", [0, 1, 3], "incident-review"), ("security-champions", [0, 2, 1], "threat-modelling")]
    {
        if let Some(loaded) = community(store, slug, now).await? {
            rotate_facilitation(store, &loaded, &rota, Some(recordings), now).await?;
        }
    }
    for slug in [
        "kubernetes-platform",
        "frontend-craft",
        "architects-forum",
        "qa-test-engineering",
        "data-science-circle",
        "agile-coaching-network",
        "payments-domain",
        "accessibility-guild",
        "green-software",
        "staff-engineers",
        "mobile-guild",
        "privacy-compliance",
    ] {
        if let Some(loaded) = community(store, slug, now).await? {
            rotate_facilitation(store, &loaded, &[0, 1, 2], None, now).await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Performance Guild: dominance.
// ---------------------------------------------------------------------------

const PERFORMANCE_QUESTIONS: &[(&str, &[&str])] = &[
    ("Why is p99 of the search endpoint 10x the median?", &["latency"]),
    ("How do I get a flame graph from a container in staging?", &["profiling"]),
    ("Load test results differ between runs by 30%", &["load-testing"]),
    ("Postgres query slow only in production", &["database"]),
    ("Is our Redis cache actually helping the catalog service?", &["caching"]),
    ("What budget should a new checkout page have?", &["budgets"]),
    ("GC pauses in the JVM payments service", &["latency", "jvm"]),
    ("k6 or Gatling for the next load test?", &["load-testing"]),
    ("N+1 queries in the order history page", &["database"]),
    ("Cold start of the image service takes 40 s", &["latency"]),
    ("How to profile a Python worker that is stuck at 100% CPU?", &["profiling"]),
    ("Cache stampede after every deploy", &["caching"]),
    ("Where do we record performance budgets per service?", &["budgets"]),
    ("Connection pool exhausted under load", &["database", "load-testing"]),
    ("Bundle size of the account page doubled", &["budgets", "web"]),
    ("Async profiler shows most time in malloc", &["profiling"]),
];

const EXPERT_ANSWERS: &[&str] = &[
    "Profile before guessing: take a flame graph under realistic load and look at the widest frames first.",
    "Check the percentiles per instance, not aggregated; one bad host often explains the whole tail.",
    "Run `EXPLAIN (ANALYZE, BUFFERS)` with production-like data; the planner's choice changes with table size.",
    "I had the same last month: it was connection setup, not the query. Reuse connections and measure again.",
    "Compare against the budget in the performance register; if it is over, open a ticket with the flame graph.",
    "Add a warm-up phase to the load test and pin the test data; otherwise every run measures a different system.",
    "The cache only helps if the hit rate is high: export it as a metric before tuning anything else.",
    "Let's look at it together in the next profiling lab, bring the recording.",
];

/// Three experts answer a run of recent questions from members who never
/// answer (the profiling lab already had one facilitator every time).
async fn dominated_performance_guild(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(guild) = community(store, "performance-guild", now).await? else { return Ok(()) };
    let experts: Vec<PersonId> = (0..3).map(|i| guild.person(i)).collect();
    let askers: Vec<PersonId> = guild.members.iter().skip(6).map(|m| PersonId(m.person_id)).collect();
    if askers.is_empty() {
        return Ok(());
    }
    let mut threads = Vec::new();
    for (i, (title, tags)) in PERFORMANCE_QUESTIONS.iter().enumerate() {
        let author = askers[i % askers.len()];
        let mut answers: Vec<&'static str> = EXPERT_ANSWERS.to_vec();
        answers.shuffle(rng);
        answers.truncate(4);
        let topic = Topic {
            question: true,
            title,
            tags,
            body: "Details and graphs below; any pointers welcome.",
            replies: &answers,
        };
        let mut order = experts.clone();
        order.rotate_left(i % 3);
        let started = now - (3 + i as i64 * 5) * DAY - rng.gen_range(0..DAY);
        threads.push(thread(guild.id, &topic, author, &order, started, rng, now));
    }
    load_threads(store, threads).await
}

// ---------------------------------------------------------------------------
// Kubernetes & Platform: remote barriers.
// ---------------------------------------------------------------------------

fn in_asia_pacific(zone: &str) -> bool {
    zone.starts_with("Asia/") || zone.starts_with("Australia/")
}

/// Office hours at 09:00 San Francisco time: members in the Americas and
/// Europe come to most sessions, members in Asia-Pacific only to the few
/// the rest of the demo gave them.
async fn remote_barriers_kubernetes(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(platform) = community(store, "kubernetes-platform", now).await? else { return Ok(()) };
    let nearby: Vec<PersonId> =
        platform.members.iter().filter(|m| !in_asia_pacific(&m.time_zone)).map(|m| PersonId(m.person_id)).collect();
    for session in past_sessions(store, platform.id, now - 90 * DAY, now).await? {
        for person in &nearby {
            if !rng.gen_bool(0.45) {
                continue;
            }
            store
                .record_rsvp(&RsvpChange {
                    event: session.event,
                    occurrence: &session.key,
                    person: *person,
                    community: platform.id,
                    answer: "going",
                    promotion_message: "",
                    promotion_link: "",
                    at: Timestamp(session.start - rng.gen_range(1..5) * DAY),
                })
                .await?;
            store.record_attendance(session.event, &session.key, *person, platform.id, "link").await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Data Science Circle: scope creep.
// ---------------------------------------------------------------------------

const DRIFTING_TOPICS: &[Topic<'static>] = &[
    Topic {
        question: true,
        title: "Airflow scheduler stuck again: who can restart it?",
        tags: &["operations", "airflow"],
        body: "The scheduler has not picked up a DAG run since 03:00. Who has access to restart it?",
        replies: &["Restarted it. We should really ask the data platform on-call though."],
    },
    Topic {
        question: true,
        title: "Spark cluster out of disk on the shared platform",
        tags: &["platform", "operations"],
        body: "Jobs on the shared Spark cluster fail with 'No space left on device'. Can someone clean up /tmp?",
        replies: &["Cleared the shuffle files on three nodes; it will come back until the platform team resizes."],
    },
    Topic {
        question: true,
        title: "Revenue by region for last quarter, for finance?",
        tags: &["analytics", "requests"],
        body: "Finance needs revenue by region for Q3 by Friday. Could someone from the circle pull it?",
        replies: &["I can do it this time, but this belongs in the analytics request queue."],
    },
    Topic {
        question: true,
        title: "Kafka consumer lag on the events topic since Monday",
        tags: &["platform", "operations"],
        body: "Our feature pipeline reads `events.v2` and the lag keeps growing. Is the cluster under-provisioned?",
        replies: &["Partition count is too low for the new volume; raised it in the platform channel."],
    },
    Topic {
        question: false,
        title: "Dashboard wanted: weekly churn for the sales leads",
        tags: &["analytics", "requests"],
        body: "Sales leadership asked for a weekly churn dashboard. Who has capacity?",
        replies: &["Not really our charter, but I'll sketch it in the BI tool.", "Can we route these somewhere else?"],
    },
    Topic {
        question: true,
        title: "Who owns the nightly warehouse load now?",
        tags: &["operations"],
        body: "The nightly load failed twice this week and nobody seems to own it since the reorganization.",
        replies: &["It used to be Data Platform; I'll ask in their channel."],
    },
    Topic {
        question: true,
        title: "One-off export of checkout funnels for marketing",
        tags: &["analytics", "requests"],
        body: "Marketing wants the checkout funnel by campaign for September as a CSV.",
        replies: &["Done, shared in the drive. Please send the next one to the analytics queue."],
    },
    Topic {
        question: true,
        title: "Notebook servers: disk alerts every night",
        tags: &["operations", "platform"],
        body: "The JupyterHub servers page someone every night about disk. Can we raise the threshold?",
        replies: &["Raised it to 90%. This is platform operations though, not something the circle should own."],
    },
    Topic {
        question: false,
        title: "Prioritizing the analytics backlog for Q1",
        tags: &["analytics", "prioritization"],
        body: "Forty open analytics requests. Should the circle rank them at the next session?",
        replies: &["I'd rather we didn't: our sessions are for methods, not for triaging requests."],
    },
    Topic {
        question: true,
        title: "Permissions error on the platform's S3 bucket",
        tags: &["platform", "permissions"],
        body: "Since the bucket policy change our training job cannot read the raw events. Who can grant access?",
        replies: &["Opened a ticket with the platform team and linked it here."],
    },
];

/// Recent threads drift into data platform operations and analytics
/// requests, which the circle's charter lists as out of scope.
async fn scope_creep_data_science(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(circle) = community(store, "data-science-circle", now).await? else { return Ok(()) };
    let n = circle.members.len();
    let mut threads = Vec::new();
    for (i, topic) in DRIFTING_TOPICS.iter().enumerate() {
        let author = circle.person(3 + i * 3);
        let responder = circle.person(1 + (i * 5) % n.min(12));
        let responders = if responder == author { vec![circle.person(0)] } else { vec![responder] };
        let started = now - (4 + i as i64 * 7) * DAY - rng.gen_range(0..DAY);
        threads.push(thread(circle.id, topic, author, &responders, started, rng, now));
    }
    load_threads(store, threads).await
}

// ---------------------------------------------------------------------------
// Architects' Forum: stagnation.
// ---------------------------------------------------------------------------

/// A busy spring: the 90 days before the last 90 get about three times the
/// contributions the last 90 days have, from the members of that time.
async fn stagnating_architects(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(forum) = community(store, "architects-forum", now).await? else { return Ok(()) };
    let since_older = Timestamp(now).minus_days(180);
    let since_recent = Timestamp(now).minus_days(90);
    let all: i64 = store.count_contributions_by_person(forum.id, since_older).await?.iter().map(|r| r.count).sum();
    let recent: i64 = store.count_contributions_by_person(forum.id, since_recent).await?.iter().map(|r| r.count).sum();
    let older = all - recent;
    // Recent / older <= 0.3: a fall of 70 % or more.
    let wanted = (recent * 10 + 2) / 3;
    let missing = (wanted - older).max(0);
    let veterans: Vec<PersonId> =
        forum.members.iter().filter(|m| m.joined_at < now - 180 * DAY).map(|m| PersonId(m.person_id)).collect();
    if veterans.is_empty() || missing == 0 {
        return Ok(());
    }
    const KINDS: &[&str] = &["post", "answer", "artifact-version", "attendance", "kudos", "review"];
    let items: Vec<NewContribution> = (0..missing)
        .map(|i| {
            // The earlier members carry most of it.
            let who = veterans[(rng.gen_range(0.0f64..1.0).powi(2) * veterans.len() as f64) as usize];
            NewContribution {
                person: who,
                community: forum.id,
                kind: KINDS[rng.gen_range(0..KINDS.len())],
                at: Timestamp(now - 91 * DAY - rng.gen_range(0..88 * DAY)),
                reply_to: None,
                source: "demo",
                source_ref: Some(format!("demo:insight:architects:{i}")),
            }
        })
        .collect();
    for chunk in items.chunks(1_000) {
        store.insert_contributions(chunk).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Green Software: low participation.
// ---------------------------------------------------------------------------

/// A hundred people who joined after the sustainability week and never took
/// part, and a fortnightly lunch & learn with one or two people at it.
async fn quiet_green_software(store: &Store, rng: &mut StdRng, now: i64) -> Result<(), AppError> {
    let Some(green) = community(store, "green-software", now).await? else { return Ok(()) };
    let current: HashSet<i64> = green.members.iter().map(|m| m.person_id).collect();
    let mut candidates: Vec<i64> = Vec::new();
    for slug in ["kubernetes-platform", "frontend-craft", "sre-practice", "payments-domain", "rust-guild"] {
        if let Some(other) = community(store, slug, now).await? {
            for m in other.members.iter().rev() {
                if !current.contains(&m.person_id) && !candidates.contains(&m.person_id) {
                    candidates.push(m.person_id);
                }
            }
        }
    }
    candidates.truncate(100);
    let week = now - 140 * DAY;
    let mut changes: Vec<MembershipChange> = candidates
        .iter()
        .map(|&p| MembershipChange {
            community: green.id,
            person: PersonId(p),
            role: MembershipRole::Member,
            status: MembershipStatus::Active,
            actor: Some(PersonId(p)),
            at: Timestamp(week + rng.gen_range(0..5 * DAY)),
        })
        .collect();
    changes.sort_by_key(|c| (c.at, c.person));
    store.set_memberships(&changes).await?;

    let lead = green.person(0);
    let mut first = Utc::now().date_naive() - Duration::days(120);
    while first.weekday() != Weekday::Wed {
        first += Duration::days(1);
    }
    let input = EventInput {
        title: "Green lunch & learn".into(),
        description: "Half an hour on one way to cut the energy our software uses. Bring your lunch.".into(),
        kind: "talk".into(),
        format: "remote".into(),
        location: String::new(),
        link: "https://meet.northwind.example/green-software".into(),
        date: first.format("%Y-%m-%d").to_string(),
        time: "12:30".into(),
        duration_minutes: "30".into(),
        time_zone: "Europe/Berlin".into(),
        capacity: String::new(),
        recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE".into(),
    };
    let draft = EventDraft::parse(&input).map_err(AppError::Invalid)?;
    let record = crate::events::record_of(green.id, &draft, Some(lead));
    let event = store.insert_event(&record, "GREEN1", Some(lead)).await?;
    let regulars: Vec<PersonId> = (0..4).map(|i| green.person(i)).collect();
    for (k, session) in past_sessions(store, green.id, now - 121 * DAY, now).await?.iter().enumerate() {
        if session.event != event {
            continue;
        }
        let going = 2 + k % 2;
        for (j, person) in regulars.iter().cycle().skip(k).take(going).enumerate() {
            store
                .record_rsvp(&RsvpChange {
                    event,
                    occurrence: &session.key,
                    person: *person,
                    community: green.id,
                    answer: "going",
                    promotion_message: "",
                    promotion_link: "",
                    at: Timestamp(session.start - 2 * DAY),
                })
                .await?;
            // One of those who said going does not make it.
            if j + 1 < going || k % 3 == 0 {
                store.record_attendance(event, &session.key, *person, green.id, "link").await?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Value stories.
// ---------------------------------------------------------------------------

/// A value story: community, cycle, days ago, title, body, and the titles of
/// the threads, events and artifacts it links to.
struct Story {
    slug: &'static str,
    cycle: &'static str,
    days_ago: i64,
    title: &'static str,
    body: &'static str,
    evidence: &'static [&'static str],
}

const STORIES: &[Story] = &[
    Story {
        slug: "rust-guild",
        cycle: "immediate",
        days_ago: 40,
        title: "A lost-bytes bug found in one clinic",
        body: "Our ingest service dropped a few bytes a day under shutdown. Asking in the guild pointed straight at \
               `read_exact` inside `select!`; fixed the same afternoon.",
        evidence: &["Is read_exact cancellation safe inside tokio::select!?", "Rust clinic"],
    },
    Story {
        slug: "rust-guild",
        cycle: "potential",
        days_ago: 30,
        title: "New Rust developers get a first-week path",
        body: "The onboarding thread turned into a checklist in the practice repository: registry setup, a paired \
               first bug, clippy from day one. Three new hires used it this month.",
        evidence: &[
            "Onboarding: what helped you ship your first Rust change?",
            "Your first week with Rust at Northwind",
        ],
    },
    Story {
        slug: "rust-guild",
        cycle: "applied",
        days_ago: 20,
        title: "The notification service now runs on the service template",
        body: "The team applied the template's shutdown and health-check patterns instead of its own; the migration \
               took four days and removed 1,800 lines.",
        evidence: &["Migrating the notification service to the template: notes", "Rust service template"],
    },
    Story {
        slug: "rust-guild",
        cycle: "realized",
        days_ago: 12,
        title: "CI builds back under five minutes",
        body: "Fixing the sccache settings after the runner upgrade took the median pipeline from 14 to 4.5 minutes \
               across 11 repositories: about 60 engineer-hours of waiting a month.",
        evidence: &["sccache hit rate dropped after the CI runner upgrade", "Lessons learned: the 9-minute CI build"],
    },
    Story {
        slug: "rust-guild",
        cycle: "reframing",
        days_ago: 8,
        title: "Error handling is now a review standard, not a taste",
        body: "The guild's error handling chapter changed what reviewers ask for: platform leads adopted it as the \
               definition of done for public crates.",
        evidence: &[
            "Style guide: an error handling chapter (thiserror at crate boundaries)",
            "Error handling in Rust services",
        ],
    },
    Story {
        slug: "rust-guild",
        cycle: "applied",
        days_ago: 25,
        title: "A second review of unsafe before publishing nw-queue 1.0",
        body: "A guild member spotted a missing Acquire ordering in the ring buffer before release; a loom test now \
               guards it.",
        evidence: &["Second reviewer wanted: unsafe in the ring buffer crate"],
    },
    Story {
        slug: "kubernetes-platform",
        cycle: "realized",
        days_ago: 60,
        title: "Node pool upgrades without a customer-visible blip",
        body: "Following the runbook written with the community, the last two upgrades caused no errors above the SLO \
               threshold.",
        evidence: &["Runbook: node pool upgrade", "Platform office hours"],
    },
    Story {
        slug: "kubernetes-platform",
        cycle: "reframing",
        days_ago: 15,
        title: "Office hours showed who we leave out",
        body: "Attendance by region made plain that Sydney and Bangalore never make the 09:00 San Francisco slot; the \
               platform team now plans a second, rotating slot.",
        evidence: &["Platform office hours"],
    },
    Story {
        slug: "sre-practice",
        cycle: "applied",
        days_ago: 90,
        title: "Checkout outage lessons became a failover runbook",
        body: "The post-incident review's actions were turned into a runbook; payments used it in the October \
               failover drill.",
        evidence: &["Lessons learned: checkout outage of 14 March", "Runbook: database failover"],
    },
    Story {
        slug: "sre-practice",
        cycle: "potential",
        days_ago: 45,
        title: "Three teams left the SLO workshop with a first draft",
        body: "Search, checkout and identity each drafted SLOs and error budget policies in the session.",
        evidence: &["Writing SLOs that matter", "Incident review"],
    },
    Story {
        slug: "data-science-circle",
        cycle: "immediate",
        days_ago: 70,
        title: "The feature store tutorial saved a day of setup",
        body: "Two new data scientists had features in production in their first week by following the tutorial.",
        evidence: &["Feature store in 30 minutes", "Paper reading"],
    },
    Story {
        slug: "performance-guild",
        cycle: "realized",
        days_ago: 10,
        title: "Search p99 down from 1.8 s to 350 ms",
        body: "The profiling lab found one slow replica and an N+1 query; search p99 dropped fivefold.",
        evidence: &["Why is p99 of the search endpoint 10x the median?", "Profiling lab"],
    },
];

fn target_kind(target: &str) -> Option<&'static str> {
    match target {
        "thread" => Some("thread"),
        "event" => Some("event"),
        "artifact" => Some("artifact"),
        _ => None,
    }
}

/// Value stories in every cycle, linked to the threads, events and
/// artifacts they came from (found by title; a missing one is left out).
async fn value_stories(store: &Store, now: i64) -> Result<(), AppError> {
    for story in STORIES {
        let Some(loaded) = community(store, story.slug, now).await? else { continue };
        let targets = store.list_link_targets(loaded.id, 500).await?;
        let links: Vec<(&'static str, i64)> = story
            .evidence
            .iter()
            .filter_map(|title| targets.iter().find(|t| t.title == *title))
            .filter_map(|t| Some((target_kind(&t.target)?, t.id)))
            .collect();
        let author = loaded.person(story.days_ago as usize % 5);
        store
            .insert_value_story(&NewValueStory {
                community: loaded.id,
                author,
                cycle: story.cycle,
                title: story.title,
                body: story.body,
                links: &links,
                at: Timestamp(now - story.days_ago * DAY),
            })
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use copse_testkit::TestDb;

    use super::*;
    use crate::AppConfig;

    fn quiet(_: &str, _: u64, _: u64) {}

    #[tokio::test]
    async fn the_demo_shows_every_challenge_a_healthy_community_and_stories_in_every_cycle() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
        crate::demo::load_demo(&app, &quiet).await.expect("demo");
        app.recompute_insights(&|_, _| {}).await.expect("insight");
        let store = app.store();
        let mut detected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut cycles: BTreeSet<String> = BTreeSet::new();
        let mut stories = 0;
        for (id, slug) in store.list_community_ids().await.expect("communities") {
            let alerts = store.list_alerts(CommunityId(id), Timestamp(0)).await.expect("alerts");
            let open = alerts.into_iter().filter(|a| a.status != "resolved").map(|a| a.challenge).collect();
            detected.insert(slug, open);
            for story in store.list_value_stories(CommunityId(id)).await.expect("stories") {
                cycles.insert(story.cycle);
                stories += 1;
            }
        }
        let shows = |slug: &str, challenge: &str| detected.get(slug).is_some_and(|c| c.contains(challenge));
        assert!(shows("performance-guild", "dominance"), "{detected:?}");
        assert!(shows("kubernetes-platform", "remote-barriers"), "{detected:?}");
        assert!(shows("data-science-circle", "scope-creep"), "{detected:?}");
        assert!(shows("architects-forum", "stagnation"), "{detected:?}");
        assert!(shows("green-software", "low-participation"), "{detected:?}");
        assert!(shows("accessibility-guild", "management-support"), "{detected:?}");
        assert_eq!(detected.get("rust-guild"), Some(&BTreeSet::new()), "the healthy one: {detected:?}");
        assert_eq!(cycles.len(), 5, "{cycles:?}");
        assert!((10..=15).contains(&stories), "{stories}");
    }
}
