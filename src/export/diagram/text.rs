//! Text measurement with the font the diagrams ship with (DejaVu Sans, `assets/fonts`), so boxes
//! are sized from their contents and no label runs over a border: widths are the sums of the
//! font's own glyph advances (kerning only ever narrows DejaVu Sans text, so a sum is a safe
//! upper bound). Labels too long for their box are shortened with an ellipsis; captions wrap.

use std::sync::OnceLock;

use super::xml;

/// DejaVu Sans, embedded so every machine measures and renders the same glyphs.
pub static REGULAR_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub static BOLD_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name both files declare; the SVG asks for it by name.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Advance used for a character the font has no glyph for, in ems.
const FALLBACK_ADVANCE_EM: f32 = 0.6;
pub const ELLIPSIS: char = '…';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// A font size in canvas units and a weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Font {
    pub size: f32,
    pub weight: Weight,
}

impl Font {
    pub const fn regular(size: f32) -> Self {
        Self { size, weight: Weight::Regular }
    }

    pub const fn bold(size: f32) -> Self {
        Self { size, weight: Weight::Bold }
    }
}

/// Glyph advances of one font file, in ems: a table for ASCII (nearly every label), the parsed
/// face for the rest.
struct Metrics {
    ascii_em: [f32; 128],
    face: Option<ttf_parser::Face<'static>>,
    units_per_em: f32,
}

impl Metrics {
    fn new(data: &'static [u8]) -> Self {
        let face = ttf_parser::Face::parse(data, 0).ok();
        let units_per_em = face.as_ref().map_or(1000.0, |face| f32::from(face.units_per_em()));
        let mut metrics = Self { ascii_em: [FALLBACK_ADVANCE_EM; 128], face, units_per_em };
        for code in 0..128u8 {
            metrics.ascii_em[usize::from(code)] = metrics.face_advance_em(char::from(code));
        }
        metrics
    }

    fn face_advance_em(&self, character: char) -> f32 {
        self.face
            .as_ref()
            .and_then(|face| face.glyph_index(character).and_then(|glyph| face.glyph_hor_advance(glyph)))
            .map_or(FALLBACK_ADVANCE_EM, |advance| f32::from(advance) / self.units_per_em)
    }

    fn advance_em(&self, character: char) -> f32 {
        match self.ascii_em.get(character as usize) {
            Some(advance) => *advance,
            None => self.face_advance_em(character),
        }
    }
}

fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| Metrics::new(REGULAR_FONT)),
        Weight::Bold => BOLD.get_or_init(|| Metrics::new(BOLD_FONT)),
    }
}

/// Width of a line of text in canvas units.
pub fn width(text: &str, font: Font) -> f32 {
    let metrics = metrics(font.weight);
    text.chars().map(|character| metrics.advance_em(character)).sum::<f32>() * font.size
}

/// The text, cleaned of control characters, shortened with an ellipsis if it is wider than
/// `max_width`. The second value tells whether it was shortened.
pub fn fit(text: &str, max_width: f32, font: Font) -> (String, bool) {
    let clean = xml::clean(text);
    if width(&clean, font) <= max_width {
        return (clean, false);
    }
    let metrics = metrics(font.weight);
    let budget = max_width - metrics.advance_em(ELLIPSIS) * font.size;
    let mut used = 0.0;
    let mut shortened = String::new();
    for character in clean.chars() {
        used += metrics.advance_em(character) * font.size;
        if used > budget {
            break;
        }
        shortened.push(character);
    }
    let mut shortened = shortened.trim_end().to_owned();
    shortened.push(ELLIPSIS);
    (shortened, true)
}

/// The text, cleaned, broken into lines no wider than `max_width` at spaces; a single word wider
/// than a line is shortened.
pub fn wrap(text: &str, max_width: f32, font: Font) -> Vec<String> {
    let metrics = metrics(font.weight);
    // A line's width in ems, summed character by character as `width` sums them, so a word is
    // measured once however long its line (a change's description under an after diagram of a
    // large plan was measured again for every word added).
    let ems = |text: &str, from: f32| text.chars().fold(from, |sum, character| sum + metrics.advance_em(character));
    let clean = xml::clean(text);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_ems = 0.0;
    for word in clean.split(' ').filter(|word| !word.is_empty()) {
        let candidate_ems = if line.is_empty() { ems(word, 0.0) } else { ems(word, ems(" ", line_ems)) };
        if candidate_ems * font.size <= max_width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_ems = candidate_ems;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        line = fit(word, max_width, font).0;
        line_ems = ems(&line, 0.0);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONT: Font = Font::regular(12.0);

    #[test]
    fn widths_come_from_the_font_not_a_guess() {
        // DejaVu Sans: "i" is narrow, "W" wide.
        assert!(width("WWWW", FONT) > 2.0 * width("iiii", FONT));
        assert!(width("abc", Font::bold(12.0)) > width("abc", FONT));
        assert!((width("abc", Font::regular(24.0)) - 2.0 * width("abc", FONT)).abs() < 0.01);
    }

    #[test]
    fn short_text_fits_unchanged() {
        assert_eq!(fit("Web subnet", 200.0, FONT), ("Web subnet".to_owned(), false));
    }

    #[test]
    fn long_text_is_shortened_with_an_ellipsis_within_the_width() {
        let (text, shortened) = fit("A very long network name that cannot fit", 100.0, FONT);
        assert!(shortened);
        assert!(text.ends_with(ELLIPSIS), "{text}");
        assert!(width(&text, FONT) <= 100.0, "{text}");
    }

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let lines = wrap("site-to-site VPN \"Source VNet1 to Azure VNet VPN\" is disconnected", 150.0, FONT);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| width(line, FONT) <= 150.0), "{lines:?}");
        assert_eq!(lines.join(" "), "site-to-site VPN \"Source VNet1 to Azure VNet VPN\" is disconnected");
    }
}
