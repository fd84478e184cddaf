//! Community use cases: discover, read, create and edit with a charter,
//! change stage, and the membership flows (join, request and approve, invite
//! and accept, leave, appoint facilitators).

use std::sync::Arc;

use copse_domain::{
    Action, CommunityAccess, CommunityDraft, CommunityId, CommunityInput, CommunityType, Handle, MembershipRole,
    MembershipStatus, OrgGoalId, ParticipationLevel, PersonId, Stage, StageChange, Timestamp, Visibility, can,
};
use copse_insight::ParticipationBands;
/// Members per participation level; part of [`CommunityShared`] and [`MembersPage`].
pub use copse_insight::ParticipationSummary;
use copse_store::{
    CommunityFilter, CommunityForViewerRow, CommunityRow, MemberFilter, MemberRow, MembershipChange, NewCommunity,
};

use crate::{App, AppError, Viewer};

/// A community's definition as pages and the API show it.
#[derive(Debug, Clone)]
pub struct CommunityView {
    pub id: CommunityId,
    pub slug: String,
    pub name: String,
    pub domain: String,
    pub kind: CommunityType,
    pub visibility: Visibility,
    pub stage: Stage,
    pub purpose: String,
    pub in_scope: Vec<String>,
    pub out_of_scope: Vec<String>,
    pub member_count: i64,
    pub created_at: Timestamp,
}

/// One page of discovery results.
#[derive(Debug, Clone)]
pub struct DiscoverPage {
    pub cards: Vec<CommunityCard>,
    pub page: i64,
    pub has_next: bool,
}

/// A community in a list, with the viewer's membership.
#[derive(Debug, Clone)]
pub struct CommunityCard {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
}

#[derive(Debug, Clone)]
pub struct GoalView {
    pub text: String,
    pub org_goal: Option<(OrgGoalId, String)>,
}

#[derive(Debug, Clone)]
pub struct ChannelView {
    pub name: String,
    pub url: String,
}

/// A person as shown in lists: enough to link and recognize them.
#[derive(Debug, Clone)]
pub struct PersonRef {
    pub id: PersonId,
    pub handle: String,
    pub name: String,
    pub team: String,
}

