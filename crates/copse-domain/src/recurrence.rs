//! Repeating events: RFC 5545 recurrence rules and their expansion.
//!
//! An event is stored once, as a *series*: a local start (wall-clock time) in
//! the organizer's IANA zone, a duration, an optional rule such as
//! `FREQ=WEEKLY;BYDAY=TH` and the original starts of occurrences that were
//! cancelled or moved. Occurrences are expanded on demand by [`expand`].
//!
//! The rule is applied to wall-clock time in the organizer's zone, so a
//! meeting at 18:00 in Berlin stays at 18:00 in Berlin across daylight-saving
//! changes (its UTC instant moves by an hour). Each local start is then turned
//! into an instant as RFC 5545 (section 3.3.5) says, see [`local_to_utc`]:
//!
//! - a local time that does not exist (the spring-forward gap, e.g. 02:30 on
//!   the night clocks jump from 02:00 to 03:00) is read with the offset in
//!   force *before* the gap, so it moves forward by the length of the gap
//!   (02:30 becomes 03:30);
//! - a local time that happens twice (the fall-back hour) means the *earlier*
//!   instant, the one still in daylight-saving time.
//!
//! The time of day always comes from the series' start: rules that repeat
//! more than daily (`FREQ=HOURLY`, `BYHOUR`, ...) are refused. A start must be
//! one of the rule's own occurrences ([`Recurrence::check_against_start`]),
//! because RFC 5545 leaves the other case undefined and calendar programs
//! disagree about it.
//!
//! The rule engine is the `rrule` crate, run on "floating" wall-clock times;
//! this module owns the parsing of `UNTIL` (the crate would read a `UNTIL`
//! without `Z` in the server's own time zone), the zone arithmetic and the
//! limits.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Month, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
    Utc, Weekday,
};
use rrule::{Frequency, NWeekday, ParseError, RRule, RRuleSet, RRuleSetIter, Unvalidated, ValidationError};

/// The most occurrences a rule may ask for with `COUNT`.
pub const MAX_COUNT: u32 = 1000;

/// The largest `INTERVAL` a rule may have.
pub const MAX_INTERVAL: u16 = 366;

/// The rule parts a [`Recurrence`] accepts, in the order its text lists them.
const PART_ORDER: [&str; 11] = [
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "WKST",
    "BYSETPOS",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
];

/// A validated RFC 5545 recurrence rule (the value of an `RRULE` property),
/// such as `FREQ=WEEKLY;BYDAY=TH;INTERVAL=2`.
///
/// Its text is normalized: upper case, parts in a fixed order
/// (`FREQ;UNTIL;COUNT;INTERVAL;WKST;BYSETPOS;BYMONTH;BYWEEKNO;BYYEARDAY;BYMONTHDAY;BYDAY`),
/// defaults (`INTERVAL=1`, `WKST=MO`) left out, no `RRULE:` prefix. Two
/// recurrences are equal when their texts are. The parsed rule is kept beside
/// the text, so expanding never parses again.
#[derive(Clone)]
pub struct Recurrence {
    text: String,
    /// The parts as (name, normalized value), in `PART_ORDER`.
    parts: Vec<(&'static str, String)>,
    /// The parsed rule without its `UNTIL`, which is kept in `until`.
    rule: RRule<Unvalidated>,
    until: Option<Until>,
}

/// When a rule stops, in the three forms RFC 5545 text can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Until {
    /// `UNTIL=20270331T215959Z`: occurrences starting at or before this instant.
    Instant(DateTime<Utc>),
    /// `UNTIL=20270331T235959`: occurrences whose local start is at or before this wall-clock time.
    Local(NaiveDateTime),
    /// `UNTIL=20270331`: occurrences whose local start falls on or before this day.
    Date(NaiveDate),
}

