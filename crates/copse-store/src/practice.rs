//! Artifacts, their versions, owners, tags, reuse records, checklist runs and
//! links (migration 0004_practice).

use crate::{Store, StoreError, with_pool};

impl Store {
    /// Replaces the artifact links recorded for one source (`"post"` or
    /// `"artifact"`) with `artifact_ids`; ids of artifacts that do not exist
    /// are skipped.
    pub async fn set_artifact_links(
        &self,
        source_kind: &'static str,
        source_id: i64,
        artifact_ids: &[i64],
        at: i64,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM artifact_links WHERE source_kind = $1 AND source_id = $2")
                .bind(source_kind)
                .bind(source_id)
                .execute(&mut *tx)
                .await?;
            for &artifact_id in artifact_ids {
                sqlx::query(
                    "INSERT INTO artifact_links (source_kind, source_id, artifact_id, at) \
                     SELECT $1, $2, id, $4 FROM artifacts WHERE id = $3 \
                     ON CONFLICT (source_kind, source_id, artifact_id) DO NOTHING",
                )
                .bind(source_kind)
                .bind(source_id)
                .bind(artifact_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
