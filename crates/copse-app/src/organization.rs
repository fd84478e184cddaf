//! Organization use cases: a community's executive sponsor and the sponsor's
//! involvement (sessions attended, sponsor reports read), the time members'
//! managers grant for community work, budget lines (requested, granted,
//! spent), the printable sponsor report, the portfolio across communities,
//! and the organizational goals with the charters that serve them.
//!
//! Who sees what: the sponsor and their involvement are shown to whoever may
//! see the community (a sponsor's engagement is part of the community's
//! story); time allocations and budgets only to the sponsor, facilitators
//! and admins (`Action::ViewOrganizationSide`), except that every active
//! member sees and records their own allocation. Granting money is for
//! administrators alone.

use chrono::{Datelike, Utc};
use copse_domain::recurrence::local_to_utc;
use copse_domain::{
    Action, CommunityAccess, CommunityId, FieldErrors, Handle, MembershipRole, MembershipStatus, OrgGoalId, PersonId,
    Stage, Timestamp, Visibility, can, local_key, parse_local_key, parse_name, parse_text,
};
use copse_store::{
    BudgetLineChange, BudgetLineRow, CommunityForViewerRow, NewBudgetLine, TimeAllocationChange, TimeAllocationRow,
};

use crate::communities::{access_of, community_view, membership_of};
use crate::{App, AppError, CommunityView, ParticipationSummary, PersonRef, Viewer};

/// The `report` name of a sponsor report read in `report_reads`.
pub const SPONSOR_REPORT: &str = "sponsor-summary";
/// How far back the sponsor's attended sessions are counted.
pub const INVOLVEMENT_DAYS: i64 = 365;
/// How many of the sponsor's attended sessions are listed.
pub const RECENT_SESSIONS_SHOWN: i64 = 5;
/// The window of the sponsor report's activity figures.
pub const REPORT_WINDOW_DAYS: i64 = 90;
/// A survey's satisfaction is shown only with at least this many answers,
/// so nobody can be identified.
pub const SURVEY_RESULTS_FLOOR: i64 = 5;
/// The most hours a month a manager can grant (a full-time month).
pub const MAX_HOURS_PER_MONTH: i64 = 160;
/// The largest amount a budget line takes, in whole currency units.
pub const MAX_AMOUNT_UNITS: i64 = 100_000_000;
/// The currency when the organization has not set one (`settings.currency`).
pub const DEFAULT_CURRENCY: &str = "EUR";

/// A session of the community the sponsor attended.
#[derive(Debug, Clone)]
pub struct AttendedSession {
    pub event_id: i64,
    /// The occurrence's key, for its link.
    pub key: String,
    pub title: String,
    pub start: Timestamp,
}

/// What shows the sponsor taking part.
#[derive(Debug, Clone)]
pub struct SponsorInvolvement {
    /// Sessions of this community attended in the last [`INVOLVEMENT_DAYS`].
    pub sessions_attended: i64,
    /// The latest of those, newest first, at most [`RECENT_SESSIONS_SHOWN`].
    pub recent_sessions: Vec<AttendedSession>,
    /// Sponsor reports of this community the sponsor has opened.
    pub reports_read: i64,
    pub last_read: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct TimeAllocationView {
    pub person: PersonRef,
    pub hours_per_month: i64,
    /// The manager who granted it, as the member wrote it.
    pub granted_by: String,
    pub recorded_by: Option<String>,
    pub updated_at: Timestamp,
}

/// The hours granted in a community.
#[derive(Debug, Clone)]
pub struct TimeSummary {
    /// Active members' allocations, the most hours first.
    pub allocations: Vec<TimeAllocationView>,
    pub total_hours: i64,
    /// Per member with an allocation; 0 when nobody has one.
    pub average_hours: f64,
    pub active_members: i64,
}

#[derive(Debug, Clone)]
pub struct BudgetLineView {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub requested_cents: i64,
    pub granted_cents: Option<i64>,
    pub spent_cents: i64,
    pub note: String,
    pub created_by: Option<String>,
    pub updated_at: Timestamp,
    /// More spent than granted (a warning, never refused).
    pub overspent: bool,
}

/// Sums of the lines of one period (`2026`, `2026-Q4`), or of a whole year
/// with its quarters (`whole_year`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetTotals {
    pub period: String,
    pub whole_year: bool,
    pub lines: usize,
    pub requested_cents: i64,
    pub granted_cents: i64,
    pub spent_cents: i64,
    pub overspent: bool,
}

#[derive(Debug, Clone)]
pub struct BudgetSummary {
    /// The latest period first.
    pub lines: Vec<BudgetLineView>,
    /// Per period, the latest first; a year that has quarterly lines also
    /// gets a whole-year row before its periods.
    pub totals: Vec<BudgetTotals>,
}

/// The organization page of one community, for one viewer.
#[derive(Debug, Clone)]
pub struct OrganizationPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub sponsor: Option<PersonRef>,
    /// The sponsor's involvement; `None` without a sponsor.
    pub involvement: Option<SponsorInvolvement>,
    pub viewer_is_sponsor: bool,
    pub can_set_sponsor: bool,
    /// Time allocations, budget lines and the sponsor report.
    pub can_view_side: bool,
    /// The viewer's own allocation here, if any.
    pub own_allocation: Option<TimeAllocationView>,
    pub can_record_own: bool,
    pub can_record_any: bool,
    /// Present when `can_view_side`.
    pub time: Option<TimeSummary>,
    pub budget: Option<BudgetSummary>,
    pub can_manage_budget: bool,
    pub can_grant: bool,
    /// ISO 4217 code of the organization's currency.
    pub currency: String,
}

