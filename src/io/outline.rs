//! The outline of a plan's text, found without parsing it: where each element of the long lists
//! starts and ends, and the other fields' text as one JSON object. The text can come in pieces
//! (a file read a megabyte at a time): a scan stops before a token the piece ends in, and the next
//! piece starts with that token again.
//!
//! The outline checks the punctuation between the tokens it cuts (the plan's braces, its keys,
//! colons and commas, the long lists' brackets); serde_json checks each cut (an element, the other
//! fields) when it reads it. So a text whose outline is found and whose cuts all read is a valid
//! JSON object. Anything the outline does not expect (a key written with an escape, a long list
//! given twice or not as a list, an element that is not an object, anything after the plan) gives
//! None, and the caller reads the text the careful way, which finds and places the fault.

use memchr::{memchr2, memchr3};

/// The lists of a plan that grow with the estate, read element by element. The others (sites,
/// circuits, scenarios, group actions) are short and are read with the plan's scalars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LongList {
    Networks,
    Subnets,
    Machines,
    Connections,
    NetworkMappings,
}

impl LongList {
    pub(super) const ALL: [Self; 5] = [Self::Networks, Self::Subnets, Self::Machines, Self::Connections, Self::NetworkMappings];

    fn key(self) -> &'static [u8] {
        match self {
            Self::Networks => b"networks",
            Self::Subnets => b"subnets",
            Self::Machines => b"machines",
            Self::Connections => b"connections",
            Self::NetworkMappings => b"network_mappings",
        }
    }

    pub(super) fn number(self) -> usize {
        self as usize
    }
}

/// Where the scan stands: between two tokens of the plan's top-level object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Before the plan's opening brace.
    Start,
    /// After `{`: a key or `}`.
    FirstKey,
    /// After a `,` between fields: a key.
    Key,
    /// After a key: `:`.
    Colon(Option<LongList>),
    /// After the `:` of a field kept in the other fields' text: its value.
    Value,
    /// After the `:` of a long list: `[`.
    ListStart(LongList),
    /// After a long list's `[`: an element or `]`.
    FirstElement(LongList),
    /// After a `,` between elements: an element.
    Element(LongList),
    /// After an element: `,` or `]`.
    AfterElement(LongList),
    /// After a field's value: `,` or `}`.
    AfterValue,
    /// After the plan's closing brace: white space only.
    End,
}

/// The scan of one plan's text, piece by piece.
pub(super) struct Outline {
    place: Place,
    seen: [bool; LongList::ALL.len()],
    /// The fields other than the long lists, as the text of one JSON object.
    rest: String,
}

impl Outline {
    pub(super) fn new() -> Self {
        Self { place: Place::Start, seen: [false; LongList::ALL.len()], rest: String::from("{") }
    }

    /// Scans `text`, which starts where the last scan stopped, and hands each element of a long
    /// list to `element` as its range in `text`. Gives how far the scan got: the end of the last
    /// whole token, from where the next piece is to start. `at_end` says no piece follows, so an
    /// unfinished token is a fault. None: not a plan this outline reads.
    pub(super) fn scan(&mut self, text: &[u8], at_end: bool, mut element: impl FnMut(LongList, std::ops::Range<usize>)) -> Option<usize> {
        let unfinished = |at: usize| if at_end { None } else { Some(at) };
        let mut at = 0;
        loop {
            at = skip_white_space(text, at);
            let Some(&byte) = text.get(at) else {
                return Some(at);
            };
            self.place = match (self.place, byte) {
                (Place::Start, b'{') => Place::FirstKey,
                (Place::FirstKey, b'}') | (Place::AfterValue, b'}') => {
                    self.rest.push('}');
                    Place::End
                }
                (Place::FirstKey | Place::Key, b'"') => {
                    let Some(end) = string_end(text, at) else {
                        return unfinished(at);
                    };
                    let key = &text[at + 1..end - 1];
                    if key.contains(&b'\\') {
                        return None;
                    }
                    let list = LongList::ALL.into_iter().find(|list| list.key() == key);
                    match list {
                        Some(list) if std::mem::replace(&mut self.seen[list.number()], true) => return None,
                        Some(_) => {}
                        None => {
                            if self.rest.len() > 1 {
                                self.rest.push(',');
                            }
                            self.rest.push_str(std::str::from_utf8(&text[at..end]).ok()?);
                        }
                    }
                    at = end;
                    self.place = Place::Colon(list);
                    continue;
                }
                (Place::Colon(Some(list)), b':') => Place::ListStart(list),
                (Place::Colon(None), b':') => {
                    self.rest.push(':');
                    Place::Value
                }
                (Place::Value, _) => {
                    let Some(end) = value_end(text, at, at_end) else {
                        return unfinished(at);
                    };
                    self.rest.push_str(std::str::from_utf8(&text[at..end]).ok()?);
                    at = end;
                    self.place = Place::AfterValue;
                    continue;
                }
                (Place::ListStart(list), b'[') => Place::FirstElement(list),
                (Place::FirstElement(_), b']') | (Place::AfterElement(_), b']') => Place::AfterValue,
                (Place::FirstElement(list) | Place::Element(list), b'{') => {
                    let Some(end) = nested_end(text, at, b'{', b'}') else {
                        return unfinished(at);
                    };
                    element(list, at..end);
                    at = end;
                    self.place = Place::AfterElement(list);
                    continue;
                }
                (Place::AfterElement(list), b',') => Place::Element(list),
                (Place::AfterValue, b',') => Place::Key,
                _ => return None,
            };
            at += 1;
        }
    }