#[derive(Debug, Clone)]
pub struct FacilitatorView {
    pub person: PersonRef,
    pub term_started_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct MemberView {
    pub person: PersonRef,
    pub location: String,
    pub time_zone: String,
    pub role: MembershipRole,
    pub level: ParticipationLevel,
    pub recent_contributions: i64,
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct StageChangeView {
    pub stage: Stage,
    pub previous: Option<Stage>,
    pub note: String,
    pub at: Timestamp,
    pub by: Option<(String, String)>,
}

/// The part of a community page that is the same for every viewer; cached.
#[derive(Debug)]
pub struct CommunityShared {
    pub goals: Vec<GoalView>,
    pub channels: Vec<ChannelView>,
    pub sponsor: Option<PersonRef>,
    pub facilitators: Vec<FacilitatorView>,
    /// The most active members first, at most [`MEMBERS_SHOWN`].
    pub members: Vec<MemberView>,
    pub participation: ParticipationSummary,
    pub stage_history: Vec<StageChangeView>,
    pub pending_requests: Vec<PersonRef>,
}

/// Everything the community page needs, for one viewer.
#[derive(Debug, Clone)]
pub struct CommunityPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    pub shared: Arc<CommunityShared>,
    pub can_edit: bool,
    pub can_manage: bool,
    pub can_join: bool,
    pub can_request: bool,
    pub can_leave: bool,
}

/// One page of a community's members, for one viewer.
#[derive(Debug, Clone)]
pub struct MembersPage {
    pub community: CommunityView,
    pub membership: Option<(MembershipRole, MembershipStatus)>,
    /// How many members sit at each level (as the community page counts them).
    pub participation: ParticipationSummary,
    /// The level asked for, if any.
    pub level: Option<ParticipationLevel>,
    /// This page's members, the most active first.
    pub members: Vec<MemberView>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    /// Members matching the level (all active members without one), as the
    /// member counter and the participation summary count them.
    pub total: i64,
    pub has_next: bool,
}

pub const MEMBERS_SHOWN: usize = 60;
/// Members per page on a community's members page.
pub const MEMBERS_PER_PAGE: i64 = 60;
const MEMBERS_MEASURED: i64 = 5000;

fn member_view(m: MemberRow, bands: &ParticipationBands) -> MemberView {
    MemberView {
        level: copse_insight::classify(m.recent_contributions, bands),
        role: MembershipRole::parse(&m.role).unwrap_or(MembershipRole::Member),
        person: PersonRef { id: PersonId(m.person_id), handle: m.handle, name: m.name, team: m.team },
        location: m.location,
        time_zone: m.time_zone,
        recent_contributions: m.recent_contributions,
        joined_at: Timestamp(m.joined_at),
    }
}

/// The band of contributions in the window that places a member at `level`.
fn contribution_band(level: ParticipationLevel, bands: &ParticipationBands) -> (i64, i64) {
    match level {
        ParticipationLevel::Core => (bands.core_min, i64::MAX),
        ParticipationLevel::Active => (bands.active_min, bands.core_min - 1),
        ParticipationLevel::Peripheral => (1, bands.active_min - 1),
        ParticipationLevel::Inactive => (0, 0),
    }
}

pub(crate) fn community_view(row: &CommunityRow) -> CommunityView {
    let lines = |text: &str| text.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
    CommunityView {
        id: CommunityId(row.id),
        slug: row.slug.clone(),
        name: row.name.clone(),
        domain: row.domain.clone(),
        kind: CommunityType::parse(&row.kind).unwrap_or(CommunityType::TechnicalPractice),
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
        stage: Stage::parse(&row.stage).unwrap_or(Stage::Potential),
        purpose: row.purpose.clone(),
        in_scope: lines(&row.in_scope),
        out_of_scope: lines(&row.out_of_scope),
        member_count: row.member_count,
        created_at: Timestamp(row.created_at),
    }
}

pub(crate) fn membership_of(role: Option<&str>, status: Option<&str>) -> Option<(MembershipRole, MembershipStatus)> {
    Some((MembershipRole::parse(role?).ok()?, MembershipStatus::parse(status?).ok()?))
}

pub(crate) fn access_of(row: &CommunityForViewerRow) -> CommunityAccess {
    CommunityAccess {
        visibility: Visibility::parse(&row.community.visibility).unwrap_or(Visibility::Private),
        membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
    }
}

fn card(row: &CommunityForViewerRow) -> CommunityCard {
    CommunityCard {
        community: community_view(&row.community),
        membership: membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref()),
    }
}

