//! The practice repository: artifact kinds and statuses, validated artifact
//! drafts and curation changes, checklist items parsed from Markdown, and the
//! line diff between two versions.

use chrono::NaiveDate;

use crate::error::FieldErrors;
use crate::values::parse_name;
use crate::word_enum;

word_enum!(
    /// What an artifact is (the tutorial's "shared practice").
    ArtifactKind {
        Guide = "guide" / "Guide",
        Standard = "standard" / "Standard",
        Checklist = "checklist" / "Checklist",
        Adr = "adr" / "Architecture decision record",
        Runbook = "runbook" / "Runbook",
        Template = "template" / "Template",
        LessonsLearned = "lessons-learned" / "Lessons learned",
        Recording = "recording" / "Recording",
        Tutorial = "tutorial" / "Tutorial",
    }
);

word_enum!(
    /// Where an artifact stands in its life.
    ArtifactStatus {
        Draft = "draft" / "Draft",
        InReview = "in-review" / "In review",
        Published = "published" / "Published",
        Deprecated = "deprecated" / "Deprecated",
        Superseded = "superseded" / "Superseded",
    }
);

impl ArtifactStatus {
    /// Deprecated and superseded artifacts are kept for the record but no
    /// longer maintained, so they are never stale and carry a banner.
    pub fn is_retired(self) -> bool {
        matches!(self, ArtifactStatus::Deprecated | ArtifactStatus::Superseded)
    }
}

/// The longest artifact body, in characters.
pub const MAX_ARTIFACT_BODY: usize = 100_000;
/// The most owners an artifact has.
pub const MAX_OWNERS: usize = 10;

/// The artifact form as typed (create and edit share it; an edit ignores
/// `review_by` and `status`, which are curation).
#[derive(Debug, Clone, Default)]
pub struct ArtifactInput {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The version note: what changed and why.
    pub message: String,
    /// Comma- or space-separated.
    pub tags: String,
    /// "2026-09-30" or empty.
    pub review_by: String,
    /// The status a new artifact starts in: draft (when empty), in-review or
    /// published.
    pub status: String,
}

/// A validated artifact version with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactDraft {
    pub kind: ArtifactKind,
    pub title: String,
    /// Markdown, as written (line endings normalized to `\n`).
    pub body: String,
    pub message: String,
    pub tags: Vec<String>,
    pub review_by: Option<NaiveDate>,
    /// Where a new artifact starts; never deprecated or superseded.
    pub status: ArtifactStatus,
}

impl ArtifactDraft {
    /// Parses every field and reports every problem at once.
    pub fn parse(input: &ArtifactInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = errors.check("kind", ArtifactKind::parse(&input.kind));
        let title = errors.check("title", parse_title(&input.title));
        let body = errors.check("body", parse_body(&input.body));
        let message = errors.check("message", parse_name_or_empty(&input.message, "The version note", 300));
        let tags = errors.check("tags", parse_tags(&input.tags));
        let review_by = errors.check("review_by", parse_review_by(&input.review_by));
        let status = errors.check(
            "status",
            match input.status.trim() {
                "" => Ok(ArtifactStatus::Draft),
                text => ArtifactStatus::parse(text).and_then(|s| {
                    if s.is_retired() {
                        Err("a new artifact starts as a draft, in review or published".to_string())
                    } else {
                        Ok(s)
                    }
                }),
            },
        );
        errors.finish()?;
        let missing = || FieldErrors::single("title", "incomplete form");
        Ok(Self {
            kind: kind.ok_or_else(missing)?,
            title: title.ok_or_else(missing)?,
            body: body.ok_or_else(missing)?,
            message: message.unwrap_or_default(),
            tags: tags.unwrap_or_default(),
            review_by: review_by.flatten(),
            status: status.unwrap_or(ArtifactStatus::Draft),
        })
    }
}

fn parse_title(input: &str) -> Result<String, String> {
    let title = parse_name(input, "The title", 200)?;
    if title.chars().count() < 3 {
        return Err("The title must be at least 3 characters".into());
    }
    Ok(title)
}

