//! A quote document's details, read from its fast fields: article, speaker, kind, cue and
//! offsets are short values from small vocabularies, which columns hold in a few bits each
//! where the document store would keep a copy of the text per quote.

use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, SegmentReader};

use crate::index::schema::names;

/// One segment's columns: opened once per segment (by `Engine`), read per hit.
#[derive(Clone)]
pub struct QuoteColumns {
    path: Option<StrColumn>,
    speaker: Option<StrColumn>,
    kind: Option<StrColumn>,
    cue: Option<StrColumn>,
    start: Option<Column<u64>>,
    end: Option<Column<u64>>,
    body_start: Option<Column<u64>>,
    body_end: Option<Column<u64>>,
    dup_near: Option<Column<u64>>,
    key: Option<Column<u64>>,
}

impl QuoteColumns {
    pub fn open(seg: &SegmentReader) -> tantivy::Result<QuoteColumns> {
        let ff = seg.fast_fields();
        Ok(QuoteColumns {
            path: ff.str(names::PATH)?,
            speaker: ff.str(names::Q_SPEAKER_NAME)?,
            kind: ff.str(names::Q_KIND)?,
            cue: ff.str(names::Q_CUE)?,
            start: ff.column_opt(names::Q_START)?,
            end: ff.column_opt(names::Q_END)?,
            body_start: ff.column_opt(names::Q_BODY_START)?,
            body_end: ff.column_opt(names::Q_BODY_END)?,
            dup_near: ff.column_opt(names::DUP_NEAR)?,
            key: ff.column_opt(names::Q_KEY)?,
        })
    }

    fn ord(col: &Option<StrColumn>, doc: DocId) -> Option<u64> {
        col.as_ref().and_then(|c| c.term_ords(doc).next())
    }

    fn text(col: &Option<StrColumn>, doc: DocId) -> String {
        let mut out = String::new();
        if let (Some(col), Some(ord)) = (col, Self::ord(col, doc)) {
            // An unreadable value shows as empty rather than failing the whole search.
            let _ = col.ord_to_str(ord, &mut out);
        }
        out
    }

    fn number(col: &Option<Column<u64>>, doc: DocId) -> Option<u64> {
        col.as_ref().and_then(|c| c.first(doc))
    }

    /// The ordinal of the document's path in this segment's path column.
    pub fn path_ord(&self, doc: DocId) -> Option<u64> {
        Self::ord(&self.path, doc)
    }

    /// The id of the quote's article.
    pub fn path(&self, doc: DocId) -> String {
        Self::text(&self.path, doc)
    }

    pub fn speaker(&self, doc: DocId) -> Option<String> {
        Some(Self::text(&self.speaker, doc)).filter(|s| !s.is_empty())
    }

    pub fn kind(&self, doc: DocId) -> String {
        Self::text(&self.kind, doc)
    }

    pub fn cue(&self, doc: DocId) -> String {
        Self::text(&self.cue, doc)
    }

    /// Byte offsets of the quote in its file.
    pub fn span(&self, doc: DocId) -> (u64, u64) {
        (
            Self::number(&self.start, doc).unwrap_or(0),
            Self::number(&self.end, doc).unwrap_or(0),
        )
    }

    /// Byte offsets of the quote in the article body, when the body holds it.
    pub fn body_span(&self, doc: DocId) -> Option<(usize, usize)> {
        let s = Self::number(&self.body_start, doc)?;
        let e = Self::number(&self.body_end, doc)?;
        Some((s as usize, e as usize))
    }

    /// An article's SimHash (`ingest::dedup`); none for a body too short to compare.
    pub fn dup_near(&self, doc: DocId) -> Option<u64> {
        Self::number(&self.dup_near, doc)
    }

    /// The quote's normalised text hashed (`ingest::dedup::exact_key`).
    pub fn text_key(&self, doc: DocId) -> Option<u64> {
        Self::number(&self.key, doc)
    }

    /// Whether the document is a quote: only quotes have a kind.
    pub fn is_quote(&self, doc: DocId) -> bool {
        Self::ord(&self.kind, doc).is_some()
    }

    /// The quote documents of the article at `doc`: they follow it, with its path (see
    /// [`Self::article_of`]).
    pub fn quotes_of(&self, doc: DocId, max_doc: DocId) -> impl Iterator<Item = DocId> + '_ {
        let path = self.path_ord(doc);
        (doc + 1..max_doc).take_while(move |&d| self.path_ord(d) == path && self.is_quote(d))
    }

    /// The article document of the quote document at `doc`. The writer adds an article's
    /// quotes directly after it and merges keep them together, so it is the nearest
    /// document before `doc` without a quote kind, and all between share its path.
    pub fn article_of(&self, doc: DocId) -> Option<DocId> {
        let path = Self::ord(&self.path, doc)?;
        let mut d = doc;
        while d > 0 {
            d -= 1;
            if Self::ord(&self.path, d) != Some(path) {
                return None;
            }
            if !self.is_quote(d) {
                return Some(d);
            }
        }
        None
    }
}
