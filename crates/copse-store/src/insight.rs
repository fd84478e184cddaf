//! SQL for measuring and diagnosing communities: the rollups of the activity
//! record (kept by triggers, see migration 0006; rebuilt here from scratch),
//! what the measuring brain reads about one community, the insight state the
//! worker writes, alerts with their lifecycle, and value stories.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::communities::record_community_change;
use crate::{Db, Store, StoreError, with_pool};

/// The UTC day number of `at`, floored, as the triggers compute it.
macro_rules! day_of {
    ($col:literal) => {
        concat!("CASE WHEN ", $col, " >= 0 THEN ", $col, " / 86400000 ELSE (", $col, " - 86399999) / 86400000 END")
    };
}

/// One row of `activity_daily`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, FromRow)]
pub struct DailyRollupRow {
    pub community_id: i64,
    pub day: i64,
    pub person_id: i64,
    pub kind: String,
    pub n: i64,
}

/// One row of `activity_pairs`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, FromRow)]
pub struct PairRollupRow {
    pub community_id: i64,
    pub day: i64,
    pub person_id: i64,
    pub other_id: i64,
    pub n: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct InsightPersonRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub experience: String,
    pub time_zone: String,
    pub work_start_minute: i64,
    pub work_end_minute: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct InsightMembershipRow {
    pub person_id: i64,
    pub joined_at: i64,
    pub role: String,
    pub status: String,
}

/// A person's answer or attendance at one occurrence.
#[derive(Debug, Clone, FromRow)]
pub struct OccurrencePersonRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub person_id: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct OccurrenceDetailRow {
    pub event_id: i64,
    pub original_start_local: String,
    pub facilitator_id: Option<i64>,
    pub recording_url: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub title: String,
    pub author_id: Option<i64>,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub tags: String,
    pub first_response_at: Option<i64>,
}

/// A thread, artifact or event with its tags (space-separated).
#[derive(Debug, Clone, FromRow)]
pub struct TopicRow {
    pub source: String,
    pub id: i64,
    pub at: i64,
    pub title: String,
    pub tags: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct ArtifactCreatedRow {
    pub id: i64,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub status: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct InsightReuseRow {
    pub artifact_id: i64,
    pub at: i64,
    pub person_id: i64,
    pub outside: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct SkillAssessmentRow {
    pub person_id: i64,
    pub skill_key: String,
    pub phase: String,
    pub level: i64,
    pub at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct SurveyFactRow {
    pub opens_at: i64,
    pub closes_at: Option<i64>,
    pub status: String,
    pub audience_count: i64,
    pub response_count: i64,
    pub satisfaction_sum: i64,
    pub satisfaction_count: i64,
    pub usefulness_sum: i64,
    pub usefulness_count: i64,
}

/// What the organization gives the community, as stored.
#[derive(Debug, Clone, Default)]
pub struct OrgSupportRow {
    pub sponsor_id: Option<i64>,
    pub sponsor_sessions_attended: i64,
    pub sponsor_reports_read: i64,
    pub members_with_time: i64,
    pub hours_per_month: i64,
    pub budget_requested_cents: i64,
    pub budget_granted_cents: i64,
    pub budget_lines_cut: i64,
    pub budget_lines_undecided: i64,
}

/// Everything about one community's history the measuring brain reads,
/// as rows; the app turns them into `copse_insight::activity::CommunityInput`.
#[derive(Debug, Clone, Default)]
pub struct InsightSource {
    pub daily: Vec<DailyRollupRow>,
    pub pairs: Vec<PairRollupRow>,
    pub people: Vec<InsightPersonRow>,
    pub memberships: Vec<InsightMembershipRow>,
    pub going: Vec<OccurrencePersonRow>,
    pub attended: Vec<OccurrencePersonRow>,
    pub details: Vec<OccurrenceDetailRow>,
    pub questions: Vec<QuestionRow>,
    pub topics: Vec<TopicRow>,
    pub artifacts: Vec<ArtifactCreatedRow>,
    pub reuses: Vec<InsightReuseRow>,
    /// (at, minutes)
    pub time_saved: Vec<(i64, i64)>,
    /// When each accepted proposal was last active.
    pub proposals_accepted: Vec<i64>,
    /// (created_at, cycle)
    pub value_stories: Vec<(i64, String)>,
    pub skill_assessments: Vec<SkillAssessmentRow>,
    pub surveys: Vec<SurveyFactRow>,
    /// (text, linked to an organizational goal)
    pub goals: Vec<(String, bool)>,
    /// (at, stage), oldest first
    pub stage_history: Vec<(i64, String)>,
    pub org: OrgSupportRow,
}

/// What to read: the community, since when (rollups, sessions), since when
/// for topics, and the occurrence-key cut-off for sessions.
#[derive(Debug, Clone)]
pub struct InsightWindow {
    pub community: CommunityId,
    pub since: Timestamp,
    pub topics_since: Timestamp,
    /// `YYYY-MM-DDTHH:MM` text cut-off for RSVPs and attendance.
    pub since_key: String,
    pub sponsor_since: Timestamp,
    /// Occurrence key cut-off for the sponsor's attendance.
    pub sponsor_since_key: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct InsightStateRow {
    pub community_id: i64,
    pub version: i64,
    pub checked_version: i64,
    pub checked_community_version: i64,
    pub checked_at: Option<i64>,
    pub health: Option<String>,
    pub open_alerts: i64,
    pub active_90d: i64,
    pub members: i64,
    pub problems_solved_90d: i64,
    pub artifacts_90d: i64,
    pub reuse_90d: i64,
    pub stories_90d: i64,
    pub suggested_stage: Option<String>,
    pub stage_summary: String,
}

/// The summary the worker writes after a check.
#[derive(Debug, Clone, Default)]
pub struct InsightSummary {
    pub health: Option<String>,
    pub open_alerts: i64,
    pub active_90d: i64,
    pub members: i64,
    pub problems_solved_90d: i64,
    pub artifacts_90d: i64,
    pub reuse_90d: i64,
    pub stories_90d: i64,
    pub suggested_stage: Option<String>,
    pub stage_summary: String,
}

/// A community whose insight needs a check, with the versions to record.
#[derive(Debug, Clone, FromRow)]
pub struct InsightDueRow {
    pub community_id: i64,
    pub slug: String,
    pub community_version: i64,
    pub insight_version: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct AlertRow {
    pub id: i64,
    pub community_id: i64,
    pub challenge: String,
    pub status: String,
    pub symptom: String,
    pub opened_at: i64,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_by_handle: Option<String>,
    pub acknowledged_by_name: Option<String>,
    pub note: String,
    pub resolved_at: Option<i64>,
    pub last_checked_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct ValueStoryRow {
    pub id: i64,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub author_handle: Option<String>,
    pub author_name: Option<String>,
    pub author_team: Option<String>,
    pub cycle: String,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A story's link to its evidence, with the target's title and community
/// (`None` when the target is gone).
#[derive(Debug, Clone, FromRow)]
pub struct ValueStoryLinkRow {
    pub story_id: i64,
    pub target: String,
    pub target_id: i64,
    pub title: Option<String>,
    pub community_id: Option<i64>,
    pub hidden: i64,
}

#[derive(Debug, Clone)]
pub struct NewValueStory<'a> {
    pub community: CommunityId,
    pub author: PersonId,
    pub cycle: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// (target, id): thread | event | artifact
    pub links: &'a [(&'static str, i64)],
    pub at: Timestamp,
}

/// Something a story may link to in one community.
#[derive(Debug, Clone, FromRow)]
pub struct LinkTargetRow {
    pub target: String,
    pub id: i64,
    pub title: String,
    pub community_id: i64,
    pub at: i64,
    pub hidden: i64,
}

macro_rules! alert_columns {
    () => {
        "a.id, a.community_id, a.challenge, a.status, a.symptom, a.opened_at, a.acknowledged_at, a.acknowledged_by, \
         p.handle AS acknowledged_by_handle, p.name AS acknowledged_by_name, a.note, a.resolved_at, a.last_checked_at"
    };
}

macro_rules! story_columns {
    () => {
        "s.id, s.community_id, s.author_id, p.handle AS author_handle, p.name AS author_name, p.team AS author_team, \
         s.cycle, s.title, s.body, s.created_at, s.updated_at"
    };
}

const REBUILD_DAILY: &str = concat!(
    "INSERT INTO activity_daily (community_id, day, person_id, kind, n) SELECT community_id, ",
    day_of!("at"),
    ", person_id, kind, COUNT(*) FROM contributions GROUP BY community_id, ",
    day_of!("at"),
    ", person_id, kind"
);

const REBUILD_PAIRS: &str = concat!(
    "INSERT INTO activity_pairs (community_id, day, person_id, other_id, n) SELECT community_id, ",
    day_of!("at"),
    ", person_id, reply_to_person, COUNT(*) FROM contributions WHERE reply_to_person IS NOT NULL \
     GROUP BY community_id, ",
    day_of!("at"),
    ", person_id, reply_to_person"
);

const SOURCE_DAILY: &str = concat!(
    "SELECT community_id, ",
    day_of!("at"),
    " AS day, person_id, kind, COUNT(*) AS n FROM contributions GROUP BY community_id, ",
    day_of!("at"),
    ", person_id, kind ORDER BY 1, 2, 3, 4"
);

const SOURCE_PAIRS: &str = concat!(
    "SELECT community_id, ",
    day_of!("at"),
    " AS day, person_id, reply_to_person AS other_id, COUNT(*) AS n FROM contributions \
     WHERE reply_to_person IS NOT NULL GROUP BY community_id, ",
    day_of!("at"),
    ", person_id, reply_to_person ORDER BY 1, 2, 3, 4"
);

impl Store {
    /// Rebuilds both rollups from the activity record in one transaction
    /// (on PostgreSQL holding off writers of contributions meanwhile) and
    /// bumps every community's insight version. Returns (daily rows, pair
    /// rows).
    pub async fn rebuild_rollups(&self) -> Result<(i64, i64), StoreError> {
        let lock = matches!(self.db, Db::Postgres(_));
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if lock {
                sqlx::query("LOCK TABLE contributions IN SHARE MODE").execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM activity_daily").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM activity_pairs").execute(&mut *tx).await?;
            let daily = sqlx::query(REBUILD_DAILY).execute(&mut *tx).await?.rows_affected();
            let pairs = sqlx::query(REBUILD_PAIRS).execute(&mut *tx).await?.rows_affected();
            sqlx::query(
                "INSERT INTO insight_state (community_id) SELECT id FROM communities WHERE 1 = 1 \
                 ON CONFLICT (community_id) DO NOTHING",
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE insight_state SET version = version + 1").execute(&mut *tx).await?;
            tx.commit().await?;
            (daily as i64, pairs as i64)
        }))
    }

    /// Every rollup row, ordered (for tests and the cross-check).
    pub async fn list_rollups(&self) -> Result<(Vec<DailyRollupRow>, Vec<PairRollupRow>), StoreError> {
        Ok(with_pool!(self, |pool| {
            let daily =
                sqlx::query_as("SELECT community_id, day, person_id, kind, n FROM activity_daily ORDER BY 1, 2, 3, 4")
                    .fetch_all(pool)
                    .await?;
            let pairs = sqlx::query_as(
                "SELECT community_id, day, person_id, other_id, n FROM activity_pairs ORDER BY 1, 2, 3, 4",
            )
            .fetch_all(pool)
            .await?;
            (daily, pairs)
        }))
    }

    /// What the rollups should hold: the GROUP BY over the activity record.
    pub async fn rollups_from_contributions(&self) -> Result<(Vec<DailyRollupRow>, Vec<PairRollupRow>), StoreError> {
        Ok(with_pool!(self, |pool| {
            let daily = sqlx::query_as(SOURCE_DAILY).fetch_all(pool).await?;
            let pairs = sqlx::query_as(SOURCE_PAIRS).fetch_all(pool).await?;
            (daily, pairs)
        }))
    }

    /// Everything the measuring brain reads about one community.
    pub async fn load_insight_source(&self, w: &InsightWindow) -> Result<InsightSource, StoreError> {
        let c = w.community.0;
        let since = w.since.millis();
        let since_day = w.since.millis().div_euclid(86_400_000);
        let mut out = InsightSource::default();
        with_pool!(self, |pool| {
            out.daily = sqlx::query_as(
                "SELECT community_id, day, person_id, kind, n FROM activity_daily \
                 WHERE community_id = $1 AND day >= $2 ORDER BY day",
            )
            .bind(c)
            .bind(since_day)
            .fetch_all(pool)
            .await?;
            out.pairs = sqlx::query_as(
                "SELECT community_id, day, person_id, other_id, n FROM activity_pairs \
                 WHERE community_id = $1 AND day >= $2 ORDER BY day",
            )
            .bind(c)
            .bind(since_day)
            .fetch_all(pool)
            .await?;
            out.people = sqlx::query_as(
                "SELECT p.id, p.handle, p.name, p.team, p.location, p.experience, p.time_zone, \
                 p.work_start_minute, p.work_end_minute FROM people p WHERE p.id IN \
                 (SELECT person_id FROM memberships WHERE community_id = $1 \
                  UNION SELECT person_id FROM activity_daily WHERE community_id = $1 AND day >= $2 \
                  UNION SELECT sponsor_id FROM communities WHERE id = $1 AND sponsor_id IS NOT NULL)",
            )
            .bind(c)
            .bind(since_day)
            .fetch_all(pool)
            .await?;
            out.memberships = sqlx::query_as(
                "SELECT person_id, created_at AS joined_at, role, status FROM memberships WHERE community_id = $1",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.going = sqlx::query_as(
                "SELECT r.event_id, r.original_start_local, r.person_id FROM rsvps r JOIN events e ON e.id = r.event_id \
                 WHERE e.community_id = $1 AND r.answer = 'going' AND r.waitlisted = 0 AND r.original_start_local >= $2",
            )
            .bind(c)
            .bind(&w.since_key)
            .fetch_all(pool)
            .await?;
            out.attended = sqlx::query_as(
                "SELECT a.event_id, a.original_start_local, a.person_id FROM attendance a \
                 JOIN events e ON e.id = a.event_id WHERE e.community_id = $1 AND a.original_start_local >= $2",
            )
            .bind(c)
            .bind(&w.since_key)
            .fetch_all(pool)
            .await?;
            out.details = sqlx::query_as(
                "SELECT d.event_id, d.original_start_local, d.facilitator_id, d.recording_url \
                 FROM occurrence_details d JOIN events e ON e.id = d.event_id \
                 WHERE e.community_id = $1 AND d.original_start_local >= $2",
            )
            .bind(c)
            .bind(&w.since_key)
            .fetch_all(pool)
            .await?;
            out.questions = sqlx::query_as(
                "SELECT t.id, t.title, t.author_id, t.created_at, t.accepted_at, t.tags, \
                 (SELECT MIN(p.created_at) FROM posts p WHERE p.thread_id = t.id AND p.hidden_reason IS NULL \
                  AND p.author_id IS NOT NULL AND (t.author_id IS NULL OR p.author_id <> t.author_id) \
                  AND p.id > (SELECT MIN(o.id) FROM posts o WHERE o.thread_id = t.id)) AS first_response_at \
                 FROM threads t WHERE t.community_id = $1 AND t.kind = 'question' AND t.hidden_reason IS NULL \
                 AND t.created_at >= $2 ORDER BY t.created_at",
            )
            .bind(c)
            .bind(since)
            .fetch_all(pool)
            .await?;
            out.topics = sqlx::query_as(
                "SELECT 'thread' AS source, t.id, t.created_at AS at, t.title, t.tags FROM threads t \
                 WHERE t.community_id = $1 AND t.hidden_reason IS NULL AND t.created_at >= $2 \
                 UNION ALL \
                 SELECT 'artifact' AS source, a.id, a.created_at AS at, a.title, \
                 COALESCE((SELECT MIN(g.tag) FROM artifact_tags g WHERE g.artifact_id = a.id), '') AS tags \
                 FROM artifacts a WHERE a.community_id = $1 AND a.created_at >= $2 \
                 UNION ALL \
                 SELECT 'event' AS source, e.id, e.starts_at AS at, e.title, '' AS tags FROM events e \
                 WHERE e.community_id = $1 AND e.starts_at >= $2",
            )
            .bind(c)
            .bind(w.topics_since.millis())
            .fetch_all(pool)
            .await?;
            // Artifacts carry every tag: fetch them apart and join in Rust.
            let artifact_tags: Vec<(i64, String)> = sqlx::query_as(
                "SELECT g.artifact_id, g.tag FROM artifact_tags g JOIN artifacts a ON a.id = g.artifact_id \
                 WHERE a.community_id = $1 AND a.created_at >= $2 ORDER BY g.artifact_id, g.tag",
            )
            .bind(c)
            .bind(w.topics_since.millis())
            .fetch_all(pool)
            .await?;
            for topic in out.topics.iter_mut().filter(|t| t.source == "artifact") {
                let tags: Vec<&str> =
                    artifact_tags.iter().filter(|(a, _)| *a == topic.id).map(|(_, t)| t.as_str()).collect();
                topic.tags = tags.join(" ");
            }
            out.artifacts = sqlx::query_as(
                "SELECT id, created_at, created_by, status FROM artifacts WHERE community_id = $1 ORDER BY created_at",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.reuses = sqlx::query_as(
                "SELECT r.artifact_id, r.at, r.person_id, \
                 CAST(CASE WHEN pa.id IS NOT NULL AND pa.team <> pr.team THEN 1 ELSE 0 END AS BIGINT) AS outside \
                 FROM artifact_reuses r JOIN artifacts a ON a.id = r.artifact_id \
                 JOIN people pr ON pr.id = r.person_id LEFT JOIN people pa ON pa.id = a.created_by \
                 WHERE a.community_id = $1 AND r.at >= $2 AND (a.created_by IS NULL OR r.person_id <> a.created_by) \
                 ORDER BY r.at",
            )
            .bind(c)
            .bind(since)
            .fetch_all(pool)
            .await?;
            out.time_saved = sqlx::query_as(
                "SELECT s.at, s.minutes FROM time_saved s JOIN threads t ON t.id = s.thread_id \
                 WHERE t.community_id = $1 AND s.at >= $2",
            )
            .bind(c)
            .bind(since)
            .fetch_all(pool)
            .await?;
            let proposals: Vec<(i64,)> = sqlx::query_as(
                "SELECT last_activity_at FROM threads WHERE community_id = $1 AND kind = 'proposal' \
                 AND proposal_status = 'accepted' AND hidden_reason IS NULL",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.proposals_accepted = proposals.into_iter().map(|(a,)| a).collect();
            out.value_stories = sqlx::query_as(
                "SELECT created_at, cycle FROM value_stories WHERE community_id = $1 ORDER BY created_at",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.skill_assessments = sqlx::query_as(
                "SELECT person_id, skill_key, phase, level, at FROM skill_assessments WHERE community_id = $1 \
                 ORDER BY person_id, skill_key, at",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.surveys = sqlx::query_as(
                "SELECT s.opens_at, s.closes_at, s.status, s.audience_count, s.response_count, \
                 CAST(COALESCE((SELECT SUM(a.scale_value) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id \
                   WHERE a.survey_id = s.id AND q.builtin = 'satisfaction'), 0) AS BIGINT) AS satisfaction_sum, \
                 (SELECT COUNT(a.scale_value) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id \
                   WHERE a.survey_id = s.id AND q.builtin = 'satisfaction') AS satisfaction_count, \
                 CAST(COALESCE((SELECT SUM(a.scale_value) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id \
                   WHERE a.survey_id = s.id AND q.builtin = 'usefulness'), 0) AS BIGINT) AS usefulness_sum, \
                 (SELECT COUNT(a.scale_value) FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id \
                   WHERE a.survey_id = s.id AND q.builtin = 'usefulness') AS usefulness_count \
                 FROM surveys s WHERE s.community_id = $1 ORDER BY s.opens_at",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            let goals: Vec<(String, i64)> = sqlx::query_as(
                "SELECT text, CAST(CASE WHEN org_goal_id IS NULL THEN 0 ELSE 1 END AS BIGINT) FROM community_goals \
                 WHERE community_id = $1 ORDER BY position",
            )
            .bind(c)
            .fetch_all(pool)
            .await?;
            out.goals = goals.into_iter().map(|(t, linked)| (t, linked != 0)).collect();
            out.stage_history =
                sqlx::query_as("SELECT at, stage FROM stage_changes WHERE community_id = $1 ORDER BY at, id")
                    .bind(c)
                    .fetch_all(pool)
                    .await?;
            let (sponsor_id,): (Option<i64>,) = sqlx::query_as("SELECT sponsor_id FROM communities WHERE id = $1")
                .bind(c)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            out.org.sponsor_id = sponsor_id;
            if let Some(sponsor) = sponsor_id {
                let (attended,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM attendance a JOIN events e ON e.id = a.event_id \
                     WHERE e.community_id = $1 AND a.person_id = $2 AND a.original_start_local >= $3",
                )
                .bind(c)
                .bind(sponsor)
                .bind(&w.sponsor_since_key)
                .fetch_one(pool)
                .await?;
                let (read,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM report_reads WHERE community_id = $1 AND person_id = $2 AND at >= $3",
                )
                .bind(c)
                .bind(sponsor)
                .bind(w.sponsor_since.millis())
                .fetch_one(pool)
                .await?;
                out.org.sponsor_sessions_attended = attended;
                out.org.sponsor_reports_read = read;
            }
            let (people, hours): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(SUM(t.hours_per_month), 0) AS BIGINT) FROM time_allocations t \
                 JOIN memberships m ON m.community_id = t.community_id AND m.person_id = t.person_id \
                 WHERE t.community_id = $1 AND m.status = 'active' AND t.hours_per_month > 0",
            )
            .bind(c)
            .fetch_one(pool)
            .await?;
            out.org.members_with_time = people;
            out.org.hours_per_month = hours;
            let (requested, granted, cut, undecided): (i64, i64, i64, i64) = sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(requested_cents), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(COALESCE(granted_cents, 0)), 0) AS BIGINT), \
                 COUNT(CASE WHEN granted_cents IS NOT NULL AND granted_cents < requested_cents THEN 1 END), \
                 COUNT(CASE WHEN granted_cents IS NULL THEN 1 END) FROM budget_lines WHERE community_id = $1",
            )
            .bind(c)
            .fetch_one(pool)
            .await?;
            out.org.budget_requested_cents = requested;
            out.org.budget_granted_cents = granted;
            out.org.budget_lines_cut = cut;
            out.org.budget_lines_undecided = undecided;
        });
        Ok(out)
    }

    /// The activity rollup of every community since `since_day` (the
    /// metrics export and brokers read it).
    pub async fn list_daily_rollups_since(&self, since_day: i64) -> Result<Vec<DailyRollupRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT community_id, day, person_id, kind, n FROM activity_daily WHERE day >= $1 \
                 ORDER BY community_id, day",
            )
            .bind(since_day)
            .fetch_all(pool)
            .await?
        }))
    }

