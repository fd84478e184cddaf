use copse_app::{App, AppConfig, ExpertsQuery, Store, StoreOptions, Viewer};
use copse_domain::{Actor, OrgRole, PersonId, TimeZone};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let store = Store::connect("sqlite:///tmp/scale.db", &StoreOptions::default()).await.unwrap();
    let app = App::new(store.clone(), AppConfig::default()).await.unwrap();
    let sam = store.find_person_by_handle("sam").await.unwrap().unwrap();
    let viewer = Viewer { actor: Actor::person(PersonId(sam.id), OrgRole::Member), handle: "sam".into(), name: "Sam".into(), time_zone: TimeZone::utc() };
    let n = 500;
    macro_rules! time {
        ($name:expr, $e:expr) => {{
            let t = Instant::now();
            for _ in 0..n { let _ = $e; }
            println!("{:40} {:8.1} µs", $name, t.elapsed().as_micros() as f64 / n as f64);
        }};
    }
    println!("behind: {}", app.expertise_is_behind().await.unwrap());
    let cands: Vec<copse_insight::expertise::Candidate> = store.list_expert_candidates(26, 200).await.unwrap().into_iter().map(|r| copse_insight::expertise::Candidate { person_id: r.person_id, team: r.team, score: r.score }).collect();
    time!("rank", copse_insight::expertise::rank_for_asker(&cands, "Checkout"));
    time!("who_knows kubernetes p2", app.who_knows(&viewer, &ExpertsQuery { skill: "kubernetes".into(), page: 2 }).await.unwrap());
    time!("who_knows kubernetes", app.who_knows(&viewer, &ExpertsQuery { skill: "kubernetes".into(), page: 1 }).await.unwrap());
    time!("who_knows empty", app.who_knows(&viewer, &ExpertsQuery { skill: "".into(), page: 1 }).await.unwrap());
    time!("is_behind", app.expertise_is_behind().await.unwrap());
    time!("vocabulary", store.list_vocabulary().await.unwrap());
    time!("synonyms", store.list_vocabulary_synonyms().await.unwrap());
    time!("candidates", store.list_expert_candidates(26, 200).await.unwrap());
    let ids: Vec<i64> = store.list_expert_candidates(26, 20).await.unwrap().iter().map(|c| c.person_id).collect();
    time!("by id", store.list_experts_by_id(26, &ids).await.unwrap());
    time!("routed", app.routed_to_me(&viewer).await.unwrap());
    time!("get_person", store.get_person(PersonId(sam.id)).await.unwrap());
}
