//! The skills vocabulary (skills, synonyms, and the declared keys found in
//! neither, which are "unmapped"), the expertise table derived from
//! evidence (with the items behind it in `expertise_evidence`), the follower
//! position of that derivation, and question routing (the routing lease,
//! questions to offer, candidates, routes and their notifications).
//!
//! Evidence is read only from communities that are not private, so the
//! directory never reveals private work. Answers, accepted answers,
//! authored artifact versions and facilitations are found through the
//! activity record (`contributions_person_kind`), whose `source_ref` names
//! the post ('post:ID'), the thread ('accept:ID') or the artifact
//! ('artifact:ID:vN'): posts and artifact versions have no author index on
//! purpose (bulk loads), and the activity record is what a person's history
//! is indexed by. Every evidence query takes a range of person ids, so one
//! person (lo = hi) and a whole rebuild in batches share the same SQL.

use copse_domain::{PersonId, Timestamp};
use sqlx::FromRow;

use crate::{Store, StoreError, append_change, with_pool};

/// A skill of the vocabulary.
#[derive(Debug, Clone, FromRow)]
pub struct SkillEntryRow {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub created_at: i64,
}

/// A synonym with the skill it stands for.
#[derive(Debug, Clone, FromRow)]
pub struct SkillSynonymRow {
    pub synonym: String,
    pub skill_id: i64,
    pub skill_key: String,
    pub skill_name: String,
}

/// A declared key found neither among skills nor synonyms.
#[derive(Debug, Clone, FromRow)]
pub struct UnmappedSkillRow {
    pub key: String,
    /// How many people declared it.
    pub people: i64,
    /// One text as typed, for the curator to recognize it.
    pub example: String,
}

/// A declared skill in a range of people: (person, key, level).
#[derive(Debug, Clone, FromRow)]
pub struct DeclaredSkillRow {
    pub person_id: i64,
    pub skill_key: String,
    pub level: String,
}

/// One tagged item that counts for a person: an answer or accepted answer
/// (`ref_id` the post) or an artifact (`ref_id` the artifact), once per tag.
#[derive(Debug, Clone, FromRow)]
pub struct TaggedEvidenceRow {
    pub person_id: i64,
    /// answer | accepted-answer | artifact
    pub kind: String,
    pub ref_id: i64,
    pub tag: String,
    pub at: i64,
}

/// A series a person led (or occurrences of it): the title decides the skill.
#[derive(Debug, Clone, FromRow)]
pub struct SessionEvidenceRow {
    pub person_id: i64,
    pub event_id: i64,
    pub title: String,
    /// Occurrences led (1 for the series' own facilitator).
    pub items: i64,
    pub at: i64,
}

/// Kudos received for a skill.
#[derive(Debug, Clone, FromRow)]
pub struct KudosEvidenceRow {
    pub person_id: i64,
    pub kudos_id: i64,
    pub skill_id: i64,
    pub at: i64,
}

/// Everything that counts for the people in one id range.
#[derive(Debug, Clone, Default)]
pub struct EvidenceBatch {
    pub declared: Vec<DeclaredSkillRow>,
    pub tagged: Vec<TaggedEvidenceRow>,
    pub sessions: Vec<SessionEvidenceRow>,
    pub kudos: Vec<KudosEvidenceRow>,
}

/// One expertise row to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertiseWrite {
    pub person_id: i64,
    pub skill_id: i64,
    pub declared_level: Option<String>,
    pub accepted_answers: i64,
    pub answers: i64,
    pub artifacts: i64,
    pub sessions: i64,
    pub kudos: i64,
    pub score: i64,
}

/// One item behind an expertise row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceWrite {
    pub person_id: i64,
    pub skill_id: i64,
    pub kind: &'static str,
    pub ref_id: i64,
    pub items: i64,
    pub at: i64,
}

/// An expertise row with its person, for "who knows X".
#[derive(Debug, Clone, FromRow)]
pub struct ExpertRow {
    pub person_id: i64,
    pub handle: String,
    pub name: String,
    pub team: String,
    pub location: String,
    pub declared_level: Option<String>,
    pub accepted_answers: i64,
    pub answers: i64,
    pub artifacts: i64,
    pub sessions: i64,
    pub kudos: i64,
    pub score: i64,
}

/// A candidate for "who knows": what ranking needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertCandidateRow {
    pub person_id: i64,
    pub score: i64,
    pub team: String,
}

/// An expertise row with its skill, for a profile.
#[derive(Debug, Clone, FromRow)]
pub struct PersonExpertiseRow {
    pub skill_id: i64,
    pub skill_key: String,
    pub skill_name: String,
    pub declared_level: Option<String>,
    pub accepted_answers: i64,
    pub answers: i64,
    pub artifacts: i64,
    pub sessions: i64,
    pub kudos: i64,
    pub score: i64,
}

/// A linkable piece of evidence: an accepted answer (thread and post) or
/// an artifact, with the community it lives in.
#[derive(Debug, Clone, FromRow)]
pub struct EvidenceLinkRow {
    pub kind: String,
    pub ref_id: i64,
    pub thread_id: Option<i64>,
    pub title: String,
    pub community_visibility: String,
    pub at: i64,
}

/// A question that may be offered to people who know its tags.
#[derive(Debug, Clone, FromRow)]
pub struct QuestionToRouteRow {
    pub id: i64,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub title: String,
    pub visibility: String,
}

/// Someone who might be offered a question, for one skill.
#[derive(Debug, Clone, FromRow)]
pub struct RoutingCandidateRow {
    pub person_id: i64,
    pub score: i64,
    pub away: i64,
    pub routed_this_week: i64,
}

/// A question routed to someone, with its thread and community and the
/// person's membership there (to re-check visibility).
#[derive(Debug, Clone, FromRow)]
pub struct RouteRow {
    pub thread_id: i64,
    pub title: String,
    pub reply_count: i64,
    pub solved: i64,
    pub routed_at: i64,
    pub outcome: String,
    pub skill_name: Option<String>,
    pub community_slug: String,
    pub community_name: String,
    pub visibility: String,
    pub viewer_role: Option<String>,
    pub viewer_status: Option<String>,
}