/// What a member (or a facilitator for them) types to record time.
#[derive(Debug, Clone, Default)]
pub struct TimeAllocationInput {
    /// Whose allocation; empty for the viewer's own.
    pub handle: String,
    pub hours: String,
    pub granted_by: String,
}

/// A new budget line as typed; amounts like "1200" or "1,200.50".
#[derive(Debug, Clone, Default)]
pub struct BudgetLineInput {
    pub title: String,
    pub period: String,
    pub requested: String,
    /// Administrators only; empty for "not granted yet".
    pub granted: String,
    pub spent: String,
    pub note: String,
}

/// A change to a line's amounts as typed; `None` leaves the field alone, an
/// empty granted amount clears the grant.
#[derive(Debug, Clone, Default)]
pub struct BudgetLineUpdate {
    pub spent: Option<String>,
    pub granted: Option<String>,
}

/// The latest pulse survey as the sponsor report shows it.
#[derive(Debug, Clone)]
pub struct SurveyOutline {
    pub title: String,
    pub open: bool,
    pub opened_at: Timestamp,
    pub responses: i64,
    pub audience: i64,
    /// responses / audience, 0 to 1.
    pub response_rate: f64,
    /// The mean satisfaction (1-5), only with at least
    /// [`SURVEY_RESULTS_FLOOR`] responses.
    pub satisfaction: Option<f64>,
}

/// What the community did in the report's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportActivity {
    pub questions_asked: i64,
    pub questions_solved: i64,
    /// Minutes people said answers saved them.
    pub minutes_saved: i64,
    /// Published artifacts in all, and how many of them are new in the window.
    pub artifacts_published: i64,
    pub artifacts_published_recently: i64,
    pub kudos: i64,
}

/// The printable summary for the sponsor.
#[derive(Debug, Clone)]
pub struct SponsorReport {
    pub community: CommunityView,
    pub sponsor: Option<PersonRef>,
    pub involvement: Option<SponsorInvolvement>,
    pub generated_at: Timestamp,
    pub window_days: i64,
    pub participation: ParticipationSummary,
    /// Sessions held (not cancelled) in the window and who attended them.
    pub sessions_held: i64,
    pub attendances: i64,
    pub activity: ReportActivity,
    pub survey: Option<SurveyOutline>,
    pub time: TimeSummary,
    pub budget: BudgetSummary,
    pub currency: String,
}

/// How the portfolio is ordered (`?sort=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PortfolioSort {
    #[default]
    Name,
    Members,
    Stage,
    Hours,
    Budget,
    Health,
    Value,
}

impl PortfolioSort {
    pub const ALL: [PortfolioSort; 7] =
        [Self::Name, Self::Stage, Self::Members, Self::Hours, Self::Budget, Self::Health, Self::Value];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Members => "members",
            Self::Stage => "stage",
            Self::Hours => "hours",
            Self::Budget => "budget",
            Self::Health => "health",
            Self::Value => "value",
        }
    }

    /// Empty means by name.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        match text.trim() {
            "" | "name" => Ok(Self::Name),
            "members" => Ok(Self::Members),
            "stage" => Ok(Self::Stage),
            "hours" => Ok(Self::Hours),
            "budget" => Ok(Self::Budget),
            "health" => Ok(Self::Health),
            "value" => Ok(Self::Value),
            other => Err(AppError::invalid(
                "sort",
                format!(
                    "'{other}' is not a column to sort by: use name, stage, members, hours, budget, health or value"
                ),
            )),
        }
    }
}

/// One community in the portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioEntry {
    pub slug: String,
    pub name: String,
    pub stage: Stage,
    pub visibility: Visibility,
    pub member_count: i64,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub sponsor: Option<PersonRef>,
    /// Whether the viewer may see this community's time and budget; the
    /// figures below are `None` otherwise.
    pub org_side_visible: bool,
    pub hours: Option<i64>,
    pub allocated_members: Option<i64>,
    pub requested_cents: Option<i64>,
    pub granted_cents: Option<i64>,
    pub spent_cents: Option<i64>,
    /// Organizational goals its charter serves.
    pub goals: Vec<(OrgGoalId, String)>,
    /// "healthy" / "watch" / "at risk" by current alerts (0 / 1 / 2 or
    /// more); `None` until the insight worker first checked it.
    pub health: Option<String>,
    pub open_alerts: i64,
    /// Value at a glance, over the last 90 days.
    pub active_90d: i64,
    pub problems_solved_90d: i64,
    pub artifacts_90d: i64,
    pub stories_90d: i64,
    /// The stage the data supports, when it was computed.
    pub suggested_stage: Option<Stage>,
}

#[derive(Debug, Clone)]
pub struct PortfolioPage {
    pub entries: Vec<PortfolioEntry>,
    pub sort: PortfolioSort,
    /// The budget year shown.
    pub year: i32,
    pub currency: String,
    pub without_sponsor: usize,
    /// Totals over the rows whose organization side the viewer may see.
    pub total_hours: i64,
    pub total_granted_cents: i64,
    pub total_spent_cents: i64,
    /// Whether any row's time and budget are hidden from the viewer.
    pub some_hidden: bool,
    pub can_manage_goals: bool,
}

