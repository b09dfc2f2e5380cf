//! Reading and writing plan files: loading with errors that name the file, line, column and
//! field at fault, and saving atomically in the one canonical layout.
//!
//! A current plan that parses is read in one typed pass on every core (`parallel`); a file is
//! read a piece at a time, so it is never held whole beside the plan being made. Then the
//! references between elements are checked (every id unique, every reference naming an element
//! of the right kind). Any other file is read whole and parsed the careful way: the `version`
//! field alone first (so a newer file is refused before its contents confuse the parser, and an
//! older one is migrated), then the typed serial parse, which places any fault, then the
//! references.

mod locate;
mod migrate;
mod objects_only;
mod outline;
mod parallel;
mod references;
mod save;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{FORMAT_VERSION, Plan};

pub use locate::{FieldPath, Segment, TextPositions, element_paths};
pub use references::{ChangedElements, InvariantInputs, still_holds};
pub use save::{FileSet, OnDisk, Replace, SaveError, save, save_over, write_all_atomically, write_atomically};

/// A plan file that could not be loaded, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct LoadError {
    pub file: PathBuf,
    /// 1-based line and column of the fault, when it has a place in the text.
    pub position: Option<(usize, usize)>,
    /// The field at fault, as a path such as `machines[2].ip`.
    pub field: Option<FieldPath>,
    pub kind: LoadErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadErrorKind {
    #[error("cannot read the file: {0}")]
    Io(#[source] std::io::Error),
    #[error("the file is {size} bytes; plans larger than {limit} bytes are refused")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a regular file ({0}): a plan is read from a file")]
    NotAFile(&'static str),
    #[error("the file starts with a UTF-8 byte-order mark (EF BB BF); save it as UTF-8 without one")]
    ByteOrderMark,
    #[error("not UTF-8 text: byte {offset} (from 0) is not part of a UTF-8 character")]
    NotUtf8 { offset: usize },
    #[error("the file is not valid JSON: {0}")]
    Syntax(String),
    #[error("{0}")]
    InvalidValue(String),
    #[error("the plan was saved by a newer drplan (file format version {found}); this build reads versions up to {supported}: update drplan to open it")]
    NewerVersion { found: u64, supported: u32 },
    #[error("`{id}` does not name any {expected} in this plan")]
    DanglingReference { id: String, expected: &'static str },
    #[error("`{id}` names a {found}, but a {expected} is expected here")]
    WrongKind { id: String, expected: &'static str, found: &'static str },
    #[error("the id `{id}` is used twice: it already names the {first_kind} at {first}")]
    DuplicateId { id: String, first_kind: &'static str, first: FieldPath },
    #[error("a connection joins network `{id}` to itself")]
    SelfConnection { id: String },
    #[error(
        "network `{source_network}` is mapped twice: it already fails over into `{first_target}` (at {first}); a network fails over into one recovery network"
    )]
    DuplicateMapping { source_network: String, first_target: String, first: FieldPath },
}

impl LoadError {
    fn describe(&self) -> String {
        let mut text = self.file.display().to_string();
        if let Some((line, column)) = self.position {
            text.push_str(&format!(":{line}:{column}"));
        }
        text.push_str(": ");
        if let Some(field) = &self.field
            && !field.is_root()
        {
            text.push_str(&format!("field `{field}`: "));
        }
        text.push_str(&self.kind.to_string());
        text
    }
}

/// The largest plan file drplan reads: 1 GiB. A plan of a million prefixes (200,000 VNets,
/// 800,000 subnets, 400,000 machines), as `drplan generate --prefixes 1000000` writes it in the
/// canonical layout, is about 490 MB; the limit leaves it room and refuses anything that could not
/// be a plan before reading it.
pub const MAX_PLAN_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads and checks a plan file. A current plan that parses and passes the check is read a
/// piece at a time (`parallel`), so the file is never held whole beside the plan; any other file
/// is read whole and parsed the careful way, which places the fault.
pub fn load(path: &Path) -> Result<Plan, LoadError> {
    match read_in_pieces(path) {
        Some(plan) => Ok(plan),
        None => load_with_text(path).map(|(plan, _)| plan),
    }
}

/// The plan a regular file of at most `MAX_PLAN_BYTES` holds, read piece by piece, when it is
/// current, parses and passes the check.
fn read_in_pieces(path: &Path) -> Option<Plan> {
    let metadata = fs::metadata(path).ok()?;
    if not_a_file(&metadata).is_some() || metadata.len() > MAX_PLAN_BYTES {
        return None;
    }
    let file = fs::File::open(path).ok()?;
    let plan = parallel::read_plan_from(file, usize::try_from(metadata.len()).ok()?, parallel::PIECE_BYTES, MAX_PLAN_BYTES)
        .filter(|plan| plan.version == FORMAT_VERSION && references::check(plan).is_ok());
    // The pieces of the file, the runs of elements read from them and the check's tables are
    // freed: what the plan is used for next need not come on top of them.
    crate::memory::return_freed_memory();
    plan
}

/// Reads and checks a plan file, and gives its text too (to place findings on its lines).
pub fn load_with_text(path: &Path) -> Result<(Plan, String), LoadError> {
    let text = read_text(path, MAX_PLAN_BYTES)?;
    let plan = parse(&text).map_err(|fault| fault.into_load_error(path, &text))?;
    Ok((plan, text))
}

/// Reads a regular file of at most `limit` bytes as UTF-8 text. A directory, a device
/// (`/dev/zero`) or a pipe is refused before it is opened, so nothing grows without end or waits
/// for a writer; the read stops past the limit should the file grow meanwhile. A byte-order mark
/// and invalid UTF-8 are refused with their position.
pub fn read_text(path: &Path, limit: u64) -> Result<String, LoadError> {
    let error = |kind| LoadError { file: path.to_owned(), position: None, field: None, kind };
    let metadata = fs::metadata(path).map_err(|source| error(LoadErrorKind::Io(source)))?;
    if let Some(kind) = not_a_file(&metadata) {
        return Err(error(LoadErrorKind::NotAFile(kind)));
    }
    if metadata.len() > limit {
        return Err(error(LoadErrorKind::TooLarge { size: metadata.len(), limit }));
    }
    let file = fs::File::open(path).map_err(|source| error(LoadErrorKind::Io(source)))?;
    let bytes = read_bytes(file, metadata.len(), limit).map_err(|source| error(LoadErrorKind::Io(source)))?;
    if bytes.len() as u64 > limit {
        return Err(error(LoadErrorKind::TooLarge { size: bytes.len() as u64, limit }));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(LoadError { position: Some((1, 1)), ..error(LoadErrorKind::ByteOrderMark) });
    }
    String::from_utf8(bytes).map_err(|fault| {
        let offset = fault.utf8_error().valid_up_to();
        // The bytes before the offset are valid UTF-8.
        let valid = std::str::from_utf8(&fault.as_bytes()[..offset]).unwrap_or_default();
        LoadError { position: Some(locate::line_and_column(valid, offset)), ..error(LoadErrorKind::NotUtf8 { offset }) }
    })
}

/// The bytes of `file`, which was `length` bytes long, and up to `limit + 1` bytes should it
/// have grown since. A large file is read in two halves at once: most of a read is the kernel
/// giving the new buffer its memory page by page, which two cores do in half the time (the
/// 47 MB file of 100,000 prefixes: 35 ms in one piece).
fn read_bytes(file: fs::File, length: u64, limit: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        const HALVES_FROM: u64 = 4 * 1024 * 1024;
        if (HALVES_FROM..=limit).contains(&length)
            && let Ok(size) = usize::try_from(length)
        {
            let mut bytes = vec![0; size];
            let (first, second) = bytes.split_at_mut(size / 2);
            let (read_first, read_second) = rayon::join(|| file.read_exact_at(first, 0), || file.read_exact_at(second, (size / 2) as u64));
            // A file that changed length meanwhile is read again from its start, in one piece.
            let mut past_end = [0u8; 1];
            if read_first.is_ok() && read_second.is_ok() && file.read_at(&mut past_end, length)? == 0 {
                return Ok(bytes);
            }
        }
    }
    let mut file = file;
    std::io::Seek::rewind(&mut file)?;
    let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)?;
    Ok(bytes)
}