/// The tagged evidence of a range of people: answers, accepted answers,
/// artifact versions they wrote and artifacts they own, once per tag, in
/// communities that are not private, leaving out hidden threads and posts.
/// The casts read the id out of the activity record's `source_ref`.
const TAGGED_EVIDENCE: &str = "\
SELECT c.person_id, 'answer' AS kind, p.id AS ref_id, tt.tag, c.at FROM contributions c \
 JOIN posts p ON p.id = CAST(substr(c.source_ref, 6) AS BIGINT) \
 JOIN threads t ON t.id = p.thread_id \
 JOIN communities co ON co.id = t.community_id \
 JOIN thread_tags tt ON tt.thread_id = t.id \
 WHERE c.person_id BETWEEN $1 AND $2 AND c.kind = 'answer' AND c.source = 'copse' \
   AND p.author_id = c.person_id AND p.hidden_reason IS NULL AND t.hidden_reason IS NULL \
   AND co.visibility <> 'private' \
UNION ALL \
SELECT c.person_id, 'accepted-answer' AS kind, p.id AS ref_id, tt.tag, c.at FROM contributions c \
 JOIN threads t ON t.id = CAST(substr(c.source_ref, 8) AS BIGINT) \
 JOIN posts p ON p.id = t.accepted_post_id \
 JOIN communities co ON co.id = t.community_id \
 JOIN thread_tags tt ON tt.thread_id = t.id \
 WHERE c.person_id BETWEEN $1 AND $2 AND c.kind = 'accepted-answer' AND c.source = 'copse' \
   AND p.author_id = c.person_id AND p.hidden_reason IS NULL AND t.hidden_reason IS NULL \
   AND co.visibility <> 'private' \
UNION ALL \
SELECT c.person_id, 'artifact' AS kind, a.id AS ref_id, x.tag, c.at FROM contributions c \
 JOIN artifacts a ON a.id = CAST(rtrim(rtrim(substr(c.source_ref, 10), '0123456789'), ':v') AS BIGINT) \
 JOIN communities co ON co.id = a.community_id \
 JOIN artifact_tags x ON x.artifact_id = a.id \
 WHERE c.person_id BETWEEN $1 AND $2 AND c.kind = 'artifact-version' AND c.source = 'copse' \
   AND co.visibility <> 'private' \
UNION ALL \
SELECT o.person_id, 'artifact' AS kind, a.id AS ref_id, x.tag, a.updated_at AS at FROM artifact_owners o \
 JOIN artifacts a ON a.id = o.artifact_id \
 JOIN communities co ON co.id = a.community_id \
 JOIN artifact_tags x ON x.artifact_id = a.id \
 WHERE o.person_id BETWEEN $1 AND $2 AND co.visibility <> 'private'";

/// Series a range of people facilitate, and occurrences they were given on
/// the rota, outside private communities and cancelled series.
const SESSION_EVIDENCE: &str = "\
SELECT e.facilitator_id AS person_id, e.id AS event_id, e.title, CAST(1 AS BIGINT) AS items, e.starts_at AS at \
 FROM events e JOIN communities co ON co.id = e.community_id \
 WHERE e.facilitator_id BETWEEN $1 AND $2 AND e.status <> 'cancelled' AND co.visibility <> 'private' \
UNION ALL \
SELECT d.facilitator_id AS person_id, e.id AS event_id, e.title, CAST(COUNT(*) AS BIGINT) AS items, \
       MAX(e.starts_at) AS at \
 FROM occurrence_details d JOIN events e ON e.id = d.event_id JOIN communities co ON co.id = e.community_id \
 WHERE d.facilitator_id BETWEEN $1 AND $2 AND e.status <> 'cancelled' AND co.visibility <> 'private' \
 GROUP BY d.facilitator_id, e.id, e.title";

const KUDOS_EVIDENCE: &str = "\
SELECT k.receiver_id AS person_id, k.id AS kudos_id, k.skill_id, k.created_at AS at FROM kudos k \
 JOIN communities co ON co.id = k.community_id \
 WHERE k.receiver_id BETWEEN $1 AND $2 AND k.skill_id IS NOT NULL AND co.visibility <> 'private'";

/// Separates the records of [`Store::list_expert_candidates`]' aggregate
/// (an ASCII control character, which parsed team names never contain).
const RECORD_SEPARATOR: &str = "\u{1e}";

/// People per [`EXPERTS_BY_ID`] query: a page of "who knows".
const EXPERT_IDS: usize = 20;

const EXPERTS_BY_ID: &str = "SELECT e.person_id, p.handle, p.name, p.team, p.location, e.declared_level, \
     e.accepted_answers, e.answers, e.artifacts, e.sessions, e.kudos, e.score \
     FROM expertise e JOIN people p ON p.id = e.person_id \
     WHERE e.skill_id = $1 AND e.person_id IN ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";

/// Expertise rows per multi-row INSERT; the statement has exactly this many.
const EXPERTISE_ROWS: usize = 32;
const EVIDENCE_ROWS: usize = 32;

const INSERT_EXPERTISE_1: &str = "INSERT INTO expertise (person_id, skill_id, declared_level, accepted_answers, \
     answers, artifacts, sessions, kudos, score, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

