//! One article by its id (the `path` a hit carries), with its quotes and their speakers:
//! what a reader opens from a hit. Only indexed documents are returned, so an id can never
//! name a file outside the index.

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::document::{TantivyDocument, Value};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::{first_str, non_empty, Engine};
use crate::index::schema::{DOC_ARTICLE, DOC_QUOTE};

/// A whole article, as stored in the index.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    pub path: String,
    pub title: String,
    pub category: String,
    pub date: Option<String>,
    /// The outlet, the author and the address on the web, where known.
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub body: String,
    pub speakers: Vec<String>,
    /// In the order they appear in the article.
    pub quotes: Vec<ArticleQuote>,
}

/// One quote of an [`Article`].
#[derive(Debug, Clone, Serialize)]
pub struct ArticleQuote {
    pub speaker: Option<String>,
    pub kind: String,
    pub cue: String,
    pub description: Option<String>,
    pub quote: String,
    /// Byte range of the quote in `body`; null when the quote is not in the body (a quote
    /// in the title, say).
    pub body_start: Option<usize>,
    pub body_end: Option<usize>,
    /// Byte offsets in the article file.
    pub start: u64,
    pub end: u64,
}

impl Engine {
    fn of_kind(&self, path: &str, kind: &str) -> BooleanQuery {
        let f = &self.ni.fields;
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        BooleanQuery::new(vec![
            (Occur::Must, term(f.path, path)),
            (Occur::Must, term(f.doc_type, kind)),
        ])
    }

    /// The article with id `path`; `None` when the index holds none.
    pub fn article(&self, path: &str) -> Result<Option<Article>> {
        let searcher = self.searcher();
        let f = &self.ni.fields;
        let found = searcher.search(
            &self.of_kind(path, DOC_ARTICLE),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let Some(&(_, addr)) = found.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(addr)?;
        let body = first_str(&doc, f.body);
        let quotes = self.quotes_of(path, &body)?;
        Ok(Some(Article {
            path: first_str(&doc, f.path),
            title: first_str(&doc, f.title),
            category: first_str(&doc, f.category),
            date: non_empty(first_str(&doc, f.date)),
            source: non_empty(first_str(&doc, f.outlet)),
            author: non_empty(first_str(&doc, f.author)),
            url: non_empty(first_str(&doc, f.url)),
            speakers: doc
                .get_all(f.speaker_name)
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            body,
            quotes,
        }))
    }

    fn quotes_of(&self, path: &str, body: &str) -> Result<Vec<ArticleQuote>> {
        let searcher = self.searcher();
        let f = &self.ni.fields;
        let mut addrs: Vec<DocAddress> = searcher
            .search(&self.of_kind(path, DOC_QUOTE), &DocSetCollector)?
            .into_iter()
            .collect();
        addrs.sort_unstable();
        let mut out = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let columns = self.columns(addr)?;
            let id = addr.doc_id;
            let span = columns
                .body_span(id)
                .filter(|&(s, e)| body.get(s..e).is_some());
            let (start, end) = columns.span(id);
            out.push(ArticleQuote {
                speaker: columns.speaker(id),
                kind: columns.kind(id),
                cue: columns.cue(id),
                description: Some(first_str(&doc, f.q_description)).filter(|s| !s.is_empty()),
                quote: self.quote_text(&doc, id, columns, body),
                body_start: span.map(|s| s.0),
                body_end: span.map(|s| s.1),
                start,
                end,
            });
        }
        out.sort_by_key(|q| (q.body_start.unwrap_or(usize::MAX), q.start));
        Ok(out)
    }
}
