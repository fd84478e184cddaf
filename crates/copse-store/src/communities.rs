//! Communities: definition, charter (goals), channels, lifecycle stage and its
//! history, organizational goals, and discovery listings.

use copse_domain::{CommunityDraft, CommunityId, OrgGoalId, PersonId, Stage, StageChange, Timestamp};
use sqlx::FromRow;

use crate::people::like_pattern;
use crate::{Store, StoreError, with_pool};

#[derive(Debug, Clone, FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub domain: String,
    pub kind: String,
    pub visibility: String,
    pub stage: String,
    pub purpose: String,
    pub in_scope: String,
    pub out_of_scope: String,
    pub sponsor_id: Option<i64>,
    pub member_count: i64,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A community together with the viewer's own membership in it.
#[derive(Debug, Clone, FromRow)]
pub struct CommunityForViewerRow {
    #[sqlx(flatten)]
    pub community: CommunityRow,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct GoalRow {
    pub text: String,
    pub org_goal_id: Option<i64>,
    pub org_goal_title: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ChannelRow {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct StageChangeRow {
    pub stage: String,
    pub previous_stage: Option<String>,
    pub note: String,
    pub at: i64,
    pub changed_by_handle: Option<String>,
    pub changed_by_name: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct OrgGoalRow {
    pub id: i64,
    pub title: String,
    pub description: String,
}

/// Filters for discovery; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct CommunityFilter {
    pub query: String,
    pub kind: String,
    pub stage: String,
    /// Leave out communities the viewer has any membership in.
    pub exclude_joined: bool,
}

macro_rules! community_columns {
    () => {
        "c.id, c.slug, c.name, c.domain, c.kind, c.visibility, c.stage, c.purpose, \
     c.in_scope, c.out_of_scope, c.sponsor_id, c.member_count, c.version, c.created_at, c.updated_at"
    };
}

/// A new community: its definition, who starts it and when.
#[derive(Debug, Clone)]
pub struct NewCommunity<'a> {
    pub draft: &'a CommunityDraft,
    pub sponsor: Option<PersonId>,
    pub creator: PersonId,
    pub stage: Stage,
    pub at: Timestamp,
}

/// Bumps a community's version and appends to the change feed and the audit
/// log (with no actor for changes the system makes). Used inside every
/// community write.
macro_rules! record_community_change {
    ($tx:expr, $community:expr, $actor:expr, $action:expr, $detail:expr, $at:expr) => {{
        sqlx::query("UPDATE communities SET version = version + 1, updated_at = $2 WHERE id = $1")
            .bind($community)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        $crate::append_change!($tx, "community", $community, $at);
        $crate::audit!($tx, $actor, $action, "community", $community, $detail, $at);
    }};
}
pub(crate) use record_community_change;

macro_rules! replace_goals_and_channels {
    ($tx:expr, $id:expr, $draft:expr) => {{
        sqlx::query("DELETE FROM community_goals WHERE community_id = $1").bind($id).execute(&mut *$tx).await?;
        for (position, goal) in $draft.charter.goals.iter().enumerate() {
            sqlx::query(
                "INSERT INTO community_goals (community_id, position, text, org_goal_id) VALUES ($1, $2, $3, $4)",
            )
            .bind($id)
            .bind(position as i64)
            .bind(&goal.text)
            .bind(goal.org_goal.map(|g| g.0))
            .execute(&mut *$tx)
            .await?;
        }
        sqlx::query("DELETE FROM community_channels WHERE community_id = $1").bind($id).execute(&mut *$tx).await?;
        for (position, channel) in $draft.channels.iter().enumerate() {
            sqlx::query("INSERT INTO community_channels (community_id, position, name, url) VALUES ($1, $2, $3, $4)")
                .bind($id)
                .bind(position as i64)
                .bind(&channel.name)
                .bind(channel.url.as_str())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

impl Store {
    /// Creates a community with its charter and channels; the creator becomes
    /// its first facilitator and member, and the first stage is recorded.
    pub async fn insert_community(&self, new: &NewCommunity<'_>) -> Result<CommunityId, StoreError> {
        let draft = new.draft;
        let at = new.at.millis();
        let id = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO communities (slug, name, domain, kind, visibility, stage, purpose, in_scope, out_of_scope, \
                 sponsor_id, member_count, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) RETURNING id",
            )
            .bind(draft.slug.as_str())
            .bind(&draft.name)
            .bind(&draft.domain)
            .bind(draft.kind.as_str())
            .bind(draft.visibility.as_str())
            .bind(new.stage.as_str())
            .bind(&draft.charter.purpose)
            .bind(draft.charter.in_scope.join("\n"))
            .bind(draft.charter.out_of_scope.join("\n"))
            .bind(new.sponsor.map(|p| p.0))
            .bind(new.creator.0)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            replace_goals_and_channels!(tx, id, draft);
            sqlx::query(
                "INSERT INTO memberships (community_id, person_id, role, status, created_at, updated_at) \
                 VALUES ($1, $2, 'facilitator', 'active', $3, $3)",
            )
            .bind(id)
            .bind(new.creator.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO facilitator_terms (community_id, person_id, starts_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(new.creator.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO stage_changes (community_id, stage, previous_stage, changed_by, note, at) \
                 VALUES ($1, $2, NULL, $3, 'Community started', $4)",
            )
            .bind(id)
            .bind(new.stage.as_str())
            .bind(new.creator.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            record_community_change!(tx, id, Some(new.creator.0), "community.create", draft.slug.as_str(), at);
            tx.commit().await?;
            id
        });
        Ok(CommunityId(id))
    }

    /// Replaces a community's definition, charter and channels.
    pub async fn update_community(
        &self,
        id: CommunityId,
        draft: &CommunityDraft,
        sponsor: Option<PersonId>,
        actor: PersonId,
    ) -> Result<(), StoreError> {
        let at = Timestamp::now().millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE communities SET slug = $2, name = $3, domain = $4, kind = $5, visibility = $6, purpose = $7, \
                 in_scope = $8, out_of_scope = $9, sponsor_id = $10 WHERE id = $1",
            )
            .bind(id.0)
            .bind(draft.slug.as_str())
            .bind(&draft.name)
            .bind(&draft.domain)
            .bind(draft.kind.as_str())
            .bind(draft.visibility.as_str())
            .bind(&draft.charter.purpose)
            .bind(draft.charter.in_scope.join("\n"))
            .bind(draft.charter.out_of_scope.join("\n"))
            .bind(sponsor.map(|p| p.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            replace_goals_and_channels!(tx, id.0, draft);
            record_community_change!(tx, id.0, Some(actor.0), "community.update", "", at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves a community to another stage and appends to its stage history.
    pub async fn change_stage(
        &self,
        id: CommunityId,
        change: &StageChange,
        actor: Option<PersonId>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let current: Option<(String,)> = sqlx::query_as("SELECT stage FROM communities WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((previous,)) = current else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("UPDATE communities SET stage = $2 WHERE id = $1")
                .bind(id.0)
                .bind(change.stage.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO stage_changes (community_id, stage, previous_stage, changed_by, note, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.0)
            .bind(change.stage.as_str())
            .bind(&previous)
            .bind(actor.map(|a| a.0))
            .bind(&change.note)
            .bind(at.millis())
            .execute(&mut *tx)
            .await?;
            let detail = format!("{previous} -> {}", change.stage.as_str());
            record_community_change!(tx, id.0, actor.map(|a| a.0), "community.stage", &detail, at.millis());
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn get_community(&self, id: CommunityId) -> Result<CommunityRow, StoreError> {
        let sql = concat!("SELECT ", community_columns!(), " FROM communities c WHERE c.id = $1");
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(id.0).fetch_one(pool).await?))
    }

    /// A community by slug with the viewer's membership, in one round trip.
    pub async fn find_community_for_viewer(
        &self,
        slug: &str,
        viewer: Option<PersonId>,
    ) -> Result<Option<CommunityForViewerRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            community_columns!(),
            ", m.role AS viewer_role, m.status AS viewer_status FROM communities c \
             LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $2 WHERE c.slug = $1"
        );
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql).bind(slug).bind(viewer.map_or(-1, |p| p.0)).fetch_optional(pool).await?
        }))
    }

    pub async fn list_community_goals(&self, id: CommunityId) -> Result<Vec<GoalRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT g.text, g.org_goal_id, o.title AS org_goal_title FROM community_goals g \
                 LEFT JOIN org_goals o ON o.id = g.org_goal_id WHERE g.community_id = $1 ORDER BY g.position",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_community_channels(&self, id: CommunityId) -> Result<Vec<ChannelRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT name, url FROM community_channels WHERE community_id = $1 ORDER BY position")
                .bind(id.0)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The stage history, newest first.
    pub async fn list_stage_changes(&self, id: CommunityId) -> Result<Vec<StageChangeRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.stage, s.previous_stage, s.note, s.at, p.handle AS changed_by_handle, p.name AS changed_by_name \
                 FROM stage_changes s LEFT JOIN people p ON p.id = s.changed_by \
                 WHERE s.community_id = $1 ORDER BY s.at DESC, s.id DESC",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Communities the viewer may discover: not private, or private with the
    /// viewer as an active or invited member (admins see all). This mirrors
    /// `copse_domain::policy` in SQL for speed; the caller still checks each
    /// row against the policy.
    pub async fn list_communities(
        &self,
        filter: &CommunityFilter,
        viewer: PersonId,
        viewer_is_admin: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<CommunityForViewerRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            community_columns!(),
            ", m.role AS viewer_role, m.status AS viewer_status FROM communities c \
             LEFT JOIN memberships m ON m.community_id = c.id AND m.person_id = $1 \
             WHERE (c.visibility <> 'private' OR $2 = 1 OR m.status IN ('active', 'invited')) \
               AND ($3 = '' OR LOWER(c.name) LIKE $4 ESCAPE '\\' OR LOWER(c.domain) LIKE $4 ESCAPE '\\' \
                    OR LOWER(c.purpose) LIKE $4 ESCAPE '\\') \
               AND ($5 = '' OR c.kind = $5) AND ($6 = '' OR c.stage = $6) \
               AND ($8 = 0 OR m.person_id IS NULL) \
             ORDER BY c.member_count DESC, c.name LIMIT $7 OFFSET $9"
        );
        let query = filter.query.trim().to_lowercase();
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(sql)
                .bind(viewer.0)
                .bind(i64::from(viewer_is_admin))
                .bind(&query)
                .bind(like_pattern(&query))
                .bind(filter.kind.trim())
                .bind(filter.stage.trim())
                .bind(limit)
                .bind(i64::from(filter.exclude_joined))
                .bind(offset)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Every community a person has any membership in (active, requested or
    /// invited), with that membership.
    pub async fn list_communities_of_person(&self, person: PersonId) -> Result<Vec<CommunityForViewerRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            community_columns!(),
            ", m.role AS viewer_role, m.status AS viewer_status FROM memberships m \
             JOIN communities c ON c.id = m.community_id WHERE m.person_id = $1 ORDER BY c.name"
        );
        Ok(with_pool!(self, |pool| sqlx::query_as(sql).bind(person.0).fetch_all(pool).await?))
    }

    pub async fn count_communities(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) =
            with_pool!(self, |pool| sqlx::query_as("SELECT COUNT(*) FROM communities").fetch_one(pool).await?);
        Ok(count)
    }

    pub async fn insert_org_goal(&self, title: &str, description: &str) -> Result<OrgGoalId, StoreError> {
        let (id,): (i64,) = with_pool!(self, |pool| {
            sqlx::query_as("INSERT INTO org_goals (title, description, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(title)
                .bind(description)
                .bind(Timestamp::now().millis())
                .fetch_one(pool)
                .await?
        });
        Ok(OrgGoalId(id))
    }

    pub async fn list_org_goals(&self) -> Result<Vec<OrgGoalRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, title, description FROM org_goals ORDER BY title").fetch_all(pool).await?
        }))
    }
}
