//! One hit per duplicate cluster: `search` folds the copies of a story (`ingest::dedup`)
//! into the best ranked of them, which says where else it appears.
//!
//! Clusters are formed per query, among the matching articles, in rank order: the first
//! match is a hit; each later match joins the first hit whose SimHash is within
//! [`NEAR_DUP_MAX_BITS`] of its own (exact copies are at distance 0), or else is a hit
//! itself. Hits are therefore never near duplicates of each other, the pages of one query
//! agree (hit `n` depends only on the matches ranked above it), and an article whose body is
//! too short to compare is always a hit of its own.
//!
//! Cost: the top of the ranking is read as before, and again with more room only when
//! copies on it left the page short. Copies further down are found by the pass that counts
//! the matches, which also reads each match's SimHash and compares it with the page's hits.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::{Engine, ScoredDoc, SearchOptions, Target};
use crate::index::schema::names;
use crate::ingest::dedup::is_near_duplicate;

/// Most paths of copies a hit lists; `duplicates` counts them all.
pub const ALSO_IN_PATHS: usize = 20;

/// A hit's copies among the matches: how many, and the first [`ALSO_IN_PATHS`] (in index
/// order).
#[derive(Debug, Clone, Default)]
pub(crate) struct Copies {
    pub count: usize,
    pub addrs: Vec<DocAddress>,
}

/// The hits of a page with their copies, and the number of matching articles (copies
/// included).
pub(crate) struct Collapsed {
    pub hits: Vec<(ScoredDoc, Copies)>,
    pub total: usize,
}

/// A hit of the ranking so far: its SimHash (none: it has no copies) and address.
#[derive(Clone, Copy)]
struct Head {
    near: Option<u64>,
    addr: DocAddress,
}

/// The first `want` hits of `ranked` (indexes into it) after folding each match into the
/// first earlier hit it is a near duplicate of.
fn leaders(
    ranked: &[ScoredDoc],
    near: impl Fn(DocAddress) -> Option<u64>,
    want: usize,
) -> Vec<usize> {
    let mut heads: Vec<usize> = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    for (i, &(_, addr)) in ranked.iter().enumerate() {
        if heads.len() == want {
            break;
        }
        match near(addr) {
            Some(h) if hashes.iter().any(|&x| is_near_duplicate(x, h)) => {}
            Some(h) => {
                hashes.push(h);
                heads.push(i);
            }
            None => heads.push(i),
        }
    }
    heads
}

impl Engine {
    /// The page `opts` asks for, one hit per cluster, with each hit's copies and the count
    /// of every match.
    pub(crate) fn top_collapsed(
        &self,
        searcher: &tantivy::Searcher,
        q: &dyn Query,
        opts: &SearchOptions,
    ) -> anyhow::Result<Collapsed> {
        let want = opts.offset.saturating_add(opts.limit);
        let docs = super::stats::KindStats::articles(searcher, &self.ni.fields).num_docs();
        let docs = usize::try_from(docs).unwrap_or(usize::MAX);
        let mut room = want.min(docs);
        let (ranked, heads) = loop {
            let window = SearchOptions {
                limit: room,
                offset: 0,
                count_total: false,
                ..*opts
            };
            let (ranked, _) = self.top(searcher, Target::Articles, q, &window)?;
            let heads = leaders(&ranked, |a| self.near_of(a), want);
            // Short of hits only because copies took places: look further down.
            if heads.len() >= want || ranked.len() < room || room >= docs {
                break (ranked, heads);
            }
            room = room.saturating_mul(2).min(docs);
        };
        let all: Vec<Head> = heads
            .iter()
            .map(|&i| Head {
                near: self.near_of(ranked[i].1),
                addr: ranked[i].1,
            })
            .collect();
        let counter = CopyCounter {
            heads: all.clone(),
            page_from: opts.offset.min(all.len()),
        };
        let (total, copies) = searcher.search(q, &counter)?;
        // `copies` holds the page's hits only.
        let hits = heads
            .iter()
            .skip(opts.offset)
            .zip(copies)
            .map(|(&i, c)| (ranked[i], c))
            .collect();
        Ok(Collapsed { hits, total })
    }

    fn near_of(&self, addr: DocAddress) -> Option<u64> {
        self.columns(addr).ok()?.dup_near(addr.doc_id)
    }

    /// The paths of the copies, for the hit's `also_in`.
    pub(crate) fn paths_of(&self, addrs: &[DocAddress]) -> Vec<String> {
        let mut paths: Vec<String> = addrs
            .iter()
            .filter_map(|&a| Some(self.columns(a).ok()?.path(a.doc_id)))
            .collect();
        paths.sort();
        paths
    }
}

/// Counts the matches, and for each hit from `page_from` on, the matches that fold into
/// it: those whose first near hit (in rank order) it is, itself left out.
struct CopyCounter {
    heads: Vec<Head>,
    page_from: usize,
}

struct SegmentCopies {
    segment: SegmentOrdinal,
    near: Option<Column<u64>>,
    heads: Vec<Head>,
    page_from: usize,
    count: usize,
    copies: Vec<Copies>,
    buffer: Vec<Option<u64>>,
}

impl Collector for CopyCounter {
    type Fruit = (usize, Vec<Copies>);
    type Child = SegmentCopies;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<SegmentCopies> {
        let with_hash = self.heads.iter().any(|h| h.near.is_some());
        Ok(SegmentCopies {
            segment,
            // Without a hit to compare with, the pass only counts.
            near: if with_hash {
                seg.fast_fields().column_opt(names::DUP_NEAR)?
            } else {
                None
            },
            heads: self.heads.clone(),
            page_from: self.page_from,
            count: 0,
            copies: vec![Copies::default(); self.heads.len()],
            buffer: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<Copies>)>) -> tantivy::Result<Self::Fruit> {
        let mut total = 0;
        let mut out = vec![Copies::default(); self.heads.len()];
        for (n, copies) in fruits {
            total += n;
            for (o, c) in out.iter_mut().zip(copies) {
                o.count += c.count;
                let room = ALSO_IN_PATHS.saturating_sub(o.addrs.len());
                o.addrs.extend(c.addrs.into_iter().take(room));
            }
        }
        Ok((total, out.split_off(self.page_from)))
    }
}

impl SegmentCopies {
    fn fold(&mut self, doc: DocId, h: u64) {
        let Some(i) = self
            .heads
            .iter()
            .position(|x| x.near.is_some_and(|x| is_near_duplicate(x, h)))
        else {
            return;
        };
        let addr = DocAddress::new(self.segment, doc);
        if i < self.page_from || self.heads[i].addr == addr {
            return;
        }
        let c = &mut self.copies[i];
        c.count += 1;
        if c.addrs.len() < ALSO_IN_PATHS {
            c.addrs.push(addr);
        }
    }
}

impl SegmentCollector for SegmentCopies {
    type Fruit = (usize, Vec<Copies>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count += 1;
        if let Some(h) = self.near.as_ref().and_then(|c| c.first(doc)) {
            self.fold(doc, h);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.count += docs.len();
        let Some(col) = &self.near else { return };
        let mut buffer = std::mem::take(&mut self.buffer);
        buffer.clear();
        buffer.resize(docs.len(), None);
        col.first_vals(docs, &mut buffer);
        for (&doc, h) in docs.iter().zip(&buffer) {
            if let Some(h) = *h {
                self.fold(doc, h);
            }
        }
        self.buffer = buffer;
    }

    fn harvest(self) -> Self::Fruit {
        (self.count, self.copies)
    }
}
