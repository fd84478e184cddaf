//! Authorization: the one place that decides who may do what.
//!
//! Every use case in `copse-app` asks [`can`] before it reads or changes
//! anything. Rules in brief:
//! - signed-out visitors may do nothing but sign in;
//! - an organization admin may do everything, but joins, requests and leaves
//!   like anyone else (state rules still hold; only invitations are waived)
//!   and takes event seats only as a member;
//! - open and request-to-join communities are visible to every signed-in
//!   person; a private community only to its active members and to people
//!   invited to it (who must see it to accept);
//! - facilitators (active members with the facilitator role) edit their
//!   community, change its stage, manage its members and schedule its events;
//! - active members answer RSVPs, check in and give feedback;
//! - active members take part: start threads, reply, react, write and version
//!   artifacts, record reuse and run checklists; authors edit their own posts;
//! - facilitators moderate (lock, pin, hide, move threads; see hidden posts) and
//!   curate artifacts, as do an artifact's owners for that artifact;
//! - guests may look and join, but not create communities or browse people;
//! - members (not guests) offer and seek mentoring and thank people with kudos
//!   in any community they can see; facilitators run pulse surveys, curate the
//!   skills vocabulary and run mentor matching; active members answer surveys
//!   and record their own time allocation; a community's sponsor and its
//!   facilitators see its organization side (time, budget, involvement).
//!
//! A caller that is refused [`Action::ViewCommunity`] must answer "not found",
//! never "forbidden", so a private community's existence does not leak.

use crate::PersonId;
use crate::community::{MembershipRole, MembershipStatus, Visibility};
use crate::word_enum;

word_enum!(
    /// A person's role in the whole organization.
    OrgRole {
        Admin = "admin" / "Administrator",
        Member = "member" / "Member",
        Guest = "guest" / "Guest",
    }
);

/// Who is asking. `person` is `None` for a signed-out visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub person: Option<PersonId>,
    pub role: OrgRole,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self { person: None, role: OrgRole::Guest }
    }

    pub fn person(person: PersonId, role: OrgRole) -> Self {
        Self { person: Some(person), role }
    }

    pub fn is_admin(&self) -> bool {
        self.person.is_some() && self.role == OrgRole::Admin
    }

    pub fn is_signed_in(&self) -> bool {
        self.person.is_some()
    }
}

/// What the policy needs to know about a community relative to the actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityAccess {
    pub visibility: Visibility,
    /// The actor's own membership in it, if any.
    pub membership: Option<(MembershipRole, MembershipStatus)>,
}

impl CommunityAccess {
    fn is_active_member(&self) -> bool {
        matches!(self.membership, Some((_, MembershipStatus::Active)))
    }

    fn is_facilitator(&self) -> bool {
        matches!(self.membership, Some((MembershipRole::Facilitator, MembershipStatus::Active)))
    }
}

