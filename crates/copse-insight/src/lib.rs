//! copse's measuring brain: pure functions from recorded activity to what a
//! facilitator needs to know. No IO, no async; callers load the data.
//!
//! Today it owns participation levels (core, active, peripheral, inactive),
//! derived from the activity record and never set by hand; the meeting-time
//! planner and facilitation rota; expertise scores and "who knows X"
//! ranking; question routing; and mentor matching.

pub mod expertise;
pub mod matching;
pub mod participation;
pub mod planner;
pub mod rota;
pub mod routing;

pub use participation::{ParticipationBands, ParticipationSummary, classify, summarize};
