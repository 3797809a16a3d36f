//! How many live articles and quotes an index holds.

use anyhow::{Context, Result};
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Searcher, Term};

use super::schema::{DOC_ARTICLE, DOC_QUOTE};
use super::Fields;

#[derive(Debug, Clone, Copy, Default)]
pub struct DocCounts {
    pub articles: u64,
    pub quotes: u64,
}

/// Live documents of each kind (deleted ones excluded), as of the last commit.
pub fn doc_counts(index: &Index, f: &Fields) -> Result<DocCounts> {
    let reader = index.reader().context("cannot read the index")?;
    reader.reload().context("cannot read the index")?;
    Ok(count_kinds(&reader.searcher(), f))
}

pub fn count_kinds(searcher: &Searcher, f: &Fields) -> DocCounts {
    let count = |kind: &str| {
        let q = TermQuery::new(
            Term::from_field_text(f.doc_type, kind),
            IndexRecordOption::Basic,
        );
        searcher.search(&q, &Count).unwrap_or(0) as u64
    };
    DocCounts {
        articles: count(DOC_ARTICLE),
        quotes: count(DOC_QUOTE),
    }
}
