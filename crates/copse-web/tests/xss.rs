//! The hostile-Markdown corpus (`tests/xss/vectors.txt`, 80+ known XSS
//! vectors) through copse's Markdown renderer: every tag in the output must
//! be on a short allowlist, carry no event-handler or style attribute, and
//! link only to http(s), mailto or relative URLs. The browser test
//! (`tests/browser/xss.py`) renders the same corpus in real Chromium.

use copse_web::markdown::render;

const CORPUS: &str = include_str!("../../../tests/xss/vectors.txt");

/// Tags the renderer may emit (what CommonMark with tables produces).
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "p",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
    "hr",
    "br",
    "del",
    "s",
    "sup",
    "sub",
    "div",
    "span",
    // Harmless without attributes, kept by the sanitizer's defaults.
    "details",
    "summary",
    "small",
    "mark",
    "ins",
    "kbd",
    "dl",
    "dt",
    "dd",
    "caption",
    "colgroup",
    "col",
];
const URL_ATTRIBUTES: &[&str] = &["href", "src", "srcset", "action", "formaction", "background", "xlink:href", "data"];

fn vectors() -> Vec<&'static str> {
    // Split on the separator lines, dropping the header comment before the first one.
    let mut entries = Vec::new();
    let mut start = None;
    let mut offset = 0;
    for line in CORPUS.split_inclusive('\n') {
        if line.trim_end() == "%%" {
            if let Some(s) = start {
                entries.push(CORPUS[s..offset].trim_end_matches('\n'));
            }
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    if let Some(s) = start {
        entries.push(CORPUS[s..].trim_end_matches('\n'));
    }
    entries.into_iter().filter(|e| !e.trim().is_empty()).collect()
}

/// A start tag's name and attributes, read from the renderer's serialized
/// output (html5ever writes every value double-quoted, with `"` escaped).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').expect("every tag is closed");
        let inside = &rest[..end];
        rest = &rest[end + 1..];
        if inside.starts_with('/') || inside.starts_with('!') {
            continue;
        }
        let inside = inside.trim_end_matches('/');
        let name_len = inside.find(|c: char| c.is_whitespace()).unwrap_or(inside.len());
        let name = inside[..name_len].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut tail = inside[name_len..].trim_start();
        while !tail.is_empty() {
            let name_end = tail.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(tail.len());
            let attr = tail[..name_end].to_ascii_lowercase();
            tail = &tail[name_end..];
            let mut value = String::new();
            if let Some(after) = tail.strip_prefix("=\"") {
                let close = after.find('"').expect("quoted attribute closes");
                value = after[..close].to_string();
                tail = &after[close + 1..];
            }
            attrs.push((attr, value));
            tail = tail.trim_start();
        }
        found.push((name, attrs));
    }
    found
}

fn decoded(value: &str) -> String {
    value.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
}

fn safe_url(value: &str) -> bool {
    let v: String = decoded(value).chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = v.to_ascii_lowercase();
    match lower.find(':') {
        // Only letters, digits, '+', '-' and '.' make a scheme; with anything
        // else before the colon (a '/', '%', '?') the URL is relative.
        Some(colon)
            if lower[..colon].starts_with(|c: char| c.is_ascii_alphabetic())
                && lower[..colon].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            ["http", "https", "mailto"].contains(&&lower[..colon])
        }
        _ => true,
    }
}

#[test]
fn the_corpus_is_large_enough() {
    let vectors = vectors();
    assert!(vectors.len() >= 50, "only {} vectors", vectors.len());
    let mut distinct = vectors.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), vectors.len(), "the corpus repeats an entry");
}

#[test]
fn every_vector_renders_harmless() {
    let mut failures = Vec::new();
    for vector in vectors() {
        let html = render(vector);
        for (tag, attrs) in tags(&html) {
            if !ALLOWED_TAGS.contains(&tag.as_str()) {
                failures.push(format!("{vector:?}: tag <{tag}> in {html:?}"));
            }
            for (name, value) in attrs {
                if name.starts_with("on") || name == "style" || name == "srcdoc" {
                    failures.push(format!("{vector:?}: attribute {name} in {html:?}"));
                }
                if URL_ATTRIBUTES.contains(&name.as_str()) && !safe_url(&value) {
                    failures.push(format!("{vector:?}: {name}={value:?} in {html:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} unsafe renderings:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_checker_itself_catches_unsafe_html() {
    // The checks above must be able to fail: feed them what an unsanitized
    // renderer would produce.
    let bad = tags(r#"<p><img src="x" onerror="alert(1)"><a href="javascript:alert(1)">x</a><script>"#);
    assert_eq!(bad.len(), 4);
    assert!(bad[1].1.iter().any(|(n, _)| n == "onerror"));
    assert!(!safe_url(&bad[2].1[0].1));
    assert!(!ALLOWED_TAGS.contains(&bad[3].0.as_str()));
    assert!(!safe_url("java\tscript:alert(1)"));
    assert!(safe_url("/artifacts/1?x=a:b"));
    assert!(safe_url("https://example.com"));
}

#[test]
fn harmless_markdown_still_renders() {
    let html = render("A [link](https://example.com) and `code`.\n\n| a |\n|---|\n| 1 |");
    assert!(html.contains(r#"href="https://example.com""#));
    assert!(html.contains("<code>code</code>"));
    assert!(html.contains("<table>"));
}
