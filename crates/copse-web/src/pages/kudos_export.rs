//! The kudos export's wire formats, shared by the export pages
//! (`/kudos/export.csv`, `/kudos/export.json`) and the API
//! (`/api/v1/kudos/export`).
//!
//! CSV follows RFC 4180: CRLF line ends; a field holding a comma, a quote or
//! a line break is quoted, with quotes doubled. It is also guarded against
//! spreadsheet formula injection: a text field starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet
//! shows it as text instead of running it. JSON carries the same values
//! unchanged.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_app::{KudosExport, KudosExportQuery};
use serde::{Deserialize, Serialize};

use crate::format;

#[derive(Deserialize, Default)]
pub struct ExportParams {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl ExportParams {
    pub fn query(&self) -> KudosExportQuery {
        KudosExportQuery { person: self.person.clone(), from: self.from.clone(), to: self.to.clone() }
    }
}

/// One exported kudos, as the JSON export and the API write it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KudosExportRecord {
    pub id: i64,
    /// RFC 3339, UTC.
    pub given_at: String,
    pub giver_handle: String,
    pub giver_name: String,
    pub receiver_handle: String,
    pub receiver_name: String,
    /// Only for admins and on kudos the reader received; empty otherwise.
    pub receiver_email: String,
    /// The community's slug, or empty for a mentorship outside any community.
    pub community: String,
    /// answering, sharing, facilitating, curating, reviewing, mentoring or organizing.
    pub contribution: String,
    /// post, artifact, event or mentorship.
    pub subject_type: String,
    /// The subject's address in copse (relative).
    pub subject_url: String,
    /// The skill's key, or empty.
    pub skill: String,
    pub message: String,
}

/// A JSON export: whose, which days, and the kudos.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KudosExportDocument {
    /// The handle the export is about; null for everyone (admins).
    pub person: Option<String>,
    /// YYYY-MM-DD, inclusive; null for no bound.
    pub from: Option<String>,
    pub to: Option<String>,
    pub count: usize,
    pub kudos: Vec<KudosExportRecord>,
}

pub const EXPORT_COLUMNS: [&str; 13] = [
    "id",
    "given_at",
    "giver_handle",
    "giver_name",
    "receiver_handle",
    "receiver_name",
    "receiver_email",
    "community",
    "contribution",
    "subject_type",
    "subject_url",
    "skill",
    "message",
];

pub fn export_document(export: &KudosExport) -> KudosExportDocument {
    KudosExportDocument {
        person: export.person.clone(),
        from: export.from.map(|d| d.to_string()),
        to: export.to.map(|d| d.to_string()),
        count: export.rows.len(),
        kudos: export
            .rows
            .iter()
            .map(|r| KudosExportRecord {
                id: r.id,
                given_at: format::rfc3339(r.given_at),
                giver_handle: r.giver_handle.clone(),
                giver_name: r.giver_name.clone(),
                receiver_handle: r.receiver_handle.clone(),
                receiver_name: r.receiver_name.clone(),
                receiver_email: r.receiver_email.clone(),
                community: r.community.clone(),
                contribution: r.contribution.clone(),
                subject_type: r.subject_type.clone(),
                subject_url: r.subject_url.clone(),
                skill: r.skill.clone(),
                message: r.message.clone(),
            })
            .collect(),
    }
}

/// One CSV field: guarded against formula injection, then quoted when it
/// holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// The export as CSV: a header line, then one line per kudos, CRLF ends.
pub fn export_csv_text(export: &KudosExport) -> String {
    let mut out = EXPORT_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in &export_document(export).kudos {
        let fields = [
            r.id.to_string(),
            csv_field(&r.given_at),
            csv_field(&r.giver_handle),
            csv_field(&r.giver_name),
            csv_field(&r.receiver_handle),
            csv_field(&r.receiver_name),
            csv_field(&r.receiver_email),
            csv_field(&r.community),
            csv_field(&r.contribution),
            csv_field(&r.subject_type),
            csv_field(&r.subject_url),
            csv_field(&r.skill),
            csv_field(&r.message),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The download's file name: kudos-<who>-<from>-<to>.<ext>, from safe characters only.
pub fn export_filename(export: &KudosExport, extension: &str) -> String {
    let who = export.person.as_deref().unwrap_or("everyone");
    let from = export.from.map_or("start".to_string(), |d| d.to_string());
    let to = export.to.map_or("now".to_string(), |d| d.to_string());
    let name: String = format!("kudos-{who}-{from}-{to}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    format!("{name}.{extension}")
}

/// A download response with its type and `Content-Disposition: attachment`.
pub fn download(content_type: &'static str, filename: &str, body: String) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_guarded() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@cmd"), "'@cmd");
        assert_eq!(csv_field("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assert_eq!(csv_field("a-b"), "a-b", "only a leading sign is guarded");
    }
}