/// What a path is when it is not a regular file, in words.
fn not_a_file(metadata: &fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a pipe");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some(if kind.is_dir() { "a directory" } else { "not a file" })
}

/// The check every loaded plan passes (unique ids, every reference to an element of the right
/// kind), for a plan built in memory (an import, a proposal) that has no text yet; `file` names
/// it in the error.
pub fn check(plan: &Plan, file: &Path) -> Result<(), LoadError> {
    references::check(plan).map_err(|(field, kind)| LoadError { file: file.to_owned(), position: None, field: Some(field), kind })
}

/// Parses and checks plan text; `load` adds the file name to any error.
pub fn parse_str(text: &str, file_name: &Path) -> Result<Plan, LoadError> {
    parse(text).map_err(|fault| fault.into_load_error(file_name, text))
}

/// A fault found while parsing, before it is placed in the text.
struct Fault {
    field: Option<FieldPath>,
    /// Position serde_json reported, used when the field cannot be found in the text.
    parser_position: Option<(usize, usize)>,
    kind: LoadErrorKind,
}

impl Fault {
    fn into_load_error(self, file: &Path, text: &str) -> LoadError {
        let position = self
            .field
            .as_ref()
            .filter(|field| !field.is_root() || self.parser_position.is_none())
            .and_then(|field| locate::position_of(text, field))
            .or(self.parser_position);
        LoadError { file: file.to_owned(), position, field: self.field, kind: self.kind }
    }
}