fn parse_name_or_empty(input: &str, what: &str, max: usize) -> Result<String, String> {
    if input.trim().is_empty() { Ok(String::new()) } else { parse_name(input, what, max) }
}

/// The body as written, with Windows line endings made `\n` so versions
/// saved from a browser and from the API diff cleanly.
pub fn parse_body(input: &str) -> Result<String, String> {
    let body = input.replace("\r\n", "\n");
    if body.trim().is_empty() {
        return Err("The body is required".into());
    }
    let length = body.chars().count();
    if length > MAX_ARTIFACT_BODY {
        return Err(format!(
            "The body is {length} characters long; the limit is {MAX_ARTIFACT_BODY}. Split it into several artifacts \
             and link them."
        ));
    }
    if body.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("The body contains control characters".into());
    }
    Ok(body)
}

/// Tags as typed in one field: the same rules as a thread's
/// ([`crate::parse_thread_tags`]).
pub fn parse_tags(input: &str) -> Result<Vec<String>, String> {
    crate::parse_thread_tags(&crate::split_thread_tags(input))
}

/// An optional review-by date, `YYYY-MM-DD`.
pub fn parse_review_by(input: &str) -> Result<Option<NaiveDate>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| format!("'{text}' is not a date like 2026-09-30"))
}

/// The curation form as typed: status, what supersedes it, owners, review-by.
#[derive(Debug, Clone, Default)]
pub struct CurationInput {
    pub status: String,
    /// The superseding artifact's id, or its address (`/artifacts/12`).
    pub superseded_by: String,
    /// Owner handles, comma- or space-separated, `@` optional.
    pub owners: String,
    pub review_by: String,
}

/// A validated curation change. Owner handles are checked against the
/// community by the use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curation {
    pub status: ArtifactStatus,
    pub superseded_by: Option<i64>,
    pub owners: Vec<String>,
    pub review_by: Option<NaiveDate>,
}

impl Curation {
    pub fn parse(input: &CurationInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = errors.check("status", ArtifactStatus::parse(&input.status));
        let superseded_by = errors.check("superseded_by", parse_artifact_ref(&input.superseded_by));
        let owners = errors.check("owners", parse_owner_handles(&input.owners));
        let review_by = errors.check("review_by", parse_review_by(&input.review_by));
        match (status, superseded_by) {
            (Some(ArtifactStatus::Superseded), Some(None)) => {
                errors.add("superseded_by", "name the artifact that supersedes this one (its number or address)")
            }
            (Some(s), Some(Some(_))) if s != ArtifactStatus::Superseded => {
                errors.add("superseded_by", "only a superseded artifact names a replacement; leave this empty")
            }
            _ => {}
        }
        errors.finish()?;
        let missing = || FieldErrors::single("status", "incomplete form");
        Ok(Self {
            status: status.ok_or_else(missing)?,
            superseded_by: superseded_by.flatten(),
            owners: owners.ok_or_else(missing)?,
            review_by: review_by.flatten(),
        })
    }
}

/// "12", "#12", "/artifacts/12" or a full URL ending in it; empty is `None`.
fn parse_artifact_ref(input: &str) -> Result<Option<i64>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let number = text.rsplit("/artifacts/").next().unwrap_or(text).trim_start_matches('#');
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<i64>() {
        Ok(id) if id > 0 && digits.len() == number.trim_end_matches('/').len() => Ok(Some(id)),
        _ => Err(format!("'{text}' is not an artifact number or address like /artifacts/12")),
    }
}

fn parse_owner_handles(input: &str) -> Result<Vec<String>, String> {
    let mut owners: Vec<String> = Vec::new();
    for raw in input.split(|c: char| c == ',' || c.is_whitespace()) {
        let handle = raw.trim().trim_start_matches('@').to_lowercase();
        if handle.is_empty() {
            continue;
        }
        if !owners.contains(&handle) {
            owners.push(handle);
        }
    }
    if owners.is_empty() {
        return Err("an artifact has at least one owner".into());
    }
    if owners.len() > MAX_OWNERS {
        return Err(format!("at most {MAX_OWNERS} owners"));
    }
    Ok(owners)
}

