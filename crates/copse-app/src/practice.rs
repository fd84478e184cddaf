//! Use cases for the practice repository: artifacts, versions and diffs,
//! status and owners, review-by dates and stale flags, reuse, checklist runs,
//! backlinks.
//!
//! Who may do what: anyone who sees the community reads its artifacts;
//! active members write them, save versions, say "I used this" and run
//! checklists (`Participate`); owners and facilitators change status, owners
//! and the review-by date (`CurateArtifact`); facilitators list the stale
//! artifacts of the community (`Moderate`). An artifact in a community the
//! viewer may not see is "not found".
//!
//! A review-by date means "reviewed by the end of that day (UTC)": the
//! artifact is stale from the next day on, unless it is deprecated or
//! superseded.

use chrono::NaiveDate;
use copse_domain::links::artifact_ids_in;
use copse_domain::{
    Action, ArtifactDraft, ArtifactInput, ArtifactKind, ArtifactStatus, ChecklistItem, CommunityAccess, CommunityId,
    Curation, CurationInput, DiffHunk, DiffKind, PersonId, Timestamp, Visibility, can, checklist_items, diff_lines,
};
use copse_store::{
    ArtifactCuration, ArtifactFilter, ArtifactListRow, ArtifactRow, ChecklistRunRow, NewArtifact, NewReuse, NewVersion,
    PersonRefRow, STALE_VERSION, StoreError, VersionRow, VersionSummaryRow,
};

use crate::communities::{access_of, membership_of};
use crate::{App, AppError, Viewer};

/// Artifacts on one page of a community's list.
pub const ARTIFACTS_PER_PAGE: usize = 20;
/// Lines of unchanged text shown around each change in a diff.
pub const DIFF_CONTEXT: usize = 3;
/// The longest "I used this" note and checklist-run note.
pub const MAX_REUSE_NOTE: usize = 500;

/// A person as the practice pages show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactPerson {
    pub id: PersonId,
    pub handle: String,
    pub name: String,
}

impl From<&PersonRefRow> for ArtifactPerson {
    fn from(row: &PersonRefRow) -> Self {
        Self { id: PersonId(row.person_id), handle: row.handle.clone(), name: row.name.clone() }
    }
}

fn person_of(id: Option<i64>, handle: Option<&str>, name: Option<&str>) -> Option<ArtifactPerson> {
    Some(ArtifactPerson { id: PersonId(id?), handle: handle?.to_string(), name: name?.to_string() })
}

/// An artifact in a list.
#[derive(Debug, Clone)]
pub struct ArtifactSummary {
    pub id: i64,
    pub kind: ArtifactKind,
    pub title: String,
    pub status: ArtifactStatus,
    pub review_by: Option<NaiveDate>,
    pub stale: bool,
    pub versions: i64,
    pub views: i64,
    pub reuses: i64,
    pub updated_at: Timestamp,
    pub tags: Vec<String>,
}

/// One artifact, current version, with its owners and tags.
#[derive(Debug, Clone)]
pub struct ArtifactView {
    pub id: i64,
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
    pub kind: ArtifactKind,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    pub status: ArtifactStatus,
    /// The replacing artifact's id and title (for superseded ones).
    pub superseded_by: Option<(i64, String)>,
    pub review_by: Option<NaiveDate>,
    pub stale: bool,
    pub current_version: i64,
    pub created_by: Option<ArtifactPerson>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub view_count: i64,
    pub reuse_count: i64,
    pub owners: Vec<ArtifactPerson>,
    pub tags: Vec<String>,
}

/// A reuse: "I used this" (with where) or a completed checklist run.
#[derive(Debug, Clone)]
pub struct ArtifactReuseView {
    pub person: ArtifactPerson,
    /// `used` or `checklist-run`.
    pub kind: String,
    pub note: String,
    pub at: Timestamp,
}

/// Something that links to an artifact.
#[derive(Debug, Clone)]
pub struct ArtifactBacklink {
    /// `post` or `artifact`.
    pub source_kind: &'static str,
    pub href: String,
    pub title: String,
    pub community_name: String,
    pub at: Timestamp,
}

