//! Demo data for recognition, pulse surveys and self-assessments.
//!
//! About eighty kudos across the communities and every category, most of
//! them for stewardship (facilitating sessions, curating and reviewing
//! practice, mentoring, organizing) beside answers and shared knowledge;
//! some name a skill of the vocabulary (resolved by key, skipped when the
//! vocabulary does not have it). A few are in the private communities, so
//! the demo shows they stay inside. sam has received and given some in the
//! Frontend Craft community, and none in the Rust Guild (the browser
//! journey gives one there).
//!
//! Surveys: the Rust Guild has a closed survey from last month with 22
//! responses and comments, and an open one with six responses that sam can
//! answer once the journey has made him a member; Green Software has a
//! closed survey with only three responses, which shows the anonymity
//! threshold. About thirty people have skill self-assessments (before and
//! after), enough for the Rust Guild's "skills developed".
//!
//! Everything is written through the store, with times relative to now (like
//! the activity record), from a fixed seed.

use std::collections::HashSet;

use copse_domain::{CommunityId, MembershipStatus, PersonId, Timestamp};
use copse_store::{
    KudosDemoSubjectRow, NewAnswer, NewAssessment, NewKudos, NewResponse, NewSurvey, NewSurveyQuestion, Store,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::recognition::KudosCategory;
use crate::surveys::BUILTIN_QUESTIONS;
use crate::{App, AppError};

const SEED: u64 = 0x4b55_444f_5320_2026;
const DAY: i64 = 86_400_000;

/// (community, kudos to give there, skill keys its kudos may name)
const PLAN: &[(&str, usize, &[&str])] = &[
    ("rust-guild", 16, &["rust", "distributed-systems"]),
    ("kubernetes-platform", 8, &["kubernetes", "terraform"]),
    ("frontend-craft", 8, &["typescript", "react", "accessibility"]),
    ("data-science-circle", 7, &["python", "machine-learning", "statistics"]),
    ("sre-practice", 7, &["observability", "incident-management", "kubernetes"]),
    ("qa-test-engineering", 5, &["test-automation", "playwright"]),
    ("agile-coaching-network", 5, &["facilitation", "agile-coaching"]),
    ("accessibility-guild", 4, &["accessibility"]),
    ("payments-domain", 4, &["payments", "java"]),
    ("architects-forum", 3, &["architecture", "distributed-systems"]),
    ("green-software", 3, &[]),
    ("performance-guild", 3, &["performance"]),
    ("security-champions", 2, &["security"]),
    ("staff-engineers", 2, &["technical-strategy"]),
];

fn messages(category: KudosCategory) -> &'static [&'static str] {
    match category {
        KudosCategory::Answering => &[
            "Your answer fixed our flaky shutdown in ten minutes. Thank you!",
            "Clear, patient and with a working example. Exactly what I needed.",
            "You answered on a Friday evening and saved our release. Much appreciated.",
            "Thanks for explaining the why, not only the how.",
            "I have bookmarked this answer; it will save the next person too.",
        ],
        KudosCategory::Sharing => &[
            "Thanks for writing up what you learned instead of keeping it in your head.",
            "That post started the best discussion we had this month.",
            "Sharing the failure story took courage and taught us a lot.",
        ],
        KudosCategory::Facilitating => &[
            "Great session: everyone got to speak, and we still finished on time.",
            "Thanks for keeping the clinic going every week, even with a small turnout.",
            "The hands-on exercises made it click. Thank you for preparing them.",
            "You made newcomers feel welcome from the first minute.",
        ],
        KudosCategory::Curating => &[
            "This is the first thing we open now. Thanks for keeping it current.",
            "Clear, well organized and easy to find. Thank you for looking after it.",
            "Thanks for pruning what was out of date; finding the right advice is easy again.",
        ],
        KudosCategory::Reviewing => &[
            "Your review caught the race condition before it reached production.",
            "Thorough and kind review comments; I learned more from them than from the docs.",
            "Thanks for reviewing this so carefully; the new version is much clearer.",
        ],
        KudosCategory::Mentoring => &[
            "Our sessions gave me the confidence to lead the migration. Thank you.",
            "You always asked the question that unblocked me. Thank you for your time.",
            "Thanks for the honest feedback and the reading list.",
        ],
        KudosCategory::Organizing => &[
            "Thanks for booking rooms, chasing speakers and making the day happen.",
            "The schedule and the reminders made it easy to take part from three time zones.",
            "You organized the whole series around our time zones. Thank you.",
        ],
    }
}

