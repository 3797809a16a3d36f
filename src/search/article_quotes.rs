//! Each article hit's best matching quote, found by one query over the quote documents of
//! all the hits together. One query per hit would open every segment's postings once per
//! hit: on a large index that was most of the time of a whole `newsdex search`.

use anyhow::Result;
use rustc_hash::FxHashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;

use tantivy::fastfield::FastFieldReaders;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::{query::Target, stats, ArticleHit, ArticleText, Engine, SearchOptions};
use crate::index::schema::names;

type Best = Option<(Score, DocAddress)>;

/// The best-scoring matching document per article path, read from the path fast field so
/// that no stored document is opened for the losers.
struct BestPerPath {
    paths: Arc<[String]>,
}

struct SegmentBest {
    segment: SegmentOrdinal,
    fast_fields: FastFieldReaders,
    paths: Arc<[String]>,
    /// The path column and path ordinal -> index into `paths`, looked up at the first
    /// match: most segments hold none of the hits' quotes, and the dictionary lookups
    /// were the larger part of attaching quotes. An unreadable dictionary is kept as its
    /// message and fails the whole search when the segments are merged.
    slots: Option<Result<Slots, String>>,
    best: Vec<Best>,
}

/// One segment's best quotes, or why its path dictionary could not be read.
struct SegmentFruit {
    best: Vec<Best>,
    error: Option<String>,
}

struct Slots {
    column: Option<StrColumn>,
    slot_of: FxHashMap<u64, usize>,
}

impl Slots {
    fn of(fast_fields: &FastFieldReaders, paths: &[String]) -> tantivy::Result<Slots> {
        let column = fast_fields.str(names::PATH)?;
        let mut slot_of = FxHashMap::default();
        if let Some(col) = &column {
            for (slot, path) in paths.iter().enumerate() {
                if let Some(ord) = col.dictionary().term_ord(path)? {
                    slot_of.entry(ord).or_insert(slot);
                }
            }
        }
        Ok(Slots { column, slot_of })
    }
}

/// Higher score wins; on a tie the earlier document, as `TopDocs` would pick.
fn better(candidate: (Score, DocAddress), current: Best) -> bool {
    match current {
        None => true,
        Some((s, a)) => candidate.0 > s || (candidate.0 == s && candidate.1 < a),
    }
}

impl Collector for BestPerPath {
    type Fruit = Vec<Best>;
    type Child = SegmentBest;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<SegmentBest> {
        Ok(SegmentBest {
            segment,
            fast_fields: seg.fast_fields().clone(),
            paths: Arc::clone(&self.paths),
            slots: None,
            best: vec![None; self.paths.len()],
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<Best>> {
        let mut out: Vec<Best> = vec![None; self.paths.len()];
        for fruit in fruits {
            if let Some(e) = fruit.error {
                return Err(tantivy::TantivyError::InternalError(e));
            }
            for (slot, found) in fruit.best.into_iter().enumerate() {
                if let Some(found) = found {
                    if better(found, out[slot]) {
                        out[slot] = Some(found);
                    }
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentBest {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let slots = self.slots.get_or_insert_with(|| {
            Slots::of(&self.fast_fields, &self.paths).map_err(|e| e.to_string())
        });
        let Ok(slots) = slots else { return };
        let Some(col) = &slots.column else { return };
        let Some(ord) = col.term_ords(doc).next() else {
            return;
        };
        if let Some(&slot) = slots.slot_of.get(&ord) {
            let found = (score, DocAddress::new(self.segment, doc));
            if better(found, self.best[slot]) {
                self.best[slot] = Some(found);
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        SegmentFruit {
            best: self.best,
            error: self.slots.and_then(Result::err),
        }
    }
}

impl Engine {
    /// Sets, per article hit, the quote of that article that best matches the query. A
    /// query that only makes sense for articles (`title:x`) gets no quotes.
    pub(super) fn attach_quotes(
        &self,
        searcher: &Searcher,
        input: &str,
        hits: &mut [ArticleHit],
        bodies: Vec<String>,
        opts: &SearchOptions,
    ) -> Result<()> {
        let Ok(parsed) = self.parse(Target::Quotes, input) else {
            return Ok(());
        };
        let f = &self.ni.fields;
        let paths: Arc<[String]> = hits.iter().map(|h| h.path.clone()).collect();
        // A union of the few path terms, not a `TermSetQuery`: that one fills a bitset as
        // large as each segment, for every query.
        let in_hits = BooleanQuery::new(
            paths
                .iter()
                .map(|p| -> (Occur, Box<dyn Query>) {
                    let term = Term::from_field_text(f.path, p);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    )
                })
                .collect(),
        );
        let q = BooleanQuery::new(vec![
            (Occur::Must, parsed.query.box_clone()),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(in_hits), 0.0)),
            ),
        ]);
        let stats = stats::KindStats::quotes(searcher, f);
        let best = searcher.search_with_statistics_provider(
            &q,
            &BestPerPath {
                paths: Arc::clone(&paths),
            },
            &stats,
        )?;
        if best.iter().all(Option::is_none) {
            return Ok(());
        }
        let g =
            super::highlight::generator(searcher, &parsed, f.q_text, opts.snippet_chars.max(400))?;
        for ((h, body), found) in hits.iter_mut().zip(bodies).zip(best) {
            if let Some((score, addr)) = found {
                let article = ArticleText {
                    title: h.title.clone(),
                    body,
                    date: h.date.clone(),
                    source: h.source.clone(),
                };
                h.quote = Some(self.quote_hit(addr, score, Some(&g), opts, Some(article))?);
            }
        }
        Ok(())
    }
}
