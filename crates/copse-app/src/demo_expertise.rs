//! Demo data for expertise: the skills vocabulary built from what the demo's
//! people declared (with synonyms such as k8s for Kubernetes, and a few odd
//! spellings left unmapped so the curation list has something to show), the
//! Rust Guild's and the Kubernetes community's threads and artifacts tagged
//! with their core skill so "who knows rust" and "who knows k8s" find the
//! people behind the work, the expertise table, and the demo's unanswered
//! questions routed once. The scale generator's vocabulary and expertise
//! come from [`load_scale`].

use copse_domain::{Actor, ArtifactInput, CommunityId, OrgRole, PersonId, SkillLevel, TimeZone, Timestamp};
use copse_store::PeopleFilter;

use crate::{App, AppError, Viewer};

/// Declared keys left out of the vocabulary: the curation list shows them.
const UNMAPPED: &[&str] = &["k8s-ops", "rust-lang", "k8s-operators"];

/// (synonym, the skill's key): the other words people use.
const SYNONYMS: &[(&str, &str)] = &[
    ("k8s", "kubernetes"),
    ("kube", "kubernetes"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("ml", "machine-learning"),
    ("postgres", "postgresql"),
    ("psql", "postgresql"),
    ("golang", "go"),
    ("a11y", "accessibility"),
    ("py", "python"),
    ("rustlang", "rust"),
    ("ci-cd", "ci/cd"),
    ("threat-modelling", "threat-modeling"),
    ("infosec", "security"),
];

/// Skills that no demo person declares but tags and synonyms need.
const EXTRA_SKILLS: &[(&str, &str)] = &[("javascript", "JavaScript"), ("observability", "Observability")];

/// A line for the best-known skills.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("rust", "Systems programming in Rust: ownership, async with tokio, services and tooling."),
    ("kubernetes", "Running workloads on Kubernetes: deployments, autoscaling, upgrades, Helm."),
    ("machine-learning", "Building, evaluating and operating machine-learning models."),
    ("accessibility", "Making products usable by everyone: WCAG, ARIA, assistive technology."),
    ("typescript", "Typed JavaScript for web front ends and services."),
    ("security", "Application and infrastructure security, secure defaults, reviews."),
];

/// Communities whose threads and artifacts all concern one skill: tagged
/// with its key, so their answers and artifacts count for it.
const COMMUNITY_SKILLS: &[(&str, &str)] = &[("rust-guild", "rust"), ("kubernetes-platform", "kubernetes")];

/// Odd or extra declarations given to a few people: (team, nth non-demo
/// member of it by name, text as typed, level).
const EXTRA_DECLARATIONS: &[(&str, usize, &str, SkillLevel)] = &[
    ("Checkout", 2, "k8s", SkillLevel::Learning),
    // Spellings the vocabulary does not know yet.
    ("Platform", 0, "k8s-ops", SkillLevel::Expert),
    ("Infrastructure", 0, "K8s operators", SkillLevel::Practitioner),
    ("Data Platform", 0, "Rust lang", SkillLevel::Learning),
    ("SRE", 0, "k8s", SkillLevel::Expert),
];

const DEMO_HANDLES: &[&str] = &["ada", "sam", "priya", "guest"];

/// Someone on sam's team (Checkout) who knows a skill and has written it
/// down in the skill's community, so "who knows" shows insiders beside the
/// outsiders it prefers.
struct Insider {
    nth: usize,
    declared: &'static str,
    community: &'static str,
    kind: &'static str,
    title: &'static str,
    body: &'static str,
    tags: &'static str,
}

