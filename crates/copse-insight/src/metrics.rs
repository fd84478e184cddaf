//! Every metric of the tutorial's "Measuring CoP Effectiveness", per
//! community and per period (week, month, quarter), as pure functions of a
//! [`CommunityInput`](crate::activity::CommunityInput).
//!
//! CONTRACT (scaffold): the types below are what the app, the web pages, the
//! diagnosis and the cross-check script read. Fields may be added; do not
//! rename or remove without updating every reader.

use crate::activity::{CommunityInput, DAY_MS};
use crate::measure::Measure;

/// Calendar periods in UTC: ISO weeks starting Monday, months, quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
}

/// A half-open period `[start_day, end_day)` in UTC day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start_day: i64,
    pub end_day: i64,
}

impl Period {
    pub fn start_ms(&self) -> i64 {
        self.start_day * DAY_MS
    }
    pub fn end_ms(&self) -> i64 {
        self.end_day * DAY_MS
    }
    pub fn contains_day(&self, day: i64) -> bool {
        day >= self.start_day && day < self.end_day
    }
    pub fn contains_ms(&self, at: i64) -> bool {
        at >= self.start_ms() && at < self.end_ms()
    }
}

/// One period's activity, value and health figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodMetrics {
    pub period: Period,
    /// Whether `now` falls inside the period (figures still growing).
    pub in_progress: bool,
    // activity
    pub active_participants: i64,
    pub members_at_end: i64,
    pub active_share: Measure,
    pub events_held: i64,
    pub said_going: i64,
    pub attended: i64,
    pub attendance_rate: Measure,
    pub new_attendees: i64,
    pub returning_attendees: i64,
    pub shared_resource_contributions: i64,
    pub channel_activity: i64,
    pub contributions: i64,
    // value
    pub problems_solved: i64,
    pub median_hours_to_solution: Measure,
    pub minutes_saved: i64,
    pub improvements: i64,
    pub artifacts_created: i64,
    pub reuse_events: i64,
    pub distinct_reusers: i64,
    pub reuse_outside_author_team: i64,
    pub people_with_skills_developed: i64,
    // health: quality of interactions
    pub questions_asked: i64,
    pub response_rate: Measure,
    pub median_hours_to_first_response: Measure,
    pub reciprocity: Measure,
    // health: inequality
    pub gini: Measure,
    pub top_decile_share: Measure,
    pub absence_factor: Measure,
}

/// Participation levels against the reference bands (10-15 % core, 15-20 %
/// active).
#[derive(Debug, Clone, PartialEq)]
pub struct LevelBreakdown {
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
    pub core_share: Measure,
    pub active_share: Measure,
    /// A plain sentence comparing the shares with the reference bands.
    pub verdict: String,
}

/// Shannon index for one dimension, active participants vs all members.
#[derive(Debug, Clone, PartialEq)]
pub struct DiversityDimension {
    /// team | location | experience | tenure
    pub dimension: &'static str,
    pub active: Measure,
    pub members: Measure,
    pub categories_active: i64,
    pub categories_members: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Leadership {
    pub sessions_considered: i64,
    pub distinct_facilitators_last_10: Measure,
    /// Share of the last 10 sessions led by the most frequent facilitator.
    pub facilitation_concentration: Measure,
    pub core_group_size: i64,
}

/// Newcomers who joined in one month, and how many were active 1 and 3
/// months later.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    pub month_start_day: i64,
    pub joined: i64,
    pub active_month_1: Measure,
    pub active_month_3: Measure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionAttendance {
    /// The time zone's region ("Europe", "America", "Asia", "Australia",
    /// "Unknown" when the profile has no zone).
    pub region: String,
    pub said_going: i64,
    pub attended: i64,
    pub rate: Measure,
}

/// Everything the health page shows, computed at `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityMetrics {
    pub community: i64,
    pub now: i64,
    /// The last 12 weeks, 12 months and 4 quarters, oldest first; the last
    /// entry is the period in progress.
    pub weeks: Vec<PeriodMetrics>,
    pub months: Vec<PeriodMetrics>,
    pub quarters: Vec<PeriodMetrics>,
    /// Over the last 90 days.
    pub levels: LevelBreakdown,
    pub diversity: Vec<DiversityDimension>,
    pub leadership: Leadership,
    pub cohorts: Vec<Cohort>,
    pub satisfaction: Measure,
    pub survey_response_rate: Measure,
    /// Lorenz curve of contributions over the last 90 days.
    pub lorenz: Vec<(f64, f64)>,
    pub attendance_by_region: Vec<RegionAttendance>,
}

/// Computes every metric at `input.now`.
pub fn compute(input: &CommunityInput) -> CommunityMetrics {
    let _ = input;
    todo!("metrics helper")
}