const INSERT_EXPERTISE_32: &str = concat!(
    "INSERT INTO expertise (person_id, skill_id, declared_level, accepted_answers, answers, artifacts, sessions, ",
    "kudos, score, updated_at) VALUES ",
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), ($11, $12, $13, $14, $15, $16, $17, $18, $19, $20), ",
    "($21, $22, $23, $24, $25, $26, $27, $28, $29, $30), ($31, $32, $33, $34, $35, $36, $37, $38, $39, $40), ",
    "($41, $42, $43, $44, $45, $46, $47, $48, $49, $50), ($51, $52, $53, $54, $55, $56, $57, $58, $59, $60), ",
    "($61, $62, $63, $64, $65, $66, $67, $68, $69, $70), ($71, $72, $73, $74, $75, $76, $77, $78, $79, $80), ",
    "($81, $82, $83, $84, $85, $86, $87, $88, $89, $90), ($91, $92, $93, $94, $95, $96, $97, $98, $99, $100), ",
    "($101, $102, $103, $104, $105, $106, $107, $108, $109, $110), ($111, $112, $113, $114, $115, $116, $117, $118, $119, $120), ",
    "($121, $122, $123, $124, $125, $126, $127, $128, $129, $130), ($131, $132, $133, $134, $135, $136, $137, $138, $139, $140), ",
    "($141, $142, $143, $144, $145, $146, $147, $148, $149, $150), ($151, $152, $153, $154, $155, $156, $157, $158, $159, $160), ",
    "($161, $162, $163, $164, $165, $166, $167, $168, $169, $170), ($171, $172, $173, $174, $175, $176, $177, $178, $179, $180), ",
    "($181, $182, $183, $184, $185, $186, $187, $188, $189, $190), ($191, $192, $193, $194, $195, $196, $197, $198, $199, $200), ",
    "($201, $202, $203, $204, $205, $206, $207, $208, $209, $210), ($211, $212, $213, $214, $215, $216, $217, $218, $219, $220), ",
    "($221, $222, $223, $224, $225, $226, $227, $228, $229, $230), ($231, $232, $233, $234, $235, $236, $237, $238, $239, $240), ",
    "($241, $242, $243, $244, $245, $246, $247, $248, $249, $250), ($251, $252, $253, $254, $255, $256, $257, $258, $259, $260), ",
    "($261, $262, $263, $264, $265, $266, $267, $268, $269, $270), ($271, $272, $273, $274, $275, $276, $277, $278, $279, $280), ",
    "($281, $282, $283, $284, $285, $286, $287, $288, $289, $290), ($291, $292, $293, $294, $295, $296, $297, $298, $299, $300), ",
    "($301, $302, $303, $304, $305, $306, $307, $308, $309, $310), ($311, $312, $313, $314, $315, $316, $317, $318, $319, $320)",
);

const INSERT_EVIDENCE_1: &str =
    "INSERT INTO expertise_evidence (person_id, skill_id, kind, ref_id, items, at) VALUES ($1, $2, $3, $4, $5, $6)";

const INSERT_EVIDENCE_32: &str = concat!(
    "INSERT INTO expertise_evidence (person_id, skill_id, kind, ref_id, items, at) VALUES ",
    "($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12), ($13, $14, $15, $16, $17, $18), ($19, $20, $21, $22, $23, $24), ",
    "($25, $26, $27, $28, $29, $30), ($31, $32, $33, $34, $35, $36), ($37, $38, $39, $40, $41, $42), ($43, $44, $45, $46, $47, $48), ",
    "($49, $50, $51, $52, $53, $54), ($55, $56, $57, $58, $59, $60), ($61, $62, $63, $64, $65, $66), ($67, $68, $69, $70, $71, $72), ",
    "($73, $74, $75, $76, $77, $78), ($79, $80, $81, $82, $83, $84), ($85, $86, $87, $88, $89, $90), ($91, $92, $93, $94, $95, $96), ",
    "($97, $98, $99, $100, $101, $102), ($103, $104, $105, $106, $107, $108), ($109, $110, $111, $112, $113, $114), ($115, $116, $117, $118, $119, $120), ",
    "($121, $122, $123, $124, $125, $126), ($127, $128, $129, $130, $131, $132), ($133, $134, $135, $136, $137, $138), ($139, $140, $141, $142, $143, $144), ",
    "($145, $146, $147, $148, $149, $150), ($151, $152, $153, $154, $155, $156), ($157, $158, $159, $160, $161, $162), ($163, $164, $165, $166, $167, $168), ",
    "($169, $170, $171, $172, $173, $174), ($175, $176, $177, $178, $179, $180), ($181, $182, $183, $184, $185, $186), ($187, $188, $189, $190, $191, $192)",
);

/// The evidence kinds, as the `&'static str` writers use.
fn evidence_kind(kind: &str) -> &'static str {
    match kind {
        "answer" => "answer",
        "accepted-answer" => "accepted-answer",
        "artifact" => "artifact",
        "session" => "session",
        "kudos" => "kudos",
        _ => "other",
    }
}

/// Binds one expertise row's ten columns, in the order of the INSERTs above.
macro_rules! bind_expertise {
    ($query:expr, $row:expr, $at:expr) => {{
        let row: &ExpertiseWrite = $row;
        $query
            .bind(row.person_id)
            .bind(row.skill_id)
            .bind(row.declared_level.as_deref())
            .bind(row.accepted_answers)
            .bind(row.answers)
            .bind(row.artifacts)
            .bind(row.sessions)
            .bind(row.kudos)
            .bind(row.score)
            .bind($at)
    }};
}

macro_rules! bind_evidence {
    ($query:expr, $row:expr) => {{
        let row: &EvidenceWrite = $row;
        $query.bind(row.person_id).bind(row.skill_id).bind(row.kind).bind(row.ref_id).bind(row.items).bind(row.at)
    }};
}

/// A typed term resolved to a skill: directly by its key, or through a
/// synonym (`via` names it; empty otherwise).
#[derive(Debug, Clone, FromRow)]
pub struct ResolvedSkillRow {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub description: String,
    pub via: String,
}

/// A declared key with how many people declared it and one text as typed.
#[derive(Debug, Clone, FromRow)]
pub struct DeclaredKeyRow {
    pub key: String,
    pub people: i64,
    pub example: String,
}

// --- The vocabulary --------------------------------------------------------