/// A community whose charter serves an organizational goal.
#[derive(Debug, Clone)]
pub struct GoalCommunity {
    pub slug: String,
    pub name: String,
    pub stage: Stage,
    /// The charter goals that serve it.
    pub goal_texts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OrgGoalEntry {
    pub id: OrgGoalId,
    pub title: String,
    pub description: String,
    pub communities: Vec<GoalCommunity>,
}

#[derive(Debug, Clone)]
pub struct GoalsPage {
    pub goals: Vec<OrgGoalEntry>,
    pub can_add: bool,
}

/// Hours a month as typed: a whole number from 0 to 160 (0 clears).
pub fn parse_hours(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("enter the hours a month, a whole number from 0 to 160 (0 clears)".into());
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=MAX_HOURS_PER_MONTH).contains(&n) => Ok(n),
        Ok(n) if n < 0 => Err("hours cannot be negative".into()),
        Ok(_) => Err(format!("at most {MAX_HOURS_PER_MONTH} hours a month (a full-time month)")),
        Err(_) => Err(format!("'{text}' is not a whole number of hours (0 to {MAX_HOURS_PER_MONTH})")),
    }
}

/// An amount as typed ("1200", "1,200.50", "99.5") in cents. Commas group
/// thousands (in threes); at most two decimals; no sign, no exponent.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let example = "an amount like 1200 or 1,200.50";
    if text.is_empty() {
        return Err(format!("enter {example}"));
    }
    if text.starts_with('-') {
        return Err("an amount cannot be negative".into());
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let not_amount = || format!("'{text}' is not {example}");
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Err(not_amount());
    }
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(format!("'{text}': commas group thousands, like 1,200 or 12,500.75"));
        }
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let cents = match fraction {
        None => 0,
        Some(f) if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) => return Err(not_amount()),
        Some(f) if f.len() > 2 => return Err(format!("'{text}' has more than two decimals (cents)")),
        Some(f) => {
            let n: i64 = f.parse().map_err(|_| not_amount())?;
            if f.len() == 1 { n * 10 } else { n }
        }
    };
    let too_large = || format!("at most {}", group_thousands(MAX_AMOUNT_UNITS));
    if digits.len() > 12 {
        return Err(too_large());
    }
    let units: i64 = digits.parse().map_err(|_| not_amount())?;
    if units > MAX_AMOUNT_UNITS || (units == MAX_AMOUNT_UNITS && cents > 0) {
        return Err(too_large());
    }
    Ok(units * 100 + cents)
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A budget period: a year ("2026") or a quarter ("2026-Q4"), 2000 to 2100.
pub fn parse_period(text: &str) -> Result<String, String> {
    let typed = text.trim();
    let text = typed.to_uppercase();
    let bad = || format!("'{typed}' is not a period like 2026 or 2026-Q4");
    let (year, quarter) = match text.split_once('-') {
        Some((y, q)) => (y, Some(q)),
        None => (text.as_str(), None),
    };
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i32 = year.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&y) {
        return Err("the year must be between 2000 and 2100".into());
    }
    match quarter {
        None => Ok(year.to_string()),
        Some(q @ ("Q1" | "Q2" | "Q3" | "Q4")) => Ok(format!("{year}-{q}")),
        Some(_) => Err(bad()),
    }
}

/// Totals per period, and per year for a year with quarterly lines.
pub fn budget_totals(lines: &[BudgetLineView]) -> Vec<BudgetTotals> {
    let mut periods: Vec<String> = lines.iter().map(|l| l.period.clone()).collect();
    periods.sort_by(|a, b| b.cmp(a));
    periods.dedup();
    let sum = |period: &str, whole_year: bool, of: &dyn Fn(&BudgetLineView) -> bool| {
        let chosen: Vec<&BudgetLineView> = lines.iter().filter(|l| of(l)).collect();
        let requested_cents = chosen.iter().map(|l| l.requested_cents).sum();
        let granted_cents = chosen.iter().filter_map(|l| l.granted_cents).sum();
        let spent_cents = chosen.iter().map(|l| l.spent_cents).sum();
        let any_granted = chosen.iter().any(|l| l.granted_cents.is_some());
        BudgetTotals {
            period: period.to_string(),
            whole_year,
            lines: chosen.len(),
            requested_cents,
            granted_cents,
            spent_cents,
            overspent: any_granted && spent_cents > granted_cents,
        }
    };
    let mut out = Vec::new();
    let mut years: Vec<&str> = periods.iter().map(|p| &p[..4]).collect();
    years.dedup();
    for year in years {
        let of_year: Vec<&String> = periods.iter().filter(|p| p.starts_with(year)).collect();
        if of_year.iter().any(|p| p.len() > 4) && lines.iter().filter(|l| l.period.starts_with(year)).count() > 1 {
            out.push(sum(year, true, &|l: &BudgetLineView| l.period.starts_with(year)));
        }
        for period in of_year {
            out.push(sum(period, false, &|l: &BudgetLineView| l.period == *period));
        }
    }
    out
}

fn person_ref(id: i64, handle: String, name: String, team: String) -> PersonRef {
    PersonRef { id: PersonId(id), handle, name, team }
}

fn allocation_view(row: TimeAllocationRow) -> TimeAllocationView {
    TimeAllocationView {
        person: person_ref(row.person_id, row.handle, row.name, row.team),
        hours_per_month: row.hours_per_month,
        granted_by: row.granted_by,
        recorded_by: row.recorded_by_name,
        updated_at: Timestamp(row.updated_at),
    }
}

fn line_view(row: BudgetLineRow) -> BudgetLineView {
    BudgetLineView {
        overspent: row.granted_cents.is_some_and(|g| row.spent_cents > g),
        id: row.id,
        title: row.title,
        period: row.period,
        requested_cents: row.requested_cents,
        granted_cents: row.granted_cents,
        spent_cents: row.spent_cents,
        note: row.note,
        created_by: row.created_by_name,
        updated_at: Timestamp(row.updated_at),
    }
}

