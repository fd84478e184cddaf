//! Pulse surveys and skill self-assessments (migration 0005_people).
//!
//! Who answered (`survey_respondents`: person and day) is stored apart from
//! what was answered (`survey_answers`: a random response token, no person,
//! no time), both written in one transaction with the survey's
//! `response_count`. Nothing here returns answers row by row: results are
//! read only as counts per scale value and as the list of comments sorted by
//! their text, and the app asks for them only above the anonymity threshold.
//! A partial unique index keeps one open survey per community, and the
//! respondents' primary key makes a second answer impossible even when two
//! arrive at once.

use copse_domain::{CommunityId, PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, audit, with_pool};

#[derive(Debug, Clone, FromRow)]
pub struct SurveyRow {
    pub id: i64,
    pub community_id: i64,
    pub title: String,
    pub status: String,
    pub audience_count: i64,
    pub response_count: i64,
    pub created_by: Option<i64>,
    pub opens_at: i64,
    pub closes_at: Option<i64>,
}

macro_rules! survey_columns {
    () => {
        "id, community_id, title, status, audience_count, response_count, created_by, opens_at, closes_at"
    };
}

#[derive(Debug, Clone, FromRow)]
pub struct SurveyQuestionRow {
    pub id: i64,
    pub survey_id: i64,
    pub position: i64,
    pub kind: String,
    pub builtin: Option<String>,
    pub prompt: String,
}

/// How many responses gave one scale question one value.
#[derive(Debug, Clone, FromRow)]
pub struct ScaleCountRow {
    pub question_id: i64,
    pub value: i64,
    pub count: i64,
}

/// One question of a survey to open.
#[derive(Debug, Clone)]
pub struct NewSurveyQuestion {
    /// scale | text
    pub kind: &'static str,
    pub builtin: Option<&'static str>,
    pub prompt: String,
}

#[derive(Debug, Clone)]
pub struct NewSurvey<'a> {
    pub community: CommunityId,
    pub title: &'a str,
    pub questions: &'a [NewSurveyQuestion],
    pub creator: Option<PersonId>,
    pub at: Timestamp,
}

/// One answered question of a response.
#[derive(Debug, Clone)]
pub struct NewAnswer {
    pub question: i64,
    pub scale: Option<i64>,
    pub text: Option<String>,
}

/// A response: who (kept apart), the token that groups its answers, and the
/// answers.
#[derive(Debug, Clone)]
pub struct NewResponse<'a> {
    pub survey: i64,
    pub person: PersonId,
    /// UTC midnight of the day they answered.
    pub day: Timestamp,
    pub token: &'a str,
    pub answers: &'a [NewAnswer],
}

#[derive(Debug, Clone, FromRow)]
pub struct AssessmentRow {
    pub id: i64,
    pub skill_key: String,
    /// The vocabulary's name for the key, when it has one.
    pub skill_name: Option<String>,
    pub community_slug: Option<String>,
    pub community_name: Option<String>,
    pub phase: String,
    pub level: i64,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAssessment<'a> {
    pub person: PersonId,
    pub skill_key: &'a str,
    pub community: Option<CommunityId>,
    pub phase: &'a str,
    pub level: i64,
    pub at: Timestamp,
}

/// People who assessed a skill with a community, and how many of them rate
/// themselves higher after than before for at least one skill.
#[derive(Debug, Clone, FromRow)]
pub struct SkillsDevelopedRow {
    pub assessed: i64,
    pub developed: i64,
}

