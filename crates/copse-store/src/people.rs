//! People, their profiles, skills and interests.

use copse_domain::{Handle, OrgRole, PersonId, Profile, Skill, Timestamp, skill_key};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, with_pool};

#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub email: Option<String>,
    pub org_role: String,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub work_start_minute: i64,
    pub work_end_minute: i64,
    pub experience: String,
    pub bio: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct SkillRow {
    pub skill: String,
    pub level: String,
}

/// A person to create.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub handle: Handle,
    pub email: Option<String>,
    pub role: OrgRole,
    pub profile: Profile,
    pub created_at: Timestamp,
}

/// Filters for the people directory; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub query: String,
    pub team: String,
    pub location: String,
    pub skill: String,
}

macro_rules! team_choices_limit {
    () => {
        "201"
    };
}

/// More distinct teams than this are not offered as a list to choose from.
pub const MAX_TEAM_CHOICES: usize = 200;

macro_rules! person_columns {
    () => {
        "p.id, p.handle, p.name, p.email, p.org_role, p.team, p.location, p.time_zone, \
     p.work_start_minute, p.work_end_minute, p.experience, p.bio, p.created_at, p.updated_at"
    };
}

fn search_text(handle: &str, profile: &Profile) -> String {
    let mut text = format!("{} {} {} {}", profile.name, handle, profile.team, profile.location);
    for skill in &profile.skills {
        text.push(' ');
        text.push_str(&skill.name);
    }
    for interest in &profile.interests {
        text.push(' ');
        text.push_str(interest);
    }
    text.to_lowercase()
}