/// The text form of an instant's date in UTC, for comparing occurrence keys
/// (local wall-clock starts) with a cut-off: a day's slack either way is
/// fine for counting.
fn key_since(at: Timestamp) -> String {
    local_key(at.to_utc().naive_utc())
}

fn is_sponsor(viewer: &Viewer, row: &CommunityForViewerRow) -> bool {
    viewer.person().is_some_and(|p| row.community.sponsor_id == Some(p.0))
}

impl App {
    /// The organization's currency (ISO 4217 code, `settings.currency`).
    pub async fn organization_currency(&self) -> Result<String, AppError> {
        Ok(self.store().find_setting("currency").await?.unwrap_or_else(|| DEFAULT_CURRENCY.to_string()))
    }

    async fn sponsor_of(&self, row: &CommunityForViewerRow) -> Result<Option<PersonRef>, AppError> {
        match row.community.sponsor_id {
            Some(id) => {
                let p = self.store().get_person(PersonId(id)).await?;
                Ok(Some(person_ref(p.id, p.handle, p.name, p.team)))
            }
            None => Ok(None),
        }
    }

    async fn involvement(&self, community: CommunityId, sponsor: PersonId) -> Result<SponsorInvolvement, AppError> {
        let store = self.store();
        let since = key_since(Timestamp::now().minus_days(INVOLVEMENT_DAYS));
        let sessions_attended = store.count_sessions_attended(community, sponsor, &since).await?;
        let recent_sessions = store
            .list_sessions_attended(community, sponsor, &since, RECENT_SESSIONS_SHOWN)
            .await?
            .into_iter()
            .filter_map(|r| {
                let local = parse_local_key(&r.original_start_local).ok()?;
                let zone =
                    copse_domain::TimeZone::parse(&r.time_zone).unwrap_or_else(|_| copse_domain::TimeZone::utc());
                Some(AttendedSession {
                    event_id: r.event_id,
                    key: r.original_start_local,
                    title: r.title,
                    start: Timestamp::from(local_to_utc(zone.0, local)),
                })
            })
            .collect();
        let (reports_read, last_read) = store.report_reads_of(community, sponsor).await?;
        Ok(SponsorInvolvement { sessions_attended, recent_sessions, reports_read, last_read: last_read.map(Timestamp) })
    }

    async fn time_summary(&self, community: CommunityId, active_members: i64) -> Result<TimeSummary, AppError> {
        let allocations: Vec<TimeAllocationView> =
            self.store().list_time_allocations(community).await?.into_iter().map(allocation_view).collect();
        let total_hours = allocations.iter().map(|a| a.hours_per_month).sum();
        let average_hours = if allocations.is_empty() { 0.0 } else { total_hours as f64 / allocations.len() as f64 };
        Ok(TimeSummary { allocations, total_hours, average_hours, active_members })
    }

    async fn budget_summary(&self, community: CommunityId) -> Result<BudgetSummary, AppError> {
        let lines: Vec<BudgetLineView> =
            self.store().list_budget_lines(community).await?.into_iter().map(line_view).collect();
        let totals = budget_totals(&lines);
        Ok(BudgetSummary { lines, totals })
    }

