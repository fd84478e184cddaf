//! Events: the synchronous side of a community (meetups, workshops, code
//! review sessions, ...), their format, status and RSVP answers, and the
//! validated form of a new or edited series.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::FieldErrors;
use crate::recurrence::Recurrence;
use crate::values::{HttpUrl, TimeZone, parse_name, parse_text};
use crate::word_enum;

word_enum!(
    /// What kind of session it is (the tutorial's "Design Engagement Opportunities").
    EventKind {
        Meetup = "meetup" / "Meetup",
        Workshop = "workshop" / "Workshop",
        CodeReview = "code-review" / "Code review session",
        Tutorial = "tutorial" / "Tutorial",
        Troubleshooting = "troubleshooting" / "Troubleshooting session",
        Talk = "talk" / "Talk",
        Other = "other" / "Other",
    }
);

word_enum!(
    /// Where people take part.
    EventFormat {
        InPerson = "in-person" / "In person",
        Remote = "remote" / "Remote",
        Hybrid = "hybrid" / "Hybrid",
    }
);

word_enum!(
    /// Whether a series (or one occurrence) takes place.
    EventStatus {
        Scheduled = "scheduled" / "Scheduled",
        Cancelled = "cancelled" / "Cancelled",
    }
);

word_enum!(
    /// A person's answer for one occurrence.
    RsvpAnswer {
        Going = "going" / "Going",
        Maybe = "maybe" / "Maybe",
        NotGoing = "not-going" / "Not going",
    }
);

/// The longest session copse accepts (a full-day workshop is 480).
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;
/// The largest capacity copse accepts.
pub const MAX_CAPACITY: u32 = 100_000;

/// The event form as typed.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub format: String,
    pub location: String,
    pub link: String,
    /// "2026-03-05"
    pub date: String,
    /// "18:00"
    pub time: String,
    pub duration_minutes: String,
    pub time_zone: String,
    /// Empty for no limit.
    pub capacity: String,
    /// An RFC 5545 RRULE such as "FREQ=WEEKLY;BYDAY=TH"; empty for a one-off.
    pub recurrence: String,
}

/// A validated event series.
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    pub kind: EventKind,
    pub format: EventFormat,
    pub location: String,
    pub link: Option<HttpUrl>,
    /// Wall-clock start in `zone`.
    pub start_local: NaiveDateTime,
    pub zone: TimeZone,
    pub duration_minutes: u32,
    pub capacity: Option<u32>,
    pub recurrence: Option<Recurrence>,
}

/// The storage form of a local start: `YYYY-MM-DDTHH:MM`.
pub fn local_key(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M").to_string()
}

/// Parses [`local_key`]'s format back.
pub fn parse_local_key(text: &str) -> Result<NaiveDateTime, String> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| format!("'{}' is not a local date and time like 2026-03-05T18:00", text.trim()))
}

