//! Value types parsed at the edge. Each `parse` returns a message fit to show
//! a person beside the field that was wrong.

use std::fmt;
use std::str::FromStr;

/// Declares a closed set of values stored and sent as lowercase words, with
/// `as_str`, `parse`, a human label and the full list (for select boxes).
#[macro_export]
macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(input: &str) -> Result<Self, String> {
                match input.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err(format!(
                        "'{}' is not one of: {}",
                        other,
                        [$($word),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

fn bounded_text(input: &str, what: &str, min: usize, max: usize) -> Result<String, String> {
    let trimmed = input.trim();
    let length = trimmed.chars().count();
    if length < min {
        if min == 1 {
            return Err(format!("{what} is required"));
        }
        return Err(format!("{what} must be at least {min} characters"));
    }
    if length > max {
        return Err(format!("{what} must be at most {max} characters"));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(format!("{what} contains control characters"));
    }
    Ok(trimmed.to_string())
}

/// Required single-line text such as a name or a title.
pub fn parse_name(input: &str, what: &str, max: usize) -> Result<String, String> {
    let value = bounded_text(input, what, 1, max)?;
    if value.contains('\n') {
        return Err(format!("{what} must be a single line"));
    }
    Ok(value)
}

/// Optional free text (may be empty) with an upper bound.
pub fn parse_text(input: &str, what: &str, max: usize) -> Result<String, String> {
    bounded_text(input, what, 0, max)
}

/// A URL-safe identifier for a community: lowercase letters, digits and
/// single hyphens, 2 to 48 characters, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        if value.len() < 2 || value.len() > 48 {
            return Err("a slug is 2 to 48 characters long".into());
        }
        if !value.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("a slug starts with a lowercase letter".into());
        }
        if !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err("a slug uses only lowercase letters, digits and hyphens".into());
        }
        if value.ends_with('-') || value.contains("--") {
            return Err("a slug has no trailing or doubled hyphens".into());
        }
        if RESERVED_SLUGS.contains(&value) {
            return Err(format!("'{value}' is reserved"));
        }
        Ok(Self(value.to_string()))
    }

    /// A slug derived from a free-form name ("Platform & SRE" -> "platform-sre").
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_matches('-');
        let slug: String = slug.chars().take(48).collect();
        Self::parse(slug.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Path segments that routes use, so no community can shadow them.
const RESERVED_SLUGS: &[&str] = &["new", "edit", "api", "admin", "static"];

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's unique handle, used in URLs and @mentions: 2 to 32 characters of
/// lowercase letters, digits, '.', '_' or '-', starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handle(String);

impl Handle {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim().trim_start_matches('@').to_ascii_lowercase();
        if value.len() < 2 || value.len() > 32 {
            return Err("a handle is 2 to 32 characters long".into());
        }
        if !value.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("a handle starts with a letter".into());
        }
        if !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
            return Err("a handle uses only letters, digits, '.', '_' and '-'".into());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone such as `Europe/Berlin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub chrono_tz::Tz);

impl TimeZone {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        chrono_tz::Tz::from_str(value)
            .map(Self)
            .map_err(|_| format!("'{value}' is not an IANA time zone (e.g. Europe/Berlin)"))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn utc() -> Self {
        Self(chrono_tz::UTC)
    }
}

/// A link to somewhere people go (a chat room, a repository): http or https only,
/// so no `javascript:` or `data:` URL ever reaches a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(url::Url);

impl HttpUrl {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        let parsed = url::Url::parse(value).map_err(|e| format!("not a valid URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err("a link must start with http:// or https://".into());
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err("a link needs a host name".into());
        }
        if value.len() > 2000 {
            return Err("a link is at most 2000 characters".into());
        }
        Ok(Self(parsed))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// An e-mail address, checked for shape only (one '@', a dot in the domain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim().to_ascii_lowercase();
        let Some((local, domain)) = value.split_once('@') else {
            return Err("an e-mail address has an '@'".into());
        };
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.contains('@')
            || value.chars().any(char::is_whitespace)
            || value.len() > 254
        {
            return Err(format!("'{value}' is not an e-mail address"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The hours of a day a person is usually at work, in their own time zone,
/// as minutes after midnight. An end before the start wraps past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingHours {
    pub start_minute: u16,
    pub end_minute: u16,
}

impl Default for WorkingHours {
    fn default() -> Self {
        Self { start_minute: 9 * 60, end_minute: 17 * 60 }
    }
}

impl WorkingHours {
    /// Parses "09:00" and "17:30" style times.
    pub fn parse(start: &str, end: &str) -> Result<Self, String> {
        let start_minute = parse_clock(start)?;
        let end_minute = parse_clock(end)?;
        if start_minute == end_minute {
            return Err("working hours must not start and end at the same time".into());
        }
        Ok(Self { start_minute, end_minute })
    }

    pub fn from_minutes(start_minute: i64, end_minute: i64) -> Self {
        let clamp = |m: i64| m.clamp(0, 24 * 60 - 1) as u16;
        Self { start_minute: clamp(start_minute), end_minute: clamp(end_minute) }
    }

    pub fn contains(&self, minute_of_day: u16) -> bool {
        if self.start_minute < self.end_minute {
            (self.start_minute..self.end_minute).contains(&minute_of_day)
        } else {
            minute_of_day >= self.start_minute || minute_of_day < self.end_minute
        }
    }

    pub fn start_text(&self) -> String {
        clock_text(self.start_minute)
    }

    pub fn end_text(&self) -> String {
        clock_text(self.end_minute)
    }
}

fn parse_clock(input: &str) -> Result<u16, String> {
    let value = input.trim();
    let (h, m) = value.split_once(':').ok_or_else(|| format!("'{value}' is not a time like 09:30"))?;
    let hours: u16 = h.parse().map_err(|_| format!("'{value}' is not a time like 09:30"))?;
    let minutes: u16 = m.parse().map_err(|_| format!("'{value}' is not a time like 09:30"))?;
    if hours > 23 || minutes > 59 {
        return Err(format!("'{value}' is not a time of day"));
    }
    Ok(hours * 60 + minutes)
}

fn clock_text(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

word_enum!(
    /// How long someone has practised their craft.
    ExperienceLevel {
        Junior = "junior" / "Junior",
        Mid = "mid" / "Mid-level",
        Senior = "senior" / "Senior",
        Staff = "staff" / "Staff / principal",
    }
);

word_enum!(
    /// A self-declared level for one skill.
    SkillLevel {
        Learning = "learning" / "Learning",
        Practitioner = "practitioner" / "Practitioner",
        Expert = "expert" / "Expert",
    }
);

/// A password as typed. Only length is enforced (NIST SP 800-63B: at least
/// 8, allow long passphrases); it never appears in `Debug` output.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, String> {
        let length = input.chars().count();
        if length < 8 {
            return Err("a password has at least 8 characters".into());
        }
        if length > 256 {
            return Err("a password has at most 256 characters".into());
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Splits a comma- or newline-separated list into trimmed, non-empty,
/// de-duplicated items (order kept).
pub fn parse_list(input: &str, what: &str, max_items: usize, max_len: usize) -> Result<Vec<String>, String> {
    let mut items: Vec<String> = Vec::new();
    for raw in input.split([',', '\n']) {
        let item = raw.trim();
        if item.is_empty() {
            continue;
        }
        if item.chars().count() > max_len {
            return Err(format!("each {what} is at most {max_len} characters"));
        }
        if !items.iter().any(|i| i.eq_ignore_ascii_case(item)) {
            items.push(item.to_string());
        }
    }
    if items.len() > max_items {
        return Err(format!("at most {max_items} {what}s"));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked_and_derived() {
        assert!(Slug::parse("rust-guild").is_ok());
        assert!(Slug::parse("Rust").is_err());
        assert!(Slug::parse("a").is_err());
        assert!(Slug::parse("x--y").is_err());
        assert!(Slug::parse("new").is_err());
        assert!(Slug::parse("9lives").is_err());
        assert_eq!(Slug::from_name("Platform & SRE Guild").unwrap().as_str(), "platform-sre-guild");
    }

    #[test]
    fn handles_accept_at_prefix_and_reject_spaces() {
        assert_eq!(Handle::parse("@Ada.L").unwrap().as_str(), "ada.l");
        assert!(Handle::parse("ada lovelace").is_err());
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        assert_eq!(TimeZone::parse("Europe/Berlin").unwrap().name(), "Europe/Berlin");
        let err = TimeZone::parse("Mars/Olympus").unwrap_err();
        assert!(err.contains("Mars/Olympus"));
    }

    #[test]
    fn urls_must_be_http() {
        assert!(HttpUrl::parse("https://chat.example.com/room").is_ok());
        assert!(HttpUrl::parse("javascript:alert(1)").is_err());
        assert!(HttpUrl::parse("data:text/html,hi").is_err());
        assert!(HttpUrl::parse("not a url").is_err());
    }

    #[test]
    fn working_hours_wrap_past_midnight() {
        let night = WorkingHours::parse("22:00", "06:00").unwrap();
        assert!(night.contains(23 * 60));
        assert!(night.contains(60));
        assert!(!night.contains(12 * 60));
        assert!(WorkingHours::parse("25:00", "06:00").is_err());
        assert_eq!(night.start_text(), "22:00");
    }

    #[test]
    fn lists_are_trimmed_and_deduplicated() {
        let items = parse_list("Rust, rust,\n tokio ,,", "topic", 10, 40).unwrap();
        assert_eq!(items, vec!["Rust".to_string(), "tokio".to_string()]);
        assert!(parse_list("a,b,c", "topic", 2, 40).is_err());
    }

    #[test]
    fn enum_words_round_trip() {
        for level in SkillLevel::ALL {
            assert_eq!(SkillLevel::parse(level.as_str()).unwrap(), *level);
        }
        assert!(SkillLevel::parse("guru").unwrap_err().contains("learning"));
    }

    #[test]
    fn passwords_are_redacted() {
        let p = Password::parse("correct horse").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
        assert!(Password::parse("short").is_err());
    }
}