/// The page of one artifact.
#[derive(Debug, Clone)]
pub struct ArtifactPage {
    pub artifact: ArtifactView,
    pub can_participate: bool,
    pub can_curate: bool,
    /// The latest reuses, newest first.
    pub reuses: Vec<ArtifactReuseView>,
    pub backlinks: Vec<ArtifactBacklink>,
    /// For checklists: the items of the current version.
    pub checklist: Vec<ChecklistItem>,
    /// The viewer's latest unfinished run of this checklist.
    pub open_run: Option<i64>,
}

/// Filters and page of a community's artifact list, as typed.
#[derive(Debug, Clone, Default)]
pub struct PracticeQuery {
    pub kind: String,
    pub status: String,
    pub tag: String,
    /// 0-based.
    pub page: u32,
}

/// A community's practice repository page.
#[derive(Debug, Clone)]
pub struct PracticePage {
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
    pub artifacts: Vec<ArtifactSummary>,
    pub page: u32,
    pub has_next: bool,
    /// Every tag in the community with how many artifacts carry it.
    pub tags: Vec<(String, usize)>,
    pub can_participate: bool,
    /// Facilitators see how many artifacts are stale and where to find them.
    pub stale_count: Option<usize>,
    /// The viewer's own stale artifacts here.
    pub my_stale: Vec<ArtifactSummary>,
}

/// A version in the history (without its body).
#[derive(Debug, Clone)]
pub struct ArtifactVersionSummary {
    pub version: i64,
    pub title: String,
    pub author: Option<ArtifactPerson>,
    pub message: String,
    pub created_at: Timestamp,
    pub chars: i64,
}

/// One version with its body.
#[derive(Debug, Clone)]
pub struct ArtifactVersionView {
    pub version: i64,
    pub title: String,
    pub body: String,
    pub author: Option<ArtifactPerson>,
    pub message: String,
    pub created_at: Timestamp,
}

/// The line diff between two versions.
#[derive(Debug, Clone)]
pub struct ArtifactDiff {
    pub artifact: ArtifactView,
    pub from: ArtifactVersionView,
    pub to: ArtifactVersionView,
    pub hunks: Vec<DiffHunk>,
    pub added: usize,
    pub removed: usize,
}

/// A stale artifact with its owners, for facilitators.
#[derive(Debug, Clone)]
pub struct StaleArtifact {
    pub artifact: ArtifactSummary,
    pub owners: Vec<ArtifactPerson>,
}

/// A community's stale artifacts.
#[derive(Debug, Clone)]
pub struct StaleArtifacts {
    pub community_slug: String,
    pub community_name: String,
    pub artifacts: Vec<StaleArtifact>,
}

/// A member's run through a checklist.
#[derive(Debug, Clone)]
pub struct ChecklistRunView {
    pub id: i64,
    pub artifact_id: i64,
    pub artifact_title: String,
    pub community_slug: String,
    pub community_name: String,
    pub version: i64,
    /// Each item's text and whether it is ticked.
    pub items: Vec<(String, bool)>,
    pub note: String,
    pub started_at: Timestamp,
    pub completed_at: Option<Timestamp>,
}

/// The millisecond a review-by date is stored as: its midnight, UTC.
fn date_millis(date: NaiveDate) -> Timestamp {
    Timestamp(date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp_millis())
}

fn date_of(millis: i64) -> NaiveDate {
    Timestamp(millis).to_utc().date_naive()
}

/// Review-by instants before this are stale at `now`: the date's whole day
/// has passed.
fn stale_cutoff(now: Timestamp) -> Timestamp {
    now.minus_days(1)
}

fn is_stale(review_by: Option<i64>, status: ArtifactStatus, now: Timestamp) -> bool {
    !status.is_retired() && review_by.is_some_and(|r| r < stale_cutoff(now).0)
}

fn kind_of(text: &str) -> ArtifactKind {
    ArtifactKind::parse(text).unwrap_or(ArtifactKind::Guide)
}

fn status_of(text: &str) -> ArtifactStatus {
    ArtifactStatus::parse(text).unwrap_or(ArtifactStatus::Draft)
}