impl App {
    /// Loads a community the viewer may see, or `NotFound` (also when they
    /// may not see it, so its existence does not leak).
    pub(crate) async fn visible_community(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> Result<CommunityForViewerRow, AppError> {
        if !viewer.actor.is_signed_in() {
            return Err(AppError::Unauthenticated);
        }
        let row = self
            .store()
            .find_community_for_viewer(slug, viewer.person())
            .await?
            .ok_or(AppError::NotFound("community"))?;
        if !can(&viewer.actor, Action::ViewCommunity(&access_of(&row))) {
            return Err(AppError::NotFound("community"));
        }
        Ok(row)
    }

    /// A page (from 1) of communities to discover, most-joined first,
    /// filtered by name/domain text, type and stage.
    pub async fn discover_communities(
        &self,
        viewer: &Viewer,
        filter: &CommunityFilter,
        page: i64,
        page_size: i64,
    ) -> Result<DiscoverPage, AppError> {
        let person = viewer.require_person()?;
        if !filter.kind.is_empty() {
            CommunityType::parse(&filter.kind).map_err(|m| AppError::invalid("kind", m))?;
        }
        if !filter.stage.is_empty() {
            Stage::parse(&filter.stage).map_err(|m| AppError::invalid("stage", m))?;
        }
        let page = page.clamp(1, 10_000);
        let page_size = page_size.clamp(1, 200);
        let mut rows = self
            .store()
            .list_communities(filter, person, viewer.actor.is_admin(), page_size + 1, (page - 1) * page_size)
            .await?;
        let has_next = rows.len() as i64 > page_size;
        rows.truncate(page_size as usize);
        // The query already filters by visibility; the policy has the last word.
        let cards =
            rows.iter().filter(|r| can(&viewer.actor, Action::ViewCommunity(&access_of(r)))).map(card).collect();
        Ok(DiscoverPage { cards, page, has_next })
    }

    /// The viewer's own communities, including pending requests and invitations.
    pub async fn my_communities(&self, viewer: &Viewer) -> Result<Vec<CommunityCard>, AppError> {
        let person = viewer.require_person()?;
        Ok(self.store().list_communities_of_person(person).await?.iter().map(card).collect())
    }

    /// The community page for one viewer.
    pub async fn community_page(&self, viewer: &Viewer, slug: &str) -> Result<CommunityPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let actor = &viewer.actor;
        let can_manage = can(actor, Action::ManageMembers(&access));
        let shared = self.community_shared(&row.community).await?;
        Ok(CommunityPage {
            community: community_view(&row.community),
            membership: access.membership,
            shared,
            can_edit: can(actor, Action::EditCommunity(&access)),
            can_manage,
            can_join: can(actor, Action::Join(&access)),
            can_request: can(actor, Action::RequestToJoin(&access)),
            can_leave: can(actor, Action::Leave(&access)),
        })
    }

