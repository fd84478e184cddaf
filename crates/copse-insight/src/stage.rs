//! Stage evidence: which of the five stages the data supports, with the
//! reasons in plain words, shown beside the recorded stage.
//!
//! The rules, first match wins:
//! - potential: no members, fewer than 5, or nothing happened yet (no
//!   session, topic or contribution);
//! - transformation: after having been active (at least 40 contributions and
//!   sessions in the year before this quarter), the last 90 days hold less
//!   than 30 % of the average quarter of that year;
//! - stewardship: maturing, with the rhythm sustained for at least 12 months
//!   (each of the last 12 months closes a 6-month span with at least 3
//!   rhythmic months), at least 15 published artifacts, at least 3
//!   facilitators in the last 10 sessions and reuse outside the authoring
//!   team;
//! - maturing: a regular rhythm (a month with at least 1 session or 10
//!   contributions, in at least 3 of the last 6 calendar months), at least 5
//!   published artifacts and members from at least 3 teams;
//! - coalescing: otherwise (first sessions and threads, not yet a rhythm).

use std::collections::BTreeSet;

use copse_domain::Stage;

use crate::activity::{CommunityInput, ContributionKind, day_of};
use crate::diagnosis::common::{
    Window, count_kind, f, members, months_since, pct, plural, sessions_in, started_sessions_recent_first,
};
use crate::metrics::CommunityMetrics;

#[derive(Debug, Clone, PartialEq)]
pub struct StageSuggestion {
    pub stage: Stage,
    /// Plain-word reasons, e.g. "regular monthly rhythm for 7 months".
    pub reasons: Vec<String>,
    /// One sentence: "regular monthly rhythm for 7 months, 14 artifacts
    /// published, membership from 6 teams: maturing".
    pub summary: String,
    /// Whether it differs from the recorded stage.
    pub differs: bool,
}

const MIN_MEMBERS: usize = 5;
const RHYTHM_SESSIONS: i64 = 1;
const RHYTHM_CONTRIBUTIONS: i64 = 10;
const RHYTHM_MONTHS: usize = 3;
const MATURING_ARTIFACTS: i64 = 5;
const MATURING_TEAMS: usize = 3;
const STEWARDSHIP_MONTHS: usize = 12;
const STEWARDSHIP_ARTIFACTS: i64 = 15;
const STEWARDSHIP_FACILITATORS: usize = 3;
const TRANSFORMATION_SHARE: f64 = 0.30;
const BEEN_ACTIVE: i64 = 40;

/// The facts the rules read.
struct Evidence {
    members: usize,
    teams: usize,
    /// Per calendar month from the first activity (or creation) to now:
    /// whether it had a rhythm.
    rhythm: Vec<bool>,
    published: i64,
    facilitators_last_10: usize,
    reuse_outside: i64,
    sessions_ever: usize,
    threads_ever: usize,
    contributions_ever: i64,
    quarter_activity: i64,
    year_before_activity: i64,
}

