//! The index as the server sees it: opened on first use (so the server can start before
//! the first `newsdex index` and answer 503 until then), and reopened when a commit lands.
//!
//! An [`Engine`] searches the snapshot it opened. A second reader with tantivy's
//! `OnCommitWithDelay` policy watches `meta.json`; when its generation moves, the next
//! request builds a fresh engine, so the cost of reopening is paid once per commit, not
//! once per request.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tantivy::{IndexReader, ReloadPolicy};

use crate::index::NewsIndex;
use crate::search::Engine;

struct Open {
    index: tantivy::Index,
    fields: crate::index::Fields,
    watcher: IndexReader,
    generation: u64,
    engine: Arc<Engine>,
}

pub struct IndexHandle {
    dir: PathBuf,
    current: Mutex<Option<Open>>,
}

fn engine_of(index: &tantivy::Index, fields: crate::index::Fields, dir: &Path) -> Result<Engine> {
    Engine::open(NewsIndex {
        index: index.clone(),
        fields,
        dir: dir.to_path_buf(),
    })
}

impl IndexHandle {
    pub fn new(dir: PathBuf) -> IndexHandle {
        IndexHandle {
            dir,
            current: Mutex::new(None),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The engine over the newest commit. Blocking: call it off the async threads.
    pub fn engine(&self) -> Result<Arc<Engine>> {
        // A panic while reopening leaves `None` or the old engine: both are usable.
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(open) = current.as_mut() {
            let generation = open.watcher.searcher().generation().generation_id();
            if generation != open.generation {
                open.engine = Arc::new(engine_of(&open.index, open.fields, &self.dir)?);
                open.generation = generation;
            }
            return Ok(open.engine.clone());
        }
        let ni = NewsIndex::open(&self.dir)?;
        let watcher: IndexReader = ni
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", self.dir.display()))?;
        let generation = watcher.searcher().generation().generation_id();
        let engine = Arc::new(engine_of(&ni.index, ni.fields, &self.dir)?);
        let open = current.insert(Open {
            index: ni.index,
            fields: ni.fields,
            watcher,
            generation,
            engine,
        });
        Ok(open.engine.clone())
    }
}
