//! Demo data for the organization side: an executive sponsor for every
//! community but one (the Accessibility Guild, still at the potential stage,
//! shows what "no sponsor" looks like), sponsors attending some sessions and
//! reading some sponsor reports, time allocations for about 60% of the
//! members of half the communities, budget lines for 2026 in most
//! communities (one overspent, some not granted yet), and the currency.
//!
//! Everything is written through the store on top of what the main demo
//! loaded, with its own seeded generator so the main demo's choices do not
//! shift.

use copse_domain::{CommunityId, MembershipStatus, PersonId, Timestamp};
use copse_store::{NewBudgetLine, PeopleFilter, PortfolioRow, TimeAllocationChange};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::{App, AppError};

const SEED: u64 = 0x4f52_4741_4e49_5a45;
const DAY: i64 = 86_400_000;
/// The one community left without a sponsor.
const UNSPONSORED: &str = "accessibility-guild";
/// Communities whose members record time (about half of the sixteen).
const TIME_COMMUNITIES: &[&str] = &[
    "rust-guild",
    "kubernetes-platform",
    "data-science-circle",
    "sre-practice",
    "payments-domain",
    "security-champions",
    "architects-forum",
    "frontend-craft",
];
/// Communities whose sponsor attended some sessions, and how many.
const SPONSOR_SESSIONS: &[(&str, usize)] = &[
    ("rust-guild", 4),
    ("kubernetes-platform", 3),
    ("data-science-circle", 2),
    ("security-champions", 5),
    ("sre-practice", 1),
];
/// Communities whose sponsor has read the sponsor report, and how often.
const SPONSOR_READS: &[(&str, usize)] =
    &[("rust-guild", 3), ("kubernetes-platform", 1), ("security-champions", 4), ("payments-domain", 2)];
/// Communities without budget lines (new or winding down).
const NO_BUDGET: &[&str] = &["accessibility-guild", "agile-coaching-network", "privacy-compliance"];
/// The managers members name as having granted their time, by team.
const MANAGERS: &[&str] = &[
    "Helena Brandt",
    "Marcus Oyelaran",
    "Ines Carvalho",
    "Tomasz Wierzbicki",
    "Grace Liang",
    "Daniel Moreau",
    "Aiko Tanaka",
    "Rahul Menon",
    "Sofia Lindqvist",
    "Kwame Boateng",
];
/// A kind of spending a community asks for.
struct BudgetIdea {
    title: &'static str,
    period: &'static str,
    /// Requested, in whole currency units.
    units: i64,
    /// Share of the request granted; `None`: not decided yet.
    granted: Option<f64>,
    /// Share of the grant spent so far.
    spent: f64,
    note: &'static str,
}

const fn idea(
    title: &'static str,
    period: &'static str,
    units: i64,
    granted: Option<f64>,
    spent: f64,
    note: &'static str,
) -> BudgetIdea {
    BudgetIdea { title, period, units, granted, spent, note }
}

const BUDGET_IDEAS: &[BudgetIdea] = &[
    idea(
        "Conference tickets",
        "2026",
        4800,
        Some(0.75),
        0.9,
        "Two speakers' tickets and travel for the autumn conference.",
    ),
    idea("Books and online courses", "2026", 1200, Some(1.0), 0.6, "Shared library and course seats."),
    idea("Workshop catering", "2026-Q4", 650, Some(1.0), 0.4, "Lunch for the quarterly hands-on workshop."),
    idea("Guest speaker honorarium", "2026-Q3", 1500, Some(0.8), 1.0, "External speaker for the summer session."),
    idea("Tooling licences", "2026", 2400, None, 0.0, "Team licences for the shared sandbox; waiting for a decision."),
    idea("Hack day prizes", "2026-Q4", 300, Some(1.0), 0.0, "Small prizes and swag for the hack day."),
];

fn manager_for(team: &str) -> &'static str {
    let hash = team.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    MANAGERS[hash as usize % MANAGERS.len()]
}

