//! The one place where the index layout is defined: field names, their options and the
//! analyzers they use. Everything else refers to [`Fields`] and the constants here.
//!
//! One tantivy index holds three kinds of documents that share `doc_type`, `path` (the
//! article's id) and `source` (the file it came from, the unit of incremental updates):
//! * article documents (`title`, `body`, `lead`, `speaker`, `speaker_name`, the metadata
//!   `date`/`day`, `outlet`, `author`, `url`, `language`, and for a text file its `mtime`,
//!   `size` and `meta_stamp`, and the duplicate keys `dup_exact` and `dup_near`),
//! * quote documents, one per extracted quotation (`q_*` fields), so that a quote hit knows
//!   its own speaker,
//! * source documents, one per JSON Lines file, holding its `mtime` and `size`, added only
//!   once every record of the file is in, so an interrupted run cannot leave a half-indexed
//!   file that looks complete.
//!
//! Because the text fields of the two kinds are disjoint, a query over article fields can
//! only match articles and vice versa; BM25 document counts are corrected per kind by
//! [`crate::search::stats`].

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};
use tantivy::store::Compressor;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenizerManager,
};
use tantivy::{Index, IndexSettings};

/// Bumped whenever fields, options or analyzers change, so that an index built by another
/// version is detected instead of silently giving wrong results.
pub const SCHEMA_VERSION: u32 = 7;

/// Full-text analyzer for prose: lower case, accents folded (`Guaidó` -> `guaido`),
/// English stemming (`cuts` -> `cut`), overlong tokens dropped.
pub const TEXT_ANALYZER: &str = "news_en";
/// Analyzer for person and organisation names: like [`TEXT_ANALYZER`] but unstemmed, so
/// `speaker:james` does not match "Jame".
pub const NAME_ANALYZER: &str = "news_name";
/// Analyzer for the category path `world/americas`: each folder is a term.
pub const CATEGORY_ANALYZER: &str = "news_category";

/// Tokens longer than this (in bytes) are junk in news text: URLs, base64, runs of symbols.
pub const MAX_TOKEN_BYTES: usize = 40;

pub const DOC_ARTICLE: &str = "article";
pub const DOC_QUOTE: &str = "quote";
pub const DOC_SOURCE: &str = "source";

/// Every field of the index, resolved once.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub doc_type: Field,
    pub path: Field,
    pub source: Field,
    pub category: Field,
    // article documents
    pub title: Field,
    pub lead: Field,
    pub body: Field,
    pub speaker: Field,
    pub speaker_name: Field,
    pub date: Field,
    pub day: Field,
    pub outlet: Field,
    pub author: Field,
    pub url: Field,
    pub language: Field,
    pub mtime: Field,
    pub size: Field,
    pub meta_stamp: Field,
    pub dup_exact: Field,
    pub dup_near: Field,
    // quote documents
    pub q_text: Field,
    pub q_own_text: Field,
    pub q_body_start: Field,
    pub q_body_end: Field,
    pub q_speaker: Field,
    pub q_speaker_name: Field,
    pub q_kind: Field,
    pub q_cue: Field,
    pub q_description: Field,
    pub q_start: Field,
    pub q_end: Field,
    pub q_category: Field,
    pub q_outlet: Field,
    pub q_author: Field,
    pub q_key: Field,
}

pub mod names {
    pub const DOC_TYPE: &str = "doc_type";
    pub const PATH: &str = "path";
    pub const SOURCE: &str = "source";
    pub const CATEGORY: &str = "category";
    pub const TITLE: &str = "title";
    pub const LEAD: &str = "lead";
    pub const BODY: &str = "body";
    pub const SPEAKER: &str = "speaker";
    pub const SPEAKER_NAME: &str = "speaker_name";
    pub const DATE: &str = "date";
    pub const DAY: &str = "day";
    pub const OUTLET: &str = "outlet";
    pub const AUTHOR: &str = "author";
    pub const URL: &str = "url";
    pub const LANGUAGE: &str = "language";
    pub const META_STAMP: &str = "meta_stamp";
    pub const MTIME: &str = "mtime";
    pub const SIZE: &str = "size";
    pub const DUP_EXACT: &str = "dup_exact";
    pub const DUP_NEAR: &str = "dup_near";
    pub const Q_TEXT: &str = "q_text";
    pub const Q_OWN_TEXT: &str = "q_own_text";
    pub const Q_BODY_START: &str = "q_body_start";
    pub const Q_BODY_END: &str = "q_body_end";
    pub const Q_SPEAKER: &str = "q_speaker";
    pub const Q_SPEAKER_NAME: &str = "q_speaker_name";
    pub const Q_KIND: &str = "q_kind";
    pub const Q_CUE: &str = "q_cue";
    pub const Q_DESCRIPTION: &str = "q_description";
    pub const Q_START: &str = "q_start";
    pub const Q_END: &str = "q_end";
    pub const Q_CATEGORY: &str = "q_category";
    pub const Q_OUTLET: &str = "q_outlet";
    pub const Q_AUTHOR: &str = "q_author";
    pub const Q_KEY: &str = "q_key";
}

