//! Text from a plan made safe for an SVG document: control characters (which XML 1.0 cannot
//! carry at all) are removed, bidirectional controls become spaces as in every other export, and
//! the five characters with a meaning in markup are written as entities, so any element name is
//! inert data in both text content and attribute values.

use crate::export::quote::is_bidi_control;

/// The text without characters XML cannot hold: tabs, line breaks and bidirectional controls
/// become spaces, other control characters and the non-characters U+FFFE and U+FFFF are
/// dropped.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|character| match character {
            '\t' | '\n' | '\r' => Some(' '),
            character if is_bidi_control(character) => Some(' '),
            '\u{FFFE}' | '\u{FFFF}' => None,
            character if character.is_control() => None,
            character => Some(character),
        })
        .collect()
}

/// Clean text escaped for text content and for attribute values in either kind of quotes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in clean(text).chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            character => escaped.push(character),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(escape(r#"<a href="x">Tom & 'Jerry'</a>"#), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
    }

    #[test]
    fn control_characters_are_removed_and_line_breaks_become_spaces() {
        assert_eq!(escape("a\u{0}b\u{1b}[31mc\nd\te\u{FFFF}"), "ab[31mc d e");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(escape("Azure East Asia → 10.1.0.0/16 …"), "Azure East Asia → 10.1.0.0/16 …");
    }
}
