//! copse's measuring brain: pure functions from recorded activity to what a
//! facilitator needs to know. No IO, no async; callers load the data.
//!
//! It owns participation levels (core, active, peripheral, inactive),
//! derived from the activity record and never set by hand; the meeting-time
//! planner and facilitation rota; expertise scores and "who knows X"
//! ranking; question routing; mentor matching; and measurement: the
//! community's input (`activity`), metrics per period (`metrics`),
//! inequality and diversity (`inequality`), brokers across communities
//! (`brokers`), the six challenges (`diagnosis`) and stage evidence
//! (`stage`), each value a [`Measure`] that can say "not enough data".

pub mod activity;
pub mod brokers;
pub mod diagnosis;
pub mod expertise;
pub mod inequality;
pub mod matching;
pub mod measure;
pub mod metrics;
pub mod participation;
pub mod planner;
pub mod rota;
pub mod routing;
pub mod stage;

pub use measure::Measure;
pub use participation::{ParticipationBands, ParticipationSummary, classify, summarize};