/// One line to tick in a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub text: String,
    /// Ticked in the Markdown itself (`- [x]`); runs start unticked anyway.
    pub checked: bool,
}

/// The items of a checklist body: its task-list lines (`- [ ] item`,
/// `* [x] item`), or when it has none, its plain list items (`- item`,
/// `1. item`). Lines inside fenced code blocks are not items.
pub fn checklist_items(body: &str) -> Vec<ChecklistItem> {
    let mut tasks = Vec::new();
    let mut plain = Vec::new();
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let Some(rest) = list_item_text(trimmed) else {
            continue;
        };
        let task = rest
            .strip_prefix("[ ]")
            .map(|t| (t, false))
            .or_else(|| rest.strip_prefix("[x]").or_else(|| rest.strip_prefix("[X]")).map(|t| (t, true)));
        match task {
            Some((text, checked)) if !text.trim().is_empty() => {
                tasks.push(ChecklistItem { text: text.trim().to_string(), checked })
            }
            Some(_) => {}
            None if !rest.trim().is_empty() => {
                plain.push(ChecklistItem { text: rest.trim().to_string(), checked: false })
            }
            None => {}
        }
    }
    if tasks.is_empty() { plain } else { tasks }
}

/// The text after a list marker (`- `, `* `, `+ `, `1. `, `1) `), if the
/// line is a list item.
fn list_item_text(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(text.trim_start());
        }
    }
    None
}

/// What happened to one line between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    Equal,
    Added,
    Removed,
}

/// One line of a diff with its line numbers in the old and new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: DiffKind,
    /// 1-based line number in the old text (absent for an added line).
    pub old_line: Option<usize>,
    /// 1-based line number in the new text (absent for a removed line).
    pub new_line: Option<usize>,
    pub text: String,
}

/// A run of changes with up to `context` unchanged lines around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffHunk {
    /// 1-based first old line shown (0 when the old side is empty).
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<DiffLine>,
}

impl DiffHunk {
    /// The unified-diff header, "@@ -3,7 +3,8 @@".
    pub fn header(&self) -> String {
        format!("@@ -{},{} +{},{} @@", self.old_start, self.old_len, self.new_start, self.new_len)
    }
}

/// Beyond this many differing lines the diff stops searching for the
/// shortest edit and shows the rest as one replacement, so a diff of two
/// unrelated 100,000-character bodies stays fast and small in memory.
const MAX_EDIT_DISTANCE: usize = 1_000;

/// The line diff from `old` to `new` as hunks with `context` unchanged lines
/// around each change (Myers' shortest edit script). Equal texts give no hunks.
pub fn diff_lines(old: &str, new: &str, context: usize) -> Vec<DiffHunk> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let ops = edit_script(&old_lines, &new_lines);
    hunks(&ops, context)
}

/// Every line of both texts in order, each marked equal, added or removed.
fn edit_script(old: &[&str], new: &[&str]) -> Vec<DiffLine> {
    // Common prefix and suffix are equal lines; only the middle is searched.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (a, b) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let mut out = Vec::with_capacity(old.len().max(new.len()) + 8);
    let equal = |out: &mut Vec<DiffLine>, i: usize, j: usize, text: &str| {
        out.push(DiffLine { kind: DiffKind::Equal, old_line: Some(i + 1), new_line: Some(j + 1), text: text.into() })
    };
    for (i, text) in old[..prefix].iter().enumerate() {
        equal(&mut out, i, i, text);
    }
    for step in myers(a, b) {
        let (i, j) = (step.1 + prefix, step.2 + prefix);
        match step.0 {
            DiffKind::Equal => equal(&mut out, i, j, old[i]),
            DiffKind::Removed => out.push(DiffLine {
                kind: DiffKind::Removed,
                old_line: Some(i + 1),
                new_line: None,
                text: old[i].into(),
            }),
            DiffKind::Added => {
                out.push(DiffLine { kind: DiffKind::Added, old_line: None, new_line: Some(j + 1), text: new[j].into() })
            }
        }
    }
    for k in 0..suffix {
        let (i, j) = (old.len() - suffix + k, new.len() - suffix + k);
        equal(&mut out, i, j, old[i]);
    }
    out
}

