//! Threads, posts, revisions, tags, reactions and time saved (migration
//! 0003_discussions).
