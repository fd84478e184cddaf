//! Demo data for mentoring: about 25 mentor offers (varied skills, capacity
//! 1 to 3, across teams and offices), 8 active pairings with a few check-ins
//! each, 3 completed with outcome notes, 2 proposals waiting for an answer,
//! and about 15 open requests for the coordinators' matching preview (some
//! with nobody to offer what they ask for).
//!
//! Fixed accounts: ada offers Rust, Distributed systems and Kubernetes (3
//! places, one taken), so when sam asks for a Rust mentor (the browser
//! journey) ada is proposed: every other Rust mentor works from Bangalore,
//! whose working day does not overlap New York's or Chicago's, so none can
//! outrank her. priya offers Python, Machine learning and SQL and has a
//! proposal waiting; sam has a completed mentorship and no open request.
//!
//! Pairings' reasons and scores come from the real matcher
//! (`copse_insight::matching::compatibility`); dates are relative to now, like
//! the activity record, so the active pairings stay current. Everything is
//! written through the store directly: loading the demo runs no matching.

use std::collections::HashSet;

use copse_domain::{CommunityId, PersonId, SkillLevel, Timestamp, skill_key};
use copse_insight::matching::{MatchOptions, MenteeProfile, MentorProfile, PairProposal, compatibility};
use copse_store::{MentorOfferWrite, MentorshipRecord, NewMenteeRequest, PeopleFilter, PersonRow};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::mentoring::work_window_utc;
use crate::{App, AppError};

const SEED: u64 = 0x4d45_4e54_4f52_2026;
const DAY: i64 = 86_400_000;
/// Generated mentors besides ada and priya.
const GENERATED_MENTORS: usize = 23;
const ACTIVE_PAIRINGS: usize = 8;
const COMPLETED_PAIRINGS: usize = 3;
const OPEN_REQUESTS: usize = 15;
/// The only office whose people may offer Rust besides ada (see the module
/// documentation).
const RUST_ELSEWHERE: &str = "Bangalore";
/// Skills nobody offers, so the preview has requests it cannot pair.
const RARE_SKILLS: &[&str] = &["COBOL", "Quantum computing", "Elixir", "Mainframe operations"];

const GOALS: &[&str] = &[
    "Get confident enough with {} to review other people's changes and lead a small piece of work on my own.",
    "I use {} every week but mostly by copying what exists. I want to understand why things are done this way.",
    "Our team is adopting {} next quarter; I would like to be the one who can answer questions and unblock people.",
    "Move from following tutorials to designing with {}: trade-offs, failure modes, what to avoid.",
    "Prepare for a senior role where I will own our {} work end to end, including on-call.",
];

const NOTES: &[&str] = &[
    "Walked through the last incident together and wrote down three things to try next time.",
    "Reviewed a pull request line by line; agreed on a reading list for the next two weeks.",
    "Paired for an hour on a real ticket. Next: take the follow-up change alone and ask for review.",
    "Talked about how to scope work so it can be reviewed in under an hour. Homework: split the migration.",
    "Discussed career goals and which projects would stretch in the right direction.",
    "Went through the design doc draft; two open questions to bring to the team review.",
    "Short check-in: blocked on access, fixed during the call. Next session in two weeks.",
    "Looked at production dashboards together and practised forming a hypothesis before digging in.",
];

const OUTCOMES: &[&str] = &[
    "Led the rollout of the new service template in their team and now reviews for others. Goals met.",
    "Passed the internal certification and took over the on-call rotation for the data pipeline.",
    "Wrote and presented a decision record that the community adopted; confident designing alone now.",
];

const OFFER_NOTES: &[&str] = &[
    "Happy to pair on real work rather than exercises. Every two weeks suits me best.",
    "Prefer short, regular calls; bring a concrete problem each time.",
    "",
    "I can also help with career questions and preparing for promotion.",
    "",
];

struct Person {
    row: PersonRow,
    skills: Vec<(String, SkillLevel)>,
    interests: Vec<String>,
}

impl Person {
    fn id(&self) -> PersonId {
        PersonId(self.row.id)
    }
}

struct Mentor {
    person: usize,
    /// (key, name, level)
    skills: Vec<(String, String, SkillLevel)>,
    capacity: i64,
    load: i64,
}

