//! Text from a plan made safe for an SVG document: control characters (which XML 1.0 cannot
//! carry at all) are removed, bidirectional controls become spaces as in every other export, and
//! the five characters with a meaning in markup are written as entities, so any element name is
//! inert data in both text content and attribute values. Also what the SVG and draw.io documents
//! are written into ([`Pieces`]), with their numbers.

use rayon::prelude::*;

use crate::export::quote::is_bidi_control;

/// The text without characters XML cannot hold: tabs, line breaks and bidirectional controls
/// become spaces, other control characters and the non-characters U+FFFE and U+FFFF are
/// dropped.
pub fn clean(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
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

impl Tenths {
    /// Writes the number through `write`, in pieces of text: its digits made without the standard
    /// library's exact-decimal path when it is finite and small enough.
    fn write_with<E>(self, mut write: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
        // An f32 times ten is exact in an f64 (24 + 4 significant bits), so rounding it rounds the
        // value itself.
        let tenths = (f64::from(self.0.abs()) * 10.0).round_ties_even();
        if !tenths.is_finite() || tenths >= 1e15 {
            return write(&format!("{:.1}", self.0));
        }
        let tenths = tenths as u64;
        if self.0.is_sign_negative() {
            write("-")?;
        }
        const DECIMALS: [&str; 10] = [".0", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9"];
        write(itoa::Buffer::new().format(tenths / 10))?;
        write(DECIMALS[(tenths % 10) as usize])
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_with(|text| f.write_str(text))
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

/// Whether `text` is kept as it is by [`clean`] and written as it is by [`escape`]: printable
/// ASCII without markup characters (the names and prefixes of a generated or typical plan).
fn is_plain(text: &str) -> bool {
    text.bytes().all(|byte| (b' '..=b'~').contains(&byte) && !matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\''))
}

/// A document written in pieces that are never moved once written: when one is full a new one
/// is started instead of copying what is there into a larger one. A large plan's SVG is 46 MB
/// (100k prefixes); written into one growing string it was copied about twice over, and the
/// pieces written on every core were copied once more to be put together.
#[derive(Debug, Default)]
pub struct Pieces {
    full: Vec<String>,
    current: String,
}

impl Pieces {
    /// The room of a new piece.
    const ROOM: usize = 256 * 1024;

    pub fn push_str(&mut self, text: &str) {
        if self.current.capacity() - self.current.len() < text.len() {
            let next = String::with_capacity(Self::ROOM.max(text.len()));
            let full = std::mem::replace(&mut self.current, next);
            if !full.is_empty() {
                self.full.push(full);
            }
        }
        self.current.push_str(text);
    }

    /// `other`'s pieces after these, moved, not copied.
    fn append(&mut self, other: Pieces) {
        if !self.current.is_empty() {
            self.full.push(std::mem::take(&mut self.current));
        }
        self.full.extend(other.full);
        self.current = other.current;
    }

    /// A number with one decimal, as [`Tenths`] writes it.
    pub fn tenths(&mut self, value: f32) {
        let _ = Tenths(value).write_with(|text| {
            self.push_str(text);
            Ok::<(), std::convert::Infallible>(())
        });
    }

    /// Each of `items` written by `write`, which takes it: a scene's nodes are dropped as they are
    /// written, so a large scene (450,000 shapes at 100k prefixes) is given back while its
    /// document grows instead of after. A long list (a large plan's networks, or its draw.io
    /// cells) is written on every core in chunks put back in order, so the document is the same
    /// whichever thread wrote what.
    pub fn write_each<T: Send>(&mut self, items: Vec<T>, write: impl Fn(&mut Pieces, T) + Sync) {
        const CHUNK: usize = 1024;
        if items.len() <= CHUNK {
            items.into_iter().for_each(|item| write(self, item));
            return;
        }
        let parts: Vec<Pieces> = items
            .into_par_iter()
            .chunks(CHUNK)
            .map(|chunk| {
                let mut part = Pieces::default();
                chunk.into_iter().for_each(|item| write(&mut part, item));
                part
            })
            .collect();
        parts.into_iter().for_each(|part| self.append(part));
    }

    /// A number as `format!("{value}")` writes it: whole numbers without the standard library.
    pub fn number(&mut self, value: f32) {
        // Under 2^24 every whole f32 is exact, and its digits are its shortest form.
        if value.fract() == 0.0 && value.abs() < 16_777_216.0 && !(value == 0.0 && value.is_sign_negative()) {
            self.push_str(itoa::Buffer::new().format(value as i64));
        } else {
            let _ = std::fmt::Write::write_fmt(self, format_args!("{value}"));
        }
    }

    /// Text as [`escape`] writes it.
    pub fn escaped(&mut self, text: &str) {
        if is_plain(text) {
            self.push_str(text);
        } else {
            let _ = std::fmt::Write::write_fmt(self, format_args!("{}", escape(text)));
        }
    }

    pub fn len(&self) -> usize {
        self.full.iter().map(String::len).sum::<usize>() + self.current.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The document written to `out` piece by piece: a large SVG (46 MB at 100k prefixes) goes
    /// to its file without being put together first, so it is neither copied nor held twice.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        self.full.iter().chain([&self.current]).try_for_each(|piece| out.write_all(piece.as_bytes()))
    }

    /// The whole document as one text (for a renderer or a test): borrowed when it is one piece,
    /// else copied once into a string of its exact length.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        if self.full.is_empty() {
            return self.current.as_str().into();
        }
        let mut text = String::with_capacity(self.len());
        self.full.iter().chain([&self.current]).for_each(|piece| text.push_str(piece));
        text.into()
    }
}

impl From<String> for Pieces {
    fn from(text: String) -> Self {
        Self { full: Vec::new(), current: text }
    }
}

impl std::fmt::Write for Pieces {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

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

    /// Writes `values` with `write` into pieces of the smallest room, so every few values start
    /// a new piece, and returns the whole document.
    fn in_pieces<T: Copy>(values: &[T], write: impl Fn(&mut Pieces, T)) -> String {
        let mut out = Pieces::default();
        for &value in values {
            write(&mut out, value);
            out.push_str("|");
        }
        out.text().into_owned()
    }

    #[test]
    fn pieces_escape_as_escape_does() {
        let texts = ["plain 10.0.0.0/16", "Tom & 'Jerry' <b>", "tab\there", "bidi \u{202E}drawn", "é → ü", "\u{7f}del", ""];
        let expected: String = texts.iter().map(|text| format!("{}|", escape(text))).collect();
        assert_eq!(in_pieces(&texts, Pieces::escaped), expected);
    }

    #[test]
    fn pieces_keep_their_order_across_pieces_and_when_appended() {
        let line = |number: usize| format!("<rect n=\"{number}\"/>");
        let (mut first, mut second) = (Pieces::default(), Pieces::default());
        // Each part far over one piece's room, the second also a string longer than a piece.
        (0..30_000).for_each(|number| first.push_str(&line(number)));
        let long = "x".repeat(Pieces::ROOM * 2);
        second.push_str(&long);
        (30_000..60_000).for_each(|number| second.push_str(&line(number)));
        first.append(second);
        first.push_str("</svg>");
        let expected: String = (0..30_000).map(line).chain([long]).chain((30_000..60_000).map(line)).chain(["</svg>".to_owned()]).collect();
        assert_eq!(first.len(), expected.len());
        assert_eq!(first.text(), expected);
        let mut file = Vec::new();
        first.write_to(&mut file).expect("written to memory");
        assert_eq!(file, expected.as_bytes());
    }

    #[test]
    fn numbers_are_written_as_the_standard_library_writes_them() {
        let mut values = vec![
            1.5f32,
            2.25,
            12.0,
            16_777_215.0,
            16_777_216.0,
            -16_777_217.0,
            1e15,
            1e-7,
            0.0,
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
        for &value in &values {
            assert_eq!(Tenths(value).to_string(), format!("{value:.1}"), "{value:e}");
        }
        let expected: String = values.iter().map(|value| format!("{value:.1}|")).collect();
        assert_eq!(in_pieces(&values, Pieces::tenths), expected);
        let expected: String = values.iter().map(|value| format!("{value}|")).collect();
        assert_eq!(in_pieces(&values, Pieces::number), expected);
    }
}
