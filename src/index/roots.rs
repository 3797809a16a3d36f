//! The corpus folders an index remembers, and the runs it refuses.
//!
//! An index remembers the folders it was built from (in its commit payload, so the list is
//! exactly as durable as the documents). `newsdex index` without a folder updates them all;
//! a folder the index has never seen, or a run that would remove most of what a folder
//! indexed (an empty or unmounted folder looks like that), is refused until the user says
//! so. Re-indexing the BBC folder's index from another corpus used to remove every
//! article with exit status 0.
//!
//! An article's key is its path under its folder. With several folders each key starts
//! with the folder's prefix (its name and a `/`); the first folder of an index built from
//! one keeps the empty prefix, so its keys stay what they were.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// A run may remove up to this many files of a folder without confirmation, whatever the
/// share: deleting a few articles is ordinary upkeep.
pub const MAX_UNCONFIRMED_REMOVALS: u64 = 10;

/// Above [`MAX_UNCONFIRMED_REMOVALS`], a run that would remove more than this share (in
/// percent) of a folder's indexed files is refused.
pub const MAX_UNCONFIRMED_REMOVAL_PERCENT: u64 = 50;

/// One corpus folder of an index.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// Absolute path, symbolic links resolved.
    pub path: PathBuf,
    /// Prepended to the keys of its articles: "" or a name ending in `/`.
    pub prefix: String,
}

/// What the user allowed on the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Consent {
    /// Index folders the index has never seen beside the ones it has.
    pub add: bool,
    /// Remove however many articles the folders no longer hold.
    pub allow_removals: bool,
}

/// The folders of an index after this run, and which of them the run walks.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub roots: Vec<Root>,
    /// Indices into `roots` of the folders walked by this run.
    pub walked: Vec<usize>,
}

/// The folder a run uses when it is given none and the index remembers none.
pub const DEFAULT_CORPUS: &str = "corpus";

fn canonical(dir: &Path) -> Result<PathBuf> {
    let path = dir
        .canonicalize()
        .with_context(|| format!("cannot read corpus folder {}", dir.display()))?;
    if !path.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    Ok(path)
}

fn shown(roots: &[Root]) -> String {
    let names: Vec<String> = roots.iter().map(|r| r.path.display().to_string()).collect();
    names.join(", ")
}

/// A prefix for `dir` that no folder of `roots` uses, and that is not a top-level folder
/// of a folder with the empty prefix (whose keys would otherwise collide with it).
fn new_prefix(dir: &Path, roots: &[Root]) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "corpus".into());
    let taken = |p: &str| {
        roots.iter().any(|r| {
            r.prefix == p || (r.prefix.is_empty() && r.path.join(p.trim_end_matches('/')).exists())
        })
    };
    let mut prefix = format!("{name}/");
    let mut n = 2;
    while taken(&prefix) {
        prefix = format!("{name}-{n}/");
        n += 1;
    }
    prefix
}

/// Decides the folders of this run. `remembered` is what the index holds (empty for a new
/// index, or one built before indexes remembered their folders); `has_articles` says
/// whether the index holds anything.
pub fn plan(
    given: &[PathBuf],
    remembered: &[Root],
    has_articles: bool,
    consent: Consent,
) -> Result<Plan> {
    if given.is_empty() && !remembered.is_empty() {
        return Ok(Plan {
            roots: remembered.to_vec(),
            walked: (0..remembered.len()).collect(),
        });
    }
    let default = [PathBuf::from(DEFAULT_CORPUS)];
    let given = if given.is_empty() {
        &default[..]
    } else {
        given
    };
    let mut dirs = Vec::with_capacity(given.len());
    for d in given {
        let c = canonical(d)?;
        if !dirs.contains(&c) {
            dirs.push(c);
        }
    }
    let mut roots = remembered.to_vec();
    // A new index, or one that predates this list: its first folder keeps the empty prefix.
    if roots.is_empty() && (has_articles || dirs.len() == 1) {
        roots.push(Root {
            path: dirs[0].clone(),
            prefix: String::new(),
        });
    }
    let fresh = remembered.is_empty() && !has_articles;
    let mut walked = Vec::new();
    for d in dirs {
        if let Some(i) = roots.iter().position(|r| r.path == d) {
            walked.push(i);
            continue;
        }
        if !fresh && !consent.add {
            bail!(
                "{} is a folder this index has never seen: the index at hand holds articles from {}. \
                 Nothing was changed. To index it beside them, run again with --add; \
                 to replace the index with this folder's articles, run again with --rebuild",
                d.display(),
                shown(&roots)
            );
        }
        let prefix = new_prefix(&d, &roots);
        roots.push(Root { path: d, prefix });
        walked.push(roots.len() - 1);
    }
    Ok(Plan { roots, walked })
}

/// The folder (index into `roots`) a key belongs to: the one whose prefix it starts with,
/// else the one with the empty prefix.
pub fn owner(key: &str, roots: &[Root]) -> Option<usize> {
    roots
        .iter()
        .position(|r| !r.prefix.is_empty() && key.starts_with(&r.prefix))
        .or_else(|| roots.iter().position(|r| r.prefix.is_empty()))
}