impl Recurrence {
    /// Parses and validates a rule such as `FREQ=WEEKLY;BYDAY=TH;INTERVAL=2`
    /// (an `RRULE:` prefix is accepted, letter case and spaces are not significant).
    ///
    /// Refuses, with a message fit to show beside a form field: text that is
    /// not a rule (the message names the part at fault), repeating more than
    /// daily (`FREQ=SECONDLY/MINUTELY/HOURLY`, `BYHOUR`, `BYMINUTE`,
    /// `BYSECOND`), `COUNT` outside 1..=1000, `INTERVAL` outside 1..=366,
    /// both `COUNT` and `UNTIL`, an embedded `DTSTART` or `TZID`, and
    /// numbered days such as `1TU` outside monthly and yearly rules.
    ///
    /// `UNTIL` may be a UTC time (`20270331T215959Z`, the form RFC 5545 asks
    /// for), a wall-clock time in the series' zone (`20270331T235959`) or a
    /// day (`20270331`, which includes that whole day).
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let body = match trimmed.get(..6) {
            Some(prefix) if prefix.eq_ignore_ascii_case("RRULE:") => trimmed[6..].trim(),
            _ => trimmed,
        };
        if body.is_empty() {
            return Err("Enter a repeat rule, such as FREQ=WEEKLY;BYDAY=TH.".into());
        }
        let upper = body.to_ascii_uppercase();
        if upper.contains("DTSTART") || upper.contains("TZID") {
            return Err("Give the start and the time zone in their own fields, not inside the repeat rule \
                        (remove DTSTART and TZID)."
                .into());
        }
        if upper.contains([':', '\n', '\r']) {
            return Err("Give only the repeat rule itself, such as FREQ=WEEKLY;BYDAY=TH.".into());
        }
        let mut found: Vec<(&'static str, String)> = Vec::new();
        for raw in upper.split(';') {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let Some((name, value)) = raw.split_once('=') else {
                return Err(format!("\"{raw}\" should be NAME=VALUE, such as FREQ=WEEKLY."));
            };
            let name = name.trim();
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            let Some(known) = PART_ORDER.iter().copied().find(|known| *known == name) else {
                return Err(match name {
                    "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                        format!("{name} cannot be used: the time of day comes from the event's start.")
                    }
                    "BYWEEKDAY" => "Write BYDAY instead of BYWEEKDAY.".into(),
                    _ => format!("{name} is not a part of a repeat rule."),
                });
            };
            if found.iter().any(|(seen, _)| *seen == known) {
                return Err(format!("{known} is given twice."));
            }
            if value.is_empty() {
                return Err(format!("{known} has no value."));
            }
            found.push((known, value));
        }
        Self::from_parts(found)
    }

    /// Validates parts (upper case, any order) and builds the recurrence.
    fn from_parts(mut parts: Vec<(&'static str, String)>) -> Result<Self, String> {
        parts.sort_by_key(|(name, _)| PART_ORDER.iter().position(|known| known == name));
        let get = |name: &str| parts.iter().find(|(part, _)| *part == name).map(|(_, value)| value.as_str());

        match get("FREQ") {
            None => return Err("Say how often the event repeats, such as FREQ=WEEKLY.".into()),
            Some("DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY") => {}
            Some("HOURLY" | "MINUTELY" | "SECONDLY") => return Err("Events repeat at most daily.".into()),
            Some(other) => return Err(format!("{other} is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.")),
        }
        if let Some(count) = get("COUNT") {
            match count.parse::<u64>() {
                Err(_) => return Err("COUNT must be a whole number, such as COUNT=10.".into()),
                Ok(0) => return Err("COUNT must be at least 1.".into()),
                Ok(n) if n > u64::from(MAX_COUNT) => {
                    return Err(format!("An event can repeat at most {MAX_COUNT} times (COUNT={MAX_COUNT})."));
                }
                Ok(_) => {}
            }
        }
        if let Some(interval) = get("INTERVAL") {
            match interval.parse::<u64>() {
                Err(_) => return Err("INTERVAL must be a whole number, such as INTERVAL=2.".into()),
                Ok(0) => return Err("INTERVAL must be at least 1.".into()),
                Ok(n) if n > u64::from(MAX_INTERVAL) => {
                    return Err(format!("INTERVAL can be at most {MAX_INTERVAL}."));
                }
                Ok(_) => {}
            }
        }
        if get("COUNT").is_some() && get("UNTIL").is_some() {
            return Err("Give either COUNT or UNTIL, not both.".into());
        }
        let until = get("UNTIL").map(parse_until).transpose()?;

        // The rule crate reads everything but UNTIL (which it would read in
        // the server's own zone when it has no Z).
        let without_until: Vec<String> =
            parts.iter().filter(|(name, _)| *name != "UNTIL").map(|(name, value)| format!("{name}={value}")).collect();
        let rule = RRule::<Unvalidated>::from_str(&without_until.join(";")).map_err(|error| match error {
            rrule::RRuleError::ParserError(error) => parse_error_message(&error),
            other => format!("This repeat rule cannot be read: {other}"),
        })?;

        let numbered_days = rule.get_by_weekday().iter().any(|day| matches!(day, NWeekday::Nth(..)));
        if numbered_days && !matches!(rule.get_freq(), Frequency::Monthly | Frequency::Yearly) {
            return Err("Numbered days such as 1TU (the first Tuesday) need FREQ=MONTHLY or FREQ=YEARLY.".into());
        }
        if !rule.get_by_set_pos().is_empty()
            && rule.get_by_weekday().is_empty()
            && rule.get_by_month_day().is_empty()
            && rule.get_by_year_day().is_empty()
            && rule.get_by_week_no().is_empty()
            && rule.get_by_month().is_empty()
        {
            return Err("BYSETPOS picks among the days another part gives, such as BYDAY=MO,TU,WE,TH,FR.".into());
        }
        // Range checks that do not depend on the start; any start will do.
        let probe = floating(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default().and_time(NaiveTime::MIN));
        rule.clone().validate(probe).map_err(|error| match error {
            rrule::RRuleError::ValidationError(error) => validation_error_message(&error),
            rrule::RRuleError::ParserError(error) => parse_error_message(&error),
            other => format!("This repeat rule cannot be used: {other}"),
        })?;

        // Normalized values: lists as the rule crate read them (sorted, without repeats).
        let mut normalized: Vec<(&'static str, String)> = Vec::with_capacity(parts.len());
        for (name, value) in &parts {
            let value = match *name {
                "UNTIL" => until.map(format_until).unwrap_or_default(),
                "INTERVAL" if rule.get_interval() == 1 => continue,
                "INTERVAL" => rule.get_interval().to_string(),
                "COUNT" => rule.get_count().map(|count| count.to_string()).unwrap_or_default(),
                "WKST" if rule.get_week_start() == Weekday::Mon => continue,
                "WKST" => weekday_code(rule.get_week_start()).into(),
                "BYSETPOS" => join(rule.get_by_set_pos()),
                "BYMONTH" => join(rule.get_by_month()),
                "BYWEEKNO" => join(rule.get_by_week_no()),
                "BYYEARDAY" => join(rule.get_by_year_day()),
                "BYMONTHDAY" => join(rule.get_by_month_day()),
                "BYDAY" => {
                    let mut days: Vec<String> = Vec::new();
                    for day in rule.get_by_weekday() {
                        let code = match day {
                            NWeekday::Every(weekday) => weekday_code(*weekday).to_string(),
                            NWeekday::Nth(n, weekday) => format!("{n}{}", weekday_code(*weekday)),
                        };
                        if !days.contains(&code) {
                            days.push(code);
                        }
                    }
                    days.join(",")
                }
                _ => value.clone(),
            };
            normalized.push((name, value));
        }
        let text = normalized.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join(";");
        Ok(Self { text, parts: normalized, rule, until })
    }

    /// The normalized rule text, without an `RRULE:` prefix.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The rule as RFC 5545 wants it beside a `DTSTART;TZID=...` in `zone`:
    /// an `UNTIL` given as a day or a wall-clock time becomes the UTC instant
    /// it means there (a day means up to 23:59:59 local time).
    pub fn ical_text(&self, zone: chrono_tz::Tz) -> String {
        match self.until {
            None | Some(Until::Instant(_)) => self.text.clone(),
            Some(until) => {
                let instant = Until::Instant(until_instant(until, zone));
                self.with_parts(|parts| set_part(parts, "UNTIL", format_until(instant))).text
            }
        }
    }

    /// The same rule with some parts changed (the result of a valid rule
    /// with `UNTIL` or `COUNT` changed is still valid).
    fn with_parts(&self, change: impl FnOnce(&mut Vec<(&'static str, String)>)) -> Self {
        let mut parts = self.parts.clone();
        change(&mut parts);
        Self::from_parts(parts).unwrap_or_else(|_| self.clone())
    }

    /// The rule in plain English: "Every week on Thursday", "Every 2 weeks on
    /// Thursday", "Monthly on the first Tuesday", "Every day, 10 times",
    /// "Every week on Monday and Wednesday, until 31 Mar 2027". The date of a
    /// UTC `UNTIL` is its UTC date. Parts it cannot put in words (`BYWEEKNO`,
    /// `BYYEARDAY`, unusual `BYSETPOS`) add "(by a custom rule)".
    pub fn describe(&self) -> String {
        let rule = &self.rule;
        let interval = rule.get_interval();
        let every = |one: &str, many: &str| {
            if interval == 1 { format!("Every {one}") } else { format!("Every {interval} {many}") }
        };
        let days = rule.get_by_weekday();
        let all_every = days.iter().all(|day| matches!(day, NWeekday::Every(_)));
        let plain_days: Vec<Weekday> =
            days.iter().filter_map(|day| if let NWeekday::Every(w) = day { Some(*w) } else { None }).collect();
        let set_pos = rule.get_by_set_pos();
        let month_days = rule.get_by_month_day();
        let months = rule.get_by_month();
        let mut custom = !rule.get_by_week_no().is_empty() || !rule.get_by_year_day().is_empty();

        // "the first Tuesday", "the last weekday", "day 15"...
        let day_phrase = |custom: &mut bool| -> Option<String> {
            if !set_pos.is_empty() {
                if set_pos.len() == 1 && all_every && !days.is_empty() && month_days.is_empty() {
                    return Some(format!("the {} {}", ordinal_word(set_pos[0]), day_list_singular(&plain_days)));
                }
                *custom = true;
            }
            let mut phrases: Vec<String> = Vec::new();
            if !days.is_empty() {
                if all_every {
                    phrases.push(if is_weekdays(&plain_days) { "weekdays".into() } else { day_list(&plain_days) });
                } else {
                    let named: Vec<String> = days
                        .iter()
                        .map(|day| match day {
                            NWeekday::Nth(n, w) => format!("the {} {}", ordinal_word(*n), weekday_name(*w)),
                            NWeekday::Every(w) => format!("every {}", weekday_name(*w)),
                        })
                        .collect();
                    phrases.push(and_list(&named));
                }
            }
            if !month_days.is_empty() {
                let named: Vec<String> = month_days
                    .iter()
                    .map(|day| match *day {
                        -1 => "the last day".to_string(),
                        d if d < 0 => format!("the {} day", ordinal_word(i32::from(d))),
                        d => d.to_string(),
                    })
                    .collect();
                let plain = month_days.iter().all(|day| *day > 0);
                let text = and_list(&named);
                phrases.push(match (plain, month_days.len()) {
                    (true, 1) => format!("day {text}"),
                    (true, _) => format!("days {text}"),
                    _ => text,
                });
            }
            if phrases.is_empty() { None } else { Some(phrases.join(" if it is ")) }
        };

        let mut text = match rule.get_freq() {
            Frequency::Daily => {
                let base = every("day", "days");
                if !days.is_empty() && all_every && set_pos.is_empty() && month_days.is_empty() {
                    if is_weekdays(&plain_days) && interval == 1 {
                        "Every weekday".to_string()
                    } else {
                        format!("{base}, on {}", day_list(&plain_days))
                    }
                } else {
                    match day_phrase(&mut custom) {
                        Some(phrase) => format!("{base}, on {phrase}"),
                        None => base,
                    }
                }
            }
            Frequency::Weekly => {
                let base = every("week", "weeks");
                match day_phrase(&mut custom) {
                    Some(phrase) => format!("{base} on {phrase}"),
                    None => base,
                }
            }
            Frequency::Monthly => {
                let base = if interval == 1 { "Monthly".to_string() } else { format!("Every {interval} months") };
                match day_phrase(&mut custom) {
                    Some(phrase) => format!("{base} on {phrase}"),
                    None => base,
                }
            }
            _ => {
                let base = every("year", "years");
                let month_names: Vec<String> = months.iter().filter_map(|m| month_name(*m)).map(String::from).collect();
                let in_months = and_list(&month_names);
                let single_dates = !month_names.is_empty()
                    && days.is_empty()
                    && set_pos.is_empty()
                    && !month_days.is_empty()
                    && month_days.iter().all(|d| *d > 0);
                if single_dates {
                    let numbers: Vec<String> = month_days.iter().map(ToString::to_string).collect();
                    format!("{base} on {} {in_months}", and_list(&numbers))
                } else {
                    match (day_phrase(&mut custom), month_names.is_empty()) {
                        (Some(phrase), false) => format!("{base} on {phrase} of {in_months}"),
                        (Some(phrase), true) => format!("{base} on {phrase}"),
                        (None, false) => format!("{base} in {in_months}"),
                        (None, true) => base,
                    }
                }
            }
        };
        if !months.is_empty() && !matches!(rule.get_freq(), Frequency::Yearly) {
            let names: Vec<String> = months.iter().filter_map(|m| month_name(*m)).map(String::from).collect();
            text.push_str(&format!(", in {}", and_list(&names)));
        }
        if custom {
            text.push_str(" (by a custom rule)");
        }
        match (rule.get_count(), self.until) {
            (Some(1), _) => text.push_str(", once"),
            (Some(count), _) => text.push_str(&format!(", {count} times")),
            (None, Some(until)) => {
                let day = match until {
                    Until::Instant(instant) => instant.date_naive(),
                    Until::Local(local) => local.date(),
                    Until::Date(day) => day,
                };
                text.push_str(&format!(", until {}", day.format("%-d %b %Y")));
            }
            (None, None) => {}
        }
        text
    }

    /// Checks the rule against a series' start in `zone`: `UNTIL` must not be
    /// before the start, and the start must itself be an occurrence of the
    /// rule (a weekly rule on Thursdays needs a Thursday start), which
    /// RFC 5545 asks for and calendar programs rely on.
    pub fn check_against_start(&self, start_local: NaiveDateTime, zone: chrono_tz::Tz) -> Result<(), String> {
        if let Some(until) = self.until {
            let before = match until {
                Until::Instant(instant) => instant < local_to_utc(zone, start_local),
                Until::Local(local) => local < start_local,
                Until::Date(day) => day < start_local.date(),
            };
            if before {
                return Err("The repeat must not end before the first event.".into());
            }
        }
        match self.occurrences(start_local, zone, None).next() {
            Some((first, _)) if first == start_local => Ok(()),
            _ => {
                let described = self.describe();
                let mut chars = described.chars();
                let lowered: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
                Err(format!(
                    "The first event, {}, is not on a day this rule repeats on ({lowered}).",
                    start_local.format("%A %-d %b %Y")
                ))
            }
        }
    }

    /// The rule with the defaults RFC 5545 takes from the start (the day of
    /// the week, of the month, the month, the time of day) written out, so
    /// the iteration may begin at any later period boundary.
    fn rule_for_start(&self, start: NaiveDateTime) -> RRule<Unvalidated> {
        let rule = &self.rule;
        let mut filled = rule.clone();
        let has_day_part = !rule.get_by_week_no().is_empty()
            || !rule.get_by_year_day().is_empty()
            || !rule.get_by_month_day().is_empty()
            || !rule.get_by_weekday().is_empty();
        if !has_day_part {
            let day = i8::try_from(start.day()).unwrap_or(1);
            match rule.get_freq() {
                Frequency::Yearly => {
                    if rule.get_by_month().is_empty() {
                        let month = u8::try_from(start.month()).ok().and_then(|m| Month::try_from(m).ok());
                        filled = filled.by_month(&[month.unwrap_or(Month::January)]);
                    }
                    filled = filled.by_month_day(vec![day]);
                }
                Frequency::Monthly => filled = filled.by_month_day(vec![day]),
                Frequency::Weekly => filled = filled.by_weekday(vec![NWeekday::Every(start.weekday())]),
                _ => {}
            }
        }
        let hms = |value: u32| u8::try_from(value).unwrap_or(0);
        filled
            .by_hour(vec![hms(start.hour())])
            .by_minute(vec![hms(start.minute())])
            .by_second(vec![hms(start.second())])
    }

    /// Where the iteration may begin to reach `target` quickly: the start of
    /// the last period (day, week, month, year, a whole number of intervals
    /// after the start's) that begins on or before `target`. Only rules
    /// without `COUNT` may skip, since `COUNT` counts from the start.
    fn skip_to(&self, start: NaiveDateTime, target: NaiveDate) -> NaiveDateTime {
        if self.rule.get_count().is_some() || target <= start.date() {
            return start;
        }
        let interval = i64::from(self.rule.get_interval().max(1));
        let whole = |periods: i64| periods / interval * interval;
        let midnight = |day: NaiveDate| day.and_time(NaiveTime::MIN);
        let boundary = match self.rule.get_freq() {
            Frequency::Daily => {
                let k = whole((target - start.date()).num_days());
                (k > 0).then(|| midnight(start.date() + Duration::days(k)))
            }
            Frequency::Weekly => {
                let week_start = self.rule.get_week_start().num_days_from_monday();
                let back = (start.weekday().num_days_from_monday() + 7 - week_start) % 7;
                let first_week = start.date() - Duration::days(i64::from(back));
                let k = whole((target - first_week).num_days() / 7);
                (k > 0).then(|| midnight(first_week + Duration::weeks(k)))
            }
            Frequency::Monthly => {
                let month_index = |day: NaiveDate| i64::from(day.year()) * 12 + i64::from(day.month0());
                let k = whole(month_index(target) - month_index(start.date()));
                let index = month_index(start.date()) + k;
                let year = i32::try_from(index.div_euclid(12)).ok();
                let month = u32::try_from(index.rem_euclid(12) + 1).ok();
                match (year, month) {
                    (Some(year), Some(month)) if k > 0 => NaiveDate::from_ymd_opt(year, month, 1).map(midnight),
                    _ => None,
                }
            }
            Frequency::Yearly => {
                let k = whole(i64::from(target.year() - start.year()));
                i32::try_from(k)
                    .ok()
                    .filter(|k| *k > 0)
                    .and_then(|k| NaiveDate::from_ymd_opt(start.year() + k, 1, 1))
                    .map(midnight)
            }
            _ => None,
        };
        boundary.unwrap_or(start)
    }

    /// The rule's occurrences for a series starting at `start` in `zone`, in
    /// order, as (original local start, start instant), ending at `UNTIL` or
    /// `COUNT`. With `near`, it may skip occurrences before that day.
    fn occurrences(&self, start: NaiveDateTime, zone: chrono_tz::Tz, near: Option<NaiveDate>) -> Occurrences {
        let begin = near.map_or(start, |target| self.skip_to(start, target));
        let dt_start = floating(begin);
        let iter = self
            .rule_for_start(start)
            .validate(dt_start)
            .ok()
            .map(|rule| (&RRuleSet::new(dt_start).rrule(rule).limit()).into_iter());
        Occurrences { iter, until: self.until, zone }
    }
}

impl fmt::Debug for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Recurrence").field(&self.text).finish()
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq for Recurrence {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Recurrence {}

impl Hash for Recurrence {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

/// Iterator over a rule's occurrences: floating local starts from the rule
/// engine, turned into instants in the series' zone, stopped at `UNTIL`.
struct Occurrences {
    iter: Option<RRuleSetIter>,
    until: Option<Until>,
    zone: chrono_tz::Tz,
}

impl Iterator for Occurrences {
    type Item = (NaiveDateTime, DateTime<Utc>);

    fn next(&mut self) -> Option<Self::Item> {
        let local = self.iter.as_mut()?.next()?.naive_utc();
        let instant = local_to_utc(self.zone, local);
        let past_end = match self.until {
            None => false,
            Some(Until::Instant(until)) => instant > until,
            Some(Until::Local(until)) => local > until,
            Some(Until::Date(until)) => local.date() > until,
        };
        if past_end {
            self.iter = None;
            return None;
        }
        Some((local, instant))
    }
}

/// How a series is timed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesTiming {
    /// The first occurrence's start, as wall-clock time in `zone`.
    pub start_local: NaiveDateTime,
    /// The organizer's zone; wall-clock time is kept in it across DST changes.
    pub zone: chrono_tz::Tz,
    /// How long each occurrence lasts.
    pub duration_minutes: u32,
    /// The rule, or `None` for a single event.
    pub recurrence: Option<Recurrence>,
    /// Original local starts of occurrences that are cancelled or moved: the
    /// rule does not produce them (a moved occurrence is stored separately by
    /// the caller).
    pub excluded: Vec<NaiveDateTime>,
}

/// One occurrence of a series. Its identity is its original local start (the
/// iCalendar `RECURRENCE-ID`), which stays the same if it is moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OccurrenceTime {
    /// The local start the rule gave it, in the series' zone.
    pub original_start_local: NaiveDateTime,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends: `start` plus the series' duration.
    pub end: DateTime<Utc>,
}

/// The occurrences whose start lies in `[from, to)`, in order, at most
/// `limit` of them, leaving out the excluded ones.
///
/// Each local start is turned into an instant with [`local_to_utc`]: a local
/// start in the spring-forward gap moves forward by the length of the gap
/// (02:30 on the night clocks go from 02:00 to 03:00 becomes 03:30), an
/// ambiguous one in the fall-back hour takes the earlier instant. Only the
/// start counts: an occurrence that began before `from` and is still running
/// is not returned (widen `from` by the duration to get it).
///
/// Cost grows with the number of occurrences in the window, not with the age
/// of the series: rules without `COUNT` skip ahead whole periods.
pub fn expand(timing: &SeriesTiming, from: DateTime<Utc>, to: DateTime<Utc>, limit: usize) -> Vec<OccurrenceTime> {
    let mut found = Vec::new();
    if limit == 0 || from >= to {
        return found;
    }
    let duration = Duration::minutes(i64::from(timing.duration_minutes));
    let Some(recurrence) = &timing.recurrence else {
        let start = local_to_utc(timing.zone, timing.start_local);
        if from <= start && start < to && !timing.excluded.contains(&timing.start_local) {
            found.push(OccurrenceTime { original_start_local: timing.start_local, start, end: start + duration });
        }
        return found;
    };
    // Local wall-clock time is within a day and a half of UTC everywhere;
    // two days either side is safely wide.
    let margin = Duration::days(2);
    let local_from = from.naive_utc() - margin;
    let local_to = to.naive_utc() + margin;
    for (local, start) in recurrence.occurrences(timing.start_local, timing.zone, Some(local_from.date())) {
        if local > local_to {
            break;
        }
        if start < from || start >= to || timing.excluded.contains(&local) {
            continue;
        }
        found.push(OccurrenceTime { original_start_local: local, start, end: start + duration });
        if found.len() >= limit {
            break;
        }
    }
    found
}

/// When the series ends: the end of its last occurrence, or `None` if the
/// rule repeats forever. Exclusions are not taken into account, so the
/// answer is never earlier than any occurrence's end; this is meant for
/// indexing series by date range. A single event ends at its start plus
/// its duration.
pub fn series_end(timing: &SeriesTiming) -> Option<DateTime<Utc>> {
    let duration = Duration::minutes(i64::from(timing.duration_minutes));
    let first = local_to_utc(timing.zone, timing.start_local);
    let Some(recurrence) = &timing.recurrence else {
        return Some(first + duration);
    };
    let (start, zone) = (timing.start_local, timing.zone);
    let last = match (recurrence.rule.get_count(), recurrence.until) {
        (None, None) => return None,
        (Some(_), _) => recurrence.occurrences(start, zone, None).last(),
        (None, Some(until)) => {
            let until_day = match until {
                Until::Instant(instant) => instant.with_timezone(&zone).date_naive(),
                Until::Local(local) => local.date(),
                Until::Date(day) => day,
            };
            // Skip to the last period before UNTIL; if that period has no
            // occurrence before it, walk the whole series.
            recurrence
                .occurrences(start, zone, Some(until_day))
                .last()
                .or_else(|| recurrence.occurrences(start, zone, None).last())
        }
    };
    Some(last.map_or(first, |(_, instant)| instant) + duration)
}

/// Splits a series at an occurrence, for "edit this and following": the
/// rule for the part before, ending (with a UTC `UNTIL`) one second before
/// `at_original_local` starts, so the caller can store the rest as a new
/// series starting there. `COUNT` is replaced by that `UNTIL`; an existing
/// earlier `UNTIL` is kept.
///
/// `None` when there is no rule, or when `at_original_local` is not after
/// the series' start (nothing would remain before it: edit the whole series
/// instead).
pub fn truncate_before(timing: &SeriesTiming, at_original_local: NaiveDateTime) -> Option<Recurrence> {
    let recurrence = timing.recurrence.as_ref()?;
    if at_original_local <= timing.start_local {
        return None;
    }
    let cut = local_to_utc(timing.zone, at_original_local) - Duration::seconds(1);
    let cut = cut.with_nanosecond(0).unwrap_or(cut);
    let until = match recurrence.until {
        Some(existing) if until_instant(existing, timing.zone) <= cut => existing,
        _ => Until::Instant(cut),
    };
    Some(recurrence.with_parts(|parts| {
        parts.retain(|(name, _)| *name != "COUNT");
        set_part(parts, "UNTIL", format_until(until));
    }))
}

/// The instant a wall-clock time in `zone` means, as RFC 5545 reads it: a
/// time that does not exist (the spring-forward gap) is read with the offset
/// in force before the gap, so it lands as far after the gap as it was into
/// it (02:30 becomes 03:30 when clocks go from 02:00 to 03:00); a time that
/// happens twice (fall-back) means the earlier instant.
pub fn local_to_utc(zone: chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => first.min(second).with_timezone(&Utc),
        LocalResult::None => {
            // Transitions are months apart: the offset a day before is the one before the gap.
            let before = zone.offset_from_utc_datetime(&(local - Duration::days(1))).fix();
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(before.local_minus_utc()))))
        }
    }
}