    // --- insight state -------------------------------------------------

    pub async fn find_insight_state(&self, community: CommunityId) -> Result<Option<InsightStateRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT community_id, version, checked_version, checked_community_version, checked_at, health, \
                 open_alerts, active_90d, members, problems_solved_90d, artifacts_90d, reuse_90d, stories_90d, \
                 suggested_stage, stage_summary FROM insight_state WHERE community_id = $1",
            )
            .bind(community.0)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The insight version of a community (0 when nothing was recorded yet).
    pub async fn insight_version(&self, community: CommunityId) -> Result<i64, StoreError> {
        let row: Option<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT version FROM insight_state WHERE community_id = $1")
                .bind(community.0)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map_or(0, |(v,)| v))
    }

    /// Communities whose insight is out of date: their contributions or the
    /// community changed since the last check, or it is older than
    /// `stale_before`. Oldest checks first.
    pub async fn list_insight_due(
        &self,
        stale_before: Timestamp,
        limit: i64,
    ) -> Result<Vec<InsightDueRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT c.id AS community_id, c.slug, c.version AS community_version, \
                 COALESCE(s.version, 0) AS insight_version FROM communities c \
                 LEFT JOIN insight_state s ON s.community_id = c.id \
                 WHERE s.community_id IS NULL OR s.version > s.checked_version \
                    OR c.version > s.checked_community_version OR s.checked_at IS NULL OR s.checked_at < $1 \
                 ORDER BY COALESCE(s.checked_at, 0), c.id LIMIT $2",
            )
            .bind(stale_before.millis())
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Every community's id and slug, for a full check.
    pub async fn list_community_ids(&self) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |pool| sqlx::query_as("SELECT id, slug FROM communities ORDER BY id")
            .fetch_all(pool)
            .await?))
    }

    /// Writes the summary and the versions that were checked.
    pub async fn write_insight_state(
        &self,
        community: CommunityId,
        checked_version: i64,
        checked_community_version: i64,
        summary: &InsightSummary,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO insight_state (community_id, version, checked_version, checked_community_version, \
                 checked_at, health, open_alerts, active_90d, members, problems_solved_90d, artifacts_90d, reuse_90d, \
                 stories_90d, suggested_stage, stage_summary) \
                 VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (community_id) DO UPDATE SET \
                 checked_version = CASE WHEN excluded.checked_version > insight_state.checked_version \
                   THEN excluded.checked_version ELSE insight_state.checked_version END, \
                 checked_community_version = CASE WHEN excluded.checked_community_version > insight_state.checked_community_version \
                   THEN excluded.checked_community_version ELSE insight_state.checked_community_version END, \
                 checked_at = excluded.checked_at, health = excluded.health, open_alerts = excluded.open_alerts, \
                 active_90d = excluded.active_90d, members = excluded.members, \
                 problems_solved_90d = excluded.problems_solved_90d, artifacts_90d = excluded.artifacts_90d, \
                 reuse_90d = excluded.reuse_90d, stories_90d = excluded.stories_90d, \
                 suggested_stage = excluded.suggested_stage, stage_summary = excluded.stage_summary",
            )
            .bind(community.0)
            .bind(checked_version)
            .bind(checked_community_version)
            .bind(at.millis())
            .bind(&summary.health)
            .bind(summary.open_alerts)
            .bind(summary.active_90d)
            .bind(summary.members)
            .bind(summary.problems_solved_90d)
            .bind(summary.artifacts_90d)
            .bind(summary.reuse_90d)
            .bind(summary.stories_90d)
            .bind(&summary.suggested_stage)
            .bind(&summary.stage_summary)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    // --- alerts ----------------------------------------------------------

    /// Open and acknowledged alerts, then those resolved since
    /// `resolved_since`, newest first within each.
    pub async fn list_alerts(
        &self,
        community: CommunityId,
        resolved_since: Timestamp,
    ) -> Result<Vec<AlertRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts a LEFT JOIN people p ON p.id = a.acknowledged_by \
             WHERE a.community_id = $1 AND (a.status <> 'resolved' OR a.resolved_at >= $2) \
             ORDER BY CASE WHEN a.status = 'resolved' THEN 1 ELSE 0 END, a.opened_at DESC, a.id DESC"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(community.0).bind(resolved_since.millis()).fetch_all(pool).await?
        }))
    }

    pub async fn find_alert(&self, id: i64) -> Result<Option<AlertRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts a LEFT JOIN people p ON p.id = a.acknowledged_by WHERE a.id = $1"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await?))
    }

    /// Opens an alert unless one is current for the challenge (the partial
    /// unique index decides between racing workers), or refreshes the
    /// current one's symptom. Returns whether a new alert was opened.
    pub async fn raise_alert(
        &self,
        community: CommunityId,
        challenge: &str,
        symptom: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let opened = sqlx::query(
                "INSERT INTO alerts (community_id, challenge, status, symptom, opened_at, last_checked_at) \
                 VALUES ($1, $2, 'open', $3, $4, $4) ON CONFLICT DO NOTHING",
            )
            .bind(community.0)
            .bind(challenge)
            .bind(symptom)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if opened == 0 {
                sqlx::query(
                    "UPDATE alerts SET symptom = $3, last_checked_at = $4 \
                     WHERE community_id = $1 AND challenge = $2 AND status <> 'resolved'",
                )
                .bind(community.0)
                .bind(challenge)
                .bind(symptom)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            } else {
                crate::append_change!(tx, "community", community.0, at);
            }
            tx.commit().await?;
            opened > 0
        }))
    }

    /// Resolves the current alert for the challenge, if any. Returns whether
    /// one was resolved.
    pub async fn resolve_alert(
        &self,
        community: CommunityId,
        challenge: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE alerts SET status = 'resolved', resolved_at = $3, last_checked_at = $3 \
                 WHERE community_id = $1 AND challenge = $2 AND status <> 'resolved'",
            )
            .bind(community.0)
            .bind(challenge)
            .bind(at.millis())
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(n > 0)
    }

    /// Marks the current alert as checked without changing it.
    pub async fn touch_alert(&self, community: CommunityId, challenge: &str, at: Timestamp) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE alerts SET last_checked_at = $3 WHERE community_id = $1 AND challenge = $2 AND status <> 'resolved'",
            )
            .bind(community.0)
            .bind(challenge)
            .bind(at.millis())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Acknowledges an open alert with a note; bumps the community version
    /// and writes the feed and audit log. `NotFound` when it is not open.
    pub async fn acknowledge_alert(
        &self,
        id: i64,
        community: CommunityId,
        actor: PersonId,
        note: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE alerts SET status = 'acknowledged', acknowledged_at = $3, acknowledged_by = $4, note = $5 \
                 WHERE id = $1 AND community_id = $2 AND status <> 'resolved'",
            )
            .bind(id)
            .bind(community.0)
            .bind(at)
            .bind(actor.0)
            .bind(note)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let detail = format!("alert {id}: {note}");
            record_community_change!(tx, community.0, Some(actor.0), "alert.acknowledge", &detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    // --- value stories ---------------------------------------------------

    /// Records a story and its links; bumps the community version and writes
    /// the feed and audit log. Returns its id.
    pub async fn insert_value_story(&self, new: &NewValueStory<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO value_stories (community_id, author_id, cycle, title, body, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(new.community.0)
            .bind(new.author.0)
            .bind(new.cycle)
            .bind(new.title)
            .bind(new.body)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for (target, target_id) in new.links {
                sqlx::query(
                    "INSERT INTO value_story_links (story_id, target, target_id) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(*target)
                .bind(*target_id)
                .execute(&mut *tx)
                .await?;
            }
            crate::append_change!(tx, "value_story", id, at);
            let detail = format!("{} ({})", new.title, new.cycle);
            record_community_change!(tx, new.community.0, Some(new.author.0), "value_story.add", &detail, at);
            tx.commit().await?;
            id
        }))
    }

    /// Deletes a story; bumps the community version.
    pub async fn delete_value_story(
        &self,
        id: i64,
        community: CommunityId,
        actor: PersonId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("DELETE FROM value_stories WHERE id = $1 AND community_id = $2")
                .bind(id)
                .bind(community.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let detail = format!("value story {id}");
            record_community_change!(tx, community.0, Some(actor.0), "value_story.delete", &detail, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A community's stories, newest first.
    pub async fn list_value_stories(&self, community: CommunityId) -> Result<Vec<ValueStoryRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            story_columns!(),
            " FROM value_stories s LEFT JOIN people p ON p.id = s.author_id WHERE s.community_id = $1 \
             ORDER BY s.created_at DESC, s.id DESC"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(community.0).fetch_all(pool).await?))
    }

    /// The links of a community's stories, with the targets' titles.
    pub async fn list_value_story_links(&self, community: CommunityId) -> Result<Vec<ValueStoryLinkRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT l.story_id, l.target, l.target_id, \
                 COALESCE(t.title, COALESCE(e.title, a.title)) AS title, \
                 COALESCE(t.community_id, COALESCE(e.community_id, a.community_id)) AS community_id, \
                 CAST(CASE WHEN t.hidden_reason IS NOT NULL THEN 1 ELSE 0 END AS BIGINT) AS hidden \
                 FROM value_story_links l JOIN value_stories s ON s.id = l.story_id \
                 LEFT JOIN threads t ON l.target = 'thread' AND t.id = l.target_id \
                 LEFT JOIN events e ON l.target = 'event' AND e.id = l.target_id \
                 LEFT JOIN artifacts a ON l.target = 'artifact' AND a.id = l.target_id \
                 WHERE s.community_id = $1 ORDER BY l.story_id, l.target, l.target_id",
            )
            .bind(community.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// One link target (thread, event or artifact) with its community.
    pub async fn find_link_target(&self, target: &str, id: i64) -> Result<Option<LinkTargetRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT 'thread' AS target, id, title, community_id, created_at AS at, \
                 CAST(CASE WHEN hidden_reason IS NULL THEN 0 ELSE 1 END AS BIGINT) AS hidden FROM threads WHERE $1 = 'thread' AND id = $2 \
                 UNION ALL SELECT 'event' AS target, id, title, community_id, starts_at AS at, CAST(0 AS BIGINT) AS hidden FROM events \
                 WHERE $1 = 'event' AND id = $2 \
                 UNION ALL SELECT 'artifact' AS target, id, title, community_id, created_at AS at, CAST(0 AS BIGINT) AS hidden \
                 FROM artifacts WHERE $1 = 'artifact' AND id = $2",
            )
            .bind(target)
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Recent threads, events and artifacts of a community, newest first.
    pub async fn list_link_targets(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<LinkTargetRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT * FROM (SELECT 'thread' AS target, id, title, community_id, created_at AS at, CAST(0 AS BIGINT) AS hidden \
                 FROM threads WHERE community_id = $1 AND hidden_reason IS NULL \
                 UNION ALL SELECT 'event' AS target, id, title, community_id, starts_at AS at, CAST(0 AS BIGINT) AS hidden FROM events \
                 WHERE community_id = $1 \
                 UNION ALL SELECT 'artifact' AS target, id, title, community_id, created_at AS at, CAST(0 AS BIGINT) AS hidden \
                 FROM artifacts WHERE community_id = $1) x ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(community.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}
