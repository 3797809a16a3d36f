//! Finding the article files of a corpus folder.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// File extensions read as one article each (JSON Lines files hold many: see `jsonl`).
/// Saved web pages (`html`, `htm`) go through `html` first.
pub const ARTICLE_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm"];

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
    /// The corpus's metadata files (`metadata.tsv`, `metadata.csv`): read for the files
    /// they name, not indexed.
    pub metadata: Vec<FileEntry>,
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

/// Files that describe a corpus rather than belong to it, by name without extension
/// (any case): skipped and reported, never indexed as articles.
pub const NOT_ARTICLES: &[&str] = &["readme", "provenance", "license", "licence"];

/// Ignore files honoured in every folder of a corpus, as ripgrep and fd do, plus newsdex's own.
pub const IGNORE_FILE: &str = ".newsdexignore";

fn is_corpus_document(rel: &Path) -> bool {
    rel.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| NOT_ARTICLES.iter().any(|n| n.eq_ignore_ascii_case(s)))
}

pub fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| ARTICLE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
        .unwrap_or(false)
        || super::jsonl::is_jsonl(path)
}

/// One path found by the walk, sent from the walking threads.
enum Found {
    File(FileEntry),
    Metadata(FileEntry),
    Skipped(Skipped),
    Other,
}

/// Walks `root` on several threads, following symbolic links but not loops, skipping
/// hidden files and folders and what `.gitignore`, `.ignore` and `.newsdexignore` files
/// inside the corpus exclude. `exclude` is a folder never to enter (the index, when it
/// lives inside the corpus). The files come out sorted by key, so runs are reproducible.
pub fn walk(root: &Path, exclude: Option<&Path>) -> Walk {
    let exclude = exclude.and_then(|p| p.canonicalize().ok());
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .follow_links(true)
        .hidden(true)
        .parents(false)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry(move |e| match (&exclude, e.file_type()) {
            (Some(ex), Some(ft)) if ft.is_dir() => {
                e.path().canonicalize().map(|p| &p != ex).unwrap_or(true)
            }
            _ => true,
        });
    let (tx, rx) = std::sync::mpsc::channel();
    builder.build_parallel().run(|| {
        let tx = tx.clone();
        Box::new(move |item| {
            if let Some(found) = examine(root, item) {
                let _ = tx.send(found);
            }
            ignore::WalkState::Continue
        })
    });
    drop(tx);
    let mut out = Walk::default();
    for found in rx {
        match found {
            Found::File(e) => out.files.push(e),
            Found::Metadata(e) => out.metadata.push(e),
            Found::Skipped(s) => out.skipped.push(s),
            Found::Other => out.other_files += 1,
        }
    }
    drop_duplicate_keys(&mut out);
    out.metadata.sort_by(|a, b| a.key.cmp(&b.key));
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Sorts the files by key and keeps one file per key: `caf\xE9.txt` spelled out and
/// `caf<0xE9>.txt` get the same key, and one article id must not stand for two files.
fn drop_duplicate_keys(out: &mut Walk) {
    out.files
        .sort_unstable_by(|a, b| a.key.cmp(&b.key).then_with(|| a.raw.cmp(&b.raw)));
    let mut kept: Vec<FileEntry> = Vec::with_capacity(out.files.len());
    for e in std::mem::take(&mut out.files) {
        if kept.last().is_some_and(|k| k.key == e.key) {
            out.skipped.push(Skipped {
                path: e.key.into(),
                reason: "another file has the same name once its non-UTF-8 bytes are written as \\xNN; rename one of them".into(),
            });
            continue;
        }
        kept.push(e);
    }
    out.files = kept;
}

/// Why the walk could not enter a path, in a user's words.
fn walk_error(root: &Path, err: &ignore::Error) -> Skipped {
    fn parts(err: &ignore::Error) -> (Option<&Path>, bool) {
        match err {
            ignore::Error::WithPath { path, err } => (Some(path), parts(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                parts(err)
            }
            ignore::Error::Loop { child, .. } => (Some(child), true),
            _ => (None, false),
        }
    }
    let (path, is_loop) = parts(err);
    let path = path
        .map(|p| path_key(p.strip_prefix(root).unwrap_or(p)))
        .unwrap_or_default();
    let reason = match err.io_error() {
        _ if is_loop => "symbolic link loop".to_string(),
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "dangling symbolic link".to_string()
        }
        Some(io) => io.to_string(),
        None => err.to_string(),
    };
    Skipped { path, reason }
}

/// What one walked path is: an article file, a path to report, another file, or nothing.
fn examine(root: &Path, item: Result<ignore::DirEntry, ignore::Error>) -> Option<Found> {
    let entry = match item {
        Ok(e) => e,
        Err(err) => return Some(Found::Skipped(walk_error(root, &err))),
    };
    let ft = entry.file_type()?;
    if ft.is_dir() {
        return None;
    }
    let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
    let metadata = super::metafile::is_metadata_file(rel);
    if !has_article_extension(rel) && !metadata {
        return ft.is_file().then_some(Found::Other);
    }
    let key = path_key(rel);
    let skip = |reason: String| {
        Some(Found::Skipped(Skipped {
            path: key.clone(),
            reason,
        }))
    };
    if !ft.is_file() {
        return skip("not a regular file".into());
    }
    if is_corpus_document(rel) {
        return skip(
            "not an article: README, PROVENANCE and LICENSE files describe the corpus".into(),
        );
    }
    let meta = match entry.metadata() {
        Ok(m) => m,
        Err(e) => return skip(e.to_string()),
    };
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let raw = (Path::new(&key) != rel).then(|| rel.into());
    let entry = FileEntry {
        key: key.into(),
        raw,
        root: 0,
        prefix_len: 0,
        mtime,
        size: meta.len(),
    };
    Some(if metadata {
        Found::Metadata(entry)
    } else {
        Found::File(entry)
    })
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
    fn ignore_files_and_corpus_documents() {
        let tmp = tempfile::tempdir().unwrap();
        let put = |rel: &str, text: &str| {
            let p = tmp.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        put("a.txt", "A\n\nkept\n");
        put("README.md", "About this corpus\n");
        put("sub/LICENSE.txt", "MIT\n");
        put("sub/Provenance.md", "Scraped in 2020\n");
        put(".gitignore", "drafts/\n");
        put("drafts/d.txt", "D\n\ndraft\n");
        put(".ignore", "*.bak.txt\n");
        put("x.bak.txt", "X\n\nbackup\n");
        put(".newsdexignore", "private/\n");
        put("private/p.txt", "P\n\nprivate\n");
        let w = walk(tmp.path(), None);
        let keys: Vec<&str> = w.files.iter().map(|f| &*f.key).collect();
        assert_eq!(keys, ["a.txt"]);
        let skipped: Vec<&str> = w.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            skipped,
            ["README.md", "sub/LICENSE.txt", "sub/Provenance.md"]
        );
        assert!(w.skipped[0].reason.contains("not an article"));
    }

    #[test]
    fn saved_web_pages_are_articles_and_their_assets_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["a.html", "b.HTM", "style.css", "app.js"] {
            std::fs::write(tmp.path().join(name), "x").unwrap();
        }
        let w = walk(tmp.path(), None);
        let mut keys: Vec<&str> = w.files.iter().map(|f| &*f.key).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["a.html", "b.HTM"]);
    }

    #[test]
    fn category_is_the_folder() {
        let e = FileEntry::new("world/americas/x.txt", 0, 0);
        assert_eq!(e.category(), "world/americas");
        let e = FileEntry::new("x.txt", 0, 0);
        assert_eq!(e.category(), "");
    }
}
