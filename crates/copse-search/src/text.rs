//! Markdown to the plain text that is indexed and shown in snippets.

use pulldown_cmark::{Event, Parser, TagEnd};

/// The readable text of a Markdown document: words of paragraphs, headings,
/// list items, code and link texts, separated by spaces and line breaks.
/// Raw HTML is dropped: it is never shown, so it should not match either.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                out.push_str(&text)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell,
            ) => out.push('\n'),
            Event::End(TagEnd::TableRow | TagEnd::TableHead | TagEnd::BlockQuote(_)) => out.push('\n'),
            _ => {}
        }
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_and_drops_markup() {
        let text = markdown_to_text(
            "# Deploy *safely*\n\nRun `cargo build` then [read the guide](https://x.test).\n\n- one\n- two\n\n<script>alert(1)</script>",
        );
        assert_eq!(text, "Deploy safely\nRun cargo build then read the guide.\none\ntwo");
    }

    #[test]
    fn code_blocks_keep_their_text() {
        assert_eq!(markdown_to_text("```\nfn main() {}\n```"), "fn main() {}");
    }
}
