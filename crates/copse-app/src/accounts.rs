//! Signing in and out, sessions, API tokens, CSRF tokens and local accounts.
//!
//! Passwords are hashed with Argon2id at the OWASP parameters (19 MiB, t=2,
//! p=1) on a blocking thread. Session and API tokens are random, handed to the
//! client once and stored only as SHA-256 hashes. CSRF tokens are an HMAC of
//! the session (or of a signed-out visitor's cookie) under the server secret,
//! so any process can check them and none has to store them.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use copse_domain::{
    Actor, ApiTokenId, Email, FieldErrors, Handle, OrgRole, Password, PersonId, Profile, TimeZone, Timestamp,
};
use copse_store::{AuthenticatedRow, NewPerson};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError};

/// Who is making a request, as the use cases see them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    pub handle: String,
    pub name: String,
    pub time_zone: TimeZone,
}

impl Viewer {
    pub fn anonymous() -> Self {
        Self { actor: Actor::anonymous(), handle: String::new(), name: String::new(), time_zone: TimeZone::utc() }
    }

    pub fn person(&self) -> Option<PersonId> {
        self.actor.person
    }

    /// The signed-in person, or `Unauthenticated`.
    pub fn require_person(&self) -> Result<PersonId, AppError> {
        self.actor.person.ok_or(AppError::Unauthenticated)
    }

    fn from_row(row: AuthenticatedRow) -> Self {
        Self {
            actor: Actor::person(PersonId(row.person_id), OrgRole::parse(&row.org_role).unwrap_or(OrgRole::Guest)),
            time_zone: TimeZone::parse(&row.time_zone).unwrap_or_else(|_| TimeZone::utc()),
            handle: row.handle,
            name: row.name,
        }
    }
}

/// An API token as its owner sees it.
#[derive(Debug, Clone)]
pub struct ApiTokenView {
    pub id: ApiTokenId,
    pub name: String,
    pub created_at: Timestamp,
}

/// What a person types to sign in.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Handle or e-mail.
    pub login: String,
    pub password: String,
    /// The client's address, for rate limiting.
    pub client_ip: String,
}

/// A session token to put in the cookie; only its hash is stored.
#[derive(Clone)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A local account to create (CLI `admin create-user`, demo data).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub handle: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub admin: bool,
}

pub(crate) fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buffer);
    hex::encode(buffer)
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (slow on purpose; call from a blocking thread).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(format!("worker thread failed: {e}")))
}

/// A valid hash of a password nobody has, so a sign-in for an unknown name
/// costs as much as one for a known name and timing does not reveal which.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3mL5o0zxqW0j0Vf8m1mR3f4l3QkXzJb4Yg8v9Hq2nE0";

impl App {
    /// Checks a password and opens a session. Refuses with `RateLimited` after
    /// too many recent failures for the account or the client address.
    pub async fn sign_in(&self, credentials: &Credentials) -> Result<(SessionToken, Viewer), AppError> {
        let store = self.store();
        let config = self.config();
        let account_key = credentials.login.trim().trim_start_matches('@').to_lowercase();
        if account_key.is_empty() || credentials.password.is_empty() {
            let mut errors = FieldErrors::new();
            if account_key.is_empty() {
                errors.add("login", "enter your handle or e-mail");
            }
            if credentials.password.is_empty() {
                errors.add("password", "enter your password");
            }
            return Err(AppError::Invalid(errors));
        }
        let window_start = Timestamp(Timestamp::now().millis() - config.login_window_minutes * 60_000);
        let (by_account, by_ip) =
            store.count_login_failures(&account_key, &credentials.client_ip, window_start).await?;
        if by_account >= config.login_failures_per_account || by_ip >= config.login_failures_per_ip {
            return Err(AppError::RateLimited { retry_after_secs: (config.login_window_minutes * 60) as u64 });
        }

        let person = store.find_person_by_login(&account_key).await?;
        let hash = match &person {
            Some(p) => store.find_password_hash(PersonId(p.id)).await?,
            None => None,
        };
        let password = credentials.password.clone();
        let has_account = hash.is_some();
        let hash = hash.unwrap_or_else(|| DECOY_HASH.to_string());
        let verified = blocking(move || verify_password(&password, &hash)).await?;
        let Some(person) = person.filter(|_| verified && has_account) else {
            store.insert_login_failure(&account_key, &credentials.client_ip).await?;
            return Err(AppError::invalid("login", "that handle or e-mail and password do not match"));
        };
        store.clear_login_failures(&account_key).await?;

        let token = random_token(32);
        let expires = Timestamp::now().plus_days(config.session_days);
        store.insert_session(&token_hash(&token), PersonId(person.id), expires).await?;
        let viewer = store
            .find_session(&token_hash(&token), Timestamp::now())
            .await?
            .map(Viewer::from_row)
            .ok_or_else(|| AppError::Internal("session vanished".into()))?;
        Ok((SessionToken(token), viewer))
    }

