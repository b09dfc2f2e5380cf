//! Quoting text from a plan for the languages exports write: PowerShell, POSIX shell and
//! Markdown. Each function returns text that the target reads as inert data. Control characters
//! and bidirectional-text controls (which can make a script read differently from what runs)
//! become spaces everywhere.

/// The Unicode bidirectional marks and embedding, override and isolate controls: they make text
/// display in another order than it is read (a name that shows as one thing and runs as another).
pub(crate) fn is_bidi_control(character: char) -> bool {
    matches!(character, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that must not reach an exported file as they are: C0/C1 controls and the
/// bidirectional controls.
fn is_unsafe(character: char) -> bool {
    character.is_control() || is_bidi_control(character)
}

/// A PowerShell single-quoted string literal. Inside single quotes PowerShell expands nothing
/// (`$()`, backticks and semicolons are literal); a quote is escaped by doubling it, and
/// PowerShell also treats the typographic single quotes as quotes, so they are doubled too.
/// Line breaks become spaces so a name cannot end a comment or a line early.
pub fn powershell(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for character in text.chars() {
        match character {
            '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => {
                quoted.push(character);
                quoted.push(character);
            }
            character if is_unsafe(character) => quoted.push(' '),
            character => quoted.push(character),
        }
    }
    quoted.push('\'');
    quoted
}

/// A POSIX shell single-quoted word: nothing inside is expanded; a quote closes the string,
/// adds an escaped quote and reopens it. Line breaks and other control characters become spaces.
pub fn shell(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for character in text.chars() {
        match character {
            '\'' => quoted.push_str("'\\''"),
            character if is_unsafe(character) => quoted.push(' '),
            character => quoted.push(character),
        }
    }
    quoted.push('\'');
    quoted
}

/// Text for a comment line (`#` in both PowerShell and shell): control characters become spaces
/// so the comment cannot end and start a command.
pub fn comment(text: &str) -> String {
    text.chars().map(|character| if is_unsafe(character) { ' ' } else { character }).collect()
}

/// Inline Markdown text: characters that start emphasis, code, links, tables, strikethrough,
/// math (on GitHub) or close a heading (`#`) are backslash-escaped, HTML is written as entities,
/// line breaks become spaces, and whitespace at either end is written as a character reference,
/// so a name stays one piece of plain text inside a line: `**{name}**` stays bold and a heading
/// keeps a name's trailing `#`.
pub fn markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let characters: Vec<char> = text.chars().map(|character| if is_unsafe(character) { ' ' } else { character }).collect();
    let first_kept = characters.iter().position(|character| !character.is_whitespace()).unwrap_or(characters.len());
    let last_kept = characters.iter().rposition(|character| !character.is_whitespace()).map_or(0, |position| position + 1);
    for (position, &character) in characters.iter().enumerate() {
        match character {
            // Emphasis needs no whitespace just inside its delimiters: a space at an end of the
            // name is written as a reference, which Markdown does not count as whitespace there.
            character if character.is_whitespace() && (position < first_kept || position >= last_kept) => {
                escaped.push_str(&format!("&#{};", u32::from(character)));
            }
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' | '#' => {
                escaped.push('\\');
                escaped.push(character);
            }
            character => escaped.push(character),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a'b\"c $(rm -rf /) `whoami`; d\ne <script>x</script> \u{2019}";

    #[test]
    fn powershell_doubles_quotes_and_keeps_the_rest_literal() {
        assert_eq!(powershell(HOSTILE), "'a''b\"c $(rm -rf /) `whoami`; d e <script>x</script> \u{2019}\u{2019}'");
    }

    #[test]
    fn shell_closes_and_reopens_around_quotes() {
        assert_eq!(shell(HOSTILE), "'a'\\''b\"c $(rm -rf /) `whoami`; d e <script>x</script> \u{2019}'");
    }

    #[test]
    fn markdown_keeps_emphasis_and_headings_whole_around_any_name() {
        assert_eq!(
            format!("**{}**", markdown(" padded\t")),
            "**&#32;padded&#32;**",
            "bold holds (a tab, a control, is a space): no whitespace just inside the asterisks"
        );
        assert_eq!(format!("## {}", markdown("Tier #")), "## Tier \\#", "a trailing # is not a closing sequence");
        assert_eq!(markdown("#1 app"), "\\#1 app");
        assert_eq!(markdown("a  b"), "a  b", "spaces inside a name stay spaces");
        assert_eq!(markdown("   "), "&#32;&#32;&#32;");
    }

    #[test]
    fn markdown_escapes_markup_html_and_line_breaks() {
        assert_eq!(markdown(HOSTILE), "a'b\"c \\$(rm -rf /) \\`whoami\\`; d e &lt;script&gt;x&lt;/script&gt; \u{2019}");
    }

    #[test]
    fn bidirectional_controls_are_neutralised_in_every_language() {
        let trojan = "a\u{202E}b\u{2066}c\u{200F}d";
        assert_eq!(powershell(trojan), "'a b c d'");
        assert_eq!(shell(trojan), "'a b c d'");
        assert_eq!(markdown(trojan), "a b c d");
        assert_eq!(comment(trojan), "a b c d");
    }

    #[test]
    fn comments_cannot_break_onto_a_new_line() {
        assert_eq!(comment("x\ny\rz"), "x y z");
    }
}
