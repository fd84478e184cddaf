//! Links between pieces of content found in Markdown text: a post or an
//! artifact that mentions `/artifacts/123` links to artifact 123, and
//! `@handle` mentions a person. Both are recomputed from the text on every
//! save, so they never drift from what the reader sees.

/// Artifact ids linked from `text` (`/artifacts/{id}` anywhere, as in a
/// relative or absolute URL), each once, in order of first appearance.
pub fn artifact_ids_in(text: &str) -> Vec<i64> {
    const MARK: &str = "/artifacts/";
    let mut ids = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        rest = &rest[at + MARK.len()..];
        let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
        if let Ok(id) = digits.parse::<i64>()
            && id > 0
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// Handles mentioned as `@handle` in `text`, lowercased, each once. A mention
/// starts a word (so e-mail addresses are not mentions) and uses the handle
/// alphabet (letters, digits, `-`, `_`, `.`), without a trailing dot.
pub fn mentioned_handles(text: &str) -> Vec<String> {
    let mut handles: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('@') {
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !starts_word {
            continue;
        }
        let tail = &text[i + 1..];
        let len = tail.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')).count();
        let handle = tail[..len].trim_end_matches('.').to_ascii_lowercase();
        if !handle.is_empty() && !handles.contains(&handle) {
            handles.push(handle);
        }
    }
    handles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_artifact_links() {
        let text = "See [the checklist](/artifacts/12) and https://copse.example/artifacts/7/versions, \
                    again /artifacts/12, not /artifacts/x or /artifacts/0.";
        assert_eq!(artifact_ids_in(text), vec![12, 7]);
        assert!(artifact_ids_in("no links").is_empty());
    }

    #[test]
    fn finds_mentions_but_not_emails() {
        let text = "@Ada and @sam.k, please look. Mail bob@example.com. Thanks @priya.";
        assert_eq!(mentioned_handles(text), vec!["ada", "sam.k", "priya"]);
        assert!(mentioned_handles("@ alone").is_empty());
    }
}
