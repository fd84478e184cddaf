//! Event use cases: schedule a series, list occurrences in a window (expanded
//! from the stored rule, with exceptions applied, in the reader's zone),
//! answer RSVPs with a waitlist, cancel one occurrence, and the reader's own
//! upcoming sessions and notifications.

use chrono::{DateTime, NaiveDateTime, Utc};
use copse_domain::recurrence::{
    OccurrenceTime, Recurrence, SeriesTiming, expand, local_to_utc, series_end, truncate_before,
};
use copse_domain::{
    Action, CommunityAccess, CommunityId, EventDraft, EventFormat, EventInput, EventKind, EventStatus, PersonId,
    RsvpAnswer, TimeZone, Timestamp, Visibility, can, local_key, parse_local_key,
};
use copse_store::{EventRecord, EventRow, ExceptionRow, RsvpChange, StoreError};

use crate::communities::{access_of, membership_of};
use crate::{App, AppError, Viewer};

/// At most this many occurrences are expanded for one listing.
const MAX_OCCURRENCES: usize = 2_000;

/// A series as pages and the API show it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub id: i64,
    pub community_id: CommunityId,
    pub community_slug: String,
    pub community_name: String,
    pub title: String,
    pub description: String,
    pub kind: EventKind,
    pub format: EventFormat,
    pub location: String,
    pub link: String,
    pub start_local: NaiveDateTime,
    pub zone: TimeZone,
    pub duration_minutes: u32,
    pub capacity: Option<u32>,
    pub recurrence: Option<Recurrence>,
    pub status: EventStatus,
}

/// One occurrence of a series, with its seats and the reader's answer.
#[derive(Debug, Clone)]
pub struct OccurrenceView {
    pub event: EventView,
    /// The occurrence's identity: its original local start (`YYYY-MM-DDTHH:MM`).
    pub key: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub cancelled: bool,
    pub moved: bool,
    pub going: i64,
    pub waitlisted: i64,
    /// The reader's answer and whether they are on the waitlist.
    pub mine: Option<(RsvpAnswer, bool)>,
}

/// Who answered what for one occurrence.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub person: PersonId,
    pub handle: String,
    pub name: String,
}

/// The page of one occurrence.
#[derive(Debug, Clone)]
pub struct OccurrencePage {
    pub occurrence: OccurrenceView,
    pub going: Vec<Attendee>,
    pub waitlist: Vec<Attendee>,
    pub maybe: Vec<Attendee>,
    pub can_manage: bool,
    pub can_rsvp: bool,
    /// Shown to those who manage the event, for members to check in with.
    pub checkin_code: Option<String>,
    pub past: bool,
    /// The session has started (check-in, feedback and notes open).
    pub started: bool,
    pub attended: Vec<Attendee>,
    pub checked_in: bool,
    /// Number of ratings and their mean, 1 to 5.
    pub feedback: Option<(usize, f64)>,
    /// Comments left with ratings, newest first.
    pub comments: Vec<String>,
    /// The viewer's own rating and comment.
    pub my_feedback: Option<(i64, String)>,
    pub notes: String,
    pub recording_url: String,
}

/// What the reader's RSVP did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RsvpResult {
    Going,
    Waitlisted,
    Maybe,
    NotGoing,
}

/// What answering for a whole series did: how many upcoming sessions got
/// the answer, and for "going", how many seated and how many waitlisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeriesRsvp {
    pub going: usize,
    pub waitlisted: usize,
    pub updated: usize,
}

/// How far ahead answering for a whole series reaches.
pub const SERIES_RSVP_DAYS: i64 = 180;

#[derive(Debug, Clone)]
pub struct NotificationView {
    pub message: String,
    pub link: String,
    pub created_at: Timestamp,
    pub unread: bool,
}

fn zone_of(row: &EventRow) -> TimeZone {
    TimeZone::parse(&row.time_zone).unwrap_or_else(|_| TimeZone::utc())
}

pub(crate) fn event_view(row: &EventRow, slug: &str, name: &str) -> EventView {
    EventView {
        id: row.id,
        community_id: CommunityId(row.community_id),
        community_slug: slug.to_string(),
        community_name: name.to_string(),
        title: row.title.clone(),
        description: row.description.clone(),
        kind: EventKind::parse(&row.kind).unwrap_or(EventKind::Other),
        format: EventFormat::parse(&row.format).unwrap_or(EventFormat::Remote),
        location: row.location.clone(),
        link: row.link.clone(),
        start_local: parse_local_key(&row.start_local).unwrap_or_default(),
        zone: zone_of(row),
        duration_minutes: row.duration_minutes.clamp(1, i64::from(u32::MAX)) as u32,
        capacity: row.capacity.map(|c| c.clamp(0, i64::from(u32::MAX)) as u32),
        recurrence: row.rrule.as_deref().and_then(|r| Recurrence::parse(r).ok()),
        status: EventStatus::parse(&row.status).unwrap_or(EventStatus::Scheduled),
    }
}