/// Loads the organization part of the demo organization; runs after discussions,
/// events and practice are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let store = app.store();
    let mut rng = StdRng::seed_from_u64(SEED);
    store.set_setting("currency", "EUR").await?;
    let ada = store.find_person_by_handle("ada").await?.ok_or(AppError::NotFound("demo account ada"))?;
    let ada = PersonId(ada.id);
    let communities: Vec<PortfolioRow> = store.list_portfolio(ada, true, "2026").await?;
    let leaders: Vec<PersonId> = store
        .list_people(&PeopleFilter { team: "Engineering Leadership".into(), ..Default::default() }, 0, 100)
        .await?
        .into_iter()
        .map(|p| PersonId(p.id))
        .collect();
    let now = Timestamp::now();

    // Sponsors: keep those the main demo named, add one elsewhere, leave one
    // community without.
    let mut sponsors: Vec<(String, CommunityId, PersonId)> = Vec::new();
    for c in &communities {
        let id = CommunityId(c.id);
        let sponsor = match (c.slug.as_str(), c.sponsor_id) {
            (UNSPONSORED, Some(_)) => {
                store.set_community_sponsor(id, None, ada, "none", now).await?;
                None
            }
            (UNSPONSORED, None) => None,
            (_, Some(s)) => Some(PersonId(s)),
            (_, None) => match leaders.choose(&mut rng) {
                Some(&leader) => {
                    let handle = store.get_person(leader).await?.handle;
                    store.set_community_sponsor(id, Some(leader), ada, &handle, now).await?;
                    Some(leader)
                }
                None => None,
            },
        };
        if let Some(s) = sponsor {
            sponsors.push((c.slug.clone(), id, s));
        }
    }

    // Sponsors at sessions: past occurrences that were attended anyway.
    let since = copse_domain::local_key(now.minus_days(300).to_utc().naive_utc());
    for &(slug, count) in SPONSOR_SESSIONS {
        let Some((_, id, sponsor)) = sponsors.iter().find(|(s, ..)| s == slug) else { continue };
        let mut held = store.list_occurrence_attendance(*id, &since).await?;
        held.sort_by(|a, b| b.original_start_local.cmp(&a.original_start_local).then(a.event_id.cmp(&b.event_id)));
        // Spread over the recent ones rather than the very latest only.
        let picks: Vec<_> = held.iter().take(count * 3).step_by(3).take(count).collect();
        for o in picks {
            store.record_attendance(o.event_id, &o.original_start_local, *sponsor, *id, "facilitator").await?;
        }
    }

    // Sponsor reports read over the last two months.
    for &(slug, count) in SPONSOR_READS {
        let Some((_, id, sponsor)) = sponsors.iter().find(|(s, ..)| s == slug) else { continue };
        for i in 0..count {
            let at = Timestamp(now.millis() - (i as i64 * 17 + rng.gen_range(1..10)) * DAY - rng.gen_range(0..DAY));
            store.insert_report_read(*id, *sponsor, crate::SPONSOR_REPORT, at).await?;
        }
    }

    // Time allocations for about 60% of the members of half the communities.
    for &slug in TIME_COMMUNITIES {
        let Some(c) = communities.iter().find(|c| c.slug == slug) else { continue };
        let id = CommunityId(c.id);
        let members = store.list_members(id, MembershipStatus::Active, now.minus_days(90), 500).await?;
        for m in members {
            // The journey's member records his own on the page.
            if m.handle == "sam" || !rng.gen_bool(0.6) {
                continue;
            }
            let hours = [2, 4, 4, 6, 8, 8, 10, 12, 16][rng.gen_range(0..9)];
            let detail = format!("{}: {hours} h/month", m.handle);
            store
                .set_time_allocation(&TimeAllocationChange {
                    community: id,
                    person: PersonId(m.person_id),
                    hours_per_month: hours,
                    granted_by: manager_for(&m.team),
                    recorded_by: PersonId(m.person_id),
                    detail: &detail,
                    at: Timestamp(now.millis() - rng.gen_range(3..200) * DAY),
                })
                .await?;
        }
    }

    // Budget lines for 2026 in most communities.
    for c in communities.iter().filter(|c| !NO_BUDGET.contains(&c.slug.as_str())) {
        let id = CommunityId(c.id);
        let mut ideas: Vec<usize> = (0..BUDGET_IDEAS.len()).collect();
        ideas.shuffle(&mut rng);
        let count = rng.gen_range(1..=3);
        for &i in ideas.iter().take(count) {
            let idea = &BUDGET_IDEAS[i];
            let requested = idea.units * 100;
            let granted = idea.granted.map(|s| ((requested as f64 * s) / 100.0).round() as i64 * 100);
            let spent = granted.map_or(0, |g| ((g as f64 * idea.spent) / 100.0).round() as i64 * 100);
            store
                .insert_budget_line(&NewBudgetLine {
                    community: id,
                    title: idea.title,
                    period: idea.period,
                    requested_cents: requested,
                    granted_cents: granted,
                    spent_cents: spent,
                    note: idea.note,
                    actor: ada,
                    at: Timestamp(now.millis() - rng.gen_range(20..240) * DAY),
                })
                .await?;
        }
    }
    // One overspent line, so the warning has something to show.
    if let Some(c) = communities.iter().find(|c| c.slug == "rust-guild") {
        store
            .insert_budget_line(&NewBudgetLine {
                community: CommunityId(c.id),
                title: "RustConf travel",
                period: "2026-Q3",
                requested_cents: 300_000,
                granted_cents: Some(250_000),
                spent_cents: 276_540,
                note: "Flights were booked late; the difference is being discussed with the sponsor.",
                actor: ada,
                at: Timestamp(now.millis() - 60 * DAY),
            })
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AppConfig;
    use copse_testkit::TestDb;

    fn quiet(_: &str, _: u64, _: u64) {}

    #[tokio::test]
    async fn one_community_lacks_a_sponsor_and_the_others_show_time_budget_and_involvement() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.expect("app");
        crate::demo::load_demo(&app, &quiet).await.expect("demo");
        let store = app.store();
        let ada = PersonId(store.find_person_by_handle("ada").await.unwrap().unwrap().id);
        let rows = store.list_portfolio(ada, true, "2026").await.unwrap();
        let unsponsored: Vec<&str> = rows.iter().filter(|r| r.sponsor_id.is_none()).map(|r| r.slug.as_str()).collect();
        assert_eq!(unsponsored, vec![UNSPONSORED]);
        let with_time = rows.iter().filter(|r| r.hours > 0).count();
        assert_eq!(with_time, TIME_COMMUNITIES.len(), "about half the communities record time");
        for r in rows.iter().filter(|r| r.hours > 0) {
            let share = r.allocated_members as f64 / r.member_count as f64;
            assert!((0.35..0.85).contains(&share), "{}: {} of {} members", r.slug, r.allocated_members, r.member_count);
            assert!(r.hours >= 2 * r.allocated_members && r.hours <= 16 * r.allocated_members);
        }
        let with_budget = rows.iter().filter(|r| r.requested_cents > 0).count();
        assert_eq!(with_budget, rows.len() - NO_BUDGET.len());
        let guild = rows.iter().find(|r| r.slug == "rust-guild").unwrap();
        let (guild_id, sponsor) = (CommunityId(guild.id), PersonId(guild.sponsor_id.unwrap()));
        let lines = store.list_budget_lines(guild_id).await.unwrap();
        assert!(lines.iter().any(|l| l.granted_cents.is_some_and(|g| l.spent_cents > g)), "an overspent line");
        let since = copse_domain::local_key(Timestamp::now().minus_days(365).to_utc().naive_utc());
        assert!(store.count_sessions_attended(guild_id, sponsor, &since).await.unwrap() >= 4);
        assert_eq!(store.report_reads_of(guild_id, sponsor).await.unwrap().0, 3);
        let sam = store.find_person_by_handle("sam").await.unwrap().unwrap();
        assert!(store.find_time_allocation(guild_id, PersonId(sam.id)).await.unwrap().is_none(), "sam records his own");
    }
}
