//! Ingest: walk a corpus folder, read and decode each file, split it into an [`Article`].

pub(crate) mod article;
pub(crate) mod boilerplate;
pub(crate) mod dates;
pub(crate) mod decode;
// Keys for duplicate articles; not yet stored in the index (grouping in `search` and the
// counts in `stats` come next), so only the tests call it for now.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod dedup;
pub(crate) mod html;
pub(crate) mod jsonl;
pub(crate) mod meta;
pub(crate) mod metafile;
pub(crate) mod walk;

use std::fs::File;
use std::io::Read;
use std::path::Path;

pub use article::{parse, Article};
pub use walk::{walk, FileEntry, Skipped, Walk};

/// A file read and parsed, with what a user should be told about it.
#[derive(Debug)]
pub struct ParsedFile {
    pub article: Article,
    /// The decoded text; quote offsets point into it.
    pub text: String,
    pub warnings: Vec<String>,
}

/// Why a file could not be indexed at all.
#[derive(Debug, Clone)]
pub struct ReadError(pub String);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Opens without blocking so that a FIFO swapped in after the walk cannot hang the run.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Opens a regular file for reading; anything else (a FIFO, a folder) is an error.
pub(crate) fn open_regular(path: &Path) -> Result<File, ReadError> {
    let file = open_nonblocking(path).map_err(|e| ReadError(format!("cannot open: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| ReadError(format!("cannot stat: {e}")))?;
    if !meta.is_file() {
        return Err(ReadError("not a regular file".into()));
    }
    Ok(file)
}

/// Reads at most `max_bytes` of a regular file.
pub fn read_bytes(path: &Path, max_bytes: u64) -> Result<(Vec<u8>, bool), ReadError> {
    let file = open_regular(path)?;
    let meta = file
        .metadata()
        .map_err(|e| ReadError(format!("cannot stat: {e}")))?;
    let mut buf = Vec::with_capacity(meta.len().min(max_bytes) as usize + 1);
    file.take(max_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadError(format!("cannot read: {e}")))?;
    let truncated = buf.len() as u64 > max_bytes;
    if truncated {
        buf.truncate(max_bytes as usize);
    }
    Ok((buf, truncated))
}

/// Reads, decodes and parses one article file. `Err` means nothing of it can be indexed.
pub(crate) fn read_article(path: &Path, max_bytes: u64) -> Result<ParsedFile, ReadError> {
    let (bytes, truncated) = read_bytes(path, max_bytes)?;
    let mut parsed = if html::is_html(path) {
        html::parse_html(&bytes, truncated, max_bytes)?
    } else {
        parse_bytes(&bytes, truncated, max_bytes)?
    };
    // The last resort for a date: the file's name.
    let name = path.file_name().map(|n| n.to_string_lossy());
    if let Some(day) = name.and_then(|n| dates::date_in_file_name(&n)) {
        let from_name = meta::Metadata {
            date: Some(meta::Sourced {
                value: day,
                origin: meta::Origin::FileName,
            }),
            ..Default::default()
        };
        parsed.article.meta.overlay(&from_name);
    }
    Ok(parsed)
}

pub fn parse_bytes(bytes: &[u8], truncated: bool, max_bytes: u64) -> Result<ParsedFile, ReadError> {
    let mut warnings = Vec::new();
    let bytes = if truncated {
        cut_at_boundary(bytes)
    } else {
        bytes
    };
    let decoded = decode::decode(bytes)
        .map_err(|_| ReadError("binary file (NUL or control bytes), not text".into()))?;
    let text = decoded.text.into_owned();
    if truncated {
        warnings.push(format!(
            "larger than the size limit of {} MB: only the first {} MB indexed (see --max-file-mb)",
            max_bytes >> 20,
            max_bytes >> 20
        ));
    }
    if decoded.encoding == decode::Encoding::Windows1252 {
        warnings.push("not valid UTF-8: decoded as Windows-1252".into());
    }
    if text.trim().is_empty() {
        return Err(ReadError("empty file".into()));
    }
    let mut article = parse(&text);
    warnings.append(&mut article.meta_warnings);
    if article.body.is_empty() {
        warnings.push("title only, no body text".into());
    }
    Ok(ParsedFile {
        article,
        text,
        warnings,
    })
}

/// A truncated file ends at its last line break, so the final paragraph is whole and no
/// UTF-8 sequence is cut (which would make the file look like Windows-1252).
fn cut_at_boundary(bytes: &[u8]) -> &[u8] {
    if let Some(i) = bytes.iter().rposition(|&b| b == b'\n') {
        return &bytes[..=i];
    }
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => &bytes[..e.valid_up_to()],
        _ => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("pipe.txt");
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        // No writer on the other end: a blocking open would never return.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(read_article(&p, 1 << 20).map(|_| ()));
        });
        let r = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("reading a FIFO must not block");
        assert!(r.unwrap_err().0.contains("not a regular file"));
    }

    #[test]
    fn a_missing_file_is_an_error_not_a_panic() {
        let e = read_article(Path::new("/nonexistent/newsdex/x.txt"), 1 << 20).unwrap_err();
        assert!(e.0.contains("cannot open"), "{e}");
    }

    #[test]
    fn truncation_keeps_whole_lines_and_characters() {
        let text = "Title\n\nfirst line\nsecond é line";
        let p = parse_bytes(text.as_bytes(), true, 20).unwrap();
        assert_eq!(p.text, "Title\n\nfirst line\n");
        assert!(p.warnings[0].contains("size limit"));
        // One long line cut inside a two-byte character: the character is dropped whole.
        let p = parse_bytes(&"ééé".as_bytes()[..3], true, 3).unwrap();
        assert_eq!(p.text, "é");
        assert!(!p.warnings.iter().any(|w| w.contains("Windows-1252")));
    }
}
