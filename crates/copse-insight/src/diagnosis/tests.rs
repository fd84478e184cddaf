use copse_domain::Challenge;

use super::testkit::*;
use super::*;
use crate::activity::ContributionKind::{self, *};
use crate::activity::{DAY_MS, OrgSupport, SurveyFact};

fn run(input: &CommunityInput, challenge: Challenge) -> Finding {
    detect(challenge, input, &Thresholds::defaults())
}

fn with(key: &'static str, value: f64) -> Thresholds {
    let mut thresholds = Thresholds::defaults();
    thresholds.set(key, value);
    thresholds
}

fn value(finding: &Finding) -> f64 {
    finding.measure.value().expect("a measured value")
}

fn assert_not_enough(finding: &Finding, reason_part: &str) {
    match &finding.verdict {
        Verdict::NotEnoughData(reason) => assert!(reason.contains(reason_part), "{reason}"),
        other => panic!("expected not enough data, got {other:?}: {}", finding.symptom),
    }
    assert!(finding.measure.value().is_none());
}

/// No NaN anywhere in a finding, and a defined verdict with a symptom.
fn assert_defined(finding: &Finding) {
    assert!(!finding.symptom.is_empty());
    assert!(finding.threshold.is_finite());
    if let Some(v) = finding.measure.value() {
        assert!(v.is_finite(), "{:?}", finding);
    }
    for (_, v) in finding.chart.iter().flat_map(|c| c.points.iter()) {
        assert!(v.is_finite(), "{:?}", finding);
    }
    assert!(!finding.symptom.contains("NaN") && !finding.evidence.iter().any(|e| e.contains("NaN")));
}

// ---------- thresholds ----------

#[test]
fn every_brief_key_has_a_spec_within_its_range() {
    let keys: Vec<&str> = THRESHOLDS.iter().map(|s| s.key).collect();
    for key in [
        "low_participation.active_share",
        "low_participation.attendance",
        "dominance.top3_share",
        "dominance.facilitation_share",
        "scope_creep.out_of_scope_share",
        "scope_creep.unmatched_share",
        "stagnation.decline",
        "remote_barriers.gap",
    ] {
        assert!(keys.contains(&key), "{key}");
    }
    for spec in THRESHOLDS {
        assert!(spec.min <= spec.default && spec.default <= spec.max, "{}", spec.key);
        assert!(!spec.description.is_empty());
    }
    assert_eq!(Thresholds::defaults().get("dominance.top3_share"), 0.60);
    assert_eq!(with("dominance.top3_share", 7.0).get("dominance.top3_share"), 1.0);
    assert_eq!(with("dominance.top3_share", f64::NAN).get("dominance.top3_share"), 0.60);
    assert_eq!(Thresholds { values: vec![] }.get("stagnation.decline"), 0.40);
}

// ---------- low participation ----------

fn quiet_community() -> CommunityInput {
    let mut input = base();
    members(&mut input, 1, 10, "Platform");
    input.activity.push(daily(today() - 2, 1, Reply, 5));
    input
}

#[test]
fn low_participation_fires_on_a_low_active_share() {
    let finding = run(&quiet_community(), Challenge::LowParticipation);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "1 person contributed in the last 90 days, 10% of the 10 members.");
    assert!((value(&finding) - 0.1).abs() < 1e-12);
    assert_eq!(finding.threshold, 0.20);
    assert_eq!(finding.next_steps.len(), 3);
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::NewSurvey)));
    let chart = finding.chart.unwrap();
    assert_eq!(chart.style, "trend");
    assert_eq!(chart.points.len(), 6);
    assert_eq!(chart.points[4], ("2024-08".to_string(), 1.0));
}