/// A wall-clock time as the rule engine's "floating" time (kept in UTC, where
/// no clock ever jumps).
fn floating(local: NaiveDateTime) -> DateTime<rrule::Tz> {
    rrule::Tz::UTC.from_utc_datetime(&local)
}

fn parse_until(value: &str) -> Result<Until, String> {
    let invalid = || format!("UNTIL must be a date such as 20270331 or a time such as 20270331T215959Z, not {value}.");
    if value.len() == 8 {
        return NaiveDate::parse_from_str(value, "%Y%m%d").map(Until::Date).map_err(|_| invalid());
    }
    let (local, utc) = match value.strip_suffix('Z') {
        Some(local) => (local, true),
        None => (value, false),
    };
    if local.len() != 15 {
        return Err(invalid());
    }
    let local = NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").map_err(|_| invalid())?;
    Ok(if utc { Until::Instant(local.and_utc()) } else { Until::Local(local) })
}

fn format_until(until: Until) -> String {
    match until {
        Until::Instant(instant) => instant.format("%Y%m%dT%H%M%SZ").to_string(),
        Until::Local(local) => local.format("%Y%m%dT%H%M%S").to_string(),
        Until::Date(day) => day.format("%Y%m%d").to_string(),
    }
}

/// The last instant an `UNTIL` lets an occurrence start at, in `zone`.
fn until_instant(until: Until, zone: chrono_tz::Tz) -> DateTime<Utc> {
    match until {
        Until::Instant(instant) => instant,
        Until::Local(local) => local_to_utc(zone, local),
        Until::Date(day) => local_to_utc(zone, day.and_hms_opt(23, 59, 59).unwrap_or(day.and_time(NaiveTime::MIN))),
    }
}

