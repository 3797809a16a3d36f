//! The duplicate clusters of the whole index, found from the articles' key columns
//! (`ingest::dedup`) when an `index` run ends and kept beside the index in
//! `duplicates-OPSTAMP.json`, so that a search reads a short list instead of every
//! article's keys. The file names the commit it describes: a later commit (a run
//! interrupted before writing its own) makes it stale, and readers then compute the
//! clusters themselves.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::Searcher;

use super::schema::names;
use crate::ingest::dedup::{self, DupKeys};

const FILE_PREFIX: &str = "duplicates-";
const FILE_SUFFIX: &str = ".json";

/// One cluster: the articles' paths (ids), in index order, and their SimHashes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Cluster {
    /// Every member has the same normalised text.
    pub exact: bool,
    pub paths: Vec<String>,
    /// The SimHash of each path's body. Equal SimHashes are always in one cluster, so an
    /// article's cluster can be found from its `dup_near` column alone, without decoding
    /// its path.
    pub nears: Vec<u64>,
}

#[derive(Serialize, Deserialize)]
struct ClusterFile {
    opstamp: u64,
    clusters: Vec<Cluster>,
}

fn file_of(dir: &Path, opstamp: u64) -> PathBuf {
    dir.join(format!("{FILE_PREFIX}{opstamp}{FILE_SUFFIX}"))
}

/// The clusters of the articles `searcher` sees, from their key columns. Only the
/// clustered articles' paths are decoded: a path is a dictionary block to read.
pub(crate) fn compute(searcher: &Searcher) -> Result<Vec<Cluster>> {
    let mut at: Vec<(usize, tantivy::DocId)> = Vec::new();
    let mut keys: Vec<DupKeys> = Vec::new();
    for (s, seg) in searcher.segment_readers().iter().enumerate() {
        let ff = seg.fast_fields();
        let (Some(exact), Some(near)) = (
            ff.column_opt::<u64>(names::DUP_EXACT)?,
            ff.column_opt::<u64>(names::DUP_NEAR)?,
        ) else {
            continue;
        };
        for doc in seg.doc_ids_alive() {
            if let (Some(e), Some(n)) = (exact.first(doc), near.first(doc)) {
                at.push((s, doc));
                keys.push(DupKeys { exact: e, near: n });
            }
        }
    }
    let paths = searcher
        .segment_readers()
        .iter()
        .map(|seg| seg.fast_fields().str(names::PATH))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let path_of = |(s, doc): (usize, tantivy::DocId)| -> Result<String> {
        let mut p = String::new();
        if let Some(col) = &paths[s] {
            if let Some(ord) = col.term_ords(doc).next() {
                col.ord_to_str(ord, &mut p)?;
            }
        }
        Ok(p)
    };
    dedup::clusters(&keys)
        .into_iter()
        .map(|c| {
            Ok(Cluster {
                exact: c.exact,
                paths: c
                    .members
                    .iter()
                    .map(|&i| path_of(at[i]))
                    .collect::<Result<_>>()?,
                nears: c.members.iter().map(|&i| keys[i].near).collect(),
            })
        })
        .collect()
}

/// The clusters kept for commit `opstamp`, if the file for it is there and readable.
pub(crate) fn read(dir: &Path, opstamp: u64) -> Option<Vec<Cluster>> {
    let bytes = std::fs::read(file_of(dir, opstamp)).ok()?;
    let f: ClusterFile = serde_json::from_slice(&bytes).ok()?;
    (f.opstamp == opstamp).then_some(f.clusters)
}

/// Finds the clusters of the index's last commit and keeps them beside it, removing the
/// files of earlier commits.
pub(crate) fn write(index: &tantivy::Index, dir: &Path) -> Result<()> {
    let reader = index.reader().context("cannot read the index")?;
    let searcher = reader.searcher();
    let opstamp = index.load_metas()?.opstamp;
    let clusters = compute(&searcher)?;
    let path = file_of(dir, opstamp);
    let tmp = path.with_extension("tmp");
    let body = serde_json::to_vec(&ClusterFile { opstamp, clusters })?;
    std::fs::write(&tmp, body)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .with_context(|| format!("cannot write {}", path.display()))?;
    for e in std::fs::read_dir(dir)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old = name.starts_with(FILE_PREFIX) && name.ends_with(FILE_SUFFIX);
        if old && e.path() != path {
            let _ = std::fs::remove_file(e.path());
        }
    }
    Ok(())
}