impl Store {
    /// Every skill, by name.
    pub async fn list_vocabulary(&self) -> Result<Vec<SkillEntryRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, key, name, description, created_at FROM skills ORDER BY name, id")
                .fetch_all(pool)
                .await?
        }))
    }

    /// Every synonym with its skill, by synonym.
    pub async fn list_vocabulary_synonyms(&self) -> Result<Vec<SkillSynonymRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT y.synonym, y.skill_id, s.key AS skill_key, s.name AS skill_name \
                 FROM skill_synonyms y JOIN skills s ON s.id = y.skill_id ORDER BY y.synonym",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// The skill a canonical key names: a skill's own key first, else a
    /// synonym's skill.
    pub async fn resolve_vocabulary_key(&self, key: &str) -> Result<Option<ResolvedSkillRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.key, s.name, s.description, '' AS via FROM skills s WHERE s.key = $1 \
                 UNION ALL \
                 SELECT s.id, s.key, s.name, s.description, y.synonym AS via FROM skill_synonyms y \
                 JOIN skills s ON s.id = y.skill_id WHERE y.synonym = $1 \
                 ORDER BY via LIMIT 1",
            )
            .bind(key)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Adds a skill; its key must be neither a skill's nor a synonym's
    /// (`Conflict("skills.key")` otherwise). Appends a 'skill' change so the
    /// expertise follower recomputes everyone the key touches.
    pub async fn insert_vocabulary_skill(
        &self,
        key: &str,
        name: &str,
        description: &str,
        by: Option<PersonId>,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The write comes first, so SQLite takes the write lock before
            // anything is read (a read-then-write transaction fails at once
            // when another write commits in between).
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO skills (key, name, description, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id",
            )
            .bind(key)
            .bind(name)
            .bind(description)
            .bind(by.map(|p| p.0))
            .bind(at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict("skills.key".into()),
                other => other,
            })?;
            let synonym: Option<(String,)> = sqlx::query_as("SELECT synonym FROM skill_synonyms WHERE synonym = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            if synonym.is_some() {
                return Err(StoreError::Conflict("skills.key".into()));
            }
            append_change!(tx, "skill", id, at);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Makes `synonym` mean the skill; it must be neither a skill's key nor
    /// another synonym (`Conflict("skill_synonyms.synonym")`).
    pub async fn insert_vocabulary_synonym(
        &self,
        synonym: &str,
        skill: i64,
        by: Option<PersonId>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO skill_synonyms (synonym, skill_id, created_by, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(synonym)
            .bind(skill)
            .bind(by.map(|p| p.0))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict("skill_synonyms.synonym".into()),
                other => other,
            })?;
            let key: Option<(String,)> =
                sqlx::query_as("SELECT key FROM skills WHERE key = $1").bind(synonym).fetch_optional(&mut *tx).await?;
            if key.is_some() {
                return Err(StoreError::Conflict("skill_synonyms.synonym".into()));
            }
            append_change!(tx, "skill", skill, at);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes a synonym; returns the skill it meant, or `None` if there was
    /// no such synonym.
    pub async fn delete_vocabulary_synonym(&self, synonym: &str, at: Timestamp) -> Result<Option<i64>, StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let removed: Option<(i64,)> =
                sqlx::query_as("DELETE FROM skill_synonyms WHERE synonym = $1 RETURNING skill_id")
                    .bind(synonym)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((skill,)) = removed {
                append_change!(tx, "skill", skill, at);
            }
            tx.commit().await?;
            removed.map(|(skill,)| skill)
        }))
    }

    /// Declared keys found neither among skills nor synonyms, most declared
    /// first.
    pub async fn list_unmapped_skill_keys(&self, limit: i64) -> Result<Vec<UnmappedSkillRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ps.skill_key AS key, COUNT(*) AS people, MIN(ps.skill) AS example FROM person_skills ps \
                 WHERE ps.skill_key <> '' \
                   AND NOT EXISTS (SELECT 1 FROM skills s WHERE s.key = ps.skill_key) \
                   AND NOT EXISTS (SELECT 1 FROM skill_synonyms y WHERE y.synonym = ps.skill_key) \
                 GROUP BY ps.skill_key ORDER BY COUNT(*) DESC, ps.skill_key LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether someone declared `key` and it is neither a skill nor a synonym.
    pub async fn is_unmapped_skill_key(&self, key: &str) -> Result<bool, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ps.skill_key FROM person_skills ps WHERE ps.skill_key = $1 \
                   AND NOT EXISTS (SELECT 1 FROM skills s WHERE s.key = ps.skill_key) \
                   AND NOT EXISTS (SELECT 1 FROM skill_synonyms y WHERE y.synonym = ps.skill_key) LIMIT 1",
            )
            .bind(key)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.is_some())
    }

    /// Every declared key with how many declared it (the demo builds its
    /// vocabulary from these).
    pub async fn list_declared_skill_keys(&self) -> Result<Vec<DeclaredKeyRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT skill_key AS key, COUNT(*) AS people, MIN(skill) AS example FROM person_skills \
                 WHERE skill_key <> '' GROUP BY skill_key ORDER BY skill_key",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether the person facilitates at least one community (actively).
    pub async fn facilitates_any_community(&self, person: PersonId) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT community_id FROM memberships WHERE person_id = $1 AND role = 'facilitator' AND status = 'active' LIMIT 1",
            )
            .bind(person.0)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.is_some())
    }
}

// --- Expertise -------------------------------------------------------------

impl Store {
    /// The largest person id (0 with nobody), for rebuilding in id ranges.
    pub async fn max_person_id(&self) -> Result<i64, StoreError> {
        let (id,): (Option<i64>,) =
            with_pool!(self, |pool| sqlx::query_as("SELECT MAX(id) FROM people").fetch_one(pool).await?);
        Ok(id.unwrap_or(0))
    }

