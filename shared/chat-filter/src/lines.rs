//! The one line reader of every line-based format: word lists, regex rules,
//! and the lists a deployment configures inline.
//!
//! Every format the project reads a line at a time skips blank lines and
//! `#` comments and numbers lines from 1, counting the skipped ones, so an
//! error's line number is the one an editor shows. Reading them in one place
//! keeps the formats from drifting apart (a comment in one format being an
//! entry in another).

/// The lines of `text` that hold something, trimmed, each with its 1-based
/// line number: blank lines and lines starting with `#` are skipped.
///
/// ```
/// let lines: Vec<_> = chat_filter::content_lines("# header\n\n  frack* | mild \nsmeg").collect();
/// assert_eq!(lines, [(3, "frack* | mild"), (4, "smeg")]);
/// ```
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    text.lines()
        .enumerate()
        .map(|(index, raw)| (index + 1, raw.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first content line that starts with `name`, as a rule list names
    /// its rules.
    fn line_of(text: &str, name: &str) -> Option<usize> {
        content_lines(text)
            .find(|(_, line)| line.split('|').next().map(str::trim) == Some(name))
            .map(|(number, _)| number)
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_but_counted() {
        assert_eq!(line_of("# a | x\n\na | mask | y", "a"), Some(3));
        assert_eq!(line_of("a | mask | y", "b"), None);
    }
}