fn summary(row: &ArtifactListRow, tags: Vec<String>, now: Timestamp) -> ArtifactSummary {
    let status = status_of(&row.status);
    ArtifactSummary {
        id: row.id,
        kind: kind_of(&row.kind),
        title: row.title.clone(),
        status,
        review_by: row.review_by.map(date_of),
        stale: is_stale(row.review_by, status, now),
        versions: row.current_version,
        views: row.view_count,
        reuses: row.reuse_count,
        updated_at: Timestamp(row.updated_at),
        tags,
    }
}

fn version_view(row: VersionRow) -> ArtifactVersionView {
    ArtifactVersionView {
        author: person_of(row.author_id, row.author_handle.as_deref(), row.author_name.as_deref()),
        version: row.version,
        title: row.title,
        body: row.body,
        message: row.message,
        created_at: Timestamp(row.created_at),
    }
}

fn version_summary(row: &VersionSummaryRow) -> ArtifactVersionSummary {
    ArtifactVersionSummary {
        version: row.version,
        title: row.title.clone(),
        author: person_of(row.author_id, row.author_handle.as_deref(), row.author_name.as_deref()),
        message: row.message.clone(),
        created_at: Timestamp(row.created_at),
        chars: row.body_chars,
    }
}

fn parse_ticks(text: &str) -> Vec<usize> {
    text.split(',').filter_map(|n| n.trim().parse().ok()).collect()
}

fn ticks_text(ticks: &[usize], items: usize) -> String {
    let mut ticks: Vec<usize> = ticks.iter().copied().filter(|&t| t < items).collect();
    ticks.sort_unstable();
    ticks.dedup();
    ticks.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
}

fn parse_note(note: &str) -> Result<String, AppError> {
    copse_domain::parse_text(note, "The note", MAX_REUSE_NOTE).map_err(|m| AppError::invalid("note", m))
}

/// An artifact the viewer may see, with the community it lives in.
struct Located {
    row: ArtifactRow,
    community_name: String,
    access: CommunityAccess,
}

impl Located {
    fn community(&self) -> CommunityId {
        CommunityId(self.row.community_id)
    }

    fn is_owner(&self, owners: &[ArtifactPerson], viewer: &Viewer) -> bool {
        viewer.person().is_some_and(|me| owners.iter().any(|o| o.id == me))
    }
}

impl App {
    /// Loads an artifact the viewer may see, or `NotFound` (also for
    /// artifacts in communities the viewer may not see).
    async fn locate_artifact(&self, viewer: &Viewer, id: i64) -> Result<Located, AppError> {
        viewer.require_person()?;
        let row = self.store().find_artifact(id).await?.ok_or(AppError::NotFound("artifact"))?;
        let community = match self.visible_community(viewer, &row.community_slug).await {
            Ok(community) => community,
            Err(AppError::NotFound(_)) => return Err(AppError::NotFound("artifact")),
            Err(other) => return Err(other),
        };
        Ok(Located { access: access_of(&community), community_name: community.community.name, row })
    }

    async fn artifact_view(&self, located: &Located) -> Result<ArtifactView, AppError> {
        let row = &located.row;
        let owners = self.store().list_artifact_owners(row.id).await?;
        let tags = self.store().list_artifact_tags(row.id).await?;
        let status = status_of(&row.status);
        Ok(ArtifactView {
            id: row.id,
            community_id: located.community(),
            community_slug: row.community_slug.clone(),
            community_name: located.community_name.clone(),
            kind: kind_of(&row.kind),
            title: row.title.clone(),
            body: row.body.clone(),
            status,
            superseded_by: row.superseded_by.zip(row.superseded_by_title.clone()),
            review_by: row.review_by.map(date_of),
            stale: is_stale(row.review_by, status, Timestamp::now()),
            current_version: row.current_version,
            created_by: person_of(row.created_by, row.creator_handle.as_deref(), row.creator_name.as_deref()),
            created_at: Timestamp(row.created_at),
            updated_at: Timestamp(row.updated_at),
            view_count: row.view_count,
            reuse_count: row.reuse_count,
            owners: owners.iter().map(ArtifactPerson::from).collect(),
            tags,
        })
    }

