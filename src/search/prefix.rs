//! Word prefixes (`econ*`): each becomes the indexed words of a field that start with it.
//!
//! The text fields hold stems, and a prefix is matched against them as typed (lower case,
//! accents folded, not stemmed): `econ*` finds the stems `econom` (economic, economics),
//! `economi` (economy, economies) and `economist`. Stemming the prefix itself would be
//! wrong more often than right: `econ` is no word, and the stem of a word's start is no
//! start of its stem. Stems that end before the prefix does are missed, though: `happin*`
//! finds nothing of "happiness", indexed as `happi`. So the prefix's own stem is tried as
//! well when it differs (`economy*` is searched as `economi*` too).
//!
//! The query grammar has no word prefixes: the query text carries a marker word in the
//! prefix's place, which every analyzer keeps as it is, and [`super::rewrite`] replaces the
//! marker's term in each field by the words found there.

use anyhow::{bail, Result};
use rustc_hash::FxHashMap;
use tantivy::query::{DisjunctionMaxQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::index::schema::{name_analyzer, text_analyzer, MAX_TOKEN_BYTES};

/// Most indexed words one prefix is searched as, per field: the most frequent are kept.
/// A query with 100 words per field of four fields ran in under 10 ms on BBC (2,055
/// articles); the limit keeps a short prefix on a large archive from becoming a query of
/// thousands of words.
pub const MAX_PREFIX_TERMS: usize = 100;

/// Fewest characters of a prefix: `e*` would stand for a large part of the vocabulary, so
/// the most frequent words it starts would be an arbitrary choice.
pub const MIN_PREFIX_CHARS: usize = 2;

/// Starts the word that stands for a prefix in the query text; the prefix's number follows.
/// Lower case letters and then digits: the tokenizers keep it whole, the case and accent
/// filters leave it alone and the stemmer changes no word ending in a digit.
const MARKER: &str = "qqnewsdexprefix";

/// A word prefix of a query, as typed and as matched.
#[derive(Clone, Debug)]
pub struct Prefix {
    /// As the user wrote it, without the `*`.
    pub written: String,
    /// Lower case, accents folded: as the index's words are.
    pub folded: String,
}

impl Prefix {
    /// The prefix of `written` (the characters before a `*`), refused when too short.
    pub fn new(written: &str, input: &str) -> Result<Prefix> {
        let folded = fold(written);
        if folded.is_empty() && written.chars().count() >= MIN_PREFIX_CHARS {
            bail!(
                "the prefix '{written}*' in query {input:?} is longer than any indexed word \
                 ({MAX_TOKEN_BYTES} bytes)"
            );
        }
        if folded.chars().count() < MIN_PREFIX_CHARS {
            bail!(
                "the prefix '{written}*' in query {input:?} is too short: a prefix needs at \
                 least {MIN_PREFIX_CHARS} letters or digits"
            );
        }
        Ok(Prefix {
            written: written.to_string(),
            folded,
        })
    }
}

/// The marker word of the `n`th prefix of a query.
pub fn marker(n: usize) -> String {
    format!("{MARKER}{n}")
}

/// Which prefix a term's text stands for, if it is a marker.
pub fn marker_index(text: &str) -> Option<usize> {
    text.strip_prefix(MARKER)?.parse().ok()
}

/// Lower case with accents folded, as the name analyzer leaves a word; the whole text when
/// the analyzer would split it.
fn fold(word: &str) -> String {
    let mut analyzer = name_analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while let Some(t) = stream.next() {
        out.push_str(&t.text);
    }
    out
}

/// The stem of a folded prefix when the text analyzer changes it, else `None`.
fn stem(folded: &str) -> Option<String> {
    let mut analyzer = text_analyzer();
    let stemmed = analyzer
        .token_stream(folded)
        .next()
        .map(|t| t.text.clone())?;
    (stemmed != folded && stemmed.len() >= MIN_PREFIX_CHARS).then_some(stemmed)
}

/// What a prefix became in one field.
pub struct Expansion {
    /// The words searched, as one word: a document scores as the best of them, or `None`
    /// when the field has none.
    pub query: Option<Box<dyn Query>>,
    /// Indexed words of the field that start with the prefix.
    pub found: usize,
    /// Of those, how many are searched.
    pub used: usize,
}

/// The words of `field` that start with the prefix (or with its stem, for a stemmed
/// field), the [`MAX_PREFIX_TERMS`] most frequent of them.
pub fn expand(
    searcher: &Searcher,
    field: Field,
    prefix: &Prefix,
    stemmed: bool,
) -> tantivy::Result<Expansion> {
    // Two starts never share a word unless one is a prefix of the other; then the shorter
    // covers both.
    let starts = match stemmed.then(|| stem(&prefix.folded)).flatten() {
        Some(s) if prefix.folded.starts_with(&s) => vec![s],
        Some(s) => vec![prefix.folded.clone(), s],
        None => vec![prefix.folded.clone()],
    };
    let mut freq: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let terms = inverted.terms();
        for start in &starts {
            let mut stream = terms.range().ge(start.as_bytes()).into_stream()?;
            while let Some((key, info)) = stream.next() {
                if !key.starts_with(start.as_bytes()) {
                    break;
                }
                *freq.entry(key.to_vec()).or_default() += u64::from(info.doc_freq);
            }
        }
    }
    let found = freq.len();
    let mut words: Vec<(Vec<u8>, u64)> = freq.into_iter().collect();
    // Most frequent first; equals in dictionary order, so the choice does not vary.
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.truncate(MAX_PREFIX_TERMS);
    let used = words.len();
    // The best word's score, not the sum of all: summed, an article with many words that
    // start `co` outranked every article about companies (`co*` on BBC).
    let query = (!words.is_empty()).then(|| -> Box<dyn Query> {
        let disjuncts = words
            .into_iter()
            .map(|(w, _)| -> Box<dyn Query> {
                let term = Term::from_field_text(field, &String::from_utf8_lossy(&w));
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            })
            .collect();
        Box::new(DisjunctionMaxQuery::new(disjuncts))
    });
    Ok(Expansion { query, found, used })
}