fn category_for(rng: &mut StdRng, subject: &KudosDemoSubjectRow) -> KudosCategory {
    match subject.kind.as_str() {
        "post" if subject.detail == "question" => {
            if rng.gen_bool(0.8) {
                KudosCategory::Answering
            } else {
                KudosCategory::Reviewing
            }
        }
        "post" => KudosCategory::Sharing,
        "artifact" => {
            if rng.gen_bool(0.55) {
                KudosCategory::Curating
            } else {
                KudosCategory::Reviewing
            }
        }
        _ => {
            if rng.gen_bool(0.7) {
                KudosCategory::Facilitating
            } else {
                KudosCategory::Organizing
            }
        }
    }
}

/// An active member of a community who may give kudos.
struct Member {
    id: PersonId,
}

async fn members_of(store: &Store, community: CommunityId) -> Result<Vec<Member>, AppError> {
    let rows = store.list_members(community, MembershipStatus::Active, Timestamp::now().minus_days(90), 2_000).await?;
    Ok(rows
        .into_iter()
        // The demo's guest may not give kudos (guests thank nobody).
        .filter(|m| m.handle != "guest")
        .map(|m| Member { id: PersonId(m.person_id) })
        .collect())
}

/// When a subject happened: a session by its key (attendance rows carry
/// the time the demo was loaded), the rest by their own time.
fn held_at(subject: &KudosDemoSubjectRow) -> i64 {
    match chrono::NaiveDateTime::parse_from_str(&subject.subject_key, "%Y-%m-%dT%H:%M") {
        Ok(start) if subject.kind == "event" => start.and_utc().timestamp_millis(),
        _ => subject.at,
    }
}

/// A moment after `at` and before now, at most `within` days back.
fn after(rng: &mut StdRng, at: i64, within: i64) -> Timestamp {
    let now = Timestamp::now().millis();
    let earliest = at.max(now - within * DAY) + 3_600_000;
    if earliest >= now {
        return Timestamp(now - rng.gen_range(60_000..3_600_000));
    }
    Timestamp(rng.gen_range(earliest..now))
}

/// Loads the recognition part of the demo organization; runs after
/// discussions, events, practice, expertise and mentoring are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let store = app.store();
    let mut rng = StdRng::seed_from_u64(SEED);
    load_kudos(app, &mut rng).await?;
    load_surveys(store, &mut rng).await?;
    load_assessments(store, &mut rng).await?;
    Ok(())
}