#[test]
fn low_participation_fires_on_thin_attendance_and_names_unanswered_questions() {
    let mut input = base();
    members(&mut input, 1, 5, "Platform");
    for id in 1..=5 {
        input.activity.push(daily(today() - 3, id, Answer, 1));
    }
    input.occurrences.push(session(ago(10), Some(1), &[1, 2]));
    input.occurrences.push(session(ago(20), Some(1), &[1]));
    input.questions.push(crate::activity::Question {
        thread: 9,
        title: "How do we pin toolchains?".into(),
        asker: Some(2),
        created_at: ago(40),
        first_response_at: None,
        accepted_at: None,
        tags: vec![],
    });
    let finding = run(&input, Challenge::LowParticipation);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "The 2 sessions drew 1.5 attendees on average.");
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::Unanswered)
        && s.text.contains("1 question is still unanswered (oldest: \"How do we pin toolchains?\")")));
}

#[test]
fn low_participation_is_clear_when_half_take_part() {
    let mut input = base();
    members(&mut input, 1, 10, "Platform");
    for id in 1..=5 {
        input.activity.push(daily(today() - 1, id, Reply, 2));
    }
    let finding = run(&input, Challenge::LowParticipation);
    assert_eq!(finding.verdict, Verdict::Clear, "{}", finding.symptom);
    assert_eq!(finding.symptom, "5 people contributed in the last 90 days, 50% of the 10 members.");
    assert!(finding.next_steps.is_empty());
}

#[test]
fn low_participation_needs_three_members() {
    let mut input = base();
    members(&mut input, 1, 2, "Platform");
    assert_not_enough(&run(&input, Challenge::LowParticipation), "the community has 2 members");
}

#[test]
fn a_threshold_setting_changes_the_low_participation_verdict() {
    let input = quiet_community();
    let finding = detect(Challenge::LowParticipation, &input, &with("low_participation.active_share", 0.05));
    assert_eq!(finding.verdict, Verdict::Clear);
    assert_eq!(finding.threshold, 0.05);
}

#[test]
fn silent_channels_fire_for_five_members() {
    let mut input = base();
    members(&mut input, 1, 5, "Platform");
    for id in 1..=5 {
        input.activity.push(daily(today() - 40, id, Reply, 1));
    }
    let finding = run(&input, Challenge::LowParticipation);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "The channels have been silent for 30 days.");
}

// ---------- dominance ----------

fn dominated() -> CommunityInput {
    let mut input = base();
    for (id, name) in [(1, "Ada Lovelace"), (2, "Grace Hopper"), (3, "Alan Turing"), (4, "Barbara Liskov")] {
        member(&mut input, id, name, "Platform", None);
    }
    members(&mut input, 5, 3, "Data");
    for (id, n) in [(1, 10), (2, 8), (3, 6), (4, 2), (5, 2), (6, 2)] {
        input.activity.push(daily(today() - 5, id, Answer, n));
    }
    input.activity.push(daily(today() - 5, 7, Question, 3));
    input.activity.push(daily(today() - 6, 4, Question, 1));
    input
}

#[test]
fn dominance_fires_when_three_people_write_most_answers() {
    let finding = run(&dominated(), Challenge::Dominance);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(
        finding.symptom,
        "3 people (Ada Lovelace, Grace Hopper, Alan Turing) wrote 80% of the 30 replies and answers this quarter."
    );
    assert!((value(&finding) - 0.8).abs() < 1e-12);
    // Member 7 asked 3 questions and never answered: invited by name.
    assert!(finding.next_steps[0].text.contains("1 person asked questions but never answered one: Member 7"));
    assert_eq!(finding.next_steps[1].link, Some(StepLink::Person("member".into())));
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::FacilitationRota)));
    let chart = finding.chart.unwrap();
    assert_eq!(chart.points[0], ("Ada Lovelace".to_string(), 100.0 * 10.0 / 30.0));
    assert_eq!(chart.points.last().unwrap().0, "Everyone else");
}