/// Refuses a run that would remove most of what a folder indexed. `indexed` and `removed`
/// count files per folder (index into `roots`).
pub fn check_removals(
    roots: &[Root],
    indexed: &HashMap<usize, u64>,
    removed: &HashMap<usize, u64>,
    consent: Consent,
) -> Result<()> {
    if consent.allow_removals {
        return Ok(());
    }
    for (&i, &gone) in removed {
        let had = indexed.get(&i).copied().unwrap_or(0);
        let many =
            gone > MAX_UNCONFIRMED_REMOVALS && gone * 100 > had * MAX_UNCONFIRMED_REMOVAL_PERCENT;
        if many || (gone == had && gone > 1) {
            let dir = roots[i].path.display();
            let why = if gone == had {
                format!("{dir} holds none of them now: is it empty, moved or not mounted?")
            } else {
                format!("{dir} no longer holds them")
            };
            bail!(
                "this run would remove {gone} of the {had} files indexed from {dir} ({why}). \
                 Nothing was changed. If they are meant to go, run again with --allow-removals; \
                 to build the index from scratch, use --rebuild"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(names: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
        let tmp = tempfile::tempdir().unwrap();
        let out = names
            .iter()
            .map(|n| {
                let p = tmp.path().join(n);
                std::fs::create_dir_all(&p).unwrap();
                p.canonicalize().unwrap()
            })
            .collect();
        (tmp, out)
    }

    #[test]
    fn one_folder_keeps_bare_keys_and_several_get_prefixes() {
        let (_t, d) = dirs(&["bbc", "x/news", "y/news"]);
        let p = plan(&d[..1], &[], false, Consent::default()).unwrap();
        assert_eq!(p.roots[0].prefix, "");
        let p = plan(&d, &[], false, Consent::default()).unwrap();
        let prefixes: Vec<&str> = p.roots.iter().map(|r| r.prefix.as_str()).collect();
        assert_eq!(prefixes, ["bbc/", "news/", "news-2/"]);
        assert_eq!(p.walked, [0, 1, 2]);
    }

    #[test]
    fn no_folder_given_means_every_remembered_folder() {
        let (_t, d) = dirs(&["a", "b"]);
        let remembered = plan(&d, &[], false, Consent::default()).unwrap().roots;
        let p = plan(&[], &remembered, true, Consent::default()).unwrap();
        assert_eq!(p.roots, remembered);
        assert_eq!(p.walked, [0, 1]);
    }

    #[test]
    fn a_folder_never_seen_is_refused_unless_added() {
        let (_t, d) = dirs(&["bbc", "polnear"]);
        let remembered = plan(&d[..1], &[], false, Consent::default()).unwrap().roots;
        let e = plan(&d[1..], &remembered, true, Consent::default()).unwrap_err();
        assert!(e.to_string().contains("never seen"), "{e}");
        assert!(e.to_string().contains("--add"), "{e}");
        let add = Consent {
            add: true,
            ..Default::default()
        };
        let p = plan(&d[1..], &remembered, true, add).unwrap();
        assert_eq!(p.roots[1].prefix, "polnear/");
        assert_eq!(p.walked, [1]);
        assert_eq!(owner("polnear/x.txt", &p.roots), Some(1));
        assert_eq!(owner("world/x.txt", &p.roots), Some(0));
    }

    #[test]
    fn an_added_prefix_avoids_a_top_level_folder_of_the_first() {
        let (_t, d) = dirs(&["a/news", "b/news"]);
        let remembered = plan(&d[..1], &[], false, Consent::default()).unwrap().roots;
        std::fs::create_dir_all(d[0].join("news")).unwrap();
        let add = Consent {
            add: true,
            ..Default::default()
        };
        let p = plan(&d[1..], &remembered, true, add).unwrap();
        assert_eq!(p.roots[1].prefix, "news-2/");
    }

    #[test]
    fn many_or_all_removals_are_refused() {
        let roots = vec![Root {
            path: "/c".into(),
            prefix: String::new(),
        }];
        let check = |had: u64, gone: u64| {
            check_removals(
                &roots,
                &HashMap::from([(0, had)]),
                &HashMap::from([(0, gone)]),
                Consent::default(),
            )
        };
        assert!(check(100, 10).is_ok());
        assert!(check(100, 50).is_ok());
        assert!(check(1, 1).is_ok());
        let e = check(100, 51).unwrap_err().to_string();
        assert!(
            e.contains("remove 51 of the 100") && e.contains("--allow-removals"),
            "{e}"
        );
        let e = check(5, 5).unwrap_err().to_string();
        assert!(e.contains("not mounted"), "{e}");
        let ok = Consent {
            allow_removals: true,
            ..Default::default()
        };
        assert!(check_removals(
            &roots,
            &HashMap::from([(0, 5)]),
            &HashMap::from([(0, 5)]),
            ok
        )
        .is_ok());
    }
}
