//! Discussions and Q&A: thread kinds, validated thread and post drafts, tags,
//! reactions, moderation reasons.
