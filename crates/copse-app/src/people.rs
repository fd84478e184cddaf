//! People use cases: the directory, profiles, editing one's own profile.

use std::sync::Arc;

use copse_domain::{
    Action, CommunityAccess, ExperienceLevel, OrgRole, PersonId, Profile, ProfileInput, SkillLevel, Timestamp,
    Visibility, WorkingHours, can,
};
use copse_store::{PeopleFilter, PersonRow};

use crate::communities::{CommunityCard, community_view, membership_of};
use crate::{App, AppError, Viewer};

/// A person's profile as pages and the API show it.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: PersonId,
    pub handle: String,
    pub name: String,
    pub role: OrgRole,
    pub team: String,
    pub location: String,
    pub time_zone: String,
    pub working_hours: WorkingHours,
    pub experience: ExperienceLevel,
    pub bio: String,
    pub joined_at: Timestamp,
}

/// A profile page: the person, their skills and interests, and the
/// communities of theirs the viewer may see.
#[derive(Debug, Clone)]
pub struct ProfilePage {
    pub person: PersonView,
    pub skills: Vec<(String, SkillLevel)>,
    pub interests: Vec<String>,
    pub communities: Vec<CommunityCard>,
    pub can_edit: bool,
    /// Their best skills by expertise, with explanations (expertise).
    pub expertise: Vec<crate::ExpertiseLine>,
    /// Kudos received and the stewardship summary (recognition).
    pub recognition: crate::ProfileRecognition,
}

/// One page of the directory.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    pub people: Vec<PersonView>,
    pub page: i64,
    pub has_next: bool,
    pub teams: Arc<(Vec<String>, Vec<String>)>,
}

pub const DIRECTORY_PAGE_SIZE: i64 = 48;

pub(crate) fn person_view(row: PersonRow) -> PersonView {
    PersonView {
        id: PersonId(row.id),
        role: OrgRole::parse(&row.org_role).unwrap_or(OrgRole::Guest),
        working_hours: WorkingHours::from_minutes(row.work_start_minute, row.work_end_minute),
        experience: ExperienceLevel::parse(&row.experience).unwrap_or(ExperienceLevel::Mid),
        joined_at: Timestamp(row.created_at),
        handle: row.handle,
        name: row.name,
        team: row.team,
        location: row.location,
        time_zone: row.time_zone,
        bio: row.bio,
    }
}

impl App {
    /// A page of the people directory (page numbers start at 1).
    pub async fn people_directory(
        &self,
        viewer: &Viewer,
        filter: &PeopleFilter,
        page: i64,
    ) -> Result<DirectoryPage, AppError> {
        viewer.require_person()?;
        if !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::Forbidden("guests do not browse the directory"));
        }
        let page = page.clamp(1, 10_000);
        let mut rows =
            self.store().list_people(filter, (page - 1) * DIRECTORY_PAGE_SIZE, DIRECTORY_PAGE_SIZE + 1).await?;
        let has_next = rows.len() as i64 > DIRECTORY_PAGE_SIZE;
        rows.truncate(DIRECTORY_PAGE_SIZE as usize);
        let teams = match self.inner.caches.directory_filters.get() {
            Some(teams) => teams,
            None => {
                let teams = Arc::new(self.store().list_teams_and_locations().await?);
                self.inner.caches.directory_filters.put(teams.clone());
                teams
            }
        };
        Ok(DirectoryPage { people: rows.into_iter().map(person_view).collect(), page, has_next, teams })
    }

    /// A person's profile. Only communities the viewer may see are listed.
    pub async fn profile_page(&self, viewer: &Viewer, handle: &str) -> Result<ProfilePage, AppError> {
        let me = viewer.require_person()?;
        let row =
            self.store().find_person_by_handle(&handle.to_lowercase()).await?.ok_or(AppError::NotFound("person"))?;
        let id = PersonId(row.id);
        if id != me && !can(&viewer.actor, Action::ViewPeople) {
            return Err(AppError::NotFound("person"));
        }
        let store = self.store();
        let skills = store
            .list_person_skills(id)
            .await?
            .into_iter()
            .map(|s| (s.skill, SkillLevel::parse(&s.level).unwrap_or(SkillLevel::Practitioner)))
            .collect();
        let interests = store.list_person_interests(id).await?;
        // Their memberships, shown only where the viewer could see the
        // community anyway; pending requests and invitations stay private.
        let theirs = store.list_communities_of_person(id).await?;
        let mine = if id == me { Vec::new() } else { store.list_communities_of_person(me).await? };
        let mut communities = Vec::new();
        for row in &theirs {
            let membership = membership_of(row.viewer_role.as_deref(), row.viewer_status.as_deref());
            if !matches!(membership, Some((_, copse_domain::MembershipStatus::Active))) && id != me {
                continue;
            }
            let viewer_membership = if id == me {
                membership
            } else {
                mine.iter()
                    .find(|m| m.community.id == row.community.id)
                    .and_then(|m| membership_of(m.viewer_role.as_deref(), m.viewer_status.as_deref()))
            };
            let access = CommunityAccess {
                visibility: Visibility::parse(&row.community.visibility).unwrap_or(Visibility::Private),
                membership: viewer_membership,
            };
            if can(&viewer.actor, Action::ViewCommunity(&access)) {
                communities.push(CommunityCard { community: community_view(&row.community), membership });
            }
        }
        let recognition = self.profile_recognition(viewer, id).await?;
        let expertise = self.person_expertise(id).await?;
        Ok(ProfilePage {
            expertise,
            recognition,
            person: person_view(row),
            skills,
            interests,
            communities,
            can_edit: can(&viewer.actor, Action::EditProfile(id)),
        })
    }

    /// The viewer's own profile as form values.
    pub async fn profile_input(&self, viewer: &Viewer) -> Result<ProfileInput, AppError> {
        let me = viewer.require_person()?;
        let row = self.store().get_person(me).await?;
        let skills = self.store().list_person_skills(me).await?;
        let interests = self.store().list_person_interests(me).await?;
        let hours = WorkingHours::from_minutes(row.work_start_minute, row.work_end_minute);
        Ok(ProfileInput {
            name: row.name,
            team: row.team,
            location: row.location,
            time_zone: row.time_zone,
            work_start: hours.start_text(),
            work_end: hours.end_text(),
            experience: row.experience,
            skills: skills.iter().map(|s| format!("{}:{}", s.skill, s.level)).collect::<Vec<_>>().join(", "),
            interests: interests.join(", "),
            bio: row.bio,
        })
    }

    /// Saves the viewer's own profile (or, for an admin, anyone's).
    pub async fn update_profile(
        &self,
        viewer: &Viewer,
        handle: &str,
        input: &ProfileInput,
    ) -> Result<PersonView, AppError> {
        viewer.require_person()?;
        let row =
            self.store().find_person_by_handle(&handle.to_lowercase()).await?.ok_or(AppError::NotFound("person"))?;
        let id = PersonId(row.id);
        if !can(&viewer.actor, Action::EditProfile(id)) {
            return Err(AppError::Forbidden("you may edit only your own profile"));
        }
        let profile = Profile::parse(input)?;
        self.store().update_profile(id, &profile).await?;
        Ok(person_view(self.store().get_person(id).await?))
    }
}
