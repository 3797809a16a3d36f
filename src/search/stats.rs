//! BM25 statistics per document kind. Articles and quotes share one index; scoring an article
//! query against a document count that includes quote documents would skew every IDF.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::schema::{DOC_ARTICLE, DOC_QUOTE};
use crate::index::Fields;

/// Documents of one kind, including deleted ones not yet merged away: the same basis the
/// per-term document frequencies use.
fn total_of_kind(searcher: &Searcher, f: &Fields, kind: &str) -> u64 {
    searcher
        .doc_freq(&Term::from_field_text(f.doc_type, kind))
        .unwrap_or(0)
}

pub struct KindStats<'a> {
    searcher: &'a Searcher,
    num_docs: u64,
}

impl<'a> KindStats<'a> {
    pub fn articles(searcher: &'a Searcher, f: &Fields) -> Self {
        KindStats {
            searcher,
            num_docs: total_of_kind(searcher, f, DOC_ARTICLE).max(1),
        }
    }
    pub fn quotes(searcher: &'a Searcher, f: &Fields) -> Self {
        KindStats {
            searcher,
            num_docs: total_of_kind(searcher, f, DOC_QUOTE).max(1),
        }
    }
}

impl KindStats<'_> {
    /// Documents of this kind, deleted ones not yet merged away included (at least 1).
    pub fn num_docs(&self) -> u64 {
        self.num_docs
    }
}

impl Bm25StatisticsProvider for KindStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.searcher.total_num_tokens(field)
    }
    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs)
    }
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        // Never above the document count: BM25's IDF asserts it.
        Ok(self.searcher.doc_freq(term)?.min(self.num_docs))
    }
}
