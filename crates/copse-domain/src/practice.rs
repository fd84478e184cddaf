//! The practice repository: artifact kinds and statuses, validated artifact
//! drafts, checklist items parsed from Markdown, and the line diff between
//! two versions.