fn timing(view: &EventView, exceptions: &[&ExceptionRow]) -> SeriesTiming {
    SeriesTiming {
        start_local: view.start_local,
        zone: view.zone.0,
        duration_minutes: view.duration_minutes,
        recurrence: view.recurrence.clone(),
        excluded: exceptions.iter().filter_map(|x| parse_local_key(&x.original_start_local).ok()).collect(),
    }
}

/// The occurrences of one series in `[from, to)`, exceptions applied:
/// cancelled ones are kept and marked, moved ones appear at their new time.
fn occurrences_of(
    view: &EventView,
    exceptions: &[&ExceptionRow],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(String, OccurrenceTime, bool, bool)> {
    // Expand without the exceptions, then apply them, so a cancelled
    // occurrence can still be shown (struck through) in its slot.
    let plain = SeriesTiming { excluded: Vec::new(), ..timing(view, exceptions) };
    let mut out: Vec<(String, OccurrenceTime, bool, bool)> = Vec::new();
    for occurrence in expand(&plain, from, to, MAX_OCCURRENCES) {
        let key = local_key(occurrence.original_start_local);
        match exceptions.iter().find(|x| x.original_start_local == key) {
            Some(x) if x.cancelled != 0 => out.push((key, occurrence, true, false)),
            Some(_) => {} // moved: added below at its new time
            None => out.push((key, occurrence, false, false)),
        }
    }
    for x in exceptions.iter().filter(|x| x.cancelled == 0) {
        let (Some(start_local), Ok(original)) =
            (x.start_local.as_deref().and_then(|s| parse_local_key(s).ok()), parse_local_key(&x.original_start_local))
        else {
            continue;
        };
        let start = local_to_utc(view.zone.0, start_local);
        let minutes = x.duration_minutes.unwrap_or(i64::from(view.duration_minutes));
        let end = start + chrono::Duration::minutes(minutes);
        if start >= from && start < to {
            out.push((
                x.original_start_local.clone(),
                OccurrenceTime { original_start_local: original, start, end },
                false,
                true,
            ));
        }
    }
    out.sort_by_key(|(_, o, _, _)| o.start);
    out
}

impl App {
    async fn community_access(
        &self,
        viewer: &Viewer,
        community: CommunityId,
    ) -> Result<(CommunityAccess, String, String), AppError> {
        let row = self.store().get_community(community).await?;
        let membership = match viewer.person() {
            Some(person) => self.store().find_membership(community, person).await?,
            None => None,
        };
        let access = CommunityAccess {
            visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
            membership: membership.as_ref().and_then(|(r, s)| membership_of(Some(r), Some(s))),
        };
        Ok((access, row.slug, row.name))
    }

    /// Schedules a series in a community (facilitators and admins).
    pub async fn create_event(&self, viewer: &Viewer, slug: &str, input: &EventInput) -> Result<EventView, AppError> {
        let person = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let access = access_of(&row);
        let community = CommunityId(row.community.id);
        let (slug, name) = (row.community.slug, row.community.name);
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators schedule events"));
        }
        let draft = EventDraft::parse(input)?;
        let record = record_of(community, &draft, None);
        let code = crate::accounts::random_token(3).to_uppercase();
        let id = self.store().insert_event(&record, &code, Some(person)).await?;
        let stored = self.store().find_event(id).await?.ok_or(AppError::NotFound("event"))?;
        Ok(event_view(&stored, &slug, &name))
    }

    /// Occurrences of a community's events starting in `[from, to)`.
    pub async fn community_occurrences(
        &self,
        viewer: &Viewer,
        slug: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<OccurrenceView>, AppError> {
        let person = viewer.require_person()?;
        let row = self.visible_community(viewer, slug).await?;
        let community = CommunityId(row.community.id);
        let (slug, name) = (row.community.slug, row.community.name);
        let events = self.store().list_community_events(community, Timestamp::from(from), Timestamp::from(to)).await?;
        let exceptions = self.store().list_community_exceptions(community).await?;
        let counts = self.store().count_community_rsvps(community).await?;
        let mine = self.store().list_person_rsvps(person).await?;
        let mut out = Vec::new();
        for event in &events {
            let view = event_view(event, &slug, &name);
            let theirs: Vec<&ExceptionRow> = exceptions.iter().filter(|x| x.event_id == event.id).collect();
            for (key, time, cancelled, moved) in occurrences_of(&view, &theirs, from, to) {
                let count = counts.iter().find(|c| c.event_id == event.id && c.original_start_local == key);
                let my = mine.iter().find(|(e, k, _, _)| *e == event.id && *k == key);
                out.push(OccurrenceView {
                    event: view.clone(),
                    start: Timestamp::from(time.start),
                    end: Timestamp::from(time.end),
                    cancelled: cancelled || view.status == EventStatus::Cancelled,
                    moved,
                    going: count.map_or(0, |c| c.going),
                    waitlisted: count.map_or(0, |c| c.waitlisted),
                    mine: my.and_then(|(_, _, answer, w)| RsvpAnswer::parse(answer).ok().map(|a| (a, *w != 0))),
                    key,
                });
            }
        }
        out.sort_by_key(|o| o.start);
        Ok(out)
    }

    /// Loads one occurrence the viewer may see, or `NotFound`.
    async fn occurrence(
        &self,
        viewer: &Viewer,
        event_id: i64,
        key: &str,
    ) -> Result<(EventRow, CommunityAccess, OccurrenceView), AppError> {
        viewer.require_person()?;
        let event = self.store().find_event(event_id).await?.ok_or(AppError::NotFound("event"))?;
        let community = CommunityId(event.community_id);
        let (access, slug, name) = self.community_access(viewer, community).await?;
        if !can(&viewer.actor, Action::ViewCommunity(&access)) {
            return Err(AppError::NotFound("event"));
        }
        let original = parse_local_key(key).map_err(|_| AppError::NotFound("occurrence"))?;
        let view = event_view(&event, &slug, &name);
        let exceptions = self.store().list_event_exceptions(event_id).await?;
        let theirs: Vec<&ExceptionRow> = exceptions.iter().collect();
        // Look in a window around the original start: a moved occurrence may
        // have shifted by days.
        let around = local_to_utc(view.zone.0, original);
        let found =
            occurrences_of(&view, &theirs, around - chrono::Duration::days(400), around + chrono::Duration::days(400))
                .into_iter()
                .find(|(k, ..)| k == key)
                .ok_or(AppError::NotFound("occurrence"))?;
        let (key, time, cancelled, moved) = found;
        let rsvps = self.store().list_rsvps(event_id, &key).await?;
        let me = viewer.person().map(|p| p.0);
        let mine = rsvps
            .iter()
            .find(|r| Some(r.person_id) == me)
            .and_then(|r| RsvpAnswer::parse(&r.answer).ok().map(|a| (a, r.waitlisted != 0)));
        let going = rsvps.iter().filter(|r| r.answer == "going" && r.waitlisted == 0).count() as i64;
        let waitlisted = rsvps.iter().filter(|r| r.answer == "going" && r.waitlisted != 0).count() as i64;
        let occurrence = OccurrenceView {
            event: view.clone(),
            key,
            start: Timestamp::from(time.start),
            end: Timestamp::from(time.end),
            cancelled: cancelled || view.status == EventStatus::Cancelled,
            moved,
            going,
            waitlisted,
            mine,
        };
        Ok((event, access, occurrence))
    }

    /// The page of one occurrence: details, who is going, the waitlist.
    pub async fn occurrence_page(&self, viewer: &Viewer, event_id: i64, key: &str) -> Result<OccurrencePage, AppError> {
        let (event, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        let rsvps = self.store().list_rsvps(event_id, &occurrence.key).await?;
        let attendee = |r: &copse_store::RsvpRow| Attendee {
            person: PersonId(r.person_id),
            handle: r.handle.clone(),
            name: r.name.clone(),
        };
        let can_manage = can(&viewer.actor, Action::ScheduleEvents(&access));
        let attended_rows = self.store().list_attendance(event_id, &occurrence.key).await?;
        let feedback = self.store().list_feedback(event_id, &occurrence.key).await?;
        let details = self.store().find_occurrence_details(event_id, &occurrence.key).await?;
        let me = viewer.person().map(|p| p.0);
        let mean = (!feedback.is_empty())
            .then(|| (feedback.len(), feedback.iter().map(|f| f.rating as f64).sum::<f64>() / feedback.len() as f64));
        Ok(OccurrencePage {
            attended: attended_rows
                .iter()
                .map(|a| Attendee { person: PersonId(a.person_id), handle: a.handle.clone(), name: a.name.clone() })
                .collect(),
            checked_in: attended_rows.iter().any(|a| Some(a.person_id) == me),
            // Comments are shown without names: feedback is candid when it is not attributed.
            comments: feedback.iter().filter(|f| !f.comment.is_empty()).map(|f| f.comment.clone()).collect(),
            my_feedback: feedback.iter().find(|f| Some(f.person_id) == me).map(|f| (f.rating, f.comment.clone())),
            feedback: mean,
            notes: details.as_ref().map(|d| d.notes.clone()).unwrap_or_default(),
            recording_url: details.map(|d| d.recording_url).unwrap_or_default(),
            started: occurrence.start <= Timestamp::now(),
            going: rsvps.iter().filter(|r| r.answer == "going" && r.waitlisted == 0).map(attendee).collect(),
            waitlist: rsvps.iter().filter(|r| r.answer == "going" && r.waitlisted != 0).map(attendee).collect(),
            maybe: rsvps.iter().filter(|r| r.answer == "maybe").map(attendee).collect(),
            can_rsvp: can(&viewer.actor, Action::Rsvp(&access)),
            checkin_code: can_manage.then(|| event.checkin_code.clone()),
            can_manage,
            past: occurrence.end < Timestamp::now(),
            occurrence,
        })
    }

    /// Answers for one occurrence. Refused for cancelled or finished
    /// occurrences and for people who are not members.
    pub async fn rsvp(&self, viewer: &Viewer, event_id: i64, key: &str, answer: &str) -> Result<RsvpResult, AppError> {
        let person = viewer.require_person()?;
        let answer = RsvpAnswer::parse(answer).map_err(|m| AppError::invalid("answer", m))?;
        let (event, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("join the community to answer for its events"));
        }
        if occurrence.cancelled {
            return Err(AppError::Conflict { field: "answer", message: "this session is cancelled".into() });
        }
        if occurrence.end < Timestamp::now() {
            return Err(AppError::Conflict { field: "answer", message: "this session is over".into() });
        }
        let message = format!("A seat came free: you are now going to {}.", event.title);
        let link = format!("/events/{}/{}", event.id, occurrence.key);
        let outcome = self
            .store()
            .record_rsvp(&RsvpChange {
                event: event_id,
                occurrence: &occurrence.key,
                person,
                community: CommunityId(event.community_id),
                answer: answer.as_str(),
                promotion_message: &message,
                promotion_link: &link,
                at: Timestamp::now(),
            })
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound("event"),
                other => other.into(),
            })?;
        Ok(match (answer, outcome.waitlisted) {
            (RsvpAnswer::Going, true) => RsvpResult::Waitlisted,
            (RsvpAnswer::Going, false) => RsvpResult::Going,
            (RsvpAnswer::Maybe, _) => RsvpResult::Maybe,
            (RsvpAnswer::NotGoing, _) => RsvpResult::NotGoing,
        })
    }

    /// A facilitator marks someone as present.
    pub async fn check_in(&self, viewer: &Viewer, event_id: i64, key: &str, handle: &str) -> Result<(), AppError> {
        let (event, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators record attendance"));
        }
        attendance_window(&occurrence)?;
        let person =
            self.store()
                .find_person_by_handle(&handle.trim().trim_start_matches('@').to_lowercase())
                .await?
                .ok_or_else(|| AppError::invalid("handle", format!("nobody has the handle '{}'", handle.trim())))?;
        let community = CommunityId(event.community_id);
        let member = self.store().find_membership(community, PersonId(person.id)).await?;
        if !matches!(member.as_ref().map(|(_, s)| s.as_str()), Some("active")) {
            return Err(AppError::invalid("handle", "only members of the community can be checked in"));
        }
        self.store()
            .record_attendance(event_id, &occurrence.key, PersonId(person.id), community, "facilitator")
            .await?;
        Ok(())
    }

    /// A member checks themself in with the code the facilitator shows.
    pub async fn check_in_with_code(
        &self,
        viewer: &Viewer,
        event_id: i64,
        key: &str,
        code: &str,
    ) -> Result<(), AppError> {
        let person = viewer.require_person()?;
        let (event, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("join the community to check in"));
        }
        attendance_window(&occurrence)?;
        if !code.trim().eq_ignore_ascii_case(&event.checkin_code) {
            return Err(AppError::invalid("code", "that is not this session's check-in code"));
        }
        self.store()
            .record_attendance(event_id, &occurrence.key, person, CommunityId(event.community_id), "code")
            .await?;
        Ok(())
    }

    /// Rates a session that has started (1 to 5) with an optional comment.
    pub async fn give_feedback(
        &self,
        viewer: &Viewer,
        event_id: i64,
        key: &str,
        rating: &str,
        comment: &str,
    ) -> Result<(), AppError> {
        let person = viewer.require_person()?;
        let (_, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("join the community to give feedback"));
        }
        if occurrence.start > Timestamp::now() {
            return Err(AppError::Conflict {
                field: "rating",
                message: "feedback opens when the session starts".into(),
            });
        }
        if occurrence.cancelled {
            return Err(AppError::Conflict { field: "rating", message: "this session was cancelled".into() });
        }
        let mut errors = copse_domain::FieldErrors::new();
        let rating = errors.check(
            "rating",
            match rating.trim().parse::<i64>() {
                Ok(r) if (1..=5).contains(&r) => Ok(r),
                _ => Err("choose a rating from 1 to 5".to_string()),
            },
        );
        let comment = errors.check("comment", copse_domain::parse_text(comment, "A comment", 2000));
        errors.finish()?;
        self.store()
            .record_feedback(event_id, &occurrence.key, person, rating.unwrap_or(3), &comment.unwrap_or_default())
            .await?;
        Ok(())
    }

    /// Saves session notes and the recording link (facilitators).
    pub async fn save_session_notes(
        &self,
        viewer: &Viewer,
        event_id: i64,
        key: &str,
        notes: &str,
        recording_url: &str,
    ) -> Result<(), AppError> {
        let (_, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators keep session notes"));
        }
        let mut errors = copse_domain::FieldErrors::new();
        let notes = errors.check("notes", copse_domain::parse_text(notes, "Notes", 50_000));
        let recording = if recording_url.trim().is_empty() {
            Some(String::new())
        } else {
            errors.check("recording_url", copse_domain::HttpUrl::parse(recording_url).map(|u| u.as_str().to_string()))
        };
        errors.finish()?;
        self.store()
            .set_occurrence_notes(
                event_id,
                &occurrence.key,
                &notes.unwrap_or_default(),
                &recording.unwrap_or_default(),
                viewer.person(),
            )
            .await?;
        Ok(())
    }

    /// Cancels one occurrence without touching the others (facilitators).
    pub async fn cancel_occurrence(&self, viewer: &Viewer, event_id: i64, key: &str) -> Result<(), AppError> {
        let (_, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators cancel sessions"));
        }
        if occurrence.cancelled {
            return Err(AppError::Conflict { field: "", message: "this session is already cancelled".into() });
        }
        Ok(self.store().set_exception(event_id, &occurrence.key, true, None, viewer.person()).await?)
    }

    /// Loads a series the viewer may manage: not found if they may not see
    /// its community, forbidden if they may not schedule there.
    async fn managed_event(&self, viewer: &Viewer, event_id: i64) -> Result<(EventRow, EventView), AppError> {
        viewer.require_person()?;
        let event = self.store().find_event(event_id).await?.ok_or(AppError::NotFound("event"))?;
        let (access, slug, name) = self.community_access(viewer, CommunityId(event.community_id)).await?;
        if !can(&viewer.actor, Action::ViewCommunity(&access)) {
            return Err(AppError::NotFound("event"));
        }
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators edit events"));
        }
        let view = event_view(&event, &slug, &name);
        Ok((event, view))
    }

    /// A series and its form values, for the edit form (facilitators). With
    /// `from`, the form starts at that occurrence ("this and following").
    pub async fn event_for_edit(
        &self,
        viewer: &Viewer,
        event_id: i64,
        from: Option<&str>,
    ) -> Result<(EventView, EventInput), AppError> {
        let (_, view) = self.managed_event(viewer, event_id).await?;
        let start = match from {
            Some(key) => {
                let (_, _, occurrence) = self.occurrence(viewer, event_id, key).await?;
                parse_local_key(&occurrence.key).map_err(|_| AppError::NotFound("occurrence"))?
            }
            None => view.start_local,
        };
        let input = EventInput {
            title: view.title.clone(),
            description: view.description.clone(),
            kind: view.kind.as_str().to_string(),
            format: view.format.as_str().to_string(),
            location: view.location.clone(),
            link: view.link.clone(),
            date: start.format("%Y-%m-%d").to_string(),
            time: start.format("%H:%M").to_string(),
            duration_minutes: view.duration_minutes.to_string(),
            time_zone: view.zone.name().to_string(),
            capacity: view.capacity.map(|c| c.to_string()).unwrap_or_default(),
            recurrence: view.recurrence.as_ref().map(|r| r.as_str().to_string()).unwrap_or_default(),
        };
        Ok((view, input))
    }

    /// Replaces a series' definition (facilitators). A capacity below the
    /// number already going to an upcoming session is refused and nothing
    /// changes.
    pub async fn update_event(
        &self,
        viewer: &Viewer,
        event_id: i64,
        input: &EventInput,
    ) -> Result<EventView, AppError> {
        let (event, view) = self.managed_event(viewer, event_id).await?;
        let draft = EventDraft::parse(input)?;
        let record = record_of(CommunityId(event.community_id), &draft, event.facilitator_id.map(PersonId));
        self.store_update(event_id, &record, viewer).await?;
        let stored = self.store().find_event(event_id).await?.ok_or(AppError::NotFound("event"))?;
        Ok(event_view(&stored, &view.community_slug, &view.community_name))
    }

    async fn store_update(&self, event_id: i64, record: &EventRecord, viewer: &Viewer) -> Result<(), AppError> {
        match self.store().update_event(event_id, record, viewer.person()).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict(what)) if what == "events.capacity" => {
                let going = self.store().most_going_from(event_id, &record.start_local).await?;
                Err(AppError::Conflict {
                    field: "capacity",
                    message: format!(
                        "{} already going to an upcoming session; the capacity cannot be lower",
                        if going == 1 { "1 person is".to_string() } else { format!("{going} people are") }
                    ),
                })
            }
            Err(StoreError::NotFound) => Err(AppError::NotFound("event")),
            Err(other) => Err(other.into()),
        }
    }

    /// "Edit this and following": ends the series just before the occurrence
    /// `from_key` and stores the form as a new series starting there. When
    /// `from_key` is the series' first occurrence (or the series does not
    /// repeat), the whole series is edited instead. Returns the series that
    /// now holds `from_key`'s slot onward.
    pub async fn split_event(
        &self,
        viewer: &Viewer,
        event_id: i64,
        from_key: &str,
        input: &EventInput,
    ) -> Result<EventView, AppError> {
        let (event, view) = self.managed_event(viewer, event_id).await?;
        let (_, _, occurrence) = self.occurrence(viewer, event_id, from_key).await?;
        let at = parse_local_key(&occurrence.key).map_err(|_| AppError::NotFound("occurrence"))?;
        let draft = EventDraft::parse(input)?;
        let old_timing = timing(&view, &[]);
        let Some(rule) = truncate_before(&old_timing, at) else {
            return self.update_event(viewer, event_id, input).await;
        };
        let community = CommunityId(event.community_id);
        let truncated = SeriesTiming { recurrence: Some(rule.clone()), ..old_timing };
        let old = EventRecord {
            community,
            title: event.title.clone(),
            description: event.description.clone(),
            kind: event.kind.clone(),
            format: event.format.clone(),
            location: event.location.clone(),
            link: event.link.clone(),
            start_local: event.start_local.clone(),
            time_zone: event.time_zone.clone(),
            duration_minutes: event.duration_minutes,
            rrule: Some(rule.as_str().to_string()),
            starts_at: Timestamp(event.starts_at),
            ends_at: series_end(&truncated).map(Timestamp::from),
            capacity: event.capacity,
            facilitator: event.facilitator_id.map(PersonId),
        };
        self.store_update(event_id, &old, viewer).await?;
        let record = record_of(community, &draft, event.facilitator_id.map(PersonId));
        let code = crate::accounts::random_token(3).to_uppercase();
        let id = self.store().insert_event(&record, &code, viewer.person()).await?;
        let stored = self.store().find_event(id).await?.ok_or(AppError::NotFound("event"))?;
        Ok(event_view(&stored, &view.community_slug, &view.community_name))
    }

    /// Moves one occurrence to another local date and time (and optionally
    /// length) in the series' zone, keeping its identity and its answers.
    pub async fn move_occurrence(
        &self,
        viewer: &Viewer,
        event_id: i64,
        key: &str,
        date: &str,
        time: &str,
        duration_minutes: &str,
    ) -> Result<OccurrenceView, AppError> {
        let (_, access, occurrence) = self.occurrence(viewer, event_id, key).await?;
        if !can(&viewer.actor, Action::ScheduleEvents(&access)) {
            return Err(AppError::Forbidden("only facilitators move sessions"));
        }
        let mut errors = copse_domain::FieldErrors::new();
        let date = errors.check(
            "date",
            chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| format!("'{}' is not a date like 2026-03-05", date.trim())),
        );
        let time = errors.check(
            "time",
            chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M")
                .map_err(|_| format!("'{}' is not a time like 18:00", time.trim())),
        );
        let minutes = if duration_minutes.trim().is_empty() {
            Some(occurrence.event.duration_minutes)
        } else {
            errors.check(
                "duration_minutes",
                match duration_minutes.trim().parse::<u32>() {
                    Ok(d) if (1..=copse_domain::MAX_DURATION_MINUTES).contains(&d) => Ok(d),
                    _ => Err(format!(
                        "the length is a number of minutes from 1 to {}",
                        copse_domain::MAX_DURATION_MINUTES
                    )),
                },
            )
        };
        let original = parse_local_key(&occurrence.key).map_err(|_| AppError::NotFound("occurrence"))?;
        if let (Some(d), Some(t)) = (date, time)
            && (d.and_time(t) - original).num_days().abs() > 365
        {
            errors.add("date", "a session can move at most a year from its original date");
        }
        errors.finish()?;
        let (Some(date), Some(time), Some(minutes)) = (date, time, minutes) else {
            return Err(AppError::invalid("date", "incomplete form"));
        };
        if occurrence.cancelled {
            return Err(AppError::Conflict { field: "", message: "this session is cancelled".into() });
        }
        let to = local_key(date.and_time(time));
        self.store()
            .set_exception(event_id, &occurrence.key, false, Some((&to, i64::from(minutes))), viewer.person())
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::NotFound("event"),
                other => other.into(),
            })?;
        let (_, _, moved) = self.occurrence(viewer, event_id, &occurrence.key).await?;
        Ok(moved)
    }

    /// Answers for every upcoming, not cancelled occurrence of a series in
    /// the next [`SERIES_RSVP_DAYS`] days, each through the same per-session
    /// rules (capacity and waitlist).
    pub async fn rsvp_series(&self, viewer: &Viewer, event_id: i64, answer: &str) -> Result<SeriesRsvp, AppError> {
        let person = viewer.require_person()?;
        let answer = RsvpAnswer::parse(answer).map_err(|m| AppError::invalid("answer", m))?;
        let event = self.store().find_event(event_id).await?.ok_or(AppError::NotFound("event"))?;
        let community = CommunityId(event.community_id);
        let (access, slug, name) = self.community_access(viewer, community).await?;
        if !can(&viewer.actor, Action::ViewCommunity(&access)) {
            return Err(AppError::NotFound("event"));
        }
        if !can(&viewer.actor, Action::Rsvp(&access)) {
            return Err(AppError::Forbidden("join the community to answer for its events"));
        }
        let view = event_view(&event, &slug, &name);
        if view.status == EventStatus::Cancelled {
            return Err(AppError::Conflict { field: "answer", message: "this series is cancelled".into() });
        }
        let exceptions = self.store().list_event_exceptions(event_id).await?;
        let theirs: Vec<&ExceptionRow> = exceptions.iter().collect();
        let now = Utc::now();
        let mut result = SeriesRsvp::default();
        let message = format!("A seat came free: you are now going to {}.", event.title);
        for (key, _, cancelled, _) in
            occurrences_of(&view, &theirs, now, now + chrono::Duration::days(SERIES_RSVP_DAYS))
        {
            if cancelled {
                continue;
            }
            let link = format!("/events/{}/{}", event.id, key);
            let outcome = self
                .store()
                .record_rsvp(&RsvpChange {
                    event: event_id,
                    occurrence: &key,
                    person,
                    community,
                    answer: answer.as_str(),
                    promotion_message: &message,
                    promotion_link: &link,
                    at: Timestamp::now(),
                })
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => AppError::NotFound("event"),
                    other => other.into(),
                })?;
            result.updated += 1;
            if answer == RsvpAnswer::Going {
                if outcome.waitlisted {
                    result.waitlisted += 1;
                } else {
                    result.going += 1;
                }
            }
        }
        Ok(result)
    }

    /// The viewer's upcoming sessions across their communities.
    pub async fn my_upcoming(&self, viewer: &Viewer, days: i64, limit: usize) -> Result<Vec<OccurrenceView>, AppError> {
        let person = viewer.require_person()?;
        let from = Utc::now();
        let to = from + chrono::Duration::days(days);
        let events = self.store().list_member_events(person, Timestamp::from(from), Timestamp::from(to)).await?;
        let exceptions = self.store().list_member_exceptions(person).await?;
        let mine = self.store().list_person_rsvps(person).await?;
        // One query for the names of every community the events come from.
        let communities = self.store().list_feed_communities(person).await?;
        let mut out = Vec::new();
        for event in &events {
            let Some(community) = communities.iter().find(|c| c.id == event.community_id) else {
                continue;
            };
            let view = event_view(event, &community.slug, &community.name);
            let theirs: Vec<&ExceptionRow> = exceptions.iter().filter(|x| x.event_id == event.id).collect();
            for (key, time, cancelled, moved) in occurrences_of(&view, &theirs, from, to) {
                let my = mine.iter().find(|(e, k, _, _)| *e == event.id && *k == key);
                out.push(OccurrenceView {
                    event: view.clone(),
                    start: Timestamp::from(time.start),
                    end: Timestamp::from(time.end),
                    cancelled,
                    moved,
                    going: 0,
                    waitlisted: 0,
                    mine: my.and_then(|(_, _, answer, w)| RsvpAnswer::parse(answer).ok().map(|a| (a, *w != 0))),
                    key,
                });
            }
        }
        out.sort_by_key(|o| o.start);
        out.truncate(limit);
        Ok(out)
    }

    /// The viewer's latest notifications; reading them marks them read.
    pub async fn notifications(&self, viewer: &Viewer, mark_read: bool) -> Result<Vec<NotificationView>, AppError> {
        let person = viewer.require_person()?;
        let rows = self.store().list_notifications(person, 20).await?;
        if mark_read && rows.iter().any(|n| n.read_at.is_none()) {
            self.store().mark_notifications_read(person).await?;
        }
        Ok(rows
            .into_iter()
            .map(|n| NotificationView {
                message: n.message,
                link: n.link,
                created_at: Timestamp(n.created_at),
                unread: n.read_at.is_none(),
            })
            .collect())
    }
}