const INSIDERS: &[Insider] = &[
    Insider {
        nth: 0,
        declared: "Rust",
        community: "rust-guild",
        kind: "lessons-learned",
        title: "Rust in Checkout: moving the price calculator",
        body: "We moved the checkout price calculator from a Node service to a small Rust crate compiled to \
               WebAssembly and to a native library.\n\n## What went well\n\n- One implementation of the rounding \
               rules for web and server.\n- Property tests (proptest) found two currency edge cases.\n\n## What \
               we would do differently\n\n- Agree on the error type first; we rewrote it twice.\n- Budget time \
               for the build pipeline.\n",
        tags: "rust, wasm, payments",
    },
    Insider {
        nth: 1,
        declared: "Kubernetes",
        community: "kubernetes-platform",
        kind: "checklist",
        title: "Checkout rollout checklist on Kubernetes",
        body: "Before rolling out a checkout service:\n\n- [ ] Readiness probe checks the payment provider \
               client\n- [ ] PodDisruptionBudget allows at most one pod down\n- [ ] HPA limits reviewed for sale \
               days\n- [ ] Canary at 5% for 30 minutes with the error-rate dashboard open\n",
        tags: "kubernetes, rollout, checkout",
    },
];

/// Loads the expertise part of the demo organization; runs after discussions,
/// events and practice are loaded.
pub(crate) async fn load(app: &App) -> Result<(), AppError> {
    let store = app.store();
    let now = Timestamp::now();
    for &(team, nth, text, level) in EXTRA_DECLARATIONS {
        let filter = PeopleFilter { team: team.to_string(), ..Default::default() };
        let people = store.list_people(&filter, 0, 20).await?;
        if let Some(person) = people.iter().filter(|p| !DEMO_HANDLES.contains(&p.handle.as_str())).nth(nth) {
            store.insert_declared_skill(PersonId(person.id), text, level, now).await?;
        }
    }
    add_insiders(app, now).await?;
    build_vocabulary(app, now).await?;
    for &(slug, tag) in COMMUNITY_SKILLS {
        if let Some(row) = store.find_community_for_viewer(slug, None).await? {
            store.tag_community_content(CommunityId(row.community.id), tag, now).await?;
        }
    }
    app.rebuild_expertise().await?;
    // The demo's unanswered questions are older than a routing pass looks
    // at; route them once so a few people have questions waiting.
    app.route_questions_up_to(now, 400).await?;
    Ok(())
}

