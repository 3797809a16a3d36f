//! `quote:word` in an article search: the articles one of whose quotes matches, found
//! through the quote documents rather than a second copy of every quote on the article.
//!
//! The writer adds an article and its quote documents as one batch, so in every segment an
//! article document is directly followed by its quotes, and merges keep that order. The
//! article of a quote is therefore the nearest article document at or before it: a block
//! join, with no per-quote link stored. Indexing each quote once instead of twice took about
//! a tenth of the indexing time.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::stats::KindStats;
use crate::index::schema::DOC_ARTICLE;
use crate::index::Fields;

/// Matches the articles that have a quote matching `quotes`, a query over quote fields;
/// an article scores as its best matching quote.
pub struct InQuotesQuery {
    quotes: Box<dyn Query>,
    fields: Fields,
}

impl Clone for InQuotesQuery {
    fn clone(&self) -> Self {
        InQuotesQuery {
            quotes: self.quotes.box_clone(),
            fields: self.fields,
        }
    }
}

impl fmt::Debug for InQuotesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InQuotes({:?})", self.quotes)
    }
}

impl InQuotesQuery {
    pub fn new(quotes: Box<dyn Query>, fields: Fields) -> InQuotesQuery {
        InQuotesQuery { quotes, fields }
    }
}

impl Query for InQuotesQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // The quotes are scored as quotes: BM25 over the quote documents' count, not the
        // articles'.
        let quotes = match enable_scoring.searcher() {
            Some(searcher) if enable_scoring.is_scoring_enabled() => {
                let stats = KindStats::quotes(searcher, &self.fields);
                self.quotes
                    .weight(EnableScoring::enabled_from_statistics_provider(
                        &stats, searcher,
                    ))?
            }
            _ => self.quotes.weight(enable_scoring)?,
        };
        Ok(Box::new(InQuotesWeight {
            quotes,
            doc_type: self.fields.doc_type,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.quotes.query_terms(visitor);
    }
}

struct InQuotesWeight {
    quotes: Box<dyn Weight>,
    doc_type: Field,
}

impl InQuotesWeight {
    fn articles(&self, reader: &SegmentReader) -> tantivy::Result<Articles> {
        let mut bits = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
        let term = Term::from_field_text(self.doc_type, DOC_ARTICLE);
        if let Some(mut postings) = reader
            .inverted_index(self.doc_type)?
            .read_postings(&term, IndexRecordOption::Basic)?
        {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                bits[doc as usize / 64] |= 1 << (doc % 64);
                doc = postings.advance();
            }
        }
        Ok(Articles { bits })
    }
}

impl Weight for InQuotesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let quotes = self.quotes.scorer(reader, boost)?;
        Ok(Box::new(InQuotesScorer::new(
            quotes,
            self.articles(reader)?,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new(
            "best matching quote of the article",
            scorer.score(),
        ))
    }
}

/// Which documents of a segment are articles.
struct Articles {
    bits: Vec<u64>,
}

impl Articles {
    /// The article a document belongs to: the nearest article at or before it.
    fn owner(&self, doc: DocId) -> Option<DocId> {
        let (mut w, bit) = (doc as usize / 64, doc % 64);
        // bits at or below `bit` of the first word
        let mut word = self.bits[w] & (u64::MAX >> (63 - bit));
        loop {
            if word != 0 {
                return Some(w as DocId * 64 + 63 - word.leading_zeros());
            }
            if w == 0 {
                return None;
            }
            w -= 1;
            word = self.bits[w];
        }
    }

    /// The first article after `doc`, or the end of the segment.
    fn next_after(&self, doc: DocId) -> DocId {
        let start = doc as usize + 1;
        let mut w = start / 64;
        if w >= self.bits.len() {
            return TERMINATED;
        }
        let mut word = self.bits[w] & (u64::MAX << (start % 64));
        loop {
            if word != 0 {
                return w as DocId * 64 + word.trailing_zeros();
            }
            w += 1;
            if w >= self.bits.len() {
                return TERMINATED;
            }
            word = self.bits[w];
        }
    }
}

struct InQuotesScorer {
    quotes: Box<dyn Scorer>,
    articles: Articles,
    doc: DocId,
    score: Score,
}

impl InQuotesScorer {
    fn new(quotes: Box<dyn Scorer>, articles: Articles) -> InQuotesScorer {
        let mut s = InQuotesScorer {
            quotes,
            articles,
            doc: 0,
            score: 0.0,
        };
        s.gather(0);
        s
    }

    /// Moves to the first article at or after `target` with a matching quote, taking the
    /// best score among its quotes; the quote scorer ends past that article's quotes.
    fn gather(&mut self, target: DocId) -> DocId {
        loop {
            let q = self.quotes.doc();
            if q == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let Some(article) = self.articles.owner(q) else {
                self.quotes.advance();
                continue;
            };
            let end = self.articles.next_after(article);
            if article < target {
                // this article's quotes come too early; skip the rest of them
                if end == TERMINATED {
                    self.doc = TERMINATED;
                    return TERMINATED;
                }
                self.quotes.seek(end);
                continue;
            }
            let mut best = Score::MIN;
            while self.quotes.doc() < end {
                best = best.max(self.quotes.score());
                self.quotes.advance();
            }
            self.doc = article;
            self.score = best;
            return article;
        }
    }
}

impl DocSet for InQuotesScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.gather(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // Quotes before `target` belong to articles before it.
        if self.quotes.doc() < target {
            self.quotes.seek(target);
        }
        self.gather(target)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.quotes.size_hint()
    }
}

impl Scorer for InQuotesScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(docs: &[DocId], max_doc: usize) -> Articles {
        let mut bits = vec![0u64; max_doc.div_ceil(64)];
        for &d in docs {
            bits[d as usize / 64] |= 1 << (d % 64);
        }
        Articles { bits }
    }

    #[test]
    fn a_document_belongs_to_the_nearest_article_at_or_before_it() {
        let a = articles(&[0, 5, 63, 64, 200], 300);
        let owners: Vec<Option<DocId>> = [0, 4, 5, 62, 63, 64, 65, 199, 200, 299]
            .iter()
            .map(|&d| a.owner(d))
            .collect();
        assert_eq!(
            owners,
            [0, 0, 5, 5, 63, 64, 64, 64, 200, 200].map(Some).to_vec()
        );
        assert_eq!(articles(&[10], 64).owner(3), None);
    }

    #[test]
    fn the_next_article_ends_the_quotes_of_one() {
        let a = articles(&[0, 5, 63, 64, 200], 300);
        let next: Vec<DocId> = [0, 5, 62, 63, 64, 199, 200]
            .iter()
            .map(|&d| a.next_after(d))
            .collect();
        assert_eq!(next, vec![5, 63, 63, 64, 200, 200, TERMINATED]);
        assert_eq!(articles(&[63], 64).next_after(63), TERMINATED);
    }
}
