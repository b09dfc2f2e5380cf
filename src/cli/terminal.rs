//! What the command line prints for people passes through [`TerminalSafe`]: names, ids and keys
//! come from plan files, and a control character in one (`ESC ] 0 ;` retitles a terminal,
//! `ESC [ 2 J` clears it, a carriage return forges a line in a CI log) must reach the terminal as
//! text, never as a command. JSON output needs no such filter: serde_json escapes C0 controls.

use std::io::{self, Write};

/// A writer that renders control characters visibly, as `\u{1b}`: C0 controls except newline
/// and tab, DEL, and the C1 controls U+0080 to U+009F (which some terminals obey in UTF-8).
pub struct TerminalSafe<'a> {
    inner: &'a mut dyn Write,
    /// A 0xC2 byte at the end of the last write: the first half of a C1 control, or of another
    /// character.
    pending_c2: bool,
}

impl<'a> TerminalSafe<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Self {
        Self { inner, pending_c2: false }
    }
}

/// The visible form of one control character.
fn visible(code: u32) -> String {
    format!("\\u{{{code:x}}}")
}

impl Write for TerminalSafe<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut shown = Vec::with_capacity(bytes.len());
        for &byte in bytes {
            if std::mem::take(&mut self.pending_c2) {
                if (0x80..=0x9F).contains(&byte) {
                    shown.extend_from_slice(visible(u32::from(byte)).as_bytes());
                    continue;
                }
                shown.push(0xC2);
            }
            match byte {
                0xC2 => self.pending_c2 = true,
                b'\n' | b'\t' => shown.push(byte),
                0x00..=0x1F | 0x7F => shown.extend_from_slice(visible(u32::from(byte)).as_bytes()),
                _ => shown.push(byte),
            }
        }
        self.inner.write_all(&shown)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xC2])?;
        }
        self.inner.flush()
    }
}

impl Drop for TerminalSafe<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown_bytes(text: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut safe = TerminalSafe::new(&mut out);
            // Byte by byte: a character split across writes is still recognised.
            for byte in text {
                safe.write_all(std::slice::from_ref(byte)).unwrap();
            }
        }
        out
    }

    fn shown(text: &[u8]) -> String {
        String::from_utf8(shown_bytes(text)).unwrap()
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(shown("a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\rd\n\te\u{7f}".as_bytes()), "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2Jc\\u{d}d\n\te\\u{7f}");
        assert_eq!(shown("csi \u{9b}2J".as_bytes()), "csi \\u{9b}2J", "a C1 control in UTF-8");
        assert_eq!(shown("Zürich ©, ÿ Ā 東京".as_bytes()), "Zürich ©, ÿ Ā 東京", "other characters, 0xC2 ones included, pass");
        assert_eq!(shown_bytes(&[b'x', 0xC2]), [b'x', 0xC2], "a trailing half is written out as it came");
    }
}
