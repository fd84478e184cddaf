//! From the store's rows to index documents: one per thread (title, opening
//! post, tags), per reply (body, with its thread's title as context), per
//! artifact (title, current body, tags, kind, status), per event series
//! (title, description), per community (name, domain, purpose, scope) and
//! per person (name, skills, team, location, bio).

use copse_store::{ArtifactDocRow, CommunityDocRow, EventDocRow, PersonDocRow, PostDocRow, ThreadDocRow, split_list};
use tantivy::{DateTime, TantivyDocument};

use crate::schema::Fields;
use crate::text::markdown_to_text;

/// What a document stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocType {
    Thread,
    Post,
    Artifact,
    Event,
    Community,
    Person,
}

impl DocType {
    pub const ALL: [DocType; 6] =
        [DocType::Thread, DocType::Post, DocType::Artifact, DocType::Event, DocType::Community, DocType::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Thread => "thread",
            DocType::Post => "post",
            DocType::Artifact => "artifact",
            DocType::Event => "event",
            DocType::Community => "community",
            DocType::Person => "person",
        }
    }

    pub fn parse(text: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// A document before it becomes tantivy's: what the indexer and the
/// benchmark both build.
#[derive(Debug, Clone)]
pub struct SearchDocument {
    pub doc_type: DocType,
    pub entity_id: i64,
    /// The group replaced together: a thread with its replies.
    pub group: String,
    /// 0 for people, who belong to no community.
    pub community_id: i64,
    pub kind: String,
    pub status: String,
    pub tags: Vec<String>,
    pub author: Option<String>,
    /// UTC milliseconds.
    pub date: i64,
    pub locator: String,
    pub title: String,
    pub context: String,
    /// Plain text (Markdown already stripped).
    pub body: String,
}

impl SearchDocument {
    pub fn key(&self) -> String {
        key(self.doc_type, self.entity_id)
    }

    pub fn to_tantivy(&self, fields: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.key, self.key());
        doc.add_text(fields.group, &self.group);
        doc.add_text(fields.doc_type, self.doc_type.as_str());
        doc.add_u64(fields.entity_id, self.entity_id.max(0) as u64);
        doc.add_u64(fields.community_id, self.community_id.max(0) as u64);
        if !self.kind.is_empty() {
            doc.add_text(fields.kind, &self.kind);
        }
        if !self.status.is_empty() {
            doc.add_text(fields.status, &self.status);
        }
        for tag in &self.tags {
            doc.add_text(fields.tag, tag);
        }
        if let Some(author) = &self.author {
            doc.add_text(fields.author, author);
        }
        doc.add_date(fields.date, DateTime::from_timestamp_millis(self.date));
        doc.add_text(fields.locator, &self.locator);
        doc.add_text(fields.title, &self.title);
        if !self.context.is_empty() {
            doc.add_text(fields.context, &self.context);
        }
        doc.add_text(fields.body, &self.body);
        doc
    }
}

pub(crate) fn key(doc_type: DocType, id: i64) -> String {
    format!("{}:{id}", doc_type.as_str())
}

pub(crate) fn thread_group(thread: i64) -> String {
    key(DocType::Thread, thread)
}

/// Tags are matched as words too: "ci-cd" is found by "ci cd".
fn with_tags(body: String, tags: &[String]) -> String {
    if tags.is_empty() { body } else { format!("{body}\n{}", tags.join(" ")) }
}

pub fn thread_document(row: &ThreadDocRow) -> SearchDocument {
    let tags = split_list(&row.tags);
    SearchDocument {
        doc_type: DocType::Thread,
        entity_id: row.id,
        group: thread_group(row.id),
        community_id: row.community_id,
        kind: row.kind.clone(),
        status: String::new(),
        body: with_tags(markdown_to_text(&row.body), &tags),
        tags,
        author: row.author_handle.clone(),
        date: row.created_at,
        locator: String::new(),
        title: row.title.clone(),
        context: String::new(),
    }
}

pub fn post_document(row: &PostDocRow) -> SearchDocument {
    SearchDocument {
        doc_type: DocType::Post,
        entity_id: row.id,
        group: thread_group(row.thread_id),
        community_id: row.community_id,
        kind: row.thread_kind.clone(),
        status: String::new(),
        tags: split_list(&row.tags),
        author: row.author_handle.clone(),
        date: row.created_at,
        locator: row.thread_id.to_string(),
        title: String::new(),
        context: row.thread_title.clone(),
        body: markdown_to_text(&row.body),
    }
}

pub fn artifact_document(row: &ArtifactDocRow) -> SearchDocument {
    let tags = split_list(&row.tags);
    SearchDocument {
        doc_type: DocType::Artifact,
        entity_id: row.id,
        group: key(DocType::Artifact, row.id),
        community_id: row.community_id,
        kind: row.kind.clone(),
        status: row.status.clone(),
        body: with_tags(markdown_to_text(&row.body), &tags),
        tags,
        author: row.author_handle.clone(),
        date: row.updated_at,
        locator: String::new(),
        title: row.title.clone(),
        context: String::new(),
    }
}

pub fn event_document(row: &EventDocRow) -> SearchDocument {
    SearchDocument {
        doc_type: DocType::Event,
        entity_id: row.id,
        group: key(DocType::Event, row.id),
        community_id: row.community_id,
        kind: row.kind.clone(),
        status: String::new(),
        tags: Vec::new(),
        author: row.author_handle.clone(),
        date: row.starts_at,
        locator: row.start_local.clone(),
        title: row.title.clone(),
        context: String::new(),
        body: markdown_to_text(&row.description),
    }
}

pub fn community_document(row: &CommunityDocRow) -> SearchDocument {
    let mut body = format!("{}\n{}", row.domain, row.purpose);
    for part in [&row.in_scope, &row.out_of_scope] {
        if !part.is_empty() {
            body.push('\n');
            body.push_str(part);
        }
    }
    SearchDocument {
        doc_type: DocType::Community,
        entity_id: row.id,
        group: key(DocType::Community, row.id),
        community_id: row.id,
        kind: row.kind.clone(),
        status: String::new(),
        tags: Vec::new(),
        author: None,
        date: row.created_at,
        locator: row.slug.clone(),
        title: row.name.clone(),
        context: String::new(),
        body: markdown_to_text(&body),
    }
}

pub fn person_document(row: &PersonDocRow) -> SearchDocument {
    let skills = split_list(&row.skills);
    let mut body = String::new();
    if !skills.is_empty() {
        body.push_str("Skills: ");
        body.push_str(&skills.join(", "));
        body.push('\n');
    }
    for part in [&row.team, &row.location] {
        if !part.is_empty() {
            body.push_str(part);
            body.push('\n');
        }
    }
    body.push_str(&markdown_to_text(&row.bio));
    SearchDocument {
        doc_type: DocType::Person,
        entity_id: row.id,
        group: key(DocType::Person, row.id),
        community_id: 0,
        kind: String::new(),
        status: String::new(),
        tags: skills,
        author: None,
        date: row.created_at,
        locator: row.handle.clone(),
        title: row.name.clone(),
        context: String::new(),
        body: body.trim_end().to_string(),
    }
}