fn parse(text: &str) -> Result<Plan, Fault> {
    // A current, well-formed plan takes one typed pass over the text, on every core
    // (`parallel`). Anything else (a syntax error, a wrong type, an older or newer version) goes
    // the careful way below, which finds the field at fault and migrates, so every message stays
    // as precise as before.
    if text.trim_start().starts_with('{')
        && let Some(plan) = parallel::read_plan(text)
        && plan.version == FORMAT_VERSION
    {
        references::check(&plan).map_err(|(field, kind)| Fault { field: Some(field), parser_position: None, kind })?;
        return Ok(plan);
    }
    let found = check_version(text)?;
    let text = migrate::to_current(text, found);
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let mut plan: Plan = serde_path_to_error::deserialize(objects_only::ObjectsOnly(&mut deserializer)).map_err(|error| {
        let field = FieldPath::from_serde(error.path());
        let error = error.into_inner();
        // serde_json says "expected value", as for broken JSON, when a field that takes one of
        // a set of names (an enum) holds a number, a boolean, an array or null: in valid JSON
        // that is a value of the wrong type.
        if error.is_syntax() && message_without_position(&error) == "expected value" && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() {
            let found = found_at(&text, &error);
            return Fault {
                parser_position: json_position(&error),
                kind: LoadErrorKind::InvalidValue(format!("expected a string (one of the names this field takes), found {found}")),
                field: Some(field),
            };
        }
        json_fault(Some(field), &error)
    })?;
    deserializer.end().map_err(|error| json_fault(None, &error))?;
    references::check(&plan).map_err(|(field, kind)| Fault { field: Some(field), parser_position: None, kind })?;
    plan.version = FORMAT_VERSION; // migrated: saved again, it is a current file
    Ok(plan)
}