/// Myers' greedy shortest edit script between `a` and `b`: steps of
/// (kind, index in a, index in b); for Added the a-index is where it goes.
fn myers(a: &[&str], b: &[&str]) -> Vec<(DiffKind, usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    if max == 0 {
        return Vec::new();
    }
    let limit = max.min(MAX_EDIT_DISTANCE);
    let offset = limit as isize + 1;
    let mut v = vec![0isize; 2 * limit + 3];
    // trace[d] is V as it was before step d, over diagonals -d..=d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=limit as isize {
        trace.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[(offset + k - 1) as usize] < v[(offset + k + 1) as usize]);
            let mut x = if down { v[(offset + k + 1) as usize] } else { v[(offset + k - 1) as usize] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(offset + k) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'search;
            }
            k += 2;
        }
    }
    let Some(distance) = found else {
        // Too different: show the whole middle as removed then added.
        let mut steps: Vec<(DiffKind, usize, usize)> = (0..a.len()).map(|i| (DiffKind::Removed, i, 0)).collect();
        steps.extend((0..b.len()).map(|j| (DiffKind::Added, a.len(), j)));
        return steps;
    };
    // Walk back from (n, m) through the saved frontiers.
    let mut steps = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=distance).rev() {
        let before = &trace[d as usize];
        let at = |k: isize| before[(k + d) as usize];
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        // The snake of this step starts just after the edit.
        let snake_x = if down { prev_x } else { prev_x + 1 };
        while x > snake_x {
            x -= 1;
            y -= 1;
            steps.push((DiffKind::Equal, x as usize, y as usize));
        }
        steps.push((if down { DiffKind::Added } else { DiffKind::Removed }, prev_x as usize, prev_y as usize));
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        steps.push((DiffKind::Equal, x as usize, y as usize));
    }
    steps.reverse();
    steps
}

