//! Text from a plan made safe for an SVG document: control characters (which XML 1.0 cannot
//! carry at all) are removed, bidirectional controls become spaces as in every other export, and
//! the five characters with a meaning in markup are written as entities, so any element name is
//! inert data in both text content and attribute values.

use crate::export::quote::is_bidi_control;

/// The text without characters XML cannot hold: tabs, line breaks and bidirectional controls
/// become spaces, other control characters and the non-characters U+FFFE and U+FFFF are
/// dropped.
pub fn clean(text: &str) -> String {
    text.chars().filter_map(cleaned).collect()
}

/// A character as `clean` keeps it, if it does.
fn cleaned(character: char) -> Option<char> {
    match character {
        '\t' | '\n' | '\r' => Some(' '),
        character if is_bidi_control(character) => Some(' '),
        '\u{FFFE}' | '\u{FFFF}' => None,
        character if character.is_control() => None,
        character => Some(character),
    }
}

/// A number written with one decimal, exactly as `format!("{:.1}", value)` writes it (the
/// nearest tenth, ties to even, the sign kept), without the standard library's exact-decimal
/// path, which was a tenth of writing a large diagram. Coordinates are written this way.
#[derive(Clone, Copy, Debug)]
pub struct Tenths(pub f32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // An f32 times ten is exact in an f64 (24 + 4 significant bits), so rounding it rounds the
        // value itself.
        let tenths = (f64::from(self.0.abs()) * 10.0).round_ties_even();
        if !tenths.is_finite() || tenths >= 1e15 {
            return write!(f, "{:.1}", self.0);
        }
        let tenths = tenths as u64;
        let sign = if self.0.is_sign_negative() { "-" } else { "" };
        write!(f, "{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

/// Clean text escaped for text content and for attribute values in either kind of quotes,
/// written where it is formatted (no string of its own: a large diagram has a name in every
/// shape).
pub fn escape(text: &str) -> Escaped<'_> {
    Escaped(text)
}

/// Text written as `escape` says.
#[derive(Clone, Copy, Debug)]
pub struct Escaped<'a>(&'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0;
        // Runs of characters written as they are go out as one slice.
        let mut run_start = 0;
        for (position, character) in text.char_indices() {
            let replacement = match cleaned(character) {
                None => "",
                Some('&') => "&amp;",
                Some('<') => "&lt;",
                Some('>') => "&gt;",
                Some('"') => "&quot;",
                Some('\'') => "&apos;",
                Some(kept) if kept == character => continue,
                Some(_) => " ",
            };
            f.write_str(&text[run_start..position])?;
            f.write_str(replacement)?;
            run_start = position + character.len_utf8();
        }
        f.write_str(&text[run_start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(escape(r#"<a href="x">Tom & 'Jerry'</a>"#).to_string(), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
    }

    #[test]
    fn control_characters_are_removed_and_line_breaks_become_spaces() {
        assert_eq!(escape("a\u{0}b\u{1b}[31mc\nd\te\u{FFFF}").to_string(), "ab[31mc d e");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(escape("Azure East Asia → 10.1.0.0/16 …").to_string(), "Azure East Asia → 10.1.0.0/16 …");
    }

    #[test]
    fn tenths_are_written_as_the_standard_library_writes_them() {
        let mut values = vec![
            0.0f32,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            -0.04,
            -0.05,
            -0.25,
            1.95,
            2.45,
            99.95,
            123_456.78,
            -7.25,
            1e14,
            3e15,
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ];
        let mut state = 11u32;
        for _ in 0..200_000 {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            values.push(f32::from_bits(state) % 1e7);
            values.push((state % 2_000_000) as f32 / 20.0 - 50_000.0);
        }
        for value in values {
            assert_eq!(Tenths(value).to_string(), format!("{value:.1}"), "{value:e}");
        }
    }
}