    /// A community's members, a page at a time, the most active first;
    /// optionally only those at one participation level (`core`, `active`,
    /// `peripheral`, `inactive`). Visible to whoever may see the community.
    pub async fn community_members(
        &self,
        viewer: &Viewer,
        slug: &str,
        level: &str,
        page: i64,
    ) -> Result<MembersPage, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let level = match level.trim() {
            "" => None,
            word => Some(ParticipationLevel::parse(word).map_err(|m| AppError::invalid("level", m))?),
        };
        let page = page.max(1);
        let bands = ParticipationBands::default();
        let window_start = Timestamp::now().minus_days(bands.window_days);
        let shared = self.community_shared(&row.community).await?;
        let id = CommunityId(row.community.id);
        let mut filter = MemberFilter::all(MembershipStatus::Active, window_start);
        if let Some(level) = level {
            (filter.min_recent, filter.max_recent) = contribution_band(level, &bands);
        }
        // Totals come from the counter and the (cached) participation summary,
        // so the page agrees with the community page and counts nothing on
        // read; whether another page follows is asked of the database itself.
        let summary = shared.participation;
        let total = match level {
            None => row.community.member_count,
            Some(ParticipationLevel::Core) => summary.core,
            Some(ParticipationLevel::Active) => summary.active,
            Some(ParticipationLevel::Peripheral) => summary.peripheral,
            Some(ParticipationLevel::Inactive) => summary.inactive,
        };
        let offset = (page - 1).saturating_mul(MEMBERS_PER_PAGE);
        // One more than a page tells whether another page follows.
        let mut rows = self.store().list_members_page(id, &filter, MEMBERS_PER_PAGE + 1, offset).await?;
        let has_next = rows.len() as i64 > MEMBERS_PER_PAGE;
        rows.truncate(MEMBERS_PER_PAGE as usize);
        Ok(MembersPage {
            community: community_view(&row.community),
            membership: access_of(&row).membership,
            participation: summary,
            level,
            members: rows.into_iter().map(|m| member_view(m, &bands)).collect(),
            page,
            per_page: MEMBERS_PER_PAGE,
            total,
            has_next,
        })
    }

    /// The viewer-independent part of a community page, from the cache when
    /// it was built from the community's current version.
    async fn community_shared(&self, row: &CommunityRow) -> Result<Arc<CommunityShared>, AppError> {
        if let Some(shared) = self.inner.caches.community_pages.get(row.id, row.version) {
            return Ok(shared);
        }
        let shared = Arc::new(self.load_community_shared(row).await?);
        self.inner.caches.community_pages.put(row.id, row.version, shared.clone());
        Ok(shared)
    }

    async fn load_community_shared(&self, row: &CommunityRow) -> Result<CommunityShared, AppError> {
        let store = self.store();
        let id = CommunityId(row.id);
        let bands = ParticipationBands::default();
        let window_start = Timestamp::now().minus_days(bands.window_days);
        let goals = store
            .list_community_goals(id)
            .await?
            .into_iter()
            .map(|g| GoalView { text: g.text, org_goal: g.org_goal_id.map(OrgGoalId).zip(g.org_goal_title) })
            .collect();
        let channels = store
            .list_community_channels(id)
            .await?
            .into_iter()
            .map(|c| ChannelView { name: c.name, url: c.url })
            .collect();
        let sponsor = match row.sponsor_id {
            Some(sponsor) => {
                let p = store.get_person(PersonId(sponsor)).await?;
                Some(PersonRef { id: PersonId(p.id), handle: p.handle, name: p.name, team: p.team })
            }
            None => None,
        };
        let facilitators = store
            .list_facilitators(id)
            .await?
            .into_iter()
            .map(|f| FacilitatorView {
                person: PersonRef { id: PersonId(f.person_id), handle: f.handle, name: f.name, team: f.team },
                term_started_at: Timestamp(f.term_started_at),
            })
            .collect();
        let member_rows = store.list_members(id, MembershipStatus::Active, window_start, MEMBERS_MEASURED).await?;
        let counts: Vec<i64> = member_rows.iter().map(|m| m.recent_contributions).filter(|&n| n > 0).collect();
        let participation = copse_insight::summarize(&counts, row.member_count, &bands);
        let members = member_rows.into_iter().take(MEMBERS_SHOWN).map(|m| member_view(m, &bands)).collect();
        let stage_history = store
            .list_stage_changes(id)
            .await?
            .into_iter()
            .map(|s| StageChangeView {
                stage: Stage::parse(&s.stage).unwrap_or(Stage::Potential),
                previous: s.previous_stage.as_deref().and_then(|p| Stage::parse(p).ok()),
                note: s.note,
                at: Timestamp(s.at),
                by: s.changed_by_handle.zip(s.changed_by_name),
            })
            .collect();
        let pending_requests = store
            .list_members(id, MembershipStatus::Requested, window_start, 200)
            .await?
            .into_iter()
            .map(|m| PersonRef { id: PersonId(m.person_id), handle: m.handle, name: m.name, team: m.team })
            .collect();
        Ok(CommunityShared {
            goals,
            channels,
            sponsor,
            facilitators,
            members,
            participation,
            stage_history,
            pending_requests,
        })
    }

    async fn sponsor_id(&self, sponsor: Option<&Handle>) -> Result<Option<PersonId>, AppError> {
        match sponsor {
            None => Ok(None),
            Some(handle) => match self.store().find_person_by_handle(handle.as_str()).await? {
                Some(p) => Ok(Some(PersonId(p.id))),
                None => Err(AppError::invalid("sponsor", format!("nobody has the handle '{handle}'"))),
            },
        }
    }

    async fn check_org_goals(&self, draft: &CommunityDraft) -> Result<(), AppError> {
        if draft.charter.goals.iter().all(|g| g.org_goal.is_none()) {
            return Ok(());
        }
        let known: Vec<i64> = self.store().list_org_goals().await?.into_iter().map(|g| g.id).collect();
        if draft.charter.goals.iter().filter_map(|g| g.org_goal).any(|g| !known.contains(&g.0)) {
            return Err(AppError::invalid("goals", "a goal links to an organizational goal that does not exist"));
        }
        Ok(())
    }

    /// Starts a community; the viewer becomes its first facilitator.
    pub async fn create_community(&self, viewer: &Viewer, input: &CommunityInput) -> Result<CommunityView, AppError> {
        let person = viewer.require_person()?;
        if !can(&viewer.actor, Action::CreateCommunity) {
            return Err(AppError::Forbidden("your role may not start communities"));
        }
        let draft = CommunityDraft::parse(input)?;
        let sponsor = self.sponsor_id(draft.sponsor.as_ref()).await?;
        self.check_org_goals(&draft).await?;
        let id = self
            .store()
            .insert_community(&NewCommunity {
                draft: &draft,
                sponsor,
                creator: person,
                stage: Stage::Potential,
                at: Timestamp::now(),
            })
            .await?;
        Ok(community_view(&self.store().get_community(id).await?))
    }

    /// The edit form's current values, for facilitators and admins.
    pub async fn community_input(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> Result<(CommunityView, CommunityInput), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::EditCommunity(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators edit a community"));
        }
        let store = self.store();
        let id = CommunityId(row.community.id);
        let c = &row.community;
        let sponsor = match c.sponsor_id {
            Some(s) => store.get_person(PersonId(s)).await?.handle,
            None => String::new(),
        };
        let input = CommunityInput {
            name: c.name.clone(),
            slug: c.slug.clone(),
            domain: c.domain.clone(),
            kind: c.kind.clone(),
            visibility: c.visibility.clone(),
            purpose: c.purpose.clone(),
            in_scope: c.in_scope.replace('\n', ", "),
            out_of_scope: c.out_of_scope.replace('\n', ", "),
            goals: store.list_community_goals(id).await?.into_iter().map(|g| (g.text, g.org_goal_id)).collect(),
            channels: store.list_community_channels(id).await?.into_iter().map(|ch| (ch.name, ch.url)).collect(),
            sponsor,
        };
        Ok((community_view(c), input))
    }

    /// Saves an edited definition and charter.
    pub async fn update_community(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &CommunityInput,
    ) -> Result<CommunityView, AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::EditCommunity(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators edit a community"));
        }
        let draft = CommunityDraft::parse(input)?;
        let sponsor = self.sponsor_id(draft.sponsor.as_ref()).await?;
        self.check_org_goals(&draft).await?;
        let id = CommunityId(row.community.id);
        self.store().update_community(id, &draft, sponsor, viewer.require_person()?).await?;
        Ok(community_view(&self.store().get_community(id).await?))
    }

    /// Moves the community to another stage with a note saying why.
    pub async fn change_stage(&self, viewer: &Viewer, slug: &str, stage: &str, note: &str) -> Result<(), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::ChangeStage(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators change the stage"));
        }
        let change = StageChange::parse(stage, note)?;
        if change.stage.as_str() == row.community.stage {
            return Err(AppError::invalid("stage", format!("the community is already {}", change.stage.label())));
        }
        Ok(self.store().change_stage(CommunityId(row.community.id), &change, viewer.person(), Timestamp::now()).await?)
    }

    /// Joins an open community, or accepts an invitation.
    pub async fn join_community(&self, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        if !can(&viewer.actor, Action::Join(&access)) {
            return Err(match access.membership {
                Some((_, MembershipStatus::Active)) => {
                    AppError::Conflict { field: "", message: "you are already a member".into() }
                }
                Some((_, MembershipStatus::Requested)) => {
                    AppError::Conflict { field: "", message: "your request is waiting for a facilitator".into() }
                }
                _ => AppError::Forbidden("this community takes members by request or invitation"),
            });
        }
        let role = access.membership.map_or(MembershipRole::Member, |(role, _)| role);
        self.set_membership(&row, viewer.require_person()?, role, MembershipStatus::Active, viewer).await
    }

    /// Asks to join a request-to-join community.
    pub async fn request_to_join(&self, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::RequestToJoin(&access_of(&row))) {
            return Err(AppError::Conflict { field: "", message: "you cannot request to join this community".into() });
        }
        self.set_membership(&row, viewer.require_person()?, MembershipRole::Member, MembershipStatus::Requested, viewer)
            .await
    }

    /// Leaves, withdraws a request or declines an invitation.
    pub async fn leave_community(&self, viewer: &Viewer, slug: &str) -> Result<(), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::Leave(&access_of(&row))) {
            return Err(AppError::Conflict { field: "", message: "you are not a member".into() });
        }
        let person = viewer.require_person()?;
        Ok(self.store().delete_membership(CommunityId(row.community.id), person, Some(person)).await?)
    }

    /// A facilitator's decision on someone else's membership: `approve`,
    /// `decline`, `invite`, `make-facilitator`, `make-member` or `remove`.
    pub async fn manage_member(
        &self,
        viewer: &Viewer,
        slug: &str,
        handle: &str,
        decision: &str,
    ) -> Result<(), AppError> {
        let row = self.visible_community(viewer, slug).await?;
        if !can(&viewer.actor, Action::ManageMembers(&access_of(&row))) {
            return Err(AppError::Forbidden("only facilitators manage members"));
        }
        let handle = Handle::parse(handle).map_err(|m| AppError::invalid("handle", m))?;
        let person = self
            .store()
            .find_person_by_handle(handle.as_str())
            .await?
            .ok_or_else(|| AppError::invalid("handle", format!("nobody has the handle '{handle}'")))?;
        let person = PersonId(person.id);
        let id = CommunityId(row.community.id);
        let current = self.store().find_membership(id, person).await?;
        let current = current.as_ref().and_then(|(r, s)| membership_of(Some(r), Some(s)));
        let conflict = |message: &str| AppError::Conflict { field: "handle", message: message.to_string() };
        match (decision, current) {
            ("approve", Some((role, MembershipStatus::Requested))) => {
                self.set_membership(&row, person, role, MembershipStatus::Active, viewer).await
            }
            ("approve", _) => Err(conflict("there is no request from them to approve")),
            ("decline", Some((_, MembershipStatus::Requested))) | ("remove", Some(_)) => {
                Ok(self.store().delete_membership(id, person, viewer.person()).await?)
            }
            ("decline", _) | ("remove", None) => Err(conflict("they have no membership here")),
            ("invite", None) => {
                self.set_membership(&row, person, MembershipRole::Member, MembershipStatus::Invited, viewer).await
            }
            ("invite", Some(_)) => Err(conflict("they are already a member, invited, or asking to join")),
            ("make-facilitator", Some((_, MembershipStatus::Active))) => {
                self.set_membership(&row, person, MembershipRole::Facilitator, MembershipStatus::Active, viewer).await
            }
            ("make-member", Some((MembershipRole::Facilitator, MembershipStatus::Active))) => {
                self.set_membership(&row, person, MembershipRole::Member, MembershipStatus::Active, viewer).await
            }
            ("make-facilitator" | "make-member", _) => Err(conflict("only active members change role")),
            (other, _) => Err(AppError::invalid("decision", format!("unknown decision '{other}'"))),
        }
    }

    async fn set_membership(
        &self,
        row: &CommunityForViewerRow,
        person: PersonId,
        role: MembershipRole,
        status: MembershipStatus,
        viewer: &Viewer,
    ) -> Result<(), AppError> {
        Ok(self
            .store()
            .set_membership(&MembershipChange {
                community: CommunityId(row.community.id),
                person,
                role,
                status,
                actor: viewer.person(),
                at: Timestamp::now(),
            })
            .await?)
    }

    /// Adds an organizational goal that charters can link to (administrators).
    pub async fn add_org_goal(&self, viewer: &Viewer, title: &str, description: &str) -> Result<OrgGoalId, AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::Administer) {
            return Err(AppError::Forbidden("only administrators manage organizational goals"));
        }
        let mut errors = copse_domain::FieldErrors::new();
        let title = errors.check("title", copse_domain::parse_name(title, "Title", 120));
        let description = errors.check("description", copse_domain::parse_text(description, "Description", 1000));
        errors.finish()?;
        Ok(self.store().insert_org_goal(&title.unwrap_or_default(), &description.unwrap_or_default()).await?)
    }

    /// The organization's goals, for charter forms.
    pub async fn org_goals(&self) -> Result<Vec<(OrgGoalId, String)>, AppError> {
        Ok(self.store().list_org_goals().await?.into_iter().map(|g| (OrgGoalId(g.id), g.title)).collect())
    }
}
