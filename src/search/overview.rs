//! The figures of `newsdex stats` and of `GET /api/stats`.

use anyhow::Result;
use serde::Serialize;

use super::Engine;
use crate::index::{self, RunInfo};

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub index: String,
    pub articles: u64,
    pub quotes: u64,
    pub speakers: u64,
    pub size_bytes: u64,
    pub segments: usize,
    pub schema_version: u32,
    pub last_run: Option<RunInfo>,
    /// Clusters of duplicate articles (`search::copies`).
    pub duplicates: super::copies::ClusterStats,
}

impl Engine {
    pub fn overview(&self) -> Result<Overview> {
        let searcher = self.searcher();
        let counts = index::counts::count_kinds(&searcher, &self.ni.fields);
        Ok(Overview {
            index: self.ni.dir.display().to_string(),
            articles: counts.articles,
            quotes: counts.quotes,
            speakers: self.speaker_total()?,
            size_bytes: index::size_on_disk(&self.ni.dir),
            segments: searcher.segment_readers().len(),
            schema_version: index::SCHEMA_VERSION,
            last_run: self.ni.last_run(),
            duplicates: self.clusters()?.stats,
        })
    }
}
