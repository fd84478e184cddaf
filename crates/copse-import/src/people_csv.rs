//! The CSV people directory reader: an organization's people list (an HR or
//! spreadsheet export) turned into [`Record::Person`]s, one per row, known
//! by e-mail so they merge with the same people in git and mailing lists.
//!
//! The file has a header row. Columns are found by name, in any order and
//! any case, spaces, `_` and `-` ignored (`Time Zone`, `time_zone` and
//! `timezone` are one column):
//!
//! | column      | required | also accepted     | becomes                                  |
//! |-------------|----------|-------------------|------------------------------------------|
//! | `name`      | yes      | `full name`       | the identity's name (may be empty)       |
//! | `email`     | yes      | `e-mail`, `mail`  | the identity (lower-cased); unique       |
//! | `team`      | no       |                   | team                                     |
//! | `location`  | no       |                   | location                                 |
//! | `time_zone` | no       | `tz`              | an IANA zone name (`Europe/Berlin`)      |
//! | `skills`    | no       |                   | skills, separated by `;` or `\|`          |
//!
//! Skills are separated by `;` or `|` rather than `,` so that a skills cell
//! needs no quoting (`Rust; SQL|Go`). Other columns are ignored (one
//! warning names them). A UTF-8 byte order mark at the start is skipped.
//!
//! Errors name the file and the line (and the column, by number and name):
//! a missing required column (line 1), a row with a different number of
//! fields than the header, an unbalanced or stray quote, invalid UTF-8, an
//! empty or malformed e-mail, an unknown time zone, an e-mail already on an
//! earlier line (both lines named). The `strict` submodule says why this is not the
//! `csv` crate.

mod strict;

use crate::{Identity, ImportError, Importer, PersonRecord, Position, Record, Sink, Source, Summary};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use strict::{CsvReader, CsvRecord};

/// Reads a CSV people directory.
#[derive(Debug, Clone)]
pub struct PeopleCsvImporter {
    /// The longest field, in bytes; longer is an error (memory stays
    /// bounded whatever the file holds).
    pub max_field_bytes: usize,
}

impl Default for PeopleCsvImporter {
    fn default() -> Self {
        PeopleCsvImporter { max_field_bytes: 16 * 1024 * 1024 }
    }
}

/// The most columns a header may have.
const MAX_COLUMNS: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Email,
    Team,
    Location,
    TimeZone,
    Skills,
}

impl Column {
    const ALL: [Column; 6] =
        [Column::Name, Column::Email, Column::Team, Column::Location, Column::TimeZone, Column::Skills];

    /// The name documented (and used in messages).
    fn name(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Email => "email",
            Column::Team => "team",
            Column::Location => "location",
            Column::TimeZone => "time_zone",
            Column::Skills => "skills",
        }
    }

    /// A header cell, compared without case, spaces, `_` or `-`.
    fn from_header(header: &str) -> Option<Column> {
        let key: String =
            header.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).flat_map(char::to_lowercase).collect();
        match key.as_str() {
            "name" | "fullname" => Some(Column::Name),
            "email" | "mail" => Some(Column::Email),
            "team" => Some(Column::Team),
            "location" => Some(Column::Location),
            "timezone" | "tz" => Some(Column::TimeZone),
            "skills" => Some(Column::Skills),
            _ => None,
        }
    }
}

impl Importer for PeopleCsvImporter {
    fn source(&self) -> Source {
        Source::PeopleCsv
    }

    fn read(&self, path: &Path, sink: &mut dyn Sink) -> Result<Summary, ImportError> {
        let file = File::open(path).map_err(|e| ImportError::io(path, &e))?;
        let total = file.metadata().map_err(|e| ImportError::io(path, &e))?.len();
        let mut input = BufReader::new(file);
        // Spreadsheets often save "CSV UTF-8" with a byte order mark.
        let bom = input.fill_buf().map_err(|e| ImportError::io(path, &e))?.starts_with(b"\xEF\xBB\xBF");
        if bom {
            input.consume(3);
        }
        let mut reader = CsvReader::new(input, path, self.max_field_bytes, MAX_COLUMNS);
        let mut record = CsvRecord::default();
        let mut summary = Summary::default();
        sink.progress(0, Some(total));

        if !reader.next_record(&mut record)? {
            return Err(ImportError::at(
                path,
                Position::Line(1),
                "the file is empty: expected a header row naming at least the name and email columns",
            ));
        }
        let columns = header_columns(path, &record, &mut summary)?;
        let field_count = record.len;
        reader.set_max_fields(field_count);

        let mut line_of_email: HashMap<String, u64> = HashMap::new();
        let mut last_progress = 0;
        while reader.next_record(&mut record)? {
            let line = record.line;
            if record.len != field_count {
                return Err(ImportError::at(
                    path,
                    Position::Line(line),
                    format!("this row has {} fields, the header has {field_count}", record.len),
                ));
            }
            let text = |column: Column| -> Result<&str, ImportError> {
                let Some(index) = columns[column as usize] else { return Ok("") };
                std::str::from_utf8(record.field(index)).map(str::trim).map_err(|_| {
                    ImportError::at(
                        path,
                        Position::LineColumn(line, record.columns[index]),
                        format!("invalid UTF-8 in column \"{}\": save the file as UTF-8", column.name()),
                    )
                })
            };
            let at_column = |column: Column, message: String| {
                let field = columns[column as usize].map_or(0, |index| record.columns[index]);
                ImportError::at(path, Position::LineColumn(line, field), message)
            };

            let name = text(Column::Name)?;
            let email = text(Column::Email)?;
            if email.is_empty() {
                return Err(at_column(Column::Email, "column \"email\" is empty: every person needs an e-mail".into()));
            }
            if !plausible_email(email) {
                return Err(at_column(
                    Column::Email,
                    format!("column \"email\": \"{email}\" is not an e-mail address"),
                ));
            }
            let identity = Identity::by_email(name, email);
            if let Some(first) = line_of_email.get(&identity.key) {
                return Err(at_column(
                    Column::Email,
                    format!("column \"email\": {} is already on line {first}", identity.key),
                ));
            }
            let zone = text(Column::TimeZone)?;
            let time_zone = if zone.is_empty() {
                None
            } else {
                match zone.parse::<chrono_tz::Tz>() {
                    Ok(tz) => Some(tz.name().to_string()),
                    Err(_) => {
                        return Err(at_column(
                            Column::TimeZone,
                            format!(
                                "column \"time_zone\": \"{zone}\" is not an IANA time zone name \
                                 (like Europe/Berlin or America/New_York)"
                            ),
                        ));
                    }
                }
            };
            let person = PersonRecord {
                team: text(Column::Team)?.to_string(),
                location: text(Column::Location)?.to_string(),
                time_zone,
                skills: parse_skills(text(Column::Skills)?),
                identity,
            };
            line_of_email.insert(person.identity.key.clone(), line);
            sink.record(Record::Person(person)).map_err(ImportError::Stopped)?;
            summary.records += 1;
            if reader.bytes_read >= last_progress + 64 * 1024 {
                last_progress = reader.bytes_read;
                sink.progress(reader.bytes_read + u64::from(bom) * 3, Some(total));
            }
        }
        sink.progress(total, Some(total));
        Ok(summary)
    }
}

