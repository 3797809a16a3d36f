//! Who is quoted most: counts of matching quote documents per speaker, gathered from the
//! speaker-name fast field by term ordinal so that no stored document is read.

use std::collections::HashMap;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::{query::Target, Engine};
use crate::index::schema::names;

#[derive(Debug, Clone, Serialize)]
pub struct SpeakerCount {
    pub rank: usize,
    pub speaker: String,
    pub quotes: u64,
    pub articles: u64,
}

/// One page of speakers, with how many there are in all.
#[derive(Debug, Clone)]
pub struct SpeakerList {
    pub rows: Vec<SpeakerCount>,
    /// Every named speaker that matches, listed or not.
    pub total: u64,
    pub warnings: Vec<String>,
}

struct SpeakerCollector;

struct SegmentSpeakers {
    names: Option<StrColumn>,
    paths: Option<StrColumn>,
    /// Indexed by speaker ordinal: (quotes, articles, path ordinal of the last article
    /// counted). Dense, since counting every quote of a large archive touches most speakers.
    /// An article's documents are contiguous in a segment (they are added as one batch),
    /// so comparing with the last article is enough to count distinct articles.
    counts: Vec<(u64, u64, u64)>,
}

impl Collector for SpeakerCollector {
    type Fruit = HashMap<String, (u64, u64)>;
    type Child = SegmentSpeakers;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        seg: &SegmentReader,
    ) -> tantivy::Result<SegmentSpeakers> {
        let ff = seg.fast_fields();
        let names = ff.str(names::Q_SPEAKER_NAME)?;
        let n = names.as_ref().map(|c| c.num_terms()).unwrap_or(0);
        Ok(SegmentSpeakers {
            names,
            paths: ff.str(names::PATH)?,
            counts: vec![(0, 0, u64::MAX - 1); n],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<String, (u64, u64)>>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut out: HashMap<String, (u64, u64)> = HashMap::new();
        for fr in fruits {
            for (k, (q, a)) in fr {
                let e = out.entry(k).or_default();
                e.0 += q;
                e.1 += a;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentSpeakers {
    type Fruit = HashMap<String, (u64, u64)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(names) = &self.names else { return };
        let Some(ord) = names.term_ords(doc).next() else {
            return;
        };
        let path = self
            .paths
            .as_ref()
            .and_then(|p| p.term_ords(doc).next())
            .unwrap_or(u64::MAX);
        let Some(e) = self.counts.get_mut(ord as usize) else {
            return;
        };
        e.0 += 1;
        if e.2 != path {
            e.1 += 1;
            e.2 = path;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        let Some(names) = self.names else { return out };
        let ords: Vec<u64> = (0..self.counts.len() as u64)
            .filter(|&o| self.counts[o as usize].0 > 0)
            .collect();
        let mut it = ords.iter();
        let _ = names.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&o) = it.next() {
                let (q, articles, _) = self.counts[o as usize];
                out.insert(String::from_utf8_lossy(bytes).into_owned(), (q, articles));
            }
        });
        out
    }
}

/// How many of the most relevant articles on a topic count towards "who is quoted about it".
/// Bounded so that a broad topic on a large archive stays fast and means "the articles most
/// about it", not "every article that mentions a word of it".
pub const TOPIC_ARTICLES: usize = 1000;

impl Engine {
    /// Who is quoted most: with an empty query, over every quote; on a topic, over the quotes
    /// that match it and every quote of the [`TOPIC_ARTICLES`] articles most about it (a
    /// quote on Venezuela's oil need not say "Venezuela").
    pub fn count_speakers(&self, input: &str, limit: usize) -> Result<SpeakerList> {
        use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
        let searcher = self.searcher();
        let f = &self.ni.fields;
        if input.trim().is_empty() {
            let counts = all_speaker_counts(&searcher, f)?;
            return Ok(SpeakerList {
                total: counts.len() as u64,
                rows: rank(counts, limit),
                warnings: Vec::new(),
            });
        }
        let (query, warnings): (Box<dyn Query>, Vec<String>) = if input.trim().is_empty() {
            let t = tantivy::Term::from_field_text(f.doc_type, crate::index::schema::DOC_QUOTE);
            (
                Box::new(TermQuery::new(t, tantivy::schema::IndexRecordOption::Basic)),
                Vec::new(),
            )
        } else {
            let p = self.parse(Target::Quotes, input)?;
            // The article parse of the same input repeats these warnings.
            let warnings = p.warnings;
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, p.query)];
            if let Ok(articles) = self.parse(Target::Articles, input) {
                let stats = super::stats::KindStats::articles(&searcher, f);
                let top = searcher.search_with_statistics_provider(
                    articles.query.as_ref(),
                    &tantivy::collector::TopDocs::with_limit(TOPIC_ARTICLES).order_by_score(),
                    &stats,
                )?;
                // Paths from the fast field: reading 1,000 stored documents would cost more
                // than the whole count.
                let mut terms = Vec::with_capacity(top.len());
                let mut buf = String::new();
                let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
                for (_, addr) in top {
                    let paths = match columns.entry(addr.segment_ord) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => e.insert(
                            searcher
                                .segment_reader(addr.segment_ord)
                                .fast_fields()
                                .str(names::PATH)?,
                        ),
                    };
                    let Some(paths) = paths else { continue };
                    let ord = paths.term_ords(addr.doc_id).next();
                    if let Some(ord) = ord {
                        buf.clear();
                        if paths.ord_to_str(ord, &mut buf)? {
                            terms.push(tantivy::Term::from_field_text(f.path, &buf));
                        }
                    }
                }
                if !terms.is_empty() {
                    let quote_kind =
                        tantivy::Term::from_field_text(f.doc_type, crate::index::schema::DOC_QUOTE);
                    let in_articles = BooleanQuery::intersection(vec![
                        Box::new(TermSetQuery::new(terms)),
                        Box::new(TermQuery::new(
                            quote_kind,
                            tantivy::schema::IndexRecordOption::Basic,
                        )),
                    ]);
                    clauses.push((Occur::Should, Box::new(in_articles)));
                }
            }
            (Box::new(BooleanQuery::new(clauses)), warnings)
        };
        let counts = searcher
            .search(query.as_ref(), &SpeakerCollector)
            .with_context(|| format!("speaker count failed for query {input:?}"))?;
        // As for the whole index: named people and organisations, not unnamed sources,
        // which are not on the articles' speaker lists. Checked in rank order, only until
        // the list is full.
        let ranked = rank(counts, usize::MAX);
        let mut out: Vec<SpeakerCount> = Vec::with_capacity(limit.min(ranked.len()));
        let mut total = 0;
        for mut row in ranked {
            let named = searcher.doc_freq(&tantivy::Term::from_field_text(
                f.speaker_name,
                &row.speaker,
            ))? > 0;
            if !named {
                continue;
            }
            total += 1;
            if out.len() < limit {
                row.rank = out.len() + 1;
                out.push(row);
            }
        }
        Ok(SpeakerList {
            rows: out,
            total,
            warnings,
        })
    }
}