    /// The person behind a session cookie, if the session is live.
    pub async fn authenticate_session(&self, token: &str) -> Result<Option<Viewer>, AppError> {
        if token.len() != 64 {
            return Ok(None);
        }
        Ok(self.store().find_session(&token_hash(token), Timestamp::now()).await?.map(Viewer::from_row))
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store().delete_session(&token_hash(token)).await?)
    }

    /// Creates an API token for the viewer; the token is shown once.
    pub async fn create_api_token(&self, viewer: &Viewer, name: &str) -> Result<String, AppError> {
        let person = viewer.require_person()?;
        let name = copse_domain::parse_name(name, "Token name", 60).map_err(|m| AppError::invalid("name", m))?;
        let token = format!("copse_{}", random_token(24));
        self.store().insert_api_token(person, &name, &token_hash(&token)).await?;
        Ok(token)
    }

    /// The viewer's live API tokens (names and dates, never the secrets).
    pub async fn list_api_tokens(&self, viewer: &Viewer) -> Result<Vec<ApiTokenView>, AppError> {
        let person = viewer.require_person()?;
        Ok(self
            .store()
            .list_api_tokens(person)
            .await?
            .into_iter()
            .map(|t| ApiTokenView { id: ApiTokenId(t.id), name: t.name, created_at: Timestamp(t.created_at) })
            .collect())
    }

    /// Revokes one of the viewer's own tokens.
    pub async fn revoke_api_token(&self, viewer: &Viewer, id: ApiTokenId) -> Result<(), AppError> {
        let person = viewer.require_person()?;
        self.store().revoke_api_token(person, id).await.map_err(|e| match e {
            copse_store::StoreError::NotFound => AppError::NotFound("token"),
            other => other.into(),
        })
    }

    /// The person behind an API token (`Authorization: Bearer copse_...`).
    pub async fn authenticate_api_token(&self, token: &str) -> Result<Option<Viewer>, AppError> {
        if !token.starts_with("copse_") || token.len() > 100 {
            return Ok(None);
        }
        Ok(self.store().find_api_token(&token_hash(token)).await?.map(Viewer::from_row))
    }

    /// The CSRF token for a session (or a signed-out visitor's cookie value).
    pub fn csrf_token(&self, binding: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.inner.server_secret).expect("HMAC takes any key length");
        mac.update(b"csrf:");
        mac.update(binding.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Checks a submitted CSRF token in constant time.
    pub fn verify_csrf(&self, binding: &str, submitted: &str) -> bool {
        let Ok(bytes) = hex::decode(submitted) else {
            return false;
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.inner.server_secret).expect("HMAC takes any key length");
        mac.update(b"csrf:");
        mac.update(binding.as_bytes());
        !binding.is_empty() && mac.verify_slice(&bytes).is_ok()
    }

    /// Creates a person with a local account. For administrators and the CLI.
    pub async fn create_account(&self, account: &NewAccount) -> Result<PersonId, AppError> {
        let mut errors = FieldErrors::new();
        let handle = errors.check("handle", Handle::parse(&account.handle));
        let name = errors.check("name", copse_domain::parse_name(&account.name, "Name", 80));
        let email =
            if account.email.trim().is_empty() { None } else { errors.check("email", Email::parse(&account.email)) };
        let password = errors.check("password", Password::parse(&account.password));
        errors.finish()?;
        let (Some(handle), Some(name), Some(password)) = (handle, name, password) else {
            return Err(AppError::Internal("parse produced no value".into()));
        };
        let profile = Profile {
            name,
            team: String::new(),
            location: String::new(),
            time_zone: TimeZone::utc(),
            working_hours: Default::default(),
            experience: copse_domain::ExperienceLevel::Mid,
            skills: vec![],
            interests: vec![],
            bio: String::new(),
        };
        let hash = blocking(move || hash_password(password.expose())).await??;
        let person = self
            .store()
            .insert_person(&NewPerson {
                handle,
                email: email.map(|e| e.as_str().to_string()),
                role: if account.admin { OrgRole::Admin } else { OrgRole::Member },
                profile,
                created_at: Timestamp::now(),
            })
            .await?;
        self.store().set_password_hash(person, &hash).await?;
        Ok(person)
    }

    /// An administrator creates a person with a local account.
    pub async fn admin_create_account(&self, viewer: &Viewer, account: &NewAccount) -> Result<PersonId, AppError> {
        viewer.require_person()?;
        if !copse_domain::can(&viewer.actor, copse_domain::Action::Administer) {
            return Err(AppError::Forbidden("only administrators create accounts"));
        }
        self.create_account(account).await
    }

    /// Sets a password for an existing person (demo accounts, resets by an admin).
    pub async fn set_password(&self, person: PersonId, password: &str) -> Result<(), AppError> {
        let password = Password::parse(password).map_err(|m| AppError::invalid("password", m))?;
        let hash = blocking(move || hash_password(password.expose())).await??;
        Ok(self.store().set_password_hash(person, &hash).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(PasswordHash::new(DECOY_HASH).is_ok(), "the decoy must parse so it costs a full verify");
    }
}
