//! Expertise: a score per person and skill that explains itself, and the
//! ranking behind "who knows X?".
//!
//! The score adds points for each piece of evidence (declared level,
//! accepted answers, answers, artifacts, sessions led, kudos received for
//! the skill); every part is listed with its points so a page can show why a
//! person ranks where they do. Ranking prefers people outside the asker's own
//! team when scores are close.

use copse_domain::SkillLevel;

/// What copse knows about one person and one skill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub declared: Option<SkillLevel>,
    pub accepted_answers: u32,
    pub answers: u32,
    pub artifacts: u32,
    pub sessions: u32,
    pub kudos: u32,
}

/// One line of a score's explanation: "3 accepted answers: +24".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScorePart {
    pub label: String,
    /// In hundredths of a point.
    pub points: i64,
}

/// A score (hundredths of a point) with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertiseScore {
    pub total: i64,
    pub parts: Vec<ScorePart>,
}

/// Points for a declared level, in hundredths: a claim counts, but less than
/// what copse can see people do.
pub const DECLARED_LEARNING_POINTS: i64 = 200;
pub const DECLARED_PRACTITIONER_POINTS: i64 = 600;
pub const DECLARED_EXPERT_POINTS: i64 = 1_200;
/// Points per accepted answer on a thread with the skill's tag: the asker
/// said it solved their problem, the strongest everyday signal.
pub const ACCEPTED_ANSWER_POINTS: i64 = 800;
/// Points per answer (accepted or not, as the caller counts them) on a
/// thread with the skill's tag.
pub const ANSWER_POINTS: i64 = 200;
/// Points per artifact authored or owned with the skill's tag.
pub const ARTIFACT_POINTS: i64 = 600;
/// Points per session led on the skill.
pub const SESSION_POINTS: i64 = 500;
/// Points per kudos received for the skill.
pub const KUDOS_POINTS: i64 = 400;
/// Each kind of count stops adding points beyond this many, so volume alone
/// (hundreds of quick answers) cannot bury steady, varied evidence. The
/// part's label says how many were counted.
pub const COUNT_CAP: u32 = 25;

/// Scores the evidence. Never negative; zero evidence scores zero.
///
/// The score is linear: the declared level's points plus, for each kind of
/// count, its points per item times the count capped at [`COUNT_CAP`]. Only
/// non-zero evidence yields a part, in a fixed order (declared level,
/// accepted answers, answers, artifacts, sessions, kudos).
pub fn score(evidence: &Evidence) -> ExpertiseScore {
    let mut parts = Vec::new();
    if let Some(level) = evidence.declared {
        let points = match level {
            SkillLevel::Learning => DECLARED_LEARNING_POINTS,
            SkillLevel::Practitioner => DECLARED_PRACTITIONER_POINTS,
            SkillLevel::Expert => DECLARED_EXPERT_POINTS,
        };
        parts.push(ScorePart { label: format!("declared {}", level.as_str()), points });
    }
    let counts: [(u32, i64, &str, &str); 5] = [
        (evidence.accepted_answers, ACCEPTED_ANSWER_POINTS, "accepted answer", "accepted answers"),
        (evidence.answers, ANSWER_POINTS, "answer", "answers"),
        (evidence.artifacts, ARTIFACT_POINTS, "artifact", "artifacts"),
        (evidence.sessions, SESSION_POINTS, "session led", "sessions led"),
        (evidence.kudos, KUDOS_POINTS, "kudos received", "kudos received"),
    ];
    for (count, each, singular, plural) in counts {
        if count == 0 {
            continue;
        }
        let counted = count.min(COUNT_CAP);
        let noun = if count == 1 { singular } else { plural };
        let label =
            if counted < count { format!("{count} {noun} ({counted} counted)") } else { format!("{count} {noun}") };
        parts.push(ScorePart { label, points: each * i64::from(counted) });
    }
    ExpertiseScore { total: parts.iter().map(|p| p.points).sum(), parts }
}