    /// The organization page: sponsor and involvement for whoever may see the
    /// community; time and budget for the sponsor, facilitators and admins;
    /// the viewer's own allocation for active members.
    pub async fn organization_page(&self, viewer: &Viewer, slug: &str) -> Result<OrganizationPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let actor = &viewer.actor;
        let id = CommunityId(row.community.id);
        let viewer_is_sponsor = is_sponsor(viewer, &row);
        let can_view_side = can(actor, Action::ViewOrganizationSide(&access, viewer_is_sponsor));
        let sponsor = self.sponsor_of(&row).await?;
        let involvement = match &sponsor {
            Some(s) => Some(self.involvement(id, s.id).await?),
            None => None,
        };
        let own_allocation = match viewer.person() {
            Some(p) if access.membership.is_some_and(|(_, s)| s == MembershipStatus::Active) => {
                self.store().find_time_allocation(id, p).await?.map(allocation_view)
            }
            _ => None,
        };
        let (time, budget) = if can_view_side {
            (Some(self.time_summary(id, row.community.member_count).await?), Some(self.budget_summary(id).await?))
        } else {
            (None, None)
        };
        Ok(OrganizationPage {
            community: community_view(&row.community),
            membership: access.membership,
            sponsor,
            involvement,
            viewer_is_sponsor,
            can_set_sponsor: can(actor, Action::EditCommunity(&access)),
            can_view_side,
            own_allocation,
            can_record_own: can(actor, Action::RecordTimeAllocation(&access, true))
                && access.membership.is_some_and(|(_, s)| s == MembershipStatus::Active),
            can_record_any: can(actor, Action::RecordTimeAllocation(&access, false)),
            time,
            budget,
            can_manage_budget: can(actor, Action::ManageBudget(&access)),
            can_grant: can(actor, Action::Administer),
            currency: self.organization_currency().await?,
        })
    }

    /// Names the community's executive sponsor by handle, or clears it with
    /// an empty handle (facilitators and admins, as for the charter). The
    /// community's version is bumped and the audit log written.
    pub async fn set_sponsor(&self, viewer: &Viewer, slug: &str, handle: &str) -> Result<Option<PersonRef>, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::EditCommunity(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators and administrators name the sponsor"));
        }
        let actor = viewer.require_person()?;
        let handle = handle.trim().trim_start_matches('@');
        let sponsor = if handle.is_empty() {
            None
        } else {
            let handle = Handle::parse(handle).map_err(|m| AppError::invalid("sponsor", m))?;
            let p = self
                .store()
                .find_person_by_handle(handle.as_str())
                .await?
                .ok_or_else(|| AppError::invalid("sponsor", format!("nobody has the handle '{handle}'")))?;
            Some(person_ref(p.id, p.handle, p.name, p.team))
        };
        let detail = sponsor.as_ref().map_or_else(|| "none".to_string(), |s| s.handle.clone());
        self.store()
            .set_community_sponsor(
                CommunityId(row.community.id),
                sponsor.as_ref().map(|s| s.id),
                actor,
                &detail,
                Timestamp::now(),
            )
            .await?;
        Ok(sponsor)
    }

    /// Records the hours a month a member's manager granted for this
    /// community (0 clears). A member records their own; facilitators and
    /// admins anyone's, by handle. Only active members have allocations.
    pub async fn record_time_allocation(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &TimeAllocationInput,
    ) -> Result<Option<TimeAllocationView>, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let me = viewer.require_person()?;
        let id = CommunityId(row.community.id);
        let handle = input.handle.trim().trim_start_matches('@');
        let target = if handle.is_empty() || handle.eq_ignore_ascii_case(&viewer.handle) {
            me
        } else {
            let handle = Handle::parse(handle).map_err(|m| AppError::invalid("handle", m))?;
            let p = self
                .store()
                .find_person_by_handle(handle.as_str())
                .await?
                .ok_or_else(|| AppError::invalid("handle", format!("nobody has the handle '{handle}'")))?;
            PersonId(p.id)
        };
        let is_own = target == me;
        if !can(&viewer.actor, Action::RecordTimeAllocation(&access, is_own)) {
            return Err(AppError::Forbidden(if is_own {
                "only active members record their time allocation"
            } else {
                "you may record only your own time allocation"
            }));
        }
        let mut errors = FieldErrors::new();
        let hours = errors.check("hours", parse_hours(&input.hours));
        let granted_by = errors.check("granted_by", parse_text(&input.granted_by, "Granted by", 120));
        if let Some(text) = &granted_by
            && text.contains('\n')
        {
            errors.add("granted_by", "Granted by must be a single line");
        }
        errors.finish()?;
        let (hours, granted_by) = (hours.unwrap_or(0), granted_by.unwrap_or_default());
        let membership = self.store().find_membership(id, target).await?;
        if membership.as_ref().is_none_or(|(_, s)| s != MembershipStatus::Active.as_str()) {
            let message =
                if is_own { "join the community first" } else { "they are not an active member of this community" };
            return Err(AppError::invalid(if is_own { "hours" } else { "handle" }, message));
        }
        let target_row = self.store().get_person(target).await?;
        let detail = if hours == 0 {
            format!("{}: cleared", target_row.handle)
        } else {
            format!("{}: {hours} h/month", target_row.handle)
        };
        self.store()
            .set_time_allocation(&TimeAllocationChange {
                community: id,
                person: target,
                hours_per_month: hours,
                granted_by: &granted_by,
                recorded_by: me,
                detail: &detail,
                at: Timestamp::now(),
            })
            .await?;
        Ok(self.store().find_time_allocation(id, target).await?.map(allocation_view))
    }

    /// Time allocations as the viewer may see them: everyone's for the
    /// sponsor, facilitators and admins; otherwise an active member's own.
    pub async fn time_allocations(&self, viewer: &Viewer, slug: &str) -> Result<TimeSummary, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let id = CommunityId(row.community.id);
        if can(&viewer.actor, Action::ViewOrganizationSide(&access, is_sponsor(viewer, &row))) {
            return self.time_summary(id, row.community.member_count).await;
        }
        let me = viewer.require_person()?;
        if access.membership.is_none_or(|(_, s)| s != MembershipStatus::Active) {
            return Err(AppError::Forbidden("only the sponsor, facilitators and members see time allocations"));
        }
        let own: Vec<TimeAllocationView> =
            self.store().find_time_allocation(id, me).await?.map(allocation_view).into_iter().collect();
        let total_hours = own.iter().map(|a| a.hours_per_month).sum();
        Ok(TimeSummary {
            average_hours: total_hours as f64,
            allocations: own,
            total_hours,
            active_members: row.community.member_count,
        })
    }

    /// The community's budget lines (sponsor, facilitators and admins).
    pub async fn budget_lines(&self, viewer: &Viewer, slug: &str) -> Result<BudgetSummary, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::ViewOrganizationSide(&access_of(&row), is_sponsor(viewer, &row))) {
            return Err(AppError::Forbidden("only the sponsor, facilitators and administrators see the budget"));
        }
        self.budget_summary(CommunityId(row.community.id)).await
    }

    /// Adds a budget line (facilitators and admins); only administrators may
    /// fill in the granted amount.
    pub async fn add_budget_line(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &BudgetLineInput,
    ) -> Result<BudgetLineView, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::ManageBudget(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators and administrators add budget lines"));
        }
        let actor = viewer.require_person()?;
        if !input.granted.trim().is_empty() && !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators grant budgets"));
        }
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_name(&input.title, "Title", 120));
        let period = errors.check("period", parse_period(&input.period));
        let requested = errors.check("requested", parse_amount(&input.requested));
        let granted =
            if input.granted.trim().is_empty() { None } else { errors.check("granted", parse_amount(&input.granted)) };
        let spent =
            if input.spent.trim().is_empty() { Some(0) } else { errors.check("spent", parse_amount(&input.spent)) };
        let note = errors.check("note", parse_text(&input.note, "Note", 1000));
        errors.finish()?;
        let (title, period, note) = (title.unwrap_or_default(), period.unwrap_or_default(), note.unwrap_or_default());
        let id = self
            .store()
            .insert_budget_line(&NewBudgetLine {
                community: CommunityId(row.community.id),
                title: &title,
                period: &period,
                requested_cents: requested.unwrap_or(0),
                granted_cents: granted,
                spent_cents: spent.unwrap_or(0),
                note: &note,
                actor,
                at: Timestamp::now(),
            })
            .await?;
        Ok(line_view(self.store().find_budget_line(id).await?.ok_or(AppError::NotFound("budget line"))?))
    }

    /// Records spending (facilitators and admins) and/or sets the granted
    /// amount (administrators) of a budget line. `slug`, when given, must be
    /// the line's community (pages); the API finds it from the line.
    pub async fn update_budget_line(
        &self,
        viewer: &Viewer,
        slug: Option<&str>,
        line: i64,
        update: &BudgetLineUpdate,
    ) -> Result<BudgetLineView, AppError> {
        viewer.require_person()?;
        let found = self.store().find_budget_line(line).await?.ok_or(AppError::NotFound("budget line"))?;
        let community = self.store().get_community(CommunityId(found.community_id)).await?;
        if slug.is_some_and(|s| s != community.slug) {
            return Err(AppError::NotFound("budget line"));
        }
        // Someone who may not see the community may not learn the line exists.
        let row = self.visible_community(viewer, &community.slug).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::NotFound("budget line"),
            other => other,
        })?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::ViewOrganizationSide(&access, is_sponsor(viewer, &row))) {
            return Err(AppError::Forbidden("only the sponsor, facilitators and administrators see the budget"));
        }
        let actor = viewer.require_person()?;
        if update.spent.is_none() && update.granted.is_none() {
            return Err(AppError::invalid("spent", "give the amount spent or granted"));
        }
        if update.spent.is_some() && !can(&viewer.actor, Action::ManageBudget(&access)) {
            return Err(AppError::Forbidden("only facilitators and administrators record spending"));
        }
        if update.granted.is_some() && !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators grant budgets"));
        }
        let mut errors = FieldErrors::new();
        let spent = match &update.spent {
            Some(text) => errors.check("spent", parse_amount(text)),
            None => None,
        };
        let granted = match &update.granted {
            Some(text) if text.trim().is_empty() => Some(None),
            Some(text) => errors.check("granted", parse_amount(text)).map(Some),
            None => None,
        };
        errors.finish()?;
        self.store()
            .update_budget_line(
                line,
                &BudgetLineChange { spent_cents: spent, granted_cents: granted, actor, at: Timestamp::now() },
            )
            .await?;
        Ok(line_view(self.store().find_budget_line(line).await?.ok_or(AppError::NotFound("budget line"))?))
    }

    /// The printable sponsor report (sponsor, facilitators and admins).
    /// Opening it is recorded as a read by the viewer, so the sponsor's
    /// reading shows as involvement.
    pub async fn sponsor_report(&self, viewer: &Viewer, slug: &str) -> Result<SponsorReport, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::ViewOrganizationSide(&access, is_sponsor(viewer, &row))) {
            return Err(AppError::Forbidden("the sponsor report is for the sponsor, facilitators and administrators"));
        }
        let me = viewer.require_person()?;
        let id = CommunityId(row.community.id);
        let now = Timestamp::now();
        self.store().insert_report_read(id, me, SPONSOR_REPORT, now).await?;
        let sponsor = self.sponsor_of(&row).await?;
        let involvement = match &sponsor {
            Some(s) => Some(self.involvement(id, s.id).await?),
            None => None,
        };
        // The participation summary the community page computes (cached).
        let page = self.community_page(viewer, slug).await?;
        let since = now.minus_days(REPORT_WINDOW_DAYS);
        let occurrences = self.community_occurrences(viewer, slug, since.to_utc(), now.to_utc()).await?;
        let held: Vec<(i64, &str)> =
            occurrences.iter().filter(|o| !o.cancelled && o.end <= now).map(|o| (o.event.id, o.key.as_str())).collect();
        let attendance = self.store().list_occurrence_attendance(id, &key_since(since.minus_days(2))).await?;
        let attendances = attendance
            .iter()
            .filter(|a| held.contains(&(a.event_id, a.original_start_local.as_str())))
            .map(|a| a.attendees)
            .sum();
        let f = self.store().report_figures(id, since).await?;
        let activity = ReportActivity {
            questions_asked: f.questions_asked,
            questions_solved: f.questions_solved,
            minutes_saved: f.minutes_saved,
            artifacts_published: f.artifacts_published,
            artifacts_published_recently: f.artifacts_published_since,
            kudos: f.kudos,
        };
        let survey = match self.store().find_latest_survey(id).await? {
            Some(s) => {
                let satisfaction = if s.response_count >= SURVEY_RESULTS_FLOOR {
                    let (sum, count) = self.store().survey_satisfaction(s.id).await?;
                    (count >= SURVEY_RESULTS_FLOOR).then(|| sum as f64 / count as f64)
                } else {
                    None
                };
                Some(SurveyOutline {
                    title: s.title,
                    open: s.status == "open",
                    opened_at: Timestamp(s.opens_at),
                    responses: s.response_count,
                    audience: s.audience_count,
                    response_rate: if s.audience_count > 0 {
                        (s.response_count as f64 / s.audience_count as f64).min(1.0)
                    } else {
                        0.0
                    },
                    satisfaction,
                })
            }
            None => None,
        };
        Ok(SponsorReport {
            community: community_view(&row.community),
            sponsor,
            involvement,
            generated_at: now,
            window_days: REPORT_WINDOW_DAYS,
            participation: page.shared.participation,
            sessions_held: held.len() as i64,
            attendances,
            activity,
            survey,
            time: self.time_summary(id, row.community.member_count).await?,
            budget: self.budget_summary(id).await?,
            currency: self.organization_currency().await?,
        })
    }

    /// Every community the viewer may see, with stage, members, sponsor,
    /// linked goals, and (where the viewer may see the organization side)
    /// hours granted and this year's budget. Members who may browse people,
    /// and admins.
    pub async fn portfolio(&self, viewer: &Viewer, sort: &str) -> Result<PortfolioPage, AppError> {
        let me = viewer.require_person()?;
        if !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::Forbidden("the portfolio is for members of the organization"));
        }
        let sort = PortfolioSort::parse(sort)?;
        let year = Utc::now().year();
        let admin = viewer.actor.is_admin();
        let rows = self.store().list_portfolio(me, admin, &year.to_string()).await?;
        let titles = self.store().list_org_goals().await?;
        let links = self.store().list_goal_links(me, admin).await?;
        let mut entries: Vec<PortfolioEntry> = Vec::with_capacity(rows.len());
        for r in rows {
            let access = CommunityAccess {
                visibility: Visibility::parse(&r.visibility).unwrap_or(Visibility::Private),
                membership: membership_of(r.viewer_role.as_deref(), r.viewer_status.as_deref()),
            };
            if !can(&viewer.actor, Action::ViewCommunity(&access)) {
                continue;
            }
            let visible = can(&viewer.actor, Action::ViewOrganizationSide(&access, r.sponsor_id == Some(me.0)));
            let mut goals: Vec<(OrgGoalId, String)> = Vec::new();
            for link in links.iter().filter(|l| l.community_id == r.id) {
                if goals.iter().any(|(g, _)| g.0 == link.org_goal_id) {
                    continue;
                }
                if let Some(t) = titles.iter().find(|t| t.id == link.org_goal_id) {
                    goals.push((OrgGoalId(t.id), t.title.clone()));
                }
            }
            let sponsor = match (r.sponsor_id, r.sponsor_handle, r.sponsor_name) {
                (Some(id), Some(handle), Some(name)) => Some(person_ref(id, handle, name, String::new())),
                _ => None,
            };
            entries.push(PortfolioEntry {
                slug: r.slug,
                name: r.name,
                stage: Stage::parse(&r.stage).unwrap_or(Stage::Potential),
                visibility: access.visibility,
                member_count: r.member_count,
                membership: access.membership,
                sponsor,
                org_side_visible: visible,
                hours: visible.then_some(r.hours),
                allocated_members: visible.then_some(r.allocated_members),
                requested_cents: visible.then_some(r.requested_cents),
                granted_cents: visible.then_some(r.granted_cents),
                spent_cents: visible.then_some(r.spent_cents),
                goals,
                health: r.health,
                open_alerts: r.open_alerts,
                active_90d: r.active_90d,
                problems_solved_90d: r.problems_solved_90d,
                artifacts_90d: r.artifacts_90d,
                stories_90d: r.stories_90d,
                suggested_stage: r.suggested_stage.as_deref().and_then(|s| Stage::parse(s).ok()),
            });
        }
        sort_portfolio(&mut entries, sort);
        Ok(PortfolioPage {
            sort,
            year,
            currency: self.organization_currency().await?,
            without_sponsor: entries.iter().filter(|e| e.sponsor.is_none()).count(),
            total_hours: entries.iter().filter_map(|e| e.hours).sum(),
            total_granted_cents: entries.iter().filter_map(|e| e.granted_cents).sum(),
            total_spent_cents: entries.iter().filter_map(|e| e.spent_cents).sum(),
            some_hidden: entries.iter().any(|e| !e.org_side_visible),
            can_manage_goals: can(&viewer.actor, Action::Administer),
            entries,
        })
    }

    /// The organizational goals, each with the communities (that the viewer
    /// may see) whose charters serve it.
    pub async fn goals_page(&self, viewer: &Viewer) -> Result<GoalsPage, AppError> {
        let me = viewer.require_person()?;
        let admin = viewer.actor.is_admin();
        let links = self.store().list_goal_links(me, admin).await?;
        let goals = self
            .store()
            .list_org_goals_full()
            .await?
            .into_iter()
            .map(|g| {
                let mut communities: Vec<GoalCommunity> = Vec::new();
                for link in links.iter().filter(|l| l.org_goal_id == g.id) {
                    let access = CommunityAccess {
                        visibility: Visibility::parse(&link.visibility).unwrap_or(Visibility::Private),
                        membership: membership_of(link.viewer_role.as_deref(), link.viewer_status.as_deref()),
                    };
                    if !can(&viewer.actor, Action::ViewCommunity(&access)) {
                        continue;
                    }
                    match communities.iter_mut().find(|c| c.slug == link.slug) {
                        Some(c) => c.goal_texts.push(link.goal_text.clone()),
                        None => communities.push(GoalCommunity {
                            slug: link.slug.clone(),
                            name: link.name.clone(),
                            stage: Stage::parse(&link.stage).unwrap_or(Stage::Potential),
                            goal_texts: vec![link.goal_text.clone()],
                        }),
                    }
                }
                OrgGoalEntry { id: OrgGoalId(g.id), title: g.title, description: g.description, communities }
            })
            .collect();
        Ok(GoalsPage { goals, can_add: can(&viewer.actor, Action::Administer) })
    }
}

