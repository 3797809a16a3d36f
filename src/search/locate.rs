//! Where an article's file is on disk, and which article a path a user types names.
//!
//! Hits carry the article's key (its path under its corpus folder, `file.jsonl#id` for a
//! JSON Lines record). A key alone cannot be opened from another working folder, so hits
//! and `show` also give its location: the corpus folder the index remembers joined with
//! the key, `#id` kept for a record so that the location still names one article. `show`
//! takes back any of these spellings.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Engine;
use crate::index::roots::{owner, Root};

/// Marks the record of a JSON Lines file in a key: `file.jsonl#id`.
const RECORD_MARK: char = '#';

/// The absolute location of the article with key `key`; `None` for an index built before
/// indexes remembered their folders.
pub(crate) fn location(key: &str, roots: &[Root]) -> Option<String> {
    let root = &roots[owner(key, roots)?];
    let rel = key.strip_prefix(root.prefix.as_str()).unwrap_or(key);
    Some(root.path.join(rel).display().to_string())
}

/// The key `path` has under one of `roots` when it lies inside that folder.
fn key_under(path: &Path, roots: &[Root]) -> Option<String> {
    roots.iter().find_map(|r| {
        let rel = path.strip_prefix(&r.path).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(format!("{}{}", r.prefix, parts.join("/")))
    })
}

/// The keys `given` may stand for, most literal first: the key itself, a path relative to
/// a corpus folder, and a path on disk (absolute, or relative to the working folder) inside
/// a remembered corpus folder, each with the `#id` of a record kept.
fn candidates(given: &str, roots: &[Root]) -> Vec<String> {
    let mut out = vec![given.to_string()];
    if Path::new(given).is_relative() {
        for r in roots.iter().filter(|r| !r.prefix.is_empty()) {
            out.push(format!("{}{given}", r.prefix));
        }
    }
    // A file name may itself hold the mark, so the whole of `given` is tried as a file
    // before the part after the last mark is taken as a record id.
    let mut splits = vec![(given, "")];
    if let Some(i) = given.rfind(RECORD_MARK) {
        splits.push((&given[..i], &given[i..]));
    }
    for (file, record) in splits {
        let p = PathBuf::from(file);
        let on_disk = p.canonicalize().ok();
        for path in on_disk.iter().chain(p.is_absolute().then_some(&p)) {
            if let Some(key) = key_under(path, roots) {
                out.push(format!("{key}{record}"));
            }
        }
    }
    out.dedup();
    out
}

impl Engine {
    /// The absolute location of the article with key `key`, where the index knows it.
    pub(crate) fn location(&self, key: &str) -> Option<String> {
        location(key, &self.roots)
    }

    /// The key of the indexed article that `given` names (see [`candidates`]); `None` when
    /// it names none.
    pub(crate) fn resolve(&self, given: &str) -> Result<Option<String>> {
        for key in candidates(given, &self.roots) {
            if self.has_article(&key)? {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots() -> Vec<Root> {
        vec![
            Root {
                path: PathBuf::from("/data/bbc"),
                prefix: String::new(),
            },
            Root {
                path: PathBuf::from("/data/wire"),
                prefix: "wire/".into(),
            },
        ]
    }

    #[test]
    fn keys_become_locations_under_their_folder() {
        let r = roots();
        assert_eq!(
            location("tech/a.txt", &r).as_deref(),
            Some("/data/bbc/tech/a.txt")
        );
        assert_eq!(
            location("wire/feed.jsonl#7", &r).as_deref(),
            Some("/data/wire/feed.jsonl#7")
        );
        assert_eq!(location("tech/a.txt", &[]), None);
    }

    #[test]
    fn absolute_paths_and_records_map_back_to_keys() {
        let r = roots();
        let c = candidates("/data/wire/feed.jsonl#7", &r);
        assert!(c.contains(&"wire/feed.jsonl#7".to_string()), "{c:?}");
        let c = candidates("/data/bbc/tech/a.txt", &r);
        assert!(c.contains(&"tech/a.txt".to_string()), "{c:?}");
        let c = candidates("feed.jsonl#7", &r);
        assert!(c.contains(&"wire/feed.jsonl#7".to_string()), "{c:?}");
        assert_eq!(candidates("/elsewhere/x.txt", &r), vec!["/elsewhere/x.txt"]);
    }
}
