//! Participation levels from activity.
//!
//! The tutorial's picture of a community is concentric: a small core who lead
//! and contribute most, an active ring who take part regularly, and a large
//! periphery who mostly watch and learn (legitimate peripheral participation).
//! We place each member by how many contributions they made in a recent
//! window (90 days by default), using absolute thresholds a facilitator can
//! read and check by hand: about one contribution a week or more is core,
//! about one a month is active, anything at all is peripheral, nothing is
//! inactive. Relative rules (top 10%) would call someone "core" in a silent
//! community, which misleads.

use copse_domain::ParticipationLevel;

/// The thresholds, in contributions per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParticipationBands {
    pub window_days: i64,
    pub core_min: i64,
    pub active_min: i64,
}

impl Default for ParticipationBands {
    fn default() -> Self {
        Self { window_days: 90, core_min: 12, active_min: 3 }
    }
}

/// Level for one member from their contribution count in the window.
pub fn classify(contributions_in_window: i64, bands: &ParticipationBands) -> ParticipationLevel {
    if contributions_in_window >= bands.core_min {
        ParticipationLevel::Core
    } else if contributions_in_window >= bands.active_min {
        ParticipationLevel::Active
    } else if contributions_in_window > 0 {
        ParticipationLevel::Peripheral
    } else {
        ParticipationLevel::Inactive
    }
}

/// How many members sit at each level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParticipationSummary {
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
}

impl ParticipationSummary {
    pub fn total(&self) -> i64 {
        self.core + self.active + self.peripheral + self.inactive
    }

    /// Share of members at `level`, 0 to 100, rounded.
    pub fn percent(&self, level: ParticipationLevel) -> i64 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        let count = match level {
            ParticipationLevel::Core => self.core,
            ParticipationLevel::Active => self.active,
            ParticipationLevel::Peripheral => self.peripheral,
            ParticipationLevel::Inactive => self.inactive,
        };
        (count * 100 + total / 2) / total
    }
}

/// Counts levels over `member_count` members, of whom `counts` are the
/// contribution counts of those with any activity (the rest are inactive).
pub fn summarize(counts: &[i64], member_count: i64, bands: &ParticipationBands) -> ParticipationSummary {
    let mut summary = ParticipationSummary::default();
    for &count in counts {
        match classify(count, bands) {
            ParticipationLevel::Core => summary.core += 1,
            ParticipationLevel::Active => summary.active += 1,
            ParticipationLevel::Peripheral => summary.peripheral += 1,
            ParticipationLevel::Inactive => summary.inactive += 1,
        }
    }
    let classified = summary.core + summary.active + summary.peripheral + summary.inactive;
    summary.inactive += (member_count - classified).max(0);
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_bands() {
        let bands = ParticipationBands::default();
        assert_eq!(classify(0, &bands), ParticipationLevel::Inactive);
        assert_eq!(classify(1, &bands), ParticipationLevel::Peripheral);
        assert_eq!(classify(2, &bands), ParticipationLevel::Peripheral);
        assert_eq!(classify(3, &bands), ParticipationLevel::Active);
        assert_eq!(classify(11, &bands), ParticipationLevel::Active);
        assert_eq!(classify(12, &bands), ParticipationLevel::Core);
    }

    #[test]
    fn a_summary_counts_silent_members_as_inactive() {
        // 10 members: 1 core (20), 2 active (5, 3), 3 peripheral (1, 1, 2),
        // and 4 with no activity at all.
        let summary = summarize(&[20, 5, 3, 1, 1, 2], 10, &ParticipationBands::default());
        assert_eq!(summary, ParticipationSummary { core: 1, active: 2, peripheral: 3, inactive: 4 });
        assert_eq!(summary.percent(ParticipationLevel::Core), 10);
        assert_eq!(summary.percent(ParticipationLevel::Inactive), 40);
        assert_eq!(ParticipationSummary::default().percent(ParticipationLevel::Core), 0);
    }
}