/// Check-in is open from 30 minutes before a session until 2 hours after it.
fn attendance_window(occurrence: &OccurrenceView) -> Result<(), AppError> {
    let now = Timestamp::now();
    if occurrence.cancelled {
        return Err(AppError::Conflict { field: "", message: "this session was cancelled".into() });
    }
    if now < Timestamp(occurrence.start.0 - 30 * 60_000) {
        return Err(AppError::Conflict { field: "", message: "check-in opens 30 minutes before the session".into() });
    }
    if now > Timestamp(occurrence.end.0 + 2 * 3_600_000) {
        return Err(AppError::Conflict { field: "", message: "check-in closed 2 hours after the session".into() });
    }
    Ok(())
}

/// The storage form of a validated series, with its UTC bounds.
pub(crate) fn record_of(community: CommunityId, draft: &EventDraft, facilitator: Option<PersonId>) -> EventRecord {
    let timing = SeriesTiming {
        start_local: draft.start_local,
        zone: draft.zone.0,
        duration_minutes: draft.duration_minutes,
        recurrence: draft.recurrence.clone(),
        excluded: Vec::new(),
    };
    EventRecord {
        community,
        title: draft.title.clone(),
        description: draft.description.clone(),
        kind: draft.kind.as_str().to_string(),
        format: draft.format.as_str().to_string(),
        location: draft.location.clone(),
        link: draft.link.as_ref().map(|l| l.as_str().to_string()).unwrap_or_default(),
        start_local: local_key(draft.start_local),
        time_zone: draft.zone.name().to_string(),
        duration_minutes: i64::from(draft.duration_minutes),
        rrule: draft.recurrence.as_ref().map(|r| r.as_str().to_string()),
        starts_at: Timestamp::from(local_to_utc(draft.zone.0, draft.start_local)),
        ends_at: match &draft.recurrence {
            None => Some(Timestamp::from(
                local_to_utc(draft.zone.0, draft.start_local)
                    + chrono::Duration::minutes(i64::from(draft.duration_minutes)),
            )),
            Some(_) => series_end(&timing).map(Timestamp::from),
        },
        capacity: draft.capacity.map(i64::from),
        facilitator,
    }
}