fn set_part(parts: &mut Vec<(&'static str, String)>, name: &'static str, value: String) {
    match parts.iter_mut().find(|(part, _)| *part == name) {
        Some(part) => part.1 = value,
        None => parts.push((name, value)),
    }
}

fn join<T: ToString>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

fn parse_error_message(error: &ParseError) -> String {
    match error {
        ParseError::InvalidWeekday(day) => {
            format!("{day} is not a day: use MO, TU, WE, TH, FR, SA or SU, numbered if needed (1TU, -1FR).")
        }
        ParseError::InvalidWeekdayStart(day) => format!("WKST must be a day (MO to SU), not {day}."),
        ParseError::InvalidFrequency(freq) => {
            format!("{freq} is not a frequency: use DAILY, WEEKLY, MONTHLY or YEARLY.")
        }
        ParseError::InvalidInterval(_) => "INTERVAL must be a whole number, such as INTERVAL=2.".into(),
        ParseError::InvalidCount(_) => "COUNT must be a whole number, such as COUNT=10.".into(),
        ParseError::InvalidByMonth(_) => "BYMONTH takes months from 1 to 12, such as BYMONTH=3.".into(),
        ParseError::InvalidByMonthDay(_) => {
            "BYMONTHDAY takes days from 1 to 31, or -1 to -31 counting from the month's end.".into()
        }
        ParseError::InvalidByYearDay(_) => {
            "BYYEARDAY takes days from 1 to 366, or -1 to -366 counting from the year's end.".into()
        }
        ParseError::InvalidByWeekNo(_) => "BYWEEKNO takes weeks from 1 to 53, or -1 to -53.".into(),
        ParseError::InvalidBySetPos(_) => "BYSETPOS takes positions such as 1 (first) or -1 (last).".into(),
        ParseError::MissingProperty(part) => format!("{part} is missing."),
        ParseError::DuplicateProperty(part) => format!("{part} is given twice."),
        ParseError::InvalidParameterFormat(part) => format!("\"{part}\" should be NAME=VALUE, such as FREQ=WEEKLY."),
        ParseError::UnrecognizedParameter(part) => format!("{part} is not a part of a repeat rule."),
        other => format!("This repeat rule cannot be read: {other}"),
    }
}

fn validation_error_message(error: &ValidationError) -> String {
    match error {
        ValidationError::InvalidByRuleAndFrequency { by_rule, freq } => {
            format!("{by_rule} cannot be used with FREQ={freq}.")
        }
        ValidationError::InvalidFieldValue { field, value } => format!("{field} cannot be {value}."),
        ValidationError::InvalidFieldValueRange { field, value, start_idx, end_idx } => {
            format!("{field} must be between {start_idx} and {end_idx}, not {value}.")
        }
        ValidationError::InvalidFieldValueRangeWithFreq { field, value, freq, start_idx, end_idx } => {
            format!("With FREQ={freq}, {field} must be between {start_idx} and {end_idx}, not {value}.")
        }
        ValidationError::BySetPosWithoutByRule => {
            "BYSETPOS picks among the days another part gives, such as BYDAY=MO,TU,WE,TH,FR.".into()
        }
        ValidationError::TooBigInterval(_) => format!("INTERVAL can be at most {MAX_INTERVAL}."),
        other => format!("This repeat rule cannot be used: {other}"),
    }
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn month_name(month: u8) -> Option<&'static str> {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(usize::from(month).checked_sub(1)?).copied()
}

fn ordinal_word(n: impl Into<i32>) -> String {
    match n.into() {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        -1 => "last".into(),
        -2 => "second-to-last".into(),
        -3 => "third-to-last".into(),
        n if n > 0 => format!("{n}{}", ordinal_suffix(n)),
        n => format!("{}{}-to-last", -n, ordinal_suffix(-n)),
    }
}

fn ordinal_suffix(n: i32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn is_weekdays(days: &[Weekday]) -> bool {
    let mut sorted: Vec<u32> = days.iter().map(|d| d.num_days_from_monday()).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted == [0, 1, 2, 3, 4]
}

fn sorted_days(days: &[Weekday]) -> Vec<Weekday> {
    let mut sorted = days.to_vec();
    sorted.sort_by_key(|d| d.num_days_from_monday());
    sorted.dedup();
    sorted
}

/// "Monday, Wednesday and Friday".
fn day_list(days: &[Weekday]) -> String {
    let names: Vec<String> = sorted_days(days).into_iter().map(|d| weekday_name(d).to_string()).collect();
    and_list(&names)
}

/// For "the first ...": "Tuesday", "weekday", "Saturday or Sunday".
fn day_list_singular(days: &[Weekday]) -> String {
    if is_weekdays(days) {
        return "weekday".into();
    }
    let names: Vec<String> = sorted_days(days).into_iter().map(|d| weekday_name(d).to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        local(text).and_utc()
    }

    fn rule(text: &str) -> Recurrence {
        Recurrence::parse(text).unwrap()
    }

    fn series(start: &str, zone: Tz, text: Option<&str>) -> SeriesTiming {
        SeriesTiming {
            start_local: local(start),
            zone,
            duration_minutes: 90,
            recurrence: text.map(rule),
            excluded: Vec::new(),
        }
    }

    /// Start instants as "YYYY-MM-DD HH:MM" in UTC.
    fn starts(occurrences: &[OccurrenceTime]) -> Vec<String> {
        occurrences.iter().map(|o| o.start.format("%Y-%m-%d %H:%M").to_string()).collect()
    }

    fn year_2026(timing: &SeriesTiming) -> Vec<OccurrenceTime> {
        expand(timing, utc("2026-01-01 00:00"), utc("2027-01-01 00:00"), 10_000)
    }

    /// The occurrences in a window, found the slow way: walking from the start.
    fn reference(timing: &SeriesTiming, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<OccurrenceTime> {
        let recurrence = timing.recurrence.as_ref().unwrap();
        let duration = Duration::minutes(i64::from(timing.duration_minutes));
        recurrence
            .occurrences(timing.start_local, timing.zone, None)
            .take_while(|(_, start)| *start < to)
            .filter(|(local, start)| *start >= from && !timing.excluded.contains(local))
            .map(|(local, start)| OccurrenceTime { original_start_local: local, start, end: start + duration })
            .collect()
    }

    #[test]
    fn berlin_weekly_keeps_its_wall_clock_time_across_both_dst_changes() {
        let timing = series("2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;BYDAY=TH"));
        let all = year_2026(&timing);
        assert!(
            all.iter().all(
                |o| o.start.with_timezone(&Tz::Europe__Berlin).time() == NaiveTime::from_hms_opt(18, 0, 0).unwrap()
            )
        );
        assert!(all.iter().all(|o| o.original_start_local.time() == NaiveTime::from_hms_opt(18, 0, 0).unwrap()));
        let spring = expand(&timing, utc("2026-03-19 00:00"), utc("2026-04-03 00:00"), 10);
        assert_eq!(starts(&spring), ["2026-03-19 17:00", "2026-03-26 17:00", "2026-04-02 16:00"]);
        let autumn = expand(&timing, utc("2026-10-15 00:00"), utc("2026-11-01 00:00"), 10);
        assert_eq!(starts(&autumn), ["2026-10-15 16:00", "2026-10-22 16:00", "2026-10-29 17:00"]);
        assert_eq!(all.first().unwrap().start, utc("2026-03-05 17:00"));
        assert_eq!(all.first().unwrap().end, utc("2026-03-05 18:30"));
        assert_eq!(all.len(), 44, "5 Mar to 31 Dec 2026 (a Thursday) has 44 Thursdays");
    }

    #[test]
    fn new_york_weekly_keeps_its_wall_clock_time_across_both_dst_changes() {
        let timing = series("2026-01-05 19:00", Tz::America__New_York, Some("FREQ=WEEKLY;BYDAY=MO"));
        let spring = expand(&timing, utc("2026-03-01 00:00"), utc("2026-03-17 00:00"), 10);
        assert_eq!(starts(&spring), ["2026-03-03 00:00", "2026-03-09 23:00", "2026-03-16 23:00"]);
        let autumn = expand(&timing, utc("2026-10-25 00:00"), utc("2026-11-11 00:00"), 10);
        assert_eq!(starts(&autumn), ["2026-10-26 23:00", "2026-11-03 00:00", "2026-11-10 00:00"]);
    }

    #[test]
    fn sydney_weekly_keeps_its_wall_clock_time_across_both_dst_changes() {
        let timing = series("2026-01-07 09:00", Tz::Australia__Sydney, Some("FREQ=WEEKLY;BYDAY=WE"));
        // Daylight saving ends on 5 April (+11 to +10) and starts on 4 October (+10 to +11).
        let april = expand(&timing, utc("2026-03-30 00:00"), utc("2026-04-15 00:00"), 10);
        assert_eq!(starts(&april), ["2026-03-31 22:00", "2026-04-07 23:00", "2026-04-14 23:00"]);
        let october = expand(&timing, utc("2026-09-29 00:00"), utc("2026-10-14 00:00"), 10);
        assert_eq!(starts(&october), ["2026-09-29 23:00", "2026-10-06 22:00", "2026-10-13 22:00"]);
    }

    #[test]
    fn every_other_thursday() {
        let timing = series("2026-01-08 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"));
        let found = expand(&timing, utc("2026-01-01 00:00"), utc("2026-03-01 00:00"), 10);
        let days: Vec<_> = found.iter().map(|o| o.original_start_local.date().to_string()).collect();
        assert_eq!(days, ["2026-01-08", "2026-01-22", "2026-02-05", "2026-02-19"]);
        // Far from the start, the fortnight stays in step.
        let later = expand(&timing, utc("2031-06-01 00:00"), utc("2031-07-01 00:00"), 10);
        for occurrence in &later {
            let weeks = (occurrence.original_start_local.date() - local("2026-01-08 00:00").date()).num_days() / 7;
            assert_eq!(weeks % 2, 0);
        }
        assert_eq!(later.len(), 2);
    }

    #[test]
    fn first_tuesday_of_the_month() {
        let timing = series("2026-01-06 19:30", Tz::Europe__London, Some("FREQ=MONTHLY;BYDAY=1TU"));
        let days: Vec<_> = year_2026(&timing).iter().map(|o| o.original_start_local.date().to_string()).collect();
        assert_eq!(
            days,
            [
                "2026-01-06",
                "2026-02-03",
                "2026-03-03",
                "2026-04-07",
                "2026-05-05",
                "2026-06-02",
                "2026-07-07",
                "2026-08-04",
                "2026-09-01",
                "2026-10-06",
                "2026-11-03",
                "2026-12-01"
            ]
        );
    }

    #[test]
    fn count_limits_the_series() {
        let timing = series("2026-03-25 07:00", Tz::Europe__Berlin, Some("FREQ=DAILY;COUNT=10"));
        let all = year_2026(&timing);
        assert_eq!(all.len(), 10);
        assert_eq!(all.last().unwrap().original_start_local, local("2026-04-03 07:00"));
        assert_eq!(series_end(&timing), Some(utc("2026-04-03 05:00") + Duration::minutes(90)));
        // The window does not change which ten they are.
        let late = expand(&timing, utc("2026-04-01 00:00"), utc("2026-05-01 00:00"), 100);
        assert_eq!(late.len(), 3);
    }

    #[test]
    fn until_ends_the_series_in_each_of_its_forms() {
        let zone = Tz::Europe__Berlin;
        // 26 March 18:00 in Berlin is 17:00 UTC: an UNTIL at that instant includes it.
        for text in [
            "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260326T170000Z",
            "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260326",
            "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260326T180000",
        ] {
            let timing = series("2026-03-05 18:00", zone, Some(text));
            let found = year_2026(&timing);
            assert_eq!(found.len(), 4, "{text}");
            assert_eq!(found.last().unwrap().original_start_local, local("2026-03-26 18:00"), "{text}");
            assert_eq!(series_end(&timing), Some(utc("2026-03-26 18:30")), "{text}");
        }
        let timing = series("2026-03-05 18:00", zone, Some("FREQ=WEEKLY;BYDAY=TH;UNTIL=20260326T165959Z"));
        assert_eq!(year_2026(&timing).len(), 3);
    }

    #[test]
    fn excluded_occurrences_are_left_out() {
        let mut timing = series("2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;BYDAY=TH;COUNT=5"));
        timing.excluded = vec![local("2026-03-12 18:00"), local("2026-03-26 18:00"), local("2026-03-13 18:00")];
        let days: Vec<_> = year_2026(&timing).iter().map(|o| o.original_start_local.date().to_string()).collect();
        assert_eq!(days, ["2026-03-05", "2026-03-19", "2026-04-02"]);
        // COUNT counts the rule's occurrences, excluded or not.
        assert_eq!(series_end(&timing), Some(utc("2026-04-02 16:00") + Duration::minutes(90)));
    }

    #[test]
    fn a_local_start_in_the_spring_forward_gap_moves_forward_by_the_gap() {
        // Berlin jumps from 02:00 to 03:00 on 29 March 2026; 02:30 does not exist that night.
        let timing = series("2026-03-27 02:30", Tz::Europe__Berlin, Some("FREQ=DAILY"));
        let found = expand(&timing, utc("2026-03-27 00:00"), utc("2026-03-31 00:00"), 10);
        assert_eq!(starts(&found), ["2026-03-27 01:30", "2026-03-28 01:30", "2026-03-29 01:30", "2026-03-30 00:30"]);
        let gap = found[2];
        assert_eq!(gap.original_start_local, local("2026-03-29 02:30"), "its identity keeps the rule's time");
        assert_eq!(gap.start.with_timezone(&Tz::Europe__Berlin).naive_local(), local("2026-03-29 03:30"));
        // New York: 2:30 on 8 March 2026 becomes 3:30 EDT (07:30 UTC).
        assert_eq!(local_to_utc(Tz::America__New_York, local("2026-03-08 02:30")), utc("2026-03-08 07:30"));
    }

    #[test]
    fn an_ambiguous_local_start_takes_the_earlier_instant() {
        // Berlin goes back from 03:00 to 02:00 on 25 October 2026; 02:30 happens twice.
        let timing = series("2026-10-23 02:30", Tz::Europe__Berlin, Some("FREQ=DAILY"));
        let found = expand(&timing, utc("2026-10-23 00:00"), utc("2026-10-27 00:00"), 10);
        assert_eq!(starts(&found), ["2026-10-23 00:30", "2026-10-24 00:30", "2026-10-25 00:30", "2026-10-26 01:30"]);
        // Sydney goes back from 03:00 to 02:00 on 5 April 2026: 02:30 AEDT (+11) is the earlier.
        assert_eq!(local_to_utc(Tz::Australia__Sydney, local("2026-04-05 02:30")), utc("2026-04-04 15:30"));
    }

    #[test]
    fn limits_and_empty_windows() {
        let timing = series("2026-01-01 12:00", Tz::UTC, Some("FREQ=DAILY"));
        assert_eq!(expand(&timing, utc("2026-01-01 00:00"), utc("2027-01-01 00:00"), 7).len(), 7);
        assert_eq!(year_2026(&timing).len(), 365);
        assert!(expand(&timing, utc("2026-01-01 00:00"), utc("2027-01-01 00:00"), 0).is_empty());
        assert!(expand(&timing, utc("2026-05-01 00:00"), utc("2026-05-01 00:00"), 10).is_empty());
        assert!(expand(&timing, utc("2026-05-02 00:00"), utc("2026-05-01 00:00"), 10).is_empty());
        assert!(expand(&timing, utc("2025-01-01 00:00"), utc("2026-01-01 12:00"), 10).is_empty(), "to is exclusive");
        assert_eq!(expand(&timing, utc("2026-01-01 12:00"), utc("2026-01-01 12:01"), 10).len(), 1, "from is inclusive");
        assert_eq!(series_end(&timing), None);
    }

    #[test]
    fn a_single_event_has_one_occurrence() {
        let mut timing = series("2026-06-10 18:00", Tz::America__New_York, None);
        let found = year_2026(&timing);
        assert_eq!(starts(&found), ["2026-06-10 22:00"]);
        assert_eq!(found[0].end, utc("2026-06-10 23:30"));
        assert_eq!(series_end(&timing), Some(utc("2026-06-10 23:30")));
        assert!(expand(&timing, utc("2026-06-11 00:00"), utc("2026-06-12 00:00"), 10).is_empty());
        timing.excluded.push(local("2026-06-10 18:00"));
        assert!(year_2026(&timing).is_empty());
    }

    #[test]
    fn skipping_ahead_finds_what_walking_from_the_start_finds() {
        let cases = [
            ("2019-01-03 18:00", "FREQ=WEEKLY;BYDAY=TH"),
            ("2019-01-03 18:00", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH,MO"),
            ("2019-01-06 09:00", "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,MO"),
            ("2019-01-06 09:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU,MO"),
            ("2019-01-25 17:00", "FREQ=MONTHLY;BYDAY=-1FR"),
            ("2019-01-31 12:00", "FREQ=MONTHLY"),
            ("2019-01-31 12:00", "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=31,-1"),
            ("2019-01-31 23:30", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
            ("2020-02-29 10:00", "FREQ=YEARLY"),
            ("2019-05-13 08:00", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"),
            ("2019-03-31 02:30", "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU"),
            ("2019-01-02 06:15", "FREQ=DAILY;INTERVAL=5"),
            ("2019-01-02 06:15", "FREQ=DAILY;BYDAY=SA,SU;BYMONTH=1,7"),
            ("2019-01-02 06:15", "FREQ=DAILY;INTERVAL=3;UNTIL=20260715"),
            ("2019-01-02 06:15", "FREQ=WEEKLY;COUNT=400"),
        ];
        let zones = [Tz::Europe__Berlin, Tz::America__New_York, Tz::Australia__Sydney, Tz::Pacific__Kiritimati];
        for (start, text) in cases {
            for zone in zones {
                let mut timing = series(start, zone, Some(text));
                timing.excluded = vec![local("2026-02-05 18:00"), local("2026-07-31 17:00")];
                for (from, to) in [
                    ("2019-01-01 00:00", "2019-03-01 00:00"),
                    ("2026-01-01 00:00", "2027-01-01 00:00"),
                    ("2026-07-14 11:00", "2026-07-16 09:00"),
                    ("2030-12-30 00:00", "2031-01-02 00:00"),
                ] {
                    let (from, to) = (utc(from), utc(to));
                    let fast = expand(&timing, from, to, 10_000);
                    assert_eq!(fast, reference(&timing, from, to), "{text} from {start} in {zone} over {from}..{to}");
                }
            }
        }
    }

    #[test]
    fn series_end_finds_the_last_occurrence_before_until() {
        // Every other year on 1 June; UNTIL in an off year and before June of an on year.
        let timing = series("2020-06-01 10:00", Tz::Europe__Berlin, Some("FREQ=YEARLY;INTERVAL=2;UNTIL=20260301"));
        assert_eq!(series_end(&timing), Some(utc("2024-06-01 08:00") + Duration::minutes(90)));
        let timing = series("2026-01-01 10:00", Tz::UTC, Some("FREQ=DAILY;UNTIL=20360101T100000Z"));
        assert_eq!(series_end(&timing), Some(utc("2036-01-01 11:30")));
    }

    #[test]
    fn truncating_before_an_occurrence_ends_the_rule_just_before_it() {
        let timing = series("2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;BYDAY=TH;COUNT=10"));
        let before = truncate_before(&timing, local("2026-03-26 18:00")).unwrap();
        assert_eq!(before.as_str(), "FREQ=WEEKLY;UNTIL=20260326T165959Z;BYDAY=TH");
        let part = SeriesTiming { recurrence: Some(before), ..timing.clone() };
        let days: Vec<_> = year_2026(&part).iter().map(|o| o.original_start_local.date().to_string()).collect();
        assert_eq!(days, ["2026-03-05", "2026-03-12", "2026-03-19"]);

        let unbounded = series("2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY"));
        assert_eq!(
            truncate_before(&unbounded, local("2026-04-02 18:00")).unwrap().as_str(),
            "FREQ=WEEKLY;UNTIL=20260402T155959Z"
        );
        // An earlier UNTIL stays.
        let bounded = series("2026-03-05 18:00", Tz::Europe__Berlin, Some("FREQ=WEEKLY;UNTIL=20260312"));
        assert_eq!(
            truncate_before(&bounded, local("2026-04-02 18:00")).unwrap().as_str(),
            "FREQ=WEEKLY;UNTIL=20260312"
        );
        assert_eq!(truncate_before(&timing, local("2026-03-05 18:00")), None, "nothing before the first");
        assert_eq!(truncate_before(&timing, local("2026-01-01 18:00")), None);
        assert_eq!(truncate_before(&series("2026-03-05 18:00", Tz::UTC, None), local("2026-04-02 18:00")), None);
    }

    #[test]
    fn parse_normalizes_the_text() {
        assert_eq!(rule("rrule:freq=weekly; byday=th ;interval=2;").as_str(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
        assert_eq!(rule("RRULE:FREQ=MONTHLY;BYDAY=+1TU").as_str(), "FREQ=MONTHLY;BYDAY=1TU");
        assert_eq!(rule("FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=1;WKST=MO").as_str(), "FREQ=MONTHLY;BYDAY=-1FR");
        assert_eq!(rule("BYMONTHDAY=15,1,1;FREQ=MONTHLY").as_str(), "FREQ=MONTHLY;BYMONTHDAY=1,15");
        assert_eq!(
            rule("FREQ=WEEKLY;BYDAY=MO, WE;WKST=SU;UNTIL=20270331T215959z").as_str(),
            "FREQ=WEEKLY;UNTIL=20270331T215959Z;WKST=SU;BYDAY=MO,WE"
        );
        assert_eq!(rule("FREQ=DAILY;COUNT=1000").as_str(), "FREQ=DAILY;COUNT=1000");
        assert_eq!(rule("FREQ=DAILY;INTERVAL=366").as_str(), "FREQ=DAILY;INTERVAL=366");
        assert_eq!(rule("FREQ=WEEKLY"), rule("RRULE:FREQ=WEEKLY;INTERVAL=1"));
        assert_eq!(rule("FREQ=WEEKLY").to_string(), "FREQ=WEEKLY");
        assert_eq!(format!("{:?}", rule("FREQ=WEEKLY")), "Recurrence(\"FREQ=WEEKLY\")");
    }

    #[test]
    fn parse_refuses_what_copse_cannot_or_will_not_repeat() {
        let cases = [
            ("", "Enter a repeat rule"),
            ("RRULE:", "Enter a repeat rule"),
            ("BYDAY=TH", "how often"),
            ("FREQ=FORTNIGHTLY", "FORTNIGHTLY is not a frequency"),
            ("FREQ=HOURLY", "at most daily"),
            ("FREQ=MINUTELY", "at most daily"),
            ("FREQ=SECONDLY;COUNT=3", "at most daily"),
            ("FREQ=DAILY;BYHOUR=9,17", "BYHOUR cannot be used"),
            ("FREQ=DAILY;BYMINUTE=0", "BYMINUTE cannot be used"),
            ("FREQ=DAILY;COUNT=1001", "at most 1000 times"),
            ("FREQ=DAILY;COUNT=0", "COUNT must be at least 1"),
            ("FREQ=DAILY;COUNT=ten", "COUNT must be a whole number"),
            ("FREQ=DAILY;INTERVAL=367", "INTERVAL can be at most 366"),
            ("FREQ=DAILY;INTERVAL=0", "INTERVAL must be at least 1"),
            ("FREQ=DAILY;INTERVAL=-2", "INTERVAL must be a whole number"),
            ("FREQ=DAILY;COUNT=5;UNTIL=20270101", "either COUNT or UNTIL"),
            ("FREQ=DAILY;UNTIL=2027-01-01", "UNTIL must be a date"),
            ("FREQ=DAILY;UNTIL=20270231", "UNTIL must be a date"),
            ("DTSTART:20260305T180000\nRRULE:FREQ=WEEKLY", "own fields"),
            ("DTSTART;TZID=Europe/Berlin:20260305T180000", "own fields"),
            ("FREQ=WEEKLY;TZID=Europe/Berlin", "own fields"),
            ("EXRULE:FREQ=WEEKLY", "only the repeat rule"),
            ("FREQ=WEEKLY;BYDAY=XX", "XX is not a day"),
            ("FREQ=WEEKLY;BYDAY=1TU", "need FREQ=MONTHLY or FREQ=YEARLY"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY takes days"),
            ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
            ("FREQ=MONTHLY;BYWEEKNO=3", "BYWEEKNO cannot be used with FREQ=MONTHLY"),
            ("FREQ=YEARLY;BYMONTH=13", "BYMONTH takes months"),
            ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS picks among"),
            ("FREQ=WEEKLY;FREQ=DAILY", "FREQ is given twice"),
            ("FREQ=WEEKLY;COLOR=RED", "COLOR is not a part"),
            ("FREQ=WEEKLY;BYDAY", "should be NAME=VALUE"),
            ("FREQ=WEEKLY;BYDAY=", "BYDAY has no value"),
        ];
        for (text, expected) in cases {
            match Recurrence::parse(text) {
                Ok(parsed) => panic!("{text:?} was accepted as {parsed:?}"),
                Err(message) => assert!(message.contains(expected), "{text:?} gave {message:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn describe_in_plain_english() {
        let cases = [
            ("FREQ=WEEKLY;BYDAY=TH", "Every week on Thursday"),
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "Every 2 weeks on Thursday"),
            ("FREQ=WEEKLY;BYDAY=FR,MO,WE", "Every week on Monday, Wednesday and Friday"),
            ("FREQ=WEEKLY", "Every week"),
            ("FREQ=MONTHLY;BYDAY=1TU", "Monthly on the first Tuesday"),
            ("FREQ=MONTHLY;BYDAY=-1FR", "Monthly on the last Friday"),
            ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "Every 3 months on day 15"),
            ("FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day"),
            ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "Monthly on the last weekday"),
            ("FREQ=DAILY;COUNT=10", "Every day, 10 times"),
            ("FREQ=DAILY;COUNT=1", "Every day, once"),
            ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
            ("FREQ=DAILY;INTERVAL=3", "Every 3 days"),
            ("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270331", "Every week on Thursday, until 31 Mar 2027"),
            ("FREQ=WEEKLY;BYDAY=TH;UNTIL=20270331T215959Z", "Every week on Thursday, until 31 Mar 2027"),
            ("FREQ=YEARLY", "Every year"),
            ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=5", "Every year on 5 March"),
            ("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "Every year on the last Sunday of October"),
            ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "Every year on Monday (by a custom rule)"),
        ];
        for (text, expected) in cases {
            assert_eq!(rule(text).describe(), expected, "{text}");
        }
    }

    #[test]
    fn check_against_start_wants_the_start_to_be_an_occurrence_before_until() {
        let zone = Tz::Europe__Berlin;
        let thursday = local("2026-03-05 18:00");
        assert_eq!(rule("FREQ=WEEKLY;BYDAY=TH").check_against_start(thursday, zone), Ok(()));
        assert_eq!(rule("FREQ=WEEKLY").check_against_start(local("2026-03-03 18:00"), zone), Ok(()));
        assert_eq!(rule("FREQ=WEEKLY;UNTIL=20260305").check_against_start(thursday, zone), Ok(()));
        assert_eq!(rule("FREQ=WEEKLY;UNTIL=20260305T170000Z").check_against_start(thursday, zone), Ok(()));
        let early = rule("FREQ=WEEKLY;UNTIL=20260305T165959Z").check_against_start(thursday, zone).unwrap_err();
        assert!(early.contains("must not end before the first event"), "{early}");
        let early = rule("FREQ=WEEKLY;UNTIL=20260304").check_against_start(thursday, zone).unwrap_err();
        assert!(early.contains("must not end before"), "{early}");
        let tuesday = rule("FREQ=WEEKLY;BYDAY=TH").check_against_start(local("2026-03-03 18:00"), zone).unwrap_err();
        assert_eq!(
            tuesday,
            "The first event, Tuesday 3 Mar 2026, is not on a day this rule repeats on (every week on Thursday)."
        );
        assert!(rule("FREQ=MONTHLY;BYDAY=1TU").check_against_start(local("2026-03-10 19:00"), zone).is_err());
        assert!(rule("FREQ=MONTHLY;BYDAY=1TU").check_against_start(local("2026-03-03 19:00"), zone).is_ok());
        // A rule that never happens from this start.
        assert!(
            rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").check_against_start(local("2026-02-28 10:00"), zone).is_err()
        );
    }

    #[test]
    fn ical_text_gives_until_in_utc() {
        let zone = Tz::Europe__Berlin;
        assert_eq!(rule("FREQ=WEEKLY;UNTIL=20270331").ical_text(zone), "FREQ=WEEKLY;UNTIL=20270331T215959Z");
        assert_eq!(rule("FREQ=WEEKLY;UNTIL=20270101T180000").ical_text(zone), "FREQ=WEEKLY;UNTIL=20270101T170000Z");
        assert_eq!(rule("FREQ=WEEKLY;UNTIL=20270101T170000Z").ical_text(zone), "FREQ=WEEKLY;UNTIL=20270101T170000Z");
        assert_eq!(rule("FREQ=WEEKLY;COUNT=3").ical_text(zone), "FREQ=WEEKLY;COUNT=3");
    }
}
