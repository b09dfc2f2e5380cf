//! Saving: every file drplan writes goes through a temporary sibling, flushed to disk, then
//! renamed over the target, so a reader never sees half a file and a failed save leaves the
//! previous one as it was. A read-only target is refused unless the caller forces it; the
//! temporary files an interrupted save of the same file left are removed; a set of files is
//! complete on disk before the first of them replaces anything; and a save can first check that
//! the file is still the one that was loaded (`OnDisk`).

use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::to_canonical_json;
use crate::model::Plan;

/// Why a file could not be saved.
#[derive(Debug, thiserror::Error)]
#[error("cannot save {}: {source}", file.display())]
pub struct SaveError {
    pub file: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl SaveError {
    fn new(file: &Path, kind: std::io::ErrorKind, message: String) -> Self {
        Self { file: file.to_owned(), source: std::io::Error::new(kind, message) }
    }
}

/// Whether a save may replace a read-only file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// Refuse a read-only target (the default everywhere).
    Writable,
    /// Replace it all the same (`drplan fmt --force`).
    EvenReadOnly,
}

/// What a file was when it was loaded: its size, modification time and a hash of its text. A
/// save over it checks that it is still so, to lose no other writer's changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDisk {
    path: PathBuf,
    size: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

impl OnDisk {
    /// The file at `path` as it is now, whose content is `text`.
    pub fn of(path: &Path, text: &str) -> Option<Self> {
        let metadata = fs::metadata(path).ok()?;
        Some(Self { path: path.to_owned(), size: metadata.len(), modified: metadata.modified().ok(), hash: hash_of(text.as_bytes()) })
    }

    /// The file this describes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file is still this one: same size and time, and the same content.
    pub fn matches(&self) -> bool {
        let path = self.path.as_path();
        let Ok(metadata) = fs::metadata(path) else { return false };
        if metadata.len() != self.size || metadata.modified().ok() != self.modified {
            return false;
        }
        fs::read(path).is_ok_and(|bytes| hash_of(&bytes) == self.hash)
    }
}

/// Saves the plan over `path` atomically (see the module); refuses a read-only file.
pub fn save(plan: &Plan, path: &Path) -> Result<(), SaveError> {
    save_over(plan, path, Replace::Writable, None).map(|_| ())
}

/// Saves the plan over `path` atomically; with `loaded` (the same file as it was read), refuses
/// if the file is no longer that one (another program wrote it meanwhile). Gives the file as
/// written, for the next save's check.
pub fn save_over(plan: &Plan, path: &Path, replace: Replace, loaded: Option<&OnDisk>) -> Result<Option<OnDisk>, SaveError> {
    let text = to_canonical_json(plan);
    let staged = Staged::new(path, replace, |file| file.write_all(text.as_bytes()))?;
    if let Some(loaded) = loaded.filter(|loaded| loaded.path() == path)
        && !loaded.matches()
    {
        return Err(SaveError { file: path.to_owned(), source: std::io::Error::other(ChangedOnDisk) });
    }
    staged.commit()?;
    Ok(OnDisk::of(path, &text))
}

/// The file changed on disk since it was loaded.
#[derive(Debug, thiserror::Error)]
#[error("the file changed on disk since drplan read it (another program saved it), so it was not replaced: reload it, or save elsewhere")]
pub struct ChangedOnDisk;

impl SaveError {
    /// Whether the save was refused because another program changed the file.
    pub fn changed_on_disk(&self) -> bool {
        self.source.get_ref().is_some_and(|inner| inner.is::<ChangedOnDisk>())
    }
}

/// Writes a file through a temporary sibling and a rename; `write` fills the temporary file.
/// If `write` fails, the temporary file is removed and the target is untouched.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<(), SaveError> {
    Staged::new(path, Replace::Writable, write)?.commit()
}

/// Writes a set of files so that the set is whole: every file is written and flushed beside its
/// target first, and only then are they renamed into place; a failure before that (a full disk)
/// removes every temporary file and leaves the previous set as it was.
pub fn write_all_atomically(files: &[(PathBuf, &[u8])]) -> Result<(), SaveError> {
    let mut set = FileSet::default();
    for (path, bytes) in files {
        set.stage(path, |file| file.write_all(bytes))?;
    }
    set.commit()
}

