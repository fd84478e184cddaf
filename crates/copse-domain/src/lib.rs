//! The vocabulary of copse: entities, value types and the authorization policy.
//!
//! This crate owns what a community, a person, a membership and a stage *are*,
//! and the rules that hold for them whatever stores or serves them. Values from
//! the outside world (form fields, JSON, CLI arguments, imported files) are
//! parsed into the types here at the edge, so everything further in can trust
//! them: a [`Slug`] is always a valid slug, a [`TimeZone`] always a real IANA
//! zone. It knows nothing of SQL, HTTP, async or JSON.
//!
//! The one decision about who may do what lives in [`policy`].

pub mod community;
pub mod discussion;
pub mod error;
pub mod event;
pub mod ids;
pub mod links;
pub mod measurement;
pub mod person;
pub mod policy;
pub mod practice;
pub mod recurrence;
pub mod time;
pub mod values;

pub use community::*;
pub use discussion::*;
pub use error::{FieldError, FieldErrors};
pub use event::*;
pub use ids::*;
pub use measurement::*;
pub use person::*;
pub use policy::{Action, Actor, CommunityAccess, OrgRole, can};
pub use practice::*;
pub use time::Timestamp;
pub use values::*;
