//! Instants in UTC, stored as milliseconds since the Unix epoch so that both
//! databases compare, sort and index them the same way.

use chrono::{DateTime, TimeZone as _, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis())
    }

    pub fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn to_utc(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    pub fn minus_days(self, days: i64) -> Self {
        Self(self.0 - days * 86_400_000)
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0 + days * 86_400_000)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.timestamp_millis())
    }
}