    /// Everything that counts as evidence for people with ids in `lo..=hi`.
    pub async fn list_evidence(&self, lo: i64, hi: i64) -> Result<EvidenceBatch, StoreError> {
        Ok(with_pool!(self, |pool| {
            let declared = sqlx::query_as(
                "SELECT person_id, skill_key, level FROM person_skills WHERE person_id BETWEEN $1 AND $2",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            let tagged = sqlx::query_as(TAGGED_EVIDENCE).bind(lo).bind(hi).fetch_all(pool).await?;
            let sessions = sqlx::query_as(SESSION_EVIDENCE).bind(lo).bind(hi).fetch_all(pool).await?;
            let kudos = sqlx::query_as(KUDOS_EVIDENCE).bind(lo).bind(hi).fetch_all(pool).await?;
            EvidenceBatch { declared, tagged, sessions, kudos }
        }))
    }

    /// The expertise rows and evidence of people with ids in `lo..=hi`, in
    /// order (person, skill, kind, ref), so a follower can skip writing what did not change.
    pub async fn list_expertise_state(
        &self,
        lo: i64,
        hi: i64,
    ) -> Result<(Vec<ExpertiseWrite>, Vec<EvidenceWrite>), StoreError> {
        type Row = (i64, i64, Option<String>, i64, i64, i64, i64, i64, i64);
        type Item = (i64, i64, String, i64, i64, i64);
        let (rows, items): (Vec<Row>, Vec<Item>) = with_pool!(self, |pool| {
            let rows = sqlx::query_as(
                "SELECT person_id, skill_id, declared_level, accepted_answers, answers, artifacts, sessions, kudos, score \
                 FROM expertise WHERE person_id BETWEEN $1 AND $2 ORDER BY person_id, skill_id",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            let items = sqlx::query_as(
                "SELECT person_id, skill_id, kind, ref_id, items, at FROM expertise_evidence \
                 WHERE person_id BETWEEN $1 AND $2 ORDER BY person_id, skill_id, kind, ref_id",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await?;
            (rows, items)
        });
        let rows = rows
            .into_iter()
            .map(|r| ExpertiseWrite {
                person_id: r.0,
                skill_id: r.1,
                declared_level: r.2,
                accepted_answers: r.3,
                answers: r.4,
                artifacts: r.5,
                sessions: r.6,
                kudos: r.7,
                score: r.8,
            })
            .collect();
        let mut items: Vec<EvidenceWrite> = items
            .into_iter()
            .map(|(person_id, skill_id, kind, ref_id, items, at)| EvidenceWrite {
                person_id,
                skill_id,
                kind: evidence_kind(&kind),
                ref_id,
                items,
                at,
            })
            .collect();
        // Byte order, whatever the database's collation.
        items.sort_by(|a, b| {
            (a.person_id, a.skill_id, a.kind, a.ref_id).cmp(&(b.person_id, b.skill_id, b.kind, b.ref_id))
        });
        Ok((rows, items))
    }

    /// Replaces the expertise rows and evidence of people with ids in
    /// `lo..=hi` by `rows` and `evidence`, in one transaction.
    pub async fn replace_expertise(
        &self,
        lo: i64,
        hi: i64,
        rows: &[ExpertiseWrite],
        evidence: &[EvidenceWrite],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM expertise_evidence WHERE person_id BETWEEN $1 AND $2")
                .bind(lo)
                .bind(hi)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM expertise WHERE person_id BETWEEN $1 AND $2")
                .bind(lo)
                .bind(hi)
                .execute(&mut *tx)
                .await?;
            for chunk in rows.chunks(EXPERTISE_ROWS) {
                if chunk.len() == EXPERTISE_ROWS {
                    let mut query = sqlx::query(INSERT_EXPERTISE_32);
                    for row in chunk {
                        query = bind_expertise!(query, row, at);
                    }
                    query.execute(&mut *tx).await?;
                } else {
                    for row in chunk {
                        bind_expertise!(sqlx::query(INSERT_EXPERTISE_1), row, at).execute(&mut *tx).await?;
                    }
                }
            }
            for chunk in evidence.chunks(EVIDENCE_ROWS) {
                if chunk.len() == EVIDENCE_ROWS {
                    let mut query = sqlx::query(INSERT_EVIDENCE_32);
                    for row in chunk {
                        query = bind_evidence!(query, row);
                    }
                    query.execute(&mut *tx).await?;
                } else {
                    for row in chunk {
                        bind_evidence!(sqlx::query(INSERT_EVIDENCE_1), row).execute(&mut *tx).await?;
                    }
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The people whose expertise one change may have touched: everyone who
    /// counts the entity now, and everyone it counted for before (a removed
    /// owner, a replaced facilitator), read from `expertise_evidence`.
    pub async fn list_people_for_change(&self, entity: &str, id: i64) -> Result<Vec<i64>, StoreError> {
        let sql = match entity {
            // Accepting moves credit between the thread's posters; tags,
            // moves and hiding touch every answer in it.
            "thread" => "SELECT DISTINCT author_id FROM posts WHERE thread_id = $1 AND author_id IS NOT NULL",
            "post" => "SELECT author_id FROM posts WHERE id = $1 AND author_id IS NOT NULL",
            "artifact" => {
                "SELECT author_id FROM artifact_versions WHERE artifact_id = $1 AND author_id IS NOT NULL \
                 UNION SELECT person_id FROM artifact_owners WHERE artifact_id = $1 \
                 UNION SELECT person_id FROM expertise_evidence WHERE kind = 'artifact' AND ref_id = $1"
            }
            "event" => {
                "SELECT facilitator_id FROM events WHERE id = $1 AND facilitator_id IS NOT NULL \
                 UNION SELECT facilitator_id FROM occurrence_details WHERE event_id = $1 AND facilitator_id IS NOT NULL \
                 UNION SELECT person_id FROM expertise_evidence WHERE kind = 'session' AND ref_id = $1"
            }
            "kudos" => {
                "SELECT receiver_id FROM kudos WHERE id = $1 \
                 UNION SELECT person_id FROM expertise_evidence WHERE kind = 'kudos' AND ref_id = $1"
            }
            "person" => "SELECT id FROM people WHERE id = $1",
            // The skill's key and synonyms (as they are now) may appear as
            // declared keys, thread and artifact tags; titles of sessions
            // may name them; and whoever had a row for it may lose it.
            "skill" => {
                "WITH terms AS (SELECT key AS term FROM skills WHERE id = $1 \
                                UNION SELECT synonym FROM skill_synonyms WHERE skill_id = $1) \
                 SELECT person_id FROM person_skills WHERE skill_key IN (SELECT term FROM terms) \
                 UNION SELECT p.author_id FROM thread_tags tt JOIN posts p ON p.thread_id = tt.thread_id \
                       WHERE tt.tag IN (SELECT term FROM terms) AND p.author_id IS NOT NULL \
                 UNION SELECT v.author_id FROM artifact_tags x JOIN artifact_versions v ON v.artifact_id = x.artifact_id \
                       WHERE x.tag IN (SELECT term FROM terms) AND v.author_id IS NOT NULL \
                 UNION SELECT o.person_id FROM artifact_tags x JOIN artifact_owners o ON o.artifact_id = x.artifact_id \
                       WHERE x.tag IN (SELECT term FROM terms) \
                 UNION SELECT facilitator_id FROM events WHERE facilitator_id IS NOT NULL \
                 UNION SELECT facilitator_id FROM occurrence_details WHERE facilitator_id IS NOT NULL \
                 UNION SELECT receiver_id FROM kudos WHERE skill_id = $1 \
                 UNION SELECT person_id FROM expertise WHERE skill_id = $1"
            }
            // A community that turned private (or back): everyone with
            // activity, artifacts, sessions or kudos there.
            "community" => {
                "SELECT DISTINCT person_id FROM contributions WHERE community_id = $1 \
                 UNION SELECT o.person_id FROM artifacts a JOIN artifact_owners o ON o.artifact_id = a.id \
                       WHERE a.community_id = $1 \
                 UNION SELECT facilitator_id FROM events WHERE community_id = $1 AND facilitator_id IS NOT NULL \
                 UNION SELECT d.facilitator_id FROM events e JOIN occurrence_details d ON d.event_id = e.id \
                       WHERE e.community_id = $1 AND d.facilitator_id IS NOT NULL \
                 UNION SELECT receiver_id FROM kudos WHERE community_id = $1"
            }
            _ => return Ok(Vec::new()),
        };
        let rows: Vec<(Option<i64>,)> = with_pool!(self, |pool| sqlx::query_as(sql).bind(id).fetch_all(pool).await?);
        Ok(rows.into_iter().filter_map(|(p,)| p).collect())
    }

    /// The ids of private communities, in order (the follower notices a
    /// community turning private or back by comparing these).
    pub async fn list_private_community_ids(&self) -> Result<Vec<i64>, StoreError> {
        let rows: Vec<(i64,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT id FROM communities WHERE visibility = 'private' ORDER BY id")
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Changes with `after < seq <= upto` appended at `since` or later,
    /// newest first, at most `limit`: what a follower reads again in case a
    /// transaction that took an earlier seq committed after it had read on.
    pub async fn list_recent_changes(
        &self,
        after: i64,
        upto: i64,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<crate::ChangeRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT seq, entity, entity_id FROM changes WHERE seq > $1 AND seq <= $2 AND at >= $3 \
                 ORDER BY seq DESC LIMIT $4",
            )
            .bind(after)
            .bind(upto)
            .bind(since.millis())
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Sets a numeric setting to `value` unless it holds a larger number
    /// already, so a slower process never moves a position back.
    pub async fn raise_setting(&self, key: &str, value: i64) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE \
                 SET value = excluded.value WHERE CAST(settings.value AS BIGINT) < CAST(excluded.value AS BIGINT)",
            )
            .bind(key)
            .bind(value.to_string())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The best-scored people for a skill, at most `limit`, by the
    /// `expertise_rank` index: (person, score, team), all that ranking needs.
    /// They come back as one aggregated text, because on SQLite sqlx's cost
    /// per row, not the index walk, is what a page of 200 rows spends its
    /// time on.
    pub async fn list_expert_candidates(&self, skill: i64, limit: i64) -> Result<Vec<ExpertCandidateRow>, StoreError> {
        let (text,): (Option<String>,) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT string_agg(CAST(e.person_id AS TEXT) || ',' || CAST(e.score AS TEXT) || ',' || p.team, $3) \
                 FROM (SELECT person_id, score FROM expertise WHERE skill_id = $1 \
                       ORDER BY score DESC, person_id LIMIT $2) e \
                 JOIN people p ON p.id = e.person_id",
            )
            .bind(skill)
            .bind(limit)
            .bind(RECORD_SEPARATOR)
            .fetch_one(pool)
            .await?
        });
        let mut rows: Vec<ExpertCandidateRow> = text
            .unwrap_or_default()
            .split(RECORD_SEPARATOR)
            .filter_map(|record| {
                let mut fields = record.splitn(3, ',');
                let person_id = fields.next()?.parse().ok()?;
                let score = fields.next()?.parse().ok()?;
                Some(ExpertCandidateRow { person_id, score, team: fields.next().unwrap_or("").to_string() })
            })
            .collect();
        // The aggregate's order is not promised; the index's is.
        rows.sort_by(|a, b| b.score.cmp(&a.score).then(a.person_id.cmp(&b.person_id)));
        Ok(rows)
    }

    /// The expertise rows of up to 20 people for a skill, with the people
    /// (the page being shown; missing ids are left out).
    pub async fn list_experts_by_id(&self, skill: i64, people: &[i64]) -> Result<Vec<ExpertRow>, StoreError> {
        let mut rows: Vec<ExpertRow> = Vec::with_capacity(people.len());
        for chunk in people.chunks(EXPERT_IDS) {
            let ids: Vec<i64> = (0..EXPERT_IDS).map(|k| chunk.get(k).copied().unwrap_or(-1)).collect();
            let found: Vec<ExpertRow> = with_pool!(self, |pool| {
                let mut query = sqlx::query_as(EXPERTS_BY_ID).bind(skill);
                for id in &ids {
                    query = query.bind(*id);
                }
                query.fetch_all(pool).await?
            });
            rows.extend(found);
        }
        Ok(rows)
    }

    /// A person's best skills.
    pub async fn list_person_expertise(
        &self,
        person: PersonId,
        limit: i64,
    ) -> Result<Vec<PersonExpertiseRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT e.skill_id, s.key AS skill_key, s.name AS skill_name, e.declared_level, e.accepted_answers, \
                        e.answers, e.artifacts, e.sessions, e.kudos, e.score \
                 FROM expertise e JOIN skills s ON s.id = e.skill_id \
                 WHERE e.person_id = $1 ORDER BY e.score DESC, s.name LIMIT $2",
            )
            .bind(person.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The most recent accepted answers and artifacts behind a person's
    /// expertise in a skill, with their titles; hidden ones left out.
    pub async fn list_evidence_links(
        &self,
        person: PersonId,
        skill: i64,
        limit: i64,
    ) -> Result<Vec<EvidenceLinkRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT ev.kind, ev.ref_id, t.id AS thread_id, t.title, co.visibility AS community_visibility, ev.at \
                 FROM expertise_evidence ev JOIN posts p ON p.id = ev.ref_id JOIN threads t ON t.id = p.thread_id \
                 JOIN communities co ON co.id = t.community_id \
                 WHERE ev.person_id = $1 AND ev.skill_id = $2 AND ev.kind = 'accepted-answer' \
                   AND p.hidden_reason IS NULL AND t.hidden_reason IS NULL \
                 UNION ALL \
                 SELECT ev.kind, ev.ref_id, NULL AS thread_id, a.title, co.visibility AS community_visibility, ev.at \
                 FROM expertise_evidence ev JOIN artifacts a ON a.id = ev.ref_id \
                 JOIN communities co ON co.id = a.community_id \
                 WHERE ev.person_id = $1 AND ev.skill_id = $2 AND ev.kind = 'artifact' \
                 ORDER BY at DESC LIMIT $3",
            )
            .bind(person.0)
            .bind(skill)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }
}

// --- Question routing ------------------------------------------------------

impl Store {
    /// Takes the routing lease until `until` unless another process holds
    /// it (its `until` is still ahead of `now`). One router at a time keeps
    /// the weekly cap exact on PostgreSQL, where two transactions could
    /// otherwise both count a person's routes before either inserts.
    pub async fn acquire_routing_lease(&self, now: Timestamp, until: Timestamp) -> Result<bool, StoreError> {
        let row: Option<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "INSERT INTO settings (key, value) VALUES ('routing.lease', $1) ON CONFLICT (key) DO UPDATE \
                 SET value = excluded.value WHERE CAST(settings.value AS BIGINT) < $2 RETURNING key",
            )
            .bind(until.millis().to_string())
            .bind(now.millis())
            .fetch_optional(pool)
            .await?
        });
        Ok(row.is_some())
    }

    pub async fn release_routing_lease(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("UPDATE settings SET value = '0' WHERE key = 'routing.lease'").execute(pool).await?;
        });
        Ok(())
    }

    /// Visible questions without replies, never routed, created in
    /// `from..=to`, oldest first.
    pub async fn list_questions_to_route(
        &self,
        from: Timestamp,
        to: Timestamp,
        limit: i64,
    ) -> Result<Vec<QuestionToRouteRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT t.id, t.community_id, t.author_id, t.title, co.visibility FROM threads t \
                 JOIN communities co ON co.id = t.community_id \
                 WHERE t.kind = 'question' AND t.hidden_reason IS NULL AND t.reply_count = 0 AND t.routed_at IS NULL \
                   AND t.created_at BETWEEN $1 AND $2 \
                 ORDER BY t.created_at, t.id LIMIT $3",
            )
            .bind(from.millis())
            .bind(to.millis())
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn list_thread_tag_keys(&self, thread: i64) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT tag FROM thread_tags WHERE thread_id = $1 ORDER BY tag")
                .bind(thread)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// The best-scored people for a skill who may see the community (for a
    /// private one: its active members), with whether they are away at
    /// `now` and how many questions were routed to them since `week_ago`.
    pub async fn list_routing_candidates(
        &self,
        skill: i64,
        community: i64,
        members_only: bool,
        now: Timestamp,
        week_ago: Timestamp,
        limit: i64,
    ) -> Result<Vec<RoutingCandidateRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT e.person_id, e.score, \
                        CAST(CASE WHEN p.away_until IS NOT NULL AND p.away_until > $3 THEN 1 ELSE 0 END AS BIGINT) AS away, \
                        (SELECT COUNT(*) FROM question_routes q WHERE q.person_id = e.person_id AND q.routed_at >= $4) \
                          AS routed_this_week \
                 FROM expertise e JOIN people p ON p.id = e.person_id \
                 WHERE e.skill_id = $1 \
                   AND ($5 = 0 OR EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = $2 \
                                          AND m.person_id = e.person_id AND m.status = 'active')) \
                 ORDER BY e.score DESC, e.person_id LIMIT $6",
            )
            .bind(skill)
            .bind(community)
            .bind(now.millis())
            .bind(week_ago.millis())
            .bind(i64::from(members_only))
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Claims a question (a conditional UPDATE of `routed_at`, so of two
    /// routers exactly one wins) and, in the same transaction, records its
    /// routes and tells each person in-app. Returns false when the question
    /// was claimed already, answered or hidden meanwhile (nothing written).
    pub async fn route_question(
        &self,
        thread: i64,
        routes: &[(PersonId, Option<i64>)],
        message: &str,
        link: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "UPDATE threads SET routed_at = $2 \
                 WHERE id = $1 AND routed_at IS NULL AND reply_count = 0 AND hidden_reason IS NULL",
            )
            .bind(thread)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if claimed == 0 {
                return Ok(false);
            }
            for (person, skill) in routes {
                sqlx::query(
                    "INSERT INTO question_routes (thread_id, person_id, skill_id, routed_at, outcome) \
                     VALUES ($1, $2, $3, $4, 'offered') ON CONFLICT (thread_id, person_id) DO NOTHING",
                )
                .bind(thread)
                .bind(person.0)
                .bind(*skill)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO notifications (person_id, kind, message, link, created_at) \
                     VALUES ($1, 'question.routed', $2, $3, $4)",
                )
                .bind(person.0)
                .bind(message)
                .bind(link)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// When a routed person replies: their route for that thread is answered.
    pub async fn mark_route_answered(&self, post: i64) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE question_routes SET outcome = 'answered' \
                 WHERE thread_id = (SELECT thread_id FROM posts WHERE id = $1) \
                   AND person_id = (SELECT author_id FROM posts WHERE id = $1 AND hidden_reason IS NULL) \
                   AND outcome = 'offered'",
            )
            .bind(post)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// Questions routed to a person, newest first.
    pub async fn list_routes_for_person(&self, person: PersonId, limit: i64) -> Result<Vec<RouteRow>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT q.thread_id, t.title, t.reply_count, \
                        CAST(CASE WHEN t.accepted_post_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS solved, \
                        q.routed_at, q.outcome, s.name AS skill_name, co.slug AS community_slug, \
                        co.name AS community_name, co.visibility, m.role AS viewer_role, m.status AS viewer_status \
                 FROM question_routes q JOIN threads t ON t.id = q.thread_id \
                 JOIN communities co ON co.id = t.community_id \
                 LEFT JOIN memberships m ON m.community_id = co.id AND m.person_id = q.person_id \
                 LEFT JOIN skills s ON s.id = q.skill_id \
                 WHERE q.person_id = $1 AND t.hidden_reason IS NULL \
                 ORDER BY q.routed_at DESC, q.thread_id DESC LIMIT $2",
            )
            .bind(person.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Routes of a thread (tests and the demo check them): (person, outcome).
    pub async fn list_thread_routes(&self, thread: i64) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_as("SELECT person_id, outcome FROM question_routes WHERE thread_id = $1 ORDER BY person_id")
                .bind(thread)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Until when a person is away (`None`: not away).
    pub async fn find_away_until(&self, person: PersonId) -> Result<Option<i64>, StoreError> {
        let row: Option<(Option<i64>,)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT away_until FROM people WHERE id = $1").bind(person.0).fetch_optional(pool).await?
        });
        Ok(row.and_then(|(a,)| a))
    }

    pub async fn set_away_until(&self, person: PersonId, until: Option<Timestamp>) -> Result<(), StoreError> {
        let done = with_pool!(self, |pool| {
            sqlx::query("UPDATE people SET away_until = $2 WHERE id = $1")
                .bind(person.0)
                .bind(until.map(|t| t.millis()))
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

// --- Demo data -------------------------------------------------------------

impl Store {
    /// Adds one declared skill to a person as typed (the demo gives a few
    /// people odd spellings to curate); an existing one is kept.
    pub async fn insert_declared_skill(
        &self,
        person: PersonId,
        text: &str,
        level: copse_domain::SkillLevel,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at = at.millis();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let added = sqlx::query(
                "INSERT INTO person_skills (person_id, skill, level, skill_key) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (person_id, skill) DO NOTHING",
            )
            .bind(person.0)
            .bind(text)
            .bind(level.as_str())
            .bind(copse_domain::skill_key(text))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added > 0 {
                sqlx::query("UPDATE people SET search_text = search_text || ' ' || $2, updated_at = $3 WHERE id = $1")
                    .bind(person.0)
                    .bind(text.to_lowercase())
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                append_change!(tx, "person", person.0, at);
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds `tag` to every thread (with room for one more of its 8 tags) and
    /// every artifact of a community, appending their changes so search and
    /// expertise see it. Returns (threads, artifacts) tagged.
    pub async fn tag_community_content(
        &self,
        community: copse_domain::CommunityId,
        tag: &str,
        at: Timestamp,
    ) -> Result<(u64, u64), StoreError> {
        let at = at.millis();
        Ok(with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Which threads: computed once, before any of them changes.
            let threads: Vec<(i64,)> = sqlx::query_as(
                "SELECT t.id FROM threads t WHERE t.community_id = $1 \
                   AND NOT EXISTS (SELECT 1 FROM thread_tags x WHERE x.thread_id = t.id AND x.tag = $2) \
                   AND (SELECT COUNT(*) FROM thread_tags x WHERE x.thread_id = t.id) < 8 ORDER BY t.id",
            )
            .bind(community.0)
            .bind(tag)
            .fetch_all(&mut *tx)
            .await?;
            for (thread,) in &threads {
                sqlx::query(
                    "UPDATE threads SET tags = CASE WHEN tags = '' THEN $2 ELSE tags || ' ' || $2 END, \
                     version = version + 1 WHERE id = $1",
                )
                .bind(thread)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO thread_tags (thread_id, tag) VALUES ($1, $2) ON CONFLICT (thread_id, tag) DO NOTHING",
                )
                .bind(thread)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
                append_change!(tx, "thread", *thread, at);
            }
            let artifacts: Vec<(i64,)> = sqlx::query_as(
                "SELECT a.id FROM artifacts a WHERE a.community_id = $1 \
                   AND NOT EXISTS (SELECT 1 FROM artifact_tags x WHERE x.artifact_id = a.id AND x.tag = $2) \
                   AND (SELECT COUNT(*) FROM artifact_tags x WHERE x.artifact_id = a.id) < 8 ORDER BY a.id",
            )
            .bind(community.0)
            .bind(tag)
            .fetch_all(&mut *tx)
            .await?;
            for (artifact,) in &artifacts {
                sqlx::query(
                    "INSERT INTO artifact_tags (artifact_id, tag) VALUES ($1, $2) ON CONFLICT (artifact_id, tag) DO NOTHING",
                )
                .bind(artifact)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
                append_change!(tx, "artifact", *artifact, at);
            }
            tx.commit().await?;
            (threads.len() as u64, artifacts.len() as u64)
        }))
    }
}