/// Escapes `%`, `_` and `\` so user text matches literally inside LIKE.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl Store {
    pub async fn insert_person(&self, person: &NewPerson) -> Result<PersonId, StoreError> {
        let ids = self.insert_people(std::slice::from_ref(person)).await?;
        Ok(ids[0])
    }

    /// Inserts many people in one transaction (the demo and scale generators
    /// use this); returns their ids in order.
    pub async fn insert_people(&self, people: &[NewPerson]) -> Result<Vec<PersonId>, StoreError> {
        let mut ids = Vec::with_capacity(people.len());
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for person in people {
                let p = &person.profile;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO people (handle, name, email, org_role, team, location, time_zone, \
                     work_start_minute, work_end_minute, experience, bio, search_text, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
                )
                .bind(person.handle.as_str())
                .bind(&p.name)
                .bind(&person.email)
                .bind(person.role.as_str())
                .bind(&p.team)
                .bind(&p.location)
                .bind(p.time_zone.name())
                .bind(i64::from(p.working_hours.start_minute))
                .bind(i64::from(p.working_hours.end_minute))
                .bind(p.experience.as_str())
                .bind(&p.bio)
                .bind(search_text(person.handle.as_str(), p))
                .bind(person.created_at.millis())
                .fetch_one(&mut *tx)
                .await?;
                for skill in &p.skills {
                    sqlx::query(
                        "INSERT INTO person_skills (person_id, skill, level, skill_key) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(id)
                    .bind(&skill.name)
                    .bind(skill.level.as_str())
                    .bind(skill_key(&skill.name))
                    .execute(&mut *tx)
                    .await?;
                }
                for interest in &p.interests {
                    sqlx::query("INSERT INTO person_interests (person_id, interest) VALUES ($1, $2)")
                        .bind(id)
                        .bind(interest)
                        .execute(&mut *tx)
                        .await?;
                }
                append_change!(tx, "person", id, person.created_at.millis());
                ids.push(PersonId(id));
            }
            tx.commit().await?;
        });
        Ok(ids)
    }

    /// Replaces a person's profile, skills and interests. Bumps the version of
    /// every community they belong to, since member lists show profiles.
    pub async fn update_profile(&self, id: PersonId, profile: &Profile) -> Result<(), StoreError> {
        let now = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // A write first: on SQLite a transaction that reads and then
            // writes fails at once (busy snapshot) when another write
            // committed in between; taking the write lock first waits instead.
            let handle: Option<(String,)> =
                sqlx::query_as("UPDATE people SET updated_at = $2 WHERE id = $1 RETURNING handle")
                    .bind(id.0)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((handle,)) = handle else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(
                "UPDATE people SET name = $2, team = $3, location = $4, time_zone = $5, work_start_minute = $6, \
                 work_end_minute = $7, experience = $8, bio = $9, search_text = $10, updated_at = $11 WHERE id = $1",
            )
            .bind(id.0)
            .bind(&profile.name)
            .bind(&profile.team)
            .bind(&profile.location)
            .bind(profile.time_zone.name())
            .bind(i64::from(profile.working_hours.start_minute))
            .bind(i64::from(profile.working_hours.end_minute))
            .bind(profile.experience.as_str())
            .bind(&profile.bio)
            .bind(search_text(&handle, profile))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM person_skills WHERE person_id = $1").bind(id.0).execute(&mut *tx).await?;
            for Skill { name, level } in &profile.skills {
                sqlx::query("INSERT INTO person_skills (person_id, skill, level, skill_key) VALUES ($1, $2, $3, $4)")
                    .bind(id.0)
                    .bind(name)
                    .bind(level.as_str())
                    .bind(skill_key(name))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM person_interests WHERE person_id = $1").bind(id.0).execute(&mut *tx).await?;
            for interest in &profile.interests {
                sqlx::query("INSERT INTO person_interests (person_id, interest) VALUES ($1, $2)")
                    .bind(id.0)
                    .bind(interest)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "UPDATE communities SET version = version + 1 \
                 WHERE id IN (SELECT community_id FROM memberships WHERE person_id = $1)",
            )
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            append_change!(tx, "person", id.0, now);
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn set_org_role(&self, id: PersonId, role: OrgRole) -> Result<(), StoreError> {
        let done = with_pool!(self, |pool| {
            sqlx::query("UPDATE people SET org_role = $2, updated_at = $3 WHERE id = $1")
                .bind(id.0)
                .bind(role.as_str())
                .bind(Timestamp::now().millis())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    pub async fn get_person(&self, id: PersonId) -> Result<PersonRow, StoreError> {
        let sql = concat!("SELECT ", person_columns!(), " FROM people p WHERE p.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id.0).fetch_one(pool).await?))
    }

    pub async fn find_person_by_handle(&self, handle: &str) -> Result<Option<PersonRow>, StoreError> {
        let sql = concat!("SELECT ", person_columns!(), " FROM people p WHERE p.handle = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(handle).fetch_optional(pool).await?))
    }

    /// Looks a person up by handle or e-mail, as typed at sign-in.
    pub async fn find_person_by_login(&self, login: &str) -> Result<Option<PersonRow>, StoreError> {
        let login = login.trim().trim_start_matches('@').to_lowercase();
        let sql = concat!("SELECT ", person_columns!(), " FROM people p WHERE p.handle = $1 OR p.email = $1 LIMIT 1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(&login).fetch_optional(pool).await?))
    }

    pub async fn list_person_skills(&self, id: PersonId) -> Result<Vec<SkillRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT skill, level FROM person_skills WHERE person_id = $1 \
                 ORDER BY CASE level WHEN 'expert' THEN 0 WHEN 'practitioner' THEN 1 ELSE 2 END, skill",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_person_interests(&self, id: PersonId) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT interest FROM person_interests WHERE person_id = $1 ORDER BY interest")
                .bind(id.0)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(i,)| i).collect())
    }

    /// A page of the directory in name order. Fetch one more than you show to
    /// know whether there is a next page without counting everyone.
    pub async fn list_people(
        &self,
        filter: &PeopleFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<PersonRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            person_columns!(),
            " FROM people p \
             WHERE ($1 = '' OR p.search_text LIKE $2 ESCAPE '\\') \
               AND ($3 = '' OR LOWER(p.team) = $3) \
               AND ($4 = '' OR p.location = $4) \
               AND ($5 = '' OR EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND LOWER(s.skill) = $5)) \
             ORDER BY p.name, p.id LIMIT $6 OFFSET $7"
        );
        let query = filter.query.trim().to_lowercase();
        let pattern = like_pattern(&query);
        let skill = filter.skill.trim().to_lowercase();
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(&query)
                .bind(&pattern)
                .bind(filter.team.trim().to_lowercase())
                .bind(filter.location.trim())
                .bind(&skill)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Distinct teams and locations, for the directory's filters: at most
    /// [`MAX_TEAM_CHOICES`] + 1 teams, so callers can tell a complete list from
    /// one too long to offer as choices.
    pub async fn list_teams_and_locations(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let (teams, locations): (Vec<(String,)>, Vec<(String,)>) = with_pool!(self, |pool| {
            let teams = sqlx::query_as(concat!(
                "SELECT DISTINCT team FROM people WHERE team <> '' ORDER BY team LIMIT ",
                team_choices_limit!()
            ))
            .fetch_all(pool)
            .await?;
            let locations =
                sqlx::query_as("SELECT DISTINCT location FROM people WHERE location <> '' ORDER BY location LIMIT 500")
                    .fetch_all(pool)
                    .await?;
            (teams, locations)
        });
        Ok((teams.into_iter().map(|(t,)| t).collect(), locations.into_iter().map(|(l,)| l).collect()))
    }

    pub async fn count_people(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            with_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*) FROM people").fetch_one(pool).await?);
        Ok(count)
    }
}