impl EventDraft {
    /// Parses every field and reports every problem at once.
    pub fn parse(input: &EventInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_name(&input.title, "Title", 120));
        let description = errors.check("description", parse_text(&input.description, "Description", 20_000));
        let kind = errors.check("kind", EventKind::parse(&input.kind));
        let format = errors.check("format", EventFormat::parse(&input.format));
        let location = errors.check("location", parse_text(&input.location, "Location", 200));
        let link = if input.link.trim().is_empty() { None } else { errors.check("link", HttpUrl::parse(&input.link)) };
        let date = errors.check(
            "date",
            NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d")
                .map_err(|_| format!("'{}' is not a date like 2026-03-05", input.date.trim())),
        );
        let time = errors.check(
            "time",
            NaiveTime::parse_from_str(input.time.trim(), "%H:%M")
                .map_err(|_| format!("'{}' is not a time like 18:00", input.time.trim())),
        );
        let duration = errors.check(
            "duration_minutes",
            match input.duration_minutes.trim().parse::<u32>() {
                Ok(0) => Err("a session lasts at least a minute".to_string()),
                Ok(d) if d > MAX_DURATION_MINUTES => {
                    Err(format!("a session lasts at most {MAX_DURATION_MINUTES} minutes"))
                }
                Ok(d) => Ok(d),
                Err(_) => Err("the duration is a number of minutes".to_string()),
            },
        );
        let zone = errors.check("time_zone", TimeZone::parse(&input.time_zone));
        let capacity = if input.capacity.trim().is_empty() {
            None
        } else {
            errors.check(
                "capacity",
                match input.capacity.trim().parse::<u32>() {
                    Ok(0) => Err("a capacity is at least 1 (leave it empty for no limit)".to_string()),
                    Ok(c) if c > MAX_CAPACITY => Err(format!("a capacity is at most {MAX_CAPACITY}")),
                    Ok(c) => Ok(c),
                    Err(_) => Err("the capacity is a whole number".to_string()),
                },
            )
        };
        let recurrence = if input.recurrence.trim().is_empty() {
            None
        } else {
            errors.check("recurrence", Recurrence::parse(&input.recurrence))
        };
        if let (Some(format), Some(location)) = (format, location.as_ref())
            && format != EventFormat::Remote
            && location.is_empty()
        {
            errors.add("location", "an in-person or hybrid session needs a location");
        }
        if format.is_some_and(|f| f != EventFormat::InPerson) && input.link.trim().is_empty() {
            errors.add("link", "a remote or hybrid session needs a link to join");
        }
        let start_local = date.zip(time).map(|(d, t)| d.and_time(t));
        if let (Some(rule), Some(start), Some(zone)) = (recurrence.as_ref(), start_local, zone)
            && let Err(message) = rule.check_against_start(start, zone.0)
        {
            errors.add("recurrence", message);
        }
        errors.finish()?;
        let missing = || FieldErrors::single("title", "incomplete form");
        Ok(Self {
            title: title.ok_or_else(missing)?,
            description: description.unwrap_or_default(),
            kind: kind.ok_or_else(missing)?,
            format: format.ok_or_else(missing)?,
            location: location.unwrap_or_default(),
            link,
            start_local: start_local.ok_or_else(missing)?,
            zone: zone.ok_or_else(missing)?,
            duration_minutes: duration.ok_or_else(missing)?,
            capacity,
            recurrence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: "Rust meetup".into(),
            kind: "meetup".into(),
            format: "remote".into(),
            link: "https://meet.example.com/rust".into(),
            date: "2026-03-05".into(),
            time: "18:00".into(),
            duration_minutes: "60".into(),
            time_zone: "Europe/Berlin".into(),
            recurrence: "FREQ=WEEKLY;BYDAY=TH;INTERVAL=2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_series_parses() {
        let draft = EventDraft::parse(&input()).unwrap();
        assert_eq!(local_key(draft.start_local), "2026-03-05T18:00");
        assert_eq!(draft.zone.name(), "Europe/Berlin");
        assert!(draft.recurrence.is_some());
        assert_eq!(draft.capacity, None);
        assert_eq!(parse_local_key("2026-03-05T18:00").unwrap(), draft.start_local);
    }

    #[test]
    fn bad_fields_are_all_named() {
        let mut bad = input();
        bad.title = String::new();
        bad.time_zone = "Moon/Base".into();
        bad.duration_minutes = "0".into();
        bad.capacity = "-3".into();
        bad.recurrence = "FREQ=SECONDLY".into();
        bad.format = "in-person".into();
        bad.date = "5 March".into();
        let errors = EventDraft::parse(&bad).unwrap_err();
        for field in ["title", "time_zone", "duration_minutes", "capacity", "recurrence", "location", "date"] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors}");
        }
    }

    #[test]
    fn a_remote_session_needs_a_link() {
        let mut bad = input();
        bad.link = String::new();
        assert!(EventDraft::parse(&bad).unwrap_err().get("link").is_some());
    }
}