    /// A community's artifacts, filtered and paged, with the viewer's own
    /// stale artifacts and (for facilitators) how many are stale.
    pub async fn practice_page(
        &self,
        viewer: &Viewer,
        slug: &str,
        query: &PracticeQuery,
    ) -> Result<PracticePage, AppError> {
        let community = self.visible_community(viewer, slug).await?;
        let access = access_of(&community);
        let id = CommunityId(community.community.id);
        let filter = ArtifactFilter {
            kind: match query.kind.trim() {
                "" => String::new(),
                text => ArtifactKind::parse(text).map_err(|m| AppError::invalid("kind", m))?.as_str().into(),
            },
            status: match query.status.trim() {
                "" => String::new(),
                text => ArtifactStatus::parse(text).map_err(|m| AppError::invalid("status", m))?.as_str().into(),
            },
            tag: query.tag.trim().to_lowercase(),
        };
        let now = Timestamp::now();
        let offset = i64::from(query.page) * ARTIFACTS_PER_PAGE as i64;
        let mut rows = self.store().list_artifacts(id, &filter, offset, ARTIFACTS_PER_PAGE as i64 + 1).await?;
        let has_next = rows.len() > ARTIFACTS_PER_PAGE;
        rows.truncate(ARTIFACTS_PER_PAGE);
        let pairs = self.store().list_community_artifact_tags(id).await?;
        let tags_of = |artifact: i64| pairs.iter().filter(|(a, _)| *a == artifact).map(|(_, t)| t.clone()).collect();
        let mut tags: Vec<(String, usize)> = Vec::new();
        for (_, tag) in &pairs {
            match tags.last_mut() {
                Some((last, n)) if last == tag => *n += 1,
                _ => tags.push((tag.clone(), 1)),
            }
        }
        let stale_count = if can(&viewer.actor, Action::Moderate(&access)) {
            Some(self.store().list_stale_artifacts(id, stale_cutoff(now)).await?.len())
        } else {
            None
        };
        let my_stale = match viewer.person() {
            Some(me) => self.store().list_owned_stale_artifacts(id, me, stale_cutoff(now)).await?,
            None => Vec::new(),
        };
        Ok(PracticePage {
            community_id: id,
            community_slug: community.community.slug.clone(),
            community_name: community.community.name.clone(),
            artifacts: rows.iter().map(|r| summary(r, tags_of(r.id), now)).collect(),
            page: query.page,
            has_next,
            tags,
            can_participate: can(&viewer.actor, Action::Participate(&access)),
            stale_count,
            my_stale: my_stale.iter().map(|r| summary(r, tags_of(r.id), now)).collect(),
        })
    }

