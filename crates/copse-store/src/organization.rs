//! SQL for the organization side of communities: the executive sponsor and
//! what shows their involvement (sessions attended, sponsor reports read),
//! time allocations per membership, budget lines, the portfolio across
//! communities, the organizational goals with the charters that link to them,
//! and the figures of the sponsor report.
//!
//! Amounts are cents of the organization's currency; hours are per month.
//! Sums are cast to BIGINT because PostgreSQL's SUM of a BIGINT is NUMERIC.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::communities::record_community_change;
use crate::{Store, StoreError, audit, with_pool};

/// A session of the community the sponsor attended.
#[derive(Debug, Clone, FromRow)]
pub struct AttendedSessionRow {
    pub event_id: i64,
    pub title: String,
    /// The occurrence's key (original local start, `YYYY-MM-DDTHH:MM`).
    pub original_start_local: String,
    pub time_zone: String,
}

/// One member's time allocation, with who they are.
#[derive(Debug, Clone, FromRow)]
pub struct TimeAllocationRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub hours_per_month: i64,
    pub granted_by: String,
    pub recorded_by_name: Option<String>,
    pub updated_at: i64,
}

/// A time allocation to write; zero hours deletes it.
#[derive(Debug, Clone)]
pub struct TimeAllocationChange<'a> {
    pub community: CommunityId,
    pub person: PersonId,
    pub hours_per_month: i64,
    pub granted_by: &'a str,
    pub recorded_by: PersonId,
    /// What the audit log says, e.g. "sam: 8 h/month".
    pub detail: &'a str,
    pub at: Timestamp,
}

#[derive(Debug, Clone, FromRow)]
pub struct BudgetLineRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub period: String,
    pub requested_cents: i64,
    pub granted_cents: Option<i64>,
    pub spent_cents: i64,
    pub note: String,
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewBudgetLine<'a> {
    pub community: CommunityId,
    pub title: &'a str,
    pub period: &'a str,
    pub requested_cents: i64,
    pub granted_cents: Option<i64>,
    pub spent_cents: i64,
    pub note: &'a str,
    pub actor: PersonId,
    pub at: Timestamp,
}

/// A change to a budget line's amounts; `None` leaves a field as it is.
#[derive(Debug, Clone)]
pub struct BudgetLineChange {
    pub spent_cents: Option<i64>,
    /// `Some(None)` clears the granted amount.
    pub granted_cents: Option<Option<i64>>,
    pub actor: PersonId,
    pub at: Timestamp,
}

/// A community in the portfolio, with the viewer's membership and its
/// organization-side totals.
#[derive(Debug, Clone, FromRow)]
pub struct PortfolioRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub stage: String,
    pub visibility: String,
    pub member_count: i64,
    pub sponsor_id: Option<i64>,
    pub sponsor_handle: Option<String>,
    pub sponsor_name: Option<String>,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
    /// Hours per month granted to active members.
    pub hours: i64,
    pub allocated_members: i64,
    pub requested_cents: i64,
    pub granted_cents: i64,
    pub spent_cents: i64,
    /// From `insight_state` (the insight worker's last check); `None` /
    /// zero when never checked.
    pub health: Option<String>,
    pub open_alerts: i64,
    pub active_90d: i64,
    pub problems_solved_90d: i64,
    pub artifacts_90d: i64,
    pub stories_90d: i64,
    pub suggested_stage: Option<String>,
}

/// A charter goal that serves an organizational goal, with its community.
#[derive(Debug, Clone, FromRow)]
pub struct GoalLinkRow {
    pub org_goal_id: i64,
    pub goal_text: String,
    pub community_id: i64,
    pub slug: String,
    pub name: String,
    pub stage: String,
    pub visibility: String,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct OrgGoalFullRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub created_at: i64,
}

/// Attendance per occurrence of the community's sessions.
#[derive(Debug, Clone, FromRow)]
pub struct OccurrenceAttendanceRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub attendees: i64,
}

/// The latest pulse survey of a community.
#[derive(Debug, Clone, FromRow)]
pub struct SurveySummaryRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub audience_count: i64,
    pub response_count: i64,
    pub opens_at: i64,
}

/// What the sponsor report counts since a given instant.
#[derive(Debug, Clone, Default)]
pub struct ReportFigures {
    pub questions_asked: i64,
    pub questions_solved: i64,
    pub minutes_saved: i64,
    pub artifacts_published: i64,
    pub artifacts_published_since: i64,
    pub kudos: i64,
}

macro_rules! budget_columns {
    () => {
        "b.id, b.community_id, b.title, b.period, b.requested_cents, b.granted_cents, b.spent_cents, b.note, \
         p.name AS created_by_name, b.created_at, b.updated_at"
    };
}

