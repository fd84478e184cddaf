//! Search over threads, posts, artifacts, events, communities and people,
//! filtered by what the person searching may see.