    /// Whether the viewer may write artifacts in a community (for the "new"
    /// form); `NotFound` if they may not see it.
    pub async fn can_write_artifacts(&self, viewer: &Viewer, slug: &str) -> Result<(String, String), AppError> {
        let community = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::Participate(&access_of(&community))) {
            return Err(AppError::Forbidden("join the community to add to its practice repository"));
        }
        Ok((community.community.slug, community.community.name))
    }

    /// Writes a new artifact (its version 1); the author becomes its owner.
    pub async fn create_artifact(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &ArtifactInput,
    ) -> Result<ArtifactView, AppError> {
        let person = viewer.require_person()?;
        let community = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::Participate(&access_of(&community))) {
            return Err(AppError::Forbidden("join the community to add to its practice repository"));
        }
        let draft = ArtifactDraft::parse(input)?;
        let links = artifact_ids_in(&draft.body);
        let id = self
            .store()
            .insert_artifact(&NewArtifact {
                community: CommunityId(community.community.id),
                kind: draft.kind.as_str(),
                title: &draft.title,
                body: &draft.body,
                message: &draft.message,
                status: draft.status.as_str(),
                tags: &draft.tags,
                review_by: draft.review_by.map(date_millis),
                author: person,
                links: &links,
                at: Timestamp::now(),
            })
            .await?;
        let located = self.locate_artifact(viewer, id).await?;
        self.artifact_view(&located).await
    }

    /// One artifact, for the API and the edit form. Does not count a view.
    pub async fn artifact(&self, viewer: &Viewer, id: i64) -> Result<ArtifactView, AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        self.artifact_view(&located).await
    }

    /// One artifact for the edit form: members only.
    pub async fn artifact_for_edit(&self, viewer: &Viewer, id: i64) -> Result<ArtifactView, AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        if !can(&viewer.actor, Action::Participate(&located.access)) {
            return Err(AppError::Forbidden("join the community to edit its artifacts"));
        }
        self.artifact_view(&located).await
    }

    /// The page of one artifact; counts the view unless the reader wrote it.
    pub async fn artifact_page(&self, viewer: &Viewer, id: i64) -> Result<ArtifactPage, AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        let mut artifact = self.artifact_view(&located).await?;
        let me = viewer.person();
        if me.is_some() && me != artifact.created_by.as_ref().map(|p| p.id) {
            self.store().record_artifact_view(id).await?;
            artifact.view_count += 1;
        }
        let is_owner = located.is_owner(&artifact.owners, viewer);
        let reuses = self.store().list_artifact_reuses(id, 10).await?;
        let backlinks = self.store().list_artifact_backlinks(id, me).await?;
        let backlinks = backlinks
            .into_iter()
            .filter(|b| {
                let access = CommunityAccess {
                    visibility: Visibility::parse(&b.visibility).unwrap_or(Visibility::Private),
                    membership: membership_of(b.viewer_role.as_deref(), b.viewer_status.as_deref()),
                };
                can(&viewer.actor, Action::ViewCommunity(&access))
            })
            .map(|b| ArtifactBacklink {
                source_kind: if b.source_kind == "post" { "post" } else { "artifact" },
                href: match b.thread_id {
                    Some(thread) => format!("/threads/{thread}#post-{}", b.source_id),
                    None => format!("/artifacts/{}", b.source_id),
                },
                title: b.title,
                community_name: b.community_name,
                at: Timestamp(b.at),
            })
            .collect();
        let checklist =
            if artifact.kind == ArtifactKind::Checklist { checklist_items(&artifact.body) } else { Vec::new() };
        let open_run = match me {
            Some(me) if artifact.kind == ArtifactKind::Checklist => {
                self.store().list_open_checklist_runs(id, me).await?.first().map(|r| r.id)
            }
            _ => None,
        };
        Ok(ArtifactPage {
            can_participate: can(&viewer.actor, Action::Participate(&located.access)),
            can_curate: can(&viewer.actor, Action::CurateArtifact(&located.access, is_owner)),
            reuses: reuses
                .into_iter()
                .map(|r| ArtifactReuseView {
                    person: ArtifactPerson { id: PersonId(r.person_id), handle: r.handle, name: r.name },
                    kind: r.kind,
                    note: r.note,
                    at: Timestamp(r.at),
                })
                .collect(),
            backlinks,
            checklist,
            open_run,
            artifact,
        })
    }

    /// Saves a new version. `base_version` is the version the editor started
    /// from; if someone saved another version meanwhile, nothing is stored and
    /// the answer is `Conflict` (HTTP 409).
    pub async fn save_artifact_version(
        &self,
        viewer: &Viewer,
        id: i64,
        base_version: i64,
        input: &ArtifactInput,
    ) -> Result<ArtifactView, AppError> {
        let person = viewer.require_person()?;
        let located = self.locate_artifact(viewer, id).await?;
        if !can(&viewer.actor, Action::Participate(&located.access)) {
            return Err(AppError::Forbidden("join the community to edit its artifacts"));
        }
        // The review-by date and status are curation, not part of a version.
        let input = ArtifactInput { review_by: String::new(), status: String::new(), ..input.clone() };
        let draft = ArtifactDraft::parse(&input)?;
        let links = artifact_ids_in(&draft.body);
        self.store()
            .insert_artifact_version(&NewVersion {
                artifact: id,
                community: located.community(),
                base_version,
                kind: draft.kind.as_str(),
                title: &draft.title,
                body: &draft.body,
                message: &draft.message,
                tags: &draft.tags,
                author: person,
                links: &links,
                at: Timestamp::now(),
            })
            .await
            .map_err(|error| match error {
                StoreError::Conflict(what) if what == STALE_VERSION => stale_version(base_version),
                StoreError::NotFound => AppError::NotFound("artifact"),
                other => other.into(),
            })?;
        let located = self.locate_artifact(viewer, id).await?;
        self.artifact_view(&located).await
    }

    /// Every version of an artifact, newest first.
    pub async fn artifact_history(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<(ArtifactView, Vec<ArtifactVersionSummary>), AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        let versions = self.store().list_artifact_versions(id).await?;
        Ok((self.artifact_view(&located).await?, versions.iter().map(version_summary).collect()))
    }

    /// One version of an artifact.
    pub async fn artifact_version(
        &self,
        viewer: &Viewer,
        id: i64,
        version: i64,
    ) -> Result<(ArtifactView, ArtifactVersionView), AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        let row = self.store().find_artifact_version(id, version).await?.ok_or(AppError::NotFound("version"))?;
        Ok((self.artifact_view(&located).await?, version_view(row)))
    }

    /// The line diff from version `from` to version `to` (either order).
    pub async fn artifact_diff(&self, viewer: &Viewer, id: i64, from: i64, to: i64) -> Result<ArtifactDiff, AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        let older = self.store().find_artifact_version(id, from).await?.ok_or(AppError::NotFound("version"))?;
        let newer = self.store().find_artifact_version(id, to).await?.ok_or(AppError::NotFound("version"))?;
        // The title is part of what changed, so it is diffed as the first line.
        let text = |v: &VersionRow| format!("# {}\n\n{}", v.title, v.body);
        let hunks = diff_lines(&text(&older), &text(&newer), DIFF_CONTEXT);
        let count = |kind: DiffKind| hunks.iter().flat_map(|h| &h.lines).filter(|l| l.kind == kind).count();
        Ok(ArtifactDiff {
            artifact: self.artifact_view(&located).await?,
            added: count(DiffKind::Added),
            removed: count(DiffKind::Removed),
            hunks,
            from: version_view(older),
            to: version_view(newer),
        })
    }

    /// Changes status (with the replacement for a superseded artifact),
    /// owners and review-by date: owners and facilitators only.
    pub async fn curate_artifact(
        &self,
        viewer: &Viewer,
        id: i64,
        input: &CurationInput,
    ) -> Result<ArtifactView, AppError> {
        let located = self.locate_artifact(viewer, id).await?;
        let current = self.artifact_view(&located).await?;
        let is_owner = located.is_owner(&current.owners, viewer);
        if !can(&viewer.actor, Action::CurateArtifact(&located.access, is_owner)) {
            return Err(AppError::Forbidden("only the artifact's owners and the facilitators curate it"));
        }
        let curation = Curation::parse(input)?;
        let mut errors = copse_domain::FieldErrors::new();
        if let Some(by) = curation.superseded_by {
            if by == id {
                errors.add("superseded_by", "an artifact cannot supersede itself");
            } else {
                match Box::pin(self.locate_artifact(viewer, by)).await {
                    Ok(_) => {}
                    Err(AppError::NotFound(_)) => {
                        errors.add("superseded_by", format!("there is no artifact {by} that you can see"))
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        let mut owners = Vec::new();
        for handle in &curation.owners {
            let Some(person) = self.store().find_person_by_handle(handle).await? else {
                errors.add("owners", format!("nobody has the handle '{handle}'"));
                continue;
            };
            let membership = self.store().find_membership(located.community(), PersonId(person.id)).await?;
            if !matches!(membership.as_ref().map(|(_, s)| s.as_str()), Some("active")) {
                errors.add("owners", format!("@{handle} is not a member of {}", located.community_name));
                continue;
            }
            owners.push(PersonId(person.id));
        }
        errors.finish()?;
        self.store()
            .update_artifact_curation(&ArtifactCuration {
                artifact: id,
                status: curation.status.as_str(),
                superseded_by: curation.superseded_by,
                owners: &owners,
                review_by: curation.review_by.map(date_millis),
                actor: viewer.person(),
                at: Timestamp::now(),
            })
            .await?;
        let located = self.locate_artifact(viewer, id).await?;
        self.artifact_view(&located).await
    }

    /// "I used this", with an optional note of where; credits the artifact's
    /// creator in the activity record. Returns the new reuse count.
    pub async fn record_artifact_reuse(&self, viewer: &Viewer, id: i64, note: &str) -> Result<i64, AppError> {
        let person = viewer.require_person()?;
        let located = self.locate_artifact(viewer, id).await?;
        if !can(&viewer.actor, Action::Participate(&located.access)) {
            return Err(AppError::Forbidden("join the community to record that you used this"));
        }
        let note = parse_note(note)?;
        self.store()
            .insert_artifact_reuse(&NewReuse {
                artifact: id,
                community: located.community(),
                person,
                kind: "used",
                note: &note,
                credit_to: located.row.created_by.map(PersonId),
                run: None,
                at: Timestamp::now(),
            })
            .await?;
        Ok(located.row.reuse_count + 1)
    }

    /// Starts a run of a checklist's current version for the viewer; returns
    /// the run's id.
    pub async fn start_checklist_run(&self, viewer: &Viewer, id: i64) -> Result<i64, AppError> {
        let person = viewer.require_person()?;
        let located = self.locate_artifact(viewer, id).await?;
        if !can(&viewer.actor, Action::Participate(&located.access)) {
            return Err(AppError::Forbidden("join the community to run its checklists"));
        }
        if kind_of(&located.row.kind) != ArtifactKind::Checklist {
            return Err(AppError::Conflict { field: "", message: "only checklists can be run".into() });
        }
        if checklist_items(&located.row.body).is_empty() {
            return Err(AppError::Conflict {
                field: "",
                message: "this checklist has no items to tick (write them as a list: - [ ] item)".into(),
            });
        }
        Ok(self.store().insert_checklist_run(id, located.row.current_version, person, Timestamp::now()).await?)
    }

    /// Loads a run: only its runner sees it (others get `NotFound`).
    async fn locate_run(&self, viewer: &Viewer, run: i64) -> Result<(ChecklistRunRow, Located, VersionRow), AppError> {
        let person = viewer.require_person()?;
        let row = self.store().find_checklist_run(run).await?.ok_or(AppError::NotFound("checklist run"))?;
        if row.person_id != person.0 {
            return Err(AppError::NotFound("checklist run"));
        }
        let located = match self.locate_artifact(viewer, row.artifact_id).await {
            Ok(located) => located,
            Err(AppError::NotFound(_)) => return Err(AppError::NotFound("checklist run")),
            Err(other) => return Err(other),
        };
        let version = self
            .store()
            .find_artifact_version(row.artifact_id, row.version)
            .await?
            .ok_or(AppError::NotFound("checklist run"))?;
        Ok((row, located, version))
    }

    fn run_view(row: &ChecklistRunRow, located: &Located, version: &VersionRow) -> ChecklistRunView {
        let ticked = parse_ticks(&row.ticked);
        ChecklistRunView {
            id: row.id,
            artifact_id: row.artifact_id,
            artifact_title: version.title.clone(),
            community_slug: located.row.community_slug.clone(),
            community_name: located.community_name.clone(),
            version: row.version,
            items: checklist_items(&version.body)
                .into_iter()
                .enumerate()
                .map(|(i, item)| (item.text, ticked.contains(&i)))
                .collect(),
            note: row.note.clone(),
            started_at: Timestamp(row.started_at),
            completed_at: row.completed_at.map(Timestamp),
        }
    }

    /// The viewer's own checklist run.
    pub async fn checklist_run(&self, viewer: &Viewer, run: i64) -> Result<ChecklistRunView, AppError> {
        let (row, located, version) = self.locate_run(viewer, run).await?;
        Ok(Self::run_view(&row, &located, &version))
    }

    /// Saves the ticks (item indexes) and note of the viewer's run; with
    /// `complete`, finishes it and records it as a reuse of the checklist.
    /// A completed run no longer changes (`Conflict`).
    pub async fn update_checklist_run(
        &self,
        viewer: &Viewer,
        run: i64,
        ticked: &[usize],
        note: &str,
        complete: bool,
    ) -> Result<ChecklistRunView, AppError> {
        let person = viewer.require_person()?;
        let (row, located, version) = self.locate_run(viewer, run).await?;
        if !can(&viewer.actor, Action::Participate(&located.access)) {
            return Err(AppError::Forbidden("join the community to run its checklists"));
        }
        let finished = || AppError::Conflict { field: "", message: "this run is already completed".into() };
        if row.completed_at.is_some() {
            return Err(finished());
        }
        let note = parse_note(note)?;
        let ticks = ticks_text(ticked, checklist_items(&version.body).len());
        let saved = if complete {
            self.store()
                .complete_checklist_run(
                    run,
                    &ticks,
                    &NewReuse {
                        artifact: row.artifact_id,
                        community: located.community(),
                        person,
                        kind: "checklist-run",
                        note: &note,
                        credit_to: located.row.created_by.map(PersonId),
                        run: Some(run),
                        at: Timestamp::now(),
                    },
                )
                .await?
        } else {
            self.store().update_checklist_run(run, &ticks, &note).await?
        };
        if !saved {
            return Err(finished());
        }
        self.checklist_run(viewer, run).await
    }

    /// The stale artifacts of a community with their owners: facilitators.
    pub async fn stale_artifacts(&self, viewer: &Viewer, slug: &str) -> Result<StaleArtifacts, AppError> {
        let community = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::Moderate(&access_of(&community))) {
            return Err(AppError::Forbidden("only facilitators see the community's stale artifacts"));
        }
        let id = CommunityId(community.community.id);
        let now = Timestamp::now();
        let rows = self.store().list_stale_artifacts(id, stale_cutoff(now)).await?;
        let pairs = self.store().list_community_artifact_tags(id).await?;
        let mut artifacts = Vec::with_capacity(rows.len());
        for row in &rows {
            let tags = pairs.iter().filter(|(a, _)| *a == row.id).map(|(_, t)| t.clone()).collect();
            let owners = self.store().list_artifact_owners(row.id).await?;
            artifacts.push(StaleArtifact {
                artifact: summary(row, tags, now),
                owners: owners.iter().map(ArtifactPerson::from).collect(),
            });
        }
        Ok(StaleArtifacts {
            community_slug: community.community.slug,
            community_name: community.community.name,
            artifacts,
        })
    }

    /// The periodic task's hook: tells the owners of every artifact that has
    /// become stale, once per artifact (until its review-by date changes).
    /// Returns how many artifacts were flagged.
    pub async fn flag_stale_artifacts(&self, now: Timestamp) -> Result<usize, AppError> {
        let flagged = self
            .store()
            .flag_stale_artifacts(stale_cutoff(now), now, |title| {
                format!("“{title}” is past its review-by date. Please review it, or set a new date.")
            })
            .await?;
        if !flagged.is_empty() {
            tracing::info!(artifacts = flagged.len(), "flagged stale artifacts to their owners");
        }
        Ok(flagged.len())
    }
}

fn stale_version(base: i64) -> AppError {
    AppError::Conflict {
        field: "base_version",
        message: format!(
            "someone saved a newer version after version {base}, which you started from; nothing was overwritten. \
             Open the latest version, compare, and apply your changes again"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_by_date_is_stale_only_after_its_day() {
        let date = NaiveDate::from_ymd_opt(2030, 3, 10).unwrap();
        let due = date_millis(date);
        assert_eq!(date_of(due.0), date);
        let hour = 3_600_000;
        assert!(!is_stale(Some(due.0), ArtifactStatus::Published, Timestamp(due.0 + 23 * hour)));
        assert!(is_stale(Some(due.0), ArtifactStatus::Published, Timestamp(due.0 + 25 * hour)));
        assert!(!is_stale(Some(due.0), ArtifactStatus::Deprecated, Timestamp(due.0 + 25 * hour)));
        assert!(!is_stale(None, ArtifactStatus::Draft, Timestamp(due.0 + 25 * hour)));
    }

    #[test]
    fn ticks_are_kept_in_range_sorted_and_once() {
        assert_eq!(ticks_text(&[3, 0, 3, 9], 4), "0,3");
        assert_eq!(parse_ticks("0,3"), vec![0, 3]);
        assert!(parse_ticks("").is_empty());
    }
}