/// Stored text is compressed with lz4, tantivy's default. zstd made the store a fifth
/// smaller, but every hit shown decompresses a 16 KB block, and with zstd that was a third
/// of the time of a multi-word search. The quote documents make up the difference: they keep
/// their text only when the article body does not hold it (`q_own_text`).
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Lz4,
        ..IndexSettings::default()
    }
}

/// An exact-match (untokenized) field. No field norms: nothing ranks by its length, and
/// norms cost a byte per document of either kind for every field that has them.
fn exact() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// Categories are filters, not prose: no positions, no norms.
fn category(stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(CATEGORY_ANALYZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

/// A name searched by its words and counted whole: the words are indexed like a category
/// (a filter: no positions, no norms), the whole value is a column for counts.
fn counted_name() -> TextOptions {
    category(true).set_fast("raw")
}

/// The publication day (days since 1970-01-01): a column, for range filters, sorting and
/// counts per period. Not indexed: tantivy's range query reads the column of a fast field
/// and never the postings. On article and quote documents alike, so both filter by date; a
/// query always names its kind of document, so the filter cannot mix them.
fn day() -> NumericOptions {
    NumericOptions::default().set_fast()
}

pub fn build_schema() -> Schema {
    use names::*;
    let mut b = Schema::builder();
    b.add_text_field(DOC_TYPE, exact());
    b.add_text_field(PATH, exact() | STORED | FAST);
    b.add_text_field(SOURCE, exact());
    // A column too, for counts per category.
    b.add_text_field(CATEGORY, category(true).set_fast("raw"));

    b.add_text_field(TITLE, text(TEXT_ANALYZER, true));
    // The body's first paragraph, with the body's analyzer: every lead term is a body term,
    // which `search::word` relies on to score the lead without letting it decide a match.
    b.add_text_field(LEAD, text(TEXT_ANALYZER, false));
    b.add_text_field(BODY, text(TEXT_ANALYZER, true));
    b.add_text_field(SPEAKER, text(NAME_ANALYZER, false));
    b.add_text_field(SPEAKER_NAME, exact() | STORED | FAST);
    // The publication date as shown (`2016-06-21`); `day` is the same date as a number.
    b.add_text_field(DATE, exact() | STORED);
    b.add_i64_field(DAY, day());
    // The outlet, called `source` by users: the schema's `source` is the file.
    b.add_text_field(OUTLET, counted_name());
    b.add_text_field(AUTHOR, counted_name());
    b.add_text_field(URL, STORED);
    b.add_text_field(LANGUAGE, exact() | STORED);
    b.add_u64_field(MTIME, NumericOptions::default().set_fast());
    b.add_u64_field(SIZE, NumericOptions::default().set_fast());
    // Which row of a metadata file the article was indexed with (`ingest::metafile`): a
    // changed row re-indexes the file. 0: none.
    b.add_u64_field(META_STAMP, NumericOptions::default().set_fast());
    // The body's duplicate keys (`ingest::dedup`): columns read per match by `search` to
    // fold copies into one hit, and by `stats` to count clusters. Absent on a body too
    // short to compare.
    b.add_u64_field(DUP_EXACT, NumericOptions::default().set_fast());
    b.add_u64_field(DUP_NEAR, NumericOptions::default().set_fast());

    b.add_text_field(Q_TEXT, text(TEXT_ANALYZER, false));
    // A quote's text is stored as its place in the article body (byte offsets), or, for the
    // few the body does not hold word for word (a quote in the title), as text.
    b.add_text_field(Q_OWN_TEXT, STORED);
    b.add_u64_field(Q_BODY_START, FAST);
    b.add_u64_field(Q_BODY_END, FAST);
    b.add_text_field(Q_SPEAKER, text(NAME_ANALYZER, false));
    // A quote's short details are columns (`search::quote_columns`), not stored text:
    // a few bits per quote instead of a copy each.
    b.add_text_field(Q_SPEAKER_NAME, exact() | FAST);
    b.add_text_field(Q_KIND, exact() | FAST);
    b.add_text_field(Q_CUE, TextOptions::default().set_fast("raw"));
    b.add_text_field(Q_DESCRIPTION, STORED);
    b.add_u64_field(Q_START, FAST);
    b.add_u64_field(Q_END, FAST);
    // Columns too, for `quotes --facet`.
    b.add_text_field(Q_CATEGORY, category(false).set_fast("raw"));
    // The article's outlet and authors, so that quote searches filter and count by them.
    b.add_text_field(Q_OUTLET, category(false).set_fast("raw"));
    b.add_text_field(Q_AUTHOR, category(false).set_fast("raw"));
    // The quote's normalised text hashed (`ingest::dedup::exact_key`): the same quote in
    // two copies of a story has the same key, so `speakers` and `quotes` count it once.
    b.add_u64_field(Q_KEY, NumericOptions::default().set_fast());
    b.build()
}

impl Fields {
    pub fn new(schema: &Schema) -> anyhow::Result<Fields> {
        use names::*;
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| anyhow::anyhow!("the index has no field '{name}'"))
        };
        Ok(Fields {
            doc_type: f(DOC_TYPE)?,
            path: f(PATH)?,
            source: f(SOURCE)?,
            category: f(CATEGORY)?,
            title: f(TITLE)?,
            lead: f(LEAD)?,
            body: f(BODY)?,
            speaker: f(SPEAKER)?,
            speaker_name: f(SPEAKER_NAME)?,
            date: f(DATE)?,
            day: f(DAY)?,
            outlet: f(OUTLET)?,
            author: f(AUTHOR)?,
            url: f(URL)?,
            language: f(LANGUAGE)?,
            mtime: f(MTIME)?,
            size: f(SIZE)?,
            meta_stamp: f(META_STAMP)?,
            dup_exact: f(DUP_EXACT)?,
            dup_near: f(DUP_NEAR)?,
            q_text: f(Q_TEXT)?,
            q_own_text: f(Q_OWN_TEXT)?,
            q_body_start: f(Q_BODY_START)?,
            q_body_end: f(Q_BODY_END)?,
            q_speaker: f(Q_SPEAKER)?,
            q_speaker_name: f(Q_SPEAKER_NAME)?,
            q_kind: f(Q_KIND)?,
            q_cue: f(Q_CUE)?,
            q_description: f(Q_DESCRIPTION)?,
            q_start: f(Q_START)?,
            q_end: f(Q_END)?,
            q_category: f(Q_CATEGORY)?,
            q_outlet: f(Q_OUTLET)?,
            q_author: f(Q_AUTHOR)?,
            q_key: f(Q_KEY)?,
        })
    }
}

pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(super::stem::MemoEnglishStemmer)
        .build()
}

pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub fn category_analyzer() -> TextAnalyzer {
    // SimpleTokenizer splits on every non-alphanumeric char, '/' included.
    name_analyzer()
}

pub fn register_analyzers(manager: &TokenizerManager) {
    manager.register(TEXT_ANALYZER, text_analyzer());
    manager.register(NAME_ANALYZER, name_analyzer());
    manager.register(CATEGORY_ANALYZER, category_analyzer());
}

pub fn register_on(index: &Index) {
    register_analyzers(index.tokenizers());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut a: TextAnalyzer, s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut ts = a.token_stream(s);
        while let Some(t) = ts.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn text_analyzer_folds_accents_and_stems() {
        assert_eq!(
            tokens(text_analyzer(), "Nicolás Guaidó cuts RATES"),
            vec!["nicola", "guaido", "cut", "rate"]
        );
    }

    #[test]
    fn name_analyzer_does_not_stem() {
        assert_eq!(
            tokens(name_analyzer(), "James Nicolás"),
            vec!["james", "nicolas"]
        );
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            tokens(text_analyzer(), &format!("oil {long} gas")),
            vec!["oil", "gas"]
        );
    }

    #[test]
    fn schema_fields_resolve() {
        Fields::new(&build_schema()).unwrap();
    }
}