    /// The other fields' text, when the whole plan has been scanned.
    pub(super) fn finish(self) -> Option<String> {
        (self.place == Place::End).then_some(self.rest)
    }
}

fn skip_white_space(text: &[u8], from: usize) -> usize {
    text[from..].iter().position(|byte| !matches!(byte, b' ' | b'\n' | b'\r' | b'\t')).map_or(text.len(), |offset| from + offset)
}

/// The end (past the closing quote) of the string whose opening quote is at `start`; None when
/// the text ends first.
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut at = start + 1;
    loop {
        let found = at + memchr2(b'"', b'\\', text.get(at..)?)?;
        if text[found] == b'"' {
            return Some(found + 1);
        }
        // An escape: the byte after the backslash is part of it, even a quote.
        at = found + 2;
    }
}

/// The end (past the closing bracket) of the object or array that opens at `start`, counting
/// only its own kind of bracket (in valid JSON the first point where they balance is its end;
/// anything else is refused when the cut is read); None when the text ends first.
fn nested_end(text: &[u8], start: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let found = at + memchr3(b'"', open, close, text.get(at..)?)?;
        match text[found] {
            b'"' => {
                at = string_end(text, found)?;
                continue;
            }
            byte if byte == open => depth += 1,
            _ => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(found + 1);
                }
            }
        }
        at = found + 1;
    }
}

/// The end of the value that starts at `start`: an object, an array, a string, or a number or
/// word, which ends where the text does when `at_end`.
fn value_end(text: &[u8], start: usize, at_end: bool) -> Option<usize> {
    match text[start] {
        b'{' => nested_end(text, start, b'{', b'}'),
        b'[' => nested_end(text, start, b'[', b']'),
        b'"' => string_end(text, start),
        _ => match text[start..].iter().position(|byte| matches!(byte, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')) {
            Some(offset) => Some(start + offset),
            None => at_end.then_some(text.len()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outline of `text` scanned in pieces of `size` bytes, as the reader feeds it: each piece
    /// starts where the last scan stopped, and a piece with nothing whole in it is read again,
    /// twice as long.
    fn outline_in_pieces(text: &str, size: usize) -> Option<(String, Vec<(LongList, String)>)> {
        let mut outline = Outline::new();
        let mut elements = Vec::new();
        let (mut start, mut size) = (0, size);
        loop {
            let end = (start + size).min(text.len());
            let piece = &text[start..end];
            let at_end = end == text.len();
            let scanned = outline.scan(piece.as_bytes(), at_end, |list, range| elements.push((list, piece[range].to_owned())))?;
            if at_end {
                return outline.finish().map(|rest| (rest, elements));
            }
            if scanned == 0 {
                size *= 2;
            }
            start += scanned;
        }
    }

    #[test]
    fn the_outline_cuts_elements_and_keeps_the_other_fields_whatever_the_pieces() {
        let text = r#" { "version" : 2, "name":"a \"quoted\" {name}", "networks": [ {"id":"n","x":["}",{"y":1}]} , {"id":"m"} ],
            "sites":[{"id":"s"}], "subnets":[], "count": -1.5e3 } "#;
        let whole = outline_in_pieces(text, text.len()).expect("an outline");
        assert_eq!(whole.0, r#"{"version":2,"name":"a \"quoted\" {name}","sites":[{"id":"s"}],"count":-1.5e3}"#);
        assert_eq!(whole.1, vec![(LongList::Networks, r#"{"id":"n","x":["}",{"y":1}]}"#.to_owned()), (LongList::Networks, r#"{"id":"m"}"#.to_owned())]);
        for size in 1..text.len() {
            assert_eq!(outline_in_pieces(text, size).as_ref(), Some(&whole), "pieces of {size} bytes");
        }
    }

    #[test]
    fn what_the_outline_does_not_expect_is_refused() {
        for text in [
            "",
            "[]",
            "{\"networks\":[],\"networks\":[]}",
            "{\"networks\":{}}",
            "{\"networks\":[[]]}",
            "{\"networks\":[{}{}]}",
            "{\"net\\u0077orks\":[]}",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{\"a\":\"unterminated}",
            "{\"networks\":[{\"a\":1}",
        ] {
            for size in [1, 3, text.len().max(1)] {
                assert_eq!(outline_in_pieces(text, size), None, "{text:?} in pieces of {size}");
            }
        }
    }
}