/// A set of files written so that the set is whole, one file at a time: each is written and
/// flushed beside its target as it is staged (so its content need not stay in memory while the
/// next is made), and `commit` renames them all into place. Dropped uncommitted (a failure part
/// way), it removes every temporary file and leaves the previous set as it was.
#[derive(Default)]
pub struct FileSet {
    staged: Vec<Staged>,
}

impl FileSet {
    /// Writes the new content of `path` to a temporary sibling.
    pub fn stage(&mut self, path: &Path, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<(), SaveError> {
        self.staged.push(Staged::new(path, Replace::Writable, write)?);
        Ok(())
    }

    /// The set of one file, `path`, staged.
    pub fn of(path: &Path, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<Self, SaveError> {
        let mut set = Self::default();
        set.stage(path, write)?;
        Ok(set)
    }

    /// Adds the files staged in `other` (staged elsewhere, on another thread say), after this
    /// set's.
    pub fn append(&mut self, mut other: Self) {
        self.staged.append(&mut other.staged);
    }

    /// Puts every staged file in place.
    pub fn commit(self) -> Result<(), SaveError> {
        // Each directory is synced once, after its renames, those before a failure included.
        let mut directories: Vec<PathBuf> = Vec::new();
        let mut persisted = Ok(());
        for file in self.staged {
            match file.persist() {
                Ok(directory) if !directories.contains(&directory) => directories.push(directory),
                Ok(_) => {}
                Err(error) => {
                    persisted = Err(error);
                    break;
                }
            }
        }
        directories.iter().for_each(|directory| sync_directory(directory));
        persisted
    }
}

/// A file's new content, flushed to a temporary sibling, not yet in place.
struct Staged {
    temporary: tempfile::NamedTempFile,
    target: PathBuf,
    directory: PathBuf,
}

impl Staged {
    fn new(path: &Path, replace: Replace, write: impl FnOnce(&mut fs::File) -> std::io::Result<()>) -> Result<Self, SaveError> {
        let error = |source| SaveError { file: path.to_owned(), source };
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
            _ => PathBuf::from("."),
        };
        let existing = fs::symlink_metadata(path).ok();
        if replace == Replace::Writable && existing.as_ref().is_some_and(|metadata| metadata.is_file() && metadata.permissions().readonly()) {
            return Err(SaveError::new(
                path,
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only, so drplan does not replace it (make it writable, or use --force)".to_owned(),
            ));
        }
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{file_name}.");
        remove_stale_temporaries(&directory, &prefix);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(TEMPORARY_SUFFIX).rand_bytes(TEMPORARY_RANDOM);
        if let Some(permissions) = new_file_permissions(path) {
            builder.permissions(permissions);
        }
        let mut temporary = builder.tempfile_in(&directory).map_err(error)?;
        write(temporary.as_file_mut()).map_err(error)?;
        temporary.as_file().sync_all().map_err(error)?;
        Ok(Self { temporary, target: path.to_owned(), directory })
    }

    fn commit(self) -> Result<(), SaveError> {
        let directory = self.persist()?;
        sync_directory(&directory);
        Ok(())
    }

    /// Renames the file into place; returns its directory, to be synced.
    fn persist(self) -> Result<PathBuf, SaveError> {
        let Self { temporary, target, directory } = self;
        temporary.persist(&target).map_err(|persist| SaveError { file: target.clone(), source: persist.error })?;
        Ok(directory)
    }
}

/// Makes the renames in `directory` durable where the platform allows syncing a directory.
fn sync_directory(directory: &Path) {
    if let Ok(directory) = fs::File::open(directory) {
        let _ = directory.sync_all();
    }
}

const TEMPORARY_SUFFIX: &str = ".tmp";
const TEMPORARY_RANDOM: usize = 6;

/// Removes the temporary files an interrupted save of the same file left (`.NAME.XXXXXX.tmp`,
/// six random letters or digits: drplan's own naming, nothing else).
fn remove_stale_temporaries(directory: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(directory) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(random) = name.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(TEMPORARY_SUFFIX)) else { continue };
        let ours = random.len() == TEMPORARY_RANDOM && random.chars().all(|character| character.is_ascii_alphanumeric());
        if ours && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The permissions a saved file gets: those of the file it replaces, else the usual default for
/// a new file (0666 less the umask on Unix) rather than a temporary file's private 0600.
fn new_file_permissions(path: &Path) -> Option<fs::Permissions> {
    if let Ok(metadata) = fs::metadata(path) {
        return Some(metadata.permissions());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(fs::Permissions::from_mode(0o666))
    }
    #[cfg(not(unix))]
    {
        None
    }
}
