//! Turning times and numbers into text for a reader, in the reader's own
//! time zone.

use copse_domain::{TimeZone, Timestamp};

/// "12 Mar 2025" in the reader's zone.
pub fn date(at: Timestamp, zone: TimeZone) -> String {
    at.to_utc().with_timezone(&zone.0).format("%-d %b %Y").to_string()
}

/// "18:00" in the reader's zone.
pub fn time(at: Timestamp, zone: TimeZone) -> String {
    at.to_utc().with_timezone(&zone.0).format("%H:%M").to_string()
}

/// "Thu 5 Mar 2026, 18:00–19:00 CET" in the reader's zone.
pub fn session(start: Timestamp, end: Timestamp, zone: TimeZone) -> String {
    let s = start.to_utc().with_timezone(&zone.0);
    let e = end.to_utc().with_timezone(&zone.0);
    if s.date_naive() == e.date_naive() {
        format!("{}–{} {}", s.format("%a %-d %b %Y, %H:%M"), e.format("%H:%M"), s.format("%Z"))
    } else {
        format!("{} – {}", s.format("%a %-d %b %Y, %H:%M %Z"), e.format("%a %-d %b, %H:%M %Z"))
    }
}

/// "Thu 5 Mar" in the reader's zone.
pub fn short_day(at: Timestamp, zone: TimeZone) -> String {
    at.to_utc().with_timezone(&zone.0).format("%a %-d %b").to_string()
}

/// "1 h 30 min", "45 min".
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// RFC 3339 in UTC, for machine-readable `datetime` attributes and the API.
pub fn rfc3339(at: Timestamp) -> String {
    at.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// "1 member", "12 members".
pub fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_in_the_readers_zone() {
        // 2025-03-30T23:30:00Z is already 31 March in Berlin (CEST, UTC+2).
        let at = Timestamp(1_743_377_400_000);
        assert_eq!(date(at, TimeZone::parse("UTC").unwrap()), "30 Mar 2025");
        assert_eq!(date(at, TimeZone::parse("Europe/Berlin").unwrap()), "31 Mar 2025");
        assert_eq!(rfc3339(at), "2025-03-30T23:30:00Z");
        let berlin = TimeZone::parse("Europe/Berlin").unwrap();
        assert_eq!(time(at, berlin), "01:30");
        assert_eq!(session(at, Timestamp(at.0 + 3_600_000), berlin), "Mon 31 Mar 2025, 01:30–02:30 CEST");
        assert_eq!(duration(90), "1 h 30 min");
        assert_eq!(duration(45), "45 min");
    }
}
