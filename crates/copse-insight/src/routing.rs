//! Question routing: which few people an unanswered question is offered to.
//!
//! Candidates come ranked by expertise for the question's tags; routing
//! skips the asker, people who are away and people who already had their
//! weekly share of routed questions, and spreads load so the same experts
//! are not asked every time.

/// One person who might be offered a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingCandidate {
    pub person_id: i64,
    /// Expertise score for the question's tags, hundredths.
    pub score: i64,
    /// Questions routed to them in the last 7 days.
    pub routed_this_week: u32,
    pub away: bool,
    pub is_asker: bool,
}

/// Why a candidate was passed over, for the routing log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skipped {
    Asker,
    Away,
    AtWeeklyCap,
    NoEvidence,
}

/// The outcome: who is offered the question, and who was skipped and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoutingChoice {
    pub chosen: Vec<i64>,
    pub skipped: Vec<(i64, Skipped)>,
}

/// Chooses at most `how_many` people, never anyone at `weekly_cap`.
///
/// Skips, in this order of precedence (one reason per person): the asker,
/// people who are away, people with `routed_this_week >= weekly_cap`, and
/// people with no evidence (score zero or below). The rest are ordered by
/// the load-adjusted score `score / (1 + routed_this_week)`, highest first,
/// so someone already asked twice this week needs three times the score of
/// an unasked colleague to be asked again; equal adjusted scores break by
/// person id. The comparison is exact (cross-multiplied integers, no
/// floating point). `chosen` is in that order; `skipped` keeps the input
/// order.
pub fn choose_routees(candidates: &[RoutingCandidate], how_many: usize, weekly_cap: u32) -> RoutingChoice {
    let mut choice = RoutingChoice::default();
    let mut eligible: Vec<&RoutingCandidate> = Vec::new();
    for candidate in candidates {
        let reason = if candidate.is_asker {
            Some(Skipped::Asker)
        } else if candidate.away {
            Some(Skipped::Away)
        } else if candidate.routed_this_week >= weekly_cap {
            Some(Skipped::AtWeeklyCap)
        } else if candidate.score <= 0 {
            Some(Skipped::NoEvidence)
        } else {
            None
        };
        match reason {
            Some(reason) => choice.skipped.push((candidate.person_id, reason)),
            None => eligible.push(candidate),
        }
    }
    // a.score / (1 + a.load) > b.score / (1 + b.load)  <=>
    // a.score * (1 + b.load) > b.score * (1 + a.load), all positive.
    eligible.sort_by(|a, b| {
        let left = i128::from(a.score) * (1 + i128::from(b.routed_this_week));
        let right = i128::from(b.score) * (1 + i128::from(a.routed_this_week));
        right.cmp(&left).then(a.person_id.cmp(&b.person_id))
    });
    choice.chosen = eligible.into_iter().take(how_many).map(|c| c.person_id).collect();
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(person_id: i64, score: i64, routed_this_week: u32) -> RoutingCandidate {
        RoutingCandidate { person_id, score, routed_this_week, away: false, is_asker: false }
    }

    #[test]
    fn skips_asker_away_capped_and_no_evidence_with_reasons() {
        let candidates = [
            RoutingCandidate { is_asker: true, ..candidate(1, 9_000, 0) },
            RoutingCandidate { away: true, ..candidate(2, 8_000, 0) },
            candidate(3, 7_000, 3),
            candidate(4, 0, 0),
            candidate(5, 1_000, 2),
            // Asker and away at once: the asker reason wins.
            RoutingCandidate { is_asker: true, away: true, ..candidate(6, 5_000, 9) },
        ];
        let choice = choose_routees(&candidates, 3, 3);
        assert_eq!(choice.chosen, vec![5]);
        assert_eq!(
            choice.skipped,
            vec![
                (1, Skipped::Asker),
                (2, Skipped::Away),
                (3, Skipped::AtWeeklyCap),
                (4, Skipped::NoEvidence),
                (6, Skipped::Asker),
            ]
        );
    }

    #[test]
    fn load_adjusted_score_spreads_questions() {
        // Adjusted: 1 → 9000/3 = 3000, 2 → 4000/1 = 4000, 3 → 6000/2 = 3000,
        // 4 → 2500/1 = 2500.
        let candidates =
            [candidate(1, 9_000, 2), candidate(2, 4_000, 0), candidate(3, 6_000, 1), candidate(4, 2_500, 0)];
        assert_eq!(choose_routees(&candidates, 3, 5).chosen, vec![2, 1, 3]);
        assert_eq!(choose_routees(&candidates, 10, 5).chosen, vec![2, 1, 3, 4]);
        assert_eq!(choose_routees(&candidates, 1, 5).chosen, vec![2]);
        assert!(choose_routees(&candidates, 0, 5).chosen.is_empty());
    }

    #[test]
    fn nobody_at_the_cap_is_chosen_even_when_short() {
        let candidates = [candidate(1, 9_000, 2), candidate(2, 4_000, 1)];
        let choice = choose_routees(&candidates, 2, 2);
        assert_eq!(choice.chosen, vec![2]);
        assert_eq!(choice.skipped, vec![(1, Skipped::AtWeeklyCap)]);
        let none = choose_routees(&candidates, 2, 0);
        assert!(none.chosen.is_empty());
        assert_eq!(none.skipped.len(), 2);
    }

    #[test]
    fn equal_adjusted_scores_break_by_person_id() {
        let candidates = [candidate(9, 2_000, 1), candidate(4, 1_000, 0), candidate(7, 3_000, 2)];
        assert_eq!(choose_routees(&candidates, 3, 5).chosen, vec![4, 7, 9]);
        assert_eq!(choose_routees(&[], 3, 5), RoutingChoice::default());
    }
}