/// The Checkout people who know Rust and Kubernetes: declared expert, a
/// member of the skill's community, and an artifact there.
async fn add_insiders(app: &App, now: Timestamp) -> Result<(), AppError> {
    let store = app.store();
    let filter = PeopleFilter { team: "Checkout".into(), ..Default::default() };
    let people = store.list_people(&filter, 0, 20).await?;
    let checkout: Vec<_> = people.iter().filter(|p| !DEMO_HANDLES.contains(&p.handle.as_str())).collect();
    for insider in INSIDERS {
        let Some(person) = checkout.get(insider.nth) else { continue };
        store.insert_declared_skill(PersonId(person.id), insider.declared, SkillLevel::Expert, now).await?;
        let viewer = Viewer {
            actor: Actor::person(PersonId(person.id), OrgRole::parse(&person.org_role).unwrap_or(OrgRole::Member)),
            handle: person.handle.clone(),
            name: person.name.clone(),
            time_zone: TimeZone::parse(&person.time_zone).unwrap_or_else(|_| TimeZone::utc()),
        };
        match app.join_community(&viewer, insider.community).await {
            Ok(()) | Err(AppError::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
        let input = ArtifactInput {
            kind: insider.kind.into(),
            title: insider.title.into(),
            body: insider.body.into(),
            message: "First version".into(),
            tags: insider.tags.into(),
            review_by: String::new(),
            status: "published".into(),
        };
        app.create_artifact(&viewer, insider.community, &input).await?;
    }
    Ok(())
}

/// The vocabulary and expertise of the scale generator's organization.
pub(crate) async fn load_scale(app: &App) -> Result<(), AppError> {
    build_vocabulary(app, Timestamp::now()).await?;
    app.rebuild_expertise().await?;
    Ok(())
}

/// Every declared key becomes a skill named as people typed it (except
/// [`UNMAPPED`]), plus the extra skills, synonyms and descriptions.
async fn build_vocabulary(app: &App, now: Timestamp) -> Result<(), AppError> {
    let store = app.store();
    let synonyms: Vec<&str> = SYNONYMS.iter().map(|(s, _)| *s).collect();
    let mut keys: Vec<(String, String)> = store
        .list_declared_skill_keys()
        .await?
        .into_iter()
        .filter(|k| !UNMAPPED.contains(&k.key.as_str()) && !synonyms.contains(&k.key.as_str()))
        .map(|k| (k.key, k.example))
        .collect();
    for (key, name) in EXTRA_SKILLS {
        if !keys.iter().any(|(k, _)| k == key) {
            keys.push((key.to_string(), name.to_string()));
        }
    }
    for (key, example) in keys {
        let description = DESCRIPTIONS.iter().find(|(k, _)| *k == key).map_or("", |(_, d)| *d);
        store.insert_vocabulary_skill(&key, &nice_name(&example), description, None, now).await?;
    }
    for (synonym, key) in SYNONYMS {
        if let Some(skill) = store.resolve_vocabulary_key(key).await?
            && skill.via.is_empty()
        {
            store.insert_vocabulary_synonym(synonym, skill.id, None, now).await?;
        }
    }
    Ok(())
}

/// A skill's display name from a text as typed: the first letter upper
/// case unless the text already mixes cases ("TypeScript", "CI/CD").
fn nice_name(text: &str) -> String {
    let text = text.trim();
    if text.chars().any(char::is_uppercase) {
        return text.to_string();
    }
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use copse_domain::skill_key;
    use copse_testkit::TestDb;

    use super::*;
    use crate::{AppConfig, ExpertsQuery, SkillResolution};

    fn quiet(_: &str, _: u64, _: u64) {}

    async fn viewer(app: &App, handle: &str) -> Viewer {
        let row = app.store().find_person_by_handle(handle).await.unwrap().unwrap();
        let role = OrgRole::parse(&row.org_role).unwrap();
        Viewer {
            actor: Actor::person(PersonId(row.id), role),
            handle: row.handle,
            name: row.name,
            time_zone: TimeZone::utc(),
        }
    }

    #[tokio::test]
    async fn who_knows_rust_and_k8s_is_meaningful_in_the_demo() {
        let db = TestDb::new().await;
        let app = App::new(db.store.clone(), AppConfig::default()).await.unwrap();
        crate::demo::load_demo(&app, &quiet).await.unwrap();
        let sam = viewer(&app, "sam").await;
        for term in ["rust", "k8s"] {
            let page = app.who_knows(&sam, &ExpertsQuery { skill: term.into(), page: 1 }).await.unwrap();
            let SkillResolution::Skill { via_synonym, .. } = &page.resolution else { panic!("{term} is known") };
            assert_eq!(via_synonym.is_some(), term == "k8s");
            assert!(page.experts.len() >= 10, "{term}: {}", page.experts.len());
            assert!(page.experts.iter().any(|e| e.outside_team), "{term}: outsiders");
            assert!(page.experts.iter().any(|e| e.team == "Checkout" && !e.outside_team), "{term}: sam's team too");
            let with_evidence = page.experts.iter().filter(|e| !e.evidence.is_empty()).count();
            assert!(with_evidence >= 2, "{term}: evidence for {with_evidence}");
            assert!(page.experts.iter().any(|e| e.parts.iter().any(|p| p.label.contains("answer"))), "{term}");
        }
        let ada = viewer(&app, "ada").await;
        let unmapped = app.unmapped_skills(&ada).await.unwrap();
        let keys: Vec<&str> = unmapped.iter().map(|u| u.key.as_str()).collect();
        assert!(keys.contains(&"k8s-ops") && keys.contains(&"rust-lang"), "{keys:?}");
        // The demo's unanswered questions were offered to a few people.
        let routed = app.store().list_questions_to_route(Timestamp(0), Timestamp::now(), 1_000).await.unwrap();
        assert!(routed.is_empty(), "every old unanswered question is claimed: {}", routed.len());
    }

    #[test]
    fn names_keep_what_people_typed_with_a_capital() {
        assert_eq!(nice_name("machine learning"), "Machine learning");
        assert_eq!(nice_name("TypeScript"), "TypeScript");
        assert_eq!(nice_name("CI/CD"), "CI/CD");
        // Synonyms point at keys the demo's vocabulary has.
        for (synonym, key) in SYNONYMS {
            assert_eq!(skill_key(synonym), *synonym);
            assert_eq!(skill_key(key), *key);
        }
    }
}