fn profile_as_mentor(p: &Person, skills: &[(String, String, SkillLevel)], now: Timestamp) -> MentorProfile {
    MentorProfile {
        person_id: p.row.id,
        team: p.row.team.clone(),
        location: p.row.location.clone(),
        work_utc: work_window_utc(&p.row.time_zone, p.row.work_start_minute, p.row.work_end_minute, now),
        skills: skills.iter().map(|(key, _, level)| (key.clone(), *level)).collect(),
        interests: p.interests.iter().map(|i| i.to_lowercase()).collect(),
        free_slots: 1,
    }
}

fn profile_as_mentee(p: &Person, wanted: &str, now: Timestamp) -> MenteeProfile {
    MenteeProfile {
        person_id: p.row.id,
        team: p.row.team.clone(),
        location: p.row.location.clone(),
        work_utc: work_window_utc(&p.row.time_zone, p.row.work_start_minute, p.row.work_end_minute, now),
        wanted_skills: vec![wanted.to_string()],
        interests: p.interests.iter().map(|i| i.to_lowercase()).collect(),
    }
}

fn goals_for(rng: &mut StdRng, skill: &str) -> String {
    GOALS.choose(rng).copied().unwrap_or(GOALS[0]).replace("{}", skill)
}

/// Offered skills of a generated mentor: what they practise or master, at
/// most three, best first; Rust only from Bangalore.
fn offerable(p: &Person) -> Vec<(String, String, SkillLevel)> {
    let mut skills: Vec<(String, String, SkillLevel)> = p
        .skills
        .iter()
        .filter(|(name, level)| *level != SkillLevel::Learning && name != "Mentoring")
        .filter(|(name, _)| skill_key(name) != "rust" || p.row.location == RUST_ELSEWHERE)
        .map(|(name, level)| (skill_key(name), name.clone(), *level))
        .collect();
    skills.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    skills.truncate(3);
    skills
}