impl Store {
    /// Names (or clears) a community's executive sponsor: bumps the version
    /// and writes the change feed and the audit log in the same transaction.
    pub async fn set_community_sponsor(
        &self,
        community: CommunityId,
        sponsor: Option<PersonId>,
        actor: PersonId,
        detail: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query("UPDATE communities SET sponsor_id = $2 WHERE id = $1")
                .bind(community.0)
                .bind(sponsor.map(|p| p.0))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            record_community_change!(tx, community.0, Some(actor.0), "community.sponsor", detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many of the community's sessions, with an original start at or
    /// after `since_key` (`YYYY-MM-DDTHH:MM`, compared as text), `person`
    /// attended.
    pub async fn count_sessions_attended(
        &self,
        community: CommunityId,
        person: PersonId,
        since_key: &str,
    ) -> Result<i64, StoreError> {
        let (count,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT COUNT(*) FROM attendance a JOIN events e ON e.id = a.event_id \
                 WHERE e.community_id = $1 AND a.person_id = $2 AND a.original_start_local >= $3",
            )
            .bind(community.0)
            .bind(person.0)
            .bind(since_key)
            .fetch_one(pool)
            .await?
        });
        Ok(count)
    }

    /// The sessions of the community `person` attended most recently.
    pub async fn list_sessions_attended(
        &self,
        community: CommunityId,
        person: PersonId,
        since_key: &str,
        limit: i64,
    ) -> Result<Vec<AttendedSessionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT a.event_id, e.title, a.original_start_local, e.time_zone FROM attendance a \
                 JOIN events e ON e.id = a.event_id \
                 WHERE e.community_id = $1 AND a.person_id = $2 AND a.original_start_local >= $3 \
                 ORDER BY a.original_start_local DESC, a.event_id LIMIT $4",
            )
            .bind(community.0)
            .bind(person.0)
            .bind(since_key)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Records that `person` read one of the community's reports.
    pub async fn insert_report_read(
        &self,
        community: CommunityId,
        person: PersonId,
        report: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("INSERT INTO report_reads (person_id, community_id, report, at) VALUES ($1, $2, $3, $4)")
                .bind(person.0)
                .bind(community.0)
                .bind(report)
                .bind(at.millis())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// How often `person` read the community's reports, and when last.
    pub async fn report_reads_of(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> Result<(i64, Option<i64>), StoreError> {
        let row: (i64, Option<i64>) = with_pool!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*), MAX(at) FROM report_reads WHERE community_id = $1 AND person_id = $2")
                .bind(community.0)
                .bind(person.0)
                .fetch_one(pool)
                .await?
        });
        Ok(row)
    }

    /// The time allocations of the community's active members, the most
    /// hours first. (An allocation outlives a membership that ends, but is
    /// not counted while the person is not an active member.)
    pub async fn list_time_allocations(&self, community: CommunityId) -> Result<Vec<TimeAllocationRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT t.person_id, p.handle, p.name, p.team, t.hours_per_month, t.granted_by, \
                 r.name AS recorded_by_name, t.updated_at FROM time_allocations t \
                 JOIN memberships m ON m.community_id = t.community_id AND m.person_id = t.person_id \
                 JOIN people p ON p.id = t.person_id LEFT JOIN people r ON r.id = t.recorded_by \
                 WHERE t.community_id = $1 AND m.status = 'active' \
                 ORDER BY t.hours_per_month DESC, p.name",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn find_time_allocation(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> Result<Option<TimeAllocationRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT t.person_id, p.handle, p.name, p.team, t.hours_per_month, t.granted_by, \
                 r.name AS recorded_by_name, t.updated_at FROM time_allocations t \
                 JOIN people p ON p.id = t.person_id LEFT JOIN people r ON r.id = t.recorded_by \
                 WHERE t.community_id = $1 AND t.person_id = $2",
            )
            .bind(community.0)
            .bind(person.0)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Writes (or, for zero hours, deletes) one membership's allocation and
    /// its audit-log row in one transaction.
    pub async fn set_time_allocation(&self, change: &TimeAllocationChange<'_>) -> Result<(), StoreError> {
        let at = change.at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if change.hours_per_month == 0 {
                sqlx::query("DELETE FROM time_allocations WHERE community_id = $1 AND person_id = $2")
                    .bind(change.community.0)
                    .bind(change.person.0)
                    .execute(&mut *tx)
                    .await?;
            } else {
                sqlx::query(
                    "INSERT INTO time_allocations \
                     (community_id, person_id, hours_per_month, granted_by, recorded_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id, person_id) DO UPDATE SET \
                     hours_per_month = excluded.hours_per_month, granted_by = excluded.granted_by, \
                     recorded_by = excluded.recorded_by, updated_at = excluded.updated_at",
                )
                .bind(change.community.0)
                .bind(change.person.0)
                .bind(change.hours_per_month)
                .bind(change.granted_by)
                .bind(change.recorded_by.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            audit!(tx, Some(change.recorded_by.0), "time.allocate", "community", change.community.0, change.detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// The community's budget lines, the latest period first.
    pub async fn list_budget_lines(&self, community: CommunityId) -> Result<Vec<BudgetLineRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            budget_columns!(),
            " FROM budget_lines b LEFT JOIN people p ON p.id = b.created_by \
             WHERE b.community_id = $1 ORDER BY b.period DESC, b.id"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(community.0).fetch_all(pool).await?))
    }

    pub async fn find_budget_line(&self, id: i64) -> Result<Option<BudgetLineRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            budget_columns!(),
            " FROM budget_lines b LEFT JOIN people p ON p.id = b.created_by WHERE b.id = $1"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Adds a budget line and its audit-log row; returns its id.
    pub async fn insert_budget_line(&self, new: &NewBudgetLine<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO budget_lines (community_id, title, period, requested_cents, granted_cents, spent_cents, \
                 note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(new.community.0)
            .bind(new.title)
            .bind(new.period)
            .bind(new.requested_cents)
            .bind(new.granted_cents)
            .bind(new.spent_cents)
            .bind(new.note)
            .bind(new.actor.0)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let detail = format!("{} ({})", new.title, new.period);
            audit!(tx, Some(new.actor.0), "budget.add", "budget_line", id, &detail, at);
            tx.commit().await?;
            id
        }))
    }

    /// Changes a line's spent and/or granted amount field by field in one
    /// statement, so a grant and a spending recorded at the same moment do
    /// not overwrite each other.
    pub async fn update_budget_line(&self, id: i64, change: &BudgetLineChange) -> Result<(), StoreError> {
        let at = change.at.millis();
        let set_granted = i64::from(change.granted_cents.is_some());
        let granted = change.granted_cents.flatten();
        let detail = match (change.spent_cents, change.granted_cents) {
            (Some(s), Some(g)) => format!("spent {s}, granted {}", g.map_or("none".into(), |g| g.to_string())),
            (Some(s), None) => format!("spent {s}"),
            (None, Some(g)) => format!("granted {}", g.map_or("none".into(), |g| g.to_string())),
            (None, None) => String::new(),
        };
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE budget_lines SET spent_cents = COALESCE($2, spent_cents), \
                 granted_cents = CASE WHEN $3 = 1 THEN $4 ELSE granted_cents END, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(change.spent_cents)
            .bind(set_granted)
            .bind(granted)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            audit!(tx, Some(change.actor.0), "budget.update", "budget_line", id, &detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every community the viewer may discover (the same rule as
    /// [`Store::list_communities`]; the caller re-checks each row with the
    /// policy), with its sponsor, the hours granted to active members and the
    /// budget totals of the periods in `year` (`2026` and `2026-Q1`..`Q4`).
    pub async fn list_portfolio(
        &self,
        viewer: PersonId,
        viewer_is_admin: bool,
        year: &str,
    ) -> Result<Vec<PortfolioRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id, c.slug, c.name, c.stage, c.visibility, c.member_count, c.sponsor_id, \
                 sp.handle AS sponsor_handle, sp.name AS sponsor_name, \
                 m.role AS viewer_role, m.status AS viewer_status, \
                 COALESCE(t.hours, 0) AS hours, COALESCE(t.people, 0) AS allocated_members, \
                 COALESCE(b.requested, 0) AS requested_cents, COALESCE(b.granted, 0) AS granted_cents, \
                 COALESCE(b.spent, 0) AS spent_cents, \
                 s.health, COALESCE(s.open_alerts, 0) AS open_alerts, COALESCE(s.active_90d, 0) AS active_90d, \
                 COALESCE(s.problems_solved_90d, 0) AS problems_solved_90d, \
                 COALESCE(s.artifacts_90d, 0) AS artifacts_90d, COALESCE(s.stories_90d, 0) AS stories_90d, \
                 s.suggested_stage \
                 FROM communities c \
                 LEFT JOIN insight_state s ON s.community_id = c.id \
                 LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $1 \
                 LEFT JOIN people sp ON sp.id = c.sponsor_id \
                 LEFT JOIN (SELECT ta.community_id, CAST(SUM(ta.hours_per_month) AS BIGINT) AS hours, \
                            COUNT(*) AS people FROM time_allocations ta \
                            JOIN memberships tm ON tm.community_id = ta.community_id \
                             AND tm.person_id = ta.person_id AND tm.status = 'active' \
                            GROUP BY ta.community_id) t ON t.community_id = c.id \
                 LEFT JOIN (SELECT community_id, CAST(SUM(requested_cents) AS BIGINT) AS requested, \
                            CAST(SUM(COALESCE(granted_cents, 0)) AS BIGINT) AS granted, \
                            CAST(SUM(spent_cents) AS BIGINT) AS spent FROM budget_lines \
                            WHERE period = $3 OR period LIKE $4 GROUP BY community_id) b ON b.community_id = c.id \
                 WHERE c.visibility <> 'private' OR $2 = 1 OR m.status IN ('active', 'invited') \
                 ORDER BY c.name, c.id",
            )
            .bind(viewer.0)
            .bind(i64::from(viewer_is_admin))
            .bind(year)
            .bind(format!("{year}-Q%"))
            .fetch_all(pool)
            .await?
        }))
    }

    /// The organizational goals with their descriptions.
    pub async fn list_org_goals_full(&self) -> Result<Vec<OrgGoalFullRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, title, description, created_at FROM org_goals ORDER BY title")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Charter goals linked to an organizational goal, in communities the
    /// viewer may discover (the caller re-checks each with the policy).
    pub async fn list_goal_links(
        &self,
        viewer: PersonId,
        viewer_is_admin: bool,
    ) -> Result<Vec<GoalLinkRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT g.org_goal_id, g.text AS goal_text, c.id AS community_id, c.slug, c.name, c.stage, \
                 c.visibility, m.role AS viewer_role, m.status AS viewer_status FROM community_goals g \
                 JOIN communities c ON c.id = g.community_id \
                 LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $1 \
                 WHERE g.org_goal_id IS NOT NULL \
                   AND (c.visibility <> 'private' OR $2 = 1 OR m.status IN ('active', 'invited')) \
                 ORDER BY c.name, g.position",
            )
            .bind(viewer.0)
            .bind(i64::from(viewer_is_admin))
            .fetch_all(pool)
            .await?
        }))
    }

    /// Attendance per occurrence of the community's sessions whose original
    /// start is at or after `since_key` (compared as text).
    pub async fn list_occurrence_attendance(
        &self,
        community: CommunityId,
        since_key: &str,
    ) -> Result<Vec<OccurrenceAttendanceRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT a.event_id, a.original_start_local, COUNT(*) AS attendees FROM attendance a \
                 JOIN events e ON e.id = a.event_id \
                 WHERE e.community_id = $1 AND a.original_start_local >= $2 \
                 GROUP BY a.event_id, a.original_start_local",
            )
            .bind(community.0)
            .bind(since_key)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The community's most recently opened pulse survey.
    pub async fn find_latest_survey(&self, community: CommunityId) -> Result<Option<SurveySummaryRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, status, audience_count, response_count, opens_at FROM surveys \
                 WHERE community_id = $1 ORDER BY opens_at DESC, id DESC LIMIT 1",
            )
            .bind(community.0)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The sum and count of a survey's answers to its built-in satisfaction
    /// question (the caller shows the mean only above the anonymity floor).
    pub async fn survey_satisfaction(&self, survey: i64) -> Result<(i64, i64), StoreError> {
        let row: (i64, i64) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(a.scale_value), 0) AS BIGINT), COUNT(a.scale_value) FROM survey_answers a \
                 JOIN survey_questions q ON q.id = a.question_id \
                 WHERE a.survey_id = $1 AND q.builtin = 'satisfaction'",
            )
            .bind(survey)
            .fetch_one(pool)
            .await?
        });
        Ok(row)
    }

    /// Questions, time saved, published artifacts and kudos of a community
    /// since `since` (published artifacts also in total).
    pub async fn report_figures(&self, community: CommunityId, since: Timestamp) -> Result<ReportFigures, StoreError> {
        let (c, since) = (community.0, since.millis());
        Ok(with_pool!(self, |pool| {
            let (questions_asked, questions_solved): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COUNT(accepted_at) FROM threads \
                 WHERE community_id = $1 AND kind = 'question' AND hidden_reason IS NULL AND created_at >= $2",
            )
            .bind(c)
            .bind(since)
            .fetch_one(pool)
            .await?;
            let (minutes_saved,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM time_saved s \
                 JOIN threads t ON t.id = s.thread_id WHERE t.community_id = $1 AND s.at >= $2",
            )
            .bind(c)
            .bind(since)
            .fetch_one(pool)
            .await?;
            let (artifacts_published, artifacts_published_since): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COUNT(CASE WHEN created_at >= $2 THEN 1 END) FROM artifacts \
                 WHERE community_id = $1 AND status = 'published'",
            )
            .bind(c)
            .bind(since)
            .fetch_one(pool)
            .await?;
            let (kudos,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM kudos WHERE community_id = $1 AND created_at >= $2")
                    .bind(c)
                    .bind(since)
                    .fetch_one(pool)
                    .await?;
            ReportFigures {
                questions_asked,
                questions_solved,
                minutes_saved,
                artifacts_published,
                artifacts_published_since,
                kudos,
            }
        }))
    }
}
