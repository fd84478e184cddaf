//! The index's schema: one tantivy document per searchable thing.
//!
//! | field | kind | purpose |
//! |---|---|---|
//! | `key` | raw, stored | unique per document (`thread:12`), for replacing one |
//! | `group` | raw | a thread and its replies share `thread:12`, replaced together |
//! | `doc_type` | raw, stored | thread, post, artifact, event, community, person |
//! | `entity_id` | u64, stored | the thread's, post's, ... id |
//! | `community_id` | u64, indexed, fast, stored | visibility and the community filter; 0 for people |
//! | `kind` | raw, stored | the thread's, artifact's or event's kind |
//! | `status` | raw, stored | an artifact's status |
//! | `tag` | raw, stored, many | a thread's (also on its replies) or artifact's tags; a person's skills |
//! | `author` | raw, stored | the author's handle |
//! | `date` | date, indexed, fast, stored | created (threads, posts, communities, people), updated (artifacts), starts (events) |
//! | `locator` | stored | what the link needs besides the id: thread id, event occurrence key, slug, handle |
//! | `title` | text, stored | boosted |
//! | `context` | text, stored | a reply's thread title, at lower weight |
//! | `body` | text, stored | plain text of the Markdown, for snippets |

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

/// Bump when the schema or what goes into a document changes: an index
/// written by another version is rebuilt from the database on start.
pub const SCHEMA_VERSION: u32 = 1;

/// The fields of the schema, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub key: Field,
    pub group: Field,
    pub doc_type: Field,
    pub entity_id: Field,
    pub community_id: Field,
    pub kind: Field,
    pub status: Field,
    pub tag: Field,
    pub author: Field,
    pub date: Field,
    pub locator: Field,
    pub title: Field,
    pub context: Field,
    pub body: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("default")
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let date =
            DateOptions::default().set_indexed().set_fast().set_stored().set_precision(DateTimePrecision::Milliseconds);
        let fields = Fields {
            key: builder.add_text_field("key", STRING | STORED),
            group: builder.add_text_field("group", STRING),
            doc_type: builder.add_text_field("doc_type", STRING | STORED),
            entity_id: builder.add_u64_field("entity_id", STORED),
            community_id: builder.add_u64_field("community_id", INDEXED | FAST | STORED),
            kind: builder.add_text_field("kind", STRING | STORED),
            status: builder.add_text_field("status", STRING | STORED),
            tag: builder.add_text_field("tag", STRING | STORED),
            author: builder.add_text_field("author", STRING | STORED),
            date: builder.add_date_field("date", date),
            locator: builder.add_text_field("locator", STORED),
            title: builder.add_text_field("title", text.clone()),
            context: builder.add_text_field("context", text.clone()),
            body: builder.add_text_field("body", text),
        };
        (builder.build(), fields)
    }

    /// The fields of an opened index, which must have this schema.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let (expected, fields) = Self::schema();
        (expected == *schema).then_some(fields)
    }
}