/// Groups an edit script into hunks with `context` equal lines around changes.
fn hunks(lines: &[DiffLine], context: usize) -> Vec<DiffHunk> {
    let changed: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.kind != DiffKind::Equal).map(|(i, _)| i).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(context);
        let mut end = changed[i];
        // Extend while the next change is close enough to share context.
        while i + 1 < changed.len() && changed[i + 1] <= end + 2 * context + 1 {
            i += 1;
            end = changed[i];
        }
        let end = (end + context + 1).min(lines.len());
        let slice = &lines[start..end];
        let old_len = slice.iter().filter(|l| l.kind != DiffKind::Added).count();
        let new_len = slice.iter().filter(|l| l.kind != DiffKind::Removed).count();
        // The first line number on each side: from the slice, or (for a side
        // with no lines in it) the line before the hunk, as unified diff does.
        let old_start = slice
            .iter()
            .find_map(|l| l.old_line)
            .unwrap_or_else(|| lines[..start].iter().rev().find_map(|l| l.old_line).unwrap_or(0));
        let new_start = slice
            .iter()
            .find_map(|l| l.new_line)
            .unwrap_or_else(|| lines[..start].iter().rev().find_map(|l| l.new_line).unwrap_or(0));
        out.push(DiffHunk { old_start, old_len, new_start, new_len, lines: slice.to_vec() });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ArtifactInput {
        ArtifactInput {
            kind: "checklist".into(),
            title: "Release checklist".into(),
            body: "- [ ] Tag the release\r\n- [ ] Publish notes\r\n".into(),
            message: "First version".into(),
            tags: "Release, rust  ci-cd".into(),
            review_by: "2030-01-31".into(),
            status: String::new(),
        }
    }

    #[test]
    fn a_valid_artifact_parses() {
        let mut typed = input();
        typed.tags = "Release, rust c++ #ops".into();
        let draft = ArtifactDraft::parse(&typed).unwrap();
        assert_eq!(draft.kind, ArtifactKind::Checklist);
        assert_eq!(draft.body, "- [ ] Tag the release\n- [ ] Publish notes\n");
        assert_eq!(draft.tags, vec!["release", "rust", "c++", "ops"]);
        assert_eq!(draft.review_by, NaiveDate::from_ymd_opt(2030, 1, 31));
        assert_eq!(draft.status, ArtifactStatus::Draft);
        assert_eq!(ArtifactKind::parse("lessons-learned"), Ok(ArtifactKind::LessonsLearned));
        assert_eq!(ArtifactStatus::parse("in-review"), Ok(ArtifactStatus::InReview));
    }

    #[test]
    fn bad_fields_are_all_named() {
        let bad = ArtifactInput {
            kind: "poem".into(),
            title: "ab".into(),
            body: "   ".into(),
            message: "x".repeat(301),
            tags: "ci/cd".into(),
            review_by: "next year".into(),
            status: "superseded".into(),
        };
        let errors = ArtifactDraft::parse(&bad).unwrap_err();
        for field in ["kind", "title", "body", "message", "tags", "review_by", "status"] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors}");
        }
        let nine = ArtifactInput { tags: "a b c d e f g h i".into(), ..input() };
        assert!(ArtifactDraft::parse(&nine).unwrap_err().get("tags").unwrap().contains("at most 8"));
    }

    #[test]
    fn a_body_over_the_limit_is_refused_with_its_length() {
        let long = ArtifactInput { body: "é".repeat(MAX_ARTIFACT_BODY + 1), ..input() };
        let message = ArtifactDraft::parse(&long).unwrap_err().get("body").unwrap().to_string();
        assert!(message.contains("100001 characters") && message.contains("100000"), "{message}");
        let exact = ArtifactInput { body: "é".repeat(MAX_ARTIFACT_BODY), ..input() };
        assert!(ArtifactDraft::parse(&exact).is_ok(), "the limit counts characters, not bytes");
    }

    #[test]
    fn curation_needs_a_replacement_only_when_superseded() {
        let typed = |status: &str, by: &str| CurationInput {
            status: status.into(),
            superseded_by: by.into(),
            owners: "@Ada, sam ada".into(),
            review_by: String::new(),
        };
        let ok = Curation::parse(&typed("superseded", "/artifacts/12")).unwrap();
        assert_eq!((ok.superseded_by, ok.owners.clone()), (Some(12), vec!["ada".to_string(), "sam".to_string()]));
        assert_eq!(
            Curation::parse(&typed("superseded", "https://x.example/artifacts/7")).unwrap().superseded_by,
            Some(7)
        );
        assert!(Curation::parse(&typed("superseded", "")).unwrap_err().get("superseded_by").is_some());
        assert!(Curation::parse(&typed("published", "12")).unwrap_err().get("superseded_by").is_some());
        assert!(Curation::parse(&typed("superseded", "/artifacts/12x")).unwrap_err().get("superseded_by").is_some());
        let nobody = CurationInput { owners: " , ".into(), ..typed("draft", "") };
        assert!(Curation::parse(&nobody).unwrap_err().get("owners").is_some());
    }

    #[test]
    fn checklist_items_come_from_task_lists_or_plain_lists() {
        let body = "# Release\n\nIntro text.\n\n- [ ] Tag the release\n  * [x] Run the tests\n- plain note\n\
                    ```\n- [ ] not an item\n```\n1. [X] Numbered task\n";
        let items = checklist_items(body);
        assert_eq!(
            items,
            vec![
                ChecklistItem { text: "Tag the release".into(), checked: false },
                ChecklistItem { text: "Run the tests".into(), checked: true },
                ChecklistItem { text: "Numbered task".into(), checked: true },
            ]
        );
        let plain = checklist_items("Steps:\n\n1. Drain the node\n2) Upgrade\n- Uncordon\n-not a list\n");
        let texts: Vec<&str> = plain.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, vec!["Drain the node", "Upgrade", "Uncordon"]);
        assert!(checklist_items("No list here.").is_empty());
    }

    fn render(hunks: &[DiffHunk]) -> String {
        let mut out = String::new();
        for hunk in hunks {
            out.push_str(&hunk.header());
            out.push('\n');
            for line in &hunk.lines {
                let mark = match line.kind {
                    DiffKind::Equal => ' ',
                    DiffKind::Added => '+',
                    DiffKind::Removed => '-',
                };
                out.push(mark);
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn equal_texts_have_no_hunks() {
        assert!(diff_lines("a\nb\n", "a\nb\n", 3).is_empty());
        assert!(diff_lines("", "", 3).is_empty());
    }

    #[test]
    fn a_changed_line_in_the_middle() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        // Checked by hand against `diff -U1`.
        assert_eq!(render(&diff_lines(old, new, 1)), "@@ -4,3 +4,3 @@\n 4\n-5\n+five\n 6\n");
    }

    #[test]
    fn insertions_and_deletions_with_line_numbers() {
        let old = "a\nb\nc\nd\n";
        let new = "a\nc\nd\ne\n";
        let hunks = diff_lines(old, new, 3);
        assert_eq!(render(&hunks), "@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n");
        let added = hunks[0].lines.iter().find(|l| l.kind == DiffKind::Added).unwrap();
        assert_eq!((added.old_line, added.new_line), (None, Some(4)));
        let removed = hunks[0].lines.iter().find(|l| l.kind == DiffKind::Removed).unwrap();
        assert_eq!((removed.old_line, removed.new_line), (Some(2), None));
    }

    #[test]
    fn distant_changes_make_separate_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let changed = |words: &[(usize, &str)]| -> String {
            (1..=20)
                .map(|i| match words.iter().find(|(n, _)| *n == i) {
                    Some((_, w)) => format!("{w}\n"),
                    None => format!("{i}\n"),
                })
                .collect()
        };
        let new = changed(&[(2, "two"), (19, "nineteen")]);
        let hunks = diff_lines(&old, &new, 2);
        assert_eq!(hunks.len(), 2);
        assert_eq!(hunks[0].header(), "@@ -1,4 +1,4 @@");
        assert_eq!(hunks[1].header(), "@@ -17,4 +17,4 @@");
        // Close changes share one hunk.
        let near = changed(&[(5, "five"), (8, "eight")]);
        assert_eq!(diff_lines(&old, &near, 2).len(), 1);
    }

    #[test]
    fn from_and_to_empty_texts() {
        assert_eq!(render(&diff_lines("", "x\ny\n", 3)), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(render(&diff_lines("x\ny\n", "", 3)), "@@ -1,2 +0,0 @@\n-x\n-y\n");
    }

    #[test]
    fn the_classic_myers_example_is_shortest() {
        // Myers (1986): ABCABBA -> CBABAC needs 5 edits.
        let old = "A\nB\nC\nA\nB\nB\nA\n";
        let new = "C\nB\nA\nB\nA\nC\n";
        let hunks = diff_lines(old, new, 0);
        let edits: usize = hunks.iter().flat_map(|h| &h.lines).filter(|l| l.kind != DiffKind::Equal).count();
        assert_eq!(edits, 5);
        // Applying the script to the old text gives the new one.
        let script = edit_script(&old.lines().collect::<Vec<_>>(), &new.lines().collect::<Vec<_>>());
        let rebuilt: Vec<&str> =
            script.iter().filter(|l| l.kind != DiffKind::Removed).map(|l| l.text.as_str()).collect();
        assert_eq!(rebuilt, new.lines().collect::<Vec<_>>());
        let original: Vec<&str> =
            script.iter().filter(|l| l.kind != DiffKind::Added).map(|l| l.text.as_str()).collect();
        assert_eq!(original, old.lines().collect::<Vec<_>>());
    }

    #[test]
    fn very_different_texts_fall_back_to_a_replacement() {
        let old: String = (0..3_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..3_000).map(|i| format!("new {i}\n")).collect();
        let hunks = diff_lines(&old, &new, 3);
        let lines = &hunks[0].lines;
        assert_eq!(lines.iter().filter(|l| l.kind == DiffKind::Removed).count(), 3_000);
        assert_eq!(lines.iter().filter(|l| l.kind == DiffKind::Added).count(), 3_000);
    }
}