/// Most quotes first, then most articles, then by name.
fn rank(counts: HashMap<String, (u64, u64)>, limit: usize) -> Vec<SpeakerCount> {
    let mut v: Vec<(String, (u64, u64))> = counts.into_iter().collect();
    v.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .1.cmp(&a.1 .1))
            .then(a.0.cmp(&b.0))
    });
    v.into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, (speaker, (quotes, articles)))| SpeakerCount {
            rank: i + 1,
            speaker,
            quotes,
            articles,
        })
        .collect()
}

impl Engine {
    /// Named speakers in the index: what `count_speakers` lists with no topic.
    pub fn speaker_total(&self) -> Result<u64> {
        let counts = all_speaker_counts(&self.searcher(), &self.ni.fields)?;
        Ok(counts.len() as u64)
    }
}

/// Counts over every quote without visiting documents: a speaker's quote count is the
/// document frequency of their name in the quote documents' name field, their article count
/// the same in the articles' name field. Segments with deleted documents have stale
/// frequencies, so there the postings are walked and checked against the live documents.
fn all_speaker_counts(
    searcher: &tantivy::Searcher,
    f: &crate::index::Fields,
) -> Result<HashMap<String, (u64, u64)>> {
    use tantivy::schema::IndexRecordOption;
    use tantivy::DocSet;
    let mut out: HashMap<String, (u64, u64)> = HashMap::new();
    for seg in searcher.segment_readers() {
        for (field, is_quote) in [(f.q_speaker_name, true), (f.speaker_name, false)] {
            let inv = seg.inverted_index(field)?;
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                let n = match seg.alive_bitset() {
                    None => u64::from(stream.value().doc_freq),
                    Some(alive) => {
                        let mut postings = inv.read_postings_from_terminfo(
                            stream.value(),
                            IndexRecordOption::Basic,
                        )?;
                        let mut n = 0;
                        while postings.doc() != tantivy::TERMINATED {
                            n += u64::from(alive.is_alive(postings.doc()));
                            postings.advance();
                        }
                        n
                    }
                };
                if n == 0 {
                    continue;
                }
                let e = out
                    .entry(String::from_utf8_lossy(stream.key()).into_owned())
                    .or_default();
                if is_quote {
                    e.0 += n;
                } else {
                    e.1 += n;
                }
            }
        }
    }
    // Named people and organisations only: unnamed sources ("analysts") are not on the
    // articles' speaker lists.
    out.retain(|_, (q, a)| *q > 0 && *a > 0);
    Ok(out)
}
