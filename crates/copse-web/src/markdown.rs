//! Markdown to safe HTML. Text people write (posts, artifacts, event descriptions, session
//! notes) is stored as written and rendered on every view: CommonMark with
//! tables and strikethrough by `pulldown-cmark`, then cleaned by `ammonia`,
//! which keeps only harmless tags and attributes and http(s)/mailto links.
//! Stored HTML is never trusted, so a page can never carry a script.

use pulldown_cmark::{Options, Parser, html};

/// Longest text rendered; longer input is cut (forms already refuse it).
const MAX_INPUT: usize = 200_000;

/// Renders Markdown into sanitized HTML, safe to embed unescaped.
pub fn render(markdown: &str) -> String {
    let mut end = markdown.len().min(MAX_INPUT);
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(&markdown[..end], options);
    let mut unsafe_html = String::with_capacity(end * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders() {
        let html = render("# Agenda\n\n* **async** code\n* `tokio`\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(html.contains("<h1>Agenda</h1>"));
        assert!(html.contains("<strong>async</strong>"));
        assert!(html.contains("<code>tokio</code>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn hostile_input_is_made_harmless() {
        let vectors = [
            "<script>alert(1)</script>",
            "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)></svg>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<iframe src=https://evil.example></iframe>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "[x](JaVaScRiPt:alert(1))",
            "<form action=https://evil.example><input></form>",
        ];
        for vector in vectors {
            let html = render(vector).to_lowercase();
            for bad in
                ["<script", "javascript:", "onerror", "onload", "<svg", "<iframe", "data:text", "style=", "<form"]
            {
                assert!(!html.contains(bad), "{vector:?} rendered as {html:?}");
            }
        }
        let links = render("[site](https://example.com)");
        assert!(links.contains("href=\"https://example.com\"") && links.contains("noopener"));
    }

    #[test]
    fn deep_nesting_and_huge_input_stay_bounded() {
        let nested = format!("{}x", "> ".repeat(5000));
        assert!(!render(&nested).is_empty());
        let huge = "word ".repeat(100_000);
        assert!(render(&huge).len() < 260_000);
    }
}