#[test]
fn dominance_is_clear_when_answers_are_spread() {
    let mut input = base();
    members(&mut input, 1, 6, "Platform");
    for id in 1..=6 {
        input.activity.push(daily(today() - 5, id, Reply, 5));
    }
    let finding = run(&input, Challenge::Dominance);
    assert_eq!(finding.verdict, Verdict::Clear);
    assert!(finding.symptom.contains("wrote 50% of the 30 replies and answers"), "{}", finding.symptom);
    // A lower threshold turns it into a finding.
    assert_eq!(detect(Challenge::Dominance, &input, &with("dominance.top3_share", 0.5)).verdict, Verdict::Detected);
}

#[test]
fn dominance_fires_on_one_facilitator_for_the_last_nine_sessions() {
    let mut input = base();
    members(&mut input, 1, 6, "Platform");
    input.people[0].name = "Ada Lovelace".into();
    for id in 1..=6 {
        input.activity.push(daily(today() - 5, id, Reply, 5));
    }
    for week in 0..9 {
        input.occurrences.push(session(ago(7 * week + 1), Some(1), &[1, 2, 3]));
    }
    input.occurrences.push(session(ago(70), Some(2), &[1, 2, 3]));
    let finding = run(&input, Challenge::Dominance);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "The last 9 sessions had the same facilitator (Ada Lovelace).");
    assert!(
        finding
            .next_steps
            .iter()
            .any(|s| s.link == Some(StepLink::FacilitationRota) && s.text.contains("the last 9 sessions"))
    );
}

#[test]
fn dominance_needs_ten_responses_and_four_people() {
    let mut input = base();
    members(&mut input, 1, 6, "Platform");
    input.activity.push(daily(today() - 5, 1, Answer, 5));
    assert_not_enough(&run(&input, Challenge::Dominance), "only 5 replies and answers");
    input.activity.push(daily(today() - 5, 2, Answer, 5));
    assert_not_enough(&run(&input, Challenge::Dominance), "only 2 people contributed");
}

// ---------- management support ----------

#[test]
fn management_support_fires_without_a_sponsor() {
    let mut input = base();
    members(&mut input, 1, 3, "Platform");
    input.org = OrgSupport { members_with_time: 2, hours_per_month: 8, ..OrgSupport::default() };
    input.charter.goals = vec![("Faster onboarding".into(), false), ("Fewer incidents".into(), true)];
    let finding = run(&input, Challenge::ManagementSupport);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "No executive sponsor.");
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::OrganizationSide)));
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::EditCharter)
        && s.text.contains("link this charter goal to an organizational goal: \"Faster onboarding\"")));
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::ValueReport)));
}

#[test]
fn management_support_fires_on_two_signals_and_is_clear_with_one() {
    let mut input = base();
    members(&mut input, 1, 3, "Platform");
    member(&mut input, 9, "Grace Hopper", "Leadership", None);
    input.org = OrgSupport { sponsor: Some(9), ..OrgSupport::default() };
    let finding = run(&input, Challenge::ManagementSupport);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(
        finding.symptom,
        "The sponsor, Grace Hopper, attended no session and read no report in a year and no member has time \
         allocated for the community."
    );
    assert_eq!(value(&finding), 2.0);

    input.org.sponsor_sessions_attended_last_year = 3;
    input.org.sponsor_reports_read_last_year = 2;
    let finding = run(&input, Challenge::ManagementSupport);
    assert_eq!(finding.verdict, Verdict::Clear);
    assert_eq!(value(&finding), 1.0);
    input.org.members_with_time = 2;
    input.org.hours_per_month = 8;
    let finding = run(&input, Challenge::ManagementSupport);
    assert_eq!(
        finding.symptom,
        "Sponsor Grace Hopper attended 3 sessions and read 2 reports in the last year; 2 members have time \
         allocated (8 hours a month)."
    );
}

#[test]
fn management_support_needs_members() {
    assert_not_enough(&run(&base(), Challenge::ManagementSupport), "no members yet");
}

// ---------- scope creep ----------