async fn load_kudos(app: &App, rng: &mut StdRng) -> Result<(), AppError> {
    let store = app.store();
    let mut given: HashSet<(i64, &'static str, i64, String, i64)> = HashSet::new();
    let sam = store.find_person_by_handle("sam").await?.map(|p| PersonId(p.id));
    for (slug, count, skills) in PLAN {
        let Some(row) = store.find_community_for_viewer(slug, None).await? else { continue };
        let community = CommunityId(row.community.id);
        let members = members_of(store, community).await?;
        if members.len() < 3 {
            continue;
        }
        let mut subjects = store.list_kudos_demo_subjects(community, 60).await?;
        subjects.shuffle(rng);
        let mut order: Vec<&KudosDemoSubjectRow> = Vec::new();
        let (mut stewardship, mut posts): (Vec<_>, Vec<_>) = subjects.iter().partition(|s| s.kind != "post");
        // Roughly three stewardship kudos for every two about posts.
        while !stewardship.is_empty() || !posts.is_empty() {
            let pick_stewardship = !stewardship.is_empty() && (posts.is_empty() || rng.gen_bool(0.6));
            order.push(if pick_stewardship { stewardship.remove(0) } else { posts.remove(0) });
        }
        let mut made = 0;
        // Nobody collects more than three here: thanks spread, they do not pile up.
        let mut per_receiver: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for subject in order {
            if made >= *count {
                break;
            }
            let received = per_receiver.entry(subject.receiver_id).or_default();
            if *received >= 3 {
                continue;
            }
            // In Frontend Craft, sam gives and receives a few.
            let giver = if *slug == "frontend-craft" && made.is_multiple_of(3) {
                sam.filter(|s| s.0 != subject.receiver_id)
            } else {
                None
            };
            let giver = match giver {
                Some(giver) => giver,
                None => {
                    let candidates: Vec<&Member> =
                        members.iter().filter(|m| m.id.0 != subject.receiver_id && Some(m.id) != sam).collect();
                    let Some(member) = candidates.choose(rng) else { continue };
                    member.id
                }
            };
            let kind: &'static str = match subject.kind.as_str() {
                "post" => "post",
                "artifact" => "artifact",
                _ => "event",
            };
            let key = (giver.0, kind, subject.subject_id, subject.subject_key.clone(), subject.receiver_id);
            if !given.insert(key) {
                continue;
            }
            let category = category_for(rng, subject);
            let skill = if !skills.is_empty() && rng.gen_bool(0.45) {
                let key = skills[rng.gen_range(0..skills.len())];
                store.resolve_skill_term(key).await?.map(|s| s.id)
            } else {
                None
            };
            let message = *messages(category).choose(rng).unwrap_or(&"Thank you!");
            let at = after(rng, held_at(subject), 80);
            insert(
                store,
                giver,
                PersonId(subject.receiver_id),
                Some((community, *slug)),
                kind,
                subject,
                category,
                skill,
                message,
                at,
            )
            .await?;
            *per_receiver.entry(subject.receiver_id).or_default() += 1;
            made += 1;
        }
        // Someone thanks sam in Frontend Craft for his own answers, if any.
        if *slug == "frontend-craft"
            && let Some(sam) = sam
        {
            let his: Vec<&KudosDemoSubjectRow> =
                subjects.iter().filter(|s| s.receiver_id == sam.0 && s.kind == "post").take(2).collect();
            for subject in his {
                let Some(giver) = members.iter().filter(|m| m.id != sam).collect::<Vec<_>>().choose(rng).map(|m| m.id)
                else {
                    continue;
                };
                if given.insert((giver.0, "post", subject.subject_id, String::new(), sam.0)) {
                    let category = category_for(rng, subject);
                    let message = *messages(category).choose(rng).unwrap_or(&"Thank you!");
                    let at = after(rng, subject.at, 60);
                    insert(store, giver, sam, Some((community, *slug)), "post", subject, category, None, message, at)
                        .await?;
                }
            }
        }
    }
    // Mentees thank their mentors.
    for mentorship in store.list_kudos_demo_mentorships().await?.into_iter().take(6) {
        let community = match mentorship.community_id {
            Some(id) => Some((CommunityId(id), store.get_community(CommunityId(id)).await?.slug)),
            None => None,
        };
        let message = *messages(KudosCategory::Mentoring).choose(rng).unwrap_or(&"Thank you!");
        let at = after(rng, mentorship.started_at.unwrap_or(0), 60);
        let link = match &community {
            Some((_, slug)) => format!("/communities/{slug}/kudos"),
            None => "/kudos".to_string(),
        };
        let notification = format!("Your mentee thanked you for mentoring: “{message}”");
        let inserted = store
            .insert_kudos(&NewKudos {
                giver: PersonId(mentorship.mentee_id),
                receiver: PersonId(mentorship.mentor_id),
                community: community.as_ref().map(|c| c.0),
                subject_kind: "mentorship",
                subject_id: mentorship.id,
                subject_key: "",
                contribution: KudosCategory::Mentoring.as_str(),
                skill: None,
                message,
                notification: &notification,
                link: &link,
                at,
            })
            .await;
        match inserted {
            Ok(_) | Err(copse_store::StoreError::Conflict(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    store: &Store,
    giver: PersonId,
    receiver: PersonId,
    community: Option<(CommunityId, &str)>,
    kind: &'static str,
    subject: &KudosDemoSubjectRow,
    category: KudosCategory,
    skill: Option<i64>,
    message: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    let link = community.map_or_else(|| "/kudos".to_string(), |(_, slug)| format!("/communities/{slug}/kudos"));
    let notification = format!("You received kudos for {}: “{message}”", category.label().to_lowercase());
    let inserted = store
        .insert_kudos(&NewKudos {
            giver,
            receiver,
            community: community.map(|c| c.0),
            subject_kind: kind,
            subject_id: subject.subject_id,
            subject_key: &subject.subject_key,
            contribution: category.as_str(),
            skill,
            message,
            notification: &notification,
            link: &link,
            at,
        })
        .await;
    match inserted {
        Ok(_) | Err(copse_store::StoreError::Conflict(_)) => Ok(()),
        Err(other) => Err(other.into()),
    }
}

const RUST_COMMENTS: &[&str] = &[
    "The async clinic is the best hour of my week.",
    "More beginner-friendly sessions, please; the advanced ones lose me.",
    "Recordings would help those of us in Sydney.",
    "The code review standard changed how my team works.",
    "I would love a session on unsafe and FFI.",
    "Fewer announcements, more hands-on exercises.",
    "Great community, very welcoming to newcomers.",
    "It is hard to find older answers; better tags would help.",
    "Please keep the release checklist up to date; we rely on it.",
];

const TOPICS: &[&str] = &[
    "Async traits in practice",
    "Embedded Rust on the warehouse scanners",
    "Error handling with thiserror and anyhow",
    "Profiling a slow service",
    "Writing procedural macros",
    "Rust at the FFI boundary with our Java services",
    "Testing async code",
];

const GREEN_COMMENTS: &[&str] = &["Good start, keep going.", "Would like concrete numbers per service."];

/// One survey: opened `opened_days_ago`, closed `closed_days_ago` (or open),
/// answered by `responses` members (never sam).
struct SurveyPlan {
    slug: &'static str,
    title: &'static str,
    custom: &'static [(&'static str, &'static str)],
    opened_days_ago: i64,
    closed_days_ago: Option<i64>,
    responses: usize,
    comments: &'static [&'static str],
}

const SURVEYS: &[SurveyPlan] = &[
    SurveyPlan {
        slug: "rust-guild",
        title: "Last month's pulse",
        custom: &[
            ("scale", "How useful were the async clinics?"),
            ("text", "Which topic should the next workshop cover?"),
        ],
        opened_days_ago: 45,
        closed_days_ago: Some(31),
        responses: 22,
        comments: RUST_COMMENTS,
    },
    SurveyPlan {
        slug: "rust-guild",
        title: "This month's pulse",
        custom: &[("scale", "How welcome do you feel in the Guild?")],
        opened_days_ago: 4,
        closed_days_ago: None,
        responses: 6,
        comments: &["Keep the clinics going.", "More pairing, please."],
    },
    SurveyPlan {
        slug: "green-software",
        title: "Autumn pulse",
        custom: &[],
        opened_days_ago: 40,
        closed_days_ago: Some(26),
        responses: 3,
        comments: GREEN_COMMENTS,
    },
];

async fn load_surveys(store: &Store, rng: &mut StdRng) -> Result<(), AppError> {
    let now = Timestamp::now().millis();
    let sam = store.find_person_by_handle("sam").await?.map(|p| p.id);
    for plan in SURVEYS {
        let Some(row) = store.find_community_for_viewer(plan.slug, None).await? else { continue };
        let community = CommunityId(row.community.id);
        let facilitator = store.list_facilitators(community).await?.first().map(|f| PersonId(f.person_id));
        let mut questions: Vec<NewSurveyQuestion> = BUILTIN_QUESTIONS
            .iter()
            .map(|(builtin, kind, prompt)| NewSurveyQuestion {
                kind: if *kind == "scale" { "scale" } else { "text" },
                builtin: Some(*builtin),
                prompt: prompt.to_string(),
            })
            .collect();
        for (kind, prompt) in plan.custom {
            questions.push(NewSurveyQuestion {
                kind: if *kind == "scale" { "scale" } else { "text" },
                builtin: None,
                prompt: prompt.to_string(),
            });
        }
        let opened = Timestamp(now - plan.opened_days_ago * DAY);
        let survey = match store
            .insert_survey(&NewSurvey {
                community,
                title: plan.title,
                questions: &questions,
                creator: facilitator,
                at: opened,
            })
            .await
        {
            Ok(id) => id,
            // One open survey per community: the plan never asks for two.
            Err(copse_store::StoreError::Conflict(_)) => continue,
            Err(other) => return Err(other.into()),
        };
        let question_rows = store.list_survey_questions(survey).await?;
        let mut people: Vec<i64> =
            members_of(store, community).await?.into_iter().map(|m| m.id.0).filter(|id| Some(*id) != sam).collect();
        people.shuffle(rng);
        let mut comments = plan.comments.iter();
        let answered_by = plan.closed_days_ago.unwrap_or(0);
        for person in people.into_iter().take(plan.responses) {
            let mut answers = Vec::new();
            for question in &question_rows {
                match (question.kind.as_str(), question.builtin.as_deref()) {
                    ("scale", builtin) => {
                        // Mostly content, some doubts; now and then skipped.
                        if builtin.is_none() && rng.gen_bool(0.15) {
                            continue;
                        }
                        let value = *[5, 4, 4, 4, 3, 3, 2, 5, 4].choose(rng).unwrap_or(&4);
                        answers.push(NewAnswer { question: question.id, scale: Some(value), text: None });
                    }
                    (_, Some("comment")) => {
                        if let Some(text) = comments.next() {
                            answers.push(NewAnswer {
                                question: question.id,
                                scale: None,
                                text: Some(text.to_string()),
                            });
                        }
                    }
                    _ => {
                        if rng.gen_bool(0.5) {
                            let topic = *TOPICS.choose(rng).unwrap_or(&"Macros");
                            answers.push(NewAnswer {
                                question: question.id,
                                scale: None,
                                text: Some(topic.to_string()),
                            });
                        }
                    }
                }
            }
            let day_ago = rng.gen_range(answered_by..plan.opened_days_ago.max(answered_by + 1));
            let day = Timestamp((now - day_ago * DAY).div_euclid(DAY) * DAY);
            let token = crate::accounts::random_token(16);
            store
                .insert_survey_response(&NewResponse {
                    survey,
                    person: PersonId(person),
                    day,
                    token: &token,
                    answers: &answers,
                })
                .await?;
        }
        if let Some(days) = plan.closed_days_ago {
            store.close_survey(survey, facilitator, Timestamp(now - days * DAY)).await?;
        }
    }
    Ok(())
}

/// (community, skill key, people who assess it there)
const ASSESSMENTS: &[(&str, &str, usize)] = &[
    ("rust-guild", "rust", 12),
    ("kubernetes-platform", "kubernetes", 8),
    ("data-science-circle", "machine-learning", 8),
];

async fn load_assessments(store: &Store, rng: &mut StdRng) -> Result<(), AppError> {
    let now = Timestamp::now().millis();
    let sam = store.find_person_by_handle("sam").await?.map(|p| PersonId(p.id));
    let mut assessed: HashSet<i64> = HashSet::new();
    for (slug, skill, people) in ASSESSMENTS {
        let Some(row) = store.find_community_for_viewer(slug, None).await? else { continue };
        let community = CommunityId(row.community.id);
        let key = store.resolve_skill_term(skill).await?.map_or_else(|| skill.to_string(), |s| s.key);
        let mut members = members_of(store, community).await?;
        members.shuffle(rng);
        members.retain(|m| Some(m.id) != sam && !assessed.contains(&m.id.0));
        for member in members.into_iter().take(*people) {
            assessed.insert(member.id.0);
            let before = rng.gen_range(1..=3);
            let started = now - rng.gen_range(70..150) * DAY;
            write(store, member.id, &key, Some(community), "before", before, started).await?;
            // Most have assessed themselves again; most of those improved.
            if rng.gen_bool(0.8) {
                let after = (before + *[0, 1, 1, 2, 2].choose(rng).unwrap_or(&1)).min(5);
                write(store, member.id, &key, Some(community), "after", after, now - rng.gen_range(3..40) * DAY)
                    .await?;
            }
        }
    }
    // sam's own: TypeScript with Frontend Craft, and Rust before he joins the Guild.
    if let Some(sam) = sam {
        let frontend =
            store.find_community_for_viewer("frontend-craft", None).await?.map(|r| CommunityId(r.community.id));
        let typescript =
            store.resolve_skill_term("typescript").await?.map_or_else(|| "typescript".to_string(), |s| s.key);
        let rust = store.resolve_skill_term("rust").await?.map_or_else(|| "rust".to_string(), |s| s.key);
        write(store, sam, &typescript, frontend, "before", 3, now - 120 * DAY).await?;
        write(store, sam, &typescript, frontend, "after", 4, now - 10 * DAY).await?;
        write(store, sam, &rust, None, "before", 1, now - 20 * DAY).await?;
    }
    Ok(())
}

async fn write(
    store: &Store,
    person: PersonId,
    skill: &str,
    community: Option<CommunityId>,
    phase: &str,
    level: i64,
    at: i64,
) -> Result<(), AppError> {
    store
        .insert_assessment(&NewAssessment { person, skill_key: skill, community, phase, level, at: Timestamp(at) })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use copse_store::KudosExportFilter;
    use copse_testkit::TestDb;

    use crate::AppConfig;

    #[tokio::test]
    async fn the_demo_thanks_stewards_and_runs_surveys_on_either_database() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.unwrap();
        crate::demo::load_demo(&app, &|_: &str, _: u64, _: u64| {}).await.unwrap();
        let store = app.store();
        let ada = store.find_person_by_handle("ada").await.unwrap().unwrap();
        let all = KudosExportFilter { person: None, from: Timestamp(0), to: Timestamp(i64::MAX / 2), limit: 10_000 };
        let kudos = store.list_kudos_for_export(PersonId(ada.id), &all).await.unwrap();
        assert!((70..=100).contains(&kudos.len()), "{}", kudos.len());
        for category in KudosCategory::ALL {
            assert!(kudos.iter().any(|k| k.contribution == category.as_str()), "no kudos for {category}");
        }
        let stewardship = kudos.iter().filter(|k| !matches!(k.contribution.as_str(), "answering" | "sharing")).count();
        assert!(stewardship * 2 > kudos.len(), "most kudos are for stewardship: {stewardship} of {}", kudos.len());
        assert!(
            kudos.iter().any(|k| k.skill_key.is_some()) || store.resolve_skill_term("rust").await.unwrap().is_none()
        );
        assert!(kudos.iter().all(|k| k.giver_id != k.receiver_id));
        let sam = store.find_person_by_handle("sam").await.unwrap().unwrap();
        assert!(!kudos.iter().any(|k| k.community_slug.as_deref() == Some("rust-guild") && k.giver_id == sam.id));

        let rust = store.find_community_for_viewer("rust-guild", None).await.unwrap().unwrap();
        let rust = CommunityId(rust.community.id);
        let surveys = store.list_surveys(rust, 10).await.unwrap();
        assert!(surveys.iter().any(|s| s.status == "open"), "sam can answer one");
        assert!(surveys.iter().any(|s| s.status == "closed" && s.response_count >= 12));
        assert!(!store.has_responded(surveys[0].id, PersonId(sam.id)).await.unwrap());
        let green = store.find_community_for_viewer("green-software", None).await.unwrap().unwrap();
        let green = store.list_surveys(CommunityId(green.community.id), 10).await.unwrap();
        assert_eq!(green[0].response_count, 3, "below the threshold");
        let developed = store.skills_developed(rust).await.unwrap();
        assert!(developed.assessed >= 5 && developed.developed > 0, "{developed:?}");
    }

    #[test]
    fn the_plan_covers_every_category_and_about_eighty_kudos() {
        let planned: usize = PLAN.iter().map(|p| p.1).sum();
        assert!((70..=90).contains(&planned), "{planned}");
        for category in KudosCategory::ALL {
            assert!(!messages(*category).is_empty(), "{category}");
        }
        assert!(SURVEYS.iter().any(|s| s.slug == "rust-guild" && s.closed_days_ago.is_some() && s.responses >= 12));
        assert!(SURVEYS.iter().any(|s| s.slug == "rust-guild" && s.closed_days_ago.is_none()));
        assert!(SURVEYS.iter().any(|s| s.slug != "rust-guild" && s.responses < 5));
        assert!(ASSESSMENTS.iter().map(|a| a.2).sum::<usize>() >= 25);
    }
}