impl Evidence {
    fn gather(input: &CommunityInput) -> Self {
        let members = members(input);
        let teams: BTreeSet<String> = members
            .keys()
            .filter_map(|id| input.person(*id))
            .map(|p| p.team.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        let participation = ContributionKind::counts_as_participation;
        let first_day = input
            .activity
            .iter()
            .map(|r| r.day)
            .chain(input.occurrences.iter().map(|o| day_of(o.start)))
            .chain(std::iter::once(day_of(input.created_at)))
            .min()
            .unwrap_or_else(|| day_of(input.now));
        let rhythm = months_since(first_day, input.now)
            .into_iter()
            .map(|m| {
                sessions_in(input, m.window).len() as i64 >= RHYTHM_SESSIONS
                    || count_kind(input, m.window, participation) >= RHYTHM_CONTRIBUTIONS
            })
            .collect();
        let recent = started_sessions_recent_first(input);
        let facilitators: BTreeSet<i64> = recent.iter().take(10).filter_map(|o| o.facilitator).collect();
        let quarter = Window::quarter(input.now);
        let year_before = Window { start_day: quarter.start_day - 360, end_day: quarter.start_day };
        let activity = |w: Window| count_kind(input, w, participation) + sessions_in(input, w).len() as i64;
        let all_time = Window { start_day: i64::MIN / 2, end_day: day_of(input.now) + 1 };
        Self {
            members: members.len(),
            teams: teams.len(),
            rhythm,
            published: input.artifacts.iter().filter(|a| a.published && a.at <= input.now).count() as i64,
            facilitators_last_10: facilitators.len(),
            reuse_outside: input.reuses.iter().filter(|r| r.outside_author_team && r.at <= input.now).count() as i64,
            sessions_ever: recent.len(),
            threads_ever: input.topics.iter().filter(|t| t.source == "thread" && t.at <= input.now).count(),
            contributions_ever: count_kind(input, all_time, participation),
            quarter_activity: activity(quarter),
            year_before_activity: activity(year_before),
        }
    }

    /// Rhythmic months among the last 6 calendar months.
    fn recent_rhythm(&self) -> usize {
        self.rhythm.iter().rev().take(6).filter(|r| **r).count()
    }

    /// Consecutive rhythmic months up to the current one (or the previous
    /// one, while the current month has none yet).
    fn streak(&self) -> usize {
        let mut months = self.rhythm.iter().rev().peekable();
        if months.peek() == Some(&&false) {
            months.next();
        }
        months.take_while(|r| **r).count()
    }

    /// Consecutive months, back from now, that each close a 6-month span
    /// with a rhythm in at least 3 months.
    fn sustained(&self) -> usize {
        (0..self.rhythm.len())
            .rev()
            .take_while(|&end| {
                let start = (end + 1).saturating_sub(6);
                self.rhythm[start..=end].iter().filter(|r| **r).count() >= RHYTHM_MONTHS
            })
            .count()
    }

    fn rhythm_reason(&self) -> String {
        let streak = self.streak();
        if streak >= RHYTHM_MONTHS {
            format!("regular monthly rhythm for {streak} months")
        } else {
            format!("activity in {} of the last 6 months", self.recent_rhythm())
        }
    }
}

pub fn suggest_stage(input: &CommunityInput, _metrics: &CommunityMetrics) -> StageSuggestion {
    suggest_stage_input(input)
}

/// [`suggest_stage`] without precomputed metrics.
pub fn suggest_stage_input(input: &CommunityInput) -> StageSuggestion {
    let (stage, reasons) = decide(&Evidence::gather(input));
    let summary = format!("{}: {}", reasons.join(", "), stage.as_str());
    StageSuggestion { stage, reasons, summary, differs: stage != input.stage }
}

fn decide(e: &Evidence) -> (Stage, Vec<String>) {
    if e.members == 0 {
        return (Stage::Potential, vec!["no members yet".into()]);
    }
    let average_quarter = f(e.year_before_activity) / 4.0;
    if e.year_before_activity >= BEEN_ACTIVE && f(e.quarter_activity) < TRANSFORMATION_SHARE * average_quarter {
        return (
            Stage::Transformation,
            vec![format!(
                "activity in the last 90 days ({}) is {} of the average quarter of the year before ({})",
                e.quarter_activity,
                pct(f(e.quarter_activity) / average_quarter),
                average_quarter.round() as i64
            )],
        );
    }
    let nothing_yet = e.sessions_ever == 0 && e.threads_ever == 0 && e.contributions_ever == 0;
    if e.members < MIN_MEMBERS || nothing_yet {
        let mut reasons = Vec::new();
        if e.members < MIN_MEMBERS {
            reasons.push(format!("{}, fewer than {MIN_MEMBERS}", plural(e.members as i64, "member")));
        }
        if nothing_yet {
            reasons.push("nothing has happened yet: no sessions, threads or contributions".into());
        }
        return (Stage::Potential, reasons);
    }
    let rhythm = e.recent_rhythm() >= RHYTHM_MONTHS;
    let maturing = rhythm && e.published >= MATURING_ARTIFACTS && e.teams >= MATURING_TEAMS;
    let published = format!("{} published", plural(e.published, "artifact"));
    let teams = format!("membership from {}", plural(e.teams as i64, "team"));
    if maturing
        && e.sustained() >= STEWARDSHIP_MONTHS
        && e.published >= STEWARDSHIP_ARTIFACTS
        && e.facilitators_last_10 >= STEWARDSHIP_FACILITATORS
        && e.reuse_outside > 0
    {
        return (
            Stage::Stewardship,
            vec![
                format!("regular rhythm sustained for {} months", e.sustained()),
                published,
                teams,
                format!("{} in the last 10 sessions", plural(e.facilitators_last_10 as i64, "facilitator")),
                format!("reused outside the authoring team {}", plural(e.reuse_outside, "time")),
            ],
        );
    }
    if maturing {
        return (Stage::Maturing, vec![e.rhythm_reason(), published, teams]);
    }
    let mut reasons = vec![format!(
        "first activities: {} and {}",
        plural(e.sessions_ever as i64, "session"),
        plural(e.threads_ever as i64, "thread")
    )];
    if !rhythm {
        reasons.push(format!("{} ({RHYTHM_MONTHS} needed)", e.rhythm_reason()));
    }
    if e.published < MATURING_ARTIFACTS {
        reasons.push(format!("{published} ({MATURING_ARTIFACTS} needed)"));
    }
    if e.teams < MATURING_TEAMS {
        reasons.push(format!("{teams} ({MATURING_TEAMS} needed)"));
    }
    (Stage::Coalescing, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::ContributionKind::*;
    use crate::activity::{DAY_MS, Reuse};
    use crate::diagnosis::testkit::*;

    /// `teams` members in distinct teams (plus more in the first).
    fn community(members_count: i64, teams: i64) -> CommunityInput {
        let mut input = base();
        for id in 1..=members_count {
            member(&mut input, id, &format!("Member {id}"), &format!("Team {}", (id - 1) % teams), None);
        }
        input
    }

    /// One session in each of the `months` calendar months before the
    /// current one (2024-08 back), facilitated in turn by `facilitators`.
    fn monthly_sessions(input: &mut CommunityInput, months: i64, facilitators: &[i64]) {
        for back in 0..months {
            // Mid-month: 2024-08-15 minus `back` months of ~30.4 days.
            let at = ago(17) - back * 30 * DAY_MS - back * DAY_MS / 2;
            let facilitator = facilitators.get(back as usize % facilitators.len().max(1)).copied();
            input.occurrences.push(session(at, facilitator, &[1, 2, 3]));
        }
    }

    fn suggest(input: &CommunityInput) -> StageSuggestion {
        suggest_stage_input(input)
    }

    #[test]
    fn an_empty_community_is_potential() {
        let s = suggest(&CommunityInput::empty(1, 0));
        assert_eq!(s.stage, Stage::Potential);
        assert_eq!(s.summary, "no members yet: potential");
        assert!(!s.differs);
    }

    #[test]
    fn few_members_or_nothing_happened_is_potential() {
        let mut input = community(3, 3);
        input.activity.push(daily(today() - 3, 1, Reply, 4));
        let s = suggest(&input);
        assert_eq!(s.stage, Stage::Potential);
        assert_eq!(s.summary, "3 members, fewer than 5: potential");

        let s = suggest(&community(8, 3));
        assert_eq!(s.stage, Stage::Potential);
        assert_eq!(s.summary, "nothing has happened yet: no sessions, threads or contributions: potential");
    }

    #[test]
    fn first_activities_are_coalescing() {
        let mut input = community(6, 2);
        input.stage = Stage::Maturing;
        monthly_sessions(&mut input, 2, &[1]);
        input.topics.push(thread(1, 5, "Hello", &[]));
        input.artifacts.push(artifact(1, 10));
        let s = suggest(&input);
        assert_eq!(s.stage, Stage::Coalescing);
        assert_eq!(
            s.summary,
            "first activities: 2 sessions and 1 thread, activity in 2 of the last 6 months (3 needed), 1 artifact \
             published (5 needed), membership from 2 teams (3 needed): coalescing"
        );
        assert!(s.differs);
    }

    #[test]
    fn a_regular_rhythm_with_artifacts_and_teams_is_maturing() {
        let mut input = community(6, 6);
        input.stage = Stage::Maturing;
        monthly_sessions(&mut input, 7, &[1]);
        for id in 0..14 {
            input.artifacts.push(artifact(id, 20 + id));
        }
        let s = suggest(&input);
        assert_eq!(s.stage, Stage::Maturing);
        assert_eq!(
            s.reasons,
            vec!["regular monthly rhythm for 7 months", "14 artifacts published", "membership from 6 teams"]
        );
        assert_eq!(
            s.summary,
            "regular monthly rhythm for 7 months, 14 artifacts published, membership from 6 teams: maturing"
        );
        assert!(!s.differs);
    }

    #[test]
    fn a_sustained_rhythm_with_reuse_and_rotation_is_stewardship() {
        let mut input = community(9, 4);
        monthly_sessions(&mut input, 14, &[1, 2, 3]);
        for id in 0..16 {
            input.artifacts.push(artifact(id, 20 + id));
        }
        input.reuses.push(Reuse { artifact: 1, at: ago(5), person: 4, outside_author_team: true });
        let s = suggest(&input);
        // Sessions 2023-07 to 2024-08; 2023-09 is the first month closing a
        // 6-month span with 3 rhythmic months: 2023-09 to 2024-09 is 13.
        assert_eq!(s.stage, Stage::Stewardship, "{}", s.summary);
        assert_eq!(
            s.summary,
            "regular rhythm sustained for 13 months, 16 artifacts published, membership from 4 teams, 3 facilitators \
             in the last 10 sessions, reused outside the authoring team 1 time: stewardship"
        );
        // Without reuse outside the authoring team it stays maturing.
        input.reuses.clear();
        assert_eq!(suggest(&input).stage, Stage::Maturing);
    }

    #[test]
    fn a_collapse_after_an_active_year_is_transformation() {
        let mut input = community(6, 3);
        for week in 0..50 {
            input.activity.push(daily(today() - 100 - 7 * week, 1, Reply, 4));
        }
        input.activity.push(daily(today() - 3, 1, Reply, 5));
        let s = suggest(&input);
        assert_eq!(s.stage, Stage::Transformation);
        // 50 weeks x 4 = 200 in the year before: 50 a quarter; 5 is 10 %.
        assert_eq!(
            s.summary,
            "activity in the last 90 days (5) is 10% of the average quarter of the year before (50): transformation"
        );
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let mut input = community(5, 1);
        input.now = i64::MIN / 4;
        input.activity.push(daily(0, 1, Answer, 3));
        let _ = suggest(&input);
        let mut input = community(5, 1);
        input.created_at = i64::MAX / 4;
        for _ in 0..3 {
            input.activity.push(daily(today(), 1, Answer, 30));
        }
        assert_eq!(suggest(&input).stage, Stage::Coalescing);
    }
}
