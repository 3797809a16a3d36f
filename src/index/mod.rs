//! The on-disk index: creating and opening it, and telling a newsdex index of this version
//! from anything else before tantivy is asked to read it.

pub(crate) mod counts;
pub(crate) mod dups;
pub(crate) mod merge;
pub(crate) mod rebuild;
pub(crate) mod roots;
pub(crate) mod schema;
pub(crate) mod stem;
pub mod writer;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::Index;

pub(crate) use schema::{Fields, SCHEMA_VERSION};

/// Written beside tantivy's own files; says which program and schema built the index.
pub(crate) const MARKER_FILE: &str = "newsdex.json";

#[derive(Serialize, Deserialize)]
struct Marker {
    format: String,
    schema_version: u32,
}

/// Facts about the last `index` run, kept in the commit payload so they are exactly as
/// durable as the documents they describe.
#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct RunInfo {
    /// Seconds since the epoch when the commit was made.
    pub committed_at: u64,
    pub corpus: String,
    /// The corpus folders of the index (empty in indexes built before they were kept).
    #[serde(default)]
    pub roots: Vec<roots::Root>,
    /// False for the periodic commits of a run still going, or one that was interrupted.
    pub complete: bool,
}

pub struct NewsIndex {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

pub(crate) fn rebuild_hint(dir: &Path) -> String {
    format!(
        "run `newsdex index CORPUS --index {} --rebuild` to build it again",
        dir.display()
    )
}

fn read_marker(dir: &Path) -> Result<Option<Marker>> {
    let path = dir.join(MARKER_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let m: Marker = serde_json::from_slice(&bytes)
                .with_context(|| format!("{} is damaged; {}", path.display(), rebuild_hint(dir)))?;
            Ok(Some(m))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn check_version(dir: &Path, m: &Marker) -> Result<()> {
    if m.format != "newsdex" {
        bail!(
            "{} is not a newsdex index; {}",
            dir.display(),
            rebuild_hint(dir)
        );
    }
    if m.schema_version != SCHEMA_VERSION {
        bail!(
            "the index at {} was built with schema version {} but this newsdex uses version {}; {}",
            dir.display(),
            m.schema_version,
            SCHEMA_VERSION,
            rebuild_hint(dir)
        );
    }
    Ok(())
}

fn open_tantivy(dir: &Path) -> Result<Index> {
    let mmap = MmapDirectory::open(dir)
        .with_context(|| format!("cannot open index folder {}", dir.display()))?;
    let index = Index::open(mmap).map_err(|e| {
        anyhow::anyhow!(
            "the index at {} cannot be read ({e}); {}",
            dir.display(),
            rebuild_hint(dir)
        )
    })?;
    Ok(index)
}

impl NewsIndex {
    /// Opens an index for searching; a missing, foreign, old or damaged index is an error
    /// that says how to recover.
    pub fn open(dir: &Path) -> Result<NewsIndex> {
        if !dir.join("meta.json").exists() {
            if dir.join(MARKER_FILE).exists() {
                bail!(
                    "the index at {} is incomplete (no meta.json); {}",
                    dir.display(),
                    rebuild_hint(dir)
                );
            }
            bail!(
                "no index at {}; build one with `newsdex index CORPUS --index {}`",
                dir.display(),
                dir.display()
            );
        }
        match read_marker(dir)? {
            Some(m) => check_version(dir, &m)?,
            None => bail!(
                "{} holds an index that newsdex did not build; {}",
                dir.display(),
                rebuild_hint(dir)
            ),
        }
        let index = open_tantivy(dir)?;
        schema::register_on(&index);
        // Catches a layout change that forgot to bump SCHEMA_VERSION.
        if serde_json::to_value(index.schema())? != serde_json::to_value(schema::build_schema())? {
            bail!(
                "the index at {} has another field layout than this newsdex uses; {}",
                dir.display(),
                rebuild_hint(dir)
            );
        }
        let fields = Fields::new(&index.schema())?;
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// Opens the index for writing, creating it when the folder holds none.
    pub(crate) fn open_or_create(dir: &Path) -> Result<NewsIndex> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create index folder {}", dir.display()))?;
        if dir.join("meta.json").exists() {
            return NewsIndex::open(dir);
        }
        if let Some(m) = read_marker(dir)? {
            check_version(dir, &m)?;
        }
        // The marker goes first: a run killed between the two writes leaves a marker and no
        // meta.json, which the next run completes, rather than a meta.json without a marker,
        // which would look like another program's index.
        write_marker(dir)?;
        let mmap = MmapDirectory::open(dir)
            .with_context(|| format!("cannot open index folder {}", dir.display()))?;
        let index = Index::create(mmap, schema::build_schema(), schema::index_settings())
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        schema::register_on(&index);
        let fields = Fields::new(&index.schema())?;
        Ok(NewsIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    pub(crate) fn last_run(&self) -> Option<RunInfo> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }
}

/// The last run recorded in the folder's `meta.json`, read without opening the index, so
/// that a damaged or old index still tells which folders it was built from.
pub(crate) fn last_run_in(dir: &Path) -> Option<RunInfo> {
    #[derive(Deserialize)]
    struct Meta {
        payload: Option<String>,
    }
    let bytes = std::fs::read(dir.join("meta.json")).ok()?;
    let meta: Meta = serde_json::from_slice(&bytes).ok()?;
    serde_json::from_str(meta.payload.as_deref()?).ok()
}

fn write_marker(dir: &Path) -> Result<()> {
    let marker = Marker {
        format: "newsdex".into(),
        schema_version: SCHEMA_VERSION,
    };
    let path = dir.join(MARKER_FILE);
    let tmp = dir.join(format!("{MARKER_FILE}.tmp"));
    std::fs::write(&tmp, serde_json::to_vec(&marker)?)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Message of the error for an index that another process is writing.
pub(crate) fn in_use_message(dir: &Path) -> String {
    format!(
        "the index at {} is in use by another process (another `newsdex index` is running); try again when it has finished",
        dir.display()
    )
}

/// A tantivy segment file: 32 hex digits, a dot and an extension.
pub(crate) fn is_segment_file(name: &str) -> bool {
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && !ext.is_empty()
}

/// Bytes on disk of the index folder's files.
pub(crate) fn size_on_disk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Fault injection for the tests of failure handling: `NEWSDEX_FAILPOINT=name` turns on one
/// named fault (`command-panic`: the command panics; `read-panic`: reading a file whose name
/// contains `panic-here` panics; `serve-slow`: each request of `newsdex serve` sleeps
/// first). Off unless the variable is set.
pub(crate) fn failpoint(name: &str) -> bool {
    static SET: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| std::env::var("NEWSDEX_FAILPOINT").ok())
        .as_deref()
        == Some(name)
}