/// Which field holds each [`Column`] (indexed by `Column as usize`).
type Columns = [Option<usize>; Column::ALL.len()];

fn header_columns(path: &Path, header: &CsvRecord, summary: &mut Summary) -> Result<Columns, ImportError> {
    let line = header.line;
    let mut columns: Columns = [None; Column::ALL.len()];
    let mut ignored = Vec::new();
    for index in 0..header.len {
        let cell = std::str::from_utf8(header.field(index)).map_err(|_| {
            ImportError::at(path, Position::LineColumn(line, header.columns[index]), "invalid UTF-8 in the header")
        })?;
        match Column::from_header(cell.trim()) {
            Some(column) => {
                if columns[column as usize].is_some() {
                    return Err(ImportError::at(
                        path,
                        Position::LineColumn(line, header.columns[index]),
                        format!("the header has column \"{}\" twice", column.name()),
                    ));
                }
                columns[column as usize] = Some(index);
            }
            None => ignored.push(cell.trim().to_string()),
        }
    }
    for required in [Column::Name, Column::Email] {
        if columns[required as usize].is_none() {
            let found: Vec<String> =
                (0..header.len).map(|index| String::from_utf8_lossy(header.field(index)).trim().to_string()).collect();
            return Err(ImportError::at(
                path,
                Position::Line(line),
                format!(
                    "the header has no \"{}\" column (it has: {}); name and email are required",
                    required.name(),
                    found.join(", ")
                ),
            ));
        }
    }
    if !ignored.is_empty() {
        summary.warnings.push(format!(
            "{}: line {line}: columns ignored (not name, email, team, location, time_zone, skills): {}",
            path.display(),
            ignored.join(", ")
        ));
    }
    Ok(columns)
}

/// Enough of a check to catch a shifted column or a typo: one `@`, text on
/// both sides, no spaces or characters that would make it two addresses.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '<' | '>' | '"'))
}

/// Skills separated by `;` or `|`, trimmed, empty ones and repeats dropped,
/// in the order given.
pub fn parse_skills(cell: &str) -> Vec<String> {
    let mut skills: Vec<String> = Vec::new();
    for skill in cell.split([';', '|']).map(str::trim).filter(|s| !s.is_empty()) {
        if !skills.iter().any(|known| known == skill) {
            skills.push(skill.to_string());
        }
    }
    skills
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_are_matched_loosely() {
        assert_eq!(Column::from_header("Time Zone"), Some(Column::TimeZone));
        assert_eq!(Column::from_header("time_zone"), Some(Column::TimeZone));
        assert_eq!(Column::from_header("E-Mail"), Some(Column::Email));
        assert_eq!(Column::from_header("NAME"), Some(Column::Name));
        assert_eq!(Column::from_header("manager"), None);
    }

    #[test]
    fn skills_split_on_semicolons_and_bars() {
        assert_eq!(parse_skills("Rust; SQL|Go ;; Rust"), ["Rust", "SQL", "Go"]);
        assert!(parse_skills(" ").is_empty());
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(plausible_email("ada@example.org"));
        assert!(plausible_email("a.b+c@localhost"));
        assert!(!plausible_email("ada.example.org"));
        assert!(!plausible_email("@example.org"));
        assert!(!plausible_email("ada@"));
        assert!(!plausible_email("ada@@example.org"));
        assert!(!plausible_email("ada lovelace@example.org"));
        assert!(!plausible_email("ada@example.org, bob@example.org"));
    }
}
