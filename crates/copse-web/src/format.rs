//! Turning times and numbers into text for a reader, in the reader's own
//! time zone.

use copse_domain::{TimeZone, Timestamp};

/// "12 Mar 2025" in the reader's zone.
pub fn date(at: Timestamp, zone: TimeZone) -> String {
    at.to_utc().with_timezone(&zone.0).format("%-d %b %Y").to_string()
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
    }
}
