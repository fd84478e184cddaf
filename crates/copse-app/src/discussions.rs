//! Use cases for discussions and Q&A: threads, posts, edits with history,
//! reactions, mentions, moderation, accepted answers and time saved.