/// Everything a person can attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// See the community's page, charter and member list.
    ViewCommunity(&'a CommunityAccess),
    /// Join an open community, or accept an invitation to any community.
    Join(&'a CommunityAccess),
    /// Ask to join a request-to-join community.
    RequestToJoin(&'a CommunityAccess),
    /// Leave a community one belongs to (or withdraw a request).
    Leave(&'a CommunityAccess),
    /// Edit name, charter, channels, sponsor.
    EditCommunity(&'a CommunityAccess),
    /// Move the community to another lifecycle stage.
    ChangeStage(&'a CommunityAccess),
    /// Approve requests, invite people, appoint facilitators.
    ManageMembers(&'a CommunityAccess),
    /// Schedule, edit and cancel events; record attendance.
    ScheduleEvents(&'a CommunityAccess),
    /// Answer for an event occurrence, check in with a code, give feedback.
    Rsvp(&'a CommunityAccess),
    /// Start a thread, reply, react, write or version an artifact, say
    /// "I used this", run a checklist, record time saved.
    Participate(&'a CommunityAccess),
    /// Edit a post; the flag says whether the actor wrote it.
    EditContent(&'a CommunityAccess, bool),
    /// Lock, pin, hide and move threads, see hidden content, list stale
    /// artifacts for the community.
    Moderate(&'a CommunityAccess),
    /// Change an artifact's status, owners and review-by date; the flag says
    /// whether the actor owns it.
    CurateArtifact(&'a CommunityAccess, bool),
    /// Start a new community.
    CreateCommunity,
    /// Browse the people directory and profiles.
    ViewPeople,
    /// Edit a person's profile.
    EditProfile(PersonId),
    /// Create accounts, change roles, manage organizational goals, grant
    /// budgets, configure question routing.
    Administer,
    /// Curate the skills vocabulary (skills, synonyms, unmapped terms) and
    /// run mentor matching across the organization; the flag says whether
    /// the actor facilitates at least one community.
    CoordinatePeople { facilitates_somewhere: bool },
    /// Offer to mentor, ask for a mentor, record one's self-assessments.
    SeekOrOfferMentoring,
    /// Thank someone for a contribution made in this community.
    GiveKudos(&'a CommunityAccess),
    /// Open and close the community's pulse surveys and read their results.
    RunSurveys(&'a CommunityAccess),
    /// Answer the community's pulse survey.
    AnswerSurvey(&'a CommunityAccess),
    /// See the organization side of a community: sponsor involvement, time
    /// allocations, budget lines; the flag says whether the actor is its
    /// executive sponsor.
    ViewOrganizationSide(&'a CommunityAccess, bool),
    /// Add budget lines and record spending (granting is `Administer`).
    ManageBudget(&'a CommunityAccess),
    /// Record the hours a manager granted for a membership; the flag says
    /// whether the membership is the actor's own.
    RecordTimeAllocation(&'a CommunityAccess, bool),
    /// See the community's health page: aggregate metrics, trends, stage
    /// evidence and which challenges are detected.
    ViewHealth(&'a CommunityAccess),
    /// See the diagnosis in full (evidence that names people, next steps)
    /// and the alerts' history; the flag says whether the actor is the
    /// community's executive sponsor.
    ViewDiagnosis(&'a CommunityAccess, bool),
    /// Acknowledge an alert, accept a suggested stage.
    ManageAlerts(&'a CommunityAccess),
    /// Record a value story about this community.
    RecordValueStory(&'a CommunityAccess),
    /// Read the value report written for sponsors; the flag says whether
    /// the actor is the community's executive sponsor.
    ViewValueReport(&'a CommunityAccess, bool),
}

/// Decides whether `actor` may perform `action`.
pub fn can(actor: &Actor, action: Action<'_>) -> bool {
    if !actor.is_signed_in() {
        return false;
    }
    let admin = actor.is_admin();
    match action {
        // Joining, requesting and leaving depend on where one stands, so an
        // admin follows the same rules, except that an admin may walk into
        // any community without an invitation.
        Action::Join(c) => match c.membership {
            Some((_, MembershipStatus::Invited)) => true,
            Some(_) => false,
            None => admin || c.visibility == Visibility::Open,
        },
        Action::RequestToJoin(c) => c.membership.is_none() && c.visibility == Visibility::RequestToJoin,
        Action::Leave(c) => c.membership.is_some(),
        // Only members take seats: an admin joins first like anyone else.
        Action::Rsvp(c) => c.is_active_member(),
        _ if admin => true,
        Action::ViewCommunity(c) => match c.visibility {
            Visibility::Open | Visibility::RequestToJoin => true,
            Visibility::Private => c.membership.is_some_and(|(_, s)| s != MembershipStatus::Requested),
        },
        Action::EditCommunity(c) | Action::ChangeStage(c) | Action::ManageMembers(c) | Action::ScheduleEvents(c) => {
            c.is_facilitator() && c.is_active_member()
        }
        Action::Participate(c) => c.is_active_member(),
        Action::EditContent(c, is_author) | Action::CurateArtifact(c, is_author) => {
            (is_author && c.is_active_member()) || c.is_facilitator()
        }
        Action::Moderate(c) => c.is_facilitator(),
        Action::CreateCommunity | Action::ViewPeople => actor.role == OrgRole::Member,
        Action::EditProfile(person) => actor.person == Some(person),
        Action::Administer => false,
        Action::CoordinatePeople { facilitates_somewhere } => facilitates_somewhere,
        Action::SeekOrOfferMentoring => actor.role == OrgRole::Member,
        Action::GiveKudos(c) => actor.role == OrgRole::Member && can(actor, Action::ViewCommunity(c)),
        Action::RunSurveys(c) | Action::ManageBudget(c) => c.is_facilitator(),
        Action::AnswerSurvey(c) => c.is_active_member(),
        Action::ViewOrganizationSide(c, is_sponsor) => is_sponsor || c.is_facilitator(),
        Action::RecordTimeAllocation(c, is_own) => (is_own && c.is_active_member()) || c.is_facilitator(),
        // Aggregates only: anyone who may see the community may see how it
        // is doing; guests (read-only accounts) too.
        Action::ViewHealth(c) => can(actor, Action::ViewCommunity(c)),
        Action::ViewDiagnosis(c, is_sponsor) | Action::ViewValueReport(c, is_sponsor) => {
            is_sponsor || c.is_facilitator()
        }
        Action::ManageAlerts(c) => c.is_facilitator() && c.is_active_member(),
        Action::RecordValueStory(c) => c.is_active_member() && actor.role == OrgRole::Member,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: PersonId = PersonId(1);

    fn access(visibility: Visibility, membership: Option<(MembershipRole, MembershipStatus)>) -> CommunityAccess {
        CommunityAccess { visibility, membership }
    }

    #[test]
    fn signed_out_visitors_can_do_nothing() {
        let open = access(Visibility::Open, None);
        assert!(!can(&Actor::anonymous(), Action::ViewCommunity(&open)));
        assert!(!can(&Actor::anonymous(), Action::ViewPeople));
    }

    #[test]
    fn private_communities_are_seen_only_by_members_and_invitees() {
        let member = Actor::person(ME, OrgRole::Member);
        let outsider = access(Visibility::Private, None);
        let requested = access(Visibility::Private, Some((MembershipRole::Member, MembershipStatus::Requested)));
        let invited = access(Visibility::Private, Some((MembershipRole::Member, MembershipStatus::Invited)));
        let inside = access(Visibility::Private, Some((MembershipRole::Member, MembershipStatus::Active)));
        assert!(!can(&member, Action::ViewCommunity(&outsider)));
        assert!(!can(&member, Action::ViewCommunity(&requested)));
        assert!(can(&member, Action::ViewCommunity(&invited)));
        assert!(can(&member, Action::ViewCommunity(&inside)));
        assert!(can(&Actor::person(ME, OrgRole::Admin), Action::ViewCommunity(&outsider)));
    }

    #[test]
    fn joining_follows_visibility() {
        let member = Actor::person(ME, OrgRole::Member);
        assert!(can(&member, Action::Join(&access(Visibility::Open, None))));
        assert!(!can(&member, Action::Join(&access(Visibility::RequestToJoin, None))));
        assert!(can(&member, Action::RequestToJoin(&access(Visibility::RequestToJoin, None))));
        assert!(!can(&member, Action::Join(&access(Visibility::Private, None))));
        let invited = access(Visibility::Private, Some((MembershipRole::Member, MembershipStatus::Invited)));
        assert!(can(&member, Action::Join(&invited)));
        let already = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Active)));
        assert!(!can(&member, Action::Join(&already)));
    }

    #[test]
    fn only_facilitators_and_admins_manage() {
        let member = Actor::person(ME, OrgRole::Member);
        let plain = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Active)));
        let facilitator = access(Visibility::Open, Some((MembershipRole::Facilitator, MembershipStatus::Active)));
        assert!(!can(&member, Action::EditCommunity(&plain)));
        assert!(can(&member, Action::EditCommunity(&facilitator)));
        assert!(can(&member, Action::ChangeStage(&facilitator)));
        assert!(can(&member, Action::ScheduleEvents(&facilitator)));
        assert!(!can(&member, Action::ScheduleEvents(&plain)));
        assert!(can(&member, Action::Rsvp(&plain)));
        assert!(!can(&member, Action::Rsvp(&access(Visibility::Open, None))));
        assert!(!can(&Actor::person(ME, OrgRole::Admin), Action::Rsvp(&access(Visibility::Open, None))));
        let admin = Actor::person(ME, OrgRole::Admin);
        assert!(can(&admin, Action::ManageMembers(&plain)));
        assert!(can(&admin, Action::Join(&access(Visibility::Private, None))), "admins need no invitation");
        assert!(!can(&admin, Action::RequestToJoin(&access(Visibility::Open, None))), "but state rules hold");
        assert!(!can(&admin, Action::Leave(&access(Visibility::Open, None))));
    }

    #[test]
    fn members_take_part_and_facilitators_moderate() {
        let member = Actor::person(ME, OrgRole::Member);
        let plain = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Active)));
        let requested = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Requested)));
        let outsider = access(Visibility::Open, None);
        let facilitator = access(Visibility::Open, Some((MembershipRole::Facilitator, MembershipStatus::Active)));
        assert!(can(&member, Action::Participate(&plain)));
        assert!(!can(&member, Action::Participate(&outsider)));
        assert!(!can(&member, Action::Participate(&requested)));
        assert!(can(&member, Action::EditContent(&plain, true)));
        assert!(!can(&member, Action::EditContent(&plain, false)));
        assert!(!can(&member, Action::EditContent(&outsider, true)), "former members no longer edit");
        assert!(can(&member, Action::EditContent(&facilitator, false)));
        assert!(!can(&member, Action::Moderate(&plain)));
        assert!(can(&member, Action::Moderate(&facilitator)));
        assert!(can(&member, Action::CurateArtifact(&plain, true)));
        assert!(!can(&member, Action::CurateArtifact(&plain, false)));
        let admin = Actor::person(ME, OrgRole::Admin);
        assert!(can(&admin, Action::Moderate(&outsider)));
        assert!(can(&admin, Action::Participate(&outsider)));
        assert!(!can(&Actor::anonymous(), Action::Participate(&plain)));
    }

    #[test]
    fn people_side_rules() {
        let member = Actor::person(ME, OrgRole::Member);
        let guest = Actor::person(ME, OrgRole::Guest);
        let admin = Actor::person(ME, OrgRole::Admin);
        let plain = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Active)));
        let outsider_open = access(Visibility::Open, None);
        let outsider_private = access(Visibility::Private, None);
        let facilitator = access(Visibility::Open, Some((MembershipRole::Facilitator, MembershipStatus::Active)));
        assert!(can(&member, Action::CoordinatePeople { facilitates_somewhere: true }));
        assert!(!can(&member, Action::CoordinatePeople { facilitates_somewhere: false }));
        assert!(can(&admin, Action::CoordinatePeople { facilitates_somewhere: false }));
        assert!(can(&member, Action::SeekOrOfferMentoring));
        assert!(!can(&guest, Action::SeekOrOfferMentoring));
        assert!(can(&member, Action::GiveKudos(&outsider_open)), "thanks need no membership");
        assert!(!can(&member, Action::GiveKudos(&outsider_private)));
        assert!(!can(&guest, Action::GiveKudos(&outsider_open)));
        assert!(can(&member, Action::RunSurveys(&facilitator)));
        assert!(!can(&member, Action::RunSurveys(&plain)));
        assert!(can(&member, Action::AnswerSurvey(&plain)));
        assert!(!can(&member, Action::AnswerSurvey(&outsider_open)));
        assert!(can(&member, Action::ViewOrganizationSide(&outsider_open, true)), "the sponsor");
        assert!(!can(&member, Action::ViewOrganizationSide(&plain, false)));
        assert!(can(&member, Action::ViewOrganizationSide(&facilitator, false)));
        assert!(can(&member, Action::RecordTimeAllocation(&plain, true)));
        assert!(!can(&member, Action::RecordTimeAllocation(&plain, false)));
        assert!(can(&member, Action::RecordTimeAllocation(&facilitator, false)));
        assert!(!can(&member, Action::ManageBudget(&plain)));
        assert!(can(&admin, Action::ManageBudget(&outsider_private)));
    }

    #[test]
    fn measurement_rules() {
        let member = Actor::person(ME, OrgRole::Member);
        let guest = Actor::person(ME, OrgRole::Guest);
        let admin = Actor::person(ME, OrgRole::Admin);
        let plain = access(Visibility::Open, Some((MembershipRole::Member, MembershipStatus::Active)));
        let outsider_open = access(Visibility::Open, None);
        let outsider_private = access(Visibility::Private, None);
        let facilitator = access(Visibility::Open, Some((MembershipRole::Facilitator, MembershipStatus::Active)));
        assert!(can(&member, Action::ViewHealth(&outsider_open)));
        assert!(can(&guest, Action::ViewHealth(&outsider_open)));
        assert!(!can(&member, Action::ViewHealth(&outsider_private)), "private health stays private");
        assert!(!can(&member, Action::ViewDiagnosis(&plain, false)), "evidence names people");
        assert!(can(&member, Action::ViewDiagnosis(&facilitator, false)));
        assert!(can(&member, Action::ViewDiagnosis(&outsider_open, true)), "the sponsor");
        assert!(can(&admin, Action::ViewDiagnosis(&outsider_private, false)));
        assert!(can(&member, Action::ManageAlerts(&facilitator)));
        assert!(!can(&member, Action::ManageAlerts(&plain)));
        assert!(!can(&member, Action::ManageAlerts(&outsider_open)));
        assert!(can(&member, Action::RecordValueStory(&plain)));
        assert!(!can(&member, Action::RecordValueStory(&outsider_open)));
        assert!(!can(&guest, Action::RecordValueStory(&plain)));
        assert!(can(&member, Action::ViewValueReport(&outsider_open, true)));
        assert!(!can(&member, Action::ViewValueReport(&plain, false)));
    }

    #[test]
    fn guests_look_but_do_not_create() {
        let guest = Actor::person(ME, OrgRole::Guest);
        assert!(can(&guest, Action::ViewCommunity(&access(Visibility::Open, None))));
        assert!(!can(&guest, Action::CreateCommunity));
        assert!(!can(&guest, Action::ViewPeople));
        assert!(can(&guest, Action::EditProfile(ME)));
        assert!(!can(&guest, Action::EditProfile(PersonId(2))));
    }
}
