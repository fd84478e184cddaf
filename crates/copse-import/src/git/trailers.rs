//! Commit-message trailers ("Reviewed-by: A U Thor <a@example.org>"), found
//! the way git itself finds them (`git interpret-trailers`, `%(trailers)`),
//! so that counts taken with `git log` agree with ours:
//!
//! - the subject paragraph is never a trailer block;
//! - the block is the last paragraph of the message, and it counts as
//!   trailers when every line in it is a trailer (or a continuation), or when
//!   it has a git-generated line (`Signed-off-by: `, `(cherry picked from
//!   commit `) and at least a quarter of its lines are trailers;
//! - a trailer line is `token: value` where the token is letters, digits and
//!   `-` (whitespace may stand before the colon) and the line does not start
//!   with whitespace; a line starting with whitespace continues the previous
//!   trailer's value (unfolded with one space);
//! - lines starting with `#` are comments and ignored.

/// One trailer of a message: the key as written (trimmed) and the unfolded,
/// trimmed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// The prefixes git writes itself; one of them makes a mixed paragraph a
/// trailer block (see the module docs).
const GIT_GENERATED_PREFIXES: [&str; 2] = ["Signed-off-by: ", "(cherry picked from commit "];

/// The trailers of `message` (the whole commit message, subject included),
/// in the order they appear.
pub fn parse(message: &str) -> Vec<Trailer> {
    let lines: Vec<&str> = message.split('\n').collect();
    let Some(start) = block_start(&lines) else {
        return Vec::new();
    };
    let mut trailers: Vec<Trailer> = Vec::new();
    // Whether the previous line was a trailer, so a continuation line
    // belongs to it (continuations after a non-trailer line are ignored).
    let mut in_trailer = false;
    for line in &lines[start..] {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if in_trailer && let Some(last) = trailers.last_mut() {
                let more = line.trim();
                if !more.is_empty() {
                    last.value.push(' ');
                    last.value.push_str(more);
                }
            }
            continue;
        }
        match separator(line) {
            Some(at) => {
                trailers.push(Trailer { key: line[..at].trim().to_string(), value: line[at + 1..].trim().to_string() });
                in_trailer = true;
            }
            None => in_trailer = false,
        }
    }
    trailers
}

/// The index of the first line of the trailer block, if the message has one.
fn block_start(lines: &[&str]) -> Option<usize> {
    // The subject paragraph (up to its first blank line) is never trailers.
    let end_of_title = lines.iter().position(|line| !line.starts_with('#') && is_blank(line))?;

    let mut only_spaces = true;
    let mut recognized_prefix = false;
    let mut trailer_lines = 0usize;
    let mut non_trailer_lines = 0usize;
    let mut possible_continuation_lines = 0usize;
    for index in (end_of_title..lines.len()).rev() {
        let line = lines[index].strip_suffix('\r').unwrap_or(lines[index]);
        if line.starts_with('#') {
            non_trailer_lines += possible_continuation_lines;
            possible_continuation_lines = 0;
            continue;
        }
        if is_blank(line) {
            if only_spaces {
                continue;
            }
            non_trailer_lines += possible_continuation_lines;
            let is_block = (recognized_prefix && trailer_lines * 3 >= non_trailer_lines)
                || (trailer_lines > 0 && non_trailer_lines == 0);
            return is_block.then_some(index + 1);
        }
        only_spaces = false;
        if GIT_GENERATED_PREFIXES.iter().any(|prefix| line.starts_with(prefix)) {
            trailer_lines += 1;
            possible_continuation_lines = 0;
            recognized_prefix = true;
        } else if line.starts_with([' ', '\t']) {
            possible_continuation_lines += 1;
        } else if separator(line).is_some() {
            trailer_lines += 1;
            possible_continuation_lines = 0;
        } else {
            non_trailer_lines += 1 + possible_continuation_lines;
            possible_continuation_lines = 0;
        }
    }
    // The loop always meets the blank line that ends the subject.
    None
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Where the `:` of a `token: value` line is: the token is letters, digits
/// and `-`, optionally followed by whitespace; at least one character.
fn separator(line: &str) -> Option<usize> {
    let mut whitespace_found = false;
    for (at, c) in line.char_indices() {
        if c == ':' {
            return (at >= 1).then_some(at);
        }
        if !whitespace_found && (c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        if at != 0 && (c == ' ' || c == '\t') {
            whitespace_found = true;
            continue;
        }
        return None;
    }
    None
}

/// A trailer value split into a display name and an e-mail address:
/// `Name <email>` (the address between the first `<` and the last `>`), or
/// a bare `email@host`. `None` when there is no address, or when what stands
/// between the brackets has whitespace (`<jdoe <at> example.org>`, an
/// obfuscated address that is no identity).
pub fn person(value: &str) -> Option<(&str, &str)> {
    let value = value.trim();
    if let Some(open) = value.find('<') {
        let close = value.rfind('>').filter(|&close| close > open)?;
        let email = value[open + 1..close].trim();
        if email.is_empty() || email.contains(char::is_whitespace) {
            return None;
        }
        return Some((value[..open].trim(), email));
    }
    (value.contains('@') && !value.contains(char::is_whitespace)).then_some(("", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(message: &str) -> Vec<(String, String)> {
        parse(message).into_iter().map(|t| (t.key, t.value)).collect()
    }

    #[test]
    fn last_paragraph_of_trailers() {
        let message = "subject\n\nbody text\n\nReviewed-by: A <a@x>\nHelped-by : B <b@x>\n";
        assert_eq!(
            keys(message),
            vec![("Reviewed-by".into(), "A <a@x>".into()), ("Helped-by".into(), "B <b@x>".into())]
        );
    }

    #[test]
    fn subject_is_never_a_trailer() {
        assert!(parse("Fix: something\n").is_empty());
        assert!(parse("Fix: something").is_empty());
    }

    #[test]
    fn mixed_paragraph_needs_a_git_generated_line() {
        let mixed = "s\n\nReviewed-by: A <a@x>\nnot a trailer line\n";
        assert!(parse(mixed).is_empty());
        let signed = "s\n\nReviewed-by: A <a@x>\nnot a trailer\nSigned-off-by: C <c@x>\n";
        assert_eq!(parse(signed).len(), 2);
        // One trailer in four lines is below git's quarter.
        let sparse = "s\n\nSigned-off-by: C <c@x>\nno\nno\nno\nno\n";
        assert!(parse(sparse).is_empty());
    }

    #[test]
    fn continuation_lines_unfold() {
        let message = "s\n\nReported-by: A Very\n  Long Name <a@x>\n";
        assert_eq!(keys(message), vec![("Reported-by".into(), "A Very Long Name <a@x>".into())]);
    }

    #[test]
    fn a_space_inside_the_token_is_no_trailer() {
        assert!(parse("s\n\nsee also: this\n").is_empty());
    }

    #[test]
    fn person_forms() {
        assert_eq!(person("A U Thor <A@Example.org>"), Some(("A U Thor", "A@Example.org")));
        assert_eq!(person("a@example.org"), Some(("", "a@example.org")));
        assert_eq!(person("A U Thor"), None);
        assert_eq!(person("A <>"), None);
        assert_eq!(person("J N <jn <at> example.org>"), None);
        assert_eq!(person("<a@x> (by mail)"), Some(("", "a@x")));
    }
}