/// The warning for a prefix whose words were cut to [`MAX_PREFIX_TERMS`].
pub fn capped_warning(prefix: &Prefix, found: usize, used: usize) -> String {
    format!(
        "the prefix '{}*' starts {found} indexed words; only the {used} most frequent were \
         searched (at most {MAX_PREFIX_TERMS} per field); a longer prefix is more precise",
        prefix.written
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_analyzer_keeps_the_marker_whole() {
        for n in [0, 7, 12, 99] {
            let m = marker(n);
            for mut a in [text_analyzer(), name_analyzer()] {
                let tokens: Vec<String> = {
                    let mut s = a.token_stream(&m);
                    let mut v = Vec::new();
                    while let Some(t) = s.next() {
                        v.push(t.text.clone());
                    }
                    v
                };
                assert_eq!(tokens, vec![m.clone()]);
            }
            assert_eq!(marker_index(&m), Some(n));
        }
        assert_eq!(marker_index("economy"), None);
        assert_eq!(marker_index(MARKER), None);
    }

    #[test]
    fn a_prefix_is_folded_not_stemmed_and_a_short_one_refused() {
        let p = Prefix::new("Écon", "q").unwrap();
        assert_eq!(p.folded, "econ");
        assert_eq!(stem("econ"), None);
        assert_eq!(stem("economy").as_deref(), Some("economi"));
        let err = Prefix::new("e", "e*").unwrap_err().to_string();
        assert!(err.contains("'e*'") && err.contains("too short"), "{err}");
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let err = Prefix::new(&long, "q").unwrap_err().to_string();
        assert!(err.contains("longer than any indexed word"), "{err}");
    }
}
