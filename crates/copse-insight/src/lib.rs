//! copse's measuring brain: pure functions from recorded activity to what a
//! facilitator needs to know. No IO, no async; callers load the data.
//!
//! Today it owns participation levels (core, active, peripheral, inactive),
//! derived from the activity record and never set by hand.

pub mod participation;
pub mod planner;
pub mod rota;

pub use participation::{ParticipationBands, ParticipationSummary, classify, summarize};