fn sort_portfolio(entries: &mut [PortfolioEntry], sort: PortfolioSort) {
    let name = |e: &PortfolioEntry| e.name.to_lowercase();
    match sort {
        PortfolioSort::Name => entries.sort_by_key(name),
        PortfolioSort::Members => {
            entries.sort_by(|a, b| b.member_count.cmp(&a.member_count).then(name(a).cmp(&name(b))))
        }
        PortfolioSort::Stage => {
            entries.sort_by(|a, b| a.stage.number().cmp(&b.stage.number()).then(name(a).cmp(&name(b))))
        }
        // Hidden figures sort after every visible one.
        PortfolioSort::Hours => entries
            .sort_by(|a, b| b.hours.map_or(-1, |h| h).cmp(&a.hours.map_or(-1, |h| h)).then(name(a).cmp(&name(b)))),
        PortfolioSort::Budget => entries.sort_by(|a, b| {
            b.granted_cents.map_or(-1, |g| g).cmp(&a.granted_cents.map_or(-1, |g| g)).then(name(a).cmp(&name(b)))
        }),
        // Most alerts first; never-checked communities last.
        PortfolioSort::Health => entries.sort_by(|a, b| {
            let rank = |e: &PortfolioEntry| if e.health.is_some() { e.open_alerts } else { -1 };
            rank(b).cmp(&rank(a)).then(name(a).cmp(&name(b)))
        }),
        // Problems solved, artifacts and value stories of the last 90 days.
        PortfolioSort::Value => entries.sort_by(|a, b| {
            let value = |e: &PortfolioEntry| e.problems_solved_90d + e.artifacts_90d + e.stories_90d;
            value(b).cmp(&value(a)).then(b.active_90d.cmp(&a.active_90d)).then(name(a).cmp(&name(b)))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_to_cents() {
        assert_eq!(parse_amount("1200"), Ok(120_000));
        assert_eq!(parse_amount("1,200.50"), Ok(120_050));
        assert_eq!(parse_amount(" 99.5 "), Ok(9_950));
        assert_eq!(parse_amount("0"), Ok(0));
        assert_eq!(parse_amount("12,500,000.07"), Ok(1_250_000_007));
        assert_eq!(parse_amount("100,000,000"), Ok(10_000_000_000));
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        assert!(parse_amount("12.345").unwrap_err().contains("two decimals"));
        assert!(parse_amount("-5").unwrap_err().contains("negative"));
        assert!(parse_amount("abc").unwrap_err().contains("not an amount"));
        assert!(parse_amount("1e9").unwrap_err().contains("not an amount"));
        assert!(parse_amount("").is_err());
        assert!(parse_amount("1,20").unwrap_err().contains("commas"));
        assert!(parse_amount("1200,").is_err());
        assert!(parse_amount(",200").is_err());
        assert!(parse_amount("12.").is_err());
        assert!(parse_amount(".5").is_err());
        assert!(parse_amount("+5").is_err());
        assert!(parse_amount("100,000,001").unwrap_err().contains("at most"));
        assert!(parse_amount("99999999999999999999").unwrap_err().contains("at most"));
    }

    #[test]
    fn periods_are_years_or_quarters() {
        assert_eq!(parse_period("2026"), Ok("2026".into()));
        assert_eq!(parse_period("2026-q4"), Ok("2026-Q4".into()));
        assert!(parse_period("2026-Q5").is_err());
        assert!(parse_period("26").is_err());
        assert!(parse_period("2026-03").is_err());
        assert!(parse_period("1999").unwrap_err().contains("2000"));
        assert!(parse_period("").is_err());
    }

    #[test]
    fn hours_are_whole_numbers_up_to_a_full_month() {
        assert_eq!(parse_hours("0"), Ok(0));
        assert_eq!(parse_hours(" 160 "), Ok(160));
        assert!(parse_hours("161").unwrap_err().contains("at most 160"));
        assert!(parse_hours("-1").unwrap_err().contains("negative"));
        assert!(parse_hours("7.5").unwrap_err().contains("whole number"));
        assert!(parse_hours("").is_err());
    }

    fn line(period: &str, requested: i64, granted: Option<i64>, spent: i64) -> BudgetLineView {
        BudgetLineView {
            id: 0,
            title: String::new(),
            period: period.into(),
            requested_cents: requested,
            granted_cents: granted,
            spent_cents: spent,
            note: String::new(),
            created_by: None,
            updated_at: Timestamp(0),
            overspent: granted.is_some_and(|g| spent > g),
        }
    }

    #[test]
    fn totals_per_period_and_for_a_year_with_quarters() {
        let lines =
            [line("2026-Q4", 500, Some(300), 400), line("2026", 1000, Some(1000), 200), line("2025", 700, None, 0)];
        let totals = budget_totals(&lines);
        let shown: Vec<(&str, bool, i64, i64, i64, bool)> = totals
            .iter()
            .map(|t| (t.period.as_str(), t.whole_year, t.requested_cents, t.granted_cents, t.spent_cents, t.overspent))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("2026", true, 1500, 1300, 600, false),
                ("2026-Q4", false, 500, 300, 400, true),
                ("2026", false, 1000, 1000, 200, false),
                ("2025", false, 700, 0, 0, false),
            ]
        );
    }

    #[test]
    fn unknown_sort_columns_are_named() {
        assert_eq!(PortfolioSort::parse("").unwrap(), PortfolioSort::Name);
        assert_eq!(PortfolioSort::parse("budget").unwrap(), PortfolioSort::Budget);
        assert!(PortfolioSort::parse("salary").is_err());
    }
}
