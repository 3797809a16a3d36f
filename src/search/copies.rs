//! The duplicate clusters of the whole index (`stats`), and the quotes that are copies:
//! the same text by the same speaker in another article of one cluster. `quotes` and
//! `speakers` leave the copies out, so a syndicated quote counts once.
//!
//! Built on first use per open index from the articles' key columns: every article's keys
//! are read and clustered by [`dedup::clusters`] (single linkage), then the quotes of each
//! cluster's articles are compared by speaker and text key. Only clustered articles' quotes
//! are visited, so an index without duplicates pays one pass over two columns.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, BooleanQuery, ConstScorer, EnableScoring, Explanation, Occur, Query, Scorer,
    Weight,
};
use tantivy::{BitSet, DocId, Searcher, SegmentReader};

use super::Engine;
use crate::index::schema::names;
use crate::ingest::dedup::{self, DupKeys};

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

/// The clusters of an index and the quote documents that repeat a quote of their cluster.
#[derive(Debug, Default)]
pub(crate) struct Duplicates {
    pub stats: ClusterStats,
    /// Per segment, the quote documents that are copies, ascending.
    copies: HashMap<SegmentId, Vec<DocId>>,
    /// Per speaker name (the quote column's value): quotes that are copies, and articles
    /// whose quotes by the speaker all are; for counts taken from the term dictionary.
    pub copies_by_speaker: HashMap<String, (u64, u64)>,
}

impl Duplicates {
    pub fn has_copies(&self) -> bool {
        !self.copies.is_empty()
    }
}

/// An article with keys: its segment (by position in the searcher) and document.
type ArticleAt = (usize, DocId);

fn keyed_articles(searcher: &Searcher) -> Result<(Vec<ArticleAt>, Vec<DupKeys>)> {
    let mut at = Vec::new();
    let mut keys = Vec::new();
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
    Ok((at, keys))
}

/// One segment's quote columns: path, kind (present on quotes only), speaker, text key.
struct QuoteCols {
    path: Option<StrColumn>,
    kind: Option<StrColumn>,
    speaker: Option<StrColumn>,
    key: Option<Column<u64>>,
}

impl QuoteCols {
    fn open(seg: &SegmentReader) -> Result<QuoteCols> {
        let ff = seg.fast_fields();
        Ok(QuoteCols {
            path: ff.str(names::PATH)?,
            kind: ff.str(names::Q_KIND)?,
            speaker: ff.str(names::Q_SPEAKER_NAME)?,
            key: ff.column_opt(names::Q_KEY)?,
        })
    }

    fn ord(col: &Option<StrColumn>, doc: DocId) -> Option<u64> {
        col.as_ref()?.term_ords(doc).next()
    }

    fn speaker(&self, doc: DocId) -> Option<String> {
        let (col, ord) = (self.speaker.as_ref()?, Self::ord(&self.speaker, doc)?);
        let mut s = String::new();
        col.ord_to_str(ord, &mut s).ok()?;
        Some(s)
    }

    /// The quote documents of the article at `doc`: they follow it, with its path.
    fn quotes_of(&self, doc: DocId, max_doc: DocId) -> impl Iterator<Item = DocId> + '_ {
        let path = Self::ord(&self.path, doc);
        (doc + 1..max_doc).take_while(move |&d| {
            Self::ord(&self.path, d) == path && Self::ord(&self.kind, d).is_some()
        })
    }
}

/// The clusters of the index, and its copied quotes.
pub(crate) fn find(searcher: &Searcher) -> Result<Duplicates> {
    let (at, keys) = keyed_articles(searcher)?;
    let clusters = dedup::clusters(&keys);
    let mut out = Duplicates::default();
    let segs = searcher.segment_readers();
    let mut cols: Vec<Option<QuoteCols>> = (0..segs.len()).map(|_| None).collect();
    for c in &clusters {
        out.stats.clusters += 1;
        out.stats.articles += c.members.len() as u64;
        if c.exact {
            out.stats.exact_clusters += 1;
        } else {
            out.stats.near_clusters += 1;
        }
        // (speaker, text key) of the quotes seen in the cluster so far.
        let mut seen: HashSet<(Option<String>, u64)> = HashSet::new();
        for &m in &c.members {
            let (s, doc) = at[m];
            if cols[s].is_none() {
                cols[s] = Some(QuoteCols::open(&segs[s])?);
            }
            let qc = cols[s].as_ref().expect("opened above");
            // Per speaker of this article: does it have a quote that is no copy?
            let mut fresh: HashMap<String, bool> = HashMap::new();
            for q in qc.quotes_of(doc, segs[s].max_doc()) {
                let Some(key) = qc.key.as_ref().and_then(|k| k.first(q)) else {
                    continue;
                };
                let speaker = qc.speaker(q);
                let copy = !seen.insert((speaker.clone(), key));
                if copy {
                    out.copies.entry(segs[s].segment_id()).or_default().push(q);
                }
                if let Some(name) = speaker {
                    out.copies_by_speaker.entry(name.clone()).or_default().0 += u64::from(copy);
                    *fresh.entry(name).or_default() |= !copy;
                }
            }
            for (name, _) in fresh.into_iter().filter(|(_, f)| !f) {
                out.copies_by_speaker.entry(name).or_default().1 += 1;
            }
        }
    }
    out.copies.values_mut().for_each(|v| v.sort_unstable());
    Ok(out)
}

impl Engine {
    /// The index's duplicates, found on first use.
    pub(crate) fn duplicates(&self) -> Result<Arc<Duplicates>> {
        if let Some(d) = self.duplicates.get() {
            return Ok(d.clone());
        }
        let d = Arc::new(find(&self.searcher)?);
        Ok(self.duplicates.get_or_init(|| d).clone())
    }

    /// `query` without the quote documents that are copies (nothing added when there are
    /// none).
    pub(crate) fn without_copies(&self, query: Box<dyn Query>) -> Result<Box<dyn Query>> {
        let d = self.duplicates()?;
        if !d.has_copies() {
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
struct CopiesQuery(Arc<Duplicates>);

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