/// Reads only the `version` field, so a file from a newer drplan gets a clear refusal; returns
/// the version.
fn check_version(text: &str) -> Result<u32, Fault> {
    let start = text.trim_start();
    if start.is_empty() {
        return Err(Fault {
            field: None,
            parser_position: Some((1, 1)),
            kind: LoadErrorKind::InvalidValue("the file is empty: a plan file holds one JSON object, starting with `{`".to_owned()),
        });
    }
    if !start.is_empty() && !start.starts_with('{') {
        return Err(Fault {
            field: None,
            parser_position: Some(locate::line_and_column(text, text.len() - start.len())),
            kind: LoadErrorKind::InvalidValue("a plan file holds one JSON object, starting with `{`".to_owned()),
        });
    }
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<serde_json::Value>,
    }
    let version_path = FieldPath::root().key("version");
    let probe: VersionOnly = serde_json::from_str(text).map_err(|error| Fault {
        field: None,
        parser_position: json_position(&error),
        kind: if error.is_data() {
            LoadErrorKind::InvalidValue(format!("a plan file holds one JSON object: {}", message_without_position(&error)))
        } else {
            LoadErrorKind::Syntax(message_without_position(&error))
        },
    })?;
    let invalid = |message: String| Fault { field: Some(version_path.clone()), parser_position: None, kind: LoadErrorKind::InvalidValue(message) };
    let Some(version) = probe.version else {
        return Err(Fault {
            field: Some(FieldPath::root()),
            parser_position: Some((1, 1)),
            kind: LoadErrorKind::InvalidValue(format!("missing field `version`: a plan file starts with \"version\": {FORMAT_VERSION}")),
        });
    };
    let Some(found) = version.as_u64() else {
        return Err(invalid(format!("`version` must be a whole number such as {FORMAT_VERSION}, not {version}")));
    };
    // The version as written, however large, in the message.
    let Some(found) = u32::try_from(found).ok().filter(|found| *found <= FORMAT_VERSION) else {
        return Err(Fault { field: Some(version_path), parser_position: None, kind: LoadErrorKind::NewerVersion { found, supported: FORMAT_VERSION } });
    };
    if found == 0 {
        return Err(invalid("`version` 0 does not exist: the first file format is version 1".to_owned()));
    }
    Ok(found)
}

fn json_fault(field: Option<FieldPath>, error: &serde_json::Error) -> Fault {
    let message = message_without_position(error);
    let kind = if error.is_data() { LoadErrorKind::InvalidValue(message) } else { LoadErrorKind::Syntax(message) };
    Fault { field, parser_position: json_position(error), kind }
}

/// What kind of JSON value starts where serde_json stopped, in words ("the number 0").
fn found_at(text: &str, error: &serde_json::Error) -> String {
    let line = text.lines().nth(error.line().saturating_sub(1)).unwrap_or("");
    let rest: String = line.chars().skip(error.column().saturating_sub(1)).collect();
    let rest = rest.trim_start();
    let word: String = rest.chars().take_while(|character| !matches!(character, ',' | '}' | ']' | ' ')).collect();
    match rest.chars().next() {
        Some('[') => "an array".to_owned(),
        Some('t' | 'f') => format!("the boolean {word}"),
        Some('n') => "null".to_owned(),
        Some(_) => format!("the number {word}"),
        None => "nothing".to_owned(),
    }
}

/// serde_json's line and column; columns count from 1 (serde_json says 0 at the start of a
/// line it has not read into).
fn json_position(error: &serde_json::Error) -> Option<(usize, usize)> {
    (error.line() > 0).then(|| (error.line(), error.column().max(1)))
}

/// serde_json ends its messages with " at line L column C"; the position is reported apart.
pub(crate) fn message_without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message.strip_suffix(&suffix).map(str::to_owned).unwrap_or(message)
}

/// The plan as canonical file text: pretty-printed JSON in field order, ending in a newline.
pub fn to_canonical_json(plan: &Plan) -> String {
    // Serialising plain data into a String cannot fail: no maps with non-string keys, no I/O.
    let mut text = serde_json::to_string_pretty(plan).unwrap_or_default();
    text.push('\n');
    text
}