/// Loads the mentoring part of the demo organization; runs after discussions,
/// events and practice are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let store = app.store();
    let mut rng = StdRng::seed_from_u64(SEED);
    let now = Timestamp::now();

    let rows = store.list_people(&PeopleFilter::default(), 0, 100_000).await?;
    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        if row.org_role == "guest" {
            continue;
        }
        let id = PersonId(row.id);
        let skills = store
            .list_person_skills(id)
            .await?
            .into_iter()
            .map(|s| (s.skill, SkillLevel::parse(&s.level).unwrap_or(SkillLevel::Practitioner)))
            .collect();
        let interests = store.list_person_interests(id).await?;
        people.push(Person { row, skills, interests });
    }
    let find = |handle: &str| people.iter().position(|p| p.row.handle == handle);
    let (Some(ada), Some(priya), Some(sam)) = (find("ada"), find("priya"), find("sam")) else {
        return Err(AppError::Internal("the demo's fixed accounts are missing".into()));
    };
    let fixed = [ada, priya, sam];

    // Mentors: ada and priya, then generated people round-robin over the
    // offices, at most two per team.
    let named = |names: &[&str], level: SkillLevel| -> Vec<(String, String, SkillLevel)> {
        names.iter().map(|n| (skill_key(n), n.to_string(), level)).collect()
    };
    let mut ada_skills = named(&["Rust", "Distributed systems"], SkillLevel::Expert);
    ada_skills.extend(named(&["Kubernetes"], SkillLevel::Practitioner));
    let mut mentors = vec![
        Mentor { person: ada, skills: ada_skills, capacity: 3, load: 0 },
        Mentor {
            person: priya,
            skills: named(&["Machine learning", "Python", "SQL"], SkillLevel::Expert),
            capacity: 2,
            load: 0,
        },
    ];
    let mut candidates: Vec<usize> =
        (0..people.len()).filter(|i| !fixed.contains(i) && !offerable(&people[*i]).is_empty()).collect();
    candidates.shuffle(&mut rng);
    let mut offices: Vec<String> = people.iter().map(|p| p.row.location.clone()).collect();
    offices.sort();
    offices.dedup();
    let mut per_team: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut taken: HashSet<usize> = fixed.iter().copied().collect();
    'fill: while mentors.len() < GENERATED_MENTORS + 2 {
        let before = mentors.len();
        for office in &offices {
            let pick = candidates.iter().copied().find(|&i| {
                !taken.contains(&i)
                    && people[i].row.location == *office
                    && per_team.get(&people[i].row.team).copied().unwrap_or(0) < 2
            });
            if let Some(i) = pick {
                taken.insert(i);
                *per_team.entry(people[i].row.team.clone()).or_default() += 1;
                mentors.push(Mentor {
                    person: i,
                    skills: offerable(&people[i]),
                    capacity: rng.gen_range(1..=3),
                    load: 0,
                });
                if mentors.len() >= GENERATED_MENTORS + 2 {
                    break 'fill;
                }
            }
        }
        if mentors.len() == before {
            break;
        }
    }
    for (n, m) in mentors.iter().enumerate() {
        let skills: Vec<(String, String)> = m.skills.iter().map(|(k, name, _)| (k.clone(), name.clone())).collect();
        let note = match m.person {
            p if p == ada => "Happy to pair on async Rust and service design; I keep Thursday afternoons free.",
            p if p == priya => "Bring a dataset or a model you are stuck on; I like working on real problems.",
            _ => OFFER_NOTES[n % OFFER_NOTES.len()],
        };
        store
            .save_mentor_offer(&MentorOfferWrite {
                person: people[m.person].id(),
                capacity: m.capacity,
                note,
                // One generated mentor has paused for now.
                active: n != 5,
                skills: &skills,
                at: Timestamp(now.millis() - (40 + n as i64 * 3) * DAY),
            })
            .await?;
    }

    // Mentees: everyone else, in a seeded order.
    let mut mentees: Vec<usize> = (0..people.len()).filter(|i| !taken.contains(i)).collect();
    mentees.shuffle(&mut rng);
    let mut used: HashSet<usize> = HashSet::new();
    let options = MatchOptions::default();

    // Finds a mentee compatible with mentor `m` for one of its skills.
    let pair_for = |m: &Mentor, skill: Option<&str>, used: &HashSet<usize>| -> Option<(usize, usize, PairProposal)> {
        let mentor = profile_as_mentor(&people[m.person], &m.skills, now);
        for &e in &mentees {
            if used.contains(&e) {
                continue;
            }
            for (s, (key, _, _)) in m.skills.iter().enumerate() {
                if skill.is_some_and(|wanted| wanted != key) {
                    continue;
                }
                if let Some(pair) = compatibility(&mentor, &profile_as_mentee(&people[e], key, now), &options) {
                    return Some((e, s, pair));
                }
            }
        }
        None
    };

    // (mentor index, status): ada's active pairing and priya's proposal
    // first, then generated mentors in turn.
    let mut plan: Vec<(usize, &str)> = vec![(0, "active"), (1, "proposed")];
    let mut next = 2;
    for status in std::iter::repeat_n("active", ACTIVE_PAIRINGS - 1)
        .chain(std::iter::repeat_n("completed", COMPLETED_PAIRINGS))
        .chain(std::iter::once("proposed"))
    {
        plan.push((next, status));
        next = if next + 1 >= mentors.len() { 2 } else { next + 1 };
    }
    let mut made = 0;
    for (k, (mut m, status)) in plan.into_iter().enumerate() {
        // A mentor whose places are full hands over to the next one.
        let live = status != "completed";
        let mut tries = 0;
        while live && mentors[m].load >= mentors[m].capacity && tries < mentors.len() {
            m = if m + 1 >= mentors.len() { 2 } else { m + 1 };
            tries += 1;
        }
        let wanted = if m == 0 { Some("distributed-systems") } else { None };
        let Some((e, s, pair)) = pair_for(&mentors[m], wanted, &used) else { continue };
        used.insert(e);
        if live {
            mentors[m].load += 1;
        }
        let name = mentors[m].skills[s].1.clone();
        write_pairing(app, &mut rng, &people, mentors[m].person, e, &name, status, &pair, k, now).await?;
        made += 1;
    }

    // sam's earlier mentorship, completed: any mentor sam could learn from.
    let sam_pair = mentors.iter().skip(2).find_map(|m| {
        let mentor = profile_as_mentor(&people[m.person], &m.skills, now);
        m.skills.iter().find_map(|(key, name, _)| {
            compatibility(&mentor, &profile_as_mentee(&people[sam], key, now), &options)
                .map(|pair| (m.person, name.clone(), pair))
        })
    });
    if let Some((mentor, skill, pair)) = sam_pair {
        write_pairing(app, &mut rng, &people, mentor, sam, &skill, "completed", &pair, made, now).await?;
    }

    // Open requests: mostly for skills someone offers, a few for none.
    let offered: Vec<String> = mentors.iter().flat_map(|m| m.skills.iter().map(|s| s.1.clone())).collect();
    let mut opened = 0;
    for &e in &mentees {
        if opened >= OPEN_REQUESTS {
            break;
        }
        if used.contains(&e) {
            continue;
        }
        used.insert(e);
        let skill = if opened % 5 == 4 {
            RARE_SKILLS[opened / 5 % RARE_SKILLS.len()].to_string()
        } else {
            offered.choose(&mut rng).cloned().unwrap_or_else(|| "Go".into())
        };
        let community = pick_community(app, &mut rng, people[e].id()).await?;
        store
            .insert_mentee_request(&NewMenteeRequest {
                person: people[e].id(),
                goals: &goals_for(&mut rng, &skill),
                community,
                skills: &[(skill_key(&skill), skill.clone())],
                at: Timestamp(now.millis() - rng.gen_range(1..25) * DAY),
            })
            .await?;
        opened += 1;
    }
    Ok(())
}

