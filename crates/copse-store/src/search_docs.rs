//! What the search indexer reads: the change feed after a sequence number,
//! and searchable documents (threads, posts, artifacts, events, communities,
//! people) by id or in batches for a full rebuild.
