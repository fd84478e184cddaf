//! Configuration, in layers: built-in defaults, then `copse.toml` (or the file
//! named by `--config` / `COPSE_CONFIG`), then `COPSE_*` environment
//! variables, then command-line flags. Only the binary reads files and the
//! environment; everything else receives typed values.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./copse-data/copse.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database_url: String,
    pub listen: String,
    pub log_format: LogFormat,
    pub secure_cookies: bool,
    pub session_days: i64,
    pub max_connections: u32,
    /// This process's search index directory; by default `search-index`
    /// beside the SQLite file, or `./copse-data/search-index`.
    pub search_index_dir: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.into(),
            listen: DEFAULT_LISTEN.into(),
            log_format: LogFormat::Human,
            secure_cookies: false,
            session_days: 14,
            max_connections: 16,
            search_index_dir: None,
        }
    }
}

/// The database URL may carry a password; never print it.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:<redacted>{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("log_format", &self.log_format)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_days", &self.session_days)
            .field("max_connections", &self.max_connections)
            .field("search_index_dir", &self.search_index_dir)
            .finish()
    }
}

impl Config {
    /// Loads the layers. `explicit` is a file named on the command line or in
    /// `COPSE_CONFIG`, which must exist; `./copse.toml` is read if present.
    pub fn load(explicit: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let mut config = match explicit {
            Some(path) => Self::from_file(path)?,
            None if Path::new("copse.toml").exists() => Self::from_file(Path::new("copse.toml"))?,
            None => Self::default(),
        };
        if let Some(v) = env("COPSE_DATABASE_URL") {
            config.database_url = v;
        }
        if let Some(v) = env("COPSE_LISTEN") {
            config.listen = v;
        }
        if let Some(v) = env("COPSE_LOG_FORMAT") {
            config.log_format = match v.as_str() {
                "human" => LogFormat::Human,
                "json" => LogFormat::Json,
                other => bail!("COPSE_LOG_FORMAT={other}: expected human or json"),
            };
        }
        if let Some(v) = env("COPSE_SECURE_COOKIES") {
            config.secure_cookies = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => bail!("COPSE_SECURE_COOKIES={v}: expected true or false"),
            };
        }
        if let Some(v) = env("COPSE_SESSION_DAYS") {
            config.session_days =
                v.parse().with_context(|| format!("COPSE_SESSION_DAYS={v}: expected a number of days"))?;
        }
        if let Some(v) = env("COPSE_MAX_CONNECTIONS") {
            config.max_connections =
                v.parse().with_context(|| format!("COPSE_MAX_CONNECTIONS={v}: expected a number"))?;
        }
        if let Some(v) = env("COPSE_SEARCH_INDEX_DIR") {
            config.search_index_dir = Some(v);
        }
        config.validate()?;
        Ok(config)
    }

    /// Where this process keeps its search index.
    pub fn search_index_path(&self) -> PathBuf {
        if let Some(dir) = self.search_index_dir.as_deref().filter(|d| !d.trim().is_empty()) {
            return PathBuf::from(dir);
        }
        let sqlite_file = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(""))
            .filter(|path| !path.is_empty() && !path.contains(":memory:"));
        match sqlite_file.and_then(|file| Path::new(file).parent()) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.join("search-index"),
            Some(_) => PathBuf::from("search-index"),
            None => PathBuf::from("./copse-data/search-index"),
        }
    }

    /// Where files uploaded for an import wait for the background job:
    /// beside the search index.
    pub fn import_upload_path(&self) -> PathBuf {
        let index = self.search_index_path();
        match index.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.join("import-uploads"),
            _ => PathBuf::from("import-uploads"),
        }
    }

    fn from_file(path: &Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("config file {} is not valid", path.display()))
    }

    fn validate(&self) -> Result<()> {
        if !(1..=365).contains(&self.session_days) {
            bail!("session_days must be between 1 and 365, not {}", self.session_days);
        }
        if self.max_connections == 0 {
            bail!("max_connections must be at least 1");
        }
        Ok(())
    }
}

/// The commented example printed by `copse default-config`.
pub const EXAMPLE: &str = r#"# copse configuration. Every setting may also be given as an environment
# variable named COPSE_ plus the upper-case key (COPSE_DATABASE_URL, ...),
# which wins over this file; command-line flags win over both.

# Where the data lives: sqlite://PATH (created on first run) or
# postgres://USER:PASSWORD@HOST:PORT/DATABASE.
database_url = "sqlite://./copse-data/copse.db"

# Address and port to listen on.
listen = "127.0.0.1:8080"

# Log lines as "human" text or "json" (one object per line).
log_format = "human"

# Mark cookies Secure: set to true when copse is served over HTTPS.
secure_cookies = false

# How many days a sign-in lasts.
session_days = 14

# Database connections per copse process.
max_connections = 16

# Where this process keeps its search index (derived from the database and
# rebuilt with `copse reindex`). Default: search-index beside the SQLite
# file, or ./copse-data/search-index. Several copse processes sharing one
# PostgreSQL each need a directory of their own.
# search_index_dir = "./copse-data/search-index"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_to_the_defaults() {
        let parsed: Config = toml::from_str(EXAMPLE).unwrap();
        let defaults = Config::default();
        assert_eq!(parsed.database_url, defaults.database_url);
        assert_eq!(parsed.listen, defaults.listen);
        assert_eq!(parsed.session_days, defaults.session_days);
    }

    #[test]
    fn environment_overrides_and_bad_values_are_named() {
        let env = |k: &str| match k {
            "COPSE_DATABASE_URL" => Some("postgres://u:secret@db/copse".to_string()),
            "COPSE_SESSION_DAYS" => Some("3".to_string()),
            _ => None,
        };
        let config = Config::load(None, env).unwrap();
        assert_eq!(config.session_days, 3);
        assert!(!format!("{config:?}").contains("secret"), "passwords are redacted");
        let bad = |k: &str| (k == "COPSE_SESSION_DAYS").then(|| "soon".to_string());
        let err = Config::load(None, bad).unwrap_err().to_string();
        assert!(err.contains("COPSE_SESSION_DAYS=soon"), "{err}");
    }

    #[test]
    fn the_search_index_lives_beside_the_sqlite_file_unless_configured() {
        let mut config = Config { database_url: "sqlite:///var/lib/copse/copse.db".into(), ..Config::default() };
        assert_eq!(config.search_index_path(), PathBuf::from("/var/lib/copse/search-index"));
        config.database_url = "postgres://u@db/copse".into();
        assert_eq!(config.search_index_path(), PathBuf::from("./copse-data/search-index"));
        config.search_index_dir = Some("/srv/index-a".into());
        assert_eq!(config.search_index_path(), PathBuf::from("/srv/index-a"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = std::env::temp_dir().join(format!("copse-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("copse.toml");
        std::fs::write(&path, "databse_url = \"sqlite://x.db\"\n").unwrap();
        let err = format!("{:#}", Config::load(Some(&path), |_| None).unwrap_err());
        assert!(err.contains("databse_url"), "{err}");
    }
}
