//! The duplicate clusters of the index (`index::dups`), and the quotes that are copies:
//! the same text by the same speaker in another article of one cluster. `quotes` and
//! `speakers` leave the copies out, so a syndicated quote counts once.
//!
//! Read on first use per open index: the clusters from the file the last `index` run left
//! (or, without one, from the articles' key columns), then the quotes of each clustered
//! article, compared by speaker and text key. Only clustered articles are visited.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, BooleanQuery, ConstScorer, EnableScoring, Explanation, Occur, Query, Scorer,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Searcher, SegmentReader, Term, TERMINATED};

use super::quote_columns::QuoteColumns;
use super::Engine;
use crate::index::dups::{self, Cluster};

/// What `stats` says of the duplicates.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ClusterStats {
    /// Groups of two or more articles that are copies of one story.
    pub clusters: u64,
    /// Clusters whose articles all have the same normalised text.
    pub exact_clusters: u64,
    /// Clusters with at least two articles that differ a little (SimHash within 6 bits).
    pub near_clusters: u64,
    /// Articles in the clusters; `articles - clusters` are copies.
    pub articles: u64,
}

/// The clusters of an index, by path.
#[derive(Debug, Default)]
pub(crate) struct Clusters {
    pub stats: ClusterStats,
    pub clusters: Vec<Cluster>,
    /// The cluster of each clustered article's SimHash.
    pub cluster_of: HashMap<u64, u32>,
}

/// The quote documents that repeat a quote of their cluster.
#[derive(Debug, Default)]
pub(crate) struct QuoteCopies {
    /// Per segment, the quote documents that are copies, ascending.
    copies: HashMap<SegmentId, Vec<DocId>>,
    /// Per speaker name (the quote column's value): quotes that are copies, and articles
    /// whose quotes by the speaker all are; for counts taken from the term dictionary.
    pub copies_by_speaker: HashMap<String, (u64, u64)>,
}

/// The live article document with id `path`, as (segment, doc): the first live document
/// of the path that is not a quote.
fn article_at(
    searcher: &Searcher,
    cols: &[QuoteColumns],
    path_field: Field,
    path: &str,
) -> Result<Option<(usize, DocId)>> {
    let term = Term::from_field_text(path_field, path);
    for (s, seg) in searcher.segment_readers().iter().enumerate() {
        let inv = seg.inverted_index(path_field)?;
        let Some(mut postings) = inv.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        while postings.doc() != TERMINATED {
            let d = postings.doc();
            let alive = seg.alive_bitset().is_none_or(|a| a.is_alive(d));
            if alive && !cols[s].is_quote(d) {
                return Ok(Some((s, d)));
            }
            postings.advance();
        }
    }
    Ok(None)
}

/// The clusters of the index: those the last run kept for this commit, or else found
/// from the key columns.
pub(crate) fn clusters(searcher: &Searcher, dir: &std::path::Path) -> Result<Clusters> {
    let opstamp = searcher.index().load_metas()?.opstamp;
    let clusters = match dups::read(dir, opstamp) {
        Some(c) => c,
        None => dups::compute(searcher)?,
    };
    let mut out = Clusters::default();
    for (i, c) in clusters.iter().enumerate() {
        out.stats.clusters += 1;
        out.stats.articles += c.paths.len() as u64;
        if c.exact {
            out.stats.exact_clusters += 1;
        } else {
            out.stats.near_clusters += 1;
        }
        for &near in &c.nears {
            out.cluster_of.insert(near, i as u32);
        }
    }
    out.clusters = clusters;
    Ok(out)
}

/// The quotes of the clustered articles that repeat one of an earlier member of their
/// cluster (same speaker, same text key).
fn quote_copies(
    searcher: &Searcher,
    clusters: &Clusters,
    path_field: Field,
) -> Result<QuoteCopies> {
    let segs = searcher.segment_readers();
    let cols = segs
        .iter()
        .map(QuoteColumns::open)
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut out = QuoteCopies::default();
    for c in &clusters.clusters {
        // (speaker, text key) of the quotes seen in the cluster so far.
        let mut seen: HashSet<(Option<String>, u64)> = HashSet::new();
        for path in &c.paths {
            let Some((s, doc)) = article_at(searcher, &cols, path_field, path)? else {
                continue;
            };
            let seg = &segs[s];
            out.mark(&cols[s], seg.segment_id(), doc, seg.max_doc(), &mut seen);
        }
    }
    out.copies.values_mut().for_each(|v| v.sort_unstable());
    Ok(out)
}

impl QuoteCopies {
    /// Marks the quotes of the article at `doc` that repeat one `seen` in its cluster.
    fn mark(
        &mut self,
        qc: &QuoteColumns,
        segment: SegmentId,
        doc: DocId,
        max_doc: DocId,
        seen: &mut HashSet<(Option<String>, u64)>,
    ) {
        // Per speaker of this article: does it have a quote that is no copy?
        let mut fresh: HashMap<String, bool> = HashMap::new();
        for q in qc.quotes_of(doc, max_doc) {
            let Some(key) = qc.text_key(q) else {
                continue;
            };
            let speaker = qc.speaker(q);
            let copy = !seen.insert((speaker.clone(), key));
            if copy {
                self.copies.entry(segment).or_default().push(q);
            }
            if let Some(name) = speaker {
                self.copies_by_speaker.entry(name.clone()).or_default().0 += u64::from(copy);
                *fresh.entry(name).or_default() |= !copy;
            }
        }
        for (name, _) in fresh.into_iter().filter(|(_, f)| !f) {
            self.copies_by_speaker.entry(name).or_default().1 += 1;
        }
    }
}

impl Engine {
    /// The index's duplicate clusters, read on first use.
    pub(crate) fn clusters(&self) -> Result<Arc<Clusters>> {
        if let Some(d) = self.clusters.get() {
            return Ok(d.clone());
        }
        let d = Arc::new(clusters(&self.searcher, &self.ni.dir)?);
        Ok(self.clusters.get_or_init(|| d).clone())
    }

    /// The index's copied quotes, found on first use.
    pub(crate) fn quote_copies(&self) -> Result<Arc<QuoteCopies>> {
        if let Some(d) = self.quote_copies.get() {
            return Ok(d.clone());
        }
        let clusters = self.clusters()?;
        let found = quote_copies(&self.searcher, &clusters, self.ni.fields.path)?;
        let d = Arc::new(found);
        Ok(self.quote_copies.get_or_init(|| d).clone())
    }

    /// `query` without the quote documents that are copies (nothing added when there are
    /// none).
    pub(crate) fn without_copies(&self, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
        let d = self.quote_copies()?;
        if d.copies.is_empty() {
            return Ok(query);
        }
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (Occur::MustNot, Box::new(CopiesQuery(d))),
        ])))
    }
}

/// Matches the quote documents that are copies.
#[derive(Clone)]
struct CopiesQuery(Arc<QuoteCopies>);

impl fmt::Debug for CopiesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CopiedQuotes")
    }
}

impl Query for CopiesQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for CopiesQuery {
    fn scorer(&self, reader: &SegmentReader, boost: f32) -> tantivy::Result<Box<dyn Scorer>> {
        let mut bits = BitSet::with_max_value(reader.max_doc());
        for &d in self
            .0
            .copies
            .get(&reader.segment_id())
            .into_iter()
            .flatten()
        {
            bits.insert(d);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(bits), boost)))
    }

    fn explain(&self, _: &SegmentReader, _: DocId) -> tantivy::Result<Explanation> {
        Ok(Explanation::new(
            "a copy of a quote in a duplicate article",
            0.0,
        ))
    }
}