/// One candidate for "who knows X?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub person_id: i64,
    pub team: String,
    /// From [`score`], hundredths.
    pub score: i64,
}

/// A ranked candidate: the score used for ordering and whether the
/// outside-team preference applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub person_id: i64,
    pub score: i64,
    pub ranking_score: i64,
    pub outside_asker_team: bool,
}

/// The outside-team preference, in percent of the candidate's own score:
/// enough to lift an outsider past an insider within about 10%, never
/// enough to jump a clearly stronger one.
pub const OUTSIDE_TEAM_BONUS_PERCENT: i64 = 10;

/// Orders candidates best first. When the asker has a team, people outside
/// it are preferred when scores are close (a bounded bonus, never enough to
/// jump a clearly stronger candidate). Ties break by person id so the order
/// is stable.
///
/// `ranking_score` is the score plus [`OUTSIDE_TEAM_BONUS_PERCENT`] of it
/// for people whose team differs from the asker's (teams compare trimmed
/// and case-insensitively). An empty team on either side means "unknown"
/// and earns no bonus. Order: ranking score descending, then score
/// descending, then person id ascending.
pub fn rank_for_asker(candidates: &[Candidate], asker_team: &str) -> Vec<Ranked> {
    let asker_team = asker_team.trim().to_lowercase();
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .map(|c| {
            let team = c.team.trim().to_lowercase();
            let outside = !asker_team.is_empty() && !team.is_empty() && team != asker_team;
            let bonus = if outside { c.score.max(0) * OUTSIDE_TEAM_BONUS_PERCENT / 100 } else { 0 };
            Ranked {
                person_id: c.person_id,
                score: c.score,
                ranking_score: c.score + bonus,
                outside_asker_team: outside,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.ranking_score.cmp(&a.ranking_score).then(b.score.cmp(&a.score)).then(a.person_id.cmp(&b.person_id))
    });
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(score: &ExpertiseScore) -> Vec<(&str, i64)> {
        score.parts.iter().map(|p| (p.label.as_str(), p.points)).collect()
    }

    #[test]
    fn no_evidence_scores_zero_with_no_parts() {
        let score = score(&Evidence::default());
        assert_eq!(score.total, 0);
        assert!(score.parts.is_empty());
    }

    #[test]
    fn declared_levels_score_two_six_and_twelve_points() {
        for (level, points, label) in [
            (SkillLevel::Learning, 200, "declared learning"),
            (SkillLevel::Practitioner, 600, "declared practitioner"),
            (SkillLevel::Expert, 1_200, "declared expert"),
        ] {
            let score = score(&Evidence { declared: Some(level), ..Evidence::default() });
            assert_eq!(score.total, points);
            assert_eq!(labels(&score), vec![(label, points)]);
        }
    }

    #[test]
    fn a_full_profile_adds_up_by_hand() {
        // expert 12 + 3 accepted × 8 + 5 answers × 2 + 2 artifacts × 6
        // + 1 session × 5 + 4 kudos × 4 = 12 + 24 + 10 + 12 + 5 + 16 = 79.
        let evidence = Evidence {
            declared: Some(SkillLevel::Expert),
            accepted_answers: 3,
            answers: 5,
            artifacts: 2,
            sessions: 1,
            kudos: 4,
        };
        let score = score(&evidence);
        assert_eq!(score.total, 7_900);
        assert_eq!(
            labels(&score),
            vec![
                ("declared expert", 1_200),
                ("3 accepted answers", 2_400),
                ("5 answers", 1_000),
                ("2 artifacts", 1_200),
                ("1 session led", 500),
                ("4 kudos received", 1_600),
            ]
        );
        assert_eq!(score.parts.iter().map(|p| p.points).sum::<i64>(), score.total);
    }

    #[test]
    fn singular_and_plural_labels() {
        let one =
            score(&Evidence { accepted_answers: 1, answers: 1, artifacts: 1, sessions: 1, kudos: 1, declared: None });
        assert_eq!(
            one.parts.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
            vec!["1 accepted answer", "1 answer", "1 artifact", "1 session led", "1 kudos received"]
        );
        // 8 + 2 + 6 + 5 + 4 = 25 points.
        assert_eq!(one.total, 2_500);
        let two = score(&Evidence { sessions: 2, ..Evidence::default() });
        assert_eq!(labels(&two), vec![("2 sessions led", 1_000)]);
    }

    #[test]
    fn counts_beyond_the_cap_add_nothing_and_the_label_says_so() {
        let score = score(&Evidence { answers: 40, accepted_answers: 25, ..Evidence::default() });
        // 25 accepted × 8 = 200 points, 25 of 40 answers × 2 = 50 points.
        assert_eq!(labels(&score), vec![("25 accepted answers", 20_000), ("40 answers (25 counted)", 5_000)]);
        assert_eq!(score.total, 25_000);
        let more = super::score(&Evidence { answers: 1_000, ..Evidence::default() });
        assert_eq!(more.total, 5_000);
    }

    #[test]
    fn varied_evidence_beats_sheer_answer_volume() {
        let volume = score(&Evidence { answers: 500, ..Evidence::default() });
        let steward = score(&Evidence {
            declared: Some(SkillLevel::Practitioner),
            accepted_answers: 4,
            artifacts: 2,
            sessions: 2,
            ..Evidence::default()
        });
        // 50 points against 6 + 32 + 12 + 10 = 60.
        assert_eq!((volume.total, steward.total), (5_000, 6_000));
        assert!(steward.total > volume.total);
    }

    fn candidate(person_id: i64, team: &str, score: i64) -> Candidate {
        Candidate { person_id, team: team.into(), score }
    }

    #[test]
    fn close_scores_put_the_outsider_first() {
        let ranked = rank_for_asker(&[candidate(1, "Payments", 1_000), candidate(2, "Platform", 950)], "Payments");
        assert_eq!(ranked.iter().map(|r| r.person_id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(ranked[0], Ranked { person_id: 2, score: 950, ranking_score: 1_045, outside_asker_team: true });
        assert_eq!(ranked[1], Ranked { person_id: 1, score: 1_000, ranking_score: 1_000, outside_asker_team: false });
    }

    #[test]
    fn a_clearly_stronger_insider_stays_first() {
        let ranked = rank_for_asker(&[candidate(1, "payments", 2_000), candidate(2, "Platform", 1_500)], "Payments");
        assert_eq!(ranked.iter().map(|r| r.person_id).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(ranked[1].ranking_score, 1_650);
        // Team names compare case-insensitively: "payments" is the asker's team.
        assert!(!ranked[0].outside_asker_team);
    }

    #[test]
    fn an_empty_team_on_either_side_earns_no_bonus() {
        let ranked = rank_for_asker(&[candidate(1, "Payments", 1_000), candidate(2, "Platform", 950)], "");
        assert_eq!(
            ranked.iter().map(|r| (r.person_id, r.outside_asker_team)).collect::<Vec<_>>(),
            vec![(1, false), (2, false)]
        );
        let ranked = rank_for_asker(&[candidate(1, "Payments", 1_000), candidate(2, "  ", 950)], "Payments");
        assert_eq!(
            ranked.iter().map(|r| (r.person_id, r.ranking_score)).collect::<Vec<_>>(),
            vec![(1, 1_000), (2, 950)]
        );
    }

    #[test]
    fn ties_break_by_score_then_person_id() {
        // 2 (outsider, 1000 → 1100) ties on ranking score with 3 (insider,
        // 1100): the higher raw score goes first. 5 and 4 tie fully.
        let ranked = rank_for_asker(
            &[
                candidate(5, "Data", 500),
                candidate(3, "Payments", 1_100),
                candidate(2, "Data", 1_000),
                candidate(4, "Payments", 550),
            ],
            "Payments",
        );
        assert_eq!(ranked.iter().map(|r| r.person_id).collect::<Vec<_>>(), vec![3, 2, 4, 5]);
        assert!(rank_for_asker(&[], "Payments").is_empty());
    }
}