fn drifting() -> CommunityInput {
    let mut input = base();
    members(&mut input, 1, 3, "Platform");
    input.charter.in_scope = vec!["Rust, async\nTesting".into()];
    input.charter.out_of_scope = vec!["Kubernetes".into()];
    for id in 0..5 {
        input.topics.push(thread(id, 10 + id, "Error handling", &["rust"]));
    }
    for id in 5..8 {
        input.topics.push(thread(id, 10 + id, "Deploying to k8s", &["Kubernetes"]));
    }
    for id in 8..10 {
        input.topics.push(thread(id, 10 + id, "Lunch plans", &["food"]));
    }
    input
}

#[test]
fn scope_creep_fires_on_out_of_scope_threads() {
    let finding = run(&drifting(), Challenge::ScopeCreep);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(
        finding.symptom,
        "3 of the 10 threads this quarter (30%) are about out-of-scope topics; 5 of the 10 threads this quarter \
         (50%) match no in-scope topic, most often \"kubernetes\" (3 threads)."
    );
    assert!((value(&finding) - 0.3).abs() < 1e-12);
    assert_eq!(finding.threshold, 0.20);
    let chart = finding.chart.unwrap();
    assert_eq!(chart.points, vec![("kubernetes".to_string(), 3.0), ("food".to_string(), 2.0)]);
    assert!(
        finding.next_steps.iter().any(|s| s.link == Some(StepLink::NewCommunity) && s.text.contains("\"kubernetes\""))
    );
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::Thread(5))));
}

#[test]
fn scope_creep_is_clear_when_threads_match_by_tag_or_title_word() {
    let mut input = drifting();
    input.topics.truncate(5);
    for id in 5..10 {
        // "Async" in the title matches the in-scope entry "async".
        input.topics.push(thread(id, 10 + id, "Async cancellation in practice", &[]));
    }
    let finding = run(&input, Challenge::ScopeCreep);
    assert_eq!(finding.verdict, Verdict::Clear, "{}", finding.symptom);
    assert_eq!(value(&finding), 0.0);
    assert!(finding.symptom.starts_with("0 of the 10 threads this quarter (0%) are about out-of-scope topics"));
    // Stop words do not match: "and" in a title is not "Testing and CI".
    assert!(!super::scope::title_matches("Tips and tricks", &["Testing and CI"]));
    assert!(super::scope::title_matches("Better testing", &["Testing and CI"]));
}

#[test]
fn scope_creep_needs_eight_threads_and_a_scope() {
    let mut input = drifting();
    input.topics.truncate(7);
    assert_not_enough(&run(&input, Challenge::ScopeCreep), "only 7 threads");
    let mut input = drifting();
    input.charter = Default::default();
    assert_not_enough(&run(&input, Challenge::ScopeCreep), "the charter lists no");
}

#[test]
fn scope_creep_threshold_setting() {
    let thresholds =
        Thresholds { values: vec![("scope_creep.out_of_scope_share", 0.5), ("scope_creep.unmatched_share", 0.6)] };
    assert_eq!(detect(Challenge::ScopeCreep, &drifting(), &thresholds).verdict, Verdict::Clear);
}

// ---------- stagnation ----------

fn declining() -> CommunityInput {
    let mut input = base();
    members(&mut input, 1, 5, "Platform");
    input.activity.push(daily(today() - 120, 1, Reply, 100));
    input.activity.push(daily(today() - 30, 1, Reply, 40));
    input.topics.push(thread(1, 30, "Fresh idea", &["wasm"]));
    input
}

#[test]
fn stagnation_fires_on_a_decline() {
    let finding = run(&declining(), Challenge::Stagnation);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(finding.symptom, "Contributions fell 60% this quarter: 40 against 100 in the 90 days before.");
    assert!((value(&finding) - 0.6).abs() < 1e-12);
    assert_eq!(finding.next_steps.len(), 3);
    let chart = finding.chart.unwrap();
    // 2024-04 to 2024-09: both days (100 on 2024-05-04, 40 on 2024-08-02).
    assert_eq!(chart.points.iter().map(|p| p.1).collect::<Vec<_>>(), vec![0.0, 100.0, 0.0, 0.0, 40.0, 0.0]);
    // A tolerant threshold clears it.
    assert_eq!(detect(Challenge::Stagnation, &declining(), &with("stagnation.decline", 0.7)).verdict, Verdict::Clear);
}