/// One of the person's communities (not private) for about half the
/// pairings, so those show up in the community and the activity record.
async fn pick_community(app: &App, rng: &mut StdRng, person: PersonId) -> Result<Option<CommunityId>, AppError> {
    if !rng.gen_bool(0.6) {
        return Ok(None);
    }
    let theirs = app.store().list_communities_of_person(person).await?;
    Ok(theirs
        .iter()
        .filter(|c| c.viewer_status.as_deref() == Some("active") && c.community.visibility != "private")
        .map(|c| CommunityId(c.community.id))
        .next())
}

#[allow(clippy::too_many_arguments)]
async fn write_pairing(
    app: &App,
    rng: &mut StdRng,
    people: &[Person],
    mentor: usize,
    mentee: usize,
    skill: &str,
    status: &str,
    pair: &PairProposal,
    k: usize,
    now: Timestamp,
) -> Result<(), AppError> {
    let store = app.store();
    let days_ago = |days: i64| Timestamp(now.millis() - days * DAY);
    let (proposed, started, ended) = match status {
        "active" => {
            let start = rng.gen_range(12..80);
            (days_ago(start + 3), Some(days_ago(start)), None)
        }
        "completed" => {
            let start = rng.gen_range(150..240);
            (days_ago(start + 4), Some(days_ago(start)), Some(days_ago(rng.gen_range(20..60))))
        }
        _ => (days_ago(rng.gen_range(1..4)), None, None),
    };
    let community = pick_community(app, rng, people[mentee].id()).await?;
    let request = store
        .insert_mentee_request(&NewMenteeRequest {
            person: people[mentee].id(),
            goals: &goals_for(rng, skill),
            community,
            skills: &[(skill_key(skill), skill.to_string())],
            at: Timestamp(proposed.millis() - DAY),
        })
        .await?;
    let mut checkins = Vec::new();
    if let Some(start) = started {
        let last = ended.unwrap_or(now).millis();
        let count = if status == "active" { rng.gen_range(2..=4) } else { rng.gen_range(3..=5) };
        for n in 0..count {
            let at = start.millis() + (n + 1) * (last - start.millis()) / (count + 1);
            let author = if n % 2 == 0 { people[mentee].id() } else { people[mentor].id() };
            let note = NOTES[(k * 3 + n as usize) % NOTES.len()].to_string();
            checkins.push((author, note, Timestamp(at)));
        }
    }
    let reasons = pair
        .reasons
        .iter()
        .map(|r| r.replace(&format!("offers {} (", skill_key(skill)), &format!("offers {skill} (")))
        .collect::<Vec<_>>()
        .join("\n");
    store
        .insert_mentorship_record(&MentorshipRecord {
            mentor: people[mentor].id(),
            mentee: people[mentee].id(),
            request: Some(request),
            community,
            status,
            score: pair.score,
            reasons: &reasons,
            proposed_at: proposed,
            mentor_accepted_at: started.or(k.is_multiple_of(2).then_some(proposed)),
            mentee_accepted_at: started,
            started_at: started,
            ended_at: ended,
            outcome: if status == "completed" { OUTCOMES[k % OUTCOMES.len()] } else { "" },
            checkins: &checkins,
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use copse_domain::{Actor, ExperienceLevel, OrgRole, Profile, Skill, SkillLevel, TimeZone, WorkingHours};
    use copse_testkit::TestDb;

    use crate::demo::load_demo;
    use crate::{App, AppConfig, MentorRequestInput, MentorshipStatus, Viewer};

    fn quiet(_: &str, _: u64, _: u64) {}

    async fn sam_asks_for_rust(app: &App, sam: &Viewer) -> String {
        let input = MentorRequestInput {
            goals: "Write my first Rust service".into(),
            skills: "Rust".into(),
            ..Default::default()
        };
        let outcome = app.request_mentor(sam, &input).await.unwrap();
        let proposal = outcome.proposal.unwrap_or_else(|| panic!("no proposal: {}", outcome.message));
        app.withdraw_mentor_request(sam).await.unwrap();
        proposal.mentor.handle
    }

    #[tokio::test]
    async fn the_demo_has_offers_requests_and_pairings_and_gives_sam_ada_for_rust() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.unwrap();
        load_demo(&app, &quiet).await.unwrap();
        let store = app.store();
        let offers = store.list_mentor_offers("", 0, 1000).await.unwrap();
        assert!((22..=26).contains(&offers.len()), "{} active offers", offers.len());
        assert!(offers.iter().all(|o| (1..=3).contains(&o.capacity) && o.load <= o.capacity));
        let locations: std::collections::BTreeSet<&str> = offers.iter().map(|o| o.location.as_str()).collect();
        assert!(locations.len() >= 5, "{locations:?}");
        let by_status = store.count_mentorships_by_status().await.unwrap();
        let count = |s: &str| by_status.iter().find(|(status, _)| status == s).map_or(0, |p| p.1);
        assert_eq!(count("active"), 8, "{by_status:?}");
        assert_eq!(count("proposed"), 2, "{by_status:?}");
        assert_eq!(count("completed"), 4, "three plus sam's: {by_status:?}");
        assert_eq!(store.list_unpaired_requests(0).await.unwrap().len(), 15);

        let ada = store.find_person_by_handle("ada").await.unwrap().unwrap();
        let sam_row = store.find_person_by_handle("sam").await.unwrap().unwrap();
        let sam = Viewer {
            actor: Actor::person(copse_domain::PersonId(sam_row.id), OrgRole::Member),
            handle: "sam".into(),
            name: sam_row.name.clone(),
            time_zone: TimeZone::utc(),
        };
        let page = app.mentoring_page(&sam).await.unwrap();
        assert!(page.request.is_none(), "sam starts without an open request");
        assert_eq!(page.past.len(), 1);
        assert_eq!(page.past[0].status, MentorshipStatus::Completed);
        // As loaded (New York) and as the browser journey leaves him (Chicago,
        // 08:30 to 16:30, Rust declared), ada is the Rust mentor proposed.
        assert_eq!(sam_asks_for_rust(&app, &sam).await, "ada");
        let chicago = Profile {
            name: sam_row.name.clone(),
            team: "Checkout Platform".into(),
            location: "Brooklyn".into(),
            time_zone: TimeZone::parse("America/Chicago").unwrap(),
            working_hours: WorkingHours::from_minutes(8 * 60 + 30, 16 * 60 + 30),
            experience: ExperienceLevel::Senior,
            skills: vec![
                Skill { name: "Rust".into(), level: SkillLevel::Expert },
                Skill { name: "Go".into(), level: SkillLevel::Learning },
            ],
            interests: vec!["accessibility".into(), "testing".into(), "rust".into()],
            bio: String::new(),
        };
        store.update_profile(copse_domain::PersonId(sam_row.id), &chicago).await.unwrap();
        assert_eq!(sam_asks_for_rust(&app, &sam).await, "ada");
        let ada_offer = store.find_mentor_offer(copse_domain::PersonId(ada.id)).await.unwrap().unwrap();
        assert_eq!((ada_offer.capacity, ada_offer.load), (3, 1), "withdrawing gave the places back");
    }
}