impl Store {
    /// Opens a survey with its questions; its audience is the community's
    /// active members now. `Conflict("surveys.open")` when one is already
    /// open there.
    pub async fn insert_survey(&self, new: &NewSurvey<'_>) -> Result<i64, StoreError> {
        let at = new.at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO surveys (community_id, title, status, audience_count, response_count, created_by, \
                 opens_at, created_at) SELECT id, $2, 'open', member_count, 0, $3, $4, $4 FROM communities \
                 WHERE id = $1 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(new.community.0)
            .bind(new.title)
            .bind(new.creator.map(|p| p.0))
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM communities WHERE id = $1")
                    .bind(new.community.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                return Err(if exists.is_some() {
                    StoreError::Conflict("surveys.open".into())
                } else {
                    StoreError::NotFound
                });
            };
            for (position, question) in new.questions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO survey_questions (survey_id, position, kind, builtin, prompt) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(question.kind)
                .bind(question.builtin)
                .bind(&question.prompt)
                .execute(&mut *tx)
                .await?;
            }
            append_change!(tx, "survey", id, at);
            audit!(tx, new.creator.map(|p| p.0), "survey.open", "survey", id, new.title, at);
            tx.commit().await?;
            id
        }))
    }

    /// Closes an open survey; `false` when it was not open.
    pub async fn close_survey(&self, survey: i64, actor: Option<PersonId>, at: Timestamp) -> Result<bool, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let closed =
                sqlx::query("UPDATE surveys SET status = 'closed', closes_at = $2 WHERE id = $1 AND status = 'open'")
                    .bind(survey)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if closed > 0 {
                append_change!(tx, "survey", survey, at);
                audit!(tx, actor.map(|p| p.0), "survey.close", "survey", survey, "", at);
            }
            tx.commit().await?;
            closed > 0
        }))
    }

    pub async fn find_survey(&self, survey: i64) -> Result<Option<SurveyRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!("SELECT ", survey_columns!(), " FROM surveys WHERE id = $1"))
                .bind(survey)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// A community's surveys, the newest first.
    pub async fn list_surveys(&self, community: CommunityId, limit: i64) -> Result<Vec<SurveyRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                survey_columns!(),
                " FROM surveys WHERE community_id = $1 ORDER BY opens_at DESC, id DESC LIMIT $2"
            ))
            .bind(community.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_survey_questions(&self, survey: i64) -> Result<Vec<SurveyQuestionRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, survey_id, position, kind, builtin, prompt FROM survey_questions WHERE survey_id = $1 \
                 ORDER BY position",
            )
            .bind(survey)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether a person has answered a survey (never what they answered).
    pub async fn has_responded(&self, survey: i64, person: PersonId) -> Result<bool, StoreError> {
        Ok(with_pool!(self, |pool| {
            let row: Option<(i64,)> =
                sqlx::query_as("SELECT survey_id FROM survey_respondents WHERE survey_id = $1 AND person_id = $2")
                    .bind(survey)
                    .bind(person.0)
                    .fetch_optional(pool)
                    .await?;
            row.is_some()
        }))
    }

    /// Records a response in one transaction: the respondent (person and day),
    /// the answers under the random token, and the count. A second response
    /// by the same person is `Conflict("survey_respondents")`; a survey that
    /// is not open is `Conflict("surveys.closed")`. Either way nothing is
    /// written. Returns the new response count.
    pub async fn insert_survey_response(&self, new: &NewResponse<'_>) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let counted: Option<(i64,)> = sqlx::query_as(
                "UPDATE surveys SET response_count = response_count + 1 WHERE id = $1 AND status = 'open' \
                 RETURNING response_count",
            )
            .bind(new.survey)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((count,)) = counted else {
                return Err(StoreError::Conflict("surveys.closed".into()));
            };
            let added = sqlx::query(
                "INSERT INTO survey_respondents (survey_id, person_id, responded_on) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(new.survey)
            .bind(new.person.0)
            .bind(new.day.millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                return Err(StoreError::Conflict("survey_respondents".into()));
            }
            for answer in new.answers {
                sqlx::query(
                    "INSERT INTO survey_answers (response_token, question_id, survey_id, scale_value, text_value) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(new.token)
                .bind(answer.question)
                .bind(new.survey)
                .bind(answer.scale)
                .bind(answer.text.as_deref())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            count
        }))
    }

    /// How many responses gave each value of each scale question.
    pub async fn count_survey_scale_values(&self, survey: i64) -> Result<Vec<ScaleCountRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT question_id, scale_value AS value, COUNT(*) AS count FROM survey_answers \
                 WHERE survey_id = $1 AND scale_value IS NOT NULL GROUP BY question_id, scale_value \
                 ORDER BY question_id, scale_value",
            )
            .bind(survey)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The text answers of a survey as (question, text), sorted by question
    /// and then by the text itself, so their order says nothing about who or
    /// when.
    pub async fn list_survey_texts(&self, survey: i64) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT question_id, text_value FROM survey_answers \
                 WHERE survey_id = $1 AND text_value IS NOT NULL AND text_value <> '' \
                 ORDER BY question_id, text_value",
            )
            .bind(survey)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn insert_assessment(&self, new: &NewAssessment<'_>) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO skill_assessments (person_id, skill_key, community_id, phase, level, at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(new.person.0)
            .bind(new.skill_key)
            .bind(new.community.map(|c| c.0))
            .bind(new.phase)
            .bind(new.level)
            .bind(new.at.millis())
            .fetch_one(pool)
            .await?;
            id
        }))
    }

    /// A person's self-assessments by skill, oldest first within each.
    pub async fn list_assessments(&self, person: PersonId) -> Result<Vec<AssessmentRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT a.id, a.skill_key, s.name AS skill_name, c.slug AS community_slug, c.name AS community_name, \
                 a.phase, a.level, a.at FROM skill_assessments a LEFT JOIN skills s ON s.key = a.skill_key \
                 LEFT JOIN communities c ON c.id = a.community_id WHERE a.person_id = $1 \
                 ORDER BY a.skill_key, a.at, a.id LIMIT 2000",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// "Skills developed" in a community: of the people who assessed
    /// themselves with it, how many rate a skill higher in their latest
    /// 'after' than in their first 'before'.
    pub async fn skills_developed(&self, community: CommunityId) -> Result<SkillsDevelopedRow, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(DISTINCT person_id) FROM skill_assessments WHERE community_id = $1) AS assessed, \
                 (SELECT COUNT(DISTINCT f.person_id) FROM ( \
                    SELECT s.person_id, \
                    (SELECT b.level FROM skill_assessments b WHERE b.person_id = s.person_id \
                       AND b.skill_key = s.skill_key AND b.community_id = $1 AND b.phase = 'before' \
                       ORDER BY b.at, b.id LIMIT 1) AS first_before, \
                    (SELECT a.level FROM skill_assessments a WHERE a.person_id = s.person_id \
                       AND a.skill_key = s.skill_key AND a.community_id = $1 AND a.phase = 'after' \
                       ORDER BY a.at DESC, a.id DESC LIMIT 1) AS last_after \
                    FROM skill_assessments s WHERE s.community_id = $1 GROUP BY s.person_id, s.skill_key) f \
                  WHERE f.last_after > f.first_before) AS developed",
            )
            .bind(community.0)
            .fetch_one(pool)
            .await?
        }))
    }
}