#[test]
fn stagnation_fires_on_repetitive_topics_and_is_clear_with_new_ones() {
    let mut input = base();
    members(&mut input, 1, 5, "Platform");
    input.activity.push(daily(today() - 120, 1, Reply, 50));
    input.activity.push(daily(today() - 30, 1, Reply, 60));
    input.topics.push(thread(1, 200, "Ownership", &["rust"]));
    for id in 2..7 {
        input.topics.push(thread(id, id, "Ownership again", &["Rust"]));
    }
    input.artifacts.push(artifact(1, 300));
    let finding = run(&input, Challenge::Stagnation);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(
        finding.symptom,
        "The 5 topics of this quarter brought no new tag (only rust, all discussed before) and no new artifact."
    );
    assert!(
        finding.next_steps.iter().any(|s| s.link == Some(StepLink::Artifact(1)) && s.text.contains("10 months old"))
    );

    input.topics.push(thread(9, 3, "WebAssembly", &["wasm"]));
    let finding = run(&input, Challenge::Stagnation);
    assert_eq!(finding.verdict, Verdict::Clear);
    assert_eq!(finding.symptom, "Contributions rose 20% this quarter: 60 against 50 in the 90 days before.");
}

#[test]
fn stagnation_needs_twenty_earlier_contributions() {
    let mut input = declining();
    input.activity[0].count = 19;
    assert_not_enough(&run(&input, Challenge::Stagnation), "only 19 contributions");
}

// ---------- remote barriers ----------

fn split_across_the_world(hour: u32) -> CommunityInput {
    let mut input = base();
    for (id, name) in [(1, "Ada Lovelace"), (2, "Grace Hopper"), (3, "Alan Turing")] {
        member(&mut input, id, name, "Platform", Some("Europe/Berlin"));
    }
    member(&mut input, 4, "Ruth Wilson", "Platform", Some("Australia/Sydney"));
    member(&mut input, 5, "Nick Lee", "Platform", Some("Australia/Sydney"));
    member(&mut input, 6, "No Zone", "Platform", None);
    for week in 0..12 {
        let attended: &[i64] = if week < 2 { &[1, 2, 4] } else { &[1, 2] };
        input.occurrences.push(local_session("Europe/Berlin", 7 * week + 1, hour, attended));
    }
    input
}

#[test]
fn remote_barriers_fire_for_sessions_at_night_for_australia() {
    let finding = run(&split_across_the_world(17), Challenge::RemoteBarriers);
    assert_eq!(finding.verdict, Verdict::Detected);
    // Berlin 24 of 36 member-sessions = 67 %; Australia 2 of 24 = 8 %.
    assert_eq!(
        finding.symptom,
        "All 12 sessions this quarter were at 17:00 Europe/Berlin, 01:00 for Australia members, whose attendance \
         rate is 8% vs 67%."
    );
    assert!((value(&finding) - (24.0 / 36.0 - 2.0 / 24.0)).abs() < 1e-12);
    let chart = finding.chart.unwrap();
    assert_eq!(chart.points, vec![("Australia".to_string(), 8.3), ("Europe".to_string(), 66.7)]);
    assert!(finding.next_steps.iter().any(|s| s.link == Some(StepLink::MeetingPlanner)));
    assert!(
        finding
            .next_steps
            .iter()
            .any(|s| s.text == "Record sessions: 12 of 12 sessions this quarter were not recorded")
    );
    assert!(finding.evidence.iter().any(|e| e.starts_with("Unknown: 1 member without a time zone")));
    // A wider tolerated gap clears it.
    let finding = detect(Challenge::RemoteBarriers, &split_across_the_world(17), &with("remote_barriers.gap", 0.7));
    assert_eq!(finding.verdict, Verdict::Clear);
}

