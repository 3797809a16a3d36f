//! Finding the article files of a corpus folder.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

/// File extensions read as one article each (JSON Lines files hold many: see `jsonl`).
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md"];

/// One article file. A million of these are held at once on a large corpus, so the entry
/// keeps only what the run needs: the key, and the path on disk only when it differs from
/// the key.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Path relative to the corpus root, `/`-separated; bytes that are not UTF-8 are written
    /// `\xNN`. It is the article's id in the index.
    pub key: Box<str>,
    /// The path relative to the root when the key is not that path spelled out (non-UTF-8
    /// bytes, a platform separator other than `/`).
    raw: Option<Box<Path>>,
    /// Which corpus folder of the run the file is in (an index into the run's folders).
    pub root: u16,
    /// Length of the folder's prefix at the start of `key` (see `index::roots`).
    prefix_len: u16,
    /// Modification time in nanoseconds since the epoch; with `size`, decides whether a file
    /// changed since the last run.
    pub mtime: u64,
    pub size: u64,
}

impl FileEntry {
    pub fn new(key: impl Into<Box<str>>, mtime: u64, size: u64) -> FileEntry {
        FileEntry {
            key: key.into(),
            raw: None,
            root: 0,
            prefix_len: 0,
            mtime,
            size,
        }
    }

    /// Marks the file as one of folder `root`, whose keys start with `prefix`.
    pub fn in_folder(mut self, root: u16, prefix: &str) -> FileEntry {
        if !prefix.is_empty() {
            self.key = format!("{prefix}{}", self.key).into();
        }
        self.root = root;
        self.prefix_len = prefix.len() as u16;
        self
    }

    /// The file's path: `root` is the corpus folder that was walked.
    pub fn abs(&self, root: &Path) -> PathBuf {
        match &self.raw {
            Some(rel) => root.join(rel),
            None => root.join(&self.key[self.prefix_len as usize..]),
        }
    }

    /// The article's folder relative to the corpus root ("" at the top level).
    pub fn category(&self) -> &str {
        self.key.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("")
    }
}

/// A path met during the walk that will not be indexed, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FileEntry>,
    pub skipped: Vec<Skipped>,
    /// Files with other extensions: counted, not read.
    pub other_files: u64,
}

/// Path bytes as text: valid UTF-8 stays as is, other bytes become `\xNN`, so every file
/// gets a distinct, printable key.
pub fn path_key(rel: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = rel.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    if std::path::MAIN_SEPARATOR != '/' {
        out = out.replace(std::path::MAIN_SEPARATOR, "/");
    }
    out
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    name.as_bytes().first() == Some(&b'.')
}

pub fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| ARTICLE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        .unwrap_or(false)
        || super::jsonl::is_jsonl(path)
}

/// Walks `root` in a stable (sorted) order, following symbolic links but not loops, skipping
/// hidden files and folders. `exclude` is a folder never to enter (the index, when it lives
/// inside the corpus).
pub fn walk(root: &Path, exclude: Option<&Path>) -> Walk {
    let mut out = Walk::default();
    // Only keys with a `\x` can collide (see below), so only they are remembered.
    let mut escaped_keys = std::collections::HashSet::new();
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let it = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_hidden(e.file_name()) {
                return false;
            }
            match (&exclude, e.file_type().is_dir()) {
                (Some(ex), true) => e.path().canonicalize().map(|p| &p != ex).unwrap_or(true),
                _ => true,
            }
        });
    for item in it {
        let entry = match item {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| path_key(p.strip_prefix(root).unwrap_or(p)))
                    .unwrap_or_default();
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else if let Some(io) = err.io_error() {
                    if io.kind() == std::io::ErrorKind::NotFound {
                        "dangling symbolic link".to_string()
                    } else {
                        io.to_string()
                    }
                } else {
                    err.to_string()
                };
                out.skipped.push(Skipped { path, reason });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if !has_article_extension(rel) {
            if ft.is_file() {
                out.other_files += 1;
            }
            continue;
        }
        let key = path_key(rel);
        if key.contains("\\x") && !escaped_keys.insert(key.clone()) {
            // `caf\xE9.txt` spelled out and `caf<0xE9>.txt` get the same key; one article id
            // must not stand for two files.
            out.skipped.push(Skipped {
                path: key,
                reason: "another file has the same name once its non-UTF-8 bytes are written as \\xNN; rename one of them".into(),
            });
            continue;
        }
        if !ft.is_file() {
            out.skipped.push(Skipped {
                path: key,
                reason: "not a regular file".into(),
            });
            continue;
        }
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                out.skipped.push(Skipped {
                    path: key,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let raw = (Path::new(&key) != rel).then(|| rel.into());
        out.files.push(FileEntry {
            key: key.into(),
            raw,
            root: 0,
            prefix_len: 0,
            mtime,
            size: meta.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_bytes_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"world/caf\xe9.txt"));
        assert_eq!(path_key(p), "world/caf\\xE9.txt");
    }

    #[test]
    fn two_files_with_the_same_key_are_not_merged() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let raw = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
        std::fs::write(tmp.path().join(raw), "Raw\n\nbyte name\n").unwrap();
        std::fs::write(tmp.path().join("caf\\xE9.txt"), "Spelled\n\nout\n").unwrap();
        let w = walk(tmp.path(), None);
        assert_eq!(w.files.len(), 1);
        // the file that was kept is found on disk by its raw name, not its key
        assert!(w.files[0].abs(tmp.path()).is_file());
        assert_eq!(w.skipped.len(), 1);
        assert_eq!(w.skipped[0].path, "caf\\xE9.txt");
        assert!(w.skipped[0].reason.contains("same name"));
    }

    #[test]
    fn raw_byte_names_are_found_on_disk() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let raw = std::ffi::OsStr::from_bytes(b"na\xefve.txt");
        std::fs::write(tmp.path().join(raw), "Title\n\nbody\n").unwrap();
        let w = walk(tmp.path(), None);
        assert_eq!(&*w.files[0].key, "na\\xEFve.txt");
        assert_eq!(w.files[0].abs(tmp.path()), tmp.path().join(raw));
        assert!(w.files[0].abs(tmp.path()).is_file());
    }

    #[test]
    fn category_is_the_folder() {
        let e = FileEntry::new("world/americas/x.txt", 0, 0);
        assert_eq!(e.category(), "world/americas");
        let e = FileEntry::new("x.txt", 0, 0);
        assert_eq!(e.category(), "");
    }
}
