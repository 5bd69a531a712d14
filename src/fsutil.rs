//! Reading files that other people made, and naming files certprep keeps aside.
//!
//! Every file from outside (banks, GIFT/CSV sources, exam packs, member results) is read
//! through [`read_capped`]: only a regular file is opened (a FIFO, a device or a socket named
//! `*.json` would block a read forever or never end), and the size cap is enforced while
//! reading, not only from the size the file system reports.
//!
//! A file certprep keeps aside (a replaced database, a damaged one) gets a name nothing else
//! has: [`reserve_new`] creates it with `create_new`, so it can never overwrite a file that
//! already exists, however quickly two runs follow each other.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file from outside could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("it does not exist")]
    NotFound,
    #[error("it is {0}, not a regular file")]
    NotAFile(&'static str),
    #[error("the file is {size} bytes, larger than the {max}-byte limit")]
    TooLarge { size: u64, max: u64 },
    #[error("cannot read it: {0}")]
    Io(String),
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Check that `path` (following links) is a regular file; its size as the file system says.
pub fn regular_file(path: &Path) -> Result<u64, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e.to_string()),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(&meta)));
    }
    Ok(meta.len())
}

/// Open a regular file for reading without ever blocking on a FIFO: the type is checked
/// before opening, and on Unix the open itself is non-blocking and the type checked again on
/// the open handle (a file swapped for a FIFO in between is still refused).
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    regular_file(path)?;
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e.to_string()),
    })?;
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind_of(&meta)));
    }
    Ok(file)
}

/// Read a whole regular file of at most `max` bytes. The cap holds while reading, so a file
/// that grows (or lies about its size) never takes more than `max + 1` bytes of memory.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        return Err(ReadError::TooLarge { size: len, max });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// `name`, then `name-2`, `name-3`, ...: the candidates for a new file's name.
fn candidate(dir: &Path, name: &str, n: u32) -> PathBuf {
    if n <= 1 {
        dir.join(name)
    } else {
        dir.join(format!("{name}-{n}"))
    }
}

/// Create a new, empty file in `dir` named `name` (or `name-2`, `name-3`, ... when taken) and
/// return its path. `create_new` makes taking the name atomic: an existing file is never
/// overwritten or truncated, even by another process racing for the same name.
pub fn reserve_new(dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    for n in 1..10_000 {
        let path = candidate(dir, name, n);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("no free name for {name} in {}", dir.display()),
    ))
}

/// Move `from` to a new name in `dir` based on `name` that no file has, never replacing one:
/// a hard link (itself refused when the target exists) and then the old name removed, or,
/// where the file system has no hard links, a name reserved with [`reserve_new`] and a rename
/// onto that empty placeholder. Returns the new path.
pub fn move_to_new_name(from: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    let kept = link_to_new_name(from, dir, name)?;
    std::fs::remove_file(from)?;
    Ok(kept)
}

/// Give `from` a second name in `dir` based on `name`, never replacing a file: returns the
/// new name, which keeps the content whatever later happens to `from`. Where hard links are
/// not supported, the file is copied to a name reserved with [`reserve_new`] and synced.
pub fn link_to_new_name(from: &Path, dir: &Path, name: &str) -> std::io::Result<PathBuf> {
    for n in 1..10_000 {
        let path = candidate(dir, name, n);
        match std::fs::hard_link(from, &path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(e),
            Err(_) => break,
        }
    }
    // No hard links here (FAT, some network drives): a reserved name and a synced copy.
    let path = reserve_new(dir, name)?;
    let copied = (|| {
        let mut src = File::open(from)?;
        let mut dst = OpenOptions::new().write(true).truncate(true).open(&path)?;
        std::io::copy(&mut src, &mut dst)?;
        dst.sync_all()
    })();
    match copied {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

/// Flush a folder's entries (renames, new files) to disk where the platform allows it.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Replace `target` with `bytes` so that a reader (or a crash) sees the old file or the new
/// one, never half of either: written to a temporary file beside it, flushed, renamed over.
pub fn replace_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    sync_dir(dir);
    Ok(())
}

/// A UTC time stamp for file names, to the second: `20261130T073500Z`.
pub fn stamp() -> String {
    chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string()
}

/// Files removed when this guard is dropped, unless [`TempFiles::keep`] took them back.
#[derive(Debug, Default)]
pub struct TempFiles(Vec<PathBuf>);

impl TempFiles {
    pub fn add(&mut self, path: PathBuf) -> PathBuf {
        self.0.push(path.clone());
        path
    }
    /// Stop tracking `path` (it has been renamed into place).
    pub fn keep(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        for p in &self.0 {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "keep").unwrap();
        let a = reserve_new(dir.path(), "x").unwrap();
        let b = reserve_new(dir.path(), "x").unwrap();
        assert_eq!(a, dir.path().join("x-2"));
        assert_eq!(b, dir.path().join("x-3"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("x")).unwrap(),
            "keep"
        );
        let src = dir.path().join("src");
        std::fs::write(&src, "moved").unwrap();
        let kept = move_to_new_name(&src, dir.path(), "x").unwrap();
        assert_eq!(kept, dir.path().join("x-4"));
        assert!(!src.exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("x")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn the_cap_holds_and_folders_are_not_files() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_capped(&f, 5).unwrap(), b"12345");
        assert_eq!(
            read_capped(&f, 4),
            Err(ReadError::TooLarge { size: 5, max: 4 })
        );
        assert_eq!(
            read_capped(dir.path(), 4),
            Err(ReadError::NotAFile("a folder"))
        );
        assert_eq!(
            read_capped(&dir.path().join("none"), 4),
            Err(ReadError::NotFound)
        );
    }
}