#[test]
fn remote_barriers_clear_when_the_time_suits_everyone() {
    // 09:00 Berlin is 17:00 in Sydney: inside the day for both.
    let finding = run(&split_across_the_world(9), Challenge::RemoteBarriers);
    assert_eq!(finding.verdict, Verdict::Clear, "{}", finding.symptom);
    assert_eq!(
        finding.symptom,
        "All 12 sessions this quarter were at 09:00 Europe/Berlin; no region has most sessions outside 08:00-19:00 \
         local time."
    );
    assert_eq!(value(&finding), 0.0);
}

#[test]
fn remote_barriers_fire_on_in_person_sessions_across_locations() {
    let mut input = base();
    members(&mut input, 1, 4, "Platform");
    for (i, p) in input.people.iter_mut().enumerate() {
        p.location = if i < 2 { "Berlin".into() } else { "London".into() };
    }
    for week in 0..4 {
        let mut s = session(ago(7 * week + 1), None, &[1, 2]);
        s.format = "in-person".into();
        input.occurrences.push(s);
    }
    let finding = run(&input, Challenge::RemoteBarriers);
    assert_eq!(finding.verdict, Verdict::Detected);
    assert_eq!(
        finding.symptom,
        "4 of 4 sessions this quarter were in person while members are in 2 locations (Berlin, London)."
    );
}

#[test]
fn remote_barriers_need_sessions_and_regions() {
    let mut input = split_across_the_world(17);
    input.occurrences.truncate(2);
    assert_not_enough(&run(&input, Challenge::RemoteBarriers), "only 2 sessions");
    let mut input = split_across_the_world(17);
    for p in &mut input.people {
        p.time_zone = None;
    }
    assert_not_enough(&run(&input, Challenge::RemoteBarriers), "no member has a time zone");
}

// ---------- bad input ----------

#[test]
fn bad_inputs_give_defined_verdicts_without_nan() {
    let empty = base();
    let mut one = base();
    member(&mut one, 1, "Solo", "Platform", Some("Not/AZone"));
    one.activity.push(daily(today(), 1, Reply, 3));
    let mut one_day = base();
    members(&mut one_day, 1, 20, "Platform");
    for id in 1..=20 {
        one_day.activity.push(daily(today() - 10, id, Answer, 10));
        one_day.activity.push(daily(today() - 10, id, ContributionKind::Rsvp, 1));
        one_day.topics.push(thread(id, 10, "Same day", &["x"]));
        one_day.occurrences.push(session(ago(10), Some(1), &[1, 2]));
    }
    let mut no_zones = split_across_the_world(17);
    for p in &mut no_zones.people {
        p.time_zone = None;
    }
    let mut surveys = quiet_community();
    surveys.surveys.push(SurveyFact {
        opened_at: ago(20),
        closed_at: Some(ago(10)),
        invited: 10,
        responses: 2,
        satisfaction_mean: None,
        usefulness_mean: None,
    });
    let mut future = base();
    members(&mut future, 1, 5, "Platform");
    future.now = i64::MIN / 4;
    future.activity.push(daily(i64::MAX / (4 * DAY_MS), 1, Reply, i64::MAX / 4));

    for input in [&empty, &one, &one_day, &no_zones, &surveys, &future] {
        let findings = diagnose_input(input, &Thresholds::defaults());
        assert_eq!(findings.iter().map(|f| f.challenge).collect::<Vec<_>>(), Challenge::ALL.to_vec());
        for finding in &findings {
            assert_defined(finding);
        }
    }
    let findings = diagnose_input(&empty, &Thresholds::defaults());
    assert!(findings.iter().all(|f| matches!(f.verdict, Verdict::NotEnoughData(_))));
    let findings = diagnose_input(&one, &Thresholds::defaults());
    assert!(matches!(findings[0].verdict, Verdict::NotEnoughData(_)));
    assert_eq!(findings[2].verdict, Verdict::Detected, "one member and no sponsor");
}
